"""The content's images in the printer's inks (atelier/html/inks.py), and a printer's PDF made with them."""
from __future__ import annotations

import base64
import io
import json

import lxml.etree
import pikepdf
from PIL import Image

from atelier import palette
from atelier.html import inks
from pdfcolours import rgb_uses

SVG_NS = "http://www.w3.org/2000/svg"


def marked(hex_colour: str) -> str:
    """A palette that shows what it was given."""
    return f"ink({hex_colour})"


def test_colour_values_go_through_the_palette_and_other_values_stay():
    assert inks.colour_text("#2050A0", marked) == "ink(#2050a0)"
    assert inks.colour_text("red", marked) == "ink(#ff0000)"
    assert inks.colour_text("rgb(0 128 0)", marked) == "ink(#008000)"
    for kept in ("none", "currentColor", "url(#degrade)", "inherit", "device-cmyk(0 0 0 1)"):
        assert inks.colour_text(kept, marked) == kept
    assert inks.colour_text("#ffffff", palette.press()) == "device-cmyk(0 0 0 0)"


def _tree(body: str):
    return lxml.etree.fromstring(f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html>')


def _svg_of(img) -> bytes:
    assert img.get("src").startswith("data:image/svg+xml;base64,")
    return base64.b64decode(img.get("src").split(",", 1)[1])


def test_svg_images_and_inline_svg_are_recoloured_and_gradients_reported(tmp_path):
    (tmp_path / "plan.svg").write_text(
        f'<svg xmlns="{SVG_NS}" width="10" height="10"><style>.a {{ fill: #00ff00; stroke-width: 2 }}</style>'
        '<rect class="a" width="5" height="5"/><rect fill="#ff0000" style="stroke: blue; opacity: .5" '
        'width="5" height="5"/></svg>', encoding="utf-8")
    (tmp_path / "degrade.svg").write_text(
        f'<svg xmlns="{SVG_NS}" width="10" height="10"><linearGradient id="g"><stop stop-color="#fff"/>'
        '</linearGradient><rect fill="url(#g)" width="5" height="5"/></svg>', encoding="utf-8")
    tree = _tree(f'<img src="plan.svg"/><img src="degrade.svg"/><svg xmlns="{SVG_NS}"><circle fill="#000000"/></svg>')
    reports = []
    inks.ink_tree(tree, tmp_path, marked, lambda data: None, lambda *problem: reports.append(problem))
    plan, degrade = tree.iter("{http://www.w3.org/1999/xhtml}img")
    svg = _svg_of(plan).decode()
    assert "fill: ink(#00ff00)" in svg and "stroke-width: 2" in svg
    assert 'fill="ink(#ff0000)"' in svg and "stroke: ink(#0000ff)" in svg and "opacity: .5" in svg
    assert 'stop-color="ink(#ffffff)"' in _svg_of(degrade).decode()
    assert tree.find(f".//{{{SVG_NS}}}circle").get("fill") == "ink(#000000)"
    assert [code for _, _, code, _ in reports] == ["IMAGE-DEGRADE"]


def test_raster_images_become_cmyk_jpegs_and_grey_ones_stay(tmp_path):
    Image.new("RGB", (8, 8), (200, 40, 40)).save(tmp_path / "photo.png")
    Image.new("RGBA", (8, 8), (20, 40, 200, 128)).save(tmp_path / "logo.png")
    Image.new("L", (8, 8), 90).save(tmp_path / "gris.png")
    tree = _tree('<img src="photo.png"/><img src="logo.png"/><img src="gris.png"/>')
    reports = []
    inks.ink_tree(tree, tmp_path, palette.press(), palette.cmyk_jpeg, lambda *problem: reports.append(problem))
    photo, logo, grey = tree.iter("{http://www.w3.org/1999/xhtml}img")
    for img in (photo, logo):
        assert img.get("src").startswith("data:image/jpeg;base64,")
        with Image.open(io.BytesIO(base64.b64decode(img.get("src").split(",", 1)[1]))) as image:
            assert image.mode == "CMYK"
            cyan, magenta, yellow, black = image.getpixel((4, 4))
    assert cyan > magenta  # the logo is blue
    assert grey.get("src") == "gris.png"
    assert [code for _, _, code, _ in reports] == ["IMAGE-TRANSPARENTE"]


def test_colours_of_style_attributes_go_through_the_palette(tmp_path):
    tree = _tree('<p style="color: #c03020; margin: 0 auto">Mot</p><p style="border: 1px solid red">x</p>')
    inks.ink_tree(tree, tmp_path, marked, lambda data: None, lambda *problem: None)
    first, second = tree.iter("{http://www.w3.org/1999/xhtml}p")
    assert first.get("style").rstrip(";") == "color: ink(#c03020); margin: 0 auto"
    assert second.get("style").rstrip(";") == "border: 1px solid ink(#ff0000)"


def test_a_printer_pdf_with_images_paints_no_rgb_and_the_screen_pdf_keeps_them(content, run, tmp_path):
    images = content / "images"
    Image.new("RGB", (40, 20), (30, 120, 200)).save(images / "photo.png")
    (images / "plan.svg").write_text(
        f'<svg xmlns="{SVG_NS}" width="40" height="20"><rect width="40" height="20" fill="#c03020" '
        'stroke="darkgreen"/></svg>', encoding="utf-8")
    chapter = content / "chapters" / "intro.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n![Une photo](images/photo.png)\n\n"
                       "![Un plan](images/plan.svg)\n\nUn mot en rouge.\n{: style=\"color: #c03020\" }\n\n"
                       "Une note[^n].\n\n[^n]: La note, sous un filet.\n", encoding="utf-8")
    out = tmp_path / "out"
    status, _, err = run("pdf", "print", "--content", str(content), "--out", str(out), "--strict")
    assert status == 0, err
    kinds = {e["kind"]: e["path"] for e in json.loads((out / "manifest.json").read_text())["artifacts"]}
    with pikepdf.open(out / kinds["print"]) as printer, pikepdf.open(out / kinds["pdf"]) as screen:
        assert rgb_uses(printer) == []
        images_in_print = [x for page in printer.pages for x in (page.obj.Resources.get("/XObject") or {}).values()
                           if x.get("/Subtype") == "/Image"]
        assert images_in_print and all(str(x.ColorSpace) == "/DeviceCMYK" for x in images_in_print)
        assert any("image" in use for use in rgb_uses(screen))  # the screen PDF shows the file as it is
