"""Layout amendments (atelier/outputs/amend.py): a word that ends a page hyphenated is kept whole."""
from __future__ import annotations

import lxml.html
from weasyprint import HTML

from atelier import pages
from atelier.html import blocks
from atelier.outputs import amend

STYLE = ("@page { size: 90mm 60mm; margin: 8mm } body { font: 10pt/13pt serif; text-align: justify; "
         "hyphens: auto } p { margin: 0; orphans: 1; widows: 1 } .keep-word { hyphens: manual }")


def _numbered(body: str) -> str:
    tree = lxml.html.document_fromstring(f'<html lang="fr"><head><style>{STYLE}</style></head><body>{body}</body></html>')
    blocks.number_blocks(tree)
    return lxml.html.tostring(tree, encoding="unicode")


def _ends_hyphenated(html: str) -> list[bool]:
    reading = pages.read(HTML(string=html).render())
    return [bool(page.body()) and max(page.body(), key=lambda l: l.bottom).hyphenated for page in reading.pages]


def test_a_word_hyphenated_at_a_page_end_is_found_and_kept_whole_at_that_place():
    words = ("Les administrations territoriales accompagnent quotidiennement des expérimentations "
             "particulièrement prometteuses ")
    for width in range(40, 140):  # find a text whose first page ends on a hyphen
        html = _numbered(f"<p>{(words * 12)[:width * 10]}</p>")
        if _ends_hyphenated(html)[0]:
            break
    else:
        raise AssertionError("no page ended hyphenated: the test text needs changing")
    reading = pages.read(HTML(string=html).render())
    found = amend.found(reading)
    assert len(found.whole_words) >= 1
    amended = amend.apply(html, found)
    assert amended.count('class="keep-word"') == len(found.whole_words)
    assert not _ends_hyphenated(amended)[0]
    # The word kept whole is the one that was split, not an earlier occurrence of it.
    head = reading.pages[1].body()[-1].dom_text.split()[-1]
    kept = lxml.html.document_fromstring(amended).find_class("keep-word")[0].text
    assert kept.startswith(head)
