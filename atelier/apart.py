"""Processes beside the build: how many cores it may use, and the ``build.py`` command line.

On two cores the targets marked ``fork`` (:mod:`atelier.targets`) are made in forked processes; the
live preview (:mod:`atelier.preview`) starts ``build.py pdf`` in the background with
:func:`command`, the same command a user could type, so it gives the same bytes.
"""
from __future__ import annotations

import os
import signal
import sys
from contextlib import contextmanager
from pathlib import Path


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def command(project: Path, outputs: list[str], content: Path, out: Path, strict: bool) -> list[str]:
    """The ``build.py`` command line that builds ``outputs`` of ``content`` into ``out``."""
    return [sys.executable, str(project / "build.py"), *outputs, "--content", str(content), "--out", str(out),
            *(["--strict"] if strict else [])]


@contextmanager
def interrupts_held():
    """Hold Ctrl-C and termination back for a moment that must not be cut (files moved into place, a
    fork); a signal that comes meanwhile is delivered right after."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
