"""Pictures stage: pages of a layout in, images out (the cover at print and web sizes, charts, social cards).

A picture is a page of a WeasyPrint layout, written as PDF and rasterised by
pdfium (``pypdfium2``, already the cover's rasteriser). WeasyPrint 70 cannot
write PNG itself, and a separate SVG renderer (cairosvg, resvg) would draw the
charts with other fonts than the book's shipped ones and another text engine:
going through the same layout engine as the book keeps every picture identical
to what the book prints, with no new dependency.

Every PNG and JPEG carries what a picture desk reads in its metadata: an XMP
packet with the IPTC Photo Metadata fields (title, caption, creator, credit line,
copyright notice, usage terms, and the working-edition notice as special
instructions), and an embedded sRGB ICC profile, so that its colours mean the
same in every program. Pillow writes both (an iTXt chunk in a PNG, an APP1 and
APP2 segment in a JPEG); the XMP is built with lxml, and the profile is the ICC's
own sRGB2014, the one WeasyPrint ships for its PDF/A output.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

import lxml.etree

from ..layout import Layout

#: The print resolution of the visuals.
PRINT_DPI = 300
#: CSS pixels per inch: a page of 1200 × 630 CSS pixels is 1200 × 630 image pixels at this resolution.
CSS_DPI = 96


def page_images(layout: Layout, dpi: float, pages: list[int] | None = None) -> Iterator:
    """The pages of ``layout`` (all, or the 0-based ``pages``) as RGB images at ``dpi``, one at a time.

    Drawn as they are read: a caller that encodes each before taking the next holds one picture, not
    all of them (the site's 75 cards at 1200 × 630 are 170 MB side by side; ten times the content, 1.7 GB).
    """
    import pypdfium2

    document = layout.document
    chosen = document.pages if pages is None else [document.pages[i] for i in pages]
    pdf = pypdfium2.PdfDocument(document.copy(chosen).write_pdf())
    try:
        for index in range(len(pdf)):
            yield pdf[index].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        pdf.close()


def pixels(width: float, height: float, dpi: float) -> tuple[int, int]:
    """The size in pixels, at ``dpi``, of a page ``width`` × ``height`` CSS pixels (A4 at 300 dpi: 2480 × 3508)."""
    return round(width * dpi / CSS_DPI), round(height * dpi / CSS_DPI)


def exact(image, size: tuple[int, int]):
    """``image`` at exactly ``size`` pixels (pdfium rounds a page's edge to the nearest pixel)."""
    return image if image.size == size else image.resize(size)


@dataclass(frozen=True)
class Metadata:
    """What a picture says about itself (IPTC Photo Metadata, written as XMP)."""

    title: str          # dc:title (IPTC Title)
    caption: str        # dc:description (IPTC Description/Caption)
    creator: str        # dc:creator (IPTC Creator)
    credit: str         # photoshop:Credit (IPTC Credit Line)
    rights: str         # dc:rights (IPTC Copyright Notice)
    terms: str          # xmpRights:UsageTerms (IPTC Rights Usage Terms)
    notice: str         # photoshop:Instructions (IPTC Instructions): the working-edition notice
    language: str = "fr"


NAMESPACES = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
}


def xmp(meta: Metadata) -> bytes:
    """The XMP packet of ``meta`` (UTF-8, no padding: the picture is never edited in place)."""
    def q(name: str) -> str:
        prefix, local = name.split(":")
        return f"{{{NAMESPACES[prefix]}}}{local}"

    root = lxml.etree.Element(q("x:xmpmeta"), nsmap=NAMESPACES)
    rdf = lxml.etree.SubElement(root, q("rdf:RDF"))
    about = lxml.etree.SubElement(rdf, q("rdf:Description"), {q("rdf:about"): ""})

    def alternative(name: str, text: str) -> None:
        item = lxml.etree.SubElement(lxml.etree.SubElement(lxml.etree.SubElement(about, q(name)), q("rdf:Alt")),
                                     q("rdf:li"), {"{http://www.w3.org/XML/1998/namespace}lang": "x-default"})
        item.text = text

    alternative("dc:title", meta.title)
    alternative("dc:description", meta.caption)
    creator = lxml.etree.SubElement(lxml.etree.SubElement(about, q("dc:creator")), q("rdf:Seq"))
    lxml.etree.SubElement(creator, q("rdf:li")).text = meta.creator
    alternative("dc:rights", meta.rights)
    alternative("xmpRights:UsageTerms", meta.terms)
    lxml.etree.SubElement(about, q("xmpRights:Marked")).text = "True"
    lxml.etree.SubElement(about, q("photoshop:Credit")).text = meta.credit
    lxml.etree.SubElement(about, q("photoshop:Instructions")).text = meta.notice
    language = lxml.etree.SubElement(lxml.etree.SubElement(about, q("dc:language")), q("rdf:Bag"))
    lxml.etree.SubElement(language, q("rdf:li")).text = meta.language
    body = lxml.etree.tostring(root, encoding="utf-8")
    return b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>' + body + b'<?xpacket end="r"?>'


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """The ICC's sRGB profile (sRGB2014), as WeasyPrint ships it."""
    from importlib.resources import files

    return (files("weasyprint") / "pdf" / "sRGB2014.icc").read_bytes()


def png(image, dpi: float | None = None, meta: Metadata | None = None) -> bytes:
    """An image as PNG bytes: its resolution when it has one, the sRGB profile, and ``meta`` as XMP.

    Compressed at zlib's default level, as the PDFs are (:mod:`atelier.outputs.pdfwriter`): Pillow's
    ``optimize`` (level 9) took three and a half times as long on the site's share cards for files
    2.5 % smaller."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    if meta is not None:
        info.add_itxt("XML:com.adobe.xmp", xmp(meta).decode("utf-8"), zip=False)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6, pnginfo=info, icc_profile=srgb_profile(),
               **({"dpi": (dpi, dpi)} if dpi else {}))
    return buffer.getvalue()


def jpeg(image, dpi: float | None = None, quality: int = 90, meta: Metadata | None = None) -> bytes:
    """An image as JPEG bytes: its resolution when it has one, the sRGB profile, and ``meta`` as XMP."""
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True, icc_profile=srgb_profile(),
               **({"dpi": (dpi, dpi)} if dpi else {}), **({"xmp": xmp(meta)} if meta is not None else {}))
    return buffer.getvalue()
