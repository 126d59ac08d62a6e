"""PDF stage: the screen PDF, written from the one layout of the print HTML."""
from __future__ import annotations

from .layout import Layout


def write_pdf(layout: Layout, variant: str | None = None) -> bytes:
    """The PDF bytes of ``layout`` (``variant`` such as "pdf/ua-1" changes options, not the layout)."""
    return layout.document.write_pdf(pdf_variant=variant, uncompressed_pdf=False)
