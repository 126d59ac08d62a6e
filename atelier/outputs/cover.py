"""Cover image: the first page of the one layout, as a JPEG (for the EPUB and, later, the press kit)."""
from __future__ import annotations

import io

from .layout import Layout

#: Wide enough for every e-reader's cover view and for a press visual.
COVER_WIDTH_PX = 1600


def cover_image(layout: Layout, width_px: int = COVER_WIDTH_PX) -> bytes:
    """Page 1 of ``layout`` rasterised to a JPEG ``width_px`` wide."""
    import pypdfium2

    first_page = layout.document.copy([layout.document.pages[0]]).write_pdf()
    pdf = pypdfium2.PdfDocument(first_page)
    try:
        page = pdf[0]
        image = page.render(scale=width_px / page.get_width()).to_pil().convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=90, optimize=True)
        return buffer.getvalue()
    finally:
        pdf.close()
