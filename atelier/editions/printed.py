"""The printed book: one HTML document that WeasyPrint lays out, for the screen PDF and the printer's.

Its notes go to the foot of the page that calls them, its links print their target's page (written
in by the layout, :mod:`atelier.outputs.pagerefs`), a paragraph never ends on a lone short word, and
its images are checked against the printer's inks. It makes the page map the other editions read.
"""
from __future__ import annotations

from . import Edition

PRINT = Edition("print", "print", notes="page-foot", page_references=True, last_words=True, printed=True,
                numbered_blocks=True)
