"""Artifacts are written atomically: a failed build never damages a previous one."""
from __future__ import annotations

import hashlib
import json
import os

import pytest

from atelier.output import Artifact, publish, write_atomic


def test_write_atomic_leaves_target_intact_when_interrupted(tmp_path, monkeypatch):
    target = tmp_path / "book.pdf"
    target.write_bytes(b"good old pdf")

    def broken_replace(src, dst):
        raise OSError("disk full")
    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(target, b"half")
    assert target.read_bytes() == b"good old pdf"
    assert [p.name for p in tmp_path.iterdir()] == ["book.pdf"]  # no temporary left behind


def test_manifest_lists_every_artifact_with_its_hash(tmp_path):
    publish([Artifact("pdf", "a.pdf", b"%PDF-1", pages=3), Artifact("epub", "a.epub", b"PK")], tmp_path)
    publish([Artifact("epub", "a.epub", b"PK2")], tmp_path)  # a partial build keeps the PDF entry
    manifest = json.loads((tmp_path / "manifest.json").read_text())["artifacts"]
    by_kind = {entry["kind"]: entry for entry in manifest}
    assert by_kind["pdf"] == {"kind": "pdf", "path": "a.pdf", "bytes": 6, "pages": 3,
                              "sha256": hashlib.sha256(b"%PDF-1").hexdigest()}
    assert by_kind["epub"]["sha256"] == hashlib.sha256(b"PK2").hexdigest()


def test_failed_build_keeps_previous_outputs_byte_for_byte(content, run, tmp_path):
    out = tmp_path / "out"
    assert run("pdf", "--content", str(content), "--out", str(out))[0] == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert any(str(p).endswith(".pdf") for p in before)

    book = content / "book.yaml"
    book.write_text(book.read_text().replace("chapters/intro.md", "chapters/absent.md"))
    status, _, stderr = run("pdf", "--content", str(content), "--out", str(out))

    assert status == 1 and "FICHIER-MANQUANT" in stderr
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
