"""The bookmarks of a PDF, read with pypdf: each title and the 0-based index of its page (used by the PDF tests)."""
from __future__ import annotations

from pypdf import PdfReader


def bookmarks(reader: PdfReader) -> list[tuple[str, int]]:
    """Every bookmark of ``reader``, nested ones included, in order: (title, 0-based page index)."""
    found: list[tuple[str, int]] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((item.title, reader.get_destination_page_number(item)))
    walk(reader.outline)
    return found
