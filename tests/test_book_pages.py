"""The book's designed pages, on the real build: cover motif, back cover, notes at the page foot,
the annotated proposal head of the « Mode d'emploi », and the stranded-ending check.
"""
from __future__ import annotations

import re

import lxml.html
import pypdfium2
import pytest

from atelier.html import notes
from atelier.outputs.pagecheck import page_faults
from conftest import laid_out

pytestmark = pytest.mark.xdist_group("real-book")  # one worker builds the real book (conftest)


@pytest.fixture(scope="module")
def book(real_build):
    return real_build.values["book"]


@pytest.fixture(scope="module")
def print_html(real_build):
    return lxml.html.fromstring(real_build.values["html.print"].html)


@pytest.fixture(scope="module")
def screen_pdf(real_build):
    return pypdfium2.PdfDocument(str(real_build.path("pdf")))


def _having(tree, *classes: str, tag: str = "*") -> list:
    """Elements under ``tree`` whose class list holds every one of ``classes`` (nested in order)."""
    path = "."
    for name in classes:
        path += f"//{tag}[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]"
    return tree.xpath(path)


def _text(pdf, number: int) -> str:
    return pdf[number - 1].get_textpage().get_text_range()


def test_the_cover_motif_has_one_mark_per_proposal_and_fills_the_highlights(print_html, book):
    marks = _having(print_html, "cover", "motif-mark")
    assert len(marks) == len(book.proposals)
    assert len(_having(print_html, "cover", "motif-highlight")) == sum(p.highlight for p in book.proposals)
    # In the book's order, part after part, each in its part's colour class.
    assert [m.get("class").split()[1] for m in marks] == [f"axis-{p.axis_id}" for p in book.proposals]


def test_the_back_cover_is_the_last_page_and_a_left_hand_page(screen_pdf, book):
    pages = len(screen_pdf)
    assert pages % 2 == 0
    last = _text(screen_pdf, pages)
    assert book.meta.title in last.replace("\r\n", " ").replace("\u2019", "'")
    assert "Colophon" not in last


def test_the_back_cover_figures_come_from_the_data(screen_pdf, book):
    last = re.sub(r"\s+", " ", _text(screen_pdf, len(screen_pdf)))
    assert f"{len(book.proposals)} propositions" in last
    assert f"{sum(p.highlight for p in book.proposals)} propositions phares" in last
    for axis in book.axes:
        assert f"{len(axis.proposals)} {axis.title.replace(chr(39), chr(8217))}" in last


def test_every_note_is_moved_to_the_foot_of_its_page_and_no_note_list_is_left(real_build, print_html, book):
    pieces = [p.body for p in book.proposals] + [a.introduction for a in book.axes]
    pieces += [chapter.body for chapter in book.contents if hasattr(chapter, "body")]
    written = sum(len(re.findall(r"^\s*\[\^[^\]]+\]:", piece.text, re.M)) for piece in pieces)
    assert written > 0
    assert len(_having(print_html, "page-note", tag="span")) == written
    assert not _having(print_html, "footnote", tag="div")
    assert not _having(print_html, "footnote-ref") and not _having(print_html, "footnote-backref")
    placed = {line.block for line in _lines(real_build) if line.note}
    assert len(placed) == written


def _lines(real_build):
    from atelier.outputs.lines import lines
    return lines(real_build.values["layout"])


def test_a_note_keeps_its_text_and_markup_and_loses_its_link_back():
    tree = lxml.html.fromstring(
        '<div><p>Un texte<sup id="a-fnref:1"><a class="footnote-ref" href="#a-fn:1">1</a></sup>, suivi.</p>'
        '<div class="footnote"><hr/><ol><li id="a-fn:1"><p>Circulaire n<sup>o</sup> 5811-SG. '
        '<a class="footnote-backref" href="#a-fnref:1">↑</a></p></li></ol></div></div>')
    assert notes.notes_to_page_foot(tree) == 1
    html = lxml.html.tostring(tree, encoding="unicode")
    assert html == ('<div><p>Un texte<span class="page-note" id="a-fn:1" data-role="note">Circulaire n<sup>o</sup> 5811-SG.'
                    '</span>, suivi.</p></div>')


def test_the_annotated_head_shows_a_real_proposal_and_every_scale_in_both_editions(real_build, print_html, book):
    cards = _having(print_html, "card-example")
    assert len(cards) == 1
    card = cards[0]
    shown = next(p for p in book.proposals if p.title in card.text_content())
    assert _having(card, "proposal-number-value")[0].text_content().split()[0] == str(shown.number)
    legend = _having(card, "card-scales")[0].xpath("./li")
    assert [_having(li, "meta-label")[0].text_content().rstrip("\u00a0:") for li in legend] == \
        [s.label for s in book.scales.values()]
    assert all(len(_having(li, "card-level")) == len(s.levels) for li, s in zip(legend, book.scales.values()))
    epub = "".join(d.html for d in real_build.values["html.epub"])
    assert epub.count('class="card-example"') == 1 and "card-example-slot" not in epub
    assert "card-example-slot" not in real_build.values["html.print"].html




def test_the_layout_check_sees_a_stranded_ending():
    paragraph = "<p>" + "Une ligne de texte courant qui remplit la page. " * 6 + "</p>"
    html = ("<style>@page { size: 120mm 80mm; margin: 10mm }</style><h1>Titre</h1>" + paragraph
            + "<p style='break-before: page'>Les éditeurs</p>")
    faults = page_faults(laid_out(html).model, [])
    stranded = [fault for fault in faults if fault.kind == "fin de texte isolée"]
    assert stranded and stranded[-1].detail.startswith("Les éditeurs")


def test_no_page_of_the_book_holds_only_a_stranded_ending(real_build, book):
    from atelier.outputs.pagecheck import part_boundaries
    faults = page_faults(real_build.values["layout"].model, part_boundaries(book))
    assert not [fault for fault in faults if fault.kind == "fin de texte isolée"]


def test_feathering_fills_a_short_page_in_a_part_without_moving_anything_to_another_page():
    """Enough boundaries: the page reaches the foot of its text block; too few: each gets one line at
    most, and the page stays short (the layout check says so)."""
    from atelier.outputs.feather import feather
    from atelier.outputs.pagecheck import LINE, emptiness

    paragraph = "<p>Une ligne de texte</p>"

    def book(paragraphs: int):
        return laid_out("<style>@page { size: 110mm 120mm; margin: 10mm } p { margin: 0 0 2mm; font-size: 9pt;"
                       " line-height: 4mm } .bloc { break-inside: avoid; height: 60mm; border-top: 1px solid }</style>"
                       "<h1 id='a' style='break-after: page'>Partie</h1>"
                       "<h2>Section</h2>" + paragraph * paragraphs + "<h2>Suite</h2>" + paragraph
                       + "<div class='bloc'>Un bloc qui ne se coupe pas.</div>"
                       "<h1 id='b' style='break-before: page'>Après</h1>")

    layout = book(8)
    before = [(page.first_text, page.anchors) for page in layout.pages]
    assert emptiness(layout.model[2]) > 0.1  # the block did not fit: page 2 ends early
    feathered = feather(layout, [("a", "b")])
    page = feathered.model[2]
    assert emptiness(page) < 0.01 and 0 < page.added <= LINE + 1e-6
    assert [(page.first_text, page.anchors) for page in feathered.pages] == before
    sparse = feather(book(2), [("a", "b")])
    assert sparse.model[2].added == pytest.approx(LINE) and emptiness(sparse.model[2]) > 0.05
    assert feathered.document.write_pdf()[:5] == b"%PDF-"
