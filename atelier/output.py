"""Writing artifacts: atomically, and listed in ``manifest.json``.

Each file is written beside its target under a temporary name and renamed
only when complete, so a build that fails never leaves a broken or
half-written file where a good one was.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Artifact:
    """One built file, ready to be written."""

    kind: str              # "pdf", "print", "epub", "html"…
    path: str              # relative to the output folder
    data: bytes
    pages: Optional[int] = None

    def entry(self) -> dict:
        """Its line in the manifest."""
        entry = {"kind": self.kind, "path": self.path, "bytes": len(self.data),
                 "sha256": hashlib.sha256(self.data).hexdigest()}
        if self.pages is not None:
            entry["pages"] = self.pages
        return entry


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def publish(artifacts: list[Artifact], out_dir: Path) -> list[dict]:
    """Write every artifact, then the manifest merged with earlier entries of other paths."""
    for artifact in artifacts:
        write_atomic(out_dir / artifact.path, artifact.data)
    entries = {entry["path"]: entry for entry in _previous_entries(out_dir)}
    entries.update({artifact.path: artifact.entry() for artifact in artifacts})
    manifest = sorted(entries.values(), key=lambda e: (e["kind"], e["path"]))
    write_atomic(out_dir / MANIFEST,
                 (json.dumps({"artifacts": manifest}, ensure_ascii=False, indent=2) + "\n").encode())
    return manifest


def _previous_entries(out_dir: Path) -> list[dict]:
    try:
        previous = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))["artifacts"]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return [e for e in previous if isinstance(e, dict) and (out_dir / str(e.get("path", ""))).is_file()]
