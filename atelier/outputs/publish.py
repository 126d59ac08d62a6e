"""Publishing: all of a build's artifacts reach the output folder together, or none does.

Every artifact is first written, in full and synced, into a hidden staging folder inside the
output folder (so on its file system, even when the output folder is a mount point: a renamed
file never crosses devices), together with the new ``manifest.json``. Only then are the files
moved into place, each with one rename, interrupts held back, the manifest last; the staging
folder is then removed. A build that fails, runs out of disk or is interrupted before that point
leaves the output folder exactly as it was, and the next build sweeps away whatever an
interrupted one left behind (staging folders, temporary files, WeasyPrint's font folders, which
live inside the staging folder).

Two builds into the same output folder do not mix: each holds a lock on the folder from its
first look at it to its last rename (:func:`exclusive`); the second says so and waits.

The manifest lists what is in the output folder: an output that is rebuilt
replaces all its earlier entries (files it no longer makes are removed), and
the entries of outputs not rebuilt this time are kept while their file is
still there, unchanged.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .. import freshness
from ..apart import interrupts_held
from ..errors import EnvironmentProblem

MANIFEST = "manifest.json"
#: What a build writes in its staging folder once its files are all staged: the moves still to make.
JOURNAL = "journal.json"
STAGING_PREFIX = ".staging-"


@dataclass(frozen=True)
class Artifact:
    """One built file, ready to be written."""

    kind: str              # "pdf", "epub", "html"…
    path: str              # relative to the output folder
    data: bytes
    output: str = ""       # the output (command-line target) it belongs to
    pages: Optional[int] = None

    def entry(self) -> dict:
        """Its line in the manifest."""
        entry = {"kind": self.kind, "output": self.output, "path": self.path, "bytes": len(self.data),
                 "sha256": hashlib.sha256(self.data).hexdigest()}
        if self.pages is not None:
            entry["pages"] = self.pages
        return entry


def check_output_folder(out_dir: Path, forbidden: list[Path]) -> None:
    """Fail early, before any long work, if ``out_dir`` cannot receive the build."""
    out_dir = Path(out_dir)
    resolved = out_dir.resolve()
    for tree in forbidden:
        if resolved == tree.resolve() or resolved.is_relative_to(tree.resolve()):
            raise EnvironmentProblem(f"le dossier de sortie « {out_dir} » est dans « {tree} » ; "
                                     "choisissez un dossier à part (par défaut : output/).")
    if out_dir.exists() and not out_dir.is_dir():
        raise EnvironmentProblem(f"« {out_dir} » existe et n'est pas un dossier.")
    existing = next((p for p in [out_dir, *out_dir.parents] if p.exists()), None)
    if existing is None or not existing.is_dir():
        raise EnvironmentProblem(f"le dossier de sortie « {out_dir} » ne peut pas être créé.")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise EnvironmentProblem(f"le dossier « {existing} » n'est pas accessible en écriture.")


def sweep(out_dir: Path) -> None:
    """Remove what an interrupted build left: staging folders and temporary files."""
    out_dir = Path(out_dir)
    # Inside the output folder; beside it for builds of earlier versions.
    leftovers = [*out_dir.glob(f"{STAGING_PREFIX}*"),
                 *out_dir.resolve().parent.glob(f"{STAGING_PREFIX}{out_dir.name}-*")] if out_dir.is_dir() else []
    for leftover in leftovers:
        pid = leftover.name.rsplit("-", 1)[-1]
        if not (pid.isdigit() and _alive(int(pid))):
            if leftover.parent == out_dir:
                _finish_interrupted(leftover, out_dir)
            shutil.rmtree(leftover, ignore_errors=True)
    if out_dir.is_dir():
        for temporary in out_dir.rglob(".*.tmp"):
            if not any(part.startswith(STAGING_PREFIX) for part in temporary.relative_to(out_dir).parts):
                temporary.unlink(missing_ok=True)


@contextmanager
def exclusive(out_dir: Path):
    """Hold the output folder for this build alone (created if need be); another build waits its turn."""
    import fcntl

    out_dir = Path(out_dir)
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        handle = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        raise EnvironmentProblem(f"le dossier de sortie « {out_dir} » ne peut pas être ouvert : "
                                 f"{error.strerror}.") from error
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"une autre construction écrit dans « {out_dir} » : celle-ci attend qu'elle ait fini…",
                  file=sys.stderr, flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        if created and not any(out_dir.iterdir()):
            out_dir.rmdir()  # a build that published nothing leaves no empty folder where there was none
        os.close(handle)  # releases the lock


@contextmanager
def staging(out_dir: Path):
    """A private, hidden folder inside ``out_dir`` for this build; temporary files of libraries go there too."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        folder = out_dir / f"{STAGING_PREFIX}{os.getpid()}"
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "tmp").mkdir(parents=True)
    except OSError as error:
        raise EnvironmentProblem(f"impossible de préparer la publication dans « {out_dir} » : "
                                 f"{error.strerror}.") from error
    previous = tempfile.tempdir
    tempfile.tempdir = str(folder / "tmp")
    try:
        yield folder
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(folder, ignore_errors=True)


def publish(artifacts: list[Artifact], out_dir: Path, stage: Path, rebuilt: set[str],
            inputs: tuple[str, list[str]] | None = None) -> list[dict]:
    """Write ``artifacts`` (of the outputs ``rebuilt``) to ``stage``, then move them all into ``out_dir``.

    ``inputs`` is the key of what the build was made from and the names of every output: the
    manifest records the key for each output rebuilt (:mod:`atelier.freshness`).
    """
    out_dir = Path(out_dir)
    previous, previous_inputs, readable = _previous_manifest(out_dir)
    kept = [e for e in previous if _output_of(e) not in rebuilt and _unchanged(out_dir, e)]
    obsolete = [e["path"] for e in previous if _output_of(e) in rebuilt]
    new_paths = {artifact.path for artifact in artifacts}
    entries = sorted(kept + [a.entry() for a in artifacts], key=lambda e: (e["kind"], e["path"]))
    document: dict = {"artifacts": entries}
    if inputs is not None:
        key, outputs = inputs
        document[freshness.INPUTS] = freshness.record(previous_inputs, sorted(rebuilt), outputs, key)
    manifest = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode()
    journal = {"moves": sorted(new_paths), "removals": [p for p in obsolete if p not in new_paths]}
    try:
        for artifact in artifacts:
            _write_synced(stage / "files" / artifact.path, artifact.data)
        _write_synced(stage / "files" / MANIFEST, manifest)
        # From here on the publication is decided: a build killed during the moves (kill -9 holds
        # no signal back) is finished by the next one's sweep from this record.
        _write_synced(stage / JOURNAL, json.dumps(journal).encode())
    except OSError as error:
        raise EnvironmentProblem(_disk_words(error, out_dir)) from error
    with interrupts_held():  # while files are moved into place (milliseconds)
        _carry_out(journal, stage, out_dir)
    if not readable:
        print(f"avertissement : {out_dir / MANIFEST} était illisible ; il a été réécrit d'après les fichiers "
              "de cette construction.", flush=True)
    return entries


def _carry_out(journal: dict, stage: Path, out_dir: Path) -> None:
    """Move the staged files into place, remove the obsolete ones, the manifest last (again if need be)."""
    for path in journal["moves"]:
        source, target = stage / "files" / path, out_dir / path
        if source.exists() and _inside(out_dir, path):
            _make_folders(out_dir, target.parent)
            os.replace(source, target)
    for path in journal["removals"]:
        if _inside(out_dir, path):
            (out_dir / path).unlink(missing_ok=True)
    if (stage / "files" / MANIFEST).exists():
        os.replace(stage / "files" / MANIFEST, out_dir / MANIFEST)


def _finish_interrupted(stage: Path, out_dir: Path) -> None:
    """Finish the publication of a build killed while it moved its files, if it had begun it."""
    try:
        journal = json.loads((stage / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # it had not begun: its staged files are simply dropped
    if isinstance(journal, dict) and {"moves", "removals"} <= journal.keys():
        _carry_out(journal, stage, out_dir)


def _write_synced(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    # Readable by all whatever the umask (a web server refuses to serve a 0600 press kit).
    os.chmod(target, FILE_MODE)


#: Every published file and folder is readable by everyone, written by its owner only.
FILE_MODE = 0o644
FOLDER_MODE = 0o755


def _make_folders(out_dir: Path, folder: Path) -> None:
    """Create ``folder`` and the folders above it inside ``out_dir``, each readable by everyone."""
    missing = [p for p in [folder, *folder.parents] if p != out_dir and p.is_relative_to(out_dir) and not p.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    for path in missing:
        os.chmod(path, FOLDER_MODE)


def _previous_manifest(out_dir: Path) -> tuple[list[dict], dict, bool]:
    """The entries and the inputs record of the manifest already in ``out_dir``, and whether it could be read."""
    path = out_dir / MANIFEST
    if not path.exists():
        return [], {}, True
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        entries = [e for e in manifest["artifacts"] if isinstance(e, dict) and isinstance(e.get("path"), str)]
    except (OSError, ValueError, KeyError, TypeError):
        return [], {}, False
    inputs = manifest.get(freshness.INPUTS)
    return entries, inputs if isinstance(inputs, dict) else {}, True


def _output_of(entry: dict) -> str:
    """The output an entry belongs to (manifests of earlier versions did not say)."""
    if entry.get("output"):
        return entry["output"]
    if entry.get("kind") == "html":
        return "epub" if entry["path"].startswith("html/epub/") else "pdf"
    return str(entry.get("kind", ""))


def _unchanged(out_dir: Path, entry: dict) -> bool:
    path = out_dir / entry["path"]
    if not _inside(out_dir, entry["path"]) or not path.is_file():
        return False
    return hashlib.sha256(path.read_bytes()).hexdigest() == entry.get("sha256")


def _inside(out_dir: Path, relative: str) -> bool:
    return (out_dir / relative).resolve().is_relative_to(out_dir.resolve())


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _disk_words(error: OSError, out_dir: Path) -> str:
    if error.errno == errno.ENOSPC:
        return f"le disque est plein : la construction n'a rien publié dans « {out_dir} »."
    return f"écriture impossible près de « {out_dir} » ({error.strerror}) : rien n'a été publié."
