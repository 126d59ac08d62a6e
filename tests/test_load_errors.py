"""Broken content gives one clear ``path:line:col: CODE message`` per problem and exit 1.

Each case breaks the small valid publication in one way, then checks the
code, the file and the exact line reported, and that nothing was written.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from atelier.errors import ContentError
from atelier.source.load import load_book
from atelier.html.markup import to_html


def line_of(path: Path, needle: str) -> int:
    """1-based line where ``needle`` first appears in ``path``."""
    text = path.read_text(encoding="utf-8")
    assert needle in text, f"{needle!r} not in {path}"
    return text[:text.index(needle)].count("\n") + 1


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# Each case: (name, file, old text, new text, expected code, marker of the expected line)
CASES = [
    ("yaml-syntax", "propositions.yaml", "title: Former les agents", "title: Former: les agents",
     "YAML-SYNTAXE", "title: Former: les agents"),
    ("unknown-key", "propositions.yaml", "    highlight: true", "    higlight: true",
     "CHAMP-INCONNU", "higlight: true"),
    ("missing-field", "propositions.yaml", "    summary: Former les agents publics.\n", "",
     "CHAMP-MANQUANT", "- id: former-agents"),
    ("wrong-type", "propositions.yaml", "    highlight: true", "    highlight: [oui]",
     "TYPE-INVALIDE", "highlight: [oui]"),
    ("duplicate-id", "propositions.yaml", "  - id: financer-projets", "  - id: ouvrir-guichet",
     "ID-DOUBLE", "  - id: ouvrir-guichet\n    axis: second"),
    ("unknown-axis", "propositions.yaml", "    axis: second", "    axis: troisieme",
     "REFERENCE-INCONNUE", "axis: troisieme"),
    ("unknown-actor", "propositions.yaml", "    actors: [etat, communes]", "    actors: [etat, mairies]",
     "REFERENCE-INCONNUE", "actors: [etat, mairies]"),
    ("level-out-of-scale", "propositions.yaml", "    cost: eleve", "    cost: tres-eleve",
     "REFERENCE-INCONNUE", "cost: tres-eleve"),
    ("broken-citation", "chapters/intro.md", "[@financer-projets|titre]", "[@financer-projet|titre]",
     "RENVOI-CASSE", "[@financer-projet|titre]"),
    ("card-inside-a-sentence", "chapters/intro.md", "[@financer-projets|titre]", "[@financer-projets|fiche]",
     "RENVOI-FICHE", "[@financer-projets|fiche]"),
    ("unknown-figure", "chapters/intro.md", "[=partenaires]", "[=partenaire]",
     "CHIFFRE-INCONNU", "[=partenaire]"),
    ("missing-image", "chapters/intro.md", "sont peu chères.", "sont peu chères.\n\n![Carte](images/carte.png)",
     "IMAGE-MANQUANTE", "images/carte.png"),
    ("bad-front-matter", "chapters/intro.md", "short_title: Intro", "short_title: [Intro",
     "YAML-SYNTAXE", "short_title: [Intro"),
    ("bad-role", "chapters/intro.md", "short_title: Intro", "short_title: Intro\nrole: milieu",
     "TYPE-INVALIDE", "role: milieu"),
    ("unclosed-quote", "propositions.yaml", "title: Former les agents", 'title: "Former les agents',
     "YAML-SYNTAXE", 'title: "Former les agents'),
    ("bad-colour", "propositions.yaml", 'colour: "#204060"', "colour: bleu", "VALEUR-INVALIDE", "colour: bleu"),
    ("no-front-matter", "chapters/intro.md", "---\ntitle: Introduction\nshort_title: Intro\n---\n", "",
     "ENTETE-MANQUANTE", None),
    ("missing-chapter", "book.yaml", "  - chapters/intro.md", "  - chapters/introduction.md",
     "FICHIER-MANQUANT", "chapters/introduction.md"),
    ("script-in-markdown", "chapters/intro.md", "sont peu chères.", "sont peu chères.\n\n<script>alert(1)</script>",
     "HTML-INTERDIT", "<script>"),
    ("event-handler", "chapters/intro.md", "sont peu chères.", 'sont <span onclick="x()">peu</span> chères.',
     "HTML-INTERDIT", "onclick"),
    ("javascript-link", "chapters/intro.md", "sont peu chères.", "sont [peu](javascript:alert(1)) chères.",
     "LIEN-INTERDIT", "javascript:"),
    ("bad-date", "book.yaml", "date: 2025-01-15", "date: 15/01/2025", "TYPE-INVALIDE", "date: 15/01/2025"),
    ("duplicate-key", "book.yaml", "language: fr", "language: fr\nlanguage: en", "CLE-DOUBLEE", "language: en"),
    ("exergue-not-in-the-text", "propositions.yaml", "    highlight: true",
     "    highlight: true\n    exergue: Un constat que le texte ne porte pas.", "EXERGUE-INTROUVABLE",
     "exergue: Un constat que le texte ne porte pas."),
]


@pytest.mark.parametrize("name,file,old,new,code,marker", CASES, ids=[c[0] for c in CASES])
def test_broken_content_is_reported_with_its_position(content, run, tmp_path, name, file, old, new, code, marker):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("previous build")
    path = content / file
    replace(path, old, new)

    status, stdout, stderr = run("--content", str(content), "--out", str(out))

    assert status == 1
    expected_line = line_of(path, marker) if marker else None
    pattern = re.compile(rf"^\S*content/{re.escape(file)}:(\d+):(\d+): {code} .+", re.M)
    match = pattern.search(stderr)
    assert match, stderr
    if expected_line is not None:
        assert int(match.group(1)) == expected_line, stderr
    assert "Traceback" not in stderr
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]


def test_all_problems_are_reported_at_once(content):
    replace(content / "propositions.yaml", "    axis: premier", "    axis: troisieme")
    replace(content / "propositions.yaml", "    cost: moyen", "    cost: modere")
    replace(content / "chapters" / "intro.md", "[=partenaires]", "[=inconnu]")
    with pytest.raises(ContentError) as caught:
        to_html(load_book(content))
    assert {p.code for p in caught.value.problems} == {"REFERENCE-INCONNUE"}
    assert len(caught.value.problems) == 2  # markup problems wait for a loadable book


def test_markup_problems_are_all_listed(content):
    replace(content / "chapters" / "intro.md", "[=partenaires]", "[=inconnu]")
    replace(content / "chapters" / "intro.md", "[@financer-projets|titre]", "[@nulle-part]")
    with pytest.raises(ContentError) as caught:
        to_html(load_book(content))
    assert sorted(p.code for p in caught.value.problems) == ["CHIFFRE-INCONNU", "RENVOI-CASSE"]


def test_error_inside_a_yaml_body_points_at_the_line_in_the_yaml_file(content):
    replace(content / "propositions.yaml", "Ouvrir le guichet, en lien avec [@former-agents].",
            "Ouvrir le guichet, en lien avec [@former-agent].")
    with pytest.raises(ContentError) as caught:
        to_html(load_book(content))
    problem = caught.value.problems[0]
    path = content / "propositions.yaml"
    assert problem.line == line_of(path, "[@former-agent]")
    line = path.read_text().splitlines()[problem.line - 1]
    assert line[problem.column - 1:].startswith("[@former-agent]")


def test_unknown_key_suggests_the_right_name(content, run):
    replace(content / "book.yaml", "rights:", "right:")
    status, _, stderr = run("check", "--content", str(content))
    assert status == 1
    assert "« right »" in stderr and "Vouliez-vous dire « rights »" in stderr


def test_debug_shows_the_traceback(content, run):
    replace(content / "book.yaml", "rights:", "right:")
    with pytest.raises(ContentError):
        run("check", "--content", str(content), "--debug")


@pytest.mark.parametrize("sneaky", [
    '<a href="java&#x09;script:alert(1)">lien</a>',
    '<a href="&#106;avascript:alert(1)">lien</a>',
    "<IMG SRC=x ONERROR=alert(1)>",
])
def test_obfuscated_active_content_is_refused(content, run, tmp_path, sneaky):
    path = content / "chapters" / "intro.md"
    path.write_text(path.read_text() + f"\n{sneaky}\n")
    for target in ("pdf", "epub"):
        status, _, stderr = run(target, "--content", str(content), "--out", str(tmp_path / "out"))
        assert status == 1 and re.search(r"intro\.md:\d+:\d+: (HTML|LIEN)-INTERDIT", stderr), stderr
    assert not (tmp_path / "out").exists()


# --- the content format (CHANGELOG.md) ---------------------------------------------------------

FORMAT_1_SCALES = """\
scales:
  cost:
    label: Coût
    levels:
      - {id: faible, label: faible, description: Peu cher.}
      - {id: moyen, label: moyen, description: Un budget dédié.}
      - {id: eleve, label: élevé, description: Un gros investissement.}
  ease:
    label: Facilité
    levels:
      - {id: difficile, label: difficile, description: Une loi.}
      - {id: moyenne, label: moyenne, description: Plusieurs acteurs.}
      - {id: facile, label: facile, description: Un seul acteur.}
"""


def _format_1(content):
    """The small book as an editor following the README of format 1 would have written it."""
    proposals = content / "propositions.yaml"
    text = proposals.read_text()
    proposals.write_text(FORMAT_1_SCALES + text[text.index("actors:"):])
    replace(content / "book.yaml", "format: 2\n", "")


def test_a_tree_in_the_previous_format_builds_and_says_what_to_change(content, run, tmp_path):
    _format_1(content)
    replace(content / "book.yaml", "title:", "format: 1\ntitle:")
    status, _, stderr = run("check", "--content", str(content))
    assert status == 0, stderr  # read as format 1 meant it: [=cout.faible] still works
    assert "book.yaml:1:9: FORMAT-ANCIEN" in stderr and "« format: 2 »" in stderr
    assert re.search(r"propositions\.yaml:2:3: FORMAT-ANCIEN .*« figure: cout »", stderr), stderr
    assert re.search(r"propositions\.yaml:8:3: FORMAT-ANCIEN .*« figure: facilite »", stderr), stderr
    status, _, stderr = run("check", "--content", str(content), "--strict")
    assert status == 1 and "FORMAT-ANCIEN" in stderr


def test_a_tree_that_declares_no_format_is_told_where_the_changes_are(content, run):
    _format_1(content)
    status, _, stderr = run("check", "--content", str(content))
    assert status == 1
    assert "book.yaml:1:1: FORMAT-ABSENT" in stderr and "CHANGELOG.md" in stderr
    assert re.search(r"intro\.md:\d+:\d+: CHIFFRE-INCONNU .*\[=cost\.faible\].*« figure: cout »", stderr), stderr


def test_a_format_newer_than_the_pipeline_is_refused(content, run):
    replace(content / "book.yaml", "format: 2", "format: 3")
    status, _, stderr = run("check", "--content", str(content))
    assert status == 1 and "book.yaml:1:9: FORMAT-RECENT" in stderr
