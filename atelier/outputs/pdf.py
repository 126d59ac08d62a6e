"""PDF stage: the two PDFs, each written from a layout of its own HTML.

- The screen PDF (:func:`write_pdf`, variant :data:`SCREEN`): tagged PDF/UA-1,
  language, metadata and bookmarks from the HTML, links kept, fonts subset.
- The printer's PDF (:func:`write_press_pdf`, variant :data:`PRESS`): PDF/X-4
  from the printer's layout (CMYK colours, bleed, crop marks, output intent from
  the layout's ``device-cmyk`` profile), without link annotations, which
  PDF/X does not allow on the page and a press has no use for.
"""
from __future__ import annotations

import copy
import re

from .layout import Layout

#: The screen PDF's variant: tagged, for readers and assistive technologies.
SCREEN = "pdf/ua-1"
#: The printer's PDF's variant.
PRESS = "pdf/x-4"


def write_pdf(layout: Layout, variant: str | None = SCREEN) -> bytes:
    """The PDF bytes of ``layout`` (``variant`` changes what is written, never the layout)."""
    return layout.document.write_pdf(pdf_variant=variant, uncompressed_pdf=False)


def write_press_pdf(layout: Layout, identifier: str) -> bytes:
    """The printer's PDF of ``layout``: PDF/X-4, the same pages, no link annotations.

    PDF/X wants a modification date and a document ID in its metadata, which
    WeasyPrint takes from the clock and a random UUID; here they are the
    edition's date and ``identifier`` (the book's ``urn:uuid:…``), so that the same
    content gives the same file, byte for byte.
    """
    pages = [copy.copy(page) for page in layout.document.pages]  # the layout's own pages keep theirs
    for page in pages:
        page.links = []
    document = layout.document.copy(pages)
    document.metadata = copy.copy(document.metadata)
    document.metadata.modified = document.metadata.modified or document.metadata.created
    stable_id = b"xmp.did:" + identifier.removeprefix("urn:uuid:").encode("ascii")

    def stable_document_id(_, pdf) -> None:
        metadata = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
        metadata.stream = [re.sub(rb"xmp\.did:[0-9a-f-]+", stable_id, part) for part in metadata.stream]

    return document.write_pdf(pdf_variant=PRESS, uncompressed_pdf=False, finisher=stable_document_id)
