"""Release stage: the finished HTML of the release in, its plain-text and e-mail forms out.

Both are read from documents that already passed the HTML stage, so they carry
the same French typography (no-break spaces, quotes) as the PDF.
"""
from __future__ import annotations

import re
import textwrap

import lxml.etree
import lxml.html

#: Inline styles of the e-mail body's text, which a mail reader keeps where it drops a stylesheet.
EMAIL_STYLES = {
    "p": "margin:0 0 12px;",
    "h3": "margin:20px 0 8px;font-family:Arial,Helvetica,sans-serif;font-size:17px;color:#16324f;",
    "abbr": "text-decoration:none;",
    "ul": "margin:0 0 12px;padding-left:20px;",
}
#: Lines of the plain text are at most this long (mail readers wrap longer ones anywhere).
WIDTH = 72


def email_body(html: str) -> str:
    """The e-mail HTML with an inline style on every text element of the release that has none."""
    tree = lxml.html.document_fromstring(html)
    for element in tree.iter(*EMAIL_STYLES):
        if not element.get("style"):
            element.set("style", EMAIL_STYLES[element.tag])
    return "<!DOCTYPE html>\n" + lxml.html.tostring(tree, encoding="unicode") + "\n"


def plain_text(html: str) -> str:
    """The release as plain text: one block per heading and paragraph, lines wrapped at :data:`WIDTH`."""
    tree = lxml.html.document_fromstring(html)
    blocks = []
    for element in tree.body.iter("h1", "h2", "h3", "p", "li"):
        if element.tag == "p" and element.getparent() is not None and element.getparent().tag == "li":
            continue
        text = re.sub(r"[ \t\r\n]+", " ", element.text_content()).strip()
        if not text:
            continue
        if element.tag in ("h1", "h2", "h3"):
            rule = "=" if element.tag == "h1" else "-"
            blocks.append(f"{text}\n{rule * min(len(text), WIDTH)}")
        else:
            prefix = "- " if element.tag == "li" else ""
            # textwrap breaks at ASCII spaces only: no-break spaces keep « 67 propositions » together.
            blocks.append(textwrap.fill(prefix + text, WIDTH, subsequent_indent=" " * len(prefix),
                                        break_long_words=False, break_on_hyphens=False))
    return "\n\n".join(blocks) + "\n"
