"""The roles a page's boxes play, as the templates declare them (``data-role``), never CSS classes.

A template marks an element with ``data-role="…"`` beside its markup (``templates/print/proposal.html``:
``<article class="proposal" data-role="proposal">``); the HTML stage marks the notes it makes. The
stages that read pages ask for a role by the names below. Renaming a CSS class changes nothing here;
``tests/test_pages.py`` checks that the book's HTML carries every role.
"""
from __future__ import annotations

#: The attribute a template writes.
ATTRIBUTE = "data-role"

#: A proposal: what an extract keeps, and the boundary before it weighs most in vertical justification.
PROPOSAL = "proposal"
#: A block that belongs with what follows it: it never ends a page, and no space is added after it.
KEEP_WITH_NEXT = "keep-with-next"
#: A block set as one piece: no space is added between its own children (a proposal's head, its meta band).
SET_AS_ONE = "set-as-one"
#: A group of rows of a table (a part in the summary table, with an id): never split over two pages;
#: and the row that heads it, never last on a page.
TABLE_GROUP = "table-group"
TABLE_GROUP_HEAD = "table-group-head"
#: A note set at the foot of the page of its call (the HTML stage sets it, :mod:`atelier.html.notes`).
NOTE = "note"
#: The column beside the text that holds a proposal's number: on the outer edge of every page.
SIDE_COLUMN = "side-column"

#: A quotation drawn from a proposal's text, set in the space its page would leave empty (an exergue):
#: positioned, it moves nothing in the flow; its box holds the space it fills (:mod:`atelier.outputs.amend`).
EXERGUE = "exergue"

#: The front and the back cover: the pages the printer's cover spread is drawn from.
FRONT_COVER = "front-cover"
BACK_COVER = "back-cover"

#: Every role the pipeline reads in the print edition's HTML.
READ = (PROPOSAL, KEEP_WITH_NEXT, SET_AS_ONE, TABLE_GROUP, TABLE_GROUP_HEAD, NOTE, SIDE_COLUMN, FRONT_COVER,
        BACK_COVER, EXERGUE)
#: The roles the layout stage writes into the HTML it lays out again (not the templates).
WRITTEN_BY_LAYOUT = (EXERGUE,)


def roles_of(element) -> frozenset:
    """The roles ``element`` declares (none for ``None``)."""
    if element is None:
        return frozenset()
    return frozenset((element.get(ATTRIBUTE) or "").split())
