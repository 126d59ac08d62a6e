"""The EPUB's package document and NCX for a small inline book: release identity, identifiers, roles.

These build the package from the finished documents directly (no layout), so they take well under
a second; the real book's package is checked in ``test_epub_reader.py``.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import lxml.etree
import pytest

import build
from atelier import cli
from atelier.errors import ContentError
from atelier.html.render import outline
from atelier.labels import labels_for
from atelier.outputs.epub import build_epub
from atelier.outputs.layout import Trees
from atelier.source.load import load_book
from atelier.targets import run

ROOT = Path(__file__).resolve().parents[1]
OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 12), "white").save(buffer, "JPEG")
    return buffer.getvalue()


def _epub(content: Path, pages: int = 0) -> bytes:
    """The EPUB of ``content``, made from its finished documents without laying the book out."""
    trees = Trees(content, ROOT / "templates", ROOT / "styles")
    values = run(build.TARGETS, ["fragments", "html.epub"], cli.Context(trees=trees, strict=True), lambda *_: None)
    book = values["book"]
    return build_epub(book, values["fragments"].fragments, values["html.epub"],
                      outline(book, labels_for(book.meta.language)), ROOT / "styles" / "epub" / "book.css",
                      _jpeg(), pages=pages)


def _with(content: Path, lines: str) -> Path:
    book = content / "book.yaml"
    book.write_text(book.read_text(encoding="utf-8") + lines, encoding="utf-8")
    return content


def _read(epub: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(epub)) as archive:
        return archive.read(name)


def _modified(epub: bytes) -> str:
    return re.search(r'<meta property="dcterms:modified">([^<]+)<', _read(epub, "EPUB/content.opf").decode()).group(1)


def test_dcterms_modified_follows_the_release_and_one_release_gives_one_file(content):
    # Without a release, the publication date (2025-01-15 in the fixture) is the only date there is.
    assert _modified(_epub(content)) == "2025-01-15T00:00:00Z"
    _with(content, 'version: "1.1"\nrelease_date: 2025-03-02\n')
    first, second = _epub(content), _epub(content)
    assert first == second                                   # reproducible: the same version, the same bytes
    assert _modified(first) == "2025-03-02T00:00:00Z"
    with zipfile.ZipFile(io.BytesIO(first)) as archive:      # the archive's entries carry the same date
        assert {info.date_time[:3] for info in archive.infolist()} == {(2025, 3, 2)}
    opf = _read(first, "EPUB/content.opf").decode()
    assert '<meta property="schema:version">1.1</meta>' in opf
    assert "<dc:date>2025-01-15</dc:date>" in opf           # the work's own date is unchanged
    # The next release is another file, with its own date.
    (content / "book.yaml").write_text((content / "book.yaml").read_text().replace("2025-03-02", "2025-04-10"))
    assert _modified(_epub(content)) == "2025-04-10T00:00:00Z"


def test_the_legal_page_and_the_colophon_name_the_release(content):
    (content / "chapters" / "colophon.md").write_text("---\ntitle: Colophon\nrole: back\ntype: colophon\n---\n\n"
                                                      "Composé pour l'essai.\n", encoding="utf-8")
    text = (content / "book.yaml").read_text(encoding="utf-8")
    (content / "book.yaml").write_text(text.replace("  - summary\n", "  - summary\n  - legal\n  - chapters/colophon.md\n")
                                       + 'version: "2.0"\nrelease_date: 2025-06-01\n', encoding="utf-8")
    epub = _epub(content)
    legal = _read(epub, "EPUB/mentions-legales.xhtml").decode()
    assert re.search(r"<dt>Version</dt><dd[^>]*>2\.0 du 1<sup>er</sup>\sjuin 2025</dd>", legal), legal
    assert re.search(r"<dt>Présentation de l’ouvrage</dt><dd><time datetime=\"2025-01-15\">15 janvier 2025", legal)
    colophon = _read(epub, "EPUB/chapitre-colophon.xhtml").decode()
    assert re.search(r'<p class="release-line">Version 2\.0 du 1<sup>er</sup>\sjuin 2025\.</p>', colophon)


def test_identifier_roles_and_page_source(content):
    plain = lxml.etree.fromstring(_read(_epub(content, pages=12), "EPUB/content.opf"))
    unique = plain.get("unique-identifier")
    assert plain.find(f".//dc:identifier[@id='{unique}']", OPF).text.startswith("urn:uuid:")
    roles = {m.get("refines"): m.text for m in plain.iterfind(".//opf:meta[@property='role']", OPF)}
    creators = [c.get("id") for c in plain.iterfind(".//dc:creator", OPF)]
    publisher = plain.find(".//dc:publisher", OPF).get("id")
    assert {f"#{c}": "aut" for c in creators} | {f"#{publisher}": "pbl"} == roles
    assert all(m.get("scheme") == "marc:relators" for m in plain.iterfind(".//opf:meta[@property='role']", OPF))
    # No print ISBN: the printed edition by its title, never by a file name.
    source = plain.find(".//opf:meta[@property='pageBreakSource']", OPF).text
    assert source == "Petit livre d’essai, édition imprimée" and ".pdf" not in source
    summary = plain.find(".//opf:meta[@property='schema:accessibilitySummary']", OPF).text
    assert source in summary and "quatrième de couverture" in summary

    _with(content, "version: '1.0'\n")
    text = (content / "book.yaml").read_text()
    (content / "book.yaml").write_text(text.replace(
        "  uuid: urn:uuid:12345678-1234-5678-1234-567812345678\n",
        "  uuid: urn:uuid:12345678-1234-5678-1234-567812345678\n  isbn_epub: 978-2-00-000000-1\n"
        "  isbn_print: 978-2-00-000000-2\n"))
    epub = _epub(content, pages=12)
    isbn = lxml.etree.fromstring(_read(epub, "EPUB/content.opf"))
    unique = isbn.get("unique-identifier")
    assert isbn.find(f".//dc:identifier[@id='{unique}']", OPF).text == "urn:isbn:978-2-00-000000-1"
    assert "urn:uuid:12345678-1234-5678-1234-567812345678" in [i.text for i in isbn.iterfind(".//dc:identifier", OPF)]
    assert isbn.find(".//opf:meta[@property='pageBreakSource']", OPF).text == "urn:isbn:978-2-00-000000-2"
    ncx = lxml.etree.fromstring(_read(epub, "EPUB/toc.ncx"))
    assert ncx.find(".//{http://www.daisy.org/z3986/2005/ncx/}meta[@name='dtb:uid']").get("content") \
        == "urn:isbn:978-2-00-000000-1"


@pytest.mark.parametrize("lines, key, words", [
    ("version: '1.0'\nrelease_date: 2024-12-31\n", "release_date", "avant la date de publication"),
    ("version: 'un point zéro'\n", "version", "chiffres et lettres sans accent"),
    ("release: 2025-02-01\n", "release", "release"),                  # an unknown key stays an error
])
def test_a_wrong_release_is_refused_at_its_line(content, lines, key, words):
    _with(content, lines)
    with pytest.raises(ContentError) as raised:
        load_book(content)
    line = next(number for number, text in enumerate((content / "book.yaml").read_text().splitlines(), 1)
                if text.startswith(f"{key}:"))
    assert [(p.line, words in p.message) for p in raised.value.problems] == [(line, True)], raised.value.problems
