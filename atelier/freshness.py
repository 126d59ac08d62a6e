"""Is the output folder already up to date? Answered before the pipeline is even imported.

A build records, in ``manifest.json``, a key of everything it was made from: every file of the
content folder, of the templates, the styles (fonts included) and the pipeline's own code, the
Python version and every installed distribution's version, and the
options that change the result (``--strict``, ``SOURCE_DATE_EPOCH``). The key is recorded for each
output (``pdf``, ``print``, ``epub``, ``presskit``) the build made.

When ``build.py`` is asked again for outputs whose recorded key equals today's, and every file the
manifest lists for them is still there with the same bytes (sha256), it says so and stops: no
artifact is served stale, since any change to any input changes the key. Only the standard library
is used here, so the answer takes a fraction of a second.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import sys
from pathlib import Path
from typing import Optional

#: What the manifest calls its record of inputs.
INPUTS = "inputs"
#: Folders and files of the project that the pipeline's result depends on.
PROJECT_PARTS = ("build.py", "pyproject.toml", "atelier", "templates", "styles")


def input_key(project: Path, content: Path, strict: bool) -> str:
    """The key of everything a build of ``content`` with this pipeline is made from."""
    digest = hashlib.sha256()
    for label, root in [("project", project / part) for part in PROJECT_PARTS] + [("content", content)]:
        feed_tree(digest, root, root.parent, f"{label}:")
    digest.update(environment_digest(strict))
    return digest.hexdigest()


def feed_tree(digest, root: Path, base: Path, label: str = "") -> None:
    """Add to ``digest`` every source file under ``root``: its name (relative to ``base``) and its bytes."""
    for path in source_files(root):
        digest.update(f"{label}{path.relative_to(base).as_posix()}\0".encode())
        digest.update(file_digest(path))


#: The sha256 of each file read by this process, by path, with the size and time it had then.
_DIGESTS: dict[Path, tuple[tuple[int, int], bytes]] = {}


def file_digest(path: Path) -> bytes:
    """The sha256 of a file, read once per process while its size and modification time stay the same
    (the build key and the build cache hash the same files)."""
    stat = path.stat()
    seen = (stat.st_size, stat.st_mtime_ns)
    kept = _DIGESTS.get(path)
    if kept is None or kept[0] != seen:
        kept = _DIGESTS[path] = (seen, hashlib.sha256(path.read_bytes()).digest())
    return kept[1]


def environment_digest(strict: bool) -> bytes:
    """What a build depends on besides files: the Python version and every installed distribution's,
    and the options that change the result (the printer's colour profiles are files of styles/)."""
    digest = hashlib.sha256()
    digest.update("\n".join([platform.python_version(), *_versions()]).encode())
    digest.update(f"strict={strict};epoch={os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    return digest.digest()


@functools.lru_cache(maxsize=1)
def _versions() -> tuple[str, ...]:
    """Every installed distribution and its version (read once per process), as the names of their
    metadata folders say them (``weasyprint-70.0.dist-info``): one listing of each folder of the path,
    where reading every distribution's metadata took a no-change rebuild a tenth of its time."""
    return tuple(sorted(entry.name for folder in sys.path if folder and os.path.isdir(folder)
                        for entry in os.scandir(folder) if entry.name.endswith((".dist-info", ".egg-info"))))


def source_files(root: Path) -> list[Path]:
    """Every file under ``root`` that a build may read (hidden files and Python caches left out)."""
    if root.is_file():
        return [root]
    found = []
    for folder, names, files in os.walk(root):
        names[:] = sorted(n for n in names if not n.startswith(".") and n != "__pycache__")
        found += [Path(folder) / f for f in sorted(files) if not f.startswith(".") and not f.endswith(".pyc")]
    return found


def recorded(out: Path) -> dict:
    """The inputs record of the manifest in ``out`` (empty when there is none)."""
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    record = manifest.get(INPUTS) if isinstance(manifest, dict) else None
    return {"record": record, "artifacts": manifest.get("artifacts", [])} if isinstance(record, dict) else {}


def record(previous: dict, built: list[str], outputs: list[str], key: str) -> dict:
    """The inputs record after a build of ``built`` with ``key`` (other outputs keep theirs)."""
    keys = dict(previous.get("keys", {})) if isinstance(previous, dict) else {}
    keys.update({name: key for name in built})
    return {"outputs": list(outputs), "keys": {name: keys[name] for name in sorted(keys)}}


def up_to_date(out: Path, wanted: Optional[list[str]], key: str) -> Optional[list[str]]:
    """The outputs asked for (all of them when ``wanted`` is empty) if each is up to date, else None."""
    found = recorded(out)
    if not found:
        return None
    names = wanted or found["record"].get("outputs", [])
    keys = found["record"].get("keys", {})
    if not names or any(keys.get(name) != key for name in names):
        return None
    for entry in found["artifacts"]:
        if entry.get("output") in names and not _same_file(out, entry):
            return None
    return list(names)


def _same_file(out: Path, entry: dict) -> bool:
    path = out / entry.get("path", "")
    try:
        if path.stat().st_size != entry.get("bytes"):
            return False
        return hashlib.sha256(path.read_bytes()).hexdigest() == entry.get("sha256")
    except OSError:
        return False


def answer_if_fresh(argv: list[str], project: Path) -> None:
    """Exit 0 with one line when ``build.py argv`` would rebuild nothing; return otherwise."""
    from atelier.arguments import plain_build  # the build's own parser (standard library only)

    parsed = plain_build(argv, project)
    if parsed is None:
        return
    wanted, content, out, strict = parsed
    if not (content / "book.yaml").is_file():
        return
    names = up_to_date(out, wanted, input_key(project, content, strict))
    if names is None:
        return
    from atelier.labels import labels_for  # the French line, from the one list of interface words

    print(labels_for("fr").get("cli.up_to_date", out=out, outputs=", ".join(names)))
    sys.exit(0)
