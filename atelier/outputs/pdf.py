"""PDF stage: the screen PDF, written from the one layout of the print HTML.

It is tagged PDF/UA-1 (:data:`SCREEN`): structure tree, language, title shown by
the viewer, metadata and bookmarks from the HTML, links kept, fonts subset.
"""
from __future__ import annotations

from .layout import Layout

#: The screen PDF's variant: tagged, for readers and assistive technologies.
SCREEN = "pdf/ua-1"


def write_pdf(layout: Layout, variant: str | None = SCREEN) -> bytes:
    """The PDF bytes of ``layout`` (``variant`` changes what is written, never the layout)."""
    return layout.document.write_pdf(pdf_variant=variant, uncompressed_pdf=False)
