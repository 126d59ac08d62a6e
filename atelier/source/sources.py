"""The sources of the content: every legal reference the text makes has an entry in ``sources.yaml``.

``content/sources.yaml`` lists each legal text, code article and institutional fact the content
relies on, with where and when it was checked (:class:`atelier.model.SourceEntry`). When the file
exists, :func:`check_sources` finds every reference the book's prose makes and reports, at its line,
one that has no entry (``SOURCE-ABSENTE``), so that a new law cannot enter the text unsourced.

What is recognised as a reference (the forms of ``content/regles-de-style.md``):

- a number after « n° » with a hyphen or a slash: « loi n° 2021-875 », « circulaire n° 5811-SG »;
- a European act: « directive (UE) 2022/2464 », « règlement (CE) n° 1303/2013 »;
- a code article with its letter: « art. L. 2125-1-2 », « R. 2111-1 »;
- the Constitution.

A code article without a letter (« art. 238 bis du code général des impôts ») is not recognised:
its number alone does not say it is one. An entry no text cites is reported too
(``SOURCE-INUTILE``), facts excepted, which the text states without a number.
"""
from __future__ import annotations

import re
from typing import Iterator

from ..errors import Collector
from ..model import Book, Markdown, SourceEntry

#: The file, in the content folder.
SOURCES_FILE = "sources.yaml"

_NUMBER = re.compile(r"\bn[°º]\s*(\d[\dA-Za-z]*(?:[-/][\dA-Za-z]+)+)")
_EUROPEAN = re.compile(r"\((?:UE|CE|CEE|Euratom)\)\s*(?:n[°º]\s*)?(\d{2,4}/\d+)")
_ARTICLE = re.compile(r"(?<![\w.])([LRD])\.\s?(\d+(?:-\d+)*)(?!\w)")
_CONSTITUTION = re.compile(r"\bConstitution\b")
_LATIN = "bis|ter|quater|quinquies|sexies|septies|octies|nonies|decies|undecies|duodecies|terdecies|quaterdecies|" \
         "quindecies|sexdecies|septdecies|octodecies|novodecies|vicies"
#: An article number without a letter (« art. 238 bis »): counted as a citation of an entry that has it.
_BARE_ARTICLE = re.compile(r"\b(?:art\.|articles?)\s+(\d+(?:\s(?:%s)(?:\s[A-Z]\b)?)?)" % _LATIN)


def references_in(text: str) -> Iterator[tuple[int, str]]:
    """Every legal reference of ``text``: its offset and its ``cite`` (as sources.yaml writes it)."""
    for match in _NUMBER.finditer(text):
        yield match.start(), match.group(1)
    for match in _EUROPEAN.finditer(text):
        yield match.start(), match.group(1)
    for match in _ARTICLE.finditer(text):
        yield match.start(), f"{match.group(1)}. {match.group(2)}"
    for match in _CONSTITUTION.finditer(text):
        yield match.start(), "Constitution"


def check_sources(book: Book, pieces: list[Markdown], errors: Collector) -> None:
    """Report each reference of ``pieces`` without an entry in sources.yaml, and each entry no text
    cites (nothing when the book has no sources.yaml)."""
    from ..html.markup import position_in

    if book.references is None:
        return
    listed = {entry.cite for entry in book.references}
    cited = set()
    for piece in pieces:
        cited.update(match.group(1) for match in _BARE_ARTICLE.finditer(piece.text))
        for offset, cite in references_in(piece.text):
            cited.add(cite)
            if cite not in listed:
                line, column = position_in(piece, offset)
                errors.warn(piece.source.path, line, column, "SOURCE-ABSENTE",
                           f"la référence « {cite} » n'a pas d'entrée dans {SOURCES_FILE} : ajoutez-y le texte, "
                           "ses articles, sa date et l'adresse où vous l'avez vérifié (voir le README, « Les sources »).")
    path = book.content_dir / SOURCES_FILE
    for entry in book.references:
        if entry.kind != "fait" and entry.cite not in cited:
            line = _line_of(path, entry)
            errors.warn(path, line, 1, "SOURCE-INUTILE",
                       f"l'entrée « {entry.cite} » n'est citée par aucun texte du livre : retirez-la, ou "
                       "écrivez la référence dans le texte comme elle est écrite ici.")


def _line_of(path, entry: SourceEntry) -> int:
    """The line of ``entry``'s ``cite`` in sources.yaml (1 when the file cannot be read)."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        return 1
    needle = re.compile(r"^\s*-?\s*cite:\s*[\"']?%s[\"']?\s*$" % re.escape(entry.cite))
    return next((number for number, text in enumerate(lines, 1) if needle.match(text)), 1)
