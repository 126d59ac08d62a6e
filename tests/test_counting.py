"""Places shared by the page model and the HTML (atelier/outputs/counting.py): look-alike blocks ranked
by bisection give what a walk of each holder gives."""
from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import lxml.etree

from atelier.names import local_name
from atelier.outputs.counting import SameText, own_text, squeezed

BOOK = ("<body id='livre'><section id='p1'><p>Même texte</p><p>Autre</p><div id='d'><p>Même  texte</p>"
        "<p>Même texte</p></div></section><!-- note --><section id='p2'><p>Même texte</p><li>Même texte</li>"
        "<p>Autre</p></section></body>")


def _walked(holder, tag: str, text: str) -> list:
    """The look-alikes of ``holder`` as a walk finds them (the way page starts were counted before)."""
    return [e for e in holder.iter() if local_name(e.tag) == tag and squeezed(own_text(e)) == text]


def _check(root) -> int:
    alike, checked = SameText(root), 0
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    for holder in elements:
        for block in elements:
            tag, text = local_name(block.tag), squeezed(own_text(block))
            same = _walked(holder, tag, text)
            expected = next((index for index, e in enumerate(same) if e is block), 0)
            assert alike.rank(holder, block, tag, text) == expected
            for rank in range(len(same) + 1):
                assert alike.nth(holder, tag, text, rank) is (same[rank] if rank < len(same) else None)
            checked += 1
    return checked


def test_ranks_and_look_alikes_match_a_walk_of_each_holder_in_weasyprints_tree_and_in_lxmls():
    assert _check(ElementTree.fromstring(BOOK)) == 11 * 11      # WeasyPrint's tree: no parents known
    assert _check(lxml.etree.fromstring(BOOK)) == 11 * 11       # the EPUB's documents
