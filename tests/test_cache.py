"""The build cache (atelier/cache.py): an edit makes again exactly what depends on it, nothing stale is served.

Each test builds every output with ``build.py`` in a copy of the project, so that a template, a
stylesheet and a font can be edited in turn, with a cache folder of its own; the build's last lines
say which targets it made and which it took from the cache. The builds are processes forked from the
worker's starter (``tests/starter.py``), but for the uncached builds the cached ones are compared with.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import starter
from atelier.cache import Cache

SCREEN = {"layout", "pdf", "cover.jpg", "page-list"}      # made from the one layout
PRINTER = {"print"}                                      # drawn from that same layout
EPUB = {"epub"}
# One worker for the module: it builds the seeded cache once (fixture « seeded »).
pytestmark = pytest.mark.xdist_group("cache")


def build(project: Path, content: Path, out: Path, cache: Path) -> tuple[set, set]:
    """Every output, in one process; the targets it made and those it reused."""
    environment = {**os.environ, "ATELIER_CACHE": str(cache)}
    # A second output folder each time: the up-to-date answer (freshness) must not stand in for the cache.
    done = starter.run([sys.executable, str(project / "build.py"), "pdf", "epub", "--content", str(content),
                        "--out", str(out)], capture_output=True, text=True, cwd=project, env=environment)
    assert done.returncode == 0, done.stderr
    made = reused = None
    for line in done.stdout.splitlines():
        if line.startswith("refait : "):
            made = {name for name in line.removeprefix("refait : ").split(", ") if name != "—"}
        elif line.startswith("repris du cache : "):
            reused = {name for name in line.removeprefix("repris du cache : ").split(", ") if name != "—"}
    assert made is not None and reused is not None, done.stdout
    return made, reused


def build_all(project: Path, content: Path, out: Path, cache: Path) -> tuple[set, set]:
    """pdf, print and epub (the printer's PDF in this same process: one summary to read)."""
    environment = {**os.environ, "ATELIER_CACHE": str(cache)}
    script = ("import sys, build; sys.exit(build.main(sys.argv[1:]))")
    done = starter.run([sys.executable, "-c", script, "pdf", "print", "epub", "--content", str(content),
                        "--out", str(out)], capture_output=True, text=True, cwd=project, env=environment)
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" : ", 1) for line in done.stdout.splitlines() if line.startswith(("refait", "repris")))
    names = [{n for n in lines[k].split(", ") if n != "—"} for k in ("refait", "repris du cache")]
    return names[0], names[1]


def digests(out: Path) -> dict:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {entry["path"]: entry["sha256"] for entry in manifest["artifacts"]}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """One build of everything, with an empty cache, from an unedited copy of the project and the
    small content, in ``work/``: its cache, its files (``out-0``) and untouched copies of its project
    and content (``pristine/``). A cache key holds where the project and the content are, so each test
    works in the same ``work/`` folder, given back its pristine state (the module runs on one worker)."""
    from conftest import copy_project, write_content

    root = tmp_path_factory.mktemp("seeded")
    copy_project(root / "pristine" / "project")
    write_content(root / "pristine" / "content")
    _restore(root)
    made, reused = build_all(root / "work" / "project", root / "work" / "content", root / "out-0", root / "cache")
    assert not reused and SCREEN | PRINTER | EPUB <= made
    return root


def _restore(root: Path) -> None:
    for part in ("project", "content"):
        shutil.rmtree(root / "work" / part, ignore_errors=True)
        shutil.copytree(root / "pristine" / part, root / "work" / part)


@pytest.fixture
def project(seeded) -> Path:
    """The project's copy where the seeded cache was made, as it was then (a test may edit it)."""
    _restore(seeded)
    return seeded / "work" / "project"


@pytest.fixture
def content(seeded, project) -> Path:
    """The small content where the seeded cache was made, as it was then."""
    return seeded / "work" / "content"


@pytest.fixture
def first(seeded, project, tmp_path):
    """The cache after one build of everything, and that build's files (``out-0``), the test's own copy."""
    shutil.copytree(seeded / "out-0", tmp_path / "out-0")
    return Path(shutil.copytree(seeded / "cache", tmp_path / "cache"))


def test_a_moved_project_starts_its_cache_afresh(seeded, tmp_path):
    """The print HTML names its stylesheet by absolute address: served in another place, it pointed
    to the old one, which the confinement refused (« RESSOURCE-REFUSEE »)."""
    moved = tmp_path / "moved"
    shutil.copytree(seeded / "pristine", moved)
    made, reused = build_all(moved / "project", moved / "content", tmp_path / "out", Path(
        shutil.copytree(seeded / "cache", tmp_path / "cache")))
    assert not reused and SCREEN | PRINTER | EPUB <= made


def test_nothing_changed_reuses_every_kept_target(project, content, tmp_path, first):
    made, reused = build_all(project, content, tmp_path / "out-1", first)
    assert made == {"book", "meta", "parts"}  # the content is always read and checked
    assert {"pdf", "print", "epub"} <= reused
    assert digests(tmp_path / "out-1") == digests(tmp_path / "out-0")  # served from the cache, the same bytes


def test_a_chapter_edit_makes_everything_that_prints_it_again(project, content, tmp_path, first):
    chapter = content / "chapters" / "intro.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
    made, reused = build_all(project, content, tmp_path / "out-1", first)
    assert SCREEN | PRINTER | EPUB <= made


def test_an_epub_stylesheet_edit_makes_only_the_epub_again(project, content, tmp_path, first):
    with (project / "styles" / "epub" / "book.css").open("a", encoding="utf-8") as css:
        css.write("\n.edited { color: black; }\n")
    made, reused = build_all(project, content, tmp_path / "out-1", first)
    assert EPUB <= made and not (SCREEN | PRINTER) & made
    assert {"pdf", "print", "cover.jpg", "page-list"} <= reused


def test_an_epub_template_edit_makes_the_epub_and_no_layout_again(project, content, tmp_path, first):
    template = project / "templates" / "epub" / "chapter.xhtml"
    text = template.read_text(encoding="utf-8")
    assert "</section>" in text
    template.write_text(text.replace("</section>", "<p>Une ligne de plus.</p>\n</section>"), encoding="utf-8")
    made, reused = build_all(project, content, tmp_path / "out-1", first)
    # Each edition reads its own family's templates (and the shared ones): the print HTML is not made again.
    assert {"html.epub", "epub"} <= made and "html.print" in reused
    assert not {"layout", "pdf", "print", "html.print", "html.web"} & made


def test_a_print_stylesheet_edit_lays_out_again_and_stops_where_nothing_changed(project, content, tmp_path, first):
    with (project / "styles" / "print" / "book.css").open("a", encoding="utf-8") as css:
        css.write("\n/* a comment changes the file, not the pages */\n")
    made, reused = build_all(project, content, tmp_path / "out-1", first)
    assert SCREEN | PRINTER <= made
    # The same pages give the same cover and page list, so the EPUB is not made again.
    assert "epub" in reused and "epub" not in made


def test_a_font_edit_lays_out_again(project, content, tmp_path, first):
    font = project / "styles" / "fonts" / "source-serif-4" / "SourceSerif4-Regular.ttf"
    font.write_bytes(font.read_bytes() + b"\0")
    made, reused = build_all(project, content, tmp_path / "out-1", first)
    assert {"layout", "pdf", "print"} <= made


def test_a_code_edit_makes_everything_again(project, content, tmp_path, first):
    with (project / "atelier" / "outputs" / "epub.py").open("a", encoding="utf-8") as code:
        code.write("\n# edited\n")
    made, reused = build_all(project, content, tmp_path / "out-1", first)
    assert not reused and SCREEN | PRINTER | EPUB <= made


def test_a_damaged_entry_is_made_again(project, content, tmp_path, first):
    for entry in first.glob("pdf-*.pickle"):
        entry.write_bytes(entry.read_bytes()[:100])
    made, reused = build_all(project, content, tmp_path / "out-1", first)
    assert "pdf" in made and "layout" in made and "print" in reused
    assert digests(tmp_path / "out-1") == digests(tmp_path / "out-0")


def test_the_cache_from_the_command_line_gives_the_same_bytes_as_without_it(project, content, tmp_path, first):
    """Built as a user builds (forked targets on two cores), from the cache, and with no cache at all
    (in a new interpreter: see :func:`build_off`)."""
    build(project, content, tmp_path / "from-cache", first)
    environment = {**os.environ, "ATELIER_CACHE": "off"}
    done = subprocess.run([sys.executable, str(project / "build.py"), "pdf", "epub", "--content", str(content),
                           "--out", str(tmp_path / "no-cache")], capture_output=True, text=True, cwd=project,
                          env=environment)
    assert done.returncode == 0, done.stderr
    assert "repris du cache" not in done.stdout
    assert digests(tmp_path / "from-cache") == digests(tmp_path / "no-cache")


def test_the_last_page_map_is_read_back_as_the_next_layouts_guess(seeded, project, content):
    """The next layout starts from the last build's page numbers and amendments (``Cache.latest``), and the
    preview takes its « p. N » from them: the entry's name must give back the key it was signed with
    (a name holding half the key made every entry unreadable, and each edit cost the layouts of a cold build)."""
    from atelier.outputs.layout import PageMap

    kept = Cache(seeded / "cache", seeded / "work" / "project", seeded / "work" / "content", strict=False)
    last = kept.latest("pages")
    assert isinstance(last, PageMap) and last.numbers and len(last.pages) > 1
    mine = Cache(project.parent / "cache", project, content, strict=False)
    mine.store("pages", "b" * 64, "la carte des pages", [])
    assert mine.latest("pages") == "la carte des pages"


def test_an_interrupted_write_leaves_no_entry(tmp_path, monkeypatch):
    cache = Cache(tmp_path / "cache", Path(__file__).resolve().parents[1], tmp_path, strict=False)
    cache.store("pdf", "a" * 64, b"whole", [])

    def interrupted(*_):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.store("pdf", "b" * 64, b"never whole", [])
    assert cache.load("pdf", "b" * 64) is None and cache.load("pdf", "a" * 64) == (b"whole", [])
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [f"pdf-{'a' * 64}.pickle"]


# --- the cache as an attacker or an accident would find it (issue 25) -------------------------------

def png(colour: tuple[int, int, int]) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def build_off(project: Path, content: Path, out: Path, **environment) -> dict:
    """``pdf`` and ``epub`` with no cache at all: what every cached build must equal, byte for byte.

    In a new interpreter, not one forked from the starter as the cached builds are: the two builds
    compared hash strings with different seeds, as two users' builds would."""
    done = subprocess.run([sys.executable, str(project / "build.py"), "pdf", "epub", "--content", str(content),
                           "--out", str(out)], capture_output=True, text=True, cwd=project,
                          env={**os.environ, **environment, "ATELIER_CACHE": "off"})
    assert done.returncode == 0, done.stderr
    return digests(out)


def change_image(project, content):
    (content / "images" / "point.png").write_bytes(png((200, 30, 30)))  # same name, other bytes


def change_font(project, content):
    fonts = project / "styles" / "fonts" / "source-serif-4"
    (fonts / "SourceSerif4-Regular.ttf").write_bytes((fonts / "SourceSerif4-It.ttf").read_bytes())


def change_included_template(project, content):
    template = project / "templates" / "print" / "proposal.html"  # imported by sections/proposals.html
    text = template.read_text(encoding="utf-8")
    assert "</h2>" in text
    template.write_text(text.replace("</h2>", " (modifié)</h2>", 1), encoding="utf-8")


def add_image(content: Path) -> None:
    """An image in the small content's chapter, which an edit may then change."""
    (content / "images" / "point.png").write_bytes(png((32, 64, 96)))
    chapter = content / "chapters" / "intro.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n![Un point](images/point.png)\n", encoding="utf-8")


@pytest.fixture(scope="module")
def with_image(seeded) -> Path:
    """The cache and the files (``image-out-0``) of one build of the small content with an image, made
    once in ``work/`` for the tests of a change (each starts from a copy of that cache)."""
    _restore(seeded)
    add_image(seeded / "work" / "content")
    build(seeded / "work" / "project", seeded / "work" / "content", seeded / "image-out-0", seeded / "image-cache")
    _restore(seeded)
    return seeded


@pytest.mark.parametrize("change", [change_image, change_font, change_included_template, None],
                         ids=["image-bytes", "font", "included-template", "source-date-epoch"])
def test_a_cached_build_after_a_change_equals_a_build_without_cache(with_image, project, content, tmp_path, change):
    add_image(content)
    cache = Path(shutil.copytree(with_image / "image-cache", tmp_path / "cache"))
    before = digests(with_image / "image-out-0")
    epoch = {}
    if change is None:
        epoch = {"SOURCE_DATE_EPOCH": "1700000000"}
        os.environ.update(epoch)  # read by the cached build's subprocess
    else:
        change(project, content)
    try:
        made, _ = build(project, content, tmp_path / "out-1", cache)
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    assert digests(tmp_path / "out-1") == build_off(project, content, tmp_path / "off", **epoch)
    if change is not None:
        assert digests(tmp_path / "out-1") != before and "pdf" in made


def test_a_planted_entry_is_never_unpickled(project, content, tmp_path, first):
    """A shared cache folder an attacker can write to: entries they plant are ignored, never run."""
    import pickle

    witness = tmp_path / "code-ran"

    class Payload:
        def __reduce__(self):
            return (open, (str(witness), "w"))

    from atelier import cache as caching
    planted = pickle.dumps((Payload(), []))
    entries = sorted(first.glob("*.pickle"))
    assert entries
    for index, entry in enumerate(entries):
        # Unsigned, as an earlier format had it, or with a made-up signature.
        entry.write_bytes(caching.FORMAT + (planted if index % 2 else bytes(32) + planted))
    made, reused = build_all(project, content, tmp_path / "out-1", first)
    assert not witness.exists()
    assert not reused
    assert digests(tmp_path / "out-1") == digests(tmp_path / "out-0")


def _mount_tmpfs(folder: Path, options: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    if done.returncode:
        pytest.skip(f"mounting a tmpfs needs root (mount said: {done.stderr.decode().strip()})")


@pytest.fixture(scope="module")
def uncached(tmp_path_factory) -> dict:
    """The small content's PDF and EPUB built with no cache, once for the module, in a folder of its own:
    the outputs do not depend on where the project and the content are."""
    from conftest import copy_project, write_content

    root = tmp_path_factory.mktemp("uncached")
    return build_off(copy_project(root / "project"), write_content(root / "content"), root / "out")


@pytest.mark.parametrize("state", ["truncated", "junk", "read-only", "full", "a-file"])
def test_a_broken_cache_folder_gives_a_miss_or_a_message_never_a_wrong_output(seeded, project, content, tmp_path,
                                                                               state, uncached):
    import random

    cache = tmp_path / "cache"
    expected = uncached
    mounted = None
    if state in ("truncated", "junk"):
        shutil.copytree(seeded / "cache", cache)   # a warm cache of this project and content
        rng = random.Random(25)
        for entry in sorted(cache.glob("*.pickle")):
            data = entry.read_bytes()
            entry.write_bytes(data[: len(data) // 3] if state == "truncated" else rng.randbytes(len(data)))
        (cache / "epub-0123456789abcdef0123456789abcdef.pickle").write_bytes(rng.randbytes(4096))
    elif state in ("read-only", "full"):
        mounted = cache
        _mount_tmpfs(cache, "ro,size=1m" if state == "read-only" else "size=16k")
    else:
        cache.write_text("pas un dossier")
    try:
        environment = {**os.environ, "ATELIER_CACHE": str(cache)}
        done = starter.run([sys.executable, str(project / "build.py"), "pdf", "epub", "--content", str(content),
                            "--out", str(tmp_path / "out")], capture_output=True, text=True, cwd=project,
                           env=environment)
    finally:
        if mounted:
            subprocess.run(["umount", str(mounted)], check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    if state in ("read-only", "full", "a-file"):
        assert "le cache" in done.stderr and "continue sans lui" in done.stderr, done.stderr
    assert digests(tmp_path / "out") == expected


def test_an_edit_of_a_proposals_text_makes_no_share_card_again(content, tmp_path):
    """The cards show titles, numbers and parts: their page comes out the same after a text's edit (a
    value compared by what it is), so the cards' layout and pictures are taken from the cache; a title's
    edit makes them again."""
    import build as building
    from atelier.cli import Context
    from atelier.outputs.layout import Trees
    from atelier.targets import run

    def cards_build() -> Context:
        trees = Trees(content=content, templates=building.PROJECT / "templates", styles=building.PROJECT / "styles")
        context = Context(trees=trees, strict=False)
        kept = Cache(tmp_path / "cache", building.PROJECT, content, strict=False)
        run(building.TARGETS, ["web.cards"], context, lambda *_: None, kept)
        return context

    assert "web.cards" in cards_build().made
    proposals = content / "propositions.yaml"
    text = proposals.read_text(encoding="utf-8")
    edited = text.replace("Un constat simple.", "Un constat simple, et une phrase de plus.")
    proposals.write_text(edited, encoding="utf-8")
    again = cards_build()
    assert "html.cards" in again.made and "web.cards" in again.reused
    proposals.write_text(text.replace("title: Ouvrir un guichet", "title: Ouvrir un guichet unique"), encoding="utf-8")
    assert "web.cards" in cards_build().made
