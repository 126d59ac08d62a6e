"""The layout check: what a book designer looks for on every page, measured on the page model.

Run by the tests over the built book (and by ``scripts/layout_report.py``):

- nothing drawn outside the sheet; no blank page except a verso before a right-hand opener (and
  the inside of the covers); no page holding only a stranded line or two;
- no heading, proposal head or table group header ending a page; no table group split over two
  pages; no paragraph split with a single line on either side; no page ending on a hyphenated word;
- no page in the middle of a part more than 15 % empty; the two pages of a spread end within one
  line of each other; no boundary given more than one line of added space;
- no justified line whose word spaces pass 9 pt (and few over 6 pt: :func:`loose_lines`);
- every note on the page of its call, and no note number twice on a page;
- the side column (a proposal's number) on the outer edge of its page.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..pages import roles
from ..pages.model import Line, Page, Pages

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "dt"})
MOSTLY_EMPTY = 0.15
# Fewer lines than this on a page, with no heading among them, is a stranded ending.
STRANDED = 3
#: The space WeasyPrint leaves above the first note of a page (the @footnote margin, rule and padding), in px.
NOTE_SEPARATION = 25
#: CSS pixels in a point.
PX_PER_PT = 96 / 72
#: A word space past this is a fault; past :data:`LOOSE` it is counted (the book allows a few).
TOO_LOOSE_PT = 9.0
LOOSE_PT = 6.0
#: One line of the body text (10.5 pt at 1.45), in CSS pixels: the most space added at one boundary,
#: and how far apart the last lines of a spread may end.
LINE = 10.5 * 1.45 * PX_PER_PT


@dataclass(frozen=True)
class Fault:
    """One thing on one page a designer would send back."""

    page: int
    kind: str
    detail: str


def page_faults(model: Pages, parts: list[tuple[str, str]]) -> list[Fault]:
    """Every fault of a layout's page model; ``parts`` gives, for each part, its anchor and the anchor
    that follows it."""
    openers = {model.page_of(anchor) for anchor, _ in parts}
    faults = [Fault(page.number, "hors de la page", page.outside[0]) for page in model if page.outside]
    faults += _page_feet(model)
    faults += _split_paragraphs(model.lines())
    faults += _blank_pages(model, openers)
    faults += _stranded_endings(model)
    faults += _empty_pages_inside_parts(model, parts)
    faults += _split_table_groups(model)
    faults += _hyphen_at_page_end(model)
    faults += [Fault(line.page, "ligne trop lâche", f"{line.word_space / PX_PER_PT:.1f} pt : {line.text[:40]}")
               for line in loose_lines(model, TOO_LOOSE_PT)]
    faults += _notes_away_from_their_call(model)
    faults += _side_column_inside(model)
    faults += _uneven_spreads(model, parts)
    return sorted(faults, key=lambda fault: fault.page)


def loose_lines(model: Pages, above_pt: float = LOOSE_PT) -> list[Line]:
    """The justified lines whose widest word space is more than ``above_pt`` points."""
    return [line for line in model.lines() if line.justified and line.word_space > above_pt * PX_PER_PT]


def _split_table_groups(model: Pages) -> list[Fault]:
    """A group of a table (a part in the summary table) printed on two pages."""
    pages_of: dict[str, set[int]] = defaultdict(set)
    for line in model.lines():
        if roles.TABLE_GROUP in line.within and line.group:
            pages_of[line.group].add(line.page)
    return [Fault(min(pages), "groupe de tableau coupé", group) for group, pages in pages_of.items() if len(pages) > 1]


def _hyphen_at_page_end(model: Pages) -> list[Fault]:
    faults = []
    for page in model:
        body = [line for line in page.body() if line.tag not in HEADINGS]
        if body and max(body, key=lambda line: line.bottom).hyphenated:
            faults.append(Fault(page.number, "mot coupé en fin de page", max(body, key=lambda l: l.bottom).text[-30:]))
    return faults


def _notes_away_from_their_call(model: Pages) -> list[Fault]:
    faults = []
    for page in model:
        for note in page.notes:
            if note not in page.note_calls:
                faults.append(Fault(page.number, "note loin de son appel", note))
        numbers = [number for number in page.note_numbers if number]
        if len(numbers) != len(set(numbers)):
            faults.append(Fault(page.number, "numéro de note en double", " ".join(numbers)))
    return faults


def _side_column_inside(model: Pages) -> list[Fault]:
    """The side column belongs on the outer edge: the left of a verso, the right of a recto."""
    faults = []
    for page in model:
        side = [line for line in page.lines if roles.SIDE_COLUMN in line.within]
        middle = page.content_left + page.content_width / 2
        if side and any((line.left < middle) == page.recto for line in side):
            faults.append(Fault(page.number, "colonne latérale côté reliure", side[0].text[:30]))
    return faults


def _uneven_spreads(model: Pages, parts) -> list[Fault]:
    """Inside a part, the two pages of a spread end within one line of each other, and no boundary
    got more than one line of added space."""
    faults = []
    middle = set(mid_part_pages(model, parts))
    for number in sorted(middle):
        page = model[number]
        if page.added > LINE + 0.01:
            faults.append(Fault(number, "espacement ajouté excessif", f"{page.added / PX_PER_PT:.1f} pt"))
        if number % 2 == 0 and number + 1 in middle:
            ends = [_foot_of_text(model[n]) for n in (number, number + 1)]
            if abs(ends[0] - ends[1]) > LINE + 0.01:
                faults.append(Fault(number, "double page inégale", f"{abs(ends[0] - ends[1]) / PX_PER_PT:.0f} pt"))
    return faults


def _foot_of_text(page: Page) -> float:
    """Where a page's text ends: its last line, notes included (notes stand at the foot of the page),
    or an exergue's lower rule."""
    bottoms = [line.bottom for line in page.lines if not line.aside] + [bottom for _, bottom in page.held]
    return max(bottoms, default=page.content_top)


def foot(page: Page) -> float:
    """Where the page's text may reach: the foot of its text block, or above its notes (the rule and
    the space above the notes belong to them)."""
    notes = page.note_top()
    return notes - NOTE_SEPARATION if notes is not None else page.content_top + page.content_height


def emptiness(page: Page) -> float:
    """The share of ``page``'s text block left empty between its last line and its notes, or the
    foot of the block when it has none."""
    used = page.foot_of_body() or page.content_top
    return max(0.0, (foot(page) - used) / page.content_height)


def _page_feet(model: Pages) -> list[Fault]:
    faults = []
    for page in model:
        body = page.body()
        if not body:
            continue
        last = max(body, key=lambda line: line.bottom)
        if last.tag in HEADINGS:
            faults.append(Fault(page.number, "titre en pied de page", last.text[:50]))
        elif roles.KEEP_WITH_NEXT in last.roles:
            faults.append(Fault(page.number, "en-tête de fiche en pied de page", last.text[:50]))
        elif roles.TABLE_GROUP_HEAD in last.row_roles:
            faults.append(Fault(page.number, "intertitre de tableau en pied de page", last.text[:50]))
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


def _blank_pages(model: Pages, openers: set) -> list[Fault]:
    faults = []
    for page in model:
        if page.body():
            continue
        number = page.number
        # The inside of the front and back covers, and a verso before a right-hand opener, are
        # blank by design.
        inside_back = number == len(model) - 1 and number % 2 == 1
        intended = inside_back or (number % 2 == 0 and (number + 1 in openers or number == 2))
        if not intended:
            faults.append(Fault(number, "page blanche", ""))
    return faults


def _stranded_endings(model: Pages) -> list[Fault]:
    # A page carrying only the last line or two of what came before (a signature, the end of a
    # paragraph) reads as a mistake; a page that opens something with its heading does not.
    faults = []
    for page in model:
        body = page.body()
        if body and len(body) < STRANDED and not any(line.tag in HEADINGS for line in body):
            faults.append(Fault(page.number, "fin de texte isolée", body[0].text[:50]))
    return faults


def mid_part_pages(model: Pages, parts) -> list[int]:
    """The pages in the middle of a part: after its opener, before its last page (and the blank
    verso before the next opener)."""
    middle = []
    for start, following in parts:
        first, after = model.page_of(start), model.page_of(following)
        if first is None or after is None:
            continue
        last = after - 1
        while last > first and not model[last].body():
            last -= 1
        middle.extend(range(first + 1, last))
    return middle


def _empty_pages_inside_parts(model: Pages, parts) -> list[Fault]:
    faults = []
    for number in mid_part_pages(model, parts):
        share = emptiness(model[number])
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
