"""The lines of a layout as a typesetter reads them: text, page, hyphenation, end of paragraph.

Read from WeasyPrint's own boxes (the ones the PDF is drawn from), so the
characters are exact: a no-break space is told apart from a space, which
the PDF's text cannot do (both are drawn with the same glyph). Used by the
typography report (``scripts/typography_report.py``) and by the tests that
measure the built book.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

#: What WeasyPrint appends to a line broken inside a word (CSS ``hyphenate-character``).
HYPHENS = ("\u2010", "-", "\u00ad")


@dataclass(frozen=True)
class Line:
    """One printed line of the body (margin boxes excluded)."""

    page: int
    text: str
    hyphenated: bool          # broken inside a word by hyphenation (not after a typed hyphen)
    paragraph_end: bool       # the last line of its block
    tag: str                  # the element of the block that holds it (p, li, h2…)
    block: int = 0            # which block holds it (the same number on every page it spans)
    top: float = 0.0          # position on the page, in CSS pixels from the top edge
    bottom: float = 0.0
    classes: str = ""         # the class attribute of that block
    row_class: str = ""       # the class of the table row it sits in, if any
    aside: bool = False       # in a positioned box beside the text (the side column)
    note: bool = False        # in the footnote area at the foot of the page


def lines(layout) -> list[Line]:
    """Every body line of ``layout`` (a :class:`atelier.outputs.layout.Layout`), in reading order."""
    found: list[tuple[int, object, object, object, bool, bool]] = []
    for number, page in enumerate(layout.document.pages, 1):
        _collect(page._page_box, number, None, None, False, False, found)
    last_line_of = {id(block): index for index, (_, _, block, _, _, _) in enumerate(found)}
    result = []
    for index, (page, line, block, row, aside, note) in enumerate(found):
        text, hyphenated = _text(line)
        result.append(Line(page, text, hyphenated, last_line_of[id(block)] == index, _tag(block), id(block),
                           line.position_y, line.position_y + line.height,
                           block.get("class", "") if block is not None else "",
                           row.get("class", "") if row is not None else "", aside, note))
    return result


def _tag(element) -> str:
    tag = getattr(element, "tag", "") if element is not None else ""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _collect(box, page: int, block, row, aside: bool, note: bool, found: list) -> None:
    kind = type(box).__name__
    if kind == "MarginBox" or str(getattr(box, "element_tag", "")).endswith("::marker"):
        return
    if kind == "LineBox":
        found.append((page, box, block, row, aside, note))
        return
    aside = aside or getattr(box, "style", {}).get("position") in ("absolute", "fixed")
    note = note or kind == "FootnoteAreaBox"
    element = getattr(box, "element", None)
    if element is not None and kind in ("BlockBox", "BlockContainerBox", "TableCellBox", "FlexBox",
                                        "InlineBlockBox", "FootnoteAreaBox"):
        block = element
    if kind == "TableRowBox":
        row = element
    for child in getattr(box, "children", ()):
        _collect(child, page, block, row, aside, note, found)


def _text(line) -> tuple[str, bool]:
    parts: list[str] = []
    hyphenated = False
    stack = list(line.children)
    while stack:
        node = stack.pop(0)
        text = getattr(node, "text", None)
        if isinstance(text, str):
            parts.append(text)
        stack[0:0] = list(getattr(node, "children", ()))
    text = "".join(parts).rstrip(" ")
    last = _last_text_box(line)
    if last is not None and text.endswith(HYPHENS):
        style_char = last.style["hyphenate_character"]
        hyphenated = bool(style_char) and last.text.endswith(style_char) and _soft_break(last)
    return text, hyphenated


def _last_text_box(line):
    node = line
    while getattr(node, "children", None):
        node = node.children[-1]
    return node if isinstance(getattr(node, "text", None), str) else None


def _soft_break(box) -> bool:
    # A typed hyphen ends the source word itself; a hyphenation hyphen is added after a word fragment.
    text = box.text[:-len(box.style["hyphenate_character"])]
    return bool(text) and text[-1].isalpha()


# --- what a typesetter counts ----------------------------------------------------------------

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
    counts["paragraphs ending on one word or a fragment"] = sum(
        1 for index, line in enumerate(found)
        if line.paragraph_end and line.tag in RUNNING_TEXT and index and found[index - 1].tag == line.tag
        and not found[index - 1].paragraph_end and " " not in line.text.strip())
    return counts
