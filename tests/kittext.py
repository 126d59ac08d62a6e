"""What the press-kit tests read in the kit's files: its text as a reader sees it, page by page, and the
figures the kit must print, counted again from the proposals (never taken from the stage that printed them)."""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

import lxml.html
import pypdfium2

from atelier.html.typography import typeset_text

KIT = "kit-presse"
#: What the working-edition notice must say wherever it is printed (compared without case).
NOTICE = ("édition de travail", "construire et tester", "ne sont pas ceux de la fondation")
A4 = (595.28, 841.89)


def plain(text: str) -> str:
    """Text as a reader sees it: one line, ordinary spaces and apostrophes, no line-end hyphens."""
    text = re.sub(r"[\u00ad\ufffe\u2010-]\s*\n\s*", "", text)
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip()


def says_notice(text: str) -> bool:
    return all(part in plain(text).lower() for part in NOTICE)


@lru_cache(maxsize=None)
def _texts(path: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Each page's text and the text in its bottom 20 mm (its foot: folio, running foot), read once per file
    (the kit's files do not change during the session)."""
    document = pypdfium2.PdfDocument(str(path))
    try:
        pages = [document[i].get_textpage() for i in range(len(document))]
        return (tuple(page.get_text_range() for page in pages),
                tuple(page.get_text_bounded(bottom=0, top=20 / 25.4 * 72) for page in pages))
    finally:
        document.close()


def pdf_pages(path: Path) -> list[str]:
    """Each page's text."""
    return list(_texts(path)[0])


def page_foot(path: Path, index: int) -> str:
    """The text in the bottom 20 mm of page ``index`` (its folio, its running foot)."""
    return _texts(path)[1][index]


def page_text(html: str) -> str:
    """The words of an HTML document's body, a space between elements (table cells are apart)."""
    return " ".join(lxml.html.document_fromstring(html).body.itertext())


def expected_rows(book) -> list[str]:
    """Every « name value share % » row the key figures must print, counted from the proposals."""
    proposals = book.proposals
    total = len(proposals)

    def row(name, n):
        return plain(f"{typeset_text(name, 'fr')} {n} {round(100 * n / total)} %")

    rows = [row(axis.title, sum(p.axis_id == axis.id for p in proposals)) for axis in book.axes]
    by_actor = Counter(actor.id for p in proposals for actor in p.actors)
    rows += [row(actor.label, by_actor[actor.id]) for actor in book.actors]
    for key in ("cost", "ease"):
        counts = Counter(p.levels[key].id for p in proposals)
        rows += [row(level.label, counts[level.id]) for level in book.scales[key].levels]
    return rows


def headline(book) -> list[str]:
    proposals = book.proposals
    return [f"{len(proposals)} propositions", f"{len(book.axes)} parties", f"{len(book.actors)} acteurs interpellés",
            f"{sum(p.highlight for p in proposals)} propositions phares"]
