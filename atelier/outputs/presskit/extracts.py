"""Extracts stage: the book's layout in, one actor's proposals out, on the book's own pages.

An extract is not laid out again: its pages are the book's pages that hold
the actor's proposals, copied from the one layout (so every page number, every
line break and every folio is the book's), with whatever else those pages
hold (the proposals of other actors, the part's introduction) left out. Only
its cover, a page of its own, comes from a separate small render.
"""
from __future__ import annotations

import copy

from ...anchors import proposal as proposal_anchor
from ..layout import Layout


def owners(layout: Layout) -> dict:
    """Every HTML element of the book that belongs to a proposal, mapped to that proposal's anchor."""
    root = layout.document.pages[0]._page_box.children[0].element  # the <html> element
    owned = {}
    for element in root.iter():
        anchor = element.get("id") or ""
        if "proposal" in (element.get("class") or "").split() and anchor:
            for inner in element.iter():
                owned[inner] = anchor
    return owned


def pages_of(layout: Layout, anchors: set[str], owned: dict) -> list[int]:
    """The 0-based numbers of the pages that print any part of the proposals ``anchors``."""
    return [index for index, page in enumerate(layout.document.pages)
            if _holds(page._page_box, anchors, owned)]


def covers(layout: Layout, anchors: list[str]) -> list[list]:
    """The pages of each extract's cover in the covers' layout (a long list of proposals may take two)."""
    starts = [layout.page_of(anchor) - 1 for anchor in anchors]
    ends = starts[1:] + [len(layout.document.pages)]
    return [layout.document.pages[start:end] for start, end in zip(starts, ends)]


def extract_pdf(layout: Layout, cover: list, proposal_ids: list[str], owned: dict,
                title: str = "") -> tuple[bytes, list[int]]:
    """The PDF of an extract: ``cover`` (WeasyPrint pages), then the book's pages of ``proposal_ids``,
    each holding only those proposals; and the book's page numbers it kept (1-based)."""
    from weasyprint.document import Page

    anchors = {proposal_anchor(i) for i in proposal_ids}
    kept = pages_of(layout, anchors, owned)
    pages = [Page(_pruned_page(layout.document.pages[index]._page_box, anchors, owned)) for index in kept]
    present = {anchor for page in pages for anchor in page.anchors}
    for page in pages:
        # A citation of a proposal that is not in the extract would point nowhere: it stays as text.
        page.links = [link for link in page.links if link[0] != "internal" or link[1] in present]
    pages = list(cover) + pages
    for page in pages:
        _forget_annotations(page._page_box)
    document = layout.document.copy(pages)
    if title:  # the title a reader's window shows is the extract's, not the book's (the book's stays as it is)
        document.metadata = copy.copy(document.metadata)
        document.metadata.title = title
    return document.write_pdf(pdf_variant="pdf/ua-1"), [i + 1 for i in kept]


def _forget_annotations(box) -> None:
    """Take off the link annotation an earlier PDF left on a box (WeasyPrint 70 keeps it there).

    WeasyPrint gives each linked box of the PDF it writes a ``link_annotation``, and its tags read
    it back; a link the extract leaves out would otherwise carry the book's annotation, an object
    of another file, into the extract's structure tree, and the extract's bytes would depend on
    whether the book's PDF was written first.
    """
    if "link_annotation" in vars(box):
        del box.link_annotation
    for child in getattr(box, "children", ()):
        _forget_annotations(child)


def _holds(box, anchors: set[str], owned: dict) -> bool:
    element = getattr(box, "element", None)
    if element is not None and owned.get(element) in anchors:
        return True
    return any(_holds(child, anchors, owned) for child in getattr(box, "children", ()))


def _pruned_page(page_box, anchors: set[str], owned: dict):
    """A copy of ``page_box`` without the flow content that belongs to no proposal of ``anchors``.

    Margin boxes (running heads, folios) are kept as they are: they are the book's.
    """
    children = []
    for child in page_box.children:
        kept = child if type(child).__name__ == "MarginBox" else _pruned(child, anchors, owned)
        if kept is not None:
            children.append(kept)
    return _with_children(page_box, children)


def _pruned(box, anchors: set[str], owned: dict):
    element = getattr(box, "element", None)
    owner = owned.get(element) if element is not None else None
    if owner is not None:
        return box if owner in anchors else None
    children = getattr(box, "children", None)
    if not children:
        return None
    kept = [c for c in (_pruned(child, anchors, owned) for child in children) if c is not None]
    return _with_children(box, kept) if kept else None


def _with_children(box, children: list):
    """A shallow copy of ``box`` with ``children``; the book's own boxes are never changed.

    (WeasyPrint's ``copy_with_children`` resets a field of the box it copies, which
    would change how the book itself draws a proposal split across two pages.)
    """
    new = box.copy()
    new.children = children
    return new
