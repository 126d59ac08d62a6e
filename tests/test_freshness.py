"""A rebuild with nothing changed does nothing; any change to an input rebuilds; nothing stale is served.

``build.py`` runs as a process (the up-to-date answer comes before the pipeline is imported), in a
copy of the project so that its templates, stylesheets and fonts can be edited in turn; each is forked
from the worker's starter (``tests/starter.py``), and the builds compared byte for byte with a
reference compare it with one made in the worker itself.
"""
from __future__ import annotations

import contextlib
import io
import json
import shutil
import sys
from pathlib import Path

import pytest

import starter

ROOT = Path(__file__).resolve().parents[1]
UP_TO_DATE = "à jour"
# One worker for the module, which makes its first EPUB build and its reference outputs once (fixtures
# « first_epub » and « reference »).
pytestmark = pytest.mark.xdist_group("freshness")


def _build(project: Path, content: Path, out: Path, *targets: str) -> str:
    done = starter.run([sys.executable, str(project / "build.py"), *targets, "--content", str(content),
                        "--out", str(out)], capture_output=True, text=True, cwd=project)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _epub(out: Path) -> bytes:
    return (out / "petit-livre.epub").read_bytes()


@pytest.fixture(scope="module")
def first_epub(tmp_path_factory) -> Path:
    """A copy of the project, the small content and one build of its EPUB, in ``work/``, with an untouched
    copy of the three in ``pristine/``: the first build the tests below start from, made once.

    The up-to-date answer reads where the project, the content and the outputs are, so each test is
    given ``work/`` back in the same place as the first build left it (the module runs on one worker)."""
    from conftest import copy_project, write_content

    root = tmp_path_factory.mktemp("first-epub")
    work = root / "work"
    copy_project(work / "project")
    write_content(work / "content")
    assert UP_TO_DATE not in _build(work / "project", work / "content", work / "out", "epub")
    shutil.copytree(work, root / "pristine")   # times kept: the up-to-date answer reads them
    return root


@pytest.fixture
def built(first_epub) -> tuple[Path, Path, Path]:
    """The project's copy, the content and the output folder of the first EPUB build, as it left them."""
    work = first_epub / "work"
    shutil.rmtree(work)
    shutil.copytree(first_epub / "pristine", work)
    return work / "project", work / "content", work / "out"


def test_a_second_build_with_nothing_changed_does_nothing(built):
    project, content, out = built
    written = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    said = _build(project, content, out, "epub")
    assert UP_TO_DATE in said and "epub" in said
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == written


@pytest.mark.parametrize("edit", ["chapter", "template", "stylesheet", "font", "code"])
def test_any_edit_to_an_input_rebuilds(built, edit):
    project, content, out = built
    before = _epub(out)
    if edit == "chapter":
        chapter = content / "chapters" / "intro.md"
        chapter.write_text(chapter.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    elif edit == "template":
        template = project / "templates" / "epub" / "chapter.xhtml"
        template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    elif edit == "stylesheet":
        with (project / "styles" / "epub" / "book.css").open("a", encoding="utf-8") as css:
            css.write("\n/* edited */\n")
    elif edit == "font":
        font = next((project / "styles" / "fonts").rglob("*.ttf"))
        font.write_bytes(font.read_bytes() + b"\0")
    else:
        with (project / "atelier" / "outputs" / "epub.py").open("a", encoding="utf-8") as code:
            code.write("\n# edited\n")
    said = _build(project, content, out, "epub")
    assert UP_TO_DATE not in said
    if edit == "chapter":
        assert _epub(out) != before


def test_an_artifact_changed_on_disk_is_built_again(built):
    project, content, out = built
    good = _epub(out)
    (out / "petit-livre.epub").write_bytes(b"not an epub")
    assert UP_TO_DATE not in _build(project, content, out, "epub")
    assert _epub(out)[:2] == b"PK" and len(_epub(out)) == len(good)


def test_an_output_never_built_with_these_inputs_is_built(built):
    project, content, out = built
    # The EPUB is up to date, the screen PDF was never built: asking for both builds.
    said = _build(project, content, out, "epub", "pdf")
    assert UP_TO_DATE not in said and (out / "petit-livre.pdf").is_file()
    assert UP_TO_DATE in _build(project, content, out, "pdf")


def test_strict_is_part_of_the_inputs(project, content, tmp_path):
    # The screen PDF: a strict EPUB would also run EPUBCheck, which this test does not need.
    out = tmp_path / "out"
    _build(project, content, out, "pdf")
    done = starter.run([sys.executable, str(project / "build.py"), "pdf", "--strict", "--content",
                        str(content), "--out", str(out)], capture_output=True, text=True, cwd=project)
    assert done.returncode == 0 and UP_TO_DATE not in done.stdout, done.stderr


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_the_help_is_printed_once(flag):
    # The up-to-date answer reads the command line before the build does: it must leave --help to it.
    done = starter.run([sys.executable, str(ROOT / "build.py"), flag], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and done.stdout.count("utilisation : build.py") == 1, done.stdout
    assert "pdf, print, epub, presskit, web" in " ".join(done.stdout.split())


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, Path]:
    """The small content and one in-process build of all its outputs, which the byte-for-byte tests
    compare their own build with."""
    import build
    from conftest import write_content

    root = tmp_path_factory.mktemp("reference")
    content = write_content(root / "content")
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert build.main(["--content", str(content), "--out", str(root / "out")]) == 0
    return content, root / "out"


def _digests(out: Path) -> dict:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {(entry["output"], entry["path"]): entry["sha256"] for entry in manifest["artifacts"]}


def test_the_same_sources_give_the_same_bytes(run, reference, tmp_path):
    """A second build of every output into another folder: every artifact has the same sha256."""
    content, first = reference
    assert run("--content", str(content), "--out", str(tmp_path / "second"))[0] == 0
    assert len(_digests(first)) > 20 and _digests(tmp_path / "second") == _digests(first)


def test_the_printer_pdf_built_apart_is_the_one_built_in_process(reference, tmp_path):
    """From the command line the printer's PDF is made by a second process; the bytes are the same."""
    content, serial = reference
    parallel = tmp_path / "parallel"
    said = _build(ROOT, content, parallel)
    assert str(parallel / ".staging") not in said and "apart" not in said
    assert ("print", "petit-livre-imprimeur.pdf") in _digests(parallel)
    assert _digests(parallel) == _digests(serial)


def test_source_date_epoch_changes_no_byte(run, reference, tmp_path, monkeypatch):
    """Every date of the outputs comes from book.yaml; none is the build's time."""
    content, default = reference
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert run("--content", str(content), "--out", str(tmp_path / "epoch"))[0] == 0
    assert _digests(tmp_path / "epoch") == _digests(default)


def test_the_environment_names_every_installed_distribution_with_its_version():
    """An added or upgraded library makes every output stale: the environment digest names each
    distribution with its version (read from the names of their metadata folders)."""
    import importlib.metadata
    import re

    from atelier import freshness

    def name(text: str) -> str:
        return re.sub(r"[-_.]+", "_", text).lower()

    installed = {f"{name(d.metadata['Name'])}-{d.version}" for d in importlib.metadata.distributions()}
    folders = [folder.removesuffix(".dist-info").removesuffix(".egg-info") for folder in freshness._versions()]
    # A project's own egg-info folder (an editable install) names no version: its sources are digested.
    listed = {f"{name(folder.rsplit('-', 1)[0])}-{folder.rsplit('-', 1)[1]}" for folder in folders if "-" in folder}
    assert listed == installed and "weasyprint-70.0" in listed
