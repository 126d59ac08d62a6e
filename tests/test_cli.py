"""The command line: targets, exit statuses, EPUBCheck in a strict build (another content tree: test_golden)."""
from __future__ import annotations

import io
import json
import re

import pytest


def test_check_validates_without_writing(content, run, tmp_path):
    out = tmp_path / "out"
    status, stdout, _ = run("check", "--content", str(content), "--out", str(out))
    assert status == 0 and "contenu valide" in stdout
    assert not out.exists()


def test_unknown_target_is_a_usage_error(content, run):
    status, _, stderr = run("mobi", "--content", str(content))
    assert status == 2 and "cible inconnue « mobi »" in stderr


@pytest.mark.parametrize("argv, said", [
    (["--bogus"], "option inconnue : --bogus"),
    (["--port"], "l'option --port attend une valeur"),
    (["--port", "huit"], "l'option --port attend un nombre entier, pas « huit »"),
    (["--strict=oui"], "l'option --strict ne prend pas de valeur"),
])
def test_a_command_written_wrong_is_told_in_french_once(run, argv, said):
    status, stdout, stderr = run(*argv)
    assert status == 2 and stderr.count("erreur") == 1 and said in stderr and not stdout, stderr


def test_missing_content_folder_is_a_usage_error(run, tmp_path):
    status, _, stderr = run("--content", str(tmp_path / "nowhere"))
    assert status == 2 and "book.yaml introuvable" in stderr


def test_subset_builds_only_what_was_asked(content, run, tmp_path):
    out = tmp_path / "out"
    status, stdout, _ = run("epub", "--content", str(content), "--out", str(out))
    assert status == 0
    kinds = {e["kind"] for e in json.loads((out / "manifest.json").read_text())["artifacts"]}
    assert kinds == {"epub", "html"}
    assert not list(out.glob("*.pdf"))
    assert "epub" in stdout and " s" in stdout  # progress line with its time


def test_a_strict_build_runs_epubcheck_and_publishes_no_epub_it_refuses(content, run, tmp_path, monkeypatch):
    import zipfile as zipping

    from atelier.outputs import epub as epub_stage

    real = epub_stage.build_epub

    def broken(*args, **kwargs):
        data = real(*args, **kwargs)
        source, target = io.BytesIO(data), io.BytesIO()
        with zipping.ZipFile(source) as old, zipping.ZipFile(target, "w") as new:
            for item in old.infolist():
                body = old.read(item)
                if item.filename.endswith("nav.xhtml"):
                    body = body.replace(b"</body>", b'<p><a href="absent.xhtml">x</a></p></body>')
                new.writestr(item, body)
        return target.getvalue()

    monkeypatch.setattr(epub_stage, "build_epub", broken)
    status, _, stderr = run("epub", "--content", str(content), "--out", str(tmp_path / "strict"), "--strict")
    assert status == 1 and re.search(r"petit-livre\.epub/EPUB/nav\.xhtml:\d+:\d+: EPUBCHECK-RSC-007", stderr), stderr
    assert not (tmp_path / "strict").exists()
    status, _, stderr = run("epub", "--content", str(content), "--out", str(tmp_path / "lenient"))
    assert status == 0 and "EPUBCHECK" not in stderr  # without --strict, EPUBCheck is the tests' and the user's


def test_a_strict_build_without_java_says_epubcheck_did_not_run(content, run, tmp_path, monkeypatch):
    import shutil as shells

    monkeypatch.setattr(shells, "which", lambda name: None)
    status, _, stderr = run("epub", "--content", str(content), "--out", str(tmp_path / "out"), "--strict")
    assert status == 0 and "EPUBCheck n'a pas pu être lancé" in stderr
