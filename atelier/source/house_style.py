"""The house style: the rules of ``content/regles-de-style.md`` that a program can check.

Each rule a reader would otherwise find by rereading is reported at its line, as a warning an
editor can act on (an error with ``--strict``):

- ``STYLE-ANNEES``: a range of years is written with a hyphen and no space (« 2024-2034 »), never
  with a dash (« 2024–2034 ») or spaces around the hyphen;
- ``STYLE-NUMERO``: a text's number is written « n° » followed by a space (« loi n° 2021-875 »),
  never « N° », « nº » (the ordinal sign) or « n°2021 »;
- ``STYLE-ARTICLE``: a code article is written with a space after its letter (« L. 2125-1-2 »).

What it cannot check, and the style sheet leaves to the editors: acronyms spelled out at their
first use, capitals of institutions, numbers in words or digits (« trois ans » but « 12 porteurs »
depends on what is counted).
"""
from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from ..errors import Collector
from ..model import Markdown


class Rule(NamedTuple):
    """One checkable rule: its code, the pattern of a fault, and what to write instead."""

    code: str
    pattern: re.Pattern
    advice: str


_YEAR = r"(?:19|20)\d\d"
#: Between two years: a dash, or a hyphen with a space on either side (never a line break: a list).
_BETWEEN = r"(?:[ \t\u00a0]*[–—][ \t\u00a0]*|[ \t\u00a0]+-[ \t\u00a0]*|-[ \t\u00a0]+)"
RULES = (
    Rule("STYLE-ANNEES", re.compile(rf"\b{_YEAR}{_BETWEEN}{_YEAR}\b"),
         "un intervalle d'années s'écrit avec un trait d'union, sans espace : « 2024-2034 »."),
    Rule("STYLE-NUMERO", re.compile(r"(?<!\w)(?:N[°º]|nº|n°(?=\d))"),
         "un numéro s'écrit « n° » (n minuscule, signe degré) suivi d'une espace : « loi n° 2021-875 »."),
    Rule("STYLE-ARTICLE", re.compile(r"(?<![\w.])(?:art\.\s*)?[LRD]\.(?=\d)"),
         "un article de code s'écrit avec une espace après sa lettre : « art. L. 2125-1-2 »."),
)
#: Where the rules do not apply: web addresses and inline code.
_EXEMPT = re.compile(r"https?://\S+|`[^`\n]*`")


def style_faults(text: str) -> Iterator[tuple[int, Rule, str]]:
    """Every fault of ``text`` against :data:`RULES`: its offset, the rule and the text at fault."""
    exempt = [match.span() for match in _EXEMPT.finditer(text)]
    for rule in RULES:
        for match in rule.pattern.finditer(text):
            if not any(start <= match.start() < end for start, end in exempt):
                yield match.start(), rule, match.group(0)


def check_house_style(pieces: list[Markdown], errors: Collector) -> None:
    """Warn, at its line, about every fault of ``pieces`` against the checkable house rules."""
    from ..html.markup import position_in

    for piece in pieces:
        for offset, rule, found in sorted(style_faults(piece.text), key=lambda fault: fault[0]):
            line, column = position_in(piece, offset)
            errors.warn(piece.source.path, line, column, rule.code,
                        f"« {found.strip()} » : {rule.advice} (voir content/regles-de-style.md)")
