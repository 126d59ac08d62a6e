"""Processes beside the build: how many cores it may use, and the ``build.py`` command line.

On two cores the targets marked ``fork`` (:mod:`atelier.targets`) are made in forked processes; the
live preview (:mod:`atelier.preview`) starts ``build.py pdf`` in the background with
:func:`command`, the same command a user could type, so it gives the same bytes.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def command(project: Path, outputs: list[str], content: Path, out: Path, strict: bool) -> list[str]:
    """The ``build.py`` command line that builds ``outputs`` of ``content`` into ``out``."""
    return [sys.executable, str(project / "build.py"), *outputs, "--content", str(content), "--out", str(out),
            *(["--strict"] if strict else [])]
