#!/usr/bin/env python3
"""Count the typographic faults of the built book, line by line, as the PDF prints them.

    python scripts/typography_report.py [--content DIR]

Lays the book out once (as ``build.py`` does) and prints, for the body
lines of every page: apostrophes, no-break spaces, breakable spaces before
``; : ! ?`` and inside « », hyphenated line ends and runs of them, short
fragments, paragraphs ending on a single word, lines that start with
closing punctuation. Figures only: it changes nothing.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import build  # noqa: E402
from atelier.outputs.lines import lines, measure  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=str(ROOT / "content"))
    args = parser.parse_args()
    values = build.make(Path(args.content), ["layout"])
    found = lines(values["layout"])
    print(f"{len(values['layout'].pages)} pages, {len(found)} lines")
    for name, count in measure(found).items():
        print(f"{count:6d}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
