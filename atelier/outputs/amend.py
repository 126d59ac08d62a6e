"""Layout amendments: what a typesetter corrects by hand after seeing the pages, done by the pipeline.

A page that ends on a hyphenated word (« proposi- » at the foot, « tions » overleaf) cannot be put
right in its lines, only by laying the book out again with that word, at that place, kept whole
(``<span class="keep-word">``), so that it goes whole to one page, as a typesetter would ask.

A justified line whose word spaces stretch far beyond the normal (:data:`TIGHTEN_PT`) is put right
as a typesetter does, by setting its paragraph a little tighter (``class="tight"``, a few
thousandths of an em less between letters and words, ``styles/print/book.css``): the paragraph
breaks its lines again, most often without that line.

A note WeasyPrint sends to the page after its call (it needed the room for the first lines of a
proposal that begins at the foot) is put right by making that proposal begin the next page
(``class="page-start"``). A page the next proposal's head leaves shorter than vertical
justification can fill gets an exergue (:mod:`.exergue`): being positioned, exergues move nothing,
so they are measured again on each layout, and the last layout's set is the one its pages ask for.

:func:`found` reads them from the page model; :func:`apply` writes them into the print HTML,
whose blocks the HTML stage numbers (``data-b``, :func:`atelier.html.blocks.number_blocks`). The layout stage lays the
book out again while new amendments appear (:data:`MOST_ROUNDS` times at most), starting from the
last build's amendments when the cache has them, so that a build of unchanged content takes one
layout.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import lxml.html

from ..html.blocks import BLOCK
from ..pages import roles
from . import exergue
from .counting import count, place
from .pagecheck import LINE, foot

#: Layouts the amendments may cost beyond the first.
MOST_ROUNDS = 3
#: The tallest exergue (CSS pixels): twelve lines of the text; a page shorter still keeps the rest empty.
MOST_EXERGUE = 12 * LINE
#: A justified line with a word space wider than this (points) has its paragraph set tighter.
TIGHTEN_PT = 7.0
PX_PER_PT = 96 / 72
#: The start of the word a line ends on, hyphenated.
_LAST_WORD = re.compile(r"[^\s]+$")


@dataclass(frozen=True)
class Amendments:
    """What to change in the print HTML before laying it out."""

    whole_words: frozenset = field(default_factory=frozenset)   # (block, offset of the word) kept whole
    tight_blocks: frozenset = field(default_factory=frozenset)  # blocks set a little tighter
    page_starts: frozenset = field(default_factory=frozenset)   # proposals (anchors) that begin a page
    exergues: frozenset = field(default_factory=frozenset)      # (proposal anchor, height in px) of each exergue

    def __or__(self, other: "Amendments") -> "Amendments":
        """These amendments and ``other``'s (the ones the next layout's pages ask for).

        Exergues move nothing (neither their place nor their box changes a margin or a line), so
        each layout measures the whole set again and ``other``'s replace these. A set measured on a
        flow the next layout changes is tried all the same: that layout measures it again, and the
        rounds end only when a layout's exergues are the ones its own pages ask for."""
        return Amendments(self.whole_words | other.whole_words, self.tight_blocks | other.tight_blocks,
                          self.page_starts | other.page_starts, other.exergues)

    def flow(self) -> "Amendments":
        """The amendments that move text (all but the exergues)."""
        return replace(self, exergues=frozenset())

    def __bool__(self) -> bool:
        return bool(self.whole_words or self.tight_blocks or self.page_starts or self.exergues)


def found(reading) -> Amendments:
    """The amendments the faults of a laid-out book call for (see the module's list)."""
    words, tight = set(), set()
    printed: dict[int, int] = {}   # characters printed so far, by block (spaces left out)
    for page in reading.pages:
        body = page.body()
        last = max(body, key=lambda line: line.bottom) if body else None
        for line in page.lines:
            if line is last and line.hyphenated:
                number = _number(reading, line)
                head = _LAST_WORD.search(line.dom_text.rstrip())
                if number is not None and head:
                    at = printed.get(line.block, 0) + count(line.dom_text) - count(head.group())
                    words.add((number, at))
            if line.justified and line.word_space > TIGHTEN_PT * PX_PER_PT:
                number = _number(reading, line)
                if number is not None:
                    tight.add(number)
            printed[line.block] = printed.get(line.block, 0) + count(line.dom_text)
    return Amendments(frozenset(words), frozenset(tight), frozenset(_page_starts(reading.pages)),
                      frozenset(_exergues(reading.pages)))


def _page_starts(model) -> set[str]:
    """The proposals that must begin a page so that a note prints on the page of its call.

    WeasyPrint sends a note to the next page when the lines at the foot need its room (to keep two
    lines of a paragraph together); when those lines open a proposal that begins on the page, the
    proposal begins the next page instead, and the note has its room.
    """
    starts = set()
    for page in model:
        for note in page.notes:
            if note in page.note_calls:
                continue
            calling = next((other for other in model if note in other.note_calls), None)
            if calling is None or not calling.body():
                continue
            last = max(calling.body(), key=lambda line: line.bottom)
            opened = calling.proposals[-1] if calling.proposals else None
            if roles.PROPOSAL in last.within and opened in calling.anchors and opened != calling.proposals[0]:
                starts.add(opened)
    return starts


def _exergues(model) -> set[tuple[str, float]]:
    """An exergue for each page that ends early, by more than vertical justification may spread,
    because the next proposal's head did not fit: the page's last proposal ends there and the next
    page opens with the next one. Measured on the flow alone (exergues move nothing)."""
    found = set()
    for page in model:
        if page.number >= len(model) or not page.proposals:
            continue
        following = model[page.number + 1]
        ending = page.proposals[-1]
        if ending in following.proposals or not following.proposals or following.proposals[0] not in following.anchors:
            continue
        space = _space_left(page)
        if space - len(page.boundaries) * LINE <= LINE:
            continue
        height = exergue.height_for(min(space - LINE / 2, MOST_EXERGUE))
        if height is not None:
            found.add((ending, round(height, 1)))
    return found


def _space_left(page) -> float:
    """How far the page's flow (its lines, not an exergue) ends above the foot of its text block, or above its notes."""
    body = page.body()
    return max(0.0, foot(page) - max(line.bottom for line in body)) if body else 0.0


def _number(reading, line):
    element, _ = reading.line_element(line)
    number = element.get(BLOCK) if element is not None else None
    return int(number) if number is not None else None


def apply(html: str, amendments: Amendments) -> str:
    """``html`` with ``amendments`` written in (each word kept whole)."""
    if not amendments:
        return html
    tree = lxml.html.document_fromstring(html)
    blocks, ids = {}, {}
    for element in tree.iter():
        if element.get(BLOCK) is not None:
            blocks[element.get(BLOCK)] = element
        if element.get("id"):
            ids.setdefault(element.get("id"), element)   # the first, as getElementById (one walk, not one per anchor)
    for number, at in sorted(amendments.whole_words, reverse=True):
        element = blocks.get(str(number))
        if element is not None:
            _keep_whole(element, at)
    for number in sorted(amendments.tight_blocks):
        element = blocks.get(str(number))
        if element is not None:
            _add_class(element, "tight")
    for anchor in sorted(amendments.page_starts):
        proposal = ids.get(anchor)
        if proposal is not None:
            _add_class(proposal, "page-start")
    for anchor, height in sorted(amendments.exergues):
        proposal = ids.get(anchor)
        text = exergue.sentence(proposal, exergue.most_characters(height)) if proposal is not None else None
        if text:
            proposal.append(exergue.element(text, height))
    return "<!DOCTYPE html>\n" + lxml.html.tostring(tree, encoding="unicode") + "\n"


def _add_class(element, name: str) -> None:
    element.set("class", ((element.get("class") or "") + " " + name).strip())


def _keep_whole(block, at: int) -> bool:
    """Wrap the word that begins at the ``at``-th counted character of ``block`` in a ``keep-word``
    span (the notes set at their calls are not counted: their text is printed at the page's foot)."""
    found = place(block, at)
    if found is None:
        return False
    node, slot, index = found
    text = getattr(node, slot)
    end = index
    while end < len(text) and not text[end].isspace():
        end += 1
    span = lxml.html.Element("span", {"class": "keep-word"})
    span.text, span.tail = text[index:end], text[end:] or None
    setattr(node, slot, text[:index] or None)
    if slot == "text":
        node.insert(0, span)
    else:
        node.addnext(span)
    if end == len(text):  # « (proposi-tion » : the word goes on inside the next element
        following = span.getnext()
        if following is not None and isinstance(following.tag, str):
            _add_class(following, "keep-word")
    return True
