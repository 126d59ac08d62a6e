"""Golden tests: the text outputs of the example publication, compared line for line.

Input: ``examples/guide-tiers-lieux``. Expected: ``tests/cases/guide-tiers-lieux/expected/``.
``pytest --regenerate-golden`` rewrites the expected files; review their diff.
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

import build
from atelier.html.markup import to_html
from atelier.source.load import load_book

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "guide-tiers-lieux"
CASE = "guide-tiers-lieux"
# One worker for the module: split over two, each would build the example publication (14 s).
pytestmark = pytest.mark.xdist_group("golden")


@pytest.fixture(scope="module")
def example_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("guide")
    assert build.main(["--content", str(EXAMPLE), "--out", str(out), "--strict"]) == 0
    return out


def test_another_publication_builds_from_the_same_code(example_build):
    """The example publication is built by the same code as the white paper, with nothing of the white paper
    in it: its own file names, its own title (a strict build, EPUBCheck included)."""
    manifest = {e["kind"]: e for e in json.loads((example_build / "manifest.json").read_text())["artifacts"]
                if e["kind"] != "html"}
    assert manifest["pdf"]["path"] == "guide-tiers-lieux.pdf"
    assert manifest["epub"]["path"] == "guide-tiers-lieux.epub"
    html = (example_build / "html" / "guide-tiers-lieux.html").read_text()
    assert "Tiers-lieux solidaires" in html and "innovation sociale" not in html.lower()


def test_fragment_html(golden):
    fragments = to_html(load_book(EXAMPLE))
    golden(CASE, "preface.html", fragments["chapter:preface"] + "\n")


def test_package_document(golden, example_build):
    with zipfile.ZipFile(example_build / "guide-tiers-lieux.epub") as archive:
        golden(CASE, "content.opf", archive.read("EPUB/content.opf").decode())


def test_navigation_document(golden, example_build):
    with zipfile.ZipFile(example_build / "guide-tiers-lieux.epub") as archive:
        nav = archive.read("EPUB/nav.xhtml").decode()
    assert nav == (example_build / "html" / "epub" / "nav.xhtml").read_text()  # published as packaged
    golden(CASE, "nav.xhtml", nav)


def test_manifest(golden, example_build):
    manifest = json.loads((example_build / "manifest.json").read_text())
    # Hashes of binary files change with library versions; what the manifest lists and how does not.
    # Pagefind names its index files by content hash: their number is checked, not their names.
    search_files = [e for e in manifest["artifacts"] if e["kind"] == "web-recherche"]
    manifest["artifacts"] = [e for e in manifest["artifacts"] if e["kind"] != "web-recherche"]
    manifest["web-recherche"] = {"files": len(search_files),
                                 "fragments": sum("/fragment/" in e["path"] for e in search_files)}
    for entry in manifest["artifacts"]:
        if entry["kind"] in ("pdf", "print", "print-cover", "print-inner", "epub", "web-carte", "web-telechargement") \
                or entry["path"].endswith(".woff"):
            entry["sha256"], entry["bytes"] = "…", "…"
    # The inputs key hashes the installed libraries and the Python version too.
    manifest["inputs"]["keys"] = {name: "…" for name in manifest["inputs"]["keys"]}
    golden(CASE, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
