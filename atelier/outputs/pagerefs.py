"""Page references: every « p. N » of a print document written in before its one layout, then checked.

WeasyPrint resolves ``target-counter(attr(href), page)`` by laying the pages that hold one out
again until the numbers settle: in 70.0, 3 passes and 181 page layouts for the 108 pages of this
book, about a third of the render. Here instead:

1. the HTML stage marks each link that prints its target's page (:func:`atelier.html.pagerefs.mark`) with
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

import re
from dataclasses import dataclass, field
from typing import Callable, Mapping

from ..apart import give_back_memory
from ..html.pagerefs import ALIGN, PAGE, REFERENCE, mark  # noqa: F401  (the HTML stage marks the links)

#: A rough measure of a printed page, for guessing how many digits an unknown page number has: the
#: book prints 2,147 characters of its HTML a page, the ten-times book 2,424; at 2,000 the latter's
#: guesses ran 21 % long and one number of its running text (94, guessed 104) cost a second layout.
CHARACTERS_PER_PAGE = 2200
#: More layouts than this, and the page numbers are moving the pages they number.
MOST_LAYOUTS = 4


class PagesDoNotSettle(Exception):
    """Writing the page numbers in keeps moving the pages they point to."""


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
    is the last build's numbers, when known. The numbers are put right in the laid-out lines by
    the page model (:func:`atelier.pages.correct_numbers`).
    """
    from .. import pages

    wanted = targets(html)
    numbers = guess or first_guess(html, set(wanted))
    for count in range(1, MOST_LAYOUTS + 1):
        layout = lay_out(write_numbers(html, numbers))
        found = Numbers({anchor: layout.page_of(anchor) or 0 for anchor in wanted})
        corrected = pages.correct_numbers(layout.reading, found.text)
        if corrected is not None:
            return Settled(layout, write_numbers(html, found), found, count, corrected)
        numbers = found
        # The next layout is made without this one in memory (a long book's layout is a gigabyte).
        del layout
        give_back_memory()
    raise PagesDoNotSettle(f"les numéros de page des renvois changent encore après {MOST_LAYOUTS} mises en pages")
