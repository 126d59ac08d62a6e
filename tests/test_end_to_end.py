"""Build a real publication once and check the outputs for meaning.

The PDF's text, outline, fonts and metadata are read back with pypdf and
pypdfium2; the EPUB is validated with EPUBCheck (Java) inside the suite.
They read what they expect from the content's data (titles, counts, ids),
never typed-in facts of the white paper, which live in ``tests/publication/``.
"""
from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import pypdfium2
import pytest
from pypdf import PdfReader

from atelier.html.typography import typeset_text
from atelier.source.load import load_book

pytestmark = pytest.mark.xdist_group("real-book")  # one worker builds the real book (conftest)

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"


@pytest.fixture(scope="session")
def built(real_build):
    """The real content built once into a temporary output folder (``real_build`` in conftest)."""
    return real_build.out, real_build.artifacts


@pytest.fixture(scope="session")
def pdf_path(built):
    out, artifacts = built
    return out / artifacts["pdf"]["path"]


@pytest.fixture(scope="session")
def page_texts(pdf_path):
    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def test_manifest_matches_the_files(built):
    out, artifacts = built
    # The book's outputs (the printer's three files), the press kit's files and the web edition's
    # (tests/test_presskit.py, test_web.py).
    book = {"pdf", "print", "print-cover", "print-inner", "epub"}
    assert book | {"web-page", "web-carte"} <= set(artifacts)
    assert all(kind.startswith(("presse-", "web-")) for kind in set(artifacts) - book)
    every = json.loads((out / "manifest.json").read_text())["artifacts"]
    assert len([e for e in every if e["output"] == "web"]) > 200
    for entry in every:
        data = (out / entry["path"]).read_bytes()
        assert entry["bytes"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    for kind in ("pdf", "print"):
        assert artifacts[kind]["pages"] == len(PdfReader(out / artifacts[kind]["path"]).pages)
    assert artifacts["print"]["path"] == artifacts["pdf"]["path"].replace(".pdf", "-imprimeur.pdf")


def test_html_of_each_output_is_kept(built):
    out, _ = built
    assert (out / "html" / f"{load_book(CONTENT).meta.slug}.html").read_text().startswith("<!DOCTYPE html>")
    assert len(list((out / "html" / "epub").glob("*.xhtml"))) >= 10


def _outline(reader: PdfReader):
    """(title, page number) of every PDF bookmark, flattened."""
    found = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((_flat(item.title), reader.get_destination_page_number(item) + 1))
    walk(reader.outline)
    return found


def _flat(text: str) -> str:
    """Text as the PDF's text layer gives it back: any run of spaces (no-break included) is one space."""
    return re.sub(r"\s+", " ", text).strip()


def _printed(text: str) -> str:
    """A string of the content as the book prints it: typeset, then flattened like the PDF's text."""
    return _flat(typeset_text(text, "fr"))


def test_toc_page_numbers_are_the_pages_of_the_headings(pdf_path, page_texts):
    reader = PdfReader(pdf_path)
    outline = dict(_outline(reader))
    book = load_book(CONTENT)
    # The contents page lists chapters and parts; each part's opener lists its proposals.
    toc_text = _flat("\n".join(page_texts[:8]))
    listed = {_printed(c.title): (outline[_printed(c.title)], toc_text) for c in book.chapters}
    for axis in book.axes:
        opener = outline[_printed(f"Partie {axis.number}. {axis.title}")]
        listed[_printed(axis.title)] = (opener, re.sub(r"\d+ propositions?", "", toc_text))  # the count is not a page
        for p in axis.proposals:
            listed[_printed(p.title)] = (outline[_printed(f"{p.number}. {p.title}")], _flat(page_texts[opener - 1]))
    for title, (page, where) in listed.items():
        # The heading really is on that page…
        assert title.split()[0] in page_texts[page - 1], (title, page)
        # …and the printed list gives the same number.
        match = re.search(re.escape(title[:40]) + r"[^\d]*?(\d+)\b", where)
        assert match, title
        assert int(match.group(1)) == page, (title, match.group(1), page)
    assert len(listed) == len(book.chapters) + len(book.proposals) + len(book.axes)


def test_cross_references_print_the_target_page(pdf_path, page_texts):
    reader = PdfReader(pdf_path)
    outline = dict(_outline(reader))
    book = load_book(CONTENT)
    text = re.sub(r"\s+", " ", "\n".join(page_texts))
    found = re.findall(r"proposition (\d+)(, « [^»]+? »)?, p\. (\d+)", text)
    assert len(found) >= 20
    by_number = {p.number: p for p in book.proposals}
    for number, _, page in found:
        assert outline[_printed(f"{number}. {by_number[int(number)].title}")] == int(page)


def test_fonts_are_embedded_and_are_the_shipped_ones(pdf_path):
    reader = PdfReader(pdf_path)
    fonts = {}
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font["/BaseFont"])] = embedded
    assert fonts and all(fonts.values()), fonts
    names = " ".join(fonts)
    assert "Source-Serif-4" in names and "Source-Sans-3" in names
    assert "DejaVu" not in names  # no fallback font slipped in


def test_pdf_metadata(pdf_path):
    book = load_book(CONTENT)
    info = PdfReader(pdf_path).metadata
    assert info.title == typeset_text(book.meta.metadata_title, "fr") != typeset_text(book.meta.title, "fr")
    assert info.author == typeset_text(", ".join(book.meta.authors), "fr")
    assert f"{len(book.proposals)} propositions" in (info.subject or "")


def test_pdf_page_count_is_the_layout_count(built, pdf_path):
    _, artifacts = built
    assert artifacts["pdf"]["pages"] == len(PdfReader(pdf_path).pages) > 1


@pytest.mark.xdist_group("real-files")  # reads the real book's files only: may run on the other worker
def test_epub_passes_epubcheck(built):
    from atelier.errors import Collector
    from atelier.outputs import epubcheck

    out, artifacts = built
    path = out / artifacts["epub"]["path"]
    problems = Collector()
    assert epubcheck.check(path.read_bytes(), path.name, problems), "EPUBCheck n'a pas pu être lancé"
    assert not problems.problems, "\n".join(map(str, problems.problems))


def test_epub_links_cross_files_and_carries_metadata(built):
    out, artifacts = built
    with zipfile.ZipFile(out / artifacts["epub"]["path"]) as archive:
        opf = archive.read("EPUB/content.opf").decode()
        conclusion = archive.read(f"EPUB/chapitre-{load_book(CONTENT).chapters[-1].id}.xhtml").decode()
        part = archive.read(f"EPUB/axe-{load_book(CONTENT).axes[0].id}.xhtml").decode()
        names = archive.namelist()
    assert f"<dc:language>{load_book(CONTENT).meta.language}</dc:language>" in opf and "urn:uuid:" in opf
    assert 'properties="cover-image"' in opf and "EPUB/images/cover.jpg" in names
    assert "[=" not in opf  # figures are expanded in metadata too
    # A citation in one part points to the file of the proposal it cites.
    assert re.search(r'href="axe-[a-z]+\.xhtml#prop-[a-z0-9-]+"|href="#prop-', part)
    assert "<script" not in conclusion.lower()


