"""Inks: the content's images (and ``style`` attributes) in the printer's colours.

The templates and stylesheets take their colours from the palette; the
pictures an editor adds to the content bring their own, usually RGB, and so
does a ``style="color: …"`` attribute. For the printer's edition, the HTML
stage passes each one through here, once it has been checked:

- a colour in a ``style`` attribute of the text goes through the palette;

- an SVG image (a file, a ``data:`` image or an inline ``<svg>``): every colour
  of its ``fill``, ``stroke``, ``stop-color``, ``flood-color``,
  ``lighting-color`` and ``color``, as attributes, in ``style`` attributes and in
  its ``<style>`` sheets, goes through the palette; a file or ``data:`` image is
  then given to WeasyPrint as a ``data:`` SVG;
- a raster image: converted to CMYK through the output profile (littleCMS,
  from the image's own ICC profile, else sRGB), written as a JPEG, the one
  CMYK format WeasyPrint embeds as it is; a grey image stays grey (black ink).

A gradient cannot be printed in CMYK by WeasyPrint (it writes three
components into a four-ink shading): an SVG gradient is reported
(``IMAGE-DEGRADE``), as is a transparent raster image, which is flattened on
white (``IMAGE-TRANSPARENTE``).
"""
from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import unquote_to_bytes

import lxml.etree
import tinycss2
import tinycss2.color5

from ..palette import Palette
from .safety import SVG

#: The SVG properties that take a colour (as attributes or in styles).
COLOUR_PROPERTIES = frozenset({"fill", "stroke", "stop-color", "flood-color", "lighting-color", "color"})
#: CSS properties whose value may hold a colour (``style`` attributes of the text, SVG styles).
COLOUR_PREFIXES = ("background", "border", "outline", "text-decoration", "box-shadow", "text-shadow",
                   "column-rule", "caret")
#: Colour words that are not colours to convert.
KEEP = frozenset({"none", "currentcolor", "inherit", "transparent", "initial", "unset", "context-fill",
                  "context-stroke"})

#: Where a problem is reported: (element, needle, code, message).
Report = Callable[[object, str, str, str], None]


def ink_tree(tree, content: Path, colour: Palette, raster: Callable[[bytes], Optional[bytes]],
             report: Report) -> None:
    """Put every image of ``tree`` (a finished print document) in the printer's inks.

    ``raster`` converts one raster image file's bytes to CMYK JPEG bytes
    (None when it is grey and may stay as it is).
    """
    for element in list(tree.iter()):
        if not isinstance(element.tag, str):
            continue
        qname = lxml.etree.QName(element)
        if qname.namespace == SVG and qname.localname == "svg" and not _in_svg(element):
            _recolour(element, colour, report)
        elif qname.namespace != SVG and element.get("style"):
            element.set("style", _declarations(element.get("style"), colour))
        if qname.localname == "img" and element.get("src"):
            src = element.get("src")
            data = _image_bytes(src, content)
            if data is None:
                continue
            if _is_svg(src, data):
                root = lxml.etree.fromstring(data, _SVG_PARSER)
                _recolour(root, colour, report, where=element)
                element.set("src", _data_uri("image/svg+xml", lxml.etree.tostring(root, encoding="utf-8")))
            else:
                converted = raster(data)
                if converted is None:
                    continue
                if _transparent(data):
                    report(element, src[:40], "IMAGE-TRANSPARENTE",
                           "cette image a de la transparence ; pour l'imprimeur, elle est posée sur du blanc.")
                element.set("src", _data_uri("image/jpeg", converted))


def colour_text(value: str, colour: Palette) -> str:
    """A colour value (``#abc``, ``red``, ``rgb(…)``…) in the palette's words; other values unchanged."""
    tokens = tinycss2.parse_component_value_list(value)
    return tinycss2.serialize(_map_tokens(tokens, colour)).strip() if tokens else value


_SVG_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _recolour(root, colour: Palette, report: Report, where=None) -> None:
    gradients = False
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        local = lxml.etree.QName(node).localname
        gradients = gradients or local in ("linearGradient", "radialGradient")
        for name in COLOUR_PROPERTIES & set(node.attrib):
            node.set(name, colour_text(node.get(name), colour))
        if node.get("style"):
            node.set("style", _declarations(node.get("style"), colour))
        if local == "style" and node.text:
            node.text = _stylesheet(node.text, colour)
    if gradients:
        report(where if where is not None else root, "Gradient", "IMAGE-DEGRADE",
               "cette image SVG a un dégradé, que WeasyPrint ne sait pas écrire en CMJN : le PDF imprimeur "
               "le contiendra en couleurs fausses ; remplacez-le par des aplats.")


def _map_tokens(tokens, colour: Palette):
    mapped = []
    for token in tokens:
        name = getattr(token, "lower_value", None) if token.type == "ident" else getattr(token, "lower_name", None)
        if token.type in ("hash", "ident", "function") and name not in KEEP and name != "device-cmyk":
            parsed = tinycss2.color5.parse_color(token)
            if parsed is not None and not isinstance(parsed, str):  # a colour (a string is currentcolor)
                mapped.extend(tinycss2.parse_component_value_list(_convert(parsed, colour)))
                continue
        if token.type == "function" and name not in ("url",):
            token.arguments = _map_tokens(token.arguments, colour)
        mapped.append(token)
    return mapped


def _convert(parsed, colour: Palette) -> str:
    red, green, blue = (min(255, max(0, round(c * 255))) for c in parsed.to("srgb").coordinates)
    text = colour(f"#{red:02x}{green:02x}{blue:02x}")
    if parsed.alpha < 1:
        text = re.sub(r"\)$", f" / {parsed.alpha:g})", text) if text.endswith(")") else text
    return text


def _declarations(text: str, colour: Palette) -> str:
    nodes = [node for node in tinycss2.parse_declaration_list(text) if node.type != "error"]
    for node in nodes:
        if node.type == "declaration" and (node.lower_name in COLOUR_PROPERTIES or "color" in node.lower_name
                                           or node.lower_name.startswith(COLOUR_PREFIXES)):
            node.value = _map_tokens(node.value, colour)
    return tinycss2.serialize(nodes)


def _stylesheet(text: str, colour: Palette) -> str:
    rules = tinycss2.parse_stylesheet(text)
    for rule in rules:
        if rule.type == "qualified-rule":
            rule.content = tinycss2.parse_component_value_list(_declarations(tinycss2.serialize(rule.content),
                                                                             colour))
    return tinycss2.serialize(rules)


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
        return "A" in image.getbands() or "transparency" in image.info


def _is_svg(src: str, data: bytes) -> bool:
    return src.lower().startswith("data:image/svg") or src.lower().endswith(".svg")


def _data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
