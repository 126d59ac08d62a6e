"""Print notes: Python-Markdown's notes, moved from the end of their text to the foot of their page.

Markdown writes each note in a list after its text (``div.footnote``), which suits a screen and an
EPUB's pop-up notes. A printed book puts a note at the foot of the page that calls it; WeasyPrint
does that for an element floated to the footnote area, at the place of its call. So, for print,
each note's text replaces its call (``<sup><a class="footnote-ref">``) as a ``span.page-note``,
and the list is removed; numbering and the call's figure are left to the stylesheet.
"""
from __future__ import annotations

import lxml.etree

#: What the page model reads to find a note and its call (:mod:`atelier.pages.roles`).
NOTE_ROLE = ("data-role", "note")


def notes_to_page_foot(tree) -> int:
    """Move every Markdown note of ``tree`` to its call; returns how many were moved."""
    notes = {item.get("id"): item for item in tree.iter("{*}li", "li") if _is_note(item)}
    moved = 0
    for link in list(tree.iter("{*}a", "a")):
        if "footnote-ref" not in (link.get("class") or "").split():
            continue
        item = notes.get((link.get("href") or "").lstrip("#"))
        call = link.getparent()
        if item is None or lxml.etree.QName(call).localname != "sup":
            continue
        _replace_call(call, _note_span(call, item))
        moved += 1
    for lists in list(tree.iter("{*}div", "div")):
        if "footnote" in (lists.get("class") or "").split():
            _remove(lists)
    return moved


def _is_note(item) -> bool:
    holder = item.getparent().getparent() if item.getparent() is not None else None
    return holder is not None and "footnote" in (holder.get("class") or "").split()


def _note_span(call, item):
    """A ``span.page-note`` holding the note's text, without its paragraphs or its link back."""
    for backlink in [a for a in item.iter("{*}a", "a") if "footnote-backref" in (a.get("class") or "").split()]:
        _remove(backlink)
    span = call.makeelement(call.tag.replace("sup", "span"),
                            {"class": "page-note", "id": item.get("id"), NOTE_ROLE[0]: NOTE_ROLE[1]})
    paragraphs = [child for child in item if lxml.etree.QName(child).localname == "p"] or [item]
    for index, paragraph in enumerate(paragraphs):
        _append_text(span, (" " if index else "") + (paragraph.text or ""))
        for child in list(paragraph):
            span.append(child)
    last = span[-1] if len(span) else None
    if last is not None:
        last.tail = (last.tail or "").rstrip() or None
    else:
        span.text = (span.text or "").rstrip()
    return span


def _append_text(element, text: str) -> None:
    """Add ``text`` at the end of ``element``'s content."""
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _replace_call(call, span) -> None:
    span.tail = call.tail
    call.getparent().replace(call, span)


def _remove(element) -> None:
    """Remove ``element`` and keep the text that follows it."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
