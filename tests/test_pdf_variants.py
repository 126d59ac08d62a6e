"""The two PDFs of the real book: the screen PDF (PDF/UA-1) and the printer's PDF (PDF/X-4).

Both come from the session's one build of ``content/`` (``real_build`` in
conftest) and are read back with pikepdf. WeasyPrint labels a file PDF/X
whatever colours it holds, so the label proves nothing: the colour check here
walks every content stream the printer's PDF paints with (pages, form
XObjects, patterns, annotation appearances), its images, inline images,
shadings and transparency groups, and a second test shows that the same check
does find RGB where there is some.
"""
from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pdfua
import pikepdf
import pytest
import tinycss2
import tinycss2.color5
from PIL import Image, ImageCms

from atelier import palette
from pdfcolours import rgb_uses
from atelier.source.load import load_book

ROOT = Path(__file__).resolve().parents[1]
BOOK_CSS = ROOT / "styles" / "print" / "book.css"
PRESS_CSS = ROOT / "styles" / "print" / "press.css"
PALETTE_CSS = ROOT / "styles" / "palette.css"   # the variables book.css and the press kit import

A4 = [0.0, 0.0, 595.2756, 841.8898]   # points
BLEED = 3 / 25.4 * 72                 # 3 mm in points


@pytest.fixture(scope="module")
def screen(real_build):
    with pikepdf.open(real_build.path("pdf")) as pdf:
        yield pdf


@pytest.fixture(scope="module")
def printer(real_build):
    with pikepdf.open(real_build.path("print")) as pdf:
        yield pdf


# ---- colours ------------------------------------------------------------------------------------

def test_the_printer_pdf_paints_in_cmyk_only(printer):
    assert rgb_uses(printer) == []
    painted = {str(op.operator) for page in printer.pages for op in pikepdf.parse_content_stream(page)}
    assert "scn" in painted  # it does paint, with colours set in DeviceCMYK


def test_the_colour_check_finds_rgb_in_operators_images_and_svg(screen, tmp_path):
    from weasyprint import HTML

    assert any(": rg " in use for use in rgb_uses(screen))  # the screen PDF is written in sRGB
    png = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(png, "PNG")
    (tmp_path / "photo.png").write_bytes(png.getvalue())
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="#2050a0"/></svg>'
    html = (f'<p style="color: device-cmyk(0 0 0 1)">Texte</p><img src="photo.png"/>'
            f'<img src="data:image/svg+xml,{quote(svg)}"/>'
            '<div style="height: 2cm; background: linear-gradient(#ff0000, #0000ff)"></div>')
    with pikepdf.open(io.BytesIO(HTML(string=html, base_url=str(tmp_path) + "/").write_pdf())) as pdf:
        uses = rgb_uses(pdf)
    assert any("image" in use for use in uses), uses
    assert any(re.search(r": rg 0\.125", use) for use in uses), uses  # the SVG's #2050a0
    assert any("shading" in use or "sh in RGB" in use for use in uses), uses


def test_weasyprint_draws_device_cmyk_in_svg_as_cmyk(tmp_path):
    """An SVG image (as the charts will be) may take the printer's palette: fill="device-cmyk(…)"."""
    from weasyprint import HTML

    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
           '<rect width="10" height="5" fill="device-cmyk(0.1 0.2 0.3 0.4)"/>'
           '<rect y="5" width="10" height="5" stroke="device-cmyk(0 0 0 1)" fill="none"/></svg>')
    data = HTML(string=f'<img src="data:image/svg+xml,{quote(svg)}"/>').write_pdf()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        operations = [(str(op.operator), [float(v) if isinstance(v, (int, float, Decimal)) else str(v)
                                          for v in op.operands])
                      for op in pikepdf.parse_content_stream(pdf.pages[0])]
        assert rgb_uses(pdf) == []
    assert ("cs", ["/DeviceCMYK"]) in operations and ("CS", ["/DeviceCMYK"]) in operations
    assert ("scn", [0.1, 0.2, 0.3, 0.4]) in operations
    assert ("SCN", [0.0, 0.0, 0.0, 1.0]) in operations


# ---- page boxes, variants, output intent --------------------------------------------------------

def _box(page, name):
    return [float(v) for v in page.obj[name]] if name in page.obj else None


def test_page_boxes(screen, printer):
    bled = [A4[0] - BLEED, A4[1] - BLEED, A4[2] + BLEED, A4[3] + BLEED]
    for number, page in enumerate(printer.pages, 1):
        assert _box(page, "/TrimBox") == pytest.approx(A4, abs=0.01), number
        assert _box(page, "/MediaBox") == pytest.approx(bled, abs=0.01), number
        assert _box(page, "/BleedBox") == pytest.approx(bled, abs=0.01), number
    for number, page in enumerate(screen.pages, 1):
        assert _box(page, "/MediaBox") == pytest.approx(A4, abs=0.01), number
        assert _box(page, "/TrimBox") in (None, pytest.approx(A4, abs=0.01)), number


def _xmp(pdf) -> dict:
    with pdf.open_metadata() as metadata:
        return dict(metadata)


PDFUA_PART = "{http://www.aiim.org/pdfua/ns/id/}part"
PDFX_VERSION = "{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion"


def test_each_pdf_claims_its_variant_in_xmp(screen, printer):
    screen_xmp, printer_xmp = _xmp(screen), _xmp(printer)
    assert screen_xmp.get(PDFUA_PART) == "1" and PDFX_VERSION not in screen_xmp
    assert printer_xmp.get(PDFX_VERSION) == "PDF/X-4" and PDFUA_PART not in printer_xmp
    assert printer.pdf_version >= "1.6"
    assert str(printer.docinfo.get("/Trapped")) == "/False"


def test_the_printer_pdf_carries_the_cmyk_output_intent(printer):
    intents = printer.Root.OutputIntents
    assert len(intents) == 1 and intents[0].S == "/GTS_PDFX"
    profile = intents[0].DestOutputProfile
    data = profile.read_bytes()
    assert int(profile.N) == 4
    assert data[12:16] == b"prtr" and data[16:20] == b"CMYK"  # an output profile, for CMYK
    description = ImageCms.getOpenProfile(io.BytesIO(data)).profile.profile_description
    assert description == ImageCms.getOpenProfile(str(palette.CMYK_PROFILE)).profile.profile_description
    assert str(intents[0].OutputConditionIdentifier) == description


def test_the_screen_pdf_has_no_press_output_intent(screen):
    assert "/OutputIntents" not in screen.Root


# ---- links, fonts, pagination -------------------------------------------------------------------

def _annotations(pdf) -> list:
    return [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Annot"]


def test_the_printer_pdf_has_no_link_and_the_screen_pdf_keeps_them(screen, printer):
    assert not any(page.obj.get("/Annots") for page in printer.pages)
    assert _annotations(printer) == []
    links = [a for page in screen.pages for a in page.obj.get("/Annots") or [] if a.get("/Subtype") == "/Link"]
    book = load_book(ROOT / "content")
    assert len(links) > len(book.proposals)  # contents, cross-references and index are clickable


@pytest.mark.parametrize("kind", ["pdf", "print"])
def test_fonts_are_embedded_and_subset(real_build, kind):
    fonts = {}
    with pikepdf.open(real_build.path(kind)) as pdf:
        for page in pdf.pages:
            for font in (page.obj.Resources.get("/Font") or {}).values():
                descendants = font.get("/DescendantFonts")
                descriptor = (descendants[0] if descendants else font).get("/FontDescriptor") or {}
                embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts[str(font.BaseFont)] = embedded
    assert fonts and all(fonts.values()), fonts
    assert all(re.match(r"^/[A-Z]{6}\+", name) for name in fonts), fonts  # subset tag
    assert any("Source-Serif-4" in name for name in fonts) and any("Source-Sans-3" in name for name in fonts)


def test_the_printer_pdf_has_the_screen_pdf_pagination(real_build, screen, printer):
    on_screen, in_print = real_build.layouts["layout"].pages, real_build.layouts["layout.press"].pages
    assert len(in_print) == len(on_screen) == len(printer.pages) == len(screen.pages) > 10
    assert real_build.artifacts["print"]["pages"] == real_build.artifacts["pdf"]["pages"] == len(on_screen)
    assert [page.first_text for page in in_print] == [page.first_text for page in on_screen]
    assert [page.anchors for page in in_print] == [page.anchors for page in on_screen]
    # Only versos may be blank, and the inside of the back cover (the page before the last).
    assert all(page.first_text for page in on_screen if page.number % 2 == 1 and page.number != len(on_screen) - 1)


# ---- the screen PDF's accessibility ---------------------------------------------------------

#: Rules pdfua 0.1.3 cannot run on any tagged file with pikepdf 10 (it asks a pikepdf Array for an
#: attribute, and pikepdf answers ValueError, not AttributeError); the tag tree test below checks
#: what UA-14-001 would (no empty heading).
PDFUA_BROKEN = {"UA-14-001": "is_integer"}


def test_the_screen_pdf_passes_the_pdfua_checks(real_build):
    report = pdfua.validate(str(real_build.path("pdf")))
    certain = [f"{f.rule_id} {f.location.describe()}: {f.message}" for f in report.findings
               if f.confidence is pdfua.Confidence.CERTAIN]
    assert certain == []
    for outcome in report.skipped:
        assert PDFUA_BROKEN.get(outcome.rule_id, "\0") in outcome.skipped_reason, outcome
    assert len(report.outcomes) - len(report.skipped) >= 11
    # Left: the heuristic doubt about table headers, which WeasyPrint associates with /Headers on each
    # data cell (checked below) rather than with /Scope on the header cells.
    assert {f.rule_id for f in report.findings} <= {"UA-15-003"}


def _elements(node):
    if isinstance(node, pikepdf.Array):
        for kid in node:
            yield from _elements(kid)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        yield node
        yield from _elements(node.get("/K"))


def _marks_content(node) -> bool:
    kids = node.get("/K")
    if isinstance(kids, int):
        return True
    if isinstance(kids, pikepdf.Dictionary):
        kids = [kids]
    return any(isinstance(kid, int) or isinstance(kid, pikepdf.Dictionary)
               and (kid.get("/Type") == "/MCR" or _marks_content(kid)) for kid in kids or [])


def test_the_screen_pdf_tag_tree(screen):
    assert str(screen.Root.Lang) == "fr" and screen.Root.MarkInfo.Marked
    assert screen.Root.ViewerPreferences.DisplayDocTitle
    elements = list(_elements(screen.Root.StructTreeRoot.K))
    roles = [str(e.S) for e in elements]
    book = load_book(ROOT / "content")
    assert roles.count("/H1") >= len(book.chapters) and roles.count("/H2") >= len(book.proposals)
    headings = [e for e in elements if re.fullmatch(r"/H[1-6]", str(e.S))]
    assert all(_marks_content(h) for h in headings)
    header_ids = {str(e.ID) for e in elements if e.S == "/TH" and "/ID" in e}
    cells = [e for e in elements if e.S == "/TD"]
    assert cells and all(e.A.Headers and {str(h) for h in e.A.Headers} <= header_ids for e in cells)
    info = screen.docinfo
    assert all(str(info.get(key, "")).strip() for key in ("/Title", "/Author", "/Subject", "/Keywords"))
    with screen.open_outline() as outline:
        assert len(outline.root) >= len(book.chapters)  # bookmarks


# ---- the palette and the print stylesheets ------------------------------------------------------

def _declarations(path: Path):
    """(where, declaration) of every declaration of a stylesheet, in @page and margin rules too."""
    def walk(where, nodes):
        for node in nodes:
            if node.type == "declaration":
                yield where, node
            elif node.type in ("qualified-rule", "at-rule") and node.content is not None:
                prelude = tinycss2.serialize(node.prelude).strip()
                name = prelude if node.type == "qualified-rule" else f"@{node.lower_at_keyword} {prelude}".strip()
                yield from walk(name, tinycss2.parse_blocks_contents(node.content, skip_comments=True,
                                                                     skip_whitespace=True))
    yield from walk("", tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"), skip_comments=True,
                                                  skip_whitespace=True))


def _variables(path: Path) -> dict[str, str]:
    return {d.name: tinycss2.serialize(d.value).strip() for prelude, d in _declarations(path)
            if prelude == ":root" and d.name.startswith("--")}


def test_press_css_holds_the_palette_of_every_colour_of_book_css():
    press = palette.press()
    colours = {name: value for name, value in _variables(PALETTE_CSS).items() if value.startswith("#")}
    assert set(colours) >= {"--ink", "--muted", "--rule", "--panel"}
    printed = _variables(PRESS_CSS)
    assert {name: printed.get(name) for name in colours} == {name: press(value) for name, value in colours.items()}


def _tokens(tokens):
    for token in tokens:
        yield token
        yield from _tokens(getattr(token, "arguments", None) or getattr(token, "content", None) or [])


KEYWORDS = {"transparent", "currentcolor", "inherit", "initial", "none"}


def test_book_css_writes_every_colour_as_a_variable():
    literal = []
    for where, declaration in _declarations(BOOK_CSS):
        if declaration.name.startswith("--"):
            continue
        for token in _tokens(declaration.value):
            name = getattr(token, "lower_value", None) if token.type == "ident" else getattr(token, "lower_name", None)
            if token.type == "hash" or token.type in ("ident", "function") and name not in KEYWORDS \
                    and tinycss2.color5.parse_color(token) not in (None, "currentcolor"):
                literal.append(f"{where} {{ {declaration.name}: {tinycss2.serialize(declaration.value)} }}")
    assert literal == []


def test_the_printer_palette_prints_greys_in_black_ink_and_colours_through_the_profile():
    press = palette.press()
    assert press("#1b1b1b") == "device-cmyk(0 0 0 1)"  # the text
    assert press("#ffffff") == "device-cmyk(0 0 0 0)"
    grey = re.fullmatch(r"device-cmyk\(0 0 0 (0\.\d+)\)", press("#808080"))
    assert grey and 0.3 < float(grey.group(1)) < 0.8
    inks = [float(v) for v in re.fullmatch(r"device-cmyk\(([\d. ]+)\)", press("#1f5f8b")).group(1).split()]
    assert inks[0] > 0.7 and inks[2] < inks[0] and inks[3] < 0.3  # a blue: cyan first
    assert palette.screen("#1F5F8B") == "#1f5f8b"
    with pytest.raises(ValueError):
        press("blue")


def test_a_missing_profile_says_what_to_install(tmp_path):
    from atelier.errors import EnvironmentProblem

    with pytest.raises(EnvironmentProblem, match="libgs-common"):
        palette.press(tmp_path / "absent.icc")
