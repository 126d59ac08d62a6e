"""A careless editor's mistakes and a hostile environment: positioned errors, never a traceback.

Each test failed before the robustness work (traceback, silent wrong output
or a message at 1:1) and names the behaviour it pins down.
"""
from __future__ import annotations

import json
import re
import zipfile

import pytest

import build
from atelier.errors import Collector
from atelier.outputs.layout import Trees, _lint_stylesheets


def append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path, needle):
    text = path.read_text(encoding="utf-8")
    return text[:text.index(needle)].count("\n") + 1


def replace_target(monkeypatch, name, make):
    """Swap the function of one build target for the length of a test."""
    old = build.TARGETS[name]
    monkeypatch.setitem(build.TARGETS, name, old.__class__(name, old.needs, make, old.label))


def expect(run, content, code, *args, status=1):
    result, out, err = run(*args, "--content", str(content))
    assert result == status, err
    assert code in err, err
    assert "Traceback" not in err
    return err


# --- errors instead of tracebacks --------------------------------------------------------

def test_a_file_not_in_utf8_names_its_line(content, run):
    path = content / "chapters" / "intro.md"
    path.write_bytes(path.read_bytes() + "\nCaf\u00e9 en Latin-1.\n".encode("latin-1"))
    err = expect(run, content, "ENCODAGE", "check")
    assert re.search(r"intro\.md:9:\d+: ENCODAGE", err), err


@pytest.mark.parametrize("file", ["propositions.yaml", "chapters/intro.md"])
def test_a_nul_byte_is_reported_where_it_is(content, run, file):
    path = content / file
    replace(path, "Un constat simple." if file == "propositions.yaml" else "Ce livre", "Un\x00 ")
    assert re.search(rf"{re.escape(file)}:\d+:\d+: CARACTERE-INVISIBLE", expect(run, content, "CARACTERE-INVISIBLE",
                                                                                 "check"))


def test_a_byte_order_mark_is_accepted(content, run):
    path = content / "chapters" / "intro.md"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    status, _, err = run("check", "--content", str(content))
    assert status == 0, err


def test_an_impossible_date_is_positioned(content, run):
    replace(content / "book.yaml", "date: 2025-01-15", "date: 2025-02-30")
    err = expect(run, content, "VALEUR-ILLISIBLE", "check")
    assert f"book.yaml:{line_of(content / 'book.yaml', '2025-02-30')}:7: VALEUR-ILLISIBLE" in err


def test_very_deep_nesting_is_refused(content, run):
    append(content / "book.yaml", "keywords: " + "[" * 3000 + "]" * 3000 + "\n")
    expect(run, content, "YAML-", "check")


def test_a_yaml_alias_bomb_is_refused_at_once(content, run):
    bomb = "facts_bomb:\n  a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"  {chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(12))
    append(content / "book.yaml", bomb)
    expect(run, content, "YAML-ALIAS", "check")


def test_an_unsupported_language_is_a_positioned_error(content, run):
    replace(content / "book.yaml", "language: fr", "language: zz")
    assert "book.yaml:5:11: LANGUE-INCONNUE" in expect(run, content, "LANGUE-INCONNUE", "check")


def test_an_output_folder_that_is_a_file_is_a_usage_error(content, run, tmp_path):
    (tmp_path / "taken").write_text("x")
    status, _, err = run("--content", str(content), "--out", str(tmp_path / "taken"))
    assert status == 2 and "n'est pas un dossier" in err and "Traceback" not in err


def test_the_content_folder_cannot_be_the_output(content, run):
    status, _, err = run("--content", str(content), "--out", str(content / "chapters"))
    assert status == 2 and "dossier de sortie" in err
    assert sorted(p.name for p in (content / "chapters").iterdir()) == ["intro.md"]


def test_ctrl_c_prints_one_line_and_exits_130(content, run, tmp_path, monkeypatch):
    def interrupted(*args):
        raise KeyboardInterrupt
    replace_target(monkeypatch, "epub", interrupted)
    out = tmp_path / "out"
    status, _, err = run("--content", str(content), "--out", str(out))
    assert status == 130 and "interrompue" in err and "Traceback" not in err
    assert not out.exists() or not list(out.iterdir())


@pytest.mark.parametrize("after", [0.2, 0.35, 0.5])  # after Python's own start, during the imports
def test_ctrl_c_while_the_build_starts_prints_one_line_and_exits_130(content, tmp_path, after):
    """Pressed while ``build.py`` is still importing its pipeline (before the command line's own handler):
    no Python traceback, the status 130, nothing written."""
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, str(build.PROJECT / "build.py"), "--content", str(content),
                                "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(after)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "interrompue" in err and "Traceback" not in err, err
    assert not out.exists() or not list(out.iterdir())


def test_an_internal_error_says_so_and_exits_3(content, run, tmp_path, monkeypatch):
    def broken(*args):
        raise ZeroDivisionError("boom")
    replace_target(monkeypatch, "epub", broken)
    status, _, err = run("epub", "--content", str(content), "--out", str(tmp_path / "out"))
    assert status == 3 and "erreur interne" in err and "--debug" in err and "Traceback" not in err
    with pytest.raises(ZeroDivisionError):
        run("epub", "--content", str(content), "--out", str(tmp_path / "out"), "--debug")


# --- bugs that used to pass silently ------------------------------------------------------

def test_an_unknown_figure_in_the_description_fails_check_at_its_line(content, run):
    replace(content / "book.yaml", "Un livre d'essai de [=propositions]", "Un livre d'essai de [=propositons]")
    err = expect(run, content, "CHIFFRE-INCONNU", "check")
    assert f"book.yaml:{line_of(content / 'book.yaml', '[=propositons]')}:" in err


def test_an_error_in_the_subtitle_points_at_the_subtitle(content, run):
    replace(content / "book.yaml", '"[=propositions] propositions', '"[=proposition] propositions')
    assert "book.yaml:3:" in expect(run, content, "CHIFFRE-INCONNU", "check")


def test_a_section_listed_twice_points_at_the_second_line(content, run):
    replace(content / "book.yaml", "  - summary\n", "  - summary\n  - toc\n")
    err = expect(run, content, "CONTENU-DOUBLE", "check")
    assert re.search(r"book\.yaml:(\d+):\d+: CONTENU-DOUBLE", err).group(1) == str(
        len((content / "book.yaml").read_text().splitlines()))


def test_a_declared_fact_cannot_shadow_a_computed_figure(content, run):
    replace(content / "book.yaml", "  partenaires: 7", "  partenaires: 7\n  propositions: 999")
    expect(run, content, "CHIFFRE-RESERVE", "check")


def test_a_chapter_file_that_contents_forgets_is_a_warning(content, run, tmp_path):
    (content / "chapters" / "oubli.md").write_text("---\ntitle: Oubli\n---\n\nTexte.\n")
    status, _, err = run("check", "--content", str(content))
    assert status == 0 and "oubli.md:1:1: CHAPITRE-NON-LISTE avertissement" in err
    status, _, err = run("check", "--content", str(content), "--strict")
    assert status == 1


def test_a_scale_level_of_the_wrong_type_lists_the_allowed_values(content, run):
    replace(content / "propositions.yaml", "    cost: faible", "    cost: 1")
    assert "valeurs possibles : faible, moyen, eleve" in expect(run, content, "VALEUR-INVALIDE", "check")


def test_every_independent_problem_is_reported_in_one_run(content, run):
    replace(content / "propositions.yaml", "    highlight: true", "    higlight: true")   # schema
    replace(content / "propositions.yaml", "    axis: second", "    axis: troisieme")      # reference
    replace(content / "chapters" / "intro.md", "[=partenaires]", "[=inconnu]")             # markup
    err = expect(run, content, "CHAMP-INCONNU", "check")
    assert "REFERENCE-INCONNUE" in err and "CHIFFRE-INCONNU" in err


def test_markup_in_a_title_is_text_everywhere(content, run, tmp_path):
    replace(content / "propositions.yaml", "title: Financer les projets", "title: Financer les *projets* [ici](x)")
    out = tmp_path / "out"
    assert run("epub", "--content", str(content), "--out", str(out))[0] == 0
    chapter = (out / "html" / "epub" / "chapitre-intro.xhtml").read_text()
    assert "Financer les *projets* [ici](x)" in chapter and "<em>projets</em>" not in chapter


def test_a_tag_in_a_title_is_reported_at_the_title(content, run):
    replace(content / "propositions.yaml", "title: Financer les projets", "title: Financer <script>x</script>")
    err = expect(run, content, "TEXTE-BALISE", "check")
    assert f"propositions.yaml:{line_of(content / 'propositions.yaml', 'title: Financer <script>')}:" in err


def test_chapter_names_cannot_collide_with_generated_files(content, run, tmp_path):
    for name in ("couverture", "axe-premier", "nav", "sommaire"):
        (content / "chapters" / f"{name}.md").write_text(f"---\ntitle: Chapitre {name}\n---\n\nTexte {name}.\n")
        replace(content / "book.yaml", "  - summary\n", f"  - summary\n  - chapters/{name}.md\n")
    out = tmp_path / "out"
    status, _, err = run("epub", "--content", str(content), "--out", str(out))
    assert status == 0, err
    archive = zipfile.ZipFile(out / "petit-livre.epub")
    names = archive.namelist()
    assert len(names) == len(set(names))
    assert "Premier axe" in archive.read("EPUB/axe-premier.xhtml").decode()
    assert "Texte axe-premier" in archive.read("EPUB/chapitre-axe-premier.xhtml").decode()


def test_a_corrupt_png_is_named(content, run, tmp_path):
    (content / "images" / "abime.png").write_bytes(b"\x89PNG\r\n\x1a\nthis is not really a png")
    append(content / "chapters" / "intro.md", "\n![Un schéma](images/abime.png)\n")
    err = expect(run, content, "IMAGE-ABIMEE", "--out", str(tmp_path / "out"))
    assert "abime.png" in err


def test_a_word_too_long_for_a_line_and_a_missing_glyph_are_warnings(content, run, tmp_path):
    append(content / "chapters" / "intro.md", "\n" + "a" * 300 + "\n\nUn sourire \U0001F600 ici.\n")
    status, _, err = run("pdf", "--content", str(content), "--out", str(tmp_path / "out"))
    assert status == 0, err
    assert re.search(r"intro\.md:9:1: MOT-TROP-LONG avertissement", err), err
    assert re.search(r"intro\.md:11:\d+: GLYPHE-ABSENT avertissement .*U\+1F600", err), err


def test_one_chapter_is_singular(content, run):
    _, out, _ = run("check", "--content", str(content))
    assert "3 propositions et 1 chapitre : contenu valide." in out


def test_weasyprint_warnings_name_the_stylesheet_and_line(tmp_path):
    css = tmp_path / "book.css"
    css.write_text("p { color: red; }\nh1 { colr: red; }\n")
    errors = Collector()
    _lint_stylesheets([css], errors)
    [problem] = errors.problems
    assert problem.code == "CSS-IGNORE" and problem.path.endswith("book.css") and problem.line == 2
    assert problem.severity == "warning"


def test_a_stylesheet_is_linted_again_when_a_sheet_it_imports_changes(tmp_path):
    # Lint warnings are kept in memory by stylesheet: an edit of an imported sheet must be seen.
    (tmp_path / "palette.css").write_text(":root { --ink: black; }\n")
    css = tmp_path / "book.css"
    css.write_text('@import url("palette.css");\np { color: red; }\n')
    first, second = Collector(), Collector()
    _lint_stylesheets([css], first)
    (tmp_path / "palette.css").write_text(":root { --ink: black; }\nh1 { colr: red; }\n")
    _lint_stylesheets([css], second)
    assert not first.problems and [p.code for p in second.problems] == ["CSS-IGNORE"]


def test_the_manifest_matches_the_files_after_a_partial_rebuild(content, run, tmp_path):
    out = tmp_path / "out"
    assert run("--content", str(content), "--out", str(out))[0] == 0
    replace(content / "chapters" / "intro.md", "title: Introduction", "title: Introduction revue")
    assert run("epub", "--content", str(content), "--out", str(out))[0] == 0
    manifest = json.loads((out / "manifest.json").read_text())["artifacts"]
    listed = {entry["path"] for entry in manifest}
    on_disk = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and p.name != "manifest.json"}
    assert listed == on_disk
    assert not any(entry["bytes"] == 0 for entry in manifest)


def test_a_full_disk_during_the_work_is_an_environment_error(content, run, tmp_path, monkeypatch):
    import errno

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device", "/tmp/weasyprint-x")
    replace_target(monkeypatch, "cover.jpg", full)
    out = tmp_path / "out"
    status, _, err = run("--content", str(content), "--out", str(out))
    assert status == 2 and "disque est plein" in err and "Traceback" not in err
    assert not out.exists() or not list(out.iterdir())


def test_library_temporary_files_live_in_the_staging_folder(content, run, tmp_path, monkeypatch):
    import tempfile

    seen = []
    real = build.TARGETS["pdf"].make

    def spy(*args):
        seen.append(tempfile.gettempdir())
        return real(*args)
    replace_target(monkeypatch, "pdf", spy)
    out = tmp_path / "out"
    assert run("pdf", "--content", str(content), "--out", str(out))[0] == 0
    assert seen and seen[0].startswith(str(out / ".staging-"))   # swept next time if the build is killed
    assert not list(out.glob(".staging-*"))


def test_a_warning_about_an_inline_style_is_not_lost(tmp_path):
    from atelier.outputs.layout import lay_out

    trees = Trees(content=tmp_path, templates=tmp_path, styles=tmp_path)
    errors = Collector()
    lay_out("<style>h1 { colr: red; }</style><h1>Titre</h1>", trees, [], errors)
    assert [p.code for p in errors.problems] == ["PDF-AVERTISSEMENT"]
    assert "colr" in errors.problems[0].message
