"""Block numbers: every paragraph, item and heading of a document laid out in pages gets a number
(``data-b``), so that what the layout stage learns of a page (a word to keep whole at the foot,
:mod:`atelier.outputs.amend`) can name the block it belongs to in the next layout's HTML."""
from __future__ import annotations

import lxml.etree

#: The attribute that numbers the blocks.
BLOCK = "data-b"
#: The elements that are numbered: the blocks lines belong to.
NUMBERED = frozenset({"p", "li", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption"})


def number_blocks(tree) -> None:
    """Number every block of ``tree`` in document order (``data-b``)."""
    count = 0
    for element in tree.iter():
        if isinstance(element.tag, str) and lxml.etree.QName(element).localname in NUMBERED:
            element.set(BLOCK, str(count))
            count += 1
