"""Inks: what the printer's PDF cannot print as the content gives it, said where it is written.

The printer's PDF is drawn from the same layout as the screen PDF, its colours put in CMYK at
draw time (:mod:`atelier.pages.press`): every colour WeasyPrint sets, in the text, the stylesheets
and the SVG images, goes through the palette, and every colour raster image is converted through
the output profile. Two things cannot be put right that way, and the HTML stage of the print
edition reports them (warnings):

- a gradient in an SVG image: WeasyPrint writes its stops in RGB into the shading, whatever the
  inks (``IMAGE-DEGRADE``: use flat colours);
- a transparent raster image: converted to CMYK, it is set on white, the paper
  (``IMAGE-TRANSPARENTE``).
"""
from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import unquote_to_bytes

import lxml.etree

from .safety import SVG

#: Where a problem is reported: (element, needle, code, message).
Report = Callable[[object, str, str, str], None]

_SVG_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_GRADIENTS = ("linearGradient", "radialGradient")


def check_inks(tree, content: Path, report: Report) -> None:
    """Report each image of ``tree`` (a finished print document) that the printer's inks cannot
    reproduce faithfully."""
    for element in list(tree.iter()):
        if not isinstance(element.tag, str):
            continue
        qname = lxml.etree.QName(element)
        if qname.namespace == SVG and qname.localname == "svg" and not _in_svg(element):
            _gradients(element, report, element)
        if qname.localname == "img" and element.get("src"):
            src = element.get("src")
            try:
                data = _image_bytes(src, content)
                if data is None:
                    continue
                if _is_svg(src, data):
                    _gradients(lxml.etree.fromstring(data, _SVG_PARSER), report, element)
                elif _transparent(data):
                    report(element, src[:40], "IMAGE-TRANSPARENTE",
                           "cette image a de la transparence ; pour l'imprimeur, elle est posée sur du blanc.")
            except Exception:  # noqa: BLE001  (an image that cannot be read was refused by the safety check)
                continue


def _gradients(root, report: Report, where) -> None:
    if any(isinstance(node.tag, str) and lxml.etree.QName(node).localname in _GRADIENTS for node in root.iter()):
        report(where, "Gradient", "IMAGE-DEGRADE",
               "cette image SVG a un dégradé, que WeasyPrint ne sait pas écrire en CMJN : le PDF imprimeur "
               "le contiendra en couleurs fausses ; remplacez-le par des aplats.")


def _in_svg(element) -> bool:
    return any(lxml.etree.QName(a).namespace == SVG for a in element.iterancestors() if isinstance(a.tag, str))


def _image_bytes(src: str, content: Path) -> Optional[bytes]:
    if src.startswith("data:"):
        header, _, payload = src.partition(",")
        return base64.b64decode(payload) if header.endswith(";base64") else unquote_to_bytes(payload)
    path = content / src
    return path.read_bytes() if path.is_file() else None


def _transparent(data: bytes) -> bool:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        if image.mode in ("1", "L", "LA", "I", "I;16", "F"):
            return False  # a grey image stays grey (black ink): it is not converted
        return "A" in image.getbands() or "transparency" in image.info


def _is_svg(src: str, data: bytes) -> bool:
    return src.lower().startswith("data:image/svg") or src.lower().endswith(".svg")
