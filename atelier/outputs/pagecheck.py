"""The layout check: what a book designer looks for on every page, measured on the layout.

Run by the tests over the built book (and by ``scripts/layout_report.py``):
nothing drawn outside the sheet, no heading ending a page, no table group
header alone at a page foot, no paragraph split with a single line on
either side, no page holding only a stranded line or two, no blank page except a left-hand page before a right-hand
opener, and no page in the middle of a part more than 15 % empty.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Optional

from .lines import Line, lines

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "dt"})
#: Blocks of a proposal's head (its summary and meta band) that must not end a page: they belong
#: with the text that follows them.
KEPT_WITH_NEXT = frozenset({"proposal-summary", "actors", "scales"})
MOSTLY_EMPTY = 0.15
# Fewer lines than this on a page, with no heading among them, is a stranded ending.
STRANDED = 3
#: The space WeasyPrint leaves above the first note of a page (the @footnote margin, rule and padding), in px.
NOTE_SEPARATION = 25


@dataclass(frozen=True)
class Fault:
    """One thing on one page a designer would send back."""

    page: int
    kind: str
    detail: str


def page_faults(layout, parts: list[tuple[str, str]]) -> list[Fault]:
    """Every fault of ``layout``; ``parts`` gives, for each part, its anchor and the anchor that follows it."""
    found = lines(layout)
    pages = layout.document.pages
    by_page = body_lines_by_page(found)
    openers = {layout.page_of(anchor) for anchor, _ in parts}
    faults = _outside_the_sheet(pages)
    faults += _page_feet(by_page)
    faults += _split_paragraphs(found)
    faults += _blank_pages(pages, by_page, openers)
    faults += _stranded_endings(by_page)
    faults += _empty_pages_inside_parts(layout, by_page, parts, note_tops(found))
    return sorted(faults, key=lambda fault: fault.page)


def body_lines_by_page(found: list[Line]) -> dict[int, list[Line]]:
    """The lines of the text column (the side column and the page's notes left out), page by page."""
    by_page: dict[int, list[Line]] = defaultdict(list)
    for line in found:
        if not line.aside and not line.note:
            by_page[line.page].append(line)
    return by_page


def note_tops(found: list[Line]) -> dict[int, float]:
    """The top of the notes on each page that has some (the footnote area)."""
    tops: dict[int, float] = {}
    for line in found:
        if line.note:
            tops[line.page] = min(line.top, tops.get(line.page, line.top))
    return tops


def emptiness(layout, by_page: dict[int, list[Line]], number: int, notes: Optional[dict[int, float]] = None) -> float:
    """The share of page ``number``'s text block left empty between its last line and its notes
    (``notes``, from :func:`note_tops`), or the foot of the block when the page has none."""
    box = layout.document.pages[number - 1]._page_box
    top, height = box.content_box_y(), box.height
    used = max((line.bottom for line in by_page.get(number, ())), default=top)
    # The rule and the space above the notes belong to them, not to the emptiness of the page.
    bottom = notes[number] - NOTE_SEPARATION if notes and number in notes else top + height
    return max(0.0, (bottom - used) / height)


def _outside_the_sheet(pages) -> list[Fault]:
    faults = []
    for number, page in enumerate(pages, 1):
        width, height = page.width, page.height
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            stack.extend(getattr(box, "children", ()))
            if type(box).__name__ in ("PageBox", "MarginBox"):
                continue
            x, y = box.position_x, box.position_y
            w, h = box.margin_width(), box.margin_height()
            if w and h and (x < -0.5 or y < -0.5 or x + w > width + 0.5 or y + h > height + 0.5):
                faults.append(Fault(number, "hors de la page", getattr(box, "element_tag", "?")))
                break
    return faults


def _page_feet(by_page: dict[int, list[Line]]) -> list[Fault]:
    faults = []
    for number, page_lines in by_page.items():
        last = max(page_lines, key=lambda line: line.bottom)
        if last.tag in HEADINGS:
            faults.append(Fault(number, "titre en pied de page", last.text[:50]))
        elif KEPT_WITH_NEXT & set(last.classes.split()):
            faults.append(Fault(number, "en-tête de fiche en pied de page", last.text[:50]))
        elif "group" in last.row_class.split():
            faults.append(Fault(number, "intertitre de tableau en pied de page", last.text[:50]))
    return faults


def _split_paragraphs(found: list[Line]) -> list[Fault]:
    faults = []
    pieces: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for line in found:
        if line.tag in ("p", "li", "dd", "blockquote") and not line.aside:
            runs = pieces[line.block]
            if runs and runs[-1][0] == line.page:
                runs[-1] = (line.page, runs[-1][1] + 1)
            else:
                runs.append((line.page, 1))
    for block, runs in pieces.items():
        if len(runs) > 1 and (runs[0][1] < 2 or runs[-1][1] < 2):
            page = runs[0][0] if runs[0][1] < 2 else runs[-1][0]
            faults.append(Fault(page, "ligne seule", f"{runs}"))
    return faults


def _blank_pages(pages, by_page: dict[int, list[Line]], openers: set) -> list[Fault]:
    faults = []
    for number in range(1, len(pages) + 1):
        if by_page.get(number):
            continue
        # The inside of the front and back covers, and a verso before a right-hand opener, are
        # blank by design.
        inside_back = number == len(pages) - 1 and number % 2 == 1
        intended = inside_back or (number % 2 == 0 and (number + 1 in openers or number == 2))
        if not intended:
            faults.append(Fault(number, "page blanche", ""))
    return faults


def _stranded_endings(by_page: dict[int, list[Line]]) -> list[Fault]:
    # A page carrying only the last line or two of what came before (a signature, the end of a
    # paragraph) reads as a mistake; a page that opens something with its heading does not.
    faults = []
    for number, page_lines in by_page.items():
        if len(page_lines) < STRANDED and not any(line.tag in HEADINGS for line in page_lines):
            faults.append(Fault(number, "fin de texte isolée", page_lines[0].text[:50]))
    return faults


def mid_part_pages(layout, by_page: dict[int, list[Line]], parts) -> list[int]:
    """The pages in the middle of a part: after its opener, before its last page (and the blank
    verso before the next opener)."""
    middle = []
    for start, following in parts:
        first, after = layout.page_of(start), layout.page_of(following)
        if first is None or after is None:
            continue
        last = after - 1
        while last > first and not by_page.get(last):
            last -= 1
        middle.extend(range(first + 1, last))
    return middle


def _empty_pages_inside_parts(layout, by_page: dict[int, list[Line]], parts, notes: dict[int, float]) -> list[Fault]:
    faults = []
    for number in mid_part_pages(layout, by_page, parts):
        share = emptiness(layout, by_page, number, notes)
        if share > MOSTLY_EMPTY:
            faults.append(Fault(number, "page trop vide", f"{share:.0%}"))
    return faults


def part_boundaries(book) -> list[tuple[str, str]]:
    """For each part, its anchor and the anchor of what follows it (the next part, or the next section)."""
    items = list(book.contents)
    following = next((item.anchor for index, item in enumerate(items)
                      if getattr(getattr(item, "section", None), "id", None) == "proposals"
                      for item in items[index + 1:index + 2]), None)
    axes = [axis.anchor for axis in book.axes]
    return [(anchor, axes[i + 1] if i + 1 < len(axes) else following) for i, anchor in enumerate(axes)
            if following is not None or i + 1 < len(axes)]
