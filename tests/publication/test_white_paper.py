"""The white paper's own facts (issues 3 and 11), kept apart from the tests of the code.

The code's tests pass on any content tree; these pin what is true of
*this* publication: 67 proposals in five parts, its title, its size, a
working-edition notice nobody can miss, a horizon for every proposal and
titles that do not all open with the same verb.
"""
from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import pypdfium2
import pytest
from pypdf import PdfReader

from atelier.html.typography import typeset_text
from atelier.source.load import load_book
from atelier.html.markup import CITATION, to_html
from pdfoutline import bookmarks

pytestmark = pytest.mark.xdist_group("real-book")  # one worker builds the real book (conftest)

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
PARTS = {"etat": 13, "entreprises": 16, "reconnaissance": 18, "citoyens": 4, "innover": 16}
PLACEHOLDERS = re.compile(r"\b(TODO|TBD|XXX|lorem|ipsum)\b|à compléter", re.I)
SECTIONS = ["Constat", "Proposition", "Mise en œuvre"]
HORIZONS = {"h2026": "2026", "h2028": "2028", "h2030": "2030", "h2034": "2034"}
#: What the working-edition notice must say, wherever it is printed (compared without case).
NOTICE = ("édition de travail", "construire et tester", "ne sont pas ceux de la fondation")
MAX_TITLES_PER_VERB = 4


@pytest.fixture(scope="module")
def book():
    return load_book(CONTENT)


def words(markdown: str) -> int:
    """Words of prose, not counting the ### section headings, footnote texts and abbreviation lines."""
    prose = "\n".join(line for line in markdown.splitlines() if not line.startswith(("#", "[^", "*[")))
    return len(prose.split())


def plain(text: str) -> str:
    """Text as a reader sees it: one line, ordinary spaces and apostrophes, no line-end hyphens."""
    text = re.sub(r"[\u00ad\ufffe\u2010-]\s*\n\s*", "", text)
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).lower()


def says_notice(text: str) -> bool:
    """Whether ``text`` carries every part of the working-edition notice."""
    return all(part in plain(text) for part in NOTICE)


@pytest.fixture(scope="module")
def built(real_build):
    """The white paper built once per session, strictly (``real_build`` in conftest): (PDF path, EPUB path)."""
    return real_build.path("pdf"), real_build.path("epub")


@pytest.fixture(scope="module")
def page_texts(built):
    document = pypdfium2.PdfDocument(str(built[0]))
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def _key(title: str) -> str:
    """A title as a bookmark holds it: typeset (’, no-break spaces), spaces folded."""
    return re.sub(r"\s+", " ", typeset_text(title, "fr")).strip()


def _outline(reader: PdfReader) -> dict[str, int]:
    """Page number (1-based) of every PDF bookmark, by title."""
    found = {}
    for title, index in bookmarks(reader):
        found.setdefault(_key(title), index + 1)
    return found


def test_sixty_seven_proposals_in_five_parts(book):
    assert len(book.proposals) == 67
    assert {axis.id: len(axis.proposals) for axis in book.axes} == PARTS
    assert [p.number for p in book.proposals] == list(range(1, 68))


def test_every_proposal_is_complete(book):
    assert book.proposals
    for p in book.proposals:
        assert p.summary and p.actors and set(p.levels) == {"cost", "ease", "horizon"}, p.id
        assert 150 <= words(p.body.text) <= 300, (p.id, words(p.body.text))


def test_every_body_keeps_its_three_sections(book):
    assert book.proposals
    for p in book.proposals:
        sections = re.findall(r"^### (.+)$", p.body.text, re.M)
        assert sections == SECTIONS, (p.number, p.id, sections)
        for name, text in zip(SECTIONS, re.split(r"^### .+$", p.body.text, flags=re.M)[1:]):
            assert words(text) >= 20, (p.number, name, "section too short")


def test_every_proposition_section_speaks_in_the_infinitive(book):
    # One mood for every « Proposition » section: it opens on a verb in the infinitive.
    assert book.proposals
    for p in book.proposals:
        section = re.search(r"^### Proposition\n(.*?)^### ", p.body.text, re.M | re.S).group(1)
        first = re.sub(r"^[\s*-]+", "", section).split()[0].strip(",;:")
        assert re.search(r"(er|ir|re|oir)$", first), (p.number, p.id, first)


def test_every_proposal_has_a_horizon(book):
    scale = book.scales["horizon"]
    assert scale.label == "Horizon"
    assert {level.id: level.label for level in scale.levels} == HORIZONS
    assert all(level.description for level in scale.levels)
    for p in book.proposals:
        assert p.levels["horizon"].id in HORIZONS, p.id
    # The horizons follow the one rule of the Mode d'emploi: a law is never due before 2030.
    for p in book.proposals:
        if p.levels["ease"].id == "difficile":
            assert p.levels["horizon"].id in ("h2030", "h2034"), (p.number, p.id)
        if p.levels["horizon"].id == "h2026":
            assert p.levels["ease"].id == "facile", (p.number, p.id)


def test_no_title_opening_verb_is_used_more_than_four_times(book):
    verbs = Counter(p.title.split()[0].lower() for p in book.proposals)
    overused = {verb: n for verb, n in verbs.items() if n > MAX_TITLES_PER_VERB}
    assert not overused, overused


def test_levels_are_spread_and_highlights_are_few(book):
    for key in ("cost", "ease", "horizon"):
        used = {p.levels[key].id for p in book.proposals}
        assert used == {level.id for level in book.scales[key].levels}, key
    assert 12 <= sum(p.highlight for p in book.proposals) <= 18


def test_citations_resolve_and_are_numerous(book):
    to_html(book)  # raises if any citation or figure is broken
    texts = [p.body.text for p in book.proposals] + [a.introduction.text for a in book.axes]
    texts += [c.body.text for c in book.chapters]
    assert sum(len(CITATION.findall(t)) for t in texts) >= 20


def test_no_placeholder_and_no_typed_count(book):
    assert book.chapters and book.proposals
    for chapter in book.chapters:
        assert not PLACEHOLDERS.search(chapter.body.text), chapter.id
        # Counts of the publication come from figures, never typed.
        assert not re.search(r"\b(67|soixante-sept|204)\b", chapter.body.text), chapter.id
    for p in book.proposals:
        assert not PLACEHOLDERS.search(p.body.text), p.id


def test_every_part_introduction_is_substantial(book):
    assert book.axes
    for axis in book.axes:
        assert 250 <= words(axis.introduction.text) <= 550, (axis.id, words(axis.introduction.text))


def test_title_and_size_of_the_white_paper(book):
    assert book.meta.title == "Le Livre blanc de l'innovation sociale"
    assert book.figures["laureats"] == 204


def test_the_working_edition_is_not_signed_by_the_foundation(book):
    # The foundation is the subject of the book, not its author, publisher or rights holder.
    foundation = "Fondation La France s'engage"
    assert foundation not in book.meta.authors
    assert book.meta.publisher != foundation
    assert "tous droits réservés" not in plain(book.meta.rights)
    assert foundation.lower() in plain(book.meta.description)
    assert says_notice(book.meta.description)


def test_the_notice_comes_before_the_first_chapter_in_the_pdf(book, built, page_texts):
    notice_pages = [number for number, text in enumerate(page_texts, 1) if says_notice(text)]
    assert notice_pages, "no page of the PDF carries the working-edition notice"
    outline = _outline(PdfReader(built[0]))
    # The first chapter that is not the notice itself.
    first_chapter = min(outline[_key(c.title)] for c in book.chapters if not says_notice(c.body.text))
    assert notice_pages[0] < first_chapter, (notice_pages[0], first_chapter)
    first_part = outline[_key(f"Partie 1. {book.axes[0].title}")]
    assert notice_pages[0] < first_part


def test_the_notice_is_in_the_epub_metadata(built):
    with zipfile.ZipFile(built[1]) as archive:
        opf = next(archive.read(name).decode() for name in archive.namelist() if name.endswith(".opf"))
    description = re.search(r"<dc:description>(.*?)</dc:description>", opf, re.S)
    assert description and says_notice(description.group(1)), "the EPUB description lacks the notice"
    rights = re.search(r"<dc:rights>(.*?)</dc:rights>", opf, re.S)
    assert rights and "tous droits réservés" not in plain(rights.group(1))


def test_the_colophon_says_what_the_epub_is(built):
    """Issue 10: no font is embedded in the EPUB; issue 20: its modification date is the date of the
    version the colophon's last line gives (book.yaml: version, release_date), while the title page keeps
    the foundation's presentation date."""
    with zipfile.ZipFile(built[1]) as archive:
        names = archive.namelist()
        opf = next(archive.read(name).decode() for name in names if name.endswith(".opf"))
        colophon = plain(re.sub(r"<[^>]+>", "", archive.read("EPUB/chapitre-colophon.xhtml").decode()))
    assert not [name for name in names if name.lower().endswith((".ttf", ".otf", ".woff", ".woff2"))]
    assert "n’embarque aucune police" in colophon or "n'embarque aucune police" in colophon
    modified = re.search(r'property="dcterms:modified">(\d{4})-(\d{2})-(\d{2})', opf)
    assert modified and modified.groups() == ("2026", "12", "05")
    assert "version 0.9 du 5 décembre 2026." in colophon
    assert "<dc:date>2024-11-21</dc:date>" in opf
