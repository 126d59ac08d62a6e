"""Release stage: the finished HTML of the release in, its plain-text and e-mail forms out.

Both are read from documents that already passed the HTML stage, so they carry
the same French typography (no-break spaces, quotes) as the PDF. The plain text
is written from the same structure as the e-mail: one block per heading, paragraph
and list item, a line break (``<br>``) kept as a line break, a link's address after
its words, lines wrapped at :data:`WIDTH`.
"""
from __future__ import annotations

import re
import textwrap

import lxml.etree
import lxml.html

#: Inline styles of the e-mail body's text, which a mail reader keeps where it drops a stylesheet.
EMAIL_STYLES = {
    "p": "margin:0 0 12px;",
    "h2": "margin:24px 0 8px;font-family:Arial,Helvetica,sans-serif;font-size:18px;color:#16324f;",
    "h3": "margin:20px 0 8px;font-family:Arial,Helvetica,sans-serif;font-size:16px;color:#16324f;",
    "abbr": "text-decoration:none;",
    "ul": "margin:0 0 12px;padding-left:20px;",
    "li": "margin:0 0 6px;",
    "span": "",
}
#: What a « [… : à compléter] » looks like in the e-mail, so that a draft shows what is missing.
TODO_STYLE = "background:#fff0b3;color:#5a3a00;"
#: Lines of the plain text are at most this long (mail readers wrap longer ones anywhere).
WIDTH = 72
#: The blocks of the plain text, in document order.
BLOCKS = ("h1", "h2", "h3", "h4", "p", "li")


def email_body(html: str) -> str:
    """The e-mail HTML with an inline style on every text element of the release that has none."""
    tree = lxml.html.document_fromstring(html)
    for element in tree.iter(*EMAIL_STYLES):
        if element.get("style"):
            continue
        if element.tag == "span":
            if "todo" in (element.get("class") or "").split():
                element.set("style", TODO_STYLE)
            continue
        parent = element.getparent()
        # A paragraph alone in a list item (a key message) takes the item's spacing, not its own.
        inside_item = element.tag == "p" and parent is not None and parent.tag == "li"
        element.set("style", "margin:0;" if inside_item else EMAIL_STYLES[element.tag])
    return "<!DOCTYPE html>\n" + lxml.html.tostring(tree, encoding="unicode") + "\n"


def plain_text(html: str) -> str:
    """The release as plain text: one block per heading, paragraph and list item, its line breaks kept,
    lines wrapped at :data:`WIDTH`; what a mail reader hides (the preheader) left out."""
    tree = lxml.html.document_fromstring(html)
    blocks = []
    for element in tree.body.iter(*BLOCKS):
        if _hidden(element) or _inside_block(element):
            continue
        lines = [re.sub(r"[ \t\r\n]+", " ", line).strip() for line in _text(element).split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        if element.tag in ("h1", "h2", "h3", "h4"):
            text = " ".join(lines)
            rule = "=" if element.tag == "h1" else "-"
            blocks.append(f"{text}\n{rule * min(len(text), WIDTH)}")
            continue
        prefix = "- " if element.tag == "li" else ""
        wrapped = []
        for number, line in enumerate(lines):
            first = prefix if number == 0 else " " * len(prefix)
            # textwrap breaks at ASCII spaces only: no-break spaces keep « 67 propositions » together.
            wrapped.append(textwrap.fill(first + line, WIDTH, subsequent_indent=" " * len(prefix),
                                         break_long_words=False, break_on_hyphens=False))
        blocks.append("\n".join(wrapped))
    return "\n\n".join(blocks) + "\n"


def _hidden(element) -> bool:
    while element is not None:
        if element.get("data-plain") == "skip" or element.get("hidden") is not None:
            return True
        element = element.getparent()
    return False


def _inside_block(element) -> bool:
    """A block inside another block (a paragraph in a list item) is written with it."""
    parent = element.getparent()
    while parent is not None:
        if parent.tag in BLOCKS:
            return True
        parent = parent.getparent()
    return False


def _text(element) -> str:
    """The words of ``element``: ``<br>`` a line break, a link to the web followed by its address."""
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        if child.tag == "br":
            parts.append("\n")
        elif child.tag in BLOCKS:
            parts.append("\n" + _text(child) + "\n")
        else:
            inner = _text(child)
            parts.append(inner)
            href = (child.get("href") or "") if child.tag == "a" else ""
            if href.startswith("https://") and href not in inner:
                parts.append(f" <{href}>")
        parts.append(child.tail or "")
    return "".join(parts)
