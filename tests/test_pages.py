"""The page model (atelier/pages): one module reads and edits WeasyPrint's boxes, each edit drawn as
WeasyPrint itself would draw the same page.

The number correction is compared with WeasyPrint's ``target-counter()`` in ``tests/test_pagerefs.py``;
here, moving blocks down is compared with the same space written as CSS margins, and a pruned page
with the same page whose other content is hidden by CSS.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest
from weasyprint import HTML

from atelier import pages
from atelier.errors import EnvironmentProblem

pytestmark = pytest.mark.xdist_group("real-book")  # one worker builds the real book (conftest)

ROOT = Path(__file__).resolve().parents[1]
FONT = (ROOT / "styles" / "fonts" / "source-serif-4" / "SourceSerif4-Regular.ttf").as_uri()
STYLE = (f'@font-face {{ font-family: Serif; src: url("{FONT}"); }} @page {{ size: A6; margin: 10mm }} '
         "body { font: 9pt/12pt Serif } p { margin: 0 0 6pt } h2 { font-size: 11pt; margin: 6pt 0 }")


def drawn(document) -> list[bytes]:
    """What each page of ``document`` draws (its content stream), untagged."""
    with pikepdf.open(io.BytesIO(document.write_pdf())) as pdf:
        return [page.Contents.read_bytes() for page in pdf.pages]


def test_webkit_box_attributes_are_read_only_inside_the_page_model():
    """No stage but atelier/pages reaches into WeasyPrint's laid-out boxes."""
    attributes = re.compile(r"_page_box|position_[xy]\b|element_tag|pango_layout|link_annotation|margin_width\(|"
                            r"content_box_[xy]\(|is_in_normal_flow|justification_spacing|\.translate\((?!_SPELLED)")
    found = [f"{path.relative_to(ROOT)}:{number}" for path in (ROOT / "atelier").rglob("*.py")
             if "pages" not in path.relative_to(ROOT / "atelier").parts
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if attributes.search(line)]
    assert found == []


def test_an_untested_weasyprint_or_pydyf_is_refused_with_what_to_do():
    pages.check_versions(dict(pages.guard.TESTED))  # the tested ones pass
    for name in ("weasyprint", "pydyf"):
        with pytest.raises(EnvironmentProblem, match=rf"{name} 9\.9 \(attendu : .*Réinstallez"):
            pages.check_versions({**pages.guard.TESTED, name: "9.9"})
    pages.check_versions()  # and the installed ones are the tested ones


def test_the_build_stops_on_an_untested_weasyprint(content, run, tmp_path, monkeypatch):
    import weasyprint

    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    status, _, stderr = run("pdf", "--content", str(content), "--out", str(tmp_path / "out"))
    assert status == 2 and "weasyprint 71.0 (attendu : 70.0)" in stderr and "Traceback" not in stderr


def test_the_book_html_carries_every_role_the_page_model_reads(real_build):
    html, laid_out = real_build.values["html.print"].html, real_build.values["layout"].html
    for role in pages.roles.READ:
        written = laid_out if role in pages.roles.WRITTEN_BY_LAYOUT else html
        assert re.search(rf'data-role="[^"]*\b{role}\b', written), role


def _moved_and_written(extra_mm: float):
    """The same page twice: space added by the page model, and the same space written as margins."""
    paragraphs = "".join(f"<p>Paragraphe {n} : une ligne de texte assez longue pour en faire deux ou trois "
                         f"sur une petite page.</p>" for n in range(1, 5))
    body = f"<h2>Un titre</h2>{paragraphs}<h2>Un autre</h2><p>La fin.</p>"
    document = HTML(string=f"<style>{STYLE}</style>{body}").render()
    reading = pages.read(document)
    page = reading.pages[1]
    px = extra_mm * 96 / 25.4
    pages.move_down(reading, {1: {boundary.key: px * boundary.weight for boundary in page.boundaries}})
    weights = [boundary.weight for boundary in page.boundaries]
    # The boundaries of this page, top to bottom: before each paragraph after the first (children 3
    # to 5), before the second heading (child 6); none after a heading.
    css = "".join(f"body > *:nth-child({index + 3}) {{ margin-top: calc(6pt + {extra_mm * w}mm) }}"
                  for index, w in enumerate(weights))
    written = HTML(string=f"<style>{STYLE} {css} h2 {{ margin-bottom: 6pt }}</style>{body}").render()
    return reading, document, written, weights


def test_moving_blocks_down_draws_the_page_as_the_same_space_written_in_css():
    reading, moved, written, weights = _moved_and_written(1.0)
    assert weights == [1.0, 1.0, 1.0, 2.0]  # between paragraphs, then before a heading; none after it
    # WeasyPrint collapses a paragraph's bottom margin with the next one's top: the CSS gives the
    # larger of the two, 6pt + the added space, as the page model does.
    assert drawn(moved) == drawn(written)
    assert reading.pages[1].lines[-1].top > pages.read(HTML(string=f"<style>{STYLE}</style>").render()).pages[1].content_top


def test_a_pruned_page_draws_what_the_same_page_draws_with_the_rest_hidden():
    body = ('<section data-role="proposal" id="a"><h2>Première</h2><p>Texte de la première.</p></section>'
            '<section data-role="proposal" id="b"><h2>Seconde</h2><p>Texte de la seconde.</p></section>'
            "<p>Un paragraphe hors des propositions.</p>")
    document = HTML(string=f"<style>{STYLE}</style>{body}").render()
    reading = pages.read(document)
    assert reading.pages[1].proposals == ("a", "b")
    pruned = pages.pruned_page(reading, 1, {"b"}, pages.proposal_owners(reading))
    hidden = HTML(string=f"<style>{STYLE} #a, body > p {{ visibility: hidden }}</style>{body}").render()
    assert drawn(document.copy([pruned])) == drawn(hidden)
    assert drawn(document) != drawn(hidden)  # the book's own page is left as it was


def test_forgetting_annotations_makes_a_page_write_as_if_no_pdf_had_been_written_before():
    body = '<p><a href="#b">Un lien</a></p><p id="b">La cible.</p>'
    first = HTML(string=f"<style>{STYLE}</style>{body}").render()
    fresh = HTML(string=f"<style>{STYLE}</style>{body}").render()
    first.write_pdf(pdf_variant="pdf/ua-1")  # leaves its annotations on the boxes
    for page in first.pages:
        pages.forget_annotations(page)
    assert first.write_pdf(pdf_variant="pdf/ua-1") == fresh.write_pdf(pdf_variant="pdf/ua-1")


def test_the_model_reads_lines_notes_and_word_spaces():
    body = ('<p style="text-align: justify; width: 40mm">Une phrase justifiée assez longue pour courir sur '
            'plusieurs lignes de la colonne étroite<span data-role="note" id="n1" style="float: footnote">Une '
            'note.</span> et finir plus loin.</p>')
    document = HTML(string=f"<style>{STYLE}</style>{body}").render()
    page = pages.read(document).pages[1]
    text_lines = [line for line in page.lines if not line.note]
    assert len(text_lines) > 2 and text_lines[-1].paragraph_end and not text_lines[0].paragraph_end
    assert all(line.justified for line in text_lines[:-1]) and not text_lines[-1].justified
    assert all(line.word_space > 0 for line in text_lines if " " in line.text.strip())
    assert page.note_calls == ("n1",) and page.notes == ("n1",) and page.note_numbers == ("1.",)


def test_a_margin_box_from_another_layout_draws_as_if_the_page_had_it_in_its_own_css():
    """An extract's notice in the foot of the book's pages (issue 21): the book's page, with the
    @bottom-center box of a page laid out from another document, draws exactly what WeasyPrint
    draws when the book's own stylesheet has that box."""
    foot = ('@page { @bottom-right { content: counter(page); font: 9pt Serif } } '
            'body { string-set: foot attr(data-foot) }')
    notice = ('@page { @bottom-center { content: string(foot); width: 60mm; vertical-align: bottom; '
              'padding-bottom: 3mm; font: 7pt Serif } }')
    body = '<body data-foot="Édition de travail : une mention au pied"><h2>Titre</h2><p>Le texte de la page.</p>'
    book = HTML(string=f"<style>{STYLE} {foot}</style>{body}").render()
    native = HTML(string=f"<style>{STYLE} {foot} {notice}</style>{body}").render()
    stamp = HTML(string=f'<style>{STYLE} {notice} body {{ string-set: foot attr(data-foot) }}</style>'
                 '<body data-foot="Édition de travail : une mention au pied"></body>').render()
    stamped = pages.with_margin_boxes(book.pages[0], stamp.pages[0], ("@bottom-center",))
    assert drawn(book.copy([stamped])) == drawn(native)
    assert drawn(book) != drawn(native)   # the book's own page is left as it was
    with pytest.raises(ValueError):        # two texts in one margin box would overlap
        pages.with_margin_boxes(native.pages[0], stamp.pages[0], ("@bottom-center",))


def test_a_hyphenation_is_told_from_a_typed_hyphen_when_both_are_the_same_character():
    # The print stylesheet's hyphenation hyphen is the keyboard's « - »: the document's text decides.
    style = 'p { width: 22mm; font-size: 10pt; hyphens: auto; hyphenate-character: "-"; margin: 0; }'
    body = ('<html lang="fr"><p style="hyphens: manual; width: 16mm">Ceci devient-elle vraiment</p>'
            '<p>Les administrations interministérielles</p></html>')
    document = HTML(string=f"<style>{style}</style>{body}").render()
    found = [(line.text, line.hyphenated, line.dom_text) for line in pages.read(document).pages[1].lines]
    typed = next(f for f in found if f[0].endswith("devient-"))
    assert typed[1] is False and typed[2].rstrip().endswith("devient-")     # the hyphen is the text's own
    hyphenated = [f for f in found if f[1]]
    assert hyphenated and all(f[0].endswith("-") and not f[2].rstrip().endswith("-") for f in hyphenated)
