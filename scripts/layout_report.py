#!/usr/bin/env python3
"""Report what a book designer would send back on the built book, page by page.

    python scripts/layout_report.py [--content DIR]

Lays the book out once (as ``build.py`` does) and prints the measure of the
text (characters per full line), the emptiness of every page in the middle
of a part, and every fault of the layout check (:mod:`atelier.outputs.pagecheck`).
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import build  # noqa: E402
from atelier.outputs.lines import lines  # noqa: E402
from atelier.outputs.pagecheck import page_faults, part_boundaries  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=str(ROOT / "content"))
    args = parser.parse_args()
    values = build.make(Path(args.content), ["layout"])
    layout, book = values["layout"], values["book"]
    found = lines(layout)
    measure = [len(line.text) for line in found if line.tag == "p" and not line.paragraph_end and not line.aside]
    print(f"{len(layout.pages)} pages; measure: median {statistics.median(measure):.0f} characters per line "
          f"(quartiles {statistics.quantiles(measure, n=4)})")
    for fault in page_faults(layout.model, part_boundaries(book)):
        print(f"p. {fault.page:3d}  {fault.kind}  {fault.detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
