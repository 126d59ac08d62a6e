"""Places in a block's text that the page model's lines and the HTML agree on.

A line of the page model knows the document's text it prints (``Line.dom_text``), not where that
text sits among the elements of its block. Both the EPUB's page markers (:mod:`.pagelist`) and the
layout amendments (:mod:`.amend`) find the place again by counting characters: every character
but spaces and the invisible ones (soft hyphens, zero-width spaces), in reading order, notes and
their calls left out (each edition prints them apart from the text).
"""
from __future__ import annotations

import bisect
from typing import Iterator, Optional

from ..names import local_name
from ..pages import roles

#: Characters not counted: spaces aside, what a layout may add or drop without changing the text.
UNCOUNTED = frozenset({"\u00ad", "\u200b"})
#: A note's call in the EPUB (Python-Markdown's own class for it): a pop-up note's number.
_NOTE_CALL = "footnote-ref"


def count(text: str) -> int:
    """How many counted characters ``text`` holds."""
    return sum(1 for char in text if not char.isspace() and char not in UNCOUNTED)


def squeezed(text: str) -> str:
    """``text`` reduced to its counted characters."""
    return "".join(char for char in text if not char.isspace() and char not in UNCOUNTED)


def is_note(element) -> bool:
    """A note's call (EPUB) or a note set at its call (print, role ``note``): the two editions print
    them apart from the text (a pop-up note and its number; a note at the page foot and a generated
    call figure)."""
    return _NOTE_CALL in (element.get("class") or "").split() or roles.NOTE in roles.roles_of(element)


def text_slots(block) -> Iterator[tuple]:
    """Every text slot inside ``block`` in reading order, as (node, "text" or "tail"): its text, then
    each descendant's text and tail, a note and its call left out."""
    yield block, "text"
    for child in block:
        if isinstance(child.tag, str) and not is_note(child):
            yield from text_slots(child)
        yield child, "tail"


def own_text(element) -> str:
    """The text of ``element`` as both editions print it in its lines: notes and their calls left out."""
    return "".join(getattr(node, slot) or "" for node, slot in text_slots(element))


def place(block, offset: int) -> Optional[tuple]:
    """Where the ``offset``-th counted character of ``block`` is: (node, "text" or "tail", index),
    None past its end."""
    seen = 0
    for node, slot in text_slots(block):
        text = getattr(node, slot) or ""
        for index, char in enumerate(text):
            if char.isspace() or char in UNCOUNTED:
                continue
            if seen == offset:
                return node, slot, index
            seen += 1
    return None


class SameText:
    """The elements of one tree that print the same text under the same tag, in document order.

    A page's start names its block by tag, text and rank among its look-alikes under an id'd
    ancestor (:mod:`.pagelist`); counting them by walking that ancestor for each page made a
    long book quadratic (a part of ten thousand blocks walked for each of its pages). Here each
    tag's elements are read once, and a rank is a bisection."""

    def __init__(self, root):
        self._order: dict = {}    # element -> its place in document order
        self._end: dict = {}      # element -> the place after its last descendant
        self._by_tag: dict = {}   # tag -> {squeezed text: [places]}, read when first asked
        self._elements: list = []
        self._number(root)

    def _number(self, root) -> None:
        stack = [(root, False)]
        while stack:
            element, closing = stack.pop()
            if closing:
                self._end[element] = len(self._elements)
                continue
            self._order[element] = len(self._elements)
            self._elements.append(element)
            stack.append((element, True))
            stack.extend((child, False) for child in reversed(element) if isinstance(child.tag, str))

    def _places(self, tag: str, text: str) -> list[int]:
        if tag not in self._by_tag:
            found: dict[str, list[int]] = {}
            for place, element in enumerate(self._elements):
                if local_name(element.tag) == tag:
                    found.setdefault(squeezed(own_text(element)), []).append(place)
            self._by_tag[tag] = found
        return self._by_tag[tag].get(text, [])

    def rank(self, holder, block, tag: str, text: str) -> int:
        """How many elements like ``block`` (``tag``, ``text``) come before it inside ``holder``
        (``holder`` itself included)."""
        if not self.holds(holder, block):
            return 0
        places = self._places(tag, text)
        return bisect.bisect_left(places, self._order[block]) - bisect.bisect_left(places, self._order[holder])

    def holds(self, holder, element) -> bool:
        """Whether ``element`` is ``holder`` or inside it."""
        return self._order[holder] <= self._order.get(element, -1) < self._end[holder]

    def nth(self, holder, tag: str, text: str, rank: int):
        """The ``rank``-th element (from 0) of ``tag`` and ``text`` inside ``holder``, or None."""
        places = self._places(tag, text)
        at = bisect.bisect_left(places, self._order[holder]) + rank
        return self._elements[places[at]] if at < len(places) and places[at] < self._end[holder] else None
