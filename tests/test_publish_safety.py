"""Publishing under attack or accident: the output folder holds the old complete set or the new one.

Each test runs ``build.py`` as a user does (its own process, forked from the worker's starter
``tests/starter.py``; the printer's PDF in a second one) on
the small publication, into an output folder that already holds a complete earlier build, and
interrupts or starves it: a mount point as the output folder, ``kill -9`` of either process and
Ctrl-C at random moments, a full disk, two builds into the same folder at once.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

import pytest

import starter

# One worker for the module: its two sets of outputs are built once (module fixture « sets »).
pytestmark = pytest.mark.xdist_group("publish-safety")

ROOT = Path(__file__).resolve().parents[1]


def command(content: Path, out: Path, *targets: str) -> list[str]:
    return [sys.executable, str(ROOT / "build.py"), *targets, "--content", str(content), "--out", str(out)]


def start(content: Path, out: Path, *targets: str) -> starter.Popen:
    return starter.Popen(command(content, out, *targets), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env={**os.environ, "ATELIER_CACHE": "off"})


def built(content: Path, out: Path, *targets: str) -> str:
    done = starter.run(command(content, out, *targets), capture_output=True, text=True,
                       env={**os.environ, "ATELIER_CACHE": "off"})
    assert done.returncode == 0, done.stderr
    return done.stderr


def visible(out: Path) -> dict[str, str]:
    """Every file a reader of the folder sees (a killed build's hidden staging folder left aside)."""
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in out.rglob("*") if p.is_file() and not p.relative_to(out).parts[0].startswith(".staging-")}


def complete(out: Path) -> dict[str, str]:
    """The folder's files, checked against its manifest: every entry there with its bytes, nothing else."""
    files = visible(out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
    assert {e["path"]: e["sha256"] for e in manifest} == {k: v for k, v in files.items() if k != "manifest.json"}
    return files


class Sets(NamedTuple):
    content: Path
    old: Path
    new: Path
    seconds: float   # how long the second build took here: the random moments are drawn within it


@pytest.fixture(scope="module")
def sets(tmp_path_factory) -> Sets:
    """The small publication before and after an edit, each built once: the two complete sets."""
    from conftest import BOOK_YAML, INTRO_MD, PROPOSALS_YAML

    root = tmp_path_factory.mktemp("publishing")
    content = root / "content"
    (content / "chapters").mkdir(parents=True)
    (content / "images").mkdir()
    (content / "book.yaml").write_text(BOOK_YAML, encoding="utf-8")
    (content / "propositions.yaml").write_text(PROPOSALS_YAML, encoding="utf-8")
    (content / "chapters" / "intro.md").write_text(INTRO_MD, encoding="utf-8")
    old = root / "old"
    built(content, old, "pdf", "print", "epub")
    (content / "chapters" / "intro.md").write_text(INTRO_MD + "\nUne phrase de plus.\n", encoding="utf-8")
    new = root / "new"
    started = time.monotonic()
    built(content, new, "pdf", "print", "epub")
    seconds = time.monotonic() - started
    assert complete(old) != complete(new)
    return Sets(content, old, new, seconds)


def fresh_copy(old: Path, where: Path) -> Path:
    shutil.copytree(old, where)
    return where


def assert_old_or_new(out: Path, old: Path, new: Path) -> str:
    """The folder is one of the two sets; after the next build's sweep, if a killed build's rename
    was cut short (its journal finishes it)."""
    from atelier.outputs.publish import sweep

    state = visible(out)
    if state not in (visible(old), visible(new)):
        assert list(out.glob(".staging-*/journal.json")), "a mixed set with no journal to finish it"
        sweep(out)
        state = visible(out)
    assert state in (visible(old), visible(new))
    complete(out)
    return "old" if state == visible(old) else "new"


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_an_output_folder_that_is_a_mount_point_is_published_into(sets, tmp_path):
    content, old, new, _ = sets
    out = tmp_path / "mounted"
    out.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(out)], capture_output=True)
    if done.returncode:
        pytest.skip(f"mounting a tmpfs needs root (mount said: {done.stderr.decode().strip()})")
    try:
        shutil.copytree(old, out, dirs_exist_ok=True)
        stderr = built(content, out, "pdf", "print", "epub")
        assert "Traceback" not in stderr
        assert visible(out) == visible(new)
        assert not list(out.glob(".staging-*"))
    finally:
        subprocess.run(["umount", str(out)], check=False)


@pytest.mark.parametrize("trial", range(10))
def test_kill_9_at_a_random_moment_leaves_the_old_or_the_new_set(sets, tmp_path, trial):
    """Even trials kill the main process, odd ones the printer's second process, at a moment drawn
    within the time a build takes on this machine."""
    content, old, new, seconds = sets
    out = fresh_copy(old, tmp_path / "out")
    rng = random.Random(1000 + trial)
    process = start(content, out, "pdf", "print", "epub")
    if trial % 2:
        deadline = time.monotonic() + 10
        while not children(process.pid) and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.6) * seconds)   # the children start once the book is laid out
        for victim in children(process.pid):
            try:
                os.kill(victim, signal.SIGKILL)
            except ProcessLookupError:
                pass   # it had finished its work between the listing and the kill: the build goes on
        status = process.wait(timeout=60)
        stderr = process.stderr.read()
        assert status in (0, 2) and "Traceback" not in stderr, stderr
        if status == 2:
            assert "a été arrêté (signal 9)" in stderr, stderr
    else:
        time.sleep(rng.uniform(0.0, 1.2) * seconds)
        process.kill()
        process.wait(timeout=60)
        time.sleep(0.2)  # the printer's process follows its parent (PR_SET_PDEATHSIG)
    assert_old_or_new(out, old, new)
    if trial < 2:  # the next build sweeps what was left and publishes
        built(content, out, "pdf", "print", "epub")
        assert visible(out) == visible(new)
    else:
        from atelier.outputs.publish import sweep
        sweep(out)
    assert not list(out.glob(".staging-*"))


@pytest.mark.parametrize("trial", range(3))
def test_ctrl_c_at_a_random_moment_leaves_the_old_or_the_new_set(sets, tmp_path, trial):
    content, old, new, seconds = sets
    out = fresh_copy(old, tmp_path / "out")
    process = start(content, out, "pdf", "print", "epub")
    time.sleep(random.Random(2000 + trial).uniform(0.1, 1.2) * seconds)
    process.send_signal(signal.SIGINT)
    status = process.wait(timeout=60)
    stderr = process.stderr.read()
    assert status in (0, 130), stderr
    assert "Traceback" not in stderr
    said = assert_old_or_new(out, old, new)
    if status == 0:
        assert said == "new"
    assert not list(out.glob(".staging-*"))


def test_a_full_disk_on_the_output_leaves_the_old_set(sets, tmp_path):
    content, old, new, _ = sets
    out = tmp_path / "small"
    out.mkdir()
    size = sum(p.stat().st_size for p in old.rglob("*") if p.is_file())
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size + 256 * 1024}", "tmpfs", str(out)],
                          capture_output=True)
    if done.returncode:
        pytest.skip(f"mounting a tmpfs needs root (mount said: {done.stderr.decode().strip()})")
    try:
        shutil.copytree(old, out, dirs_exist_ok=True)
        process = starter.run(command(content, out, "pdf", "print", "epub"), capture_output=True, text=True,
                              env={**os.environ, "ATELIER_CACHE": "off"})
        assert process.returncode == 2, process.stderr
        assert "disque est plein" in process.stderr and "Traceback" not in process.stderr
        assert visible(out) == visible(old)
        assert not list(out.glob(".staging-*"))
    finally:
        subprocess.run(["umount", str(out)], check=False)


def _locked(folder: Path) -> bool:
    """Whether a process holds a lock on ``folder`` (a line of /proc/locks ends its device with its inode)."""
    inode = folder.stat().st_ino
    return any(line.split()[5].endswith(f":{inode}") for line in Path("/proc/locks").read_text().splitlines()
               if len(line.split()) > 5)


def test_two_builds_into_the_same_folder_take_turns(sets, tmp_path):
    content, old, new, _ = sets
    out = fresh_copy(old, tmp_path / "out")
    first = start(content, out, "pdf", "print", "epub")
    # The second starts once the first holds the folder (a fixed delay raced a first slow to start:
    # a fresh clone compiles its bytecode). /proc/locks shows it without taking the lock ourselves.
    deadline = time.monotonic() + 60
    while not _locked(out) and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _locked(out), first.stderr.read() if first.poll() is not None else "the first build took no lock"
    second = start(content, out, "pdf", "epub")
    assert second.wait(timeout=120) == 0 and first.wait(timeout=120) == 0
    assert "une autre construction écrit dans" in second.stderr.read()
    assert visible(out) == visible(new)
    complete(out)
