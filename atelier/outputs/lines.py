"""The lines of a layout as a typesetter reads them, and what a typesetter counts in them.

The lines come from the page model (:mod:`atelier.pages`), read from WeasyPrint's own boxes (the
ones the PDF is drawn from), so the characters are exact: a no-break space is told apart from a
space, which the PDF's text cannot do (both are drawn with the same glyph). Used by the typography
report (``scripts/typography_report.py``) and by the tests that measure the built book.
"""
from __future__ import annotations

import re
from collections import Counter

from ..pages.model import Line
from ..pages.read import HYPHENS  # noqa: F401  (what a hyphenated line ends with)


def lines(layout) -> list[Line]:
    """Every line of ``layout`` (a :class:`atelier.outputs.layout.Layout`), in reading order: its page
    model's (:mod:`atelier.pages`)."""
    return layout.model.lines()


# --- what a typesetter counts ----------------------------------------------------------------

#: A last line this short (characters, punctuation included) is a lone word the eye stumbles on.
SHORT_LAST = 6
#: Blocks of running text, where paragraph shape matters (headings and table cells are set apart).
RUNNING_TEXT = frozenset({"p", "li", "dd", "blockquote"})
_FIRST_WORD = re.compile(r"^[^\W\d_]+")
_LAST_WORD = re.compile(r"[^\W\d_]+(?=[\u2010\-\u00ad]$)")


def measure(found: list[Line]) -> Counter:
    """Count the typographic faults of a set of lines (see the typography issue's list)."""
    counts: Counter = Counter()
    text = "\n".join(line.text for line in found)
    counts["straight apostrophes"] = text.count("'")
    counts["typographic apostrophes"] = text.count("\u2019")
    counts["narrow no-break spaces"] = text.count("\u202f")
    counts["no-break spaces"] = text.count("\u00a0")
    for mark in ";?!:":
        counts[f"breakable space before {mark}"] = len(re.findall(rf"(?:^| ){re.escape(mark)}", text, re.M))
        counts[f"{mark} in all"] = text.count(mark)
    counts["breakable space inside guillemets"] = len(re.findall(r"«(?: |$)|(?:^| )»", text, re.M))
    counts["lines starting with ; : ! ? » …"] = sum(1 for l in found if l.text.lstrip()[:1] in set(";:!?»…"))
    counts["lines ending with «"] = sum(1 for l in found if l.text.rstrip().endswith("«"))
    counts["hyphenated line ends"] = sum(1 for l in found if l.hyphenated)
    run, runs = 0, 0
    for index, line in enumerate(found):
        run = run + 1 if line.hyphenated else 0
        if run == 3:
            runs += 1
        if line.hyphenated:
            before = _LAST_WORD.search(line.text)
            after = _FIRST_WORD.search(found[index + 1].text.lstrip()) if index + 1 < len(found) else None
            if (before and len(before.group()) < 3) or (after and len(after.group()) < 3):
                counts["fragments of fewer than 3 letters"] += 1
    counts["runs of 3 or more hyphenated lines"] = runs
    before = {id(line): found[index - 1] for index, line in enumerate(found) if index}
    lone = [line for index, line in enumerate(found)
            if line.paragraph_end and line.tag in RUNNING_TEXT and index and found[index - 1].tag == line.tag
            and not found[index - 1].paragraph_end and " " not in line.text.strip()]
    counts["paragraphs ending on one word or a fragment"] = len(lone)
    # The fault a reader sees: a last line too short to hold the eye (« une », « ci. », the end of a word).
    counts["paragraphs ending on a short lone word"] = sum(
        1 for line in lone if len(line.text.strip()) <= SHORT_LAST and before[id(line)].justified)
    return counts
