"""Vertical justification of the short pages inside a part, on the layout itself.

A proposal's head is kept with its first lines (title, summary, meta band, the first section
heading and two lines: about 60 mm). When that block does not fit at the foot of a page, the page
ends early, up to a quarter of its text block empty. Book typesetters meet this by spreading the
page's spaces a little (TeX's ``\\flushbottom``); WeasyPrint has no such feature, so this stage does
it after layout: on a page in the middle of a part that would be more than 15 % empty, it adds space
at the page's paragraph and section boundaries (more before a proposal or a heading than between
paragraphs, never after a heading or inside a proposal's head: the page model's boundaries) until
it is just under 15 %, and the page model moves the boxes down (:func:`atelier.pages.move_down`).
Nothing moves to another page, so page numbers, the contents and every « p. N » stay right.
"""
from __future__ import annotations

from .. import pages
from .pagecheck import MOSTLY_EMPTY, emptiness, mid_part_pages

#: How empty a feathered page is left: just under the limit of the layout check, so that a page
#: is loosened no more than it must be.
TARGET = 0.145
#: The most space added at one boundary of weight 1, in CSS pixels (about 5.3 mm; twice that before
#: a heading, three times before a proposal): beyond it the page is left short rather than loosened.
MOST_PER_BOUNDARY = 20.0


def feather(layout, parts: list[tuple[str, str]]):
    """``layout`` with its too-short pages in the middle of a part justified vertically.

    ``parts`` gives each part's anchor and the anchor that follows it, as
    :func:`atelier.outputs.pagecheck.part_boundaries` does. Returns the same layout (its page
    boxes are moved in place, and the page model read again).
    """
    for number in mid_part_pages(layout.model, parts):
        page = layout.model[number]
        share = emptiness(page)
        if share <= MOSTLY_EMPTY or not page.boundaries:
            continue
        weight = sum(boundary.weight for boundary in page.boundaries)
        unit = min((share - TARGET) * page.content_height / weight, MOST_PER_BOUNDARY)
        pages.move_down(layout.reading, number, {b.key: unit * b.weight for b in page.boundaries})
    return layout
