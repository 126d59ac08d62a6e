"""Processes beside the build: how many cores it may use, the ``build.py`` command line, and the
memory a long book's layouts leave behind.

On two cores the targets marked ``fork`` (:mod:`atelier.targets`) are made in forked processes; the
live preview (:mod:`atelier.preview`) starts ``build.py pdf`` in the background with
:func:`command`, the same command a user could type, so it gives the same bytes.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
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


#: Below this resident size a process has nothing worth a full collection to give back: the real
#: book's main process held 235 to 280 MB at its three, which cost 0.28, 0.28 and 0.74 s of processor
#: for 40 to 70 MB each (without them it rises to about 500 MB); the ten-times book's holds 1.3 GB
#: between two layouts.
WORTH_GIVING_BACK = 512 * 2**20


def give_back_memory() -> None:
    """Collect what nothing refers to any more, then hand the freed memory back to the system.

    A laid-out document is held by reference cycles (a thousand-page book's is a gigabyte), so the
    collector frees it; glibc's allocator then keeps most of what it freed for itself (measured on the
    ten-times book: 431 MB still held by a process after its one layout was freed, 166 MB after
    ``malloc_trim``). What this process keeps is also what every child it forks starts with.

    A process under :data:`WORTH_GIVING_BACK` skips both: the collector's own thresholds free its
    cycles in time, and a full collection would cost it more processor than the memory is worth."""
    resident = resident_bytes()
    if resident is not None and resident < WORTH_GIVING_BACK:
        return
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def resident_bytes() -> int | None:
    """This process's resident memory, or None where ``/proc`` does not say it."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's ``malloc_trim``, or None where the C library has none (musl, macOS)."""
    try:
        return getattr(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), "malloc_trim", None)
    except OSError:
        return None
