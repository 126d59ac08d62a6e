"""The press kit: its printed documents (dossier, release, covers, cards, chart pages) and its page.

The printed documents are laid out by WeasyPrint like the book (notes at the page foot, page
numbers written in, no lone last word) but only on screen colours; the press page (``index.html``)
is a plain HTML page beside the files it lists. Both read the book's page map for the page of each
proposal they name.
"""
from __future__ import annotations

from . import Edition

PRESSKIT = Edition("presskit", "presskit", notes="page-foot", page_references=True, last_words=True,
                   page_map=("pages",))
#: The press page and the e-mail are read by browsers and mail readers, never laid out by WeasyPrint:
#: their styles are theirs (an e-mail's mso-hide…).
PRESS_PAGE = Edition("presskit-page", "presskit", laid_out=False)
EMAIL = Edition("presskit-email", "presskit", laid_out=False)
