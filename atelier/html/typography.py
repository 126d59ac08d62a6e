"""French (and English) typography: one stage, from HTML to HTML, that every text goes through.

Editors type the way keyboards let them: straight quotes and apostrophes,
ordinary spaces before « ; : ! ? », ``...``, ``--``, ``1er``, ``n° 5``. This
stage turns that into the typography a French printer expects (no-break
spaces where a line must not break, « » and ’, superscript ordinals, small
capitals for centuries), in every output, because every document passes
here (see :mod:`atelier.html.dom`) and metadata strings pass through
:func:`typeset_text`.

How it works:

* Each **block** (paragraph, heading, list item, table cell…) is read as one
  string made of the text of its inline descendants, so a rule sees across
  ``<em>`` or ``<a>`` boundaries (``**Attention**: lire`` is one string).
  Every character remembers which text node it came from and in which
  language, so a change is written back into the node it belongs to.
* Characters that must not change are **fixed**: the content of ``code``,
  ``kbd``, ``samp``, ``pre`` (seen as one opaque character), the edges of
  ``sup``/``sub`` (so ``1<sup>er</sup>`` is never read as ``1er`` again),
  URLs, e-mail addresses, times and ratios (``10:30``, ``16:9``). A match
  that touches a fixed character is left alone.
* Rules run in order; each is a regular expression applied to the whole
  block for one language. A few rules make markup (``<sup>``, small
  capitals, ``<span class="nowrap">`` around a year range,
  ``<abbr class="numero" title="numéro">`` around « n° »); outside HTML flow
  content (``<title>``, SVG, attributes, metadata) those are skipped, so the
  text stays plain. The elements the stage made keep their edges fixed on a
  later pass, so they are never made twice.

« n° » stays « n° » (the degree sign of French keyboards) in every output,
marked as the abbreviation of « numéro »: n<sup>o</sup> is two pieces of
text that screen readers read « n o » or « no », while « n° » is the form
their French dictionaries know (README, « Conventions de saisie »).
* Every rule is written so that it changes nothing in its own output:
  the stage is idempotent.

Attribute values are left as typed, except the ones a reader sees or hears
(:data:`TEXT_ATTRIBUTES`: alternative texts, bookmarks, running heads; an
abbreviation's ``title``, its expansion).
"""
from __future__ import annotations

import re
from array import array
from dataclasses import dataclass, field
from typing import Callable, Optional, Union

import lxml.etree
import lxml.html

from ..names import local_name

NBSP = "\u00a0"
NNBSP = "\u202f"

#: Attributes whose value is text for readers (``title`` is a tooltip and stays as typed).
TEXT_ATTRIBUTES = ("alt", "aria-label", "data-bookmark", "data-short", "data-title")
#: Elements whose ``title`` is text for readers, not a tooltip: an abbreviation's expansion, which a
#: screen reader may speak in place of the abbreviation (« entreprise solidaire d’utilité sociale »).
SPOKEN_TITLES = frozenset({"abbr"})
#: <meta name="…"> whose content is text for readers (WeasyPrint puts them in the PDF's metadata).
TEXT_METAS = ("description", "keywords", "author", "subject")
#: Never touched, and seen from outside as one opaque character.
VERBATIM = frozenset({"code", "kbd", "samp", "pre", "var", "script", "style", "math"})
#: Inline elements: their text belongs to the surrounding block and rules see through their edges.
INLINE = frozenset({"a", "abbr", "b", "bdi", "bdo", "cite", "data", "del", "dfn", "em", "i", "ins",
                    "mark", "q", "s", "small", "span", "strong", "time", "u", "tspan"})
#: Inline elements whose edges are fixed, so their content is never merged with its neighbours.
ATOMIC = frozenset({"sup", "sub"})
#: Elements without content that stand for something inside a line.
VOID_OBJECTS = frozenset({"img", "wbr"})
#: Blocks whose text must stay plain text (no generated markup inside).
PLAIN_BLOCKS = frozenset({"title", "option", "textarea"})

# Characters that stand for structure inside a block's string. They cannot occur in XML text,
# so content can never forge them.
SUP_OPEN, SUP_CLOSE, SC_OPEN, SC_CLOSE, OBJECT, BREAK = "\x01", "\x02", "\x03", "\x04", "\x05", "\n"
NOWRAP_OPEN, NOWRAP_CLOSE, NUMERO_OPEN, NUMERO_CLOSE = "\x06", "\x07", "\x0e", "\x0f"
#: The markup the stage makes, by the character that opens it: (element, attributes).
MADE = {SUP_OPEN: ("sup", {}), SC_OPEN: ("span", {"class": "sc"}), NOWRAP_OPEN: ("span", {"class": "nowrap"}),
        NUMERO_OPEN: ("abbr", {"class": "numero", "title": "numéro"})}

SPACE = "[ \t\n\u00a0\u202f\u2009]"
ROMAN = r"(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"


def _sup(text: str) -> str:
    return SUP_OPEN + text + SUP_CLOSE


def _sc(text: str) -> str:
    return SC_OPEN + text + SC_CLOSE


def _made_here(element) -> bool:
    """An element this stage made on an earlier pass (its edges stay fixed, so it is never made twice)."""
    classes = (element.get("class") or "").split()
    return ("nowrap" in classes and local_name(element.tag) == "span") or ("numero" in classes
                                                                      and local_name(element.tag) == "abbr")


# --- the rules -----------------------------------------------------------------------------

Replacement = Union[str, Callable[[re.Match], str]]


@dataclass(frozen=True)
class Rule:
    """One typographic rule: a pattern, what replaces it, the language it is for."""

    name: str
    needs: frozenset[str]          # the rule can only match a text holding one of these characters
    language: str
    pattern: re.Pattern
    replacement: Replacement
    makes_markup: bool = False


def _rule(name: str, needs: str, language: str, pattern: str, replacement: Replacement, markup: bool = False,
          flags: int = 0) -> Rule:
    return Rule(name, frozenset(needs), language, re.compile(pattern, flags), replacement, markup)


ORDINAL_SUFFIXES = {"er": "er", "re": "re", "ère": "re", "e": "e", "ème": "e", "ers": "ers",
                    "res": "res", "ères": "res", "es": "es", "èmes": "es", "nd": "d", "nde": "de",
                    "nds": "ds", "ndes": "des", "d": "d", "de": "de", "ds": "ds", "des": "des"}
#: Words after an ordinal that the ordinal must stay on the same line with.
ORDINAL_NOUNS = r"(?:siècles?|millénaires?|République|Empire|Reich|arrondissement|Internationale)"
#: Words after which a number must stay on the same line.
NUMBERED_NOUNS = (r"(?:propositions?|parties?|articles?|chapitres?|pages?|annexes?|axes?|tomes?|"
                  r"volumes?|alinéas?|livres?|titres?|décrets?|lois?|n°|p\.|pp\.|art\.|chap\.|vol\.|"
                  r"fig\.|t\.|§)")
UNITS = (r"(?:%|‰|€|\$|£|k€|M€|Md€|Mds€|km²|km|m²|m³|m|cm|mm|kg|g|ha|h|min|Mo|Go|To|kWh|MWh|"
         r"GWh|TWh|kW|MW|GW|°C|euros?|millions?|milliards?|ans?|mois|jours?|semaines?|heures?|minutes?)")
CIVILITIES = r"(?:M\.|MM\.|Mme|Mmes|Mlle|Mlles|Dr|Pr|Mgr|Me)"


#: Two years joined by a hyphen or a dash (« 2024-2034 », « 2014 – 2024 »), not inside a longer number
#: or a code (« 2024-2034-01 », « 2019-2020/3 »).
YEAR_RANGE = re.compile(r"(?<![\w\x01-\x07\x0e\x0f.,/‑-])((?:1[5-9]|20)\d\d)[ \u00a0\u202f]*[-–—‑][ \u00a0\u202f]*"
                        r"((?:1[5-9]|20)\d\d)(?![\w/‑-]|[.,]\d)")


def _is_year_range(match: re.Match) -> bool:
    """Two years in order, a century apart at most, and not a number after « n° » (« loi n° 2016-2017 »)."""
    first, last = int(match.group(1)), int(match.group(2))
    before = match.string[max(0, match.start() - 4):match.start()]
    return first < last <= first + 100 and not re.search(r"[°º][\x02\x0f]?[\s\u00a0]*$", before)


def _year_range(match: re.Match) -> str:
    return f"{match.group(1)}-{match.group(2)}" if _is_year_range(match) else match.group()


def _year_range_kept(match: re.Match) -> str:
    return NOWRAP_OPEN + f"{match.group(1)}-{match.group(2)}" + NOWRAP_CLOSE if _is_year_range(match) \
        else match.group()


def _ordinal(match: re.Match) -> str:
    return match.group(1) + _sup(ORDINAL_SUFFIXES[match.group(2)])


def _roman_ordinal(match: re.Match) -> str:
    numeral, suffix = match.group(1), match.group(2)
    return numeral + _sup("e" if suffix in ("e", "ème") else suffix)


def _century(match: re.Match) -> str:
    return _sc(match.group(1)) + _sup("e" if match.group(2) in ("e", "ème") else match.group(2))


def _group_thousands(match: re.Match) -> str:
    digits = match.group()
    head = len(digits) % 3 or 3
    return NNBSP.join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


def _spaces_to_fine(match: re.Match) -> str:
    return re.sub(SPACE, NNBSP, match.group())


FRENCH: tuple[Rule, ...] = (
    # Ellipsis first, so the dots are not read as full stops by the rules that follow.
    _rule("ellipsis", ".", "fr", r"\.{3,}|\. \. \.", "…"),
    _rule("no space before ellipsis", "…", "fr", r"(?<=\w) (?=…(?:[\s,;:!?»)\]]|$))", ""),
    _rule("apostrophe", "'", "fr", r"'", "’"),
    # Spaces that should not be there at all, then the ones French wants.
    _rule("no space before comma or full stop", ",.", "fr", r"(?<=[^\s\x05])[ \t]+(?=[,.](?:\s|$))", ""),
    _rule("no space inside parentheses", "()[]", "fr", r"(?<=[(\[])[ \t]+|[ \t]+(?=[)\]])", ""),
    _rule("fine space before ; ! ?", ";!?", "fr", r"(?<=[^\s;!?(\[«\u202f\u00a0])" + SPACE + r"*(?=[;!?])", NNBSP),
    _rule("no-break space before a colon that follows a space", ":", "fr",
          r"(?<=[^\s:(\[«])" + SPACE + r"+(?=:)", NBSP),
    _rule("no-break space before a colon that ends a phrase", ":", "fr",
          r"(?<=[^\s:(\[«\u00a0\u202f])(?=:(?:[\s»)\]\x05]|$))", NBSP),
    _rule("no-break space inside guillemets («)", "«", "fr", r"«" + SPACE + r"*", "«" + NBSP),
    _rule("no-break space inside guillemets (»)", "»", "fr", SPACE + r"*»", NBSP + "»"),
    _rule("no space inside inner quotes (“)", "“", "fr", r"(?<=“)" + SPACE + r"+", ""),
    _rule("no space inside inner quotes (”)", "”", "fr", SPACE + r"+(?=”)", ""),
    # Numbers.
    _rule("thousands already grouped", "0123456789", "fr",
          r"(?<![\d\w.,\x01-\x07\x0e\x0f])\d{1,3}(?:" + SPACE + r"\d{3})+(?![\d\w])", _spaces_to_fine),
    _rule("thousands in a long number (not a postal code)", "0123456789", "fr",
          r"(?<![\d\w.,/\-\x01-\x07\x0e\x0f])\d{5,}(?![\d\w/\-]| [A-ZÀ-Ý])", _group_thousands),
    _rule("hour and minutes", "0123456789", "fr",
          r"(?<![\d\w])(\d{1,2})" + SPACE + r"?h(?:" + SPACE + r"?(\d{2}))?(?![\d\w])",
          lambda m: f"{m.group(1)}{NBSP}h" + (f"{NBSP}{m.group(2)}" if m.group(2) else "")),
    _rule("unit after a number", "0123456789", "fr", r"(?<=\d)" + SPACE + r"*(?=(?:%|‰|€)(?!\w))", NBSP),
    _rule("word unit after a number", "0123456789", "fr", r"(?<=\d)[ \t\n]+(?=" + UNITS + r"(?![\w]))", NBSP),
    # Words a number or name must not be separated from.
    # « n° »: kept as typed, with the degree sign of French keyboards, and marked as the abbreviation of
    # « numéro » (see NUMERO below). One form in every output: « nº » (U+00BA) becomes « n° ».
    _rule("numéro", "°º", "fr", r"(?<![\w\x01-\x07\x0e\x0f])([nN])[°º](" + SPACE + r"*)(?=\d)",
          lambda m: NUMERO_OPEN + m.group(1) + "°" + NUMERO_CLOSE + NBSP, markup=True),
    _rule("numéro alone", "°º", "fr", r"(?<![\w\x01-\x07\x0e\x0f])([nN])[°º](?![\w])",
          lambda m: NUMERO_OPEN + m.group(1) + "°" + NUMERO_CLOSE, markup=True),
    _rule("numéro in plain text", "°º", "fr", r"(?<![\w\x01-\x07\x0e\x0f])([nN])[°º]" + SPACE + r"*(?=\d)",
          lambda m: m.group(1) + "°" + NBSP),
    _rule("numéro alone in plain text", "º", "fr", r"(?<![\w\x01-\x07\x0e\x0f])([nN])º(?![\w])",
          lambda m: m.group(1) + "°"),
    _rule("number after its noun", "0123456789", "fr", r"(?<![\w])(" + NUMBERED_NOUNS + r")[ \t\n]+(?=\d)",
          lambda m: m.group(1) + NBSP, flags=re.I),
    # Year ranges: one form, « 2024-2034 » with a hyphen (never an en dash, never spaces), and never
    # broken at a line's end (a no-wrap span; U+2011 is missing from many fonts and reading systems).
    _rule("year range", "-–—‑", "fr", YEAR_RANGE, _year_range),
    _rule("year range on one line", "-", "fr", YEAR_RANGE, _year_range_kept, markup=True),
    _rule("civility", "MDP", "fr", r"(?<![\w.])(" + CIVILITIES + r")[ \t\n]+(?=[A-ZÀ-Ý])", lambda m: m.group(1) + NBSP),
    _rule("etc.", "c", "fr", r"[ \t\n]+(?=etc\.)", NBSP),
    # Ordinals: centuries in small capitals, then Roman and Arabic ordinals in superscript.
    _rule("century in small capitals", "è", "fr",
          r"(?<![\w\x01-\x07\x0e\x0f])(" + ROMAN + r")(e|ème|er)(?=(?:" + SPACE + r"*(?:,|et|ou|au|à|-)(?:" + SPACE
          + r"+(?:du|des|le|la|les))?" + SPACE + r"*" + ROMAN + r"(?:e|ème|er))*" + SPACE + r"+(?:siècles?|millénaires?)(?!\w))", _century,
          markup=True),
    _rule("Roman ordinal", "IVXLCDM", "fr",
          r"(?<![\w\x01-\x07\x0e\x0f])(?![CLDMI](?:e|ème)(?!\w))(" + ROMAN + r")(e|ème)(?![\w])", _roman_ordinal,
          markup=True),
    _rule("Roman ordinal (premier)", "I", "fr", r"(?<![\w\x01-\x07\x0e\x0f])(I)(er|re)(?![\w])", _roman_ordinal, markup=True),
    _rule("Arabic ordinal", "0123456789", "fr",
          r"(?<![\w\x01-\x07\x0e\x0f,.])(\d+)(" + "|".join(sorted(ORDINAL_SUFFIXES, key=len, reverse=True)) + r")(?![\w])",
          _ordinal, markup=True),
    _rule("ordinal and its noun", "\x02", "fr", r"(?<=" + SUP_CLOSE + r")[ \t\n]+(?=" + ORDINAL_NOUNS + r"(?!\w))", NBSP),
    _rule("ordinal and its noun in plain text", "0123456789IVXLCDM", "fr",
          r"(?<![\w\x01-\x07\x0e\x0f])((?:\d+|" + ROMAN + r")(?:er|re|e|ème|es))[ \t\n]+(?=" + ORDINAL_NOUNS + r"(?!\w))",
          lambda m: m.group(1) + NBSP),
    _rule("regnal number", "IVXLCDM", "fr",
          r"(?<![\w])([A-ZÀ-Ý][a-zà-ÿ]{2,})[ \t\n]+(?=" + ROMAN + r"(?:" + SUP_OPEN + r"[a-z]+" + SUP_CLOSE
          + r")?(?![\w]))", lambda m: m.group(1) + NBSP),
)

ENGLISH: tuple[Rule, ...] = (
    _rule("ellipsis", ".", "en", r"\.{3,}", "…"),
    _rule("no space before punctuation", ";:!?", "en", r"(?<=\S)[ \t\u00a0\u202f]+(?=[;:!?](?:\s|$))", ""),
)


# --- quotes and dashes: rules that need to remember what came before ------------------------

OPENING_CONTEXT = set(" \t\n\u00a0\u202f([{«“‘—–-/\x05") | {None}
FRENCH_OPENERS = {"«": "»", "“": "”"}
ENGLISH_OPENERS = {"“": "”", "‘": "’"}


def _quote_edits(text: str, languages: list[Optional[str]], fixed: list[bool]) -> list[tuple[int, int, str]]:
    """Straight quotes to curly or guillemets, by nesting depth and language (French « “ ”  », English “ ‘ ’ ”)."""
    edits: list[tuple[int, int, str]] = []
    stack: list[str] = []
    for index, char in enumerate(text):
        if fixed[index]:
            continue
        language = languages[index]
        if char in "«“‘" and not (char == "‘" and language != "en"):
            stack.append(char)
        elif char in "»”" and stack and stack[-1] in ("«" if char == "»" else "“"):
            stack.pop()
        elif char == "’" and stack and stack[-1] == "‘":
            stack.pop()
        elif char == '"' or (char == "'" and language == "en"):
            if language not in ("fr", "en"):
                continue
            before = text[index - 1] if index else None
            after = text[index + 1] if index + 1 < len(text) else None
            if char == "'" and before is not None and before.isalnum() and (after is None or not after.isspace()):
                edits.append((index, index + 1, "’"))    # an apostrophe (don't), not a quote
                continue
            opening = before in OPENING_CONTEXT and not (after is None or after.isspace())
            if not opening and (stack and _closes(stack[-1], char, language)):
                opener = stack.pop()
                edits.append((index, index + 1, (FRENCH_OPENERS if language == "fr" else ENGLISH_OPENERS)[opener]))
            elif opening or not stack:
                opener = _opener(len(stack), char, language)
                stack.append(opener)
                edits.append((index, index + 1, opener))
    return edits


def _opener(depth: int, char: str, language: str) -> str:
    if language == "fr":
        return "«" if depth == 0 else "“"
    if char == "'":
        return "‘"
    return "“" if depth % 2 == 0 else "‘"


def _closes(opener: str, char: str, language: str) -> bool:
    if language == "fr":
        return opener in FRENCH_OPENERS and char == '"'
    return (opener == "‘") == (char == "'") or char == '"'


DASH = re.compile(r"(?<=[^\s\x05])" + SPACE + r"+(--|-|–|—)" + SPACE + r"+(?=[^\s\x05])")
SENTENCE_END = re.compile(r"[.!?…](?=" + SPACE + r"|$)")


def _dash_edits(text: str, languages: list[Optional[str]], fixed: list[bool]) -> list[tuple[int, int, str]]:
    """An incise between dashes: en dash, no-break space on the inside, alternating within a sentence."""
    ends = [m.start() for m in SENTENCE_END.finditer(text)]
    edits = []
    opened, sentence = False, -1
    for match in DASH.finditer(text):
        if languages[match.start()] != "fr" or any(fixed[match.start():match.end()]):
            continue
        current = sum(1 for end in ends if end < match.start())
        if current != sentence:
            opened, sentence = False, current
        dash = "—" if match.group(1) == "—" else "–"
        edits.append((match.start(), match.end(), f"{NBSP}{dash} " if opened else f" {dash}{NBSP}"))
        opened = not opened
    return edits


# --- protected spans -------------------------------------------------------------------------

PROTECTED = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"«»]+?(?=[.,;:!?)\]]*(?:[\s<>\"«»]|$))"  # URLs, without trailing punctuation
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"                                          # e-mail addresses
    r"|\d+:\d+"                                                               # times and ratios
)


# --- one block as a string ----------------------------------------------------------------

@dataclass
class _Slot:
    """A text node: ``element.text`` or ``element.tail``, with its language."""

    element: object
    field: str
    language: Optional[str]


@dataclass
class _Block:
    """The string of one block, character by character, with where each character lives."""

    markup: bool
    slots: list[_Slot] = field(default_factory=list)
    chars: list[str] = field(default_factory=list)
    owners: list[int] = field(default_factory=list)   # index into slots, -1 for structure
    fixed: list[bool] = field(default_factory=list)   # structure, verbatim text, URLs…

    def add_text(self, element, name: str, language: Optional[str]) -> None:
        text = getattr(element, name)
        self.slots.append(_Slot(element, name, language))
        if text:
            self.chars.extend(text)
            self.owners.extend([len(self.slots) - 1] * len(text))
            self.fixed.extend([False] * len(text))

    def add_fixed(self, char: str) -> None:
        self.chars.append(char)
        self.owners.append(-1)
        self.fixed.append(True)

    def text(self) -> str:
        return "".join(self.chars)

    def languages(self) -> list[Optional[str]]:
        return [self.slots[o].language if o >= 0 else None for o in self.owners]


def _primary(language: Optional[str]) -> Optional[str]:
    return language.split("-")[0].lower() if language else None


def _language_of(element, inherited: Optional[str]) -> Optional[str]:
    value = element.get("{http://www.w3.org/XML/1998/namespace}lang") or element.get("lang")
    return _primary(value) if value is not None else inherited


def _is_html(element) -> bool:
    namespace = lxml.etree.QName(element).namespace
    return namespace in (None, "http://www.w3.org/1999/xhtml")


def _gather(block_element, language: Optional[str], pending: list) -> _Block:
    """The string of ``block_element``; nested blocks are queued on ``pending``."""
    markup = _is_html(block_element) and local_name(block_element.tag) not in PLAIN_BLOCKS
    block = _Block(markup=markup)
    block.add_text(block_element, "text", language)
    for child in block_element:
        _gather_child(child, block, language, pending)
    return block


def _gather_child(child, block: _Block, language: Optional[str], pending: list) -> None:
    name = local_name(child.tag)
    child_language = _language_of(child, language) if name else language
    if not name:                                   # comment or processing instruction
        pass
    elif name in VERBATIM or name in VOID_OBJECTS:
        block.add_fixed(OBJECT)
    elif name == "br":
        block.add_fixed(BREAK)
    elif name in INLINE or name in ATOMIC:
        atomic = name in ATOMIC or _made_here(child)
        if atomic:
            block.add_fixed(SUP_OPEN)
        block.add_text(child, "text", child_language)
        for grandchild in child:
            _gather_child(grandchild, block, child_language, pending)
        if atomic:
            block.add_fixed(SUP_CLOSE)
    else:
        block.add_fixed(BREAK)
        pending.append((child, child_language))
    block.add_text(child, "tail", language)


def _protect(block: _Block) -> None:
    for match in PROTECTED.finditer(block.text()):
        block.fixed[match.start():match.end()] = [True] * (match.end() - match.start())


# --- applying rules ---------------------------------------------------------------------------

def _apply(block: _Block, rules: tuple[Rule, ...]) -> None:
    """Run the quotes, every rule, then the dashes over the block's string."""
    _edit(block, _quote_edits(block.text(), block.languages(), block.fixed))
    present = set(block.chars)
    for rule in rules:
        if (rule.makes_markup and not block.markup) or rule.needs.isdisjoint(present):
            continue
        text = block.text()
        languages = None
        edits = []
        for match in rule.pattern.finditer(text):
            languages = languages or block.languages()
            if _allowed(match.start(), match.end(), rule.language, languages, block.fixed):
                replacement = rule.replacement if isinstance(rule.replacement, str) else rule.replacement(match)
                if replacement != match.group():
                    edits.append((match.start(), match.end(), replacement))
        if edits:
            _edit(block, edits)
            present = set(block.chars)
    _edit(block, _dash_edits(block.text(), block.languages(), block.fixed))


def _allowed(start: int, end: int, language: str, languages: list, fixed: list[bool]) -> bool:
    if start == end:                               # an insertion: judged by the character it precedes
        at = start if start < len(fixed) else start - 1
        return at >= 0 and not fixed[at] and languages[at] == language
    return all(not fixed[i] and languages[i] == language for i in range(start, end))


def _edit(block: _Block, edits: list[tuple[int, int, str]]) -> None:
    """Replace each (start, end) span by its text; new characters belong where the span did."""
    edits = [edit for edit in edits if block.chars[edit[0]:edit[1]] != list(edit[2])]
    if not edits:
        return
    chars, owners, fixed = [], [], []
    position = 0
    for start, end, replacement in sorted(edits):
        chars.extend(block.chars[position:start])
        owners.extend(block.owners[position:start])
        fixed.extend(block.fixed[position:start])
        owner = block.owners[start] if start < len(block.owners) else block.owners[start - 1]
        chars.extend(replacement)
        owners.extend([owner] * len(replacement))
        fixed.extend([False] * len(replacement))
        position = end
    chars.extend(block.chars[position:])
    owners.extend(block.owners[position:])
    fixed.extend(block.fixed[position:])
    block.chars, block.owners, block.fixed = chars, owners, fixed


# --- writing back ---------------------------------------------------------------------------

def _write_back(block: _Block) -> None:
    """Put each slot's new text back in its node, turning markup characters into elements."""
    texts: dict[int, list[str]] = {index: [] for index in range(len(block.slots))}
    for char, owner in zip(block.chars, block.owners):
        if owner >= 0:
            texts[owner].append(char)
    for index, slot in enumerate(block.slots):
        new = "".join(texts[index])
        if new != (getattr(slot.element, slot.field) or ""):
            _set_with_markup(slot, new)


def _set_with_markup(slot: _Slot, text: str) -> None:
    parts = re.split(r"([\x01\x03\x06\x0e])([^\x02\x04\x07\x0f]*)[\x02\x04\x07\x0f]", text)
    setattr(slot.element, slot.field, parts[0] or None)
    if len(parts) == 1:
        return
    if slot.field == "text":
        parent, index = slot.element, 0
    else:
        parent = slot.element.getparent()
        index = parent.index(slot.element) + 1
    namespace = lxml.etree.QName(parent).namespace
    for kind, inner, tail in zip(parts[1::3], parts[2::3], parts[3::3]):
        tag, attributes = MADE[kind]
        new = parent.makeelement(_name(tag, namespace), dict(attributes))
        new.text, new.tail = inner, tail or None
        parent.insert(index, new)
        index += 1


def _name(local: str, namespace: Optional[str]) -> str:
    return f"{{{namespace}}}{local}" if namespace else local


# --- public entry points ------------------------------------------------------------------------

RULES = FRENCH + ENGLISH


def typeset_tree(root, language: Optional[str] = None) -> None:
    """Apply the typography, in place, to every text of ``root`` (an lxml element)."""
    root_language = _language_of(root, _primary(language))
    pending = [(root, root_language)]
    while pending:
        element, element_language = pending.pop()
        if not local_name(element.tag) or local_name(element.tag) in VERBATIM:
            continue
        block = _gather(element, element_language, pending)
        if block.chars:
            _typeset_block(block)
            _write_back(block)
    _typeset_attributes(root, root_language)


#: Blocks already typeset in this process, by what decides their result (see :func:`_typeset_block`),
#: held compactly (a block's nodes as an array of integers, its fixed characters as bytes).
_TYPESET: dict = {}
#: Past this many characters held the memory is emptied: about 30 MB; the real book's editions hold
#: 0.26 million, the ten-times book's ten times as many.
_MOST_TYPESET_CHARS = 2_000_000
_typeset_chars = [0]


def _typeset_block(block: _Block) -> None:
    """Protect, then apply the rules to ``block``; a block met before takes its earlier result.

    A build typesets the same blocks many times: each paragraph of a proposal in the print, EPUB,
    web and press editions, the site's header and footer on each of its pages. What a block becomes
    depends only on its characters, which node each belongs to (structure and objects belong to
    none, and are the fixed characters), each node's language and whether the block may hold markup."""
    key = (block.markup, "".join(block.chars), array("i", block.owners).tobytes(),
           tuple(slot.language for slot in block.slots))
    done = _TYPESET.get(key)
    if done is None:
        _protect(block)
        _apply(block, RULES)
        if _typeset_chars[0] > _MOST_TYPESET_CHARS:
            _TYPESET.clear()
            _typeset_chars[0] = 0
        done = _TYPESET[key] = ("".join(block.chars), array("i", block.owners).tobytes(), bytes(block.fixed))
        _typeset_chars[0] += len(key[1]) + len(done[0])
    owners = array("i")
    owners.frombytes(done[1])
    block.chars, block.owners, block.fixed = list(done[0]), owners.tolist(), list(done[2])


def _typeset_attributes(element, language: Optional[str]) -> None:
    if not local_name(element.tag) or local_name(element.tag) in VERBATIM:
        return
    language = _language_of(element, language)
    transform_text_attributes(element, typeset_text, language)
    if local_name(element.tag) in SPOKEN_TITLES and element.get("title"):
        element.set("title", typeset_text(element.get("title"), language))
    for child in element:
        _typeset_attributes(child, language)


def transform_text_attributes(element, transform, language: Optional[str],
                              names: tuple[str, ...] = TEXT_ATTRIBUTES) -> None:
    """Apply ``transform(text, language)`` to the reader-facing attributes ``names`` of ``element``,
    and to the content of a ``<meta>`` that holds text (:data:`TEXT_METAS`)."""
    for name in names:
        if element.get(name):
            element.set(name, transform(element.get(name), language))
    if local_name(element.tag) == "meta" and element.get("name") in TEXT_METAS and element.get("content"):
        element.set("content", transform(element.get("content"), language))


def typeset_text(text: str, language: Optional[str]) -> str:
    """The typography for a plain string (metadata, attributes): the same rules, no markup."""
    block = _Block(markup=False)
    block.add_text(_Holder(text), "text", _primary(language))
    _typeset_block(block)
    return "".join(block.chars)


class _Holder:
    """Something with a ``text`` attribute, so a plain string goes through the same code as a node."""

    def __init__(self, text: str):
        self.text = text


def typeset(html: str, language: str = "fr") -> str:
    """HTML in, HTML out: the typography applied to a fragment or a whole document."""
    wrapper = lxml.html.fragment_fromstring(html, create_parent="div")
    wrapper.set("lang", language)
    typeset_tree(wrapper)
    inner = _escape(wrapper.text or "")
    return inner + "".join(lxml.html.tostring(child, encoding="unicode") for child in wrapper)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
