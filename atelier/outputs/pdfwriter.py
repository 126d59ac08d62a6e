"""Three corrections of the PDF writing under WeasyPrint: pydyf's list of page references, the
level pydyf compresses streams at, and the array types WeasyPrint's font subsetting asks cffi for.

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

WeasyPrint 70.0 subsets each font of each PDF with HarfBuzz, and hands it its glyphs in an array
typed by its length (``ffi.new(f"hb_codepoint_t[{len(glyphs)}]", glyphs)``, twice a font). cffi
parses each new type string with every type WeasyPrint declared (1.9 ms a parse, measured): nearly
every font of every file is a new length. During a build, those arrays are made as open arrays of
the same values (``hb_codepoint_t[]``, one parse in all); the memory HarfBuzz reads is the same, so
is the file. A build of the small test book takes 0.09 s of processor less (1.64 → 1.55 s, four runs
each), the real book's cold build 0.9 s.

They apply to pydyf 0.13.0 and WeasyPrint 70.0 only: another version is left as it is. The upstream
fixes would be for ``PDF.add_page`` to append the new page's reference to a list kept on the object,
and for ``page_references`` to return it; for ``PDF.write`` to take a compression level; and for
``Font._harfbuzz_subset`` to ask for open arrays (``docs/upstream/``).
"""
from __future__ import annotations

import re
import sys
import zlib
from contextlib import contextmanager

#: The one version of pydyf its corrections were measured and checked on.
PYDYF_VERSION = "0.13.0"
#: The one version of WeasyPrint its correction was measured and checked on.
WEASYPRINT_VERSION = "70.0"
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


#: A C array type of a stated length: ``hb_codepoint_t[412]``.
_SIZED_ARRAY = re.compile(r"(\w+)\[(\d+)\]")


class _OpenArrays:
    """WeasyPrint's ``ffi`` as its font subsetting (``weasyprint.pdf.fonts``) sees it during a build:
    an array of a stated length filled with as many values is made as an open array of them."""

    def __init__(self, ffi):
        self.ffi = ffi

    def __getattr__(self, name: str):
        return getattr(self.ffi, name)

    def new(self, cdecl: str, init=None):
        sized = _SIZED_ARRAY.fullmatch(cdecl) if init is not None else None
        if sized and len(init) == int(sized.group(2)):
            return self.ffi.new(f"{sized.group(1)}[]", init)
        return self.ffi.new(cdecl, init)


#: Whether a build (:func:`corrected`) is running in this process.
_building = False


def correct_weasyprint() -> bool:
    """Called by the stage that imports WeasyPrint (:func:`atelier.outputs.layout.lay_out`): during a
    build, its font subsetting asks cffi for open arrays (WeasyPrint 70.0 only, and imported by then:
    a build that lays nothing out never imports it); whether the correction is in place."""
    fonts = sys.modules.get("weasyprint.pdf.fonts")
    if not _building or fonts is None or sys.modules["weasyprint"].__version__ != WEASYPRINT_VERSION:
        return False
    if not isinstance(fonts.ffi, _OpenArrays):
        fonts.ffi = _OpenArrays(fonts.ffi)
    return True


def _restore_weasyprint() -> None:
    fonts = sys.modules.get("weasyprint.pdf.fonts")
    if fonts is not None and isinstance(fonts.ffi, _OpenArrays):
        fonts.ffi = fonts.ffi.ffi


@contextmanager
def corrected():
    """The corrections in place for the time of a build (WeasyPrint's once the build imports it), and
    pydyf and WeasyPrint as they were afterwards (unless a build was running: one inside another keeps them)."""
    import pydyf

    global _building
    already = getattr(pydyf.PDF, "_atelier_page_references", False)
    outer = _building
    apply()
    _building = True
    try:
        with flate_level():
            yield
    finally:
        _building = outer
        if not outer:
            _restore_weasyprint()
        if not already:
            remove()
