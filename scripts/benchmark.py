#!/usr/bin/env python3
"""Measure the build against its floor, in one run, and print a table of times and ratios.

    python scripts/benchmark.py [--repeat N] [--no-scale]

The floor is ``weasyprint`` itself on the kept screen HTML: one layout of the book's print HTML,
its page numbers written in as text (no ``target-counter``), and one PDF written from it (the
screen PDF, tagged): nothing can make the book's PDF faster. Every other figure is measured in the
same run, as a separate ``build.py`` process (interpreter start-up included), with a build cache of
its own (``ATELIER_CACHE``), and given as a ratio of the floor or against its goal (issues 13 and 24):

- cold full build of every artifact, into an empty folder with an empty cache: at most 1.3 × the floor;
  and the printer's PDF of a second build from that cache, byte for byte the same;
- rebuild with nothing changed, into the same folder: under 0.3 s;
- one proposal edited (a sentence added to its text), every output rebuilt: at most 1.1 × the
  floor; then the EPUB stylesheet edited: the time, which targets were made again and which were
  taken from the cache (as the build itself reports them), and which files changed;
- the live preview (``build.py --watch``), from saving a chapter to the server's new page (the page
  in the browser asks every 0.2 s): under 1.0 s;
- EPUB alone, into an empty folder, with the cache a full build left: under 1.0 s; and with an
  empty cache, when it needs the book's layout for its print page numbers; Pandoc's EPUB of the
  same Markdown when ``pandoc`` is installed;
- a content tree ten times larger (``scale_content.py``), full build with an empty cache: at most
  8 × the real one, peak memory under 1.5 GB; and the validation alone of 10,000 proposals.

Each figure is the median of ``--repeat`` runs (3 by default; the scale build runs once). The
machines are shared and noisy: read the ratios, measured side by side, rather than the seconds.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: The « one proposal edited » measure adds a sentence at the start of the first « Constat ».
EDITED = ("### Constat\n\n      ", "### Constat\n\n      Une phrase ajoutée pour la mesure. ")


def floor_seconds(content: Path) -> float:
    """WeasyPrint on the print HTML with its page numbers already written in: one layout and the
    screen PDF written from it (with the collector's thresholds ``build.py`` sets)."""
    import gc

    import build
    from weasyprint import HTML

    gc.set_threshold(50_000, 20, 100)
    html = build.make(content, ["layout"])["layout"].html
    start = time.perf_counter()
    HTML(string=html, base_url=str(content.resolve()) + "/").render().write_pdf(pdf_variant="pdf/ua-1")
    return time.perf_counter() - start


def preview_seconds(content: Path, work: Path) -> float:
    """From saving a chapter to the live preview's new version (``build.py --watch``, server side)."""
    import socket
    import urllib.request

    copy = work / "content"
    shutil.copytree(content, copy)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The PDF that follows the preview goes to a folder of the measure's own, not to output/, and the
    # preview has a cache of its own (the project's might already hold the edited content's HTML).
    watcher = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--watch", "--port", str(port),
                                "--content", str(copy), "--out", str(work / "out")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "ATELIER_CACHE": str(work / "cache")})
    page, version = f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/__version"

    def current() -> bytes:
        try:
            return urllib.request.urlopen(version, timeout=2).read()
        except OSError:
            return b""

    try:
        while current() in (b"", b"0"):
            time.sleep(0.05)
        time.sleep(0.5)
        before, chapter = current(), copy / "chapters" / "introduction.md"
        start = time.perf_counter()
        chapter.write_text(chapter.read_text(encoding="utf-8") + "\nUne phrase de plus, écrite pour la mesure.\n",
                           encoding="utf-8")
        # A new version may also be the screen PDF of the version before it, finished meanwhile: the
        # measure ends when the page served holds the new sentence (its last words are kept together
        # in a span of their own).
        while True:
            now = current()
            if now != before:
                if "Une phrase de plus, écrite" in urllib.request.urlopen(page, timeout=5).read().decode("utf-8"):
                    return time.perf_counter() - start
                before = now
            time.sleep(0.01)
    finally:
        watcher.terminate()
        watcher.wait()


class Builds:
    """``build.py`` runs, each in a fresh process, with a cache folder chosen per run."""

    def __init__(self, work: Path):
        self.work = work
        self.said = ""

    def timed(self, args: list[str], cache: Path) -> tuple[float, int]:
        """Wall time of ``build.py args``, and the peak memory of its largest process, in MB."""
        environment = {**os.environ, "ATELIER_CACHE": str(cache)}
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=ROOT, env=environment,
                              capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode:
            raise SystemExit(f"build.py {' '.join(args)} a échoué :\n{done.stderr}")
        self.said = done.stdout
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return seconds, max(peak, before) // 1024

    def fresh(self, name: str) -> Path:
        folder = self.work / name
        shutil.rmtree(folder, ignore_errors=True)
        return folder


def _print_pdf(out: Path) -> bytes:
    """The printer's PDF of an output folder."""
    entries = json.loads((out / "manifest.json").read_text())["artifacts"]
    return (out / next(e["path"] for e in entries if e["kind"] == "print")).read_bytes()


def made_and_reused(said: str) -> tuple[list[str], list[str]]:
    """The targets a build (and its second process) made again and took from the cache."""
    made: list[str] = []
    reused: list[str] = []
    for line in said.splitlines():
        line = line.split("│ ", 1)[-1]
        for prefix, into in (("refait : ", made), ("repris du cache : ", reused)):
            if line.startswith(prefix):
                into += [n for n in line.removeprefix(prefix).split(", ") if n != "—" and n not in into]
    return made, [n for n in reused if n not in made]


def changed_files(before: Path, after: Path) -> list[str]:
    """The artifacts whose bytes differ between two output folders."""
    def digests(out: Path) -> dict:
        return {e["path"]: e["sha256"] for e in json.loads((out / "manifest.json").read_text())["artifacts"]}
    old, new = digests(before), digests(after)
    return sorted(path for path in new if old.get(path) != new[path])


def pandoc_epub_seconds(content: Path, work: Path) -> float | None:
    """Pandoc's EPUB of the book's Markdown chapters, when Pandoc is installed."""
    pandoc = shutil.which("pandoc")
    if not pandoc:
        return None
    chapters = sorted(str(p) for p in (content / "chapters").glob("*.md"))
    start = time.perf_counter()
    subprocess.run([pandoc, *chapters, "-o", str(work / "pandoc.epub")], check=True, capture_output=True)
    return time.perf_counter() - start


def validation_seconds(work: Path) -> tuple[float, int]:
    """Reading and checking a tree of about 10,000 proposals (the ``book`` target alone)."""
    import build

    subprocess.run([sys.executable, str(ROOT / "scripts" / "scale_content.py"), "150", str(work / "huge")],
                   check=True)
    start = time.perf_counter()
    book = build.make(work / "huge", ["book"])["book"]
    return time.perf_counter() - start, len(book.proposals)


def fr(value: float, unit: str) -> str:
    """A measure written the French way: « 5,32 × », « 0,11 s »."""
    return f"{value:.2f}".replace(".", ",") + f" {unit}"


def median_of(repeat: int, run) -> float:
    return statistics.median(run() for _ in range(repeat))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--no-scale", action="store_true", help="skip the ten-times content tree")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    builds = Builds(work)
    content = ROOT / "content"
    rows: list[tuple[str, str, str, str]] = []
    notes: list[str] = []
    try:
        floor = median_of(options.repeat, lambda: floor_seconds(content))
        rows.append(("plancher : weasyprint, une mise en pages et le PDF écran", fr(floor, "s"), fr(1, "×"), ""))

        def cold_build() -> float:
            return builds.timed(["--out", str(builds.fresh("cold"))], builds.fresh("cache-cold"))[0]
        cold = median_of(options.repeat, cold_build)
        rows.append(("construction complète à froid (cache vide)", fr(cold, "s"), fr(cold / floor, "×"), "≤ 1,3 ×"))
        builds.timed(["--out", str(builds.fresh("cached"))], work / "cache-cold")
        same = _print_pdf(work / "cold") == _print_pdf(work / "cached")
        rows.append(("PDF imprimeur : à froid et repris du cache", "identiques" if same else "DIFFÉRENTS", "",
                     "identiques"))
        noop = median_of(options.repeat, lambda: builds.timed(["--out", str(work / "cold")], work / "cache-cold")[0])
        rows.append(("reconstruction sans changement", fr(noop, "s"), fr(noop / floor, "×"), "< 0,3 s"))

        edited_content = work / "edited"
        shutil.copytree(content, edited_content)
        proposals = edited_content / "propositions.yaml"
        assert EDITED[0] in proposals.read_text(encoding="utf-8"), "the sentence to edit is gone; change EDITED"
        builds.timed(["--content", str(edited_content), "--out", str(builds.fresh("edit-before"))],
                     builds.fresh("cache-edit"))
        proposals.write_text(proposals.read_text(encoding="utf-8").replace(*EDITED, 1), encoding="utf-8")
        edit, _ = builds.timed(["--content", str(edited_content), "--out", str(builds.fresh("edit-after"))],
                               work / "cache-edit")
        made, reused = made_and_reused(builds.said)
        rows.append(("une proposition modifiée (une phrase), toutes les sorties", fr(edit, "s"), fr(edit / floor, "×"),
                     "≤ 1,1 ×"))
        changed = changed_files(work / "edit-before", work / "edit-after")
        notes += ["une proposition modifiée :", f"  refait : {', '.join(made)}",
                  f"  repris du cache : {', '.join(reused) or '—'}",
                  f"  fichiers changés ({len(changed)}) : {', '.join(changed)}"]

        # The same tree, its EPUB stylesheet edited: the EPUB and the kit that holds it, no layout.
        epub_css = ROOT / "styles" / "epub" / "book.css"
        original = epub_css.read_text(encoding="utf-8")
        try:
            epub_css.write_text(original + "\n/* mesure */\n", encoding="utf-8")
            restyled, _ = builds.timed(["--content", str(edited_content), "--out", str(builds.fresh("restyled"))],
                                       work / "cache-edit")
        finally:
            epub_css.write_text(original, encoding="utf-8")
        made, reused = made_and_reused(builds.said)
        rows.append(("feuille de style de l'EPUB modifiée", fr(restyled, "s"), fr(restyled / floor, "×"),
                     "ce qui en dépend"))
        changed = changed_files(work / "edit-after", work / "restyled")
        notes += ["feuille de style de l'EPUB modifiée :", f"  refait : {', '.join(made)}",
                  f"  repris du cache : {', '.join(reused) or '—'}",
                  f"  fichiers changés ({len(changed)}) : {', '.join(changed)}"]

        preview = median_of(options.repeat, lambda: preview_seconds(content, builds.fresh("preview")))
        rows.append(("aperçu en direct, de l'enregistrement à la nouvelle page", fr(preview, "s"), "", "< 1,0 s"))

        epub = median_of(options.repeat, lambda: builds.timed(["epub", "--out", str(builds.fresh("epub"))],
                                                              work / "cache-cold")[0])
        rows.append(("EPUB seul, cache d'une construction complète", fr(epub, "s"), fr(epub / floor, "×"), "< 1,0 s"))
        bare = median_of(options.repeat, lambda: builds.timed(["epub", "--out", str(builds.fresh("epub"))],
                                                              builds.fresh("cache-epub"))[0])
        rows.append(("EPUB seul, cache vide (il lui faut la mise en pages)", fr(bare, "s"), fr(bare / floor, "×"), ""))
        pandoc = pandoc_epub_seconds(content, work)
        rows.append(("EPUB de Pandoc, même Markdown", fr(pandoc, "s") if pandoc else "absent", "", ""))

        if not options.no_scale:
            subprocess.run([sys.executable, str(ROOT / "scripts" / "scale_content.py"), "10", str(work / "big")],
                           check=True)
            big, peak = builds.timed(["--content", str(work / "big"), "--out", str(builds.fresh("big-out"))],
                                     builds.fresh("cache-big"))
            rows.append(("contenu dix fois plus grand, construction complète", fr(big, "s"),
                         fr(big / cold, "× la construction réelle"), "≤ 8 ×"))
            rows.append(("   mémoire maximale de cette construction", f"{peak} Mo", "", "≤ 1 500 Mo"))
            seconds, count = validation_seconds(work)
            rows.append((f"validation seule de {count} propositions", fr(seconds, "s"), "", "quelques secondes"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"machine : {platform.machine()}, {os.cpu_count()} cœurs, Python {platform.python_version()}; "
          f"médiane de {options.repeat} essai{'s' if options.repeat > 1 else ''}")
    width = max(len(row[0]) for row in rows)
    print(f"{'mesure'.ljust(width)}  {'temps':>10}  {'rapport':<28}  objectif")
    for name, seconds, ratio, goal in rows:
        print(f"{name.ljust(width)}  {seconds:>10}  {ratio:<28}  {goal}")
    print("\n".join(notes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
