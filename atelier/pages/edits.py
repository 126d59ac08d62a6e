"""The few edits the pipeline makes to laid-out pages, each checked against WeasyPrint's own drawing.

- :func:`correct_numbers`: a link's printed page number replaced by the right one, in place
  (the same width: only the text; another width at the end of a flush-right line: moved as
  WeasyPrint sets it, behind a leader or along the line). ``tests/test_pagerefs.py`` compares
  the result with WeasyPrint's ``target-counter()``, drawing operator by drawing operator.
- :func:`move_down`: space added at boundaries of a page's flow (vertical justification);
  ``tests/test_pages.py`` compares a moved page with one WeasyPrint lays out with the same
  margins written in the CSS.
- :func:`pruned_page`: a copy of a page without the flow content outside some proposals (an
  extract); :func:`with_margin_boxes`: a copy of a page with words in a margin its document does
  not print, laid out on a page of another (an extract's notice in the book's foot);
  :func:`forget_annotations`: the link annotations an earlier PDF left on the boxes.

Each edit keeps the model true: the pages it changed are read again.
"""
from __future__ import annotations

import copy
from typing import Callable, Mapping

from . import roles
from .read import PAGE_NUMBER, Reading, reread

#: How close, in CSS pixels, a dot of a leader may come to what is beside it and still be set.
TOUCHING = 1e-6
#: The attribute that marks a number ending a flush-right line (contents, a part's list, the table).
ALIGN = "data-page-align"


# --- page numbers ----------------------------------------------------------------------------

def correct_numbers(reading: Reading, text_of: Callable[[str], str]) -> int | None:
    """Put every printed page number right (``text_of(anchor)`` is what a link to it must print).

    Returns how many were changed, or None when a change would move other text (a number of
    another width in running text): the caller then lays the document out again.
    """
    changes = []
    for page, box, path in reading.numbers:
        element = box.element
        old, new = element.get(PAGE_NUMBER), text_of((element.get("href") or "#")[1:])
        # A generated « , p. 58 » may break after its comma: only the box that ends the number holds it.
        if old == new or not box.text.endswith(old):
            continue
        text = box.text[: len(box.text) - len(old)] + new
        width = _width(box, text)
        if abs(width - _width(box, box.text)) < 1e-6:
            move = None  # as wide as the old number: nothing else changes
        else:
            move = _flush_right(box, path, width) if element.get(ALIGN) == "end" else None
            if move is None:
                return None
        changes.append((page, box, text, move))
    moved, touched = set(), set()
    for page, box, text, move in changes:
        box.text = text
        box.pango_layout = copy.copy(box.pango_layout)  # a layout may be shared by copies of the box
        box.pango_layout.text = text
        touched.add(page)
        if move is not None:
            move()
            moved.add(page)
    _gather_links_again(reading, moved)
    for _, box, path in reading.numbers:
        _even_leader(path)
    reread(reading, touched)
    return len(changes)


def _even_leader(path: tuple) -> None:
    """Set the dots of the leader before a number as this module does, corrected or not.

    WeasyPrint leaves out a dot whose slot ends exactly where the number begins, or keeps it, as
    its floating-point sums fall. Setting every leader here with one rule (a dot that touches the
    number is kept) makes a corrected line and a line laid out with the right number from the
    start the same, byte for byte, even in such a tie.
    """
    at = _line_index(path)
    leader = _leader_of(path[-2])
    if at is not None and leader is not None and leader.children:
        _set_dots(leader, path[at])


def _flush_right(box, path: tuple, width: float):
    """The change that keeps the right edge of a number of another width where it was.

    It is what WeasyPrint itself does with such a line: a leader before the number
    (``leader(". ")``) takes up the difference, its dots set at the same places, counted from the
    line's end; without a leader, the link moves along its right-aligned line. None when a number
    without a leader does not end its line, or when a wider one would run into the text before it.
    """
    at = _line_index(path)
    if at is None:
        return None
    block = path[at - 1]
    shift = box.width - width
    after = path[-2]
    leader = _leader_of(after)
    # Behind a leader, WeasyPrint moves what follows by the room left on the line, so the number
    # keeps its right edge whatever its width; in a right-aligned line, it ends where the block does.
    if leader is None and abs(box.position_x + box.width - (block.content_box_x() + block.width)) > 1e-6:
        return None
    if leader is not None:
        if not leader.children or leader.width + shift < leader.children[0].width:
            return None
        return lambda: _move_behind_leader(box, leader, shift, width)
    link = path[-3]
    if link.position_x + shift < block.content_box_x() - 1e-6:
        return None
    return lambda: _move_link(link, after, box, shift, width)


def _move_behind_leader(box, leader, shift: float, width: float) -> None:
    """The number ``shift`` to the right and the leader as much wider (its dots are set after)."""
    box.position_x += shift
    box.width = width
    leader.width += shift


def _set_dots(leader, line) -> None:
    """The leader's dots where ``weasyprint.layout.leader`` sets them: slots counted from the line's
    end, those that fit between the text before and the number after (one that touches them fits)."""
    dot = leader.children[0]
    right = leader.position_x + leader.width + TOUCHING
    dots = []
    position_x = line.position_x + line.width
    for _ in range(int(line.width // dot.width)):
        position_x -= dot.width
        if position_x < leader.position_x - TOUCHING or position_x + dot.width > right:
            continue
        dots.append(dot.copy())
        dots[-1].position_x = position_x
    leader.children = tuple(dots)


def _line_index(path: tuple):
    return next((i for i in range(len(path) - 1, 0, -1) if type(path[i]).__name__ == "LineBox"), None)


def _leader_of(after):
    return next((child for child in after.children if getattr(child, "is_leader", False)), None)


def _move_link(link, after, box, shift: float, width: float) -> None:
    link.translate(dx=shift)
    backgrounds_again(link)
    link.width -= shift
    after.width -= shift
    box.width = width


def _width(box, text: str) -> float:
    """How wide ``text`` sets in the style of ``box``."""
    from weasyprint.text.line_break import line_size

    measure = copy.copy(box.pango_layout)
    measure.text = text
    measure.reactivate(box.style)
    try:
        line, _ = measure.get_first_line()
        return line_size(line, box.style)[0]
    finally:
        measure.deactivate()


# --- vertical justification -------------------------------------------------------------------

def move_down(reading: Reading, moves: Mapping[int, Mapping[int, float]]) -> None:
    """For each page number of ``moves``, add ``moves[number][key]`` CSS pixels of space at the
    boundaries of that page (keys of its :class:`~atelier.pages.model.Boundary` list), moving what
    follows down; nothing changes page. The pages moved are read again together, once: a long book
    has hundreds of short pages, and reading the model again after each made feathering quadratic."""
    moved = set()
    for number, extra in moves.items():
        places = reading.places.get(number, {})
        added = {(id(places[key][0]), places[key][1]): amount for key, amount in extra.items()
                 if key in places and amount}
        if not added:
            continue
        page_box = reading.document.pages[number - 1]._page_box
        root = next((c for c in page_box.children if type(c).__name__ not in ("FootnoteAreaBox", "MarginBox")),
                    None)
        _move(root, added, page_box)
        reading.added[number] = max(reading.added.get(number, 0.0), *added.values())
        moved.add(number)
    _gather_links_again(reading, moved)
    reread(reading, moved)


def _move(box, extra: dict, page_box=None) -> float:
    """Move ``box``'s children down by the space added before them; returns the space added inside."""
    from .read import _flow_children

    added = 0.0
    for index, child in enumerate(_flow_children(box)):
        added += extra.get((id(box), index), 0.0)
        if added:
            child.translate(0, added)
            backgrounds_again(child, page_box)
        inner = _move(child, extra, page_box)
        if inner:
            # A block grows to hold what moved down inside it, no further: the fragment of the body
            # on a page already reaches the foot of the text block.
            kids = [c for c in getattr(child, "children", ()) if hasattr(c, "margin_height")]
            needed = max((c.position_y + c.margin_height() for c in kids), default=0.0) - child.content_box_y()
            grown = max(0.0, needed - child.height)
            child.height += grown
            added += inner
    return added


def _gather_links_again(reading: Reading, numbers: set) -> None:
    """A page whose boxes moved gets its link and anchor areas measured again."""
    from weasyprint.document import Page

    pages = reading.document.pages
    for number in numbers:
        pages[number - 1] = Page(pages[number - 1]._page_box)


def backgrounds_again(box, page_box=None) -> None:
    """Place the backgrounds of ``box`` and its descendants where the boxes now are.

    WeasyPrint computes each background's painting area once, when the page is laid out
    (``weasyprint.layout.background``), and ``Box.translate`` does not move it: a box moved
    afterwards would be drawn with its background left behind (the bars of a rating, drawn as
    backgrounds, stood two lines above their label). The areas are computed again from the boxes'
    new places, with the images already loaded (nothing is fetched again).
    """
    from weasyprint.layout.background import layout_box_backgrounds

    images = _loaded_images(box)

    def loaded(url, orientation=None):
        return images[url]

    # The page box only places a background fixed to the page (background-attachment: fixed).
    layout_box_backgrounds(page_box, box, loaded)


def _loaded_images(box) -> dict:
    """The images the backgrounds of ``box`` and its descendants use, by address."""
    images = {}
    stack = [box]
    while stack:
        current = stack.pop()
        background = getattr(current, "background", None)
        if background is not None:
            urls = [value for kind, value in current.style["background_image"] if kind == "url"]
            pictures = [layer.image for (kind, _), layer in zip(current.style["background_image"], background.layers)
                        if kind == "url"]
            images.update(zip(urls, pictures))
        for name, attribute in (("border_image_source", "border_image"), ("mask_border_source", "mask_border_image")):
            kind, value = current.style[name]
            if kind == "url" and getattr(current, attribute, None) is not None:
                images[value] = getattr(current, attribute)
        stack.extend(current.all_children() if hasattr(current, "all_children") else ())
    return images


# --- mirrored margins ------------------------------------------------------------------------

def mirror_rectos(reading: Reading) -> set[int]:
    """On right-hand pages, move what hangs into the side margin to the other side of the text.

    The stylesheet mirrors the margins (``@page :right``): the side column is on the outer edge of
    every page, the left of a verso and the right of a recto. What hangs out of the text column into
    that margin (a proposal's number, a chart or a table wider than the text) is placed by CSS on the
    left, since an element does not know which page it will fall on; on a recto, each such box is
    moved to the mirror place on the right, at the same distance from the text. The text itself,
    the same width on both pages, does not move. Returns the pages changed.
    """
    changed = set()
    for number, page in enumerate(reading.document.pages, 1):
        if number % 2 == 0:
            continue
        page_box = page._page_box
        left, width = page_box.content_box_x(), page_box.width
        moved = False
        for box in _hanging(page_box, left):
            x, w = box.border_box_x(), box.border_width()
            box.translate(dx=width - w + 2 * (left - x))
            backgrounds_again(box, page_box)
            moved = True
        if moved:
            changed.add(number)
    _gather_links_again(reading, changed)
    reread(reading, changed)
    return changed


def _hanging(page_box, left: float):
    """The outermost boxes of a page's flow that begin left of its text column."""
    stack = [child for child in page_box.children if type(child).__name__ != "MarginBox"]
    while stack:
        box = stack.pop()
        if type(box).__name__ in ("LineBox", "TextBox"):
            continue
        if box.border_width() > 0 and box.border_box_x() < left - TOUCHING_EDGE:
            yield box
            continue
        stack.extend(getattr(box, "children", ()))


#: How far left of the text column, in CSS pixels, a box must begin to hang into the side margin.
TOUCHING_EDGE = 0.5


# --- extracts ---------------------------------------------------------------------------------

def proposal_owners(reading: Reading) -> dict:
    """Every DOM element that belongs to a proposal (role ``proposal``), mapped to its anchor."""
    root = reading.document.pages[0]._page_box.children[0].element  # the <html> element
    owned = {}
    for element in root.iter():
        anchor = element.get("id") or ""
        if roles.PROPOSAL in roles.roles_of(element) and anchor:
            for inner in element.iter():
                owned[inner] = anchor
    return owned


def pruned_page(reading: Reading, number: int, anchors: set[str], owned: dict):
    """A new page (``weasyprint.Page``) drawn like page ``number`` without the flow content that
    belongs to no proposal of ``anchors``; its running heads and folios are the book's. The
    book's own boxes are never changed."""
    from weasyprint.document import Page

    page_box = reading.document.pages[number - 1]._page_box
    children = []
    for child in page_box.children:
        kept = child if type(child).__name__ == "MarginBox" else _pruned(child, anchors, owned)
        if kept is not None:
            children.append(kept)
    return Page(_with_children(page_box, children))


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


#: The order in which WeasyPrint lays out, then draws, a page's margin boxes
#: (``weasyprint.layout.page.make_margin_boxes``): the top and bottom rows, the left and right
#: columns, then the corners.
MARGIN_ORDER = tuple(
    [f"@{side}-{place}" for side in ("top", "bottom") for place in ("left", "center", "right")]
    + [f"@{side}-{place}" for side in ("left", "right") for place in ("top", "middle", "bottom")]
    + [f"@{corner}-corner" for corner in ("top-left", "top-right", "bottom-left", "bottom-right")])


def with_margin_boxes(page, stamp, keywords: tuple[str, ...]):
    """A new page (``weasyprint.Page``) drawn like ``page``, with the margin boxes ``keywords``
    (« @bottom-center ») of ``stamp`` added where WeasyPrint draws them. ``stamp`` is a page of the
    same size laid out from another document, whose margin box holds words ``page``'s document
    does not print (the notice in the foot of the book's pages an extract copies). A margin box
    ``page`` already draws at one of ``keywords`` is an error: two texts would overlap. Neither
    page's own boxes are changed."""
    from weasyprint.document import Page

    page_box, stamp_box = page._page_box, stamp._page_box
    # Compared to a hundredth of a point: a mirrored recto's width is the same sum in another order.
    if abs(page_box.width - stamp_box.width) > 0.01 or abs(page_box.height - stamp_box.height) > 0.01:
        raise ValueError(f"the stamp's page ({stamp_box.width} × {stamp_box.height}) is not the size of the page it is "
                         f"drawn on ({page_box.width} × {page_box.height})")
    # A margin box with nothing in it (a running string the document never sets) gives way.
    margins = [c for c in page_box.children if type(c).__name__ == "MarginBox"
               and (c.at_keyword not in keywords or _has_text(c))]
    taken = {box.at_keyword for box in margins} & set(keywords)
    if taken:
        raise ValueError(f"the page already draws {', '.join(sorted(taken))}")
    added = [c for c in stamp_box.children if type(c).__name__ == "MarginBox" and c.at_keyword in keywords]
    flow = [c for c in page_box.children if type(c).__name__ != "MarginBox"]
    margins = sorted(margins + added, key=lambda box: MARGIN_ORDER.index(box.at_keyword))
    return Page(_with_children(page_box, flow + margins))


def _has_text(box) -> bool:
    """Whether ``box`` or a box inside it holds text."""
    stack = [box]
    while stack:
        current = stack.pop()
        if getattr(current, "text", ""):
            return True
        stack.extend(getattr(current, "children", ()))
    return False


def forget_annotations(page) -> None:
    """Take off the link annotation an earlier PDF left on the boxes of ``page`` (WeasyPrint 70 keeps it).

    WeasyPrint gives each linked box of the PDF it writes a ``link_annotation``, and its tags read
    it back; a link a later file leaves out would otherwise carry an object of another file into
    its structure tree, and its bytes would depend on which file was written first.
    """
    stack = [page._page_box]
    while stack:
        box = stack.pop()
        if "link_annotation" in vars(box):
            del box.link_annotation
        stack.extend(getattr(box, "children", ()))
