"""A correction of pydyf 0.13.0, the PDF writer under WeasyPrint: its list of page references.

``pydyf.PDF.page_references`` builds the tuple of every page's reference each time it is read,
and WeasyPrint reads it once per link, per anchor and per tagged box (15,513 times for the book's
PDF/UA-1 file, 1.7 million strings made): about a seventh of writing the book's PDF, and as much
again for each extract of the press kit. The correction keeps the tuple until a page is added.
The tuple is the same, so the file is the same byte for byte (``tests/test_pdfwriter.py`` writes
the book with and without it).

It applies to pydyf 0.13.0 only: another version is left as it is. The upstream fix would be for
``PDF.add_page`` to append the new page's reference to a list kept on the object, and for
``page_references`` to return it.
"""
from __future__ import annotations

from contextlib import contextmanager

#: The one version this correction was measured and checked on.
PYDYF_VERSION = "0.13.0"


def apply() -> bool:
    """Keep pydyf's page references between pages added; whether the correction is in place."""
    import pydyf

    if getattr(pydyf.PDF, "_atelier_page_references", False):
        return True
    if pydyf.__version__ != PYDYF_VERSION:
        return False
    built = pydyf.PDF.page_references.fget

    def page_references(pdf):
        count = len(pdf.pages["Kids"])
        kept = pdf.__dict__.get("_atelier_references")
        if kept is None or kept[0] != count:
            kept = pdf.__dict__["_atelier_references"] = (count, built(pdf))
        return kept[1]

    pydyf.PDF.page_references = property(page_references)
    pydyf.PDF._atelier_page_references = True
    pydyf.PDF._atelier_built_page_references = staticmethod(built)
    return True


def remove() -> None:
    """Put pydyf back as it was (for the test that compares both)."""
    import pydyf

    if getattr(pydyf.PDF, "_atelier_page_references", False):
        pydyf.PDF.page_references = property(pydyf.PDF._atelier_built_page_references)
        del pydyf.PDF._atelier_page_references
        del pydyf.PDF._atelier_built_page_references


@contextmanager
def corrected():
    """The correction in place for the time of a build, and pydyf as it was afterwards (unless it was
    corrected before: a build inside another keeps it)."""
    import pydyf

    already = getattr(pydyf.PDF, "_atelier_page_references", False)
    apply()
    try:
        yield
    finally:
        if not already:
            remove()
