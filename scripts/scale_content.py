#!/usr/bin/env python3
"""Make a content tree N times larger than content/ (for measuring scale): ``scale_content.py N DEST``.

Every proposal of the real content is repeated N times with a new id (its
citations keep pointing at the originals), so the tree stays valid.
"""
from __future__ import annotations

import copy
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def main(factor: int, destination: Path) -> None:
    """Write the enlarged copy of content/ to ``destination``."""
    if destination.exists():
        shutil.rmtree(destination)
    shutil.copytree(ROOT / "content", destination)
    data = yaml.safe_load((ROOT / "content" / "propositions.yaml").read_text(encoding="utf-8"))
    originals = data["proposals"]
    data["proposals"] = [dict(copy.deepcopy(p), id=p["id"] if n == 0 else f"{p['id']}-{n}")
                         for p in originals for n in range(factor)]
    (destination / "propositions.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                                   encoding="utf-8")


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
