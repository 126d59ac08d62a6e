"""The white paper's own facts (issue 3), kept apart from the tests of the code.

The code's tests pass on any content tree; these pin what is true of
*this* publication: 67 proposals in five parts, its title, its size.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from atelier.source.load import load_book
from atelier.html.markup import CITATION, to_html

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
PARTS = {"etat": 13, "entreprises": 16, "reconnaissance": 18, "citoyens": 4, "innover": 16}
PLACEHOLDERS = re.compile(r"\b(TODO|TBD|XXX|lorem|ipsum)\b|à compléter", re.I)


@pytest.fixture(scope="module")
def book():
    return load_book(CONTENT)


def words(markdown: str) -> int:
    """Words of prose, not counting the ### section headings."""
    prose = "\n".join(line for line in markdown.splitlines() if not line.startswith("#"))
    return len(prose.split())


def test_sixty_seven_proposals_in_five_parts(book):
    assert len(book.proposals) == 67
    assert {axis.id: len(axis.proposals) for axis in book.axes} == PARTS
    assert [p.number for p in book.proposals] == list(range(1, 68))


def test_every_proposal_is_complete(book):
    for p in book.proposals:
        assert p.summary and p.actors and set(p.levels) == {"cost", "ease"}, p.id
        assert 150 <= words(p.body.text) <= 300, (p.id, words(p.body.text))
        sections = re.findall(r"^### (.+)$", p.body.text, re.M)
        assert sections == ["Constat", "Proposition", "Mise en œuvre"], (p.id, sections)


def test_levels_are_spread_and_highlights_are_few(book):
    for key in ("cost", "ease"):
        used = {p.levels[key].id for p in book.proposals}
        assert used == {level.id for level in book.scales[key].levels}, key
    assert 12 <= sum(p.highlight for p in book.proposals) <= 18


def test_citations_resolve_and_are_numerous(book):
    to_html(book)  # raises if any citation or figure is broken
    texts = [p.body.text for p in book.proposals] + [a.introduction.text for a in book.axes]
    texts += [c.body.text for c in book.chapters]
    assert sum(len(CITATION.findall(t)) for t in texts) >= 20


def test_no_placeholder_and_no_typed_count(book):
    for chapter in book.chapters:
        assert not PLACEHOLDERS.search(chapter.body.text), chapter.id
        # Counts of the publication come from figures, never typed.
        assert not re.search(r"\b(67|soixante-sept|204)\b", chapter.body.text), chapter.id
    for p in book.proposals:
        assert not PLACEHOLDERS.search(p.body.text), p.id


def test_every_part_introduction_is_substantial(book):
    for axis in book.axes:
        assert 250 <= words(axis.introduction.text) <= 550, (axis.id, words(axis.introduction.text))


def test_title_and_size_of_the_white_paper(book, tmp_path_factory):
    assert book.meta.title == "Le Livre blanc de l'innovation sociale"
    assert book.meta.authors == ["Fondation La France s'engage"]
    assert book.figures["laureats"] == 204
