"""Extracts stage: the book's layout in, one actor's (or one part's) proposals out, on the book's own pages.

An extract is not laid out again: its pages are the book's pages that hold
its proposals, copied from the one layout (so every page number, every line
break and every folio is the book's), with whatever else those pages hold (the
proposals of other actors, the part's introduction) left out by the page model
(:func:`atelier.pages.pruned_page`). Each of those pages also carries the
working-edition notice in its foot, under the folio: a margin box laid out once
on an empty page of the book's geometry (``templates/presskit/foot.html``) and
drawn on every page (:func:`atelier.pages.with_margin_boxes`). Only its cover
(and, for a long extract, a one-page table of its proposals) comes from a
separate small render. Its page labels (``/PageLabels``) are the book's folios,
so a reader's viewer shows « 21 » where the page prints 21.
"""
from __future__ import annotations

import copy

from ... import pages as page_model
from ...anchors import proposal as proposal_anchor
from ..layout import Layout
from ..pdf import tagged

#: The margin box of the foot page that carries the notice.
FOOT_BOX = "@bottom-center"


def owners(layout: Layout) -> dict:
    """Every HTML element of the book that belongs to a proposal, mapped to that proposal's anchor."""
    return page_model.proposal_owners(layout.reading)


def pages_of(layout: Layout, anchors: set[str]) -> list[int]:
    """The 0-based numbers of the pages that print any part of the proposals ``anchors``."""
    return [page.number - 1 for page in layout.model if anchors & set(page.proposals)]


def covers(layout: Layout, anchors: list[str]) -> list[list]:
    """The pages of each extract's cover in the covers' layout (a long extract's table of proposals follows it)."""
    starts = [layout.page_of(anchor) - 1 for anchor in anchors]
    ends = starts[1:] + [len(layout.document.pages)]
    return [layout.document.pages[start:end] for start, end in zip(starts, ends)]


def extract_pdf(layout: Layout, cover: list, proposal_ids: list[str], owned: dict, title: str = "",
                foot=None, cover_labels: tuple[str, ...] = ()) -> tuple[bytes, list[int]]:
    """The PDF of an extract: ``cover`` (WeasyPrint pages), then the book's pages of ``proposal_ids``,
    each holding only those proposals, with the foot of ``foot`` (a page of the foot's layout) under
    the folio; and the book's page numbers it kept (1-based). ``cover_labels`` name the cover's pages
    in a viewer (« Couverture », « Sommaire »)."""
    anchors = {proposal_anchor(i) for i in proposal_ids}
    kept = pages_of(layout, anchors)
    pages = [page_model.pruned_page(layout.reading, index + 1, anchors, owned) for index in kept]
    if foot is not None:
        pages = [page_model.with_margin_boxes(page, foot, (FOOT_BOX,)) for page in pages]
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
    folios = [index + 1 for index in kept]
    labels = [(cover_labels[i] if i < len(cover_labels) else "") for i in range(len(cover))]
    finisher = _page_labels(labels, folios)
    with tagged(document):
        return document.write_pdf(pdf_variant="pdf/ua-1", finisher=finisher), folios


def _page_labels(cover: list[str], folios: list[int]):
    """A finisher that writes the catalogue's ``/PageLabels``: each cover page by its name, then each
    page of the book by its folio (a new range wherever the folios jump, one page each at worst)."""
    import pydyf

    def finish(document, pdf) -> None:
        numbers = pydyf.Array()
        for index, name in enumerate(cover):
            numbers.extend([index, pydyf.Dictionary({"P": pydyf.String(name)})])
        previous = None
        for offset, folio in enumerate(folios):
            if previous is None or folio != previous + 1:
                numbers.extend([len(cover) + offset, pydyf.Dictionary({"S": "/D", "St": folio})])
            previous = folio
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": numbers})

    return finish
