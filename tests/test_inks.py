"""The content's images in the printer's inks: what the HTML stage reports (atelier/html/inks.py), and a
printer's PDF drawn with them (atelier/pages/press.py)."""
from __future__ import annotations

import io
import json

import lxml.etree
import pikepdf
from PIL import Image

from atelier.html import inks
from pdfcolours import rgb_uses

SVG_NS = "http://www.w3.org/2000/svg"


def _tree(body: str):
    return lxml.etree.fromstring(f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html>')


def test_what_the_printer_inks_cannot_render_is_reported(tmp_path):
    """A gradient (an SVG file, an inline SVG) and a transparent colour image are reported; a flat
    SVG, an opaque photo and a transparent grey image are not."""
    (tmp_path / "plan.svg").write_text(f'<svg xmlns="{SVG_NS}" width="10" height="10"><rect fill="#ff0000" '
                                       'width="5" height="5"/></svg>', encoding="utf-8")
    (tmp_path / "degrade.svg").write_text(
        f'<svg xmlns="{SVG_NS}" width="10" height="10"><linearGradient id="g"><stop stop-color="#fff"/>'
        '</linearGradient><rect fill="url(#g)" width="5" height="5"/></svg>', encoding="utf-8")
    Image.new("RGB", (8, 8), (200, 40, 40)).save(tmp_path / "photo.png")
    Image.new("RGBA", (8, 8), (20, 40, 200, 128)).save(tmp_path / "logo.png")
    Image.new("LA", (8, 8), (90, 128)).save(tmp_path / "gris.png")
    tree = _tree('<img src="plan.svg"/><img src="degrade.svg"/><img src="photo.png"/><img src="logo.png"/>'
                 f'<img src="gris.png"/><svg xmlns="{SVG_NS}"><radialGradient id="r"/><circle fill="url(#r)"/></svg>')
    reports = []
    inks.check_inks(tree, tmp_path, lambda *problem: reports.append(problem))
    assert [(element.get("src"), code) for element, _, code, _ in reports] == [
        ("degrade.svg", "IMAGE-DEGRADE"), ("logo.png", "IMAGE-TRANSPARENTE"), (None, "IMAGE-DEGRADE")]


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
        # The photo, converted through the profile: a blue prints mostly cyan.
        photo = next(x for x in images_in_print if int(x.Width) == 40)
        with Image.open(io.BytesIO(photo.read_raw_bytes())) as image:
            cyan, magenta, yellow, _ = image.convert("CMYK").getpixel((20, 10))
        assert cyan > magenta > yellow
