"""Page references written in before one layout (atelier/outputs/pagerefs.py), on real WeasyPrint renders.

The document below has the three kinds of page number the book prints: a contents line with a
leader, a right-aligned column of numbers, and a « p. N » in running text; its targets are on
pages 2 to 12, so the numbers of the columns have one and two digits (the placeholder of so short a
document has one), and the running text cites pages 5 and 9.
"""
from __future__ import annotations

import re
from pathlib import Path

import lxml.etree
import pikepdf
import pypdfium2
import pytest

from atelier.errors import Collector
from atelier.outputs import pagerefs
from atelier.outputs.layout import Trees, lay_out

ROOT = Path(__file__).resolve().parents[1]
FONT = (ROOT / "styles" / "fonts" / "source-serif-4" / "SourceSerif4-Regular.ttf").as_uri()

STYLE = f"""
@font-face {{ font-family: Serif; src: url("{FONT}"); }}
@page {{ size: A5; margin: 12mm; }}
body {{ font: 10pt/1.4 Serif; text-align: justify; }}
section {{ break-before: page; }}
.toc-list a {{ display: block; }}
.table td.page {{ width: 12mm; text-align: right; }}
"""
#: How the book's stylesheet prints the numbers (styles/print/book.css), and how WeasyPrint alone would.
WRITTEN_IN = """
.toc-list a::after { content: leader(". ") attr(data-page); }
.table .page a::after { content: attr(data-page); }
a.xref::after { content: ", p.\\00A0" attr(data-page); }
"""
TARGET_COUNTER = WRITTEN_IN.replace("attr(data-page)", "target-counter(attr(href), page)")


def document(style: str, pages: int = 12) -> str:
    """A small book; ``pages`` sections, one per page."""
    sections = "".join(f'<section id="s{n}"><h1>Section {n}</h1><p>Texte de la section {n}.</p></section>'
                       for n in range(2, pages + 1))
    toc = "".join(f'<a href="#s{n}">Section {n}</a>' for n in range(2, pages + 1))
    rows = "".join(f'<tr><td>Ligne {n}</td><td class="page"><a class="page-ref" data-page-ref="end" href="#s{n}">'
                   '</a></td></tr>'
                   for n in range(2, pages + 1))
    text = ("<p>Le sommaire renvoie à chaque section ; la neuvième est citée ici "
            f'(<a class="xref" data-page-ref="inline" href="#s{min(pages, 9)}">la neuvième section</a>) et une '
            'autre aussi (<a class="xref" data-page-ref="inline" href="#s5">la cinquième section</a>).</p>')
    body = (f'<nav id="s1" class="toc-list" data-page-ref="end">{toc}</nav><table class="table">{rows}</table>{text}{sections}')
    tree = lxml.etree.fromstring(f"<html><head><style>{STYLE}{style}</style></head><body>{body}</body></html>")
    pagerefs.mark(tree)  # what the HTML stage does to the print HTML
    return lxml.etree.tostring(tree, encoding="unicode", method="html")


@pytest.fixture
def trees(tmp_path):
    (tmp_path / "content").mkdir()
    return Trees(content=tmp_path / "content", templates=ROOT / "templates", styles=ROOT / "styles")


def pdf_of(layout) -> bytes:
    return layout.document.write_pdf()


def page_texts(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def contents(pdf: bytes) -> list[bytes]:
    with pikepdf.open(__import__("io").BytesIO(pdf)) as opened:
        return [page.Contents.read_bytes() for page in opened.pages]


def test_the_html_stage_marks_the_links_that_print_a_page_number():
    html = document(WRITTEN_IN)
    assert html.count('data-page="#s') == 2 * 11 + 2
    assert html.count('data-page-align="end"') == 2 * 11  # the contents and the column, not the running text


def test_one_layout_prints_every_number_right(trees):
    layout = lay_out(document(WRITTEN_IN), trees, [], Collector())
    assert layout.layouts == 1 and layout.corrected > 0  # the placeholders were put right in place
    lines = [line.strip() for line in page_texts(pdf_of(layout))[0].replace("\r", "").split("\n")]
    for n in range(2, 13):
        assert re.search(rf"^Section {n}[ .]+ {n}$", "\n".join(lines), re.M), n
        assert f"Ligne {n} {n}" in lines
    assert "la neuvième section, p. 9" in " ".join(lines).replace("\u00a0", " ")


def test_the_pages_are_drawn_as_weasyprint_target_counter_draws_them(trees):
    """Numbers corrected in place, of the same width and of another (one digit guessed, two
    found), draw every page as WeasyPrint's own ``target-counter`` does."""
    ours = lay_out(document(WRITTEN_IN), trees, [], Collector())
    theirs = lay_out(document(TARGET_COUNTER), trees, [], Collector())
    assert ours.corrected > 0 and theirs.corrected == 0  # nothing of WeasyPrint's own numbers is touched
    assert contents(pdf_of(ours)) == contents(pdf_of(theirs))


def test_the_result_does_not_depend_on_the_guess(trees):
    cold = lay_out(document(WRITTEN_IN), trees, [], Collector())
    warm = lay_out(document(WRITTEN_IN), trees, [], Collector(), guess=cold.numbers)
    assert warm.layouts == 1 and warm.corrected == 0
    assert pdf_of(cold) == pdf_of(warm)
    assert cold.html == warm.html and 'data-page="12"' in cold.html and 'data-page="9"' in cold.html


def test_a_running_text_number_of_another_width_costs_a_second_layout(trees):
    wide = pagerefs.Numbers({f"s{n}": 10 for n in range(2, 13)})  # two digits where nine needs one
    layout = lay_out(document(WRITTEN_IN), trees, [], Collector(), guess=wide)
    assert layout.layouts == 2
    assert layout.numbers.pages["s12"] == 12 and layout.numbers.pages["s2"] == 2 and layout.corrected == 0
    assert pdf_of(layout) == pdf_of(lay_out(document(WRITTEN_IN), trees, [], Collector()))


def test_links_keep_their_area_after_a_correction(trees):
    cold = lay_out(document(WRITTEN_IN), trees, [], Collector())
    warm = lay_out(document(WRITTEN_IN), trees, [], Collector(), guess=cold.numbers)
    rects = [[tuple(link[2]) for link in page.links] for page in cold.document.pages]
    assert rects == [[tuple(link[2]) for link in page.links] for page in warm.document.pages]


def test_the_stylesheets_print_written_in_numbers_not_target_counter():
    """A ``target-counter`` left in a stylesheet would bring WeasyPrint's repeated layout passes back."""
    for css in (ROOT / "styles").rglob("*.css"):
        assert "target-counter" not in css.read_text(encoding="utf-8"), css
    book = (ROOT / "styles" / "print" / "book.css").read_text(encoding="utf-8")
    assert book.count("attr(data-page)") == 4


def test_a_number_behind_a_leader_keeps_its_right_edge_where_weasyprint_leaves_it(trees):
    """A contents line like the book's part entries (a hanging indent, a title set as a block):
    WeasyPrint ends such a leader line short of the measure; a corrected number of another
    width stays exactly where ``target-counter`` puts it."""
    style = (".toc-list li { padding-left: 11mm; text-indent: -11mm; } .toc-list .title { display: block; }")
    # Marked as the HTML stage marks a link of the contents (pagerefs.mark).
    entries = "".join(f'<li><a href="#s{n}" data-page="#s{n}" data-page-align="end"><span class="title">'
                      f'Partie {n}</span><span>{n} propositions</span></a></li>' for n in range(2, 13))

    def parts(css: str) -> str:
        html = re.sub(r"<p>Le sommaire.*?</p>", "", document(css), flags=re.S)  # columns only
        return re.sub(r'<nav id="s1" class="toc-list" data-page-ref="end">.*?</nav>',
                      f'<nav id="s1"><ol class="toc-list">{entries}</ol></nav>', html, flags=re.S)

    ours = lay_out(parts(WRITTEN_IN + style), trees, [], Collector())
    theirs = lay_out(parts(TARGET_COUNTER + style), trees, [], Collector())
    assert ours.layouts == 1 and ours.corrected > 0
    assert contents(pdf_of(ours)) == contents(pdf_of(theirs))
