"""Exergues: a sentence of a proposal's own text, set large in the space its last page would leave.

A proposal begins where the one before ends when its head and meta band fit there; when they do
not, the page ends early, sometimes by more than vertical justification may spread (one line per
boundary, :mod:`.feather`). A designer uses that space on purpose rather than leave it blank or
stretch the text: here, with an exergue, one sentence of the proposal that ends on the page, drawn
from its text, between two rules in the part's colour.

The exergue is positioned (``position: absolute`` in a place of no height at the end of the
proposal), so it moves nothing in the flow: the page breaks, the page numbers and every « p. N »
stay as they were, and the layout that measures the space is the one that receives it. It is a
repetition, hidden from assistive technology (``aria-hidden``; an artifact in the tagged PDF).

:func:`sentence` chooses the sentence; :func:`element` makes the markup :mod:`.amend` writes in.
"""
from __future__ import annotations

import re
from typing import Optional

import lxml.html

from ..pages import roles
from ..source.text import plain_words
from .counting import own_text

#: The exergue's type: its line (CSS pixels, 12.5 pt at 1.3) and the rules and padding around its text.
LINE_PX = 12.5 * 1.3 * 96 / 72
FRAME_PX = 2 * (2.5 + 0.4) * 96 / 25.4
#: The space between the proposal's last line and the exergue's upper rule.
GAP_PX = 4 * 96 / 25.4
#: Characters counted for an exergue line: its lines hold 50 to 58 at 12.5 pt italic (10 mm inside
#: the text column on each side); fewer are counted so that a sentence never needs one more line.
CHARACTERS_PER_LINE = 46
#: The fewest and most lines of an exergue's text, and the shortest sentence worth setting large.
FEWEST_LINES, MOST_LINES = 2, 4
SHORTEST = 60
#: The attribute of a proposal's element that carries the sentence its editors chose.
CHOSEN = "data-exergue"
#: Sentence ends: a full stop, a question or an exclamation mark, then a capital.
_SENTENCE_END = re.compile(r"(?<=[.!?…]) +(?=[A-ZÀÂÉÈÊÎÔÛÇ«])")
#: Words that point back to something the sentence alone does not hold: out of context they read wrong.
_LEANING = frozenset("""il elle ils elles ce cet cette ces cela ceci celle celles celui ceux son sa ses leur leurs
mais et or donc ainsi aussi puis enfin là second seconde deuxième troisième dernier dernière autre autres même
tous toutes chacun chacune reste""".split())


def height_for(space: float) -> Optional[float]:
    """The height of an exergue filling ``space`` CSS pixels, or None when its smallest would not fit."""
    if space < GAP_PX + FRAME_PX + FEWEST_LINES * LINE_PX:
        return None
    return space


def most_characters(height: float) -> int:
    """How many characters an exergue of ``height`` pixels may quote."""
    lines = min(MOST_LINES, int((height - GAP_PX - FRAME_PX) // LINE_PX))
    return lines * CHARACTERS_PER_LINE


def sentence(proposal, most: int) -> Optional[str]:
    """The sentence of ``proposal``'s text (its body's paragraphs, notes left out) an exergue quotes:
    the one its editors chose (``exergue`` in ``propositions.yaml``, carried by the print template as
    :data:`CHOSEN`) when it is a sentence of the text that fits; else one that stands alone (it does
    not begin by pointing back, cites no proposal or page, holds no parenthesis, semicolon or
    quotation), between :data:`SHORTEST` and ``most`` characters; a paragraph's first sentence first,
    then the longest. None when no sentence fits."""
    sentences = [(rank, place, text.strip()) for rank, paragraph in enumerate(_paragraphs(proposal))
                 for place, text in enumerate(_SENTENCE_END.split(paragraph))]
    chosen = plain_words(proposal.get(CHOSEN) or "")
    if chosen:
        fitting = [text for _, _, text in sentences if plain_words(text) == chosen and len(text) <= most]
        if fitting:
            return fitting[0]
    candidates = [(place != 0, -len(text), rank, text) for rank, place, text in sentences
                  if SHORTEST <= len(text) <= most and _stands_alone(text)]
    return min(candidates)[3] if candidates else None


def element(text: str, height: float):
    """The markup of an exergue quoting ``text`` that holds ``height`` CSS pixels below the proposal's
    last line (the gap above its rule included): a place of no height in the flow holding the
    positioned exergue."""
    place = lxml.html.Element("div", {"class": "exergue-place", roles.ATTRIBUTE: roles.EXERGUE})
    aside = lxml.html.Element("aside", {"class": "exergue", roles.ATTRIBUTE: roles.EXERGUE, "aria-hidden": "true",
                                        "style": f"top: {GAP_PX:.1f}px; height: {height - GAP_PX:.1f}px"})
    quote = lxml.html.Element("p")
    # The last two words stay together: a word alone on the exergue's last line reads as a slip.
    head, _, last = text.rpartition(" ")  # an ordinary space: the non-breaking ones already hold
    quote.text = f"«\u00a0{head}\u00a0{last}\u00a0»" if head else f"«\u00a0{text}\u00a0»"
    aside.append(quote)
    place.append(aside)
    return place


def _paragraphs(proposal) -> list[str]:
    texts = []
    for paragraph in proposal.iter("p"):
        if not _in_head(paragraph):
            # Runs of ordinary spaces become one; the typography stage's non-breaking ones stay.
            texts.append(re.sub(r"[ \t\r\n]+", " ", own_text(paragraph)).strip())
    return texts


def _in_head(paragraph) -> bool:
    """A paragraph of the proposal's head or meta band (its summary, its actors), not of its text."""
    return any(roles.KEEP_WITH_NEXT in roles.roles_of(a) or roles.SET_AS_ONE in roles.roles_of(a)
               for a in [paragraph, *paragraph.iterancestors()])


def _stands_alone(text: str) -> bool:
    first = re.split(r"[\s’']", text, maxsplit=1)[0].lower()
    return (first not in _LEANING and text[-1] in ".!?…" and not re.search(r"[();«»]|propositions?\s\d|p\.\s\d", text)
            and not text.startswith("«"))
