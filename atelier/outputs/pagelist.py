"""Print page numbers in the EPUB: where each page of the printed book begins, read from its layout.

:func:`page_starts` reads the layout's page model (:mod:`atelier.pages`, from
WeasyPrint's own boxes; the screen and printer's PDFs have the same pages) and
finds, for each page, the first line of its text column: the block that holds
it, the ids of that block and of its ancestors, and how many characters of the
block earlier pages already printed. Nothing is estimated: the page begins where
WeasyPrint broke it.

:func:`place_markers` puts a ``doc-pagebreak`` marker at that same place in the
EPUB's documents, which are made from the same fragments: the block is found
by id (its own or its nearest ancestor's), tag and text, then the marker goes
before the word the page begins with. It also writes the ``page-list``
navigation; ebooklib's own page list would collect every element that has an
``epub:type`` (its issue #339), so this one is built here.

Two rules keep the markers where a reader expects them:

* **never inside a heading or a link**: a screen reader reads what a heading
  or a link holds as its name (« 75 Proposition 48 »), so a page that begins
  in one is marked just before it;
* **pages only print has** (a blank page, a page that begins in the printed
  contents, which the navigation document replaces, the back cover) keep
  their place in the list: such a page is marked where the next page is
  marked, and the pages after the last one the EPUB has are marked at the
  end of its text, after the last paragraph. The accessibility summary says
  what print content the EPUB leaves out.

Characters are counted without spaces (a line break eats a space, a
hyphenation adds a hyphen) and without generated content (``::before``,
``::after``: the print edition's « , p. 13 » after a citation is not in the
EPUB's text).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Optional

import lxml.etree

from .. import anchors
from ..html import safety
from ..html.render import Document
from ..names import local_name
from .counting import SameText, count, own_text, place, squeezed

#: Elements that hold no text: a page that begins with one is marked right before it.
_VOID = frozenset({"img"})


@dataclass(frozen=True)
class PageStart:
    """Where one printed page begins, as data that does not depend on WeasyPrint."""

    number: int
    ids: tuple[str, ...]          # the block's id, then its ancestors' ids, innermost first
    occurrences: tuple[int, ...]  # for each id: which block of that tag and text under it (0 = first)
    tag: str                      # the block's element (p, li, h2…)
    text: str                     # the block's text, spaces left out
    offset: int                   # characters of the block printed before this page (spaces left out)
    first_line: str               # the page's first line as printed (for checks and messages)


def page_starts(layout) -> tuple[Optional[PageStart], ...]:
    """For each page of ``layout`` (a :class:`atelier.outputs.layout.Layout`), where it begins.

    ``None`` for a page with no line of text in its text column (a blank verso). Read from the
    layout's page model (:mod:`atelier.pages`).
    """
    reading = layout.reading
    printed: dict[int, int] = {}   # characters printed so far, by block
    starts: list[Optional[PageStart]] = []
    alike: dict = {}   # the look-alike blocks under each outermost id'd element, read when first needed
    for page in reading.pages:
        start = None
        # The text column's first line; on a page with none (a part's opener, set in positioned
        # boxes), the first line of those boxes. The page's notes and a table's repeated header row
        # stand beside the text column.
        for beside in (False, True):
            for index, line in enumerate(page.lines):
                element, chain = reading.line_element(line)
                if start is not None or _beside(line) != beside or element is None:
                    continue
                if count(line.dom_text):
                    start = _start(page.number, line, element, chain, printed.get(line.block, 0), alike)
                elif (image := reading.line_image(line, index)) is not None:  # a page that begins with a chart
                    start = _start(page.number, line, image, (image,) * bool(image.get("id")) + chain, 0, alike)
        for line in page.lines:
            printed[line.block] = printed.get(line.block, 0) + count(line.dom_text)
        starts.append(start)
    return tuple(starts)


def _beside(line) -> bool:
    return line.aside or line.note or line.header_row


def _start(number: int, line, block, chain: tuple, offset: int, alike: dict) -> PageStart:
    tag = local_name(block.tag)
    text = squeezed(own_text(block))
    # WeasyPrint's tree (ElementTree) knows no parents: the outermost id'd element stands for the document.
    if chain and chain[-1] not in alike:
        alike[chain[-1]] = SameText(chain[-1])
    occurrences = tuple(alike[chain[-1]].rank(holder, block, tag, text) for holder in chain)
    return PageStart(number, tuple(holder.get("id") for holder in chain), occurrences, tag, text,
                     offset, " ".join(line.dom_text.split()))


# --- the EPUB side ------------------------------------------------------------------------

def marker_id(number: int) -> str:
    """The id of the marker of printed page ``number``."""
    return anchors.page(number)


def place_markers(documents: list[Document], starts: tuple[Optional[PageStart], ...],
                  page_list_title: str) -> list[Document]:
    """``documents`` with a ``doc-pagebreak`` marker where each printed page begins, and the page list.

    A page whose start cannot be found in the EPUB (a blank page, or one that begins
    in a print-only element such as the printed contents) gets its marker right
    before the next page's, so every page is listed and the list stays in order.
    """
    trees = {d.name: lxml.etree.fromstring(d.html.encode("utf-8")) for d in documents}
    # Read before any marker goes in: a marker is an empty <span>, which changes no block's text.
    alike = {name: SameText(tree) for name, tree in trees.items()}
    owners: dict[str, tuple[str, object]] = {}
    for name, tree in trees.items():
        for element in tree.iter():
            if isinstance(element.tag, str) and element.get("id"):
                owners.setdefault(element.get("id"), (name, element))
    pending: list[int] = []
    placed: list[tuple[int, str]] = []
    last: Optional[tuple[str, object]] = None
    marked: set = set()   # the elements that hold a marker already
    for number, start in enumerate(starts, 1):
        found = _find(start, owners, marked, alike) if start is not None else None
        if found is None:
            pending.append(number)
            continue
        name, element, index = found
        index = _outside_headings_and_links(index)
        for waiting in pending + [number]:
            _insert(element, index, _marker(element, waiting))
            index = _after_marker(element, index)
            placed.append((waiting, name))
        marked.update([element, *element.iterancestors()])
        pending, last = [], (name, element)
    if pending:  # the last pages hold nothing the EPUB has (the back cover): after the end of its text
        name = last[0] if last is not None else documents[-1].name
        end = _end_of_text(trees[name])
        for waiting in pending:
            end.append(_marker(end, waiting))
            placed.append((waiting, name))
    nav = next(d for d in documents if d.kind == "nav")
    _append_page_list(trees[nav.name], sorted(placed), page_list_title)
    return [dataclasses.replace(d, html=_serialise(trees[d.name])) for d in documents]


def _find(start: PageStart, owners: dict, marked: set, alike: dict) -> Optional[tuple[str, object, tuple]]:
    """The EPUB element where ``start`` is, and the place of the marker inside it.

    First the same block (same tag and text under the same id). Failing that, when the
    page begins with a block worded otherwise in the EPUB (« Partie 3 » printed apart
    from its title, a count written « (6) »), the start of the nearest element both
    editions share, provided no earlier page is marked inside it (the order stays right).
    """
    for anchor, occurrence in zip(start.ids, start.occurrences):
        if anchor not in owners:
            continue
        name, holder = owners[anchor]
        block = alike[name].nth(holder, start.tag, start.text, occurrence)
        if block is not None:
            return name, block, _before(block) if start.tag in _VOID else _position(block, start.offset)
    for anchor in start.ids:
        if anchor in owners and owners[anchor][1] not in marked and start.offset == 0:
            name, holder = owners[anchor]
            return name, holder, (holder, "text", 0)
    return None


#: Elements a marker never goes inside: a screen reader would read its number as part of the heading's
#: or the link's name (« 75 Proposition 48 », « 22 proposition 4 »).
_NAMED = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "a"})
#: Elements whose content model has no room for text or a <span> (EPUB's toc <nav>: a heading, then a list).
_NO_TEXT = frozenset({"nav", "ol", "ul", "dl", "table", "thead", "tbody", "tfoot", "tr", "hgroup"})


def _outside_headings_and_links(position: tuple) -> tuple:
    """``position``, or right before the outermost heading or link that would hold the marker.

    A page that begins with a heading (most proposals) or inside a link is marked just before it.
    """
    node, field, _ = position
    holder = node if field == "text" else node.getparent()
    outermost = None
    for element in (holder, *holder.iterancestors()):
        if local_name(element.tag) in _NAMED:
            outermost = element
    if outermost is None:
        return position
    # Right before it, unless its parent may hold no text (a navigation document's <nav>, a list):
    # then before that parent.
    while local_name(outermost.getparent().tag) in _NO_TEXT:
        outermost = outermost.getparent()
    return _before(outermost)


def _end_of_text(tree):
    """Where the text of a document ends: inside its last block of the body (its section), after everything
    but the edition's mention that closes every document (a ``footer``)."""
    body = _body(tree)
    blocks = [child for child in body if isinstance(child.tag, str) and local_name(child.tag) != "footer"]
    return blocks[-1] if blocks and local_name(blocks[-1].tag) in ("section", "div", "article") else body


def _before(element) -> tuple:
    """The text slot right before ``element`` (an image holds no text to put a marker in)."""
    previous = element.getprevious()
    if previous is not None:
        return previous, "tail", len(previous.tail or "")
    parent = element.getparent()
    return parent, "text", len(parent.text or "")


def _position(block, offset: int) -> tuple:
    """Where the ``offset``-th counted character of ``block`` is: (node, "text" or "tail", index).

    The marker goes before the word that holds that character, so a page that begins
    inside a hyphenated word is marked before the whole word.
    """
    found = place(block, offset)
    if found is None:
        return block, "text", 0
    node, field, index = found
    text = getattr(node, field)
    while index > 0 and not text[index - 1].isspace():
        index -= 1
    return node, field, index




def _marker(near, number: int):
    namespace = lxml.etree.QName(near).namespace
    span = near.makeelement(f"{{{namespace}}}span" if namespace else "span",
                            {f"{{{safety.OPS}}}type": "pagebreak", "role": "doc-pagebreak",
                             "id": marker_id(number), "aria-label": str(number)})
    return span


def _insert(block, position: tuple, marker) -> None:
    node, field, index = position
    text = getattr(node, field) or ""
    if field == "text":
        node.text = text[:index] or None
        marker.tail = text[index:] or None
        node.insert(0, marker)
    else:
        node.tail = text[:index] or None
        marker.tail = text[index:] or None
        node.addnext(marker)


def _after_marker(block, position: tuple) -> tuple:
    """The position right after the marker just inserted: the next marker of an empty page goes there."""
    node, field, _ = position
    marker = node[0] if field == "text" else node.getnext()
    return marker, "tail", 0


def _append_page_list(tree, placed: list[tuple[int, str]], title: str) -> None:
    body = _body(tree)
    namespace = lxml.etree.QName(body).namespace
    make = lambda tag, attributes=None: body.makeelement(f"{{{namespace}}}{tag}", attributes or {})  # noqa: E731
    nav = make("nav", {f"{{{safety.OPS}}}type": "page-list", "role": "doc-pagelist", "id": "page-list",
                       "hidden": "hidden", "aria-label": title})
    nav.text = "\n  "
    listing = make("ol")
    nav.append(listing)
    for number, name in placed:
        item = make("li")
        link = make("a", {"href": f"{name}#{marker_id(number)}"})
        link.text = str(number)
        item.append(link)
        item.tail = "\n    "
        listing.append(item)
    listing.text = "\n    "
    if len(listing):
        listing[-1].tail = "\n  "
    listing.tail = "\n"
    body.append(nav)
    nav.tail = "\n"


def _body(tree):
    return next(e for e in tree.iter() if isinstance(e.tag, str) and local_name(e.tag) == "body")


def _serialise(tree) -> str:
    body = lxml.etree.tostring(tree, encoding="unicode")
    return f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n{body}\n'
