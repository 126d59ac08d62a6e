"""The printer's files for binding (atelier/pages/cover.py): the cover spread and the inner pages.

Read back from the session's one build of ``content/`` (``real_build`` in conftest).
"""
from __future__ import annotations

import io
import subprocess

import pikepdf
import pypdfium2
import pytest
from pypdf import PdfReader

from atelier.pages import cover
from pdfoutline import bookmarks

pytestmark = pytest.mark.xdist_group("real-book")  # one worker builds the real book (conftest)

MM = 72 / 25.4          # points in a millimetre
A4 = (210 * MM, 297 * MM)
BLEED, SLUG = 3 * MM, 10 * MM


def _text(path, first: int, last: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(first), "-l", str(last), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def _box(page, name: str) -> list[float]:
    return [float(v) for v in page[name]]


@pytest.fixture(scope="module")
def inner(real_build):
    with pikepdf.open(real_build.path("print-inner")) as pdf:
        yield pdf


def test_the_inner_pages_start_at_the_title_page_and_come_in_fours(real_build, inner):
    book_pages = real_build.artifacts["pdf"]["pages"]
    count = len(inner.pages)
    assert count % 4 == 0 and count - 4 < book_pages - 3 <= count   # the book less cover, its verso, back cover
    first_inner = _text(real_build.path("print-inner"), 1, 1).split()
    assert first_inner[:6] == _text(real_build.path("pdf"), 3, 3).split()[:6]   # the title page
    assert _text(real_build.path("print-inner"), book_pages - 3, book_pages - 3).split()[:3] == \
        _text(real_build.path("pdf"), book_pages - 1, book_pages - 1).split()[:3]   # the colophon, last
    for index in range(book_pages - 3, count):   # what follows is blank, said in the manifest
        assert _text(real_build.path("print-inner"), index + 1, index + 1).strip() == ""
    labels = inner.Root.PageLabels.Nums
    assert int(labels[0]) == 0 and int(labels[1].St) == 3   # a viewer shows the book's folios
    page = inner.pages[0]
    assert _box(page, "/TrimBox") == pytest.approx([0, 0, *A4], abs=0.01)
    assert _box(page, "/BleedBox") == pytest.approx([-BLEED, -BLEED, A4[0] + BLEED, A4[1] + BLEED], abs=0.01)


def test_the_inner_pages_are_the_whole_books_pages_cut_from_it_not_drawn_again(real_build, inner):
    """Each inner page's content is that of its page in the printer's whole book, byte for byte; the blank
    pages use the book's ICC profile (one copy); the bookmarks and named destinations are the book's that
    lead to a page left in the file, and lead to that page."""
    from atelier.pages import press

    taken = cover.inner_pages(real_build.layouts["layout"].reading, press.Sheet()).taken
    with pikepdf.open(real_build.path("print")) as book:
        assert len(taken) > 90 and 0 <= len(inner.pages) - len(taken) < 4
        for position, index in enumerate(taken):
            assert inner.pages[position].Contents.read_bytes() == book.pages[index].Contents.read_bytes(), position
        expected = [(title, index - taken.start) for title, index in bookmarks(PdfReader(real_build.path("print")))
                    if index in taken]
        book_names = [name for name, target in _destinations(book)
                      if book.pages.index(book.get_object(target[0].objgen)) in taken]
    assert bookmarks(PdfReader(real_build.path("print-inner"))) == expected and len(expected) > 20
    destinations = _destinations(inner)
    assert [name for name, _ in destinations] == book_names
    assert all(0 <= inner.pages.index(inner.get_object(target[0].objgen)) < len(taken) for _, target in destinations)
    profiles = {o.objgen for o in inner.objects if isinstance(o, pikepdf.Stream) and o.get("/N") == 4}
    assert len(profiles) == 1 and inner.Root.OutputIntents[0].DestOutputProfile.objgen in profiles


def _destinations(pdf) -> list:
    """The named destinations of ``pdf`` (name, target), read as pikepdf reads a name tree, flat or not."""
    return list(pikepdf.NameTree(pdf.Root.Names.Dests).items())


def test_a_cut_keeps_the_bookmarks_and_destinations_of_its_pages_only_and_numbers_them_from_its_folio():
    """Three pages, a heading and an anchor on each; the second and third cut out: the first page's bookmark
    and destination are gone, the others lead to their page, a viewer shows folios 2 and 3, and the XMP
    document ID takes the cut's suffix."""
    from weasyprint import HTML

    from atelier.outputs.pdf import cut_press_pdf

    html = "".join(f'<h1 id="p{n}" style="break-before: page">Page {n}</h1>' for n in (1, 2, 3))
    book = HTML(string=html).write_pdf(pdf_variant="pdf/x-4")
    data = cut_press_pdf(book, range(1, 3), "urn:uuid:0123-cut", 2)
    cut = pikepdf.open(io.BytesIO(data))
    assert len(cut.pages) == 2
    assert bookmarks(PdfReader(io.BytesIO(data))) == [("Page 2", 0), ("Page 3", 1)]
    destinations = _destinations(cut)
    assert [name for name, _ in destinations] == ["p2", "p3"]
    assert [cut.pages.index(cut.get_object(target[0].objgen)) for _, target in destinations] == [0, 1]
    assert int(cut.Root.PageLabels.Nums[1].St) == 2
    assert b"xmp.did:0123-cut" in cut.Root.Metadata.read_bytes()


def test_the_cover_spread_is_back_spine_and_front_with_a_spine_as_thick_as_the_inner_pages(real_build, inner):
    book = real_build.values["book"]
    spine = cover.spine_width_mm(len(inner.pages), book.meta.print.sheet_thickness_mm) * MM
    assert spine > 0
    with pikepdf.open(real_build.path("print-cover")) as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        trim, bleed, media = _box(page, "/TrimBox"), _box(page, "/BleedBox"), _box(page, "/MediaBox")
        assert trim == pytest.approx([0, 0, 2 * A4[0] + spine, A4[1]], abs=0.01)
        assert bleed == pytest.approx([-BLEED, -BLEED, trim[2] + BLEED, A4[1] + BLEED], abs=0.01)
        assert media == pytest.approx([-BLEED - SLUG, -BLEED - SLUG, trim[2] + BLEED + SLUG, A4[1] + BLEED + SLUG],
                                      abs=0.01)
        assert str(pdf.Root.OutputIntents[0].OutputConditionIdentifier) == "FOGRA39"
    words = " ".join(_text(real_build.path("print-cover"), 1, 1).split())
    # The title on the back cover, on the spine (at least 5 mm wide here) and on the front cover.
    assert words.count(" ".join(book.meta.title.replace("'", "’").split()[:3])) == 3


#: Pixels per point of the rendering: a 0.25 pt mark is a full pixel wide.
SCALE = 4


def test_the_cover_colour_fills_the_outer_bleed_and_the_spine_and_marks_stand_at_the_folds(real_build, inner):
    book = real_build.values["book"]
    spine = cover.spine_width_mm(len(inner.pages), book.meta.print.sheet_thickness_mm) * MM
    document = pypdfium2.PdfDocument(str(real_build.path("print-cover")))
    try:
        image = document[0].render(scale=SCALE).to_pil().convert("L")
    finally:
        document.close()
    pixels = image.load()
    origin = BLEED + SLUG   # the trim's corner, from the sheet's

    def at(x_pt: float, y_pt: float) -> int:   # points from the trim's top left corner
        return pixels[round((origin + x_pt) * SCALE), round((origin + y_pt) * SCALE)]

    middle = A4[1] / 2
    assert at(-BLEED / 2, middle) < 100                       # the back cover's blue in the left bleed
    assert at(2 * A4[0] + spine + BLEED / 2, middle) < 100    # the front cover's, in the right bleed
    assert at(A4[0] + spine / 2, 20 * MM) < 100               # the spine, in the cover's colour, past its text
    assert at(-BLEED - 2, middle) > 200                       # beyond the bleed, the sheet is white
    for x in (A4[0], A4[0] + spine):                          # a fold mark above and below each spine edge
        near = (-0.5, -0.25, 0, 0.25, 0.5)                    # a 0.25 pt line, wherever its pixel falls
        assert min(at(x + dx, -BLEED - 2 * MM - dy) for dx in near for dy in range(1, 12)) < 128
        assert min(at(x + dx, A4[1] + BLEED + 2 * MM + dy) for dx in near for dy in range(1, 12)) < 128
        assert min(at(x + 8, -BLEED - 2 * MM - dy) for dy in range(1, 12)) > 200   # and nothing beside it
