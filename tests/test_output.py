"""Publishing is all-or-nothing: a failed or interrupted build never damages the previous one."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import stat

import pytest

from atelier.errors import EnvironmentProblem
from atelier.outputs import publish as publishing
from atelier.outputs.publish import Artifact, check_output_folder, publish, staging, sweep


def publish_now(artifacts, out, rebuilt):
    with staging(out) as stage:
        return publish(artifacts, out, stage, rebuilt)


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_manifest_lists_every_artifact_and_keeps_other_outputs(tmp_path):
    out = tmp_path / "out"
    publish_now([Artifact("pdf", "a.pdf", b"%PDF-1", "pdf", pages=3), Artifact("epub", "a.epub", b"PK", "epub")],
                out, {"pdf", "epub"})
    publish_now([Artifact("epub", "a.epub", b"PK2", "epub")], out, {"epub"})  # a partial build keeps the PDF
    manifest = json.loads((out / "manifest.json").read_text())["artifacts"]
    by_kind = {entry["kind"]: entry for entry in manifest}
    assert by_kind["pdf"] == {"kind": "pdf", "output": "pdf", "path": "a.pdf", "bytes": 6, "pages": 3,
                              "sha256": hashlib.sha256(b"%PDF-1").hexdigest()}
    assert by_kind["epub"]["sha256"] == hashlib.sha256(b"PK2").hexdigest()


def test_files_an_output_no_longer_makes_leave_the_folder_and_the_manifest(tmp_path):
    out = tmp_path / "out"
    publish_now([Artifact("html", "html/epub/old.xhtml", b"<x/>", "epub"), Artifact("epub", "a.epub", b"PK", "epub")],
                out, {"epub"})
    publish_now([Artifact("epub", "a.epub", b"PK2", "epub")], out, {"epub"})
    paths = [e["path"] for e in json.loads((out / "manifest.json").read_text())["artifacts"]]
    assert paths == ["a.epub"] and not (out / "html/epub/old.xhtml").exists()


def test_an_entry_whose_file_was_changed_by_hand_is_dropped(tmp_path):
    out = tmp_path / "out"
    publish_now([Artifact("pdf", "a.pdf", b"%PDF-1", "pdf")], out, {"pdf"})
    (out / "a.pdf").write_bytes(b"edited")
    publish_now([Artifact("epub", "a.epub", b"PK", "epub")], out, {"epub"})
    paths = [e["path"] for e in json.loads((out / "manifest.json").read_text())["artifacts"]]
    assert paths == ["a.epub"]


def test_a_corrupt_manifest_is_said_and_rewritten(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text("{ not json")
    publish_now([Artifact("pdf", "a.pdf", b"%PDF-1", "pdf")], out, {"pdf"})
    assert "manifest.json était illisible" in capsys.readouterr().out
    assert json.loads((out / "manifest.json").read_text())["artifacts"][0]["path"] == "a.pdf"


def test_published_files_are_readable_by_everyone(tmp_path):
    out = tmp_path / "out"
    old = os.umask(0o022)
    try:
        publish_now([Artifact("pdf", "a.pdf", b"%PDF-1", "pdf")], out, {"pdf"})
    finally:
        os.umask(old)
    assert stat.S_IMODE((out / "a.pdf").stat().st_mode) == 0o644
    assert stat.S_IMODE((out / "manifest.json").stat().st_mode) == 0o644


def test_a_full_disk_publishes_nothing(tmp_path, monkeypatch):
    out = tmp_path / "out"
    publish_now([Artifact("pdf", "a.pdf", b"old", "pdf"), Artifact("epub", "a.epub", b"old", "epub")],
                out, {"pdf", "epub"})
    before = snapshot(out)
    real = publishing._write_synced
    calls = []

    def fill_up(target, data):
        calls.append(target)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(target, data)
    monkeypatch.setattr(publishing, "_write_synced", fill_up)
    with pytest.raises(EnvironmentProblem, match="disque est plein"):
        publish_now([Artifact("pdf", "a.pdf", b"new", "pdf"), Artifact("epub", "a.epub", b"new", "epub")],
                    out, {"pdf", "epub"})
    assert snapshot(out) == before
    assert not list(out.glob(".staging-*"))


def test_leftovers_of_a_killed_build_are_swept(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".book.pdf.abc.tmp").write_bytes(b"half")
    dead = out / ".staging-999999999"
    (dead / "tmp" / "weasyprint-x").mkdir(parents=True)
    older = tmp_path / ".staging-out-999999999"   # beside the folder, where earlier versions staged
    older.mkdir()
    sweep(out)
    assert not dead.exists() and not older.exists() and not (out / ".book.pdf.abc.tmp").exists()


@pytest.mark.parametrize("where", ["file", "content", "inside-content"])
def test_an_unusable_output_folder_is_refused_before_any_work(tmp_path, where):
    content = tmp_path / "content"
    (content / "chapters").mkdir(parents=True)
    target = {"file": tmp_path / "a-file", "content": content, "inside-content": content / "chapters"}[where]
    if where == "file":
        target.write_text("x")
    with pytest.raises(EnvironmentProblem):
        check_output_folder(target, [content])


def test_a_read_only_output_folder_is_refused(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root may write anywhere; the permission check cannot be seen")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    with pytest.raises(EnvironmentProblem):
        check_output_folder(folder / "out", [])


def test_failed_build_keeps_previous_outputs_byte_for_byte(content, run, tmp_path):
    out = tmp_path / "out"
    assert run("pdf", "--content", str(content), "--out", str(out))[0] == 0
    before = snapshot(out)
    assert any(str(p).endswith(".pdf") for p in before)

    book = content / "book.yaml"
    book.write_text(book.read_text().replace("chapters/intro.md", "chapters/absent.md"))
    status, _, stderr = run("pdf", "--content", str(content), "--out", str(out))

    assert status == 1 and "FICHIER-MANQUANT" in stderr
    assert snapshot(out) == before
