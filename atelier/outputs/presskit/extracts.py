"""Extracts stage: the book's layout in, one actor's proposals out, on the book's own pages.

An extract is not laid out again: its pages are the book's pages that hold
the actor's proposals, copied from the one layout (so every page number, every
line break and every folio is the book's), with whatever else those pages
hold (the proposals of other actors, the part's introduction) left out by the
page model (:func:`atelier.pages.pruned_page`). Only its cover, a page of its
own, comes from a separate small render.
"""
from __future__ import annotations

import copy

from ... import pages as page_model
from ...anchors import proposal as proposal_anchor
from ..layout import Layout


def owners(layout: Layout) -> dict:
    """Every HTML element of the book that belongs to a proposal, mapped to that proposal's anchor."""
    return page_model.proposal_owners(layout.reading)


def pages_of(layout: Layout, anchors: set[str]) -> list[int]:
    """The 0-based numbers of the pages that print any part of the proposals ``anchors``."""
    return [page.number - 1 for page in layout.model if anchors & set(page.proposals)]


def covers(layout: Layout, anchors: list[str]) -> list[list]:
    """The pages of each extract's cover in the covers' layout (a long list of proposals may take two)."""
    starts = [layout.page_of(anchor) - 1 for anchor in anchors]
    ends = starts[1:] + [len(layout.document.pages)]
    return [layout.document.pages[start:end] for start, end in zip(starts, ends)]


def extract_pdf(layout: Layout, cover: list, proposal_ids: list[str], owned: dict,
                title: str = "") -> tuple[bytes, list[int]]:
    """The PDF of an extract: ``cover`` (WeasyPrint pages), then the book's pages of ``proposal_ids``,
    each holding only those proposals; and the book's page numbers it kept (1-based)."""
    anchors = {proposal_anchor(i) for i in proposal_ids}
    kept = pages_of(layout, anchors)
    pages = [page_model.pruned_page(layout.reading, index + 1, anchors, owned) for index in kept]
    present = {anchor for page in pages for anchor in page.anchors}
    for page in pages:
        # A citation of a proposal that is not in the extract would point nowhere: it stays as text.
        page.links = [link for link in page.links if link[0] != "internal" or link[1] in present]
    pages = list(cover) + pages
    for page in pages:
        page_model.forget_annotations(page)
    document = layout.document.copy(pages)
    if title:  # the title a reader's window shows is the extract's, not the book's (the book's stays as it is)
        document.metadata = copy.copy(document.metadata)
        document.metadata.title = title
    return document.write_pdf(pdf_variant="pdf/ua-1"), [i + 1 for i in kept]
