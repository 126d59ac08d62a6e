"""Confinement across every output: no address a reader's app could fetch, except the book's own links.

The HTML stage refuses every address that is not a file of the content or a fragment
(:mod:`atelier.html.safety`, and ``tests/test_hostile.py`` for each hostile form); these tests look
at what was actually written, file by file, PDF object by PDF object, zip member by zip member.
"""
from __future__ import annotations

import pytest

import io
import zipfile

import pikepdf

from outputwalk import addresses, foreign

pytestmark = pytest.mark.xdist_group("real-book")  # one worker builds the real book (conftest)


@pytest.mark.xdist_group("real-files")  # reads the real book's files only: may run on the other worker
def test_no_address_reaches_any_output_of_the_real_book(real_build):
    found = addresses(real_build.out)
    assert any("!EPUB/" in where for where, _ in found), "the walk must reach inside the EPUBs and the zip"
    assert any(".pdf#obj" in where for where, _ in found), "the walk must read the PDFs' objects"
    assert foreign(found) == []


def test_the_walk_finds_an_address_in_a_compressed_pdf_stream_and_in_a_zip_in_a_zip(tmp_path):
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Contents = pdf.make_stream(b"% http://tracker.example/p.png\n")
    pdf.save(tmp_path / "a.pdf", compress_streams=True)
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("EPUB/c.xhtml", '<p style="background:image-set(\'//tracker.example/b\' 1x)"/>')
    with zipfile.ZipFile(tmp_path / "kit.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("livre.epub", inner.getvalue())
    assert b"tracker" not in (tmp_path / "a.pdf").read_bytes()  # compressed: a plain grep would miss it
    found = foreign(addresses(tmp_path))
    assert ("a.pdf#obj" in found[0][0] and found[0][1] == "http://tracker.example/p.png"), found
    assert found[1] == ("kit.zip!livre.epub!EPUB/c.xhtml", "//tracker.example/b"), found


PRESS = """
press:
  date: 2025-01-15
  contacts:
    - name: Service de presse
      email: presse@exemple.org
"""


def test_an_address_in_a_press_text_is_refused_at_its_line_and_reaches_no_email(content, run, tmp_path):
    (content / "book.yaml").write_text((content / "book.yaml").read_text() + PRESS)
    (content / "presse").mkdir()
    for name in ("questions", "fondation"):
        (content / "presse" / f"{name}.md").write_text(f"---\ntitle: {name}\n---\n\nUn texte.\n")
    (content / "presse" / "communique.md").write_text(
        "---\ntitle: Un communiqué\n---\n\nUn premier paragraphe.\n\n"
        "<p style=\"background-image:image-set('https://tracker.example/b.png' 1x)\">Suivez-nous.</p>\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_bytes(b"previous build")
    status, _, stderr = run("presskit", "--content", str(content), "--out", str(out))
    assert status == 1, stderr
    assert "communique.md:7:" in stderr and " RESSOURCE-REFUSEE " in stderr, stderr
    assert sorted(p.name for p in out.rglob("*")) == ["keep.txt"]


def test_a_style_weasyprint_ignores_is_reported_at_its_content_line_not_at_pdf_0_0(content, run, tmp_path):
    chapter = content / "chapters" / "intro.md"
    chapter.write_text(chapter.read_text() + '\n<p style="colr: red">Un paragraphe.</p>\n')
    status, _, stderr = run("pdf", "--content", str(content), "--out", str(tmp_path / "out"))
    assert status == 0, stderr
    assert "intro.md:9:4:" in stderr and " CSS-IGNORE " in stderr and "colr" in stderr, stderr
    assert "PDF:0:0" not in stderr and stderr.count("colr") == 1, stderr


def test_a_layout_warning_names_its_line_in_the_kept_html(tmp_path):
    from atelier.errors import Collector
    from atelier.outputs.layout import Trees, lay_out

    trees = Trees(content=tmp_path, templates=tmp_path, styles=tmp_path)
    errors = Collector()
    lay_out('<p id="a">Un</p>\n<p>deux</p>\n<p id="a">trois</p>', trees, [], errors, name="livre.html")
    assert [(p.path, p.line, p.code) for p in errors.problems] == [("html/livre.html", 3, "PDF-AVERTISSEMENT")]


def test_the_walk_reads_a_png_s_text_chunks_not_its_pixels(tmp_path):
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Source", "https://tracker.example/p.png")
    info.add_text("Comment", "see //tracker.example/q", zip=True)
    Image.new("RGB", (4, 4), (1, 2, 3)).save(tmp_path / "card.png", pnginfo=info)
    assert sorted(address for _, address in foreign(addresses(tmp_path))) == [
        "//tracker.example/q", "https://tracker.example/p.png"]
