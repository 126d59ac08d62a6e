"""The correction of pydyf's page references (atelier/outputs/pdfwriter.py) changes no byte of a PDF."""
from __future__ import annotations

import pydyf
import pytest

from atelier.outputs import pdfwriter
from atelier.outputs.pdf import write_pdf

pytestmark = pytest.mark.xdist_group("real-book")  # one worker builds the real book (conftest)


@pytest.mark.skipif(pydyf.__version__ != pdfwriter.PYDYF_VERSION, reason="the correction is for pydyf 0.13.0")
def test_the_book_is_written_byte_for_byte_as_unpatched_pydyf_writes_it(real_build):
    layout = real_build.layouts["layout"]
    assert pdfwriter.apply()
    corrected = write_pdf(layout)
    pdfwriter.remove()
    try:
        assert not getattr(pydyf.PDF, "_atelier_page_references", False)
        plain = write_pdf(layout)
    finally:
        pdfwriter.apply()
    assert corrected == plain and len(corrected) > 100_000


def test_another_pydyf_is_left_as_it_is(monkeypatch):
    pdfwriter.remove()
    try:
        monkeypatch.setattr(pydyf, "__version__", "0.0.0")
        assert not pdfwriter.apply()
        assert not getattr(pydyf.PDF, "_atelier_page_references", False)
    finally:
        monkeypatch.undo()
        pdfwriter.apply()
