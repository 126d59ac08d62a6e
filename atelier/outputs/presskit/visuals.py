"""Pictures stage: pages of a layout in, images out (the cover at print and web sizes, charts, social cards).

A picture is a page of a WeasyPrint layout, written as PDF and rasterised by
pdfium (``pypdfium2``, already the cover's rasteriser). WeasyPrint 70 cannot
write PNG itself, and a separate SVG renderer (cairosvg, resvg) would draw the
charts with other fonts than the book's shipped ones and another text engine:
going through the same layout engine as the book keeps every picture identical
to what the book prints, with no new dependency.
"""
from __future__ import annotations

import io

from ..layout import Layout

#: The print resolution of the visuals.
PRINT_DPI = 300
#: CSS pixels per inch: a page of 1200 × 630 CSS pixels is 1200 × 630 image pixels at this resolution.
CSS_DPI = 96


def page_images(layout: Layout, dpi: float, pages: list[int] | None = None) -> list:
    """The pages of ``layout`` (all, or the 0-based ``pages``) as RGB images at ``dpi``."""
    import pypdfium2

    document = layout.document
    chosen = document.pages if pages is None else [document.pages[i] for i in pages]
    pdf = pypdfium2.PdfDocument(document.copy(chosen).write_pdf())
    try:
        return [pdf[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(pdf))]
    finally:
        pdf.close()


def pixels(width: float, height: float, dpi: float) -> tuple[int, int]:
    """The size in pixels, at ``dpi``, of a page ``width`` × ``height`` CSS pixels (A4 at 300 dpi: 2480 × 3508)."""
    return round(width * dpi / CSS_DPI), round(height * dpi / CSS_DPI)


def exact(image, size: tuple[int, int]):
    """``image`` at exactly ``size`` pixels (pdfium rounds a page's edge to the nearest pixel)."""
    return image if image.size == size else image.resize(size)


def png(image, dpi: float | None = None) -> bytes:
    """An image as PNG bytes, with its resolution when it has one."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True, **({"dpi": (dpi, dpi)} if dpi else {}))
    return buffer.getvalue()


def jpeg(image, dpi: float | None = None, quality: int = 90) -> bytes:
    """An image as JPEG bytes, with its resolution when it has one."""
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, optimize=True, **({"dpi": (dpi, dpi)} if dpi else {}))
    return buffer.getvalue()
