"""Page references: every « p. N » of a print document written in before its one layout, then checked.

WeasyPrint resolves ``target-counter(attr(href), page)`` by laying the pages that hold one out
again until the numbers settle: in 70.0, 3 passes and 181 page layouts for the 108 pages of this
book, about a third of the render. Here instead:

1. the HTML stage marks each link that prints its target's page (:func:`mark`) with
   ``data-page="#target"``, and ``data-page-align="end"`` when the number ends a line flush right
   (contents, a part's list, the summary table) rather than standing in running text;
2. before the layout, :func:`write_numbers` puts a number into every ``data-page``: the page the
   target had in the last layout of the same document when the caller knows it, else an estimate
   of its page from how far into the text it stands (``CHARACTERS_PER_PAGE``), so that the
   placeholder has the likely width;
3. the stylesheet prints it with ``attr(data-page)``; WeasyPrint lays the document out once;
4. :func:`settle` reads every target's page from that layout and puts each wrong number right in
   the laid-out lines. A number as wide as the one it replaces changes nothing else (the book's
   figures are tabular: every digit has one advance in every font of ``styles/fonts``, and each
   new text is measured to be sure). A number of another width that ends its line flush right is
   moved as WeasyPrint would have set it: its right edge stays, a leader before it gets its dots
   where ``weasyprint.layout.leader`` puts them, or the link moves along its right-aligned line.
   Only a number of another width in running text, where it would move the words after it,
   costs a second layout, with the numbers the first one found.

Whichever way it is reached, the result is the document WeasyPrint's own ``target-counter`` draws
(``tests/test_pagerefs.py`` compares the pages' drawing operators), and the same bytes whatever
the guess was.
"""
from __future__ import annotations

import copy
import gc
import re
from dataclasses import dataclass, field
from typing import Callable, Mapping

#: The attribute that carries a link's page number, and the one that marks a column of numbers.
PAGE = "data-page"
ALIGN = "data-page-align"
#: Classes (of the link or of a container) whose links print their target's page, and how.
NUMBERED = {"xref": "inline", "page-ref": "end", "toc-list": "end", "axis-proposals": "end", "kit-toc": "end"}
#: A rough measure of a printed page, for guessing how many digits an unknown page number has.
CHARACTERS_PER_PAGE = 2000
#: How close, in CSS pixels, a dot of a leader may come to what is beside it and still be set.
TOUCHING = 1e-6
#: More layouts than this, and the page numbers are moving the pages they number.
MOST_LAYOUTS = 4


class PagesDoNotSettle(Exception):
    """Writing the page numbers in keeps moving the pages they point to."""


# --- the HTML stage --------------------------------------------------------------------

def mark(tree) -> None:
    """Mark every link of ``tree`` that prints its target's page number (see the module's list)."""
    for link in tree.iter():
        if not isinstance(link.tag, str) or _local(link.tag) != "a":
            continue
        href = link.get("href") or ""
        how = _numbering(link) if href.startswith("#") and len(href) > 1 else None
        if how:
            link.set(PAGE, href)
            if how == "end":
                link.set(ALIGN, "end")


def _numbering(link) -> str | None:
    element = link
    while element is not None:
        for name in (element.get("class") or "").split():
            if name in NUMBERED:
                return NUMBERED[name]
        element = element.getparent()
    return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


# --- before the layout ------------------------------------------------------------------

_LINK = re.compile(r'<a\b[^>]*\bdata-page="#([^"]*)"[^>]*>')


@dataclass(frozen=True)
class Numbers:
    """The page each target is on, as a layout prints it."""

    pages: Mapping[str, int] = field(default_factory=dict)
    unknown_digits: int = 2          # the width of the placeholder for a page not known yet

    def text(self, anchor: str) -> str:
        """What a link to ``anchor`` prints (a placeholder of the likely width when unknown)."""
        page = self.pages.get(anchor)
        return str(page) if page else "0" * self.unknown_digits


def first_guess(html: str, wanted: set[str]) -> Numbers:
    """Numbers for a document never laid out: each target of ``wanted`` gets its page estimated from
    how far into the text it stands (``CHARACTERS_PER_PAGE``), so that its placeholder has the
    likely width; the layout checks every one of them."""
    offsets: dict[str, int] = {}
    characters = 0
    for token in _TOKEN.finditer(html, max(html.find("<body"), 0)):
        if token.group(1) is None:
            characters += len(token.group(0))
            continue
        anchor = _ID.search(token.group(1))
        if anchor and anchor.group(1) in wanted:
            offsets.setdefault(anchor.group(1), characters)
    pages = max(1.0, characters / CHARACTERS_PER_PAGE)
    middle = max(1, round(pages / 2))
    return Numbers({anchor: max(1, round(1 + offset / max(characters, 1) * (pages - 1)))
                    for anchor, offset in offsets.items()}, unknown_digits=len(str(middle)))


_TOKEN = re.compile(r"<([^>]*)>|[^<]+")
_ID = re.compile(r'\bid="([^"]+)"')


def targets(html: str) -> list[str]:
    """The anchors whose pages ``html`` prints."""
    return list(dict.fromkeys(match.group(1) for match in _LINK.finditer(html)))


def write_numbers(html: str, numbers: Numbers) -> str:
    """``html`` with a page number in every marked link."""
    def written(match: re.Match) -> str:
        anchor = match.group(1)
        return match.group(0).replace(f'{PAGE}="#{anchor}"', f'{PAGE}="{numbers.text(anchor)}"', 1)

    return _LINK.sub(written, html)


# --- after the layout -------------------------------------------------------------------

@dataclass(frozen=True)
class Settled:
    """A layout whose printed page numbers are those of its own pages."""

    layout: object
    html: str          # the document as laid out, its numbers written in
    numbers: Numbers
    layouts: int       # how many WeasyPrint layouts it took
    corrected: int     # numbers put right in the laid-out text, without a new layout


def settle(html: str, lay_out: Callable[[str], object], guess: Numbers | None = None) -> Settled:
    """Lay ``html`` out with its page numbers written in, as few times as the numbers allow.

    ``lay_out`` turns an HTML string into a :class:`~atelier.outputs.layout.Layout`; ``guess``
    is the last build's numbers, when known.
    """
    wanted = targets(html)
    numbers = guess or first_guess(html, set(wanted))
    for count in range(1, MOST_LAYOUTS + 1):
        layout = lay_out(write_numbers(html, numbers))
        found = Numbers({anchor: layout.page_of(anchor) or 0 for anchor in wanted})
        corrected = _correct_in_place(layout, found)
        if corrected is not None:
            return Settled(layout, write_numbers(html, found), found, count, corrected)
        numbers = found
        # The next layout is made without this one in memory (a long book's layout is a gigabyte).
        del layout
        gc.collect()
    raise PagesDoNotSettle(f"les numéros de page des renvois changent encore après {MOST_LAYOUTS} mises en pages")


def _correct_in_place(layout, found: Numbers) -> int | None:
    """Put every wrong number right in the laid-out lines; None when that would move other text."""
    changes = []
    numbers = list(_number_boxes(layout))
    for box, path in numbers:
        element = box.element
        old, new = element.get(PAGE), found.text(_anchor(element))
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
        changes.append((box, text, move, path[0]))
    moved = set()
    for box, text, move, page_box in changes:
        box.text = text
        box.pango_layout = copy.copy(box.pango_layout)  # a layout may be shared by copies of the box
        box.pango_layout.text = text
        if move is not None:
            move()
            moved.add(id(page_box))
    _gather_links_again(layout, moved)
    for box, path in numbers:
        _even_leader(box, path)
    return len(changes)


def _even_leader(box, path: tuple) -> None:
    """Set the dots of the leader before a number as this module does, corrected or not.

    WeasyPrint leaves out a dot whose slot ends exactly where the number begins, or keeps it, as
    its floating-point sums fall. Setting every leader here with one rule (a dot that touches the
    number is kept) makes a corrected line and a line laid out with the right number from the
    start the same, byte for byte, even in such a tie.
    """
    at = _line_index(path)
    leader = _leader_of(path[-1])
    if at is not None and leader is not None and leader.children:
        _set_dots(leader, path[at])


def _gather_links_again(layout, moved: set) -> None:
    """A page whose lines changed (a leader, a link moved along its line) gets its link areas measured again."""
    from weasyprint.document import Page

    pages = layout.document.pages
    for index, page in enumerate(pages):
        if id(page._page_box) in moved:
            pages[index] = Page(page._page_box)


def _anchor(element) -> str:
    return (element.get("href") or "#")[1:]


def _number_boxes(layout):
    """Each text box that prints a link's page number (its ``::after`` content), with its ancestors."""
    stack = [(page._page_box, ()) for page in layout.document.pages]
    while stack:
        box, path = stack.pop()
        element = getattr(box, "element", None)
        if (isinstance(getattr(box, "text", None), str) and element is not None and element.get(PAGE)
                and str(getattr(box, "element_tag", "")).endswith("::after") and _prints_the_number(path)):
            yield box, path
        stack.extend((child, path + (box,)) for child in getattr(box, "children", ()))


def _prints_the_number(path: tuple) -> bool:
    """Whether the ``::after`` box holding a text prints ``attr(data-page)`` (a stylesheet may print
    something else after a marked link: that text is not a page number to correct)."""
    after = path[-1] if path else None
    content = after.style["content"] if after is not None and "content" in after.style else None
    return isinstance(content, (list, tuple)) and any(
        item[0] == "attr()" and item[1][0] == PAGE for item in content if isinstance(item, tuple))


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
    after = path[-1]
    leader = _leader_of(after)
    # Behind a leader, WeasyPrint moves what follows by the room left on the line, so the number
    # keeps its right edge whatever its width; in a right-aligned line, it ends where the block does.
    if leader is None and abs(box.position_x + box.width - (block.content_box_x() + block.width)) > 1e-6:
        return None
    if leader is not None:
        if not leader.children or leader.width + shift < leader.children[0].width:
            return None
        return lambda: _move_behind_leader(box, leader, shift, width)
    link = path[-2]
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
