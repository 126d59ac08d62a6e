#!/usr/bin/env python3
"""Measure the build against its floor, in one run, and print a table of times and ratios.

    python scripts/benchmark.py [--repeat N] [--no-scale]

The floor is one WeasyPrint layout of the book's print HTML with its page references
(``target-counter``) replaced by a fixed figure: nothing can lay the book out faster. Every
other figure is measured in the same run, as a separate ``build.py`` process (interpreter start-up
included), and given as a ratio of the floor or against its goal (issue 13):

- cold full build of every artifact, into an empty folder: goal at most 1.5 × the floor;
- rebuild with nothing changed, into the same folder: goal under 0.3 s;
- the live preview (``build.py --watch``), from saving a chapter to the server's new page (the
  page in the browser asks every 0.2 s): goal under 1.0 s;
- EPUB alone, into an empty folder: goal under 1.0 s;
- a content tree ten times larger (``scale_content.py``), full build: goal at most 11 × the real
  one, peak memory under 2 GB.

Each figure is the median of ``--repeat`` runs (3 by default; the scale build runs once). The
machines are shared and noisy: read the ratios, measured side by side, rather than the seconds.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
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

#: Every page reference of the print stylesheet, and the fixed figure the floor prints instead.
PAGE_REFERENCE = re.compile(r"target-counter\(attr\(href\), page\)")


def floor_seconds(content: Path) -> float:
    """One layout of the print HTML with its page references replaced by « 0 »."""
    import build
    from weasyprint import CSS, HTML

    document = build.make(content, ["html.print"])["html.print"]
    css = (ROOT / "styles" / "print" / "book.css").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        # The edited stylesheet keeps the original's base URL, so its fonts and images still resolve.
        copy = Path(folder) / "book.css"
        copy.write_text(PAGE_REFERENCE.sub('"0"', css), encoding="utf-8")
        original = re.escape((ROOT / "styles" / "print" / "book.css").resolve().as_uri())
        html = re.sub(rf'<link rel="stylesheet" href="{original}"\s*/?>', "", document.html)
        assert html != document.html, "the print HTML no longer links book.css as expected"
        start = time.perf_counter()
        HTML(string=html, base_url=str(content.resolve()) + "/").render(
            stylesheets=[CSS(string=copy.read_text(encoding="utf-8"),
                             base_url=(ROOT / "styles" / "print").resolve().as_uri() + "/")])
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
    watcher = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--watch", "--port", str(port),
                                "--content", str(copy)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    version = f"http://127.0.0.1:{port}/__version"

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
        chapter.write_text(chapter.read_text(encoding="utf-8") + "\nUne phrase de plus.\n", encoding="utf-8")
        while current() == before:
            time.sleep(0.01)
        return time.perf_counter() - start
    finally:
        watcher.terminate()
        watcher.wait()


def timed_build(args: list[str]) -> tuple[float, int]:
    """Wall time of ``build.py args`` in a fresh process, and that process's peak memory in MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=ROOT,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"build.py {' '.join(args)} a échoué :\n{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) // 1024


def fr(value: float, unit: str) -> str:
    """A measure written the French way: « 5,32 × », « 0,11 s »."""
    return f"{value:.2f}".replace(".", ",") + f" {unit}"


def median_of(repeat: int, run) -> float:
    return statistics.median(run() for _ in range(repeat))


def fresh(folder: Path) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    parser.add_argument("--no-scale", action="store_true", help="skip the ten-times content tree")
    options = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    content = ROOT / "content"
    rows: list[tuple[str, str, str, str]] = []
    try:
        floor = median_of(options.repeat, lambda: floor_seconds(content))
        rows.append(("plancher : une mise en pages sans renvois de page", fr(floor, "s"), fr(1, "×"), ""))
        cold = median_of(options.repeat, lambda: timed_build(["--out", str(fresh(work / "cold"))])[0])
        rows.append(("construction complète à froid", fr(cold, "s"), fr(cold / floor, "×"), "≤ 1,5 ×"))
        noop = median_of(options.repeat, lambda: timed_build(["--out", str(work / "cold")])[0])
        rows.append(("reconstruction sans changement", fr(noop, "s"), fr(noop / floor, "×"), "< 0,3 s"))
        preview = median_of(options.repeat, lambda: preview_seconds(content, fresh(work / "preview")))
        rows.append(("aperçu en direct, de l'enregistrement à la nouvelle page", fr(preview, "s"), "",
                     "< 1,0 s"))
        epub = median_of(options.repeat, lambda: timed_build(["epub", "--out", str(fresh(work / "epub"))])[0])
        rows.append(("EPUB seul", fr(epub, "s"), fr(epub / floor, "×"), "< 1,0 s"))
        if not options.no_scale:
            subprocess.run([sys.executable, str(ROOT / "scripts" / "scale_content.py"), "10", str(work / "big")],
                           check=True)
            big, peak = timed_build(["--content", str(work / "big"), "--out", str(fresh(work / "big-out"))])
            rows.append(("contenu dix fois plus grand, construction complète", fr(big, "s"),
                         fr(big / cold, "× la construction réelle"), "≤ 11 ×"))
            rows.append(("   mémoire maximale de cette construction", f"{peak} Mo", "", "< 2 000 Mo"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"machine : {platform.machine()}, {os.cpu_count()} cœurs, Python {platform.python_version()}; "
          f"médiane de {options.repeat} essai{'s' if options.repeat > 1 else ''}")
    width = max(len(row[0]) for row in rows)
    print(f"{'mesure'.ljust(width)}  {'temps':>10}  {'rapport':<28}  objectif")
    for name, seconds, ratio, goal in rows:
        print(f"{name.ljust(width)}  {seconds:>10}  {ratio:<28}  {goal}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
