"""Page references, the HTML stage's part: mark each link that prints its target's page.

A template (or the markup stage, for a citation) writes ``data-page-ref`` on a link, or on the list
that holds links, whose target's page an edition laid out in pages prints: ``inline`` in running
text, ``end`` at the end of a flush-right line (the contents, a part's list, the summary table).
:func:`mark` turns that into ``data-page="#target"`` (and ``data-page-align="end"``) on the link
itself; the layout then writes the numbers in and checks them (:mod:`atelier.outputs.pagerefs`).
"""
from __future__ import annotations

from ..names import local_name

#: The attribute that carries a link's page number, and the one that marks a column of numbers.
PAGE = "data-page"
ALIGN = "data-page-align"
#: What a template (or the markup stage, for a citation) writes on a link, or on the list that holds
#: links, whose target's page is printed: ``inline`` in running text, ``end`` at the end of a
#: flush-right line (the contents, a part's list, the summary table).
REFERENCE = "data-page-ref"


def mark(tree) -> None:
    """Mark every link of ``tree`` that prints its target's page number (``data-page-ref`` on it or
    on an element around it), and take the template's marks off."""
    for link in tree.iter():
        if not isinstance(link.tag, str) or local_name(link.tag) != "a":
            continue
        href = link.get("href") or ""
        how = _numbering(link) if href.startswith("#") and len(href) > 1 else None
        if how:
            link.set(PAGE, href)
            if how == "end":
                link.set(ALIGN, "end")
    for element in tree.iter():
        if isinstance(element.tag, str) and REFERENCE in element.attrib:
            del element.attrib[REFERENCE]


def _numbering(link) -> str | None:
    element = link
    while element is not None:
        if element.get(REFERENCE):
            return element.get(REFERENCE)
        element = element.getparent()
    return None


