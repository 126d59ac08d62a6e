"""Shared fixtures: a small inline publication, and a helper to run the command line."""
from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import build  # noqa: E402
from atelier import freshness  # noqa: E402

# Every build of the tests makes what it is asked for; the cache's own tests turn it on.
os.environ["ATELIER_CACHE"] = "off"

BOOK_YAML = """\
format: 2
title: Petit livre d'essai
subtitle: "[=propositions] propositions pour essayer"
slug: petit-livre
language: fr
authors: [Atelier d'essai]
publisher: Atelier d'essai
date: 2025-01-15
identifiers:
  uuid: urn:uuid:12345678-1234-5678-1234-567812345678
rights: Tous droits réservés.
description: Un livre d'essai de [=propositions] propositions.
facts:
  partenaires: 7
contents:
  - toc
  - chapters/intro.md
  - proposals
  - summary
"""

PROPOSALS_YAML = """\
scales:
  cost:
    label: Coût
    figure: cout
    levels:
      - {id: faible, label: faible, description: Peu cher.}
      - {id: moyen, label: moyen, description: Un budget dédié.}
      - {id: eleve, label: élevé, description: Un gros investissement.}
  ease:
    label: Facilité
    figure: facilite
    levels:
      - {id: difficile, label: difficile, description: Une loi.}
      - {id: moyenne, label: moyenne, description: Plusieurs acteurs.}
      - {id: facile, label: facile, description: Un seul acteur.}
actors:
  - id: etat
    label: L'État
  - id: communes
    label: Les communes
axes:
  - id: premier
    title: Premier axe
    colour: "#204060"
    introduction: |
      Introduction du premier axe, qui compte [=axe.premier] propositions.
  - id: second
    title: Second axe
    colour: "#602040"
    introduction: |
      Introduction du second axe.
proposals:
  - id: ouvrir-guichet
    axis: premier
    title: Ouvrir un guichet
    summary: Ouvrir un guichet unique.
    actors: [etat]
    cost: faible
    ease: facile
    highlight: true
    body: |
      ### Constat

      Un constat simple.

      ### Proposition

      Ouvrir le guichet, en lien avec [@former-agents].
  - id: former-agents
    axis: premier
    title: Former les agents
    summary: Former les agents publics.
    actors: [etat, communes]
    cost: moyen
    ease: moyenne
    body: |
      ### Constat

      Les agents manquent de formation[^1].

      [^1]: Une note de bas de page.
  - id: financer-projets
    axis: second
    title: Financer les projets
    summary: Financer les projets dans la durée.
    actors: [communes]
    cost: eleve
    ease: difficile
    body: |
      ### Constat

      Voir [@ouvrir-guichet|court].
"""

INTRO_MD = """\
---
title: Introduction
short_title: Intro
---

Ce livre réunit [=propositions|lettres] propositions et [=partenaires] partenaires.
La [@financer-projets|titre] est la plus coûteuse ; [=cout.faible|%] sont peu chères.
"""


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A small valid content tree, written fresh for each test."""
    return write_content(tmp_path / "content")


@pytest.fixture
def run(capsys):
    """Run ``build.main`` and return (exit status, stdout, stderr)."""
    def runner(*argv: str):
        code = build.main(list(argv))
        captured = capsys.readouterr()
        return code, captured.out, captured.err
    return runner


def dedent(text: str) -> str:
    """Inline fixtures are written indented; remove that indent."""
    return textwrap.dedent(text)


def pytest_configure(config):
    """Compile the pipeline's modules once, before the workers start.

    The tests start ``build.py`` as a process some hundred times (in the project and in copies of it);
    where ``PYTHONDONTWRITEBYTECODE`` is set (as on this project's CI machine) no process writes its
    compiled modules, and each one would compile the whole pipeline again (0.07 s of processor each).
    ``compileall`` writes them whatever that variable says; a copy of the project takes them along.
    With ``--processor``, it also makes the folder the workers write their processor times into."""
    if not hasattr(config, "workerinput"):   # the xdist controller, or a run without workers
        import compileall

        compileall.compile_dir(ROOT / "atelier", quiet=1)
        if config.getoption("--processor"):
            import tempfile

            os.environ[_PROCESSOR_FOLDER] = tempfile.mkdtemp(prefix="atelier-processor-")


def pytest_addoption(parser):
    parser.addoption("--regenerate-golden", action="store_true",
                     help="rewrite the expected files of the golden tests from today's output (review the diff!)")
    parser.addoption("--processor", action="store_true",
                     help="print the processor time of the slowest tests, their child processes included")


# --- processor time per test (--processor) ---------------------------------------------------
# On two busy cores the suite's time is its processor time halved, so that is what to cut: the
# wall-clock durations (--durations) count a test's waits and its neighbours' work. Each worker
# writes one line per test (its own time and that of the processes it waited for: builds, EPUBCheck,
# Ace, Calibre, Node; a browser's own helpers may escape the count) into a folder the controller
# made, and the controller adds them up at the end.

#: Where the workers write (made by the controller before they start, which inherit its environment).
_PROCESSOR_FOLDER = "ATELIER_TEST_PROCESSOR"


def _processor_seconds() -> float:
    import resource

    import starter

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    # The builds forked from the starter are not this worker's children: the starter counts them.
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime + starter.processor[0]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if not item.config.getoption("--processor"):
        yield
        return
    before = _processor_seconds()
    yield
    with open(Path(os.environ[_PROCESSOR_FOLDER]) / f"{os.getpid()}.jsonl", "a", encoding="utf-8") as record:
        record.write(json.dumps([item.nodeid, _processor_seconds() - before]) + "\n")


def pytest_terminal_summary(terminalreporter, config):
    if not config.getoption("--processor") or hasattr(config, "workerinput"):
        return
    folder = Path(os.environ[_PROCESSOR_FOLDER])
    rows = [json.loads(line) for path in sorted(folder.glob("*.jsonl")) for line in path.read_text().splitlines()]
    shutil.rmtree(folder, ignore_errors=True)
    by_file: dict = {}
    for nodeid, seconds in rows:
        by_file[nodeid.split("::")[0]] = by_file.get(nodeid.split("::")[0], 0.0) + seconds
    terminalreporter.section(f"processor time: {sum(s for _, s in rows):.0f} s in {len(rows)} tests")
    for name, seconds in sorted(by_file.items(), key=lambda kv: -kv[1])[:12]:
        terminalreporter.write_line(f"{seconds:7.1f} s  {name}")
    for nodeid, seconds in sorted(rows, key=lambda row: -row[1])[:15]:
        terminalreporter.write_line(f"{seconds:7.1f} s  {nodeid}")


@pytest.fixture
def golden(request):
    """Compare text with ``tests/cases/<case>/expected/<name>``, or rewrite it with --regenerate-golden."""
    regenerate = request.config.getoption("--regenerate-golden")

    def check(case: str, name: str, actual: str) -> None:
        path = ROOT / "tests" / "cases" / case / "expected" / name
        if regenerate:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"{path} missing: run pytest --regenerate-golden and review it"
        assert actual == path.read_text(encoding="utf-8"), f"{path} differs (pytest --regenerate-golden to accept)"
    return check


class _Recomputed(dict):
    """The values of a build made by another worker: each one made again here, when first asked for,
    from the same sources (the book and its HTML in a fraction of a second; a layout takes the build's time,
    which is why the tests that read one run on the worker that builds)."""

    def __missing__(self, name: str):
        self[name] = build.make(ROOT / "content", [name])[name]
        return self[name]


@dataclass(frozen=True)
class RealBuild:
    """The real content built once through the command line, and the values the build made."""

    out: Path
    artifacts: dict      # manifest entries by kind, html left out
    values: dict         # every target's value, by target name (the book, the HTML, the layouts…)
    warnings: tuple = ()  # the warnings the build printed (the press kit's placeholders, and nothing else)

    @property
    def layouts(self) -> dict:
        """"layout": the one layout both PDFs are drawn from."""
        return {"layout": self.values["layout"]}

    def path(self, kind: str) -> Path:
        return self.out / self.artifacts[kind]["path"]


#: The only warnings the working edition may give: its press kit's contacts and embargo are placeholders
#: (never invented), which a --strict build refuses to publish (tests/test_presskit.py checks that).
PLACEHOLDER_CODES = ("CONTACT-A-COMPLETER", "EMBARGO-A-COMPLETER")


@pytest.fixture(scope="session")
def real_build(tmp_path_factory, worker_id) -> RealBuild:
    """Every output of ``content/``, built once per test run, whichever worker asks first.

    As strict as ``--strict``: the build must give no warning at all but the press kit's placeholders
    (its contacts' phone numbers and spokespeople, its embargo's hour, left to complete in the working
    edition), which ``--strict`` would turn into errors and which the kit prints « à compléter ».

    With ``-n 2`` (pytest-xdist, ``--dist loadgroup``, see pyproject.toml), the tests that read the
    build's values in memory (its layout above all) are marked ``xdist_group("real-book")`` and run on
    one worker, which builds the book; those that only read its files (EPUBCheck, Ace, axe, Calibre…)
    are marked ``xdist_group("real-files")`` and may run on the other worker, which waits for the build
    (a lock beside both workers' folders) and reads the same folder. Either worker builds when it comes
    first: the order only decides who waits.

    It is built on the path a user's ``build.py`` takes: the build cache on (in a folder of its
    own), the targets marked ``fork`` made in forked processes on two cores (``parallel``), every
    target as ``build.py`` declares it. Every value the build makes is kept here as the build receives
    it (the layout the PDFs were drawn from, the book, the HTML, a forked child's value as it comes back
    through its pipe), so tests read pages without laying the book out again.
    """
    import fcntl

    shared = tmp_path_factory.getbasetemp()
    shared = shared.parent if worker_id != "master" else shared
    with open(shared / "real-book.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)   # released when the file is closed
        record = shared / "real-book.json"
        if record.exists():
            made = json.loads(record.read_text(encoding="utf-8"))
            return _real_build(Path(made["out"]), _Recomputed(), tuple(made["warnings"]))
        built = _build_real_book(shared / "real-book", tmp_path_factory.mktemp("cache"))
        record.write_text(json.dumps({"out": str(built.out), "warnings": built.warnings}), encoding="utf-8")
        return built


def _build_real_book(out: Path, cache: Path) -> RealBuild:
    """``build.py`` on ``content/`` into ``out``, every target's value kept (see :func:`real_build`)."""
    import contextlib
    import io
    import re

    from atelier import targets

    values = {}
    made = targets._Lazy._made

    def recording(lazy, target, value, problems, seconds):
        values[target.name] = value   # as the build received it (a forked child's, through its pipe)
        made(lazy, target, value, problems, seconds)

    printed = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stderr(printed):
        patch.setenv("ATELIER_CACHE", str(cache))
        patch.setattr(targets._Lazy, "_made", recording)
        status = build.main(["--content", str(ROOT / "content"), "--out", str(out)], parallel=True)
    assert status == 0, printed.getvalue()
    warnings = tuple(line for line in printed.getvalue().splitlines() if re.match(r"\S+:\d+:\d+: ", line))
    assert warnings and all(re.search(r": (%s) avertissement" % "|".join(PLACEHOLDER_CODES), line)
                            for line in warnings), printed.getvalue()
    return _real_build(out, values, warnings)


def _real_build(out: Path, values: dict, warnings: tuple) -> RealBuild:
    manifest = json.loads((out / "manifest.json").read_text())["artifacts"]
    return RealBuild(out, {entry["kind"]: entry for entry in manifest if entry["kind"] != "html"}, values, warnings)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project (code, templates, styles, fonts), so that a test may edit any of them."""
    return copy_project(tmp_path / "project")


def copy_project(copy: Path) -> Path:
    """Copy the project's code, templates, styles and fonts to the new folder ``copy``."""
    copy.mkdir(parents=True)
    for part in freshness.PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            # Compiled modules go along (see pytest_configure); an edited module is compiled again.
            shutil.copytree(source, copy / part)
        else:
            shutil.copy2(source, copy / part)
    return copy


def write_content(root: Path) -> Path:
    """Write the small valid content tree to the new folder ``root``."""
    (root / "chapters").mkdir(parents=True)
    (root / "images").mkdir()
    (root / "book.yaml").write_text(BOOK_YAML, encoding="utf-8")
    (root / "propositions.yaml").write_text(PROPOSALS_YAML, encoding="utf-8")
    (root / "chapters" / "intro.md").write_text(INTRO_MD, encoding="utf-8")
    return root


def laid_out(html: str):
    """``html`` laid out by WeasyPrint, read into the page model: a small document for a layout test."""
    from weasyprint import HTML

    from atelier import pages
    from atelier.outputs.layout import Layout

    return Layout(reading=pages.read(HTML(string=html).render()))
