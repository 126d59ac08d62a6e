"""Two corrections of pydyf 0.13.0, the PDF writer under WeasyPrint: its list of page references,
and the level it compresses streams at.

``pydyf.PDF.page_references`` builds the tuple of every page's reference each time it is read,
and WeasyPrint reads it once per link, per anchor and per tagged box (15,513 times for the book's
PDF/UA-1 file, 1.7 million strings made): about a seventh of writing the book's PDF, and as much
again for each extract of the press kit. The correction keeps the tuple until a page is added.
The tuple is the same, so the file is the same byte for byte (``tests/test_pdfwriter.py`` writes
the book with and without it).

pydyf compresses every stream at zlib's highest level, 9. On a printing condition's ICC profile
(250 kB of tables, in each of the printer's three files) level 9 takes seven times as long as
zlib's default level, 6, for a file 0.6 % smaller; over the book's PDFs, 9 costs a second of
processor for files 2 to 3 % smaller. During a build, pydyf compresses at level 6
(:data:`FLATE_LEVEL`), as qpdf and most PDF writers do by default.

They apply to pydyf 0.13.0 only: another version is left as it is. The upstream fix would be for
``PDF.add_page`` to append the new page's reference to a list kept on the object, and for
``page_references`` to return it; and for ``PDF.write`` to take a compression level.
"""
from __future__ import annotations

import zlib
from contextlib import contextmanager

#: The one version these corrections were measured and checked on.
PYDYF_VERSION = "0.13.0"
#: The zlib level of a build's PDF streams (pydyf's own is 9).
FLATE_LEVEL = 6


class _Zlib:
    """zlib as pydyf sees it during a build: its compressors at :data:`FLATE_LEVEL`, whatever level it asks for."""

    def __getattr__(self, name: str):
        return getattr(zlib, name)

    @staticmethod
    def compressobj(level: int = -1, *args, **kwargs):
        return zlib.compressobj(FLATE_LEVEL, *args, **kwargs)


@contextmanager
def flate_level():
    """pydyf compresses at :data:`FLATE_LEVEL` for the time of the block (pydyf 0.13.0 only)."""
    import pydyf

    before = pydyf.zlib
    if pydyf.__version__ == PYDYF_VERSION:
        pydyf.zlib = _Zlib()
    try:
        yield
    finally:
        pydyf.zlib = before


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
    """Both corrections in place for the time of a build, and pydyf as it was afterwards (unless it
    was corrected before: a build inside another keeps it)."""
    import pydyf

    already = getattr(pydyf.PDF, "_atelier_page_references", False)
    apply()
    try:
        with flate_level():
            yield
    finally:
        if not already:
            remove()
