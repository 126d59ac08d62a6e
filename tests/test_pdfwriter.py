"""pydyf and WeasyPrint corrected while a build writes (atelier/outputs/pdfwriter.py): pydyf's page
references and WeasyPrint's subsetting arrays, which change no byte of a PDF, and pydyf's compression level."""
from __future__ import annotations

import pydyf
import pytest

from atelier.outputs import pdfwriter
from atelier.outputs.pdf import write_pdf

pytestmark = pytest.mark.xdist_group("real-book")  # one worker builds the real book (conftest)


@pytest.mark.skipif(pydyf.__version__ != pdfwriter.PYDYF_VERSION, reason="the correction is for pydyf 0.13.0")
def test_the_book_is_written_byte_for_byte_as_unpatched_pydyf_writes_it(real_build):
    # The screen PDF as the build wrote it, corrected, and the same layout written again by pydyf and
    # WeasyPrint as they are (outside a build, WeasyPrint's subsetting is its own).
    import weasyprint.pdf.fonts

    layout = real_build.layouts["layout"]
    corrected = real_build.path("pdf").read_bytes()
    pdfwriter.remove()
    try:
        assert not getattr(pydyf.PDF, "_atelier_page_references", False)
        assert not isinstance(weasyprint.pdf.fonts.ffi, pdfwriter._OpenArrays)
        with pdfwriter.flate_level():   # the build's level: only the page references differ
            plain = write_pdf(layout)
    finally:
        pdfwriter.apply()
    assert corrected == plain and len(corrected) > 100_000


#: The second byte of a zlib stream's header says how hard it was compressed (RFC 1950: FLEVEL).
DEFAULT_LEVEL, HIGHEST_LEVEL = b"x\x9c", b"x\xda"


@pytest.mark.skipif(pydyf.__version__ != pdfwriter.PYDYF_VERSION, reason="the correction is for pydyf 0.13.0")
def test_a_build_compresses_its_streams_at_zlibs_default_level_and_leaves_pydyf_as_it_was(real_build):
    import re

    for output in ("pdf", "print"):
        streams = re.findall(rb"/FlateDecode.*?stream\r?\n(..)", real_build.path(output).read_bytes(), re.S)
        assert len(streams) > 50 and HIGHEST_LEVEL not in streams, output
        assert streams.count(DEFAULT_LEVEL) > len(streams) * 0.9, output
    assert pydyf.zlib is __import__("zlib")


def test_another_pydyf_is_left_as_it_is(monkeypatch):
    pdfwriter.remove()
    try:
        monkeypatch.setattr(pydyf, "__version__", "0.0.0")
        assert not pdfwriter.apply()
        assert not getattr(pydyf.PDF, "_atelier_page_references", False)
    finally:
        monkeypatch.undo()
        pdfwriter.apply()


def test_a_build_corrects_pydyf_and_weasyprint_for_its_own_time_only(content, run, tmp_path, monkeypatch):
    """Process-wide state is the build's: pydyf and WeasyPrint's subsetting are corrected while it
    writes, and as they were after."""
    import weasyprint
    import weasyprint.pdf.fonts

    seen = []
    import build

    make = build.TARGETS["pdf"].make

    def spy(*args):
        seen.append((getattr(pydyf.PDF, "_atelier_page_references", False),
                     isinstance(weasyprint.pdf.fonts.ffi, pdfwriter._OpenArrays)))
        return make(*args)

    pdfwriter.remove()
    monkeypatch.setitem(build.TARGETS, "pdf", __import__("dataclasses").replace(build.TARGETS["pdf"], make=spy))
    assert run("pdf", "--content", str(content), "--out", str(tmp_path / "out"))[0] == 0
    assert seen == [(pydyf.__version__ == pdfwriter.PYDYF_VERSION,
                     weasyprint.__version__ == pdfwriter.WEASYPRINT_VERSION)]
    assert not getattr(pydyf.PDF, "_atelier_page_references", False)
    assert not isinstance(weasyprint.pdf.fonts.ffi, pdfwriter._OpenArrays)


def test_a_subsetting_array_holds_the_same_values_in_a_type_parsed_once():
    from weasyprint.text.ffi import ffi

    arrays = pdfwriter._OpenArrays(ffi)
    made = [arrays.new(f"hb_codepoint_t[{n}]", list(range(7, 7 + n))) for n in (3, 5, 8)]
    assert [list(array) for array in made] == [list(range(7, 7 + n)) for n in (3, 5, 8)]
    assert all(ffi.typeof(array) is ffi.typeof("hb_codepoint_t[]") for array in made)   # one type, any length
    empty = arrays.new("hb_tag_t[100]")   # no values given: the type as WeasyPrint wrote it
    assert ffi.typeof(empty) is ffi.typeof("hb_tag_t[100]") and arrays.NULL == ffi.NULL


def test_another_weasyprint_is_left_as_it_is(monkeypatch):
    import weasyprint
    import weasyprint.pdf.fonts

    monkeypatch.setattr(pdfwriter, "_building", True)
    monkeypatch.setattr(weasyprint, "__version__", "0.0")
    try:
        assert not pdfwriter.correct_weasyprint()
        assert not isinstance(weasyprint.pdf.fonts.ffi, pdfwriter._OpenArrays)
    finally:
        pdfwriter._restore_weasyprint()
