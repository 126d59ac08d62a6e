"""The typography of the real book, measured where readers see it.

One build of the real content, in-process, so the layout WeasyPrint drew
the PDF from can be read line by line (:mod:`atelier.outputs.lines`): the
PDF's own text layer cannot tell a no-break space from a space, since both
are drawn with the same glyph. The PDF text is still read for what it can
show (apostrophes, narrow no-break spaces), and the EPUB's XHTML and
metadata are read from the package itself.
"""
from __future__ import annotations

import io
import re
import zipfile

import lxml.etree
import lxml.html
import pypdfium2
import pytest

from atelier.html.typography import typeset_tree
from atelier.outputs.lines import lines, measure

pytestmark = pytest.mark.xdist_group("real-book")  # one worker builds the real book (conftest)

XHTML = "{http://www.w3.org/1999/xhtml}"
VERBATIM = {"code", "kbd", "samp", "pre", "style", "script"}


@pytest.fixture(scope="module")
def made(real_build):
    return real_build.values


@pytest.fixture(scope="module")
def printed_lines(made):
    return lines(made["layout"])


@pytest.fixture(scope="module")
def counts(printed_lines):
    return measure(printed_lines)


@pytest.fixture(scope="module")
def epub(made):
    data = next(a.data for a in made["epub"] if a.kind == "epub")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_the_measures_see_the_whole_book(printed_lines, counts):
    assert len(printed_lines) > 1000
    assert counts[": in all"] > 100 and counts["; in all"] > 20


def test_no_breakable_space_before_high_punctuation_or_inside_guillemets(counts):
    for mark in ";:!?":
        assert counts[f"breakable space before {mark}"] == 0, mark
    assert counts["breakable space inside guillemets"] == 0


def test_no_straight_apostrophe_is_printed(real_build, counts):
    assert counts["straight apostrophes"] == 0 and counts["typographic apostrophes"] > 500
    document = pypdfium2.PdfDocument(real_build.path("pdf").read_bytes())
    try:
        text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()
    assert "'" not in text
    assert text.count("\u202f;") == text.count(";") > 0     # the narrow space has its own glyph: seen here


def test_no_line_starts_with_closing_punctuation_or_ends_with_an_opening_guillemet(counts):
    assert counts["lines starting with ; : ! ? » …"] == 0
    assert counts["lines ending with «"] == 0


def test_hyphenation_keeps_three_letters_and_rarely_stacks(counts):
    assert 0 < counts["hyphenated line ends"]
    assert counts["fragments of fewer than 3 letters"] == 0
    # Three hyphenated lines in a row happen only in a handful of places.
    assert counts["runs of 3 or more hyphenated lines"] <= 6, counts["runs of 3 or more hyphenated lines"]


def test_few_paragraphs_end_on_a_short_lone_word(counts):
    """The HTML stage keeps a short last word (six characters at most) with the one before it, and a
    hyphenated word leaves four letters at least on the next line; a longer last word may stand
    alone, rather than stretch the line above it (issue 19: loose lines). What is left is the end of
    a word hyphenated at a paragraph's last line, in a handful of places."""
    assert counts["paragraphs ending on a short lone word"] <= 6
    assert counts["paragraphs ending on one word or a fragment"] > 0  # the measure sees lone words


def test_headings_and_titles_are_never_hyphenated(printed_lines):
    assert not [line for line in printed_lines if line.hyphenated and line.tag in {"h1", "h2", "h3", "th", "dt"}]


def _french_text_nodes(tree):
    """(text, element) for every text node of ``tree`` whose language is French, code excluded."""
    def walk(element, language, verbatim):
        if not isinstance(element.tag, str):
            return
        language = element.get("{http://www.w3.org/XML/1998/namespace}lang") or element.get("lang") or language
        verbatim = verbatim or lxml.etree.QName(element).localname in VERBATIM
        if element.text and not verbatim and language.startswith("fr"):
            yield element.text, element
        for child in element:
            yield from walk(child, language, verbatim)
            if child.tail and not verbatim and language.startswith("fr"):
                yield child.tail, element
    yield from walk(tree, tree.get("lang") or "", False)


def test_epub_text_follows_french_typography(epub):
    documents = {n: d for n, d in epub.items() if n.endswith(".xhtml")}
    assert len(documents) > 5
    faults = []
    for name, data in documents.items():
        for text, element in _french_text_nodes(lxml.etree.fromstring(data)):
            if "'" in text:
                faults.append((name, "apostrophe", text[:60]))
            for match in re.finditer(r"[ \n\t](?=[;:!?»])|«[ \n\t]", text):
                faults.append((name, "espace sécable", text[max(match.start() - 20, 0):match.end() + 10]))
    assert not faults, faults[:10]


def test_epub_metadata_is_typeset(epub):
    opf = epub["EPUB/content.opf"].decode()
    title = re.search(r"<dc:title[^>]*>([^<]+)</dc:title>", opf).group(1)
    assert "’" in title and "'" not in title
    description = re.search(r"<dc:description>([^<]+)</dc:description>", opf).group(1)
    assert "'" not in description
    ncx = epub["EPUB/toc.ncx"].decode()
    assert "'" not in re.sub(r"<[^>]+>", "", ncx.split("<navMap>")[1])


def test_pdf_metadata_title_is_typeset(real_build):
    from pypdf import PdfReader
    reader = PdfReader(real_build.path("pdf"))
    assert "’" in reader.metadata.title and "'" not in reader.metadata.title


def test_the_stage_is_idempotent_on_the_whole_book(made):
    documents = [made["html.print"], *made["html.epub"]]
    assert len(documents) > 5
    for document in documents:
        if document.name.endswith(".xhtml"):
            once = lxml.etree.fromstring(document.html.encode())
            serialise = lambda tree: lxml.etree.tostring(tree, encoding="unicode")  # noqa: E731
        else:
            once = lxml.html.fromstring(document.html)
            serialise = lambda tree: lxml.html.tostring(tree, encoding="unicode")  # noqa: E731
        before = serialise(once)
        typeset_tree(once)
        assert serialise(once) == before, document.name


def _documents(made):
    """Every finished HTML document of the book and the press kit, parsed: (name, tree)."""
    found = [(made["html.print"].name, lxml.html.fromstring(made["html.print"].html))]
    found += [(d.name, lxml.etree.fromstring(d.html.encode())) for d in made["html.epub"]]
    press = made.get("html.presskit")
    if press is not None:
        found += [(d.name, lxml.html.fromstring(d.html)) for d in press.documents.values()]
    return found


def _local(element) -> str:
    return lxml.etree.QName(element).localname if isinstance(element.tag, str) else ""


YEARS = re.compile(r"(?<![\d/-])((?:19|20)\d\d)\s*[-–—‑]\s*((?:19|20)\d\d)(?![\d/-])")


def test_year_ranges_have_one_form_and_never_break_at_a_line_end(made, printed_lines):
    """Issue 20: « 2024-2034 » with a hyphen everywhere, held on one line (not U+2011)."""
    kept = 0
    for name, tree in _documents(made):
        for text, element in _french_text_nodes(tree):
            for match in YEARS.finditer(text):
                before = text[:match.start()].rstrip()
                if before.endswith("n°") or (not before and element.getprevious() is not None
                                             and "numero" in (element.getprevious().get("class") or "")):
                    continue
                if not (int(match.group(1)) < int(match.group(2)) <= int(match.group(1)) + 100):
                    continue
                assert match.group() == f"{match.group(1)}-{match.group(2)}", (name, text[:80])
            if "‑" in text:
                raise AssertionError((name, "U+2011", text[:80]))
        for span in tree.iter():
            if _local(span) == "span" and "nowrap" in (span.get("class") or "").split():
                assert re.fullmatch(r"(?:19|20)\d\d-(?:19|20)\d\d", span.text or ""), (name, span.text)
                kept += 1
        for text, element in _french_text_nodes(tree):
            for match in YEARS.finditer(text):   # a range outside a no-wrap span is a law number (n° 2016-2017)
                if not ("nowrap" in (element.get("class") or "")) and int(match.group(1)) < int(match.group(2)) \
                        <= int(match.group(1)) + 100:
                    previous = text[:match.start()].rstrip()
                    assert previous.endswith("n°") or not previous, (name, text[:80])
    assert kept > 10
    assert not [line.text for line in printed_lines if re.search(r"(?:19|20)\d\d[-–]$", line.text.rstrip())]


def test_numero_is_one_abbreviation_in_every_output(made):
    """Issue 20: « n° », never n<sup>o</sup> (read « n o »), always <abbr class="numero" title="numéro">."""
    marked = 0
    for name, tree in _documents(made):
        for sup in tree.iter():
            if _local(sup) == "sup" and sup.text == "o":
                raise AssertionError((name, "n<sup>o</sup>"))
        for text, element in _french_text_nodes(tree):
            if re.search(r"\b[nN][°º]", text) and _local(element) != "abbr":
                raise AssertionError((name, text[:80]))
            if "º" in text:
                raise AssertionError((name, "U+00BA", text[:80]))
        for abbr in tree.iter():
            if _local(abbr) == "abbr" and "numero" in (abbr.get("class") or ""):
                assert abbr.text in ("n°", "N°") and abbr.get("title") == "numéro", name
                marked += 1
    assert marked > 20


def test_abbreviations_expand_with_typographic_apostrophes(made):
    titles = [abbr.get("title") for _, tree in _documents(made) for abbr in tree.iter()
              if _local(abbr) == "abbr" and abbr.get("title")]
    assert len(titles) > 50 and any("’" in title for title in titles)
    assert not [title for title in titles if "'" in title]
