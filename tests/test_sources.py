"""Sources (atelier/source/sources.py): every legal reference of the text has an entry in sources.yaml."""
from __future__ import annotations

from pathlib import Path

from atelier.html.markup import prose
from atelier.source.load import read_book
from atelier.source.sources import check_sources, references_in

ROOT = Path(__file__).resolve().parents[1]

ENTRY = """\
  - cite: "{cite}"
    kind: {kind}
    code: "{code}"
    title: "Un texte"
    date: 2021-07-01
    source: "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000043741543"
    checked: 2026-12-05
    how: officiel
    relied_on: "Ce que le livre en tire."
"""


def test_the_forms_of_a_reference_are_recognised_as_sources_yaml_writes_them():
    text = ("La loi n° 2021-875 et la circulaire n°\u00a05811-SG ; la directive (UE) 2022/2464 et le règlement "
            "(CE) n° 1303/2013 ; art. L. 2125-1-2 et R. 2111-1 du code ; la Constitution ; la proposition n° 5 "
            "et 2024-2034 n'en sont pas.")
    assert [cite for _, cite in references_in(text)] == [
        "2021-875", "5811-SG", "1303/2013", "2022/2464", "1303/2013", "L. 2125-1-2", "R. 2111-1", "Constitution"]


def test_every_reference_of_the_book_has_an_entry_and_every_entry_is_cited():
    book, errors = read_book(ROOT / "content")
    assert book is not None and not errors.errors
    found = {cite for piece in prose(book) for _, cite in references_in(piece.text)}
    assert len(found) >= 40    # the laws, decrees, EU acts and code articles the proposals cite
    assert book.references and found <= {entry.cite for entry in book.references}
    check_sources(book, prose(book), errors)
    assert [p for p in errors.warnings if p.code.startswith("SOURCE")] == []


def test_a_reference_without_an_entry_is_reported_at_its_line_and_strict_refuses_it(content, run):
    (content / "sources.yaml").write_text("references:\n" + ENTRY.format(cite="2021-875", kind="loi", code=""),
                                          encoding="utf-8")
    intro = content / "chapters" / "intro.md"
    intro.write_text(intro.read_text(encoding="utf-8")
                     + "\nLa loi n° 2021-875 fixe un délai ; le décret n° 2022-1682 aussi.\n", encoding="utf-8")
    status, _, err = run("check", "--content", str(content))
    assert status == 0
    line = intro.read_text(encoding="utf-8").splitlines().index(
        "La loi n° 2021-875 fixe un délai ; le décret n° 2022-1682 aussi.") + 1
    assert f"chapters/intro.md:{line}:" in err and "SOURCE-ABSENTE" in err and "« 2022-1682 »" in err
    assert "« 2021-875 »" not in err
    assert run("check", "--strict", "--content", str(content))[0] != 0


def test_an_entry_no_text_cites_and_a_malformed_entry_are_reported(content, run):
    sources = content / "sources.yaml"
    sources.write_text("references:\n" + ENTRY.format(cite="L. 8241-3", kind="code", code="code du travail")
                       + "    colour: bleu\n", encoding="utf-8")
    status, _, err = run("check", "--content", str(content))
    assert status != 0 and "sources.yaml:11:5: CHAMP-INCONNU" in err and "« colour »" in err
    sources.write_text("references:\n" + ENTRY.format(cite="L. 8241-3", kind="code", code="")
                       + ENTRY.format(cite="L. 8241-3", kind="fait", code=""), encoding="utf-8")
    status, _, err = run("check", "--content", str(content))
    assert status != 0
    assert "sources.yaml:3:11: SOURCE-CODE" in err and "sources.yaml:11:11: SOURCE-DOUBLEE" in err
    assert "ligne 2" in err
    sources.write_text("references:\n" + ENTRY.format(cite="L. 8241-3", kind="code", code="code du travail"),
                       encoding="utf-8")
    status, _, err = run("check", "--content", str(content))
    assert status == 0 and "sources.yaml:2:1: SOURCE-INUTILE" in err and "« L. 8241-3 »" in err
