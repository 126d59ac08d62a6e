"""The EPUB through the conversion a reader or a distributor makes of it: Calibre's ``ebook-convert``.

Debian's ``calibre`` (installed for the tests by ``scripts/prerequisites.sh``) converts the real EPUB
of the session once, to AZW3 (Kindle's KF8) and to EPUB 2 (the form EPUB 2 reading systems and
Calibre's Kobo tools read; this Calibre has no KEPUB output), both at once; the AZW3 is read back by
converting it to EPUB. The converted books must keep the navigation, the notes and their pop-up
semantics, the charts, and the print page list where the format has one (EPUB 2's NCX; KF8 has none).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import lxml.etree
import pytest

EBOOK_CONVERT = shutil.which("ebook-convert")
# Reads the real book's EPUB only: may run on the worker that did not build it (conftest, real_build).
pytestmark = [pytest.mark.xdist_group("real-book"), pytest.mark.xdist_group("real-files")]
NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
OPS_TYPE = "{http://www.idpf.org/2007/ops}type"


def _convert(source: Path, target: Path, *options: str) -> subprocess.Popen:
    """``ebook-convert`` with a configuration folder of its own: two conversions starting together
    in one folder race to create it, and the loser fails (FileExistsError in Calibre's startup)."""
    environment = {**os.environ, "CALIBRE_CONFIG_DIRECTORY": str(target.with_suffix(".calibre"))}
    return subprocess.Popen([EBOOK_CONVERT, str(source), str(target), *options], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, env=environment)


def _finished(process: subprocess.Popen, target: Path) -> str:
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0 and target.exists(), output[-3000:]
    assert "Traceback" not in output and "ERROR" not in output, output[-3000:]
    return output


@pytest.fixture(scope="session")
def calibre(real_build, tmp_path_factory) -> dict[str, dict[str, bytes]]:
    """The real EPUB converted once: the files of its EPUB 2 and of its AZW3 read back as EPUB, by name."""
    assert EBOOK_CONVERT, "ebook-convert (Calibre) n'est pas installé : scripts/prerequisites.sh l'installe (paquet calibre)."
    folder = tmp_path_factory.mktemp("calibre")
    source = real_build.path("epub")
    epub2, azw3, back = folder / "livre-epub2.epub", folder / "livre.azw3", folder / "livre-azw3.epub"
    converting = [(_convert(source, epub2, "--epub-version", "2"), epub2),
                  (_convert(source, azw3), azw3)]
    for process, target in converting:
        _finished(process, target)
    _finished(_convert(azw3, back), back)
    books = {}
    for name, path in (("epub2", epub2), ("azw3", back)):
        with zipfile.ZipFile(path) as archive:
            books[name] = {entry: archive.read(entry) for entry in archive.namelist()}
    return books


@pytest.fixture(scope="session")
def original(real_build) -> dict[str, bytes]:
    with zipfile.ZipFile(real_build.path("epub")) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _ncx(book: dict[str, bytes]):
    return lxml.etree.fromstring(next(data for name, data in book.items() if name.endswith(".ncx")))


def _documents(book: dict[str, bytes]) -> dict[str, object]:
    parser = lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    return {name: lxml.etree.fromstring(data, parser) for name, data in book.items()
            if name.endswith((".xhtml", ".html"))}


def _nav_entries(original) -> list[tuple[str, str]]:
    nav = lxml.etree.fromstring(original["EPUB/nav.xhtml"])
    toc = nav.find(f".//{XHTML}nav[@{OPS_TYPE}='toc']")
    return [(" ".join("".join(a.itertext()).split()), a.get("href")) for a in toc.iter(f"{XHTML}a")]


def _page_list(original) -> list[tuple[str, str]]:
    nav = lxml.etree.fromstring(original["EPUB/nav.xhtml"])
    pages = nav.find(f".//{XHTML}nav[@{OPS_TYPE}='page-list']")
    return [(a.text, a.get("href")) for a in pages.iter(f"{XHTML}a")]


@pytest.mark.parametrize("kind", ["epub2", "azw3"])
def test_the_conversion_keeps_the_table_of_contents(calibre, original, kind):
    labels = [" ".join(p.findtext(f"{NCX}navLabel/{NCX}text").split()) for p in _ncx(calibre[kind]).iter(f"{NCX}navPoint")]
    assert labels == [label for label, _ in _nav_entries(original)]


def test_the_epub2_keeps_the_print_page_list(calibre, original):
    """Calibre rebuilds the NCX of an EPUB 3 from its navigation document's table of contents and takes the
    print pages from the Adobe page map the package carries: every page, in order, each at its marker."""
    book = calibre["epub2"]
    opf = next(data for name, data in book.items() if name.endswith(".opf")).decode()
    assert 'version="2.0"' in opf
    targets = [(t.findtext(f"{NCX}navLabel/{NCX}text"), t.find(f"{NCX}content").get("src"))
               for t in _ncx(book).iter(f"{NCX}pageTarget")]
    ours = _page_list(original)
    assert [label for label, _ in targets] == [label for label, _ in ours] and len(ours) > 100
    documents = _documents(book)
    folder = next(name for name in book if name.endswith(".ncx")).rpartition("/")[0]
    for (label, src), (_, href) in zip(targets, ours):
        file, _, anchor = src.partition("#")
        assert anchor == href.partition("#")[2], (label, src, href)   # the same marker…
        tree = documents[f"{folder}/{file}".lstrip("/")]
        assert tree.xpath(f"//*[@id='{anchor}']"), (label, src)        # …still in the text


@pytest.mark.parametrize("kind", ["epub2", "azw3"])
def test_the_conversion_keeps_the_notes_and_their_pop_up_semantics(calibre, original, kind):
    ours = {e.get("id") for name, tree in _documents(original).items() for e in tree.iter()
            if isinstance(e.tag, str) and e.get(OPS_TYPE) == "footnote"}
    converted = _documents(calibre[kind])
    kept = {e.get("id"): e for tree in converted.values() for e in tree.iter()
            if isinstance(e.tag, str) and e.get("id") in ours}
    assert len(ours) > 30 and set(kept) == ours
    # Kindle pops a note up from its call when both keep their types (Calibre writes epub:type as « type »).
    calls = [e for tree in converted.values() for e in tree.iter()
             if isinstance(e.tag, str) and "noteref" in (e.get(OPS_TYPE) or e.get("type") or "")]
    assert len(calls) >= len(ours)
    if kind == "azw3":
        assert all("footnote" in (note.get("type") or note.get(OPS_TYPE) or "") for note in kept.values())


@pytest.mark.parametrize("kind", ["epub2", "azw3"])
def test_the_conversion_keeps_the_charts_as_pictures_with_their_short_alt(calibre, original, kind):
    ours = {img.get("alt") for tree in _documents(original).values() for img in tree.iter(f"{XHTML}img")
            if "graphique-" in (img.get("src") or "")}
    converted = [img for tree in _documents(calibre[kind]).values() for img in tree.iter(f"{XHTML}img", "img")
                 if img.get("alt") in ours]
    assert len(ours) >= 4 and {img.get("alt") for img in converted} == ours
    for img in converted:
        name = next(n for n in calibre[kind] if n.endswith(img.get("src").rpartition("/")[2]))
        assert calibre[kind][name].lstrip().startswith((b"<?xml", b"<svg", b"\x89PNG", b"\xff\xd8")), name
