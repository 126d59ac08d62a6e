"""The printer's two files for a bound book: the cover as one spread, and the inner pages.

A printer prints and binds a paperback's cover apart from its inner pages. Both are drawn from the
screen layout, like the printer's whole-book PDF (:mod:`atelier.pages.press`):

- the **cover spread** (:func:`cover_spread`): the back cover, the spine and the front cover side
  by side on one sheet, the back cover's page and the front cover's page drawn as they are in the
  book; the spine is as wide as the inner pages are thick (:func:`spine_width_mm`), in the cover's
  colour, with the title and the publisher set along it when it is wide enough to hold a line
  (:data:`SPINE_TEXT_MM`), read from bottom to top as French books are; the colour that touches
  the spread's outer edges runs into the bleed, crop marks stand at its corners and fold marks at
  the spine's edges, all in the slug;
- the **inner pages** (:func:`inner_pages`): every page between the front cover's blank verso and
  the back cover, so that the title page is the first recto; blank pages are added at the end to
  a multiple of four (a folded sheet holds four pages), and the file says how many.

The pages to print on the cover are found by the roles the templates give them (``front-cover``,
``back-cover``), never by their place in the book.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache

from . import press
from .roles import ATTRIBUTE, BACK_COVER, FRONT_COVER, roles_of
#: A folded sheet holds this many pages: the inner pages come in multiples of it.
SIGNATURE = 4
#: The narrowest spine that takes a line of text (mm).
SPINE_TEXT_MM = 5.0


@dataclass(frozen=True)
class Inner:
    """The inner pages: the book's pages they print (cut from the whole book's PDF), then the blank
    pages that end them."""

    taken: range          # the indexes, in the book's pages, of the printed pages
    blanks: list          # blank pages drawn for the press, to reach a multiple of SIGNATURE

    @property
    def first_folio(self) -> int:
        """The book's page number of the first inner page."""
        return self.taken.start + 1

    @property
    def count(self) -> int:
        """How many pages the inner file holds."""
        return len(self.taken) + len(self.blanks)


def cover_indexes(reading) -> tuple[int, int]:
    """The indexes (0-based) of the front and back cover pages in ``reading``'s document."""
    found = {}
    for index, page in enumerate(reading.document.pages):
        for role in (FRONT_COVER, BACK_COVER):
            if role not in found and _holds_role(page._page_box, role):
                found[role] = index
    if set(found) != {FRONT_COVER, BACK_COVER} or found[FRONT_COVER] >= found[BACK_COVER]:
        raise ValueError("the book's HTML has no front cover before a back cover (data-role front-cover, back-cover)")
    return found[FRONT_COVER], found[BACK_COVER]


def _holds_role(box, role: str) -> bool:
    stack = [box]
    while stack:
        current = stack.pop()
        element = getattr(current, "element", None)
        if element is not None and element.get(ATTRIBUTE) and role in roles_of(element):
            return True
        stack.extend(getattr(current, "children", ()))
    return False


def inner_pages(reading, sheet: press.Sheet) -> Inner:
    """The inner pages for the press, from the first recto after the front cover to the page before
    the back cover, then blank pages to a multiple of :data:`SIGNATURE`."""
    front, back = cover_indexes(reading)
    taken = range(front + 2, back)   # the front cover's verso is the inside of the cover, printed with it
    template = press.printers_page(reading.document.pages[taken[-1] if taken else front], sheet)
    return Inner(taken, [_blank_like(template) for _ in range(-len(taken) % SIGNATURE)])


def spine_width_mm(inner_page_count: int, sheet_thickness_mm: float) -> float:
    """The spine's width: one sheet of paper for every two inner pages."""
    return inner_page_count / 2 * sheet_thickness_mm


def cover_spread(reading, sheet: press.Sheet, spine_mm: float, spine_text=None):
    """The cover as one page (``weasyprint.Page``): back cover, spine ``spine_mm`` wide, front cover.

    ``spine_text`` is a laid-out page (a ``weasyprint.Page``) as long as the book is tall and as wide
    as the spine, holding its words; it is drawn turned to read from bottom to top. None: a bare
    spine (too narrow for a line)."""
    front_index, back_index = cover_indexes(reading)
    pages = reading.document.pages
    front, back = pages[front_index], pages[back_index]
    spine = spine_mm * press.PX_PER_MM
    spread_class = _spread_class()
    spread = spread_class.__new__(spread_class)
    spread.width, spread.height = back.width + spine + front.width, front.height
    spread.bleed = {side: sheet.margin for side in ("top", "right", "bottom", "left")}
    spread.links, spread.anchors, spread.bookmarks, spread.forms = [], {}, [], {None: []}
    spread.sheet, spread.spine, spread.spine_text = sheet, spine, spine_text
    spread.back = press.bleeding(back._page_box, back.width, back.height, sheet.bleed, ("left", "top", "bottom"))
    spread.front = press.bleeding(front._page_box, front.width, front.height, sheet.bleed, ("right", "top", "bottom"))
    spread.back_width = back.width
    spread.ground = _cover_colour(front._page_box)
    spread._page_box = spread.front
    return spread


def _cover_colour(page_box):
    """The colour of the front cover's ground: the largest background on its page."""
    best, area = None, 0.0
    stack = [page_box]
    while stack:
        box = stack.pop()
        background = getattr(box, "background", None)
        if background is not None and background.layers and background.color.alpha > 0:
            _, _, w, h = background.layers[-1].painting_area[:4]
            if w * h > area:
                best, area = background.color, w * h
        stack.extend(getattr(box, "children", ()))
    return best


@lru_cache(maxsize=1)
def _spread_class():
    from weasyprint.document import Page
    from weasyprint.draw import draw_page

    class CoverSpread(Page):
        """Back cover, spine and front cover drawn on one sheet, then the marks in the slug."""

        def paint(self, stream, scale=1):
            with stream.stacked():
                stream.transform(a=scale, d=scale)
                bleed = self.sheet.bleed
                if self.ground is not None:
                    stream.set_color(self.ground)
                    stream.rectangle(-bleed, -bleed, self.width + 2 * bleed, self.height + 2 * bleed)
                    stream.fill()
                draw_page(self.back, stream)
                if self.spine_text is not None:
                    with stream.stacked():
                        # Bottom to top: the text's start at the foot of the spine, the tops of its
                        # letters towards the back cover.
                        stream.transform(a=0, b=-1, c=1, d=0, e=self.back_width, f=self.height)
                        draw_page(self.spine_text._page_box, stream)
                with stream.stacked():
                    stream.transform(e=self.back_width + self.spine)
                    draw_page(self.front, stream)
                press.crop_marks(stream, self.width, self.height, self.sheet,
                                 folds=(self.back_width, self.back_width + self.spine))

    return CoverSpread


def _blank_like(page):
    """A blank page of ``page``'s sheet: nothing printed but its crop marks."""
    blank_class = press.printed_page_class()
    blank = blank_class.__new__(blank_class)
    blank.__dict__.update(page.__dict__)
    blank.links, blank.anchors, blank.bookmarks, blank.forms = [], {}, [], {None: []}
    blank._page_box = copy.copy(page._page_box)
    blank._page_box.children = []
    blank._page_box.background = None
    blank._page_box.canvas_background = None
    return blank
