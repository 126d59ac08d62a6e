"""The page model: what a laid-out page holds, as plain data every stage can read.

Nothing here refers to WeasyPrint. A :class:`Page` lists its lines (with their text, their
place, the block and the roles they belong to), its anchors, the places between blocks where
space may be added, and what it draws outside the sheet. Roles come from the templates
(``data-role`` attributes beside the markup, see :mod:`atelier.pages.roles`), never from CSS
class names.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass(frozen=True)
class Line:
    """One printed line of a page's body (running heads and folios left out)."""

    page: int
    text: str                 # as printed, generated content (« , p. 13 ») included, end spaces off
    dom_text: str             # the document's own text it prints: generated content and a hyphenation's hyphen left out
    hyphenated: bool          # broken inside a word by hyphenation (not after a typed hyphen)
    paragraph_end: bool       # the last line of its block
    tag: str                  # the element of the block that holds it (p, li, h2…)
    block: int = 0            # which block holds it (the same number on every page it spans)
    top: float = 0.0          # position on the page, in CSS pixels from the top edge of the sheet
    bottom: float = 0.0
    left: float = 0.0         # from the left edge of the sheet
    right: float = 0.0
    roles: frozenset = frozenset()      # the roles of its block (``data-role``)
    within: frozenset = frozenset()     # the roles of its block and of every element around it
    group: str = ""                     # the id of the table group (role table-group) it belongs to
    row_roles: frozenset = frozenset()  # the roles of the table row it sits in, if any
    aside: bool = False       # in a positioned box beside the text (the side column)
    note: bool = False        # in the footnote area at the foot of the page
    header_row: bool = False  # in a table's header row (repeated on every page the table spans)
    justified: bool = False   # set justified and not the last line of its block
    word_space: float = 0.0   # the widest space between two words, in CSS pixels (0 without a space)


@dataclass(frozen=True)
class Boundary:
    """A place between two blocks in the flow where space may be added (vertical justification)."""

    key: int                  # refers to the place for :func:`atelier.pages.move_down`
    weight: float             # 3 before a proposal, 2 before a heading, 1 between paragraphs
    top: float                # where the block after it starts


@dataclass(frozen=True)
class PrintedNumber:
    """A page number a link prints (the contents, a part's list, a « p. N » in the text)."""

    anchor: str               # the page it gives is the one that holds this anchor
    text: str                 # what it prints
    left: float               # its place on the line, in CSS pixels from the sheet's left edge
    right: float
    leader_right: Optional[float] = None   # where the dots before it end, when a leader leads to it


@dataclass(frozen=True)
class Page:
    """One laid-out page."""

    number: int
    width: float              # the sheet, in CSS pixels
    height: float
    content_top: float        # the text block (the page's content box)
    content_left: float
    content_width: float
    content_height: float
    anchors: tuple[str, ...]
    lines: tuple[Line, ...]
    first_text: str           # the first words printed in the page's body
    outside: tuple[str, ...] = ()          # elements drawn outside the sheet
    boundaries: tuple[Boundary, ...] = ()  # in the text column's flow, top to bottom
    note_calls: tuple[str, ...] = ()       # the notes whose call is printed on the page (their ids)
    notes: tuple[str, ...] = ()            # the notes printed at the page's foot (their ids), in order
    note_numbers: tuple[str, ...] = ()     # the numbers those notes print
    proposals: tuple[str, ...] = ()        # the proposals the page prints some of (their anchors)
    numbers: tuple[PrintedNumber, ...] = ()  # the page numbers its links print
    added: float = 0.0                     # the most space vertical justification added at one boundary (px)
    held: tuple[tuple[float, float], ...] = ()  # top and bottom of each exergue (role exergue) set in the text column

    def foot_of_body(self) -> Optional[float]:
        """Where the text column's content ends: its last line, or the bottom of an exergue below it."""
        bottoms = [line.bottom for line in self.body()] + [bottom for _, bottom in self.held]
        return max(bottoms, default=None)

    @property
    def recto(self) -> bool:
        """A right-hand page (odd number): its outer edge is on the right."""
        return self.number % 2 == 1

    def body(self) -> list[Line]:
        """The lines of the text column: the side column and the notes left out."""
        return [line for line in self.lines if not line.aside and not line.note]

    def note_top(self) -> Optional[float]:
        """The top of the notes at the page's foot, if it has some."""
        return min((line.top for line in self.lines if line.note), default=None)


@dataclass(frozen=True)
class Pages:
    """Every page of a layout."""

    pages: tuple[Page, ...] = field(default_factory=tuple)

    def __iter__(self):
        return iter(self.pages)

    def __len__(self) -> int:
        return len(self.pages)

    def __getitem__(self, number: int) -> Page:
        """Page ``number`` (1-based, as printed)."""
        return self.pages[number - 1]

    def lines(self) -> list[Line]:
        """Every line of every page, in reading order."""
        return [line for page in self.pages for line in page.lines]

    def page_of(self, anchor: str) -> Optional[int]:
        """The number of the page that holds ``anchor``."""
        return next((page.number for page in self.pages if anchor in page.anchors), None)
