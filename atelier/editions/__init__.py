"""Editions: what each edition of the book is, declared once, for every stage that asks.

An edition (the printed book, the EPUB, the web site, the press kit's printed documents and its
page) says how its documents are named, how a link reaches an anchor in another of its documents,
how a document is written out, which elements its own templates may add to the allow-lists, which
template family renders it, and what it needs from the book's page map. The HTML stage
(:mod:`atelier.html.dom`) and the renderers (:mod:`atelier.html.renderers`) read these
declarations; none of them tests an edition's name, so adding an edition adds a module here, a
renderer for a new template family and a target in ``build.py``, not branches.

Nothing here imports the HTML stage or an output: the arrows go source → editions → html → outputs.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Mapping


@dataclass(frozen=True)
class Edition:
    """What the HTML stage and the renderers need to know of one edition."""

    name: str
    family: str                       # its templates' folder (templates/<family>/) and its renderer
    suffix: str = "html"              # the file suffix of its documents and of its family's templates
    serialisation: str = "html"       # "html" (for WeasyPrint and browsers) or "xhtml" (XML, for the EPUB)
    across_files: bool = False        # several documents: "#id" is pointed at the document that holds id
    page_links: bool = False          # a link to the anchor a whole document is about names the document alone
    notes: str = ""                   # "page-foot", "pop-up", or "" (Markdown's list after the text)
    page_references: bool = False     # its links print their target's page, written in by a layout
    last_words: bool = False          # a paragraph's short last word is kept with the one before
    printed: bool = False             # printed in CMYK: images the printer's inks cannot render are reported
    laid_out: bool = True             # laid out by WeasyPrint: a style it would ignore is reported
    numbered_blocks: bool = False     # its blocks are numbered (data-b) for the layout's amendments
    whole_outline: bool = False       # each document's headings step down one level at a time (a page per part)
    page_map: tuple[str, ...] = ()    # the targets of the book's layout it reads ("pages", "page-list")
    #: Elements (and attributes) its own templates may write beyond the allow-lists; the content may not.
    allowed: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def file(self, stem: str) -> str:
        """The name of the document whose stem (a section's anchor, or the book's slug) is ``stem``."""
        return f"{stem}.{self.suffix}"

    def template(self, name: str) -> str:
        """The path of one of its family's templates, e.g. ``template("sections/summary")``."""
        return f"{self.family}/{name}.{self.suffix}"

    def href(self, here: str, there: str, anchor: str) -> str:
        """The link, written in document ``here``, to ``anchor`` held by document ``there``."""
        path = relative(there, here)
        if self.page_links and self.file_of(anchor) == there:
            return path
        return f"{path}#{anchor}"

    def file_of(self, anchor: str) -> str:
        """The document a section's anchor names (the same as :meth:`file` unless an edition says otherwise)."""
        return self.file(anchor)


def relative(path: str, here: str) -> str:
    """``path`` (from the edition's root folder) as written in the document ``here``."""
    folder = posixpath.dirname(here)
    return posixpath.relpath(path, folder) if folder else path


def seen_from(paths: frozenset[str], here: str) -> frozenset[str]:
    """Each of ``paths`` as written in the document ``here``."""
    return _seen_from_folder(frozenset(paths), posixpath.dirname(here))


@lru_cache(maxsize=64)
def _seen_from_folder(paths: frozenset[str], folder: str) -> frozenset[str]:
    # Worked out once per folder: a site has a few folders and many documents in each.
    return frozenset(posixpath.relpath(path, folder) for path in paths) if folder else paths
