"""The EPUB: one XHTML document per chapter, part and generated section, named after its anchor.

A link to an anchor of another document is pointed at that document (``axe-etat.xhtml#prop-…``);
Markdown's notes become pop-up notes; the documents are XML. It reads where each printed page
begins (``page-list``) to mark the printed book's pages.
"""
from __future__ import annotations

from . import Edition

#: File names of the EPUB that are not made from an anchor.
COVER_FILE = "couverture.xhtml"
NAV_FILE = "nav.xhtml"

EPUB = Edition("epub", "epub", suffix="xhtml", serialisation="xhtml", across_files=True, notes="pop-up",
               page_map=("page-list",))
