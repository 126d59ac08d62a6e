"""Unit tests of the stages that had none: targets, labels, render and EPUB, on the small publication."""
from __future__ import annotations

import zipfile

import pytest

import build
from atelier import anchors, apart
from atelier.charts import charts
from atelier.errors import Collector
from atelier.editions.epub import COVER_FILE, EPUB, NAV_FILE
from atelier.editions.printed import PRINT
from atelier.html.markup import to_html
from atelier.html.render import outline
from atelier.html.renderers import render
from atelier.labels import labels_for
from atelier.sections import SECTIONS
from atelier.source.load import load_book
from atelier.targets import Target, checks_first, order, run

TEMPLATES = build.PROJECT / "templates"


def test_targets_run_in_dependency_order_each_once():
    targets = {t.name: t for t in (Target("a", (), None), Target("b", ("a",), None), Target("c", ("a", "b"), None))}
    assert [t.name for t in order(targets, ["c", "b"])] == ["a", "b", "c"]


@pytest.mark.parametrize("lazy", [False, True], ids=["in-order", "lazy"])
def test_the_checks_a_target_names_are_made_first_and_a_checkpoint_may_stop_the_rest(lazy):
    made = []

    def maker(name):
        return lambda context, *needs: made.append(name)

    targets = {t.name: t for t in (Target("book", (), maker("book")), Target("ready", ("book",), maker("ready")),
                                   Target("layout", ("book",), maker("layout")),
                                   Target("kit", ("layout",), maker("kit"), checked_by=("ready",)))}
    assert checks_first(targets, ["kit"]) == ["ready"] and checks_first(targets, ["layout"]) == []

    class Stop(Exception):
        pass

    def stop():
        raise Stop

    context = type("Context", (), {"names": {}, "report": Collector()})()
    with pytest.raises(Stop):
        run(targets, ["kit"], context, lambda *_: None, fork=lazy, first=["book", "ready"], checkpoint=stop)
    assert made == ["book", "ready"]
    made.clear()
    run(targets, ["kit"], context, lambda *_: None, fork=lazy, first=["book", "ready"], checkpoint=lambda: None)
    assert made == ["book", "ready", "layout", "kit"]


@pytest.mark.parametrize("forked", [False, True], ids=["in-process", "forked"])
def test_a_released_value_is_freed_once_every_target_that_needs_it_has_it(forked):
    """The layout of a long book is a gigabyte: marked ``release``, it is dropped (and its memory freed)
    once the PDF has started and the cover is made, unless the build asks for it."""
    import weakref

    class Pages:
        pass

    seen = {}

    def lay_out(context):
        pages = Pages()
        seen["pages"] = weakref.ref(pages)
        return pages

    def cover(context, pages):
        seen["alive for the cover"] = seen["pages"]() is pages
        return b"jpg"

    targets = {t.name: t for t in (Target("layout", (), lay_out, release=True),
                                   Target("pdf", ("layout",), lambda context, pages: b"pdf", fork=forked),
                                   Target("cover", ("layout",), cover),
                                   Target("epub", ("cover",), lambda context, jpg: jpg + b" epub"))}
    context = type("Context", (), {"names": {}, "report": Collector()})()
    values = run(targets, ["pdf", "epub"], context, lambda *_: None, fork=True)
    assert values["pdf"] == b"pdf" and values["epub"] == b"jpg epub" and seen["alive for the cover"]
    assert "layout" not in values and seen["pages"]() is None
    values = run(targets, ["layout", "pdf"], context, lambda *_: None, fork=True)
    assert isinstance(values["layout"], Pages)   # asked for: kept


def test_what_this_process_can_make_is_made_before_it_waits_for_a_child():
    """The site's pages need no drawing: they are made while the children draw the PDFs, not after
    (the kit, asked for first, waits for a drawing; the site asks for more and goes first)."""
    targets = {t.name: t for t in (Target("layout", (), lambda context: "pages"),
                                   Target("draw", ("layout",), lambda context, pages: b"pdf", fork=True),
                                   Target("kit", ("draw",), lambda context, pdf: b"zip"),
                                   Target("site", ("layout",), lambda context, pages: "html"),
                                   Target("web", ("site", "kit"), lambda context, html, kit: b"web"))}
    context = type("Context", (), {"names": {}, "report": Collector(), "made": [], "reused": []})()
    run(targets, ["kit", "web"], context, lambda *_: None, fork=True)
    assert context.made.index("site") < context.made.index("draw") and set(context.made) == set(targets)


def test_memory_a_build_frees_goes_back_to_the_system():
    """Between two layouts of a long book, and when its layout is released, the memory freed must
    leave the process: glibc keeps freed blocks for itself, and a forked child would count them."""
    import gc

    if apart._malloc_trim() is None or apart.resident_bytes() is None:
        pytest.skip("this C library has no malloc_trim, or this system no /proc")

    def resident_mb() -> int:
        return apart.resident_bytes() // 2**20

    blocks = [bytes(3000) + bytes([i % 256]) for i in range(200_000)]   # 600 MB in the C heap
    survivors = blocks[::50]   # a few kept among them: the heap cannot simply shrink from its top
    del blocks
    gc.collect()
    held = resident_mb()
    assert held * 2**20 > apart.WORTH_GIVING_BACK   # a long book's process, not a short one's
    apart.give_back_memory()
    assert held - resident_mb() > 400 and len(survivors) == 4000


def test_a_small_process_is_spared_the_full_collection(monkeypatch):
    """Under ``WORTH_GIVING_BACK`` (the real book's build stays far below it), giving memory back
    would cost a full collection (0.3 to 0.7 s of processor there) for a few tens of megabytes."""
    import gc

    collected = []

    def seen(phase, info):
        if phase == "start":
            collected.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        monkeypatch.setattr(apart, "WORTH_GIVING_BACK", apart.resident_bytes() + 2**30)
        apart.give_back_memory()
        assert 2 not in collected
        monkeypatch.setattr(apart, "WORTH_GIVING_BACK", 0)
        apart.give_back_memory()
        assert collected[-1] == 2
    finally:
        gc.callbacks.remove(seen)


def test_a_cycle_between_targets_is_refused():
    targets = {t.name: t for t in (Target("a", ("b",), None), Target("b", ("a",), None))}
    with pytest.raises(ValueError, match="cycle"):
        order(targets, ["a"])


def test_a_full_build_lays_the_book_out_once_for_both_pdfs(content, run, tmp_path, monkeypatch):
    import weasyprint

    calls = []
    real = weasyprint.HTML.render

    def counting(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)
    monkeypatch.setattr(weasyprint.HTML, "render", counting)
    assert run("pdf", "epub", "--content", str(content), "--out", str(tmp_path / "screen"))[0] == 0
    assert len(calls) == 1  # the screen PDF and the EPUB cover share it
    assert run("pdf", "print", "epub", "--content", str(content), "--out", str(tmp_path / "out"))[0] == 0
    assert len(calls) == 1 + 1  # and the printer's PDF is drawn from that same layout


def test_labels_agree_with_their_count():
    labels = labels_for("fr")
    assert labels.plural("cli.chapters", 1) == "1 chapitre"
    assert labels.plural("cli.chapters", 2) == "2 chapitres"
    with pytest.raises(KeyError):
        labels["nowhere.to.be.found"]


def test_generated_anchors_never_use_a_reserved_prefix():
    assert SECTIONS
    for section in SECTIONS.values():
        assert not section.anchor.startswith(anchors.PREFIXES), section
        assert EPUB.file(section.anchor) not in (COVER_FILE, NAV_FILE)


def test_outline_follows_contents_and_holds_the_proposals(content):
    book = load_book(content)
    entries = outline(book, labels_for("fr"))
    assert [e.kind for e in entries] == ["chapter", "axis", "axis", "section"]
    assert [c.number for c in entries[1].children] == [1, 2]
    assert entries[1].children[0].epub_href == "axe-premier.xhtml#prop-ouvrir-guichet"


def _print_html(book) -> str:
    [document] = render(PRINT, book, to_html(book), charts(book, labels_for("fr")), TEMPLATES, stylesheets=["file:///x.css"])
    return document.html


def test_print_document_renders_every_generated_section_from_the_registry(content):
    book = load_book(content)
    html = _print_html(book)
    for name in ("toc", "summary"):
        assert f'id="{SECTIONS[name].anchor}"' in html
    assert html.count('<section class="proposal') == 3


def test_any_number_of_scales_reaches_the_outputs(content):
    path = content / "propositions.yaml"
    text = path.read_text().replace("actors:\n  - id: etat", (
        "  impact:\n    label: Impact\n    levels:\n"
        "      - {id: local, label: local, description: Un territoire.}\n"
        "      - {id: national, label: national, description: Tout le pays.}\n"
        "actors:\n  - id: etat"), 1)
    text = text.replace("    ease: facile\n", "    ease: facile\n    impact: local\n")
    text = text.replace("    ease: moyenne\n", "    ease: moyenne\n    impact: national\n")
    text = text.replace("    ease: difficile\n", "    ease: difficile\n    impact: local\n")
    path.write_text(text)
    book = load_book(content)
    assert book.figures["impact.local"] == 2
    html = _print_html(book)
    assert html.count('class="scale scale-impact"') == 3 and '<th scope="col" class="col-level pictogram-dots">Impact</th>' in html


def test_epub_documents_are_stored_as_published(content, run, tmp_path):
    out = tmp_path / "out"
    assert run("epub", "--content", str(content), "--out", str(out))[0] == 0
    with zipfile.ZipFile(out / "petit-livre.epub") as archive:
        for name in archive.namelist():
            if name.endswith(".xhtml"):
                published = out / "html" / "epub" / name.removeprefix("EPUB/")
                assert archive.read(name) == published.read_bytes(), name
        opf = archive.read("EPUB/content.opf").decode()
    assert 'properties="nav"' in opf and "images/cover.jpg" in opf


def test_epub_documents_follow_contents(content):
    book = load_book(content)
    names = [d.name for d in render(EPUB, book, to_html(book), charts(book, labels_for("fr")), TEMPLATES)]
    assert names == ["couverture.xhtml", "nav.xhtml", "chapitre-intro.xhtml", "axe-premier.xhtml",
                     "axe-second.xhtml", "recapitulatif.xhtml"]


def test_a_template_edited_between_two_builds_of_one_process_is_compiled_again(tmp_path):
    # The compiled templates are shared by every environment of the process (the preview builds again
    # and again): an edit under the same name must give the new text, not the code of the old one.
    from atelier.html.render import environment

    template = tmp_path / "page.html"
    template.write_text("avant {{ mot }}", encoding="utf-8")
    assert environment(tmp_path).get_template("page.html").render(mot="un") == "avant un"
    template.write_text("après {{ mot }}", encoding="utf-8")
    assert environment(tmp_path).get_template("page.html").render(mot="deux") == "après deux"


def test_a_child_killed_while_it_sends_its_value_is_reported_as_stopped_not_as_an_internal_error():
    """kill -9 of a child halfway through sending a large value (a PDF): the parent reads half a pickle;
    it says the process was stopped and nothing published (an environment problem, status 2), not
    « erreur interne (UnpicklingError…) » (seen in test_publish_safety once the screen PDF was forked)."""
    import os
    import signal
    import time

    from atelier.errors import EnvironmentProblem
    from atelier.targets import _Forked

    child = _Forked(lambda: b"x" * 50_000_000, Collector())
    time.sleep(0.5)   # it has filled the pipe and waits for the parent to read
    os.kill(child.pid, signal.SIGKILL)
    with pytest.raises(EnvironmentProblem, match="signal 9"):
        child.result()
