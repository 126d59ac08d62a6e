"""Vertical justification of the short pages inside a part, on the layout itself.

A proposal's head is kept with its first lines (title, summary, meta band, the first section
heading and two lines: about 60 mm). When that block does not fit at the foot of a page, the page
ends early, up to a quarter of its text block empty. Book typesetters meet this by spreading the
page's spaces a little (TeX's ``\\flushbottom``); WeasyPrint has no such feature, so this stage does
it after layout: on a page in the middle of a part that would be more than 15 % empty, it adds space
at the page's paragraph and section boundaries (more before a proposal or a heading than between
paragraphs, never after a heading or inside a proposal's head) until it is just under 15 %, and
moves the boxes down accordingly. Nothing moves to another page, so page numbers, the contents and
every « p. N » stay right; only the page's own links and bookmarks are gathered again.
"""
from __future__ import annotations

from .lines import lines
from .pagecheck import MOSTLY_EMPTY, body_lines_by_page, emptiness, mid_part_pages, note_tops

#: How empty a feathered page is left: just under the limit of the layout check, so that a page
#: is loosened no more than it must be.
TARGET = 0.145
#: The most space added at one boundary of weight 1, in CSS pixels (about 5.3 mm; twice that before
#: a heading, three times before a proposal): beyond it the page is left short rather than loosened.
MOST_PER_BOUNDARY = 20.0
#: The tags and classes of blocks that stay tight with what follows them.
KEEP_WITH_NEXT_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "dt", "header", "caption"})
KEEP_WITH_NEXT_CLASSES = frozenset({"proposal-head", "proposal-summary", "card-head"})
#: Blocks set as one piece: no space is added between their own children.
SET_AS_ONE = frozenset({"proposal-head", "proposal-meta", "card-head", "card-example"})


def feather(layout, parts: list[tuple[str, str]]):
    """``layout`` with its too-short pages in the middle of a part justified vertically.

    ``parts`` gives each part's anchor and the anchor that follows it, as
    :func:`atelier.outputs.pagecheck.part_boundaries` does. Returns the same layout (its page
    boxes are moved in place; its pages' link lists are rebuilt).
    """
    from weasyprint.document import Page

    found = lines(layout)
    by_page, notes = body_lines_by_page(found), note_tops(found)
    pages = layout.document.pages
    for number in mid_part_pages(layout, by_page, parts):
        share = emptiness(layout, by_page, number, notes)
        if share <= MOSTLY_EMPTY:
            continue
        page_box = pages[number - 1]._page_box
        if _spread(page_box, (share - TARGET) * page_box.height):
            pages[number - 1] = Page(page_box)
    return layout


def _spread(page_box, needed: float) -> bool:
    """Add ``needed`` pixels across the page's boundaries; False when it has none."""
    root = next((child for child in page_box.children if type(child).__name__ != "FootnoteAreaBox"), None)
    if root is None:
        return False
    boundaries = list(_boundaries(root))
    weight = sum(w for _, _, w in boundaries)
    if not weight:
        return False
    unit = min(needed / weight, MOST_PER_BOUNDARY)
    extra = {(id(parent), index): unit * w for parent, index, w in boundaries}
    _move(root, extra)
    return True


def _flow_children(box) -> list:
    """The block-level children of ``box`` in normal flow, or none when it holds lines."""
    children = getattr(box, "children", ())
    if not children or any(type(child).__name__ == "LineBox" for child in children):
        return []
    if type(box).__name__ in ("TableBox", "TableRowGroupBox", "TableRowBox", "FlexBox"):
        return []
    return [child for child in children if child.is_in_normal_flow() and hasattr(child, "children")]


def _boundaries(box):
    """Every place between two blocks where space may be added, with its weight."""
    children = _flow_children(box)
    for index, child in enumerate(children):
        if index and not _keeps_with_next(children[index - 1]):
            yield box, index, _weight(child)
        if not _classes(child) & SET_AS_ONE:  # a head or a meta band stays as it was set
            yield from _boundaries(child)


def _tag(box) -> str:
    return (getattr(box, "element_tag", "") or "").rsplit("}", 1)[-1]


def _classes(box) -> set[str]:
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None else set()


def _keeps_with_next(box) -> bool:
    return _tag(box) in KEEP_WITH_NEXT_TAGS or bool(_classes(box) & KEEP_WITH_NEXT_CLASSES)


def _weight(box) -> float:
    tag, classes = _tag(box), _classes(box)
    if "proposal" in classes:
        return 3.0
    if tag in KEEP_WITH_NEXT_TAGS:
        return 2.0
    return 1.0


def _move(box, extra: dict) -> float:
    """Move ``box``'s children down by the space added before them; returns the space added inside."""
    added = 0.0
    for index, child in enumerate(_flow_children(box)):
        added += extra.get((id(box), index), 0.0)
        if added:
            child.translate(0, added)
        inner = _move(child, extra)
        if inner:
            child.height += inner
            added += inner
    return added
