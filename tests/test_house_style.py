"""The house style (atelier/source/house_style.py): what content/regles-de-style.md says a program can check."""
from __future__ import annotations

from pathlib import Path

from atelier.html.markup import prose
from atelier.source.house_style import style_faults
from atelier.source.load import read_book

ROOT = Path(__file__).resolve().parents[1]


def _codes(text: str) -> list[tuple[str, str]]:
    return [(rule.code, found.strip()) for _, rule, found in sorted(style_faults(text), key=lambda f: f[0])]


def test_the_faults_the_style_sheet_names_are_found_and_its_own_forms_are_not():
    faulty = ("De 2024–2034, puis 2014 - 2024 ; la loi N° 2021-875, la loi nº 2022-217, le décret n°2022-1682 ; "
              "art. L.2125-1 et R.2111-1.")
    assert _codes(faulty) == [
        ("STYLE-ANNEES", "2024–2034"), ("STYLE-ANNEES", "2014 - 2024"), ("STYLE-NUMERO", "N°"),
        ("STYLE-NUMERO", "nº"), ("STYLE-NUMERO", "n°"), ("STYLE-ARTICLE", "art. L."), ("STYLE-ARTICLE", "R.")]
    right = ("De 2024-2034 ; la loi n° 2021-875 ; art. L. 2125-1-2 et R. 2111-1 ; "
             "`2024–2034` en code et https://exemple.org/2024–2030 restent tels quels ; une liste :\n2024\n- 2030")
    assert _codes(right) == []


def test_the_book_follows_its_style_sheet():
    book, errors = read_book(ROOT / "content")
    assert book is not None and not errors.errors
    assert [(piece.source.path.name, found) for piece in prose(book) for _, _, found in style_faults(piece.text)] == []


def test_a_fault_is_reported_at_its_line_and_strict_refuses_it(content, run):
    intro = content / "chapters" / "intro.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\nLe plan couvre 2024–2034.\n", encoding="utf-8")
    status, _, err = run("check", "--content", str(content))
    assert status == 0
    line = len(intro.read_text(encoding="utf-8").splitlines())
    assert f"chapters/intro.md:{line}:" in err and "STYLE-ANNEES" in err and "« 2024–2034 »" in err
    assert run("check", "--strict", "--content", str(content))[0] != 0
