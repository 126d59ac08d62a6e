"""Vertical justification: the pages inside a part end on the same baseline, the last line of the
text block, as a book's pages do.

A proposal starts where the one before ends when its head and meta band (about six lines) fit
there; when they do not, the page ends early. Book typesetters meet this by spreading the page's
spaces a little (TeX's ``\\flushbottom``); WeasyPrint has no such feature, so this stage does it
after layout: on every page in the middle of a part, it adds space at the page's paragraph and
section boundaries until the text reaches the foot of the text block (or its notes), more before a
proposal or a heading than between paragraphs, never after a heading or inside a proposal's head
(the page model's boundaries), and never more than one line of the text at one boundary. The page
model moves the boxes down (:func:`atelier.pages.move_down`); nothing moves to another page, so page
numbers, the contents and every « p. N » stay right. A page that one line per boundary cannot fill
receives an exergue when the layout stage finds a sentence for it (:mod:`.exergue`, placed before
this stage runs, counted here as part of the page); one that stays short is reported by the layout
check (the two pages of its spread end apart).
"""
from __future__ import annotations

from .. import pages
from .pagecheck import LINE, foot, mid_part_pages

#: Less than this (CSS pixels) short of the foot, a page is left as it is.
CLOSE_ENOUGH = 1.0


def feather(layout, parts: list[tuple[str, str]]):
    """``layout`` with every page in the middle of a part filled to the foot of its text block, as
    far as one line per boundary allows.

    ``parts`` gives each part's anchor and the anchor that follows it, as
    :func:`atelier.outputs.pagecheck.part_boundaries` does. Returns the same layout (its page
    boxes are moved in place, and the page model read again).
    """
    moves = {}
    for number in mid_part_pages(layout.model, parts):
        page = layout.model[number]
        short = _short_of_the_foot(page)
        if short > CLOSE_ENOUGH and page.boundaries:
            moves[number] = spread(short, {b.key: b.weight for b in page.boundaries})
    pages.move_down(layout.reading, moves)
    return layout


def spread(total: float, weights: dict[int, float], most: float = LINE) -> dict[int, float]:
    """``total`` pixels shared among boundaries in proportion to their weights, none given more than
    ``most``: what one boundary cannot take goes to the others (the page may stay short)."""
    given = {key: 0.0 for key in weights}
    open_keys = set(weights)
    left = total
    while left > 1e-6 and open_keys:
        unit = left / sum(weights[key] for key in open_keys)
        full = {key for key in open_keys if weights[key] * unit >= most - given[key]}
        if not full:
            for key in open_keys:
                given[key] += weights[key] * unit
            break
        for key in full:
            left -= most - given[key]
            given[key] = most
        open_keys -= full
    return given


def _short_of_the_foot(page) -> float:
    """How far the page's text (an exergue included) ends above the foot of its text block, or above its notes."""
    return max(0.0, foot(page) - (page.foot_of_body() or foot(page)))
