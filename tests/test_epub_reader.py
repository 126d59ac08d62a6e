"""The e-reader edition as its readers' tools see it: Ace by DAISY, the page list, night themes.

Ace (npm ``@daisy/ace-cli``, pinned in ``tools/ace``, installed by ``make test``)
runs its axe-core rules in Debian's chromium on the EPUB of the session's
real build; the page list is compared with the layout the printer's pages
come from.
"""
from __future__ import annotations

import re

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ACE = ROOT / "tools" / "ace" / "node_modules" / ".bin" / "ace-cli"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def ace_report(real_build, tmp_path_factory) -> tuple[int, dict]:
    """Ace's exit status and its JSON report on the real EPUB."""
    assert ACE.exists(), f"Ace by DAISY n'est pas installé ({ACE}) : lancez `make test`, qui l'installe."
    report_dir = tmp_path_factory.mktemp("ace")
    environment = dict(os.environ)
    environment.setdefault("PUPPETEER_EXECUTABLE_PATH", CHROMIUM)
    result = subprocess.run([str(ACE), "--exit", "--silent", "--force", "--outdir", str(report_dir),
                             str(real_build.path("epub"))], capture_output=True, text=True, timeout=600,
                            env=environment)
    report = report_dir / "report.json"
    assert report.exists(), result.stdout + result.stderr
    return result.returncode, json.loads(report.read_text())


def _violations(report: dict) -> list[str]:
    return [f"{document['earl:testSubject']['url']}: {found['earl:test']['dct:title']} "
            f"({found['earl:test']['earl:impact']})"
            for document in report.get("assertions", []) for found in document.get("assertions", [])]


@pytest.mark.xdist_group("real-files")  # reads the real book's files only: may run on the other worker
def test_ace_passes_with_no_violation_of_any_impact(ace_report):
    status, report = ace_report
    assert _violations(report) == []
    assert report["earl:result"]["earl:outcome"] == "pass"
    assert status == 0


# --- reading the package ---------------------------------------------------------------------

import zipfile  # noqa: E402

import lxml.etree  # noqa: E402

from atelier.html.typography import typeset_text  # noqa: E402
from atelier.outputs.lines import lines  # noqa: E402

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
EPUB_TYPE = f"{{{OPS}}}type"
NS = {"x": XHTML, "epub": OPS, "opf": "http://www.idpf.org/2007/opf"}


@pytest.fixture(scope="session")
def package(real_build) -> dict[str, bytes]:
    """Every file of the real EPUB, by name inside the archive."""
    with zipfile.ZipFile(real_build.path("epub")) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="session")
def spine(package) -> list[tuple[str, object]]:
    """The XHTML documents in reading order, parsed: (file name, tree)."""
    opf = lxml.etree.fromstring(package["EPUB/content.opf"])
    hrefs = {item.get("id"): item.get("href") for item in opf.iterfind(".//opf:item", NS)}
    return [(hrefs[ref.get("idref")], lxml.etree.fromstring(package["EPUB/" + hrefs[ref.get("idref")]]))
            for ref in opf.iterfind(".//opf:itemref", NS)]


def _squeezed(text: str) -> str:
    """Text compared across the editions: no spaces, no case (some headings are set in capitals)."""
    return "".join(char for char in text if not char.isspace() and char != "\u00ad").casefold()


def _text_after(marker) -> str:
    return "".join(marker.xpath("following::text()"))


def _markers(spine) -> list[tuple[str, object]]:
    return [(name, marker) for name, tree in spine
            for marker in tree.iterfind(".//x:span[@role='doc-pagebreak']", NS)]


def test_the_page_list_has_one_entry_per_page_of_the_printers_pdf(real_build, spine):
    pages = real_build.artifacts["print"]["pages"]
    assert pages == len(real_build.layouts["layout"].pages)
    nav = dict(spine)["nav.xhtml"]
    page_list = nav.find(f".//x:nav[@{{{OPS}}}type='page-list']", NS)
    assert page_list is not None and page_list.get("role") == "doc-pagelist" and page_list.get("hidden")
    entries = [(link.text, link.get("href")) for link in page_list.iterfind(".//x:a", NS)]
    assert [label for label, _ in entries] == [str(n) for n in range(1, pages + 1)]
    markers = {f"{name}#{marker.get('id')}": marker for name, marker in _markers(spine)}
    for label, href in entries:
        marker = markers[href]  # every entry leads to a marker…
        assert marker.get(EPUB_TYPE) == "pagebreak" and marker.get("aria-label") == label
    # …and the markers come in the order of the pages, through the reading order.
    assert [int(m.get("aria-label")) for _, m in _markers(spine)] == list(range(1, pages + 1))


def test_the_text_after_each_marker_is_the_text_that_begins_the_printed_page(real_build, spine):
    """Checked against the printer's own layout, on every page that begins with running text."""
    first = {}
    for line in lines(real_build.layouts["layout"]):
        if not line.aside and line.text.strip():
            first.setdefault(line.page, line)
    markers = {int(m.get("aria-label")): (name, m) for name, m in _markers(spine)}
    # Pages the EPUB does not have (the back cover) are marked at the end of the text: nothing to compare.
    ids = {e.get("id") for _, tree in spine for e in tree.iter() if isinstance(e.tag, str) and e.get("id")}
    only_in_print = {start.number for start in real_build.values["page-list"]
                     if start is not None and not ids & set(start.ids)}
    assert only_in_print == {len(real_build.layouts["layout"].pages)}  # the back cover, nothing else
    # Pages that begin with running text or with a heading (most pages begin with a proposal's title,
    # which the EPUB's heading prefixes with « Proposition N »); the cover is an image.
    sample = {page: line for page, line in first.items()
              if line.tag in ("p", "li", "dd", "h1", "h2", "h3") and markers[page][0] != "couverture.xhtml"
              and page not in only_in_print}
    assert len(sample) >= len(first) // 2, "too few pages begin with text to check"
    wrong = []
    for page, line in sample.items():
        printed = _squeezed(line.text)[:20]
        after = _squeezed(_text_after(markers[page][1]))
        # The marker stands before the word the page begins with, which the previous page may have
        # begun (« sub- » / « ventions »), and a note's number is a list marker in print: the printed
        # text begins within the first characters after the marker. Notes are numbered by part and chapter in
        # print and by document in the EPUB: a call's number may differ, so digits are left out.
        if printed not in after[:len(printed) + 20] and \
                re.sub(r"\d", "", printed) not in re.sub(r"\d", "", after[:len(printed) + 20]):
            wrong.append((page, line.text[:40], _text_after(markers[page][1]).strip()[:40]))
    assert not wrong, wrong
    # Where the page begins with a whole word, the marker is exactly there.
    # Where the page begins with a whole word (the page before did not end on a hyphen), the text
    # after the marker is exactly the printed text; otherwise the marker stands before the whole word.
    hyphenated = {}
    for line in lines(real_build.layouts["layout"]):
        if not line.aside and not line.note and line.text.strip():
            hyphenated[line.page] = line.hyphenated
    inexact = [(page, line.text[:30], _text_after(markers[page][1]).strip()[:30])
               for page, line in sample.items()
               if line.tag in ("p", "li", "dd") and not hyphenated.get(page - 1)
               and not re.sub(r"\d", "", _squeezed(_text_after(markers[page][1])))
               .startswith(re.sub(r"\d", "", _squeezed(line.text)[:20]))]
    assert not inexact, inexact


def test_no_page_marker_is_inside_a_heading_or_a_link(spine):
    """A screen reader names a heading or a link by all it holds: « 75 Proposition 48 » otherwise."""
    inside = [(name, marker.get("aria-label"), lxml.etree.QName(holder).localname)
              for name, marker in _markers(spine)
              for holder in marker.iterancestors(*(f"{{{XHTML}}}{tag}" for tag in ("h1", "h2", "h3", "h4", "h5", "h6", "a")))]
    assert not inside, inside
    # A page that begins with a proposal's heading is marked right before it.
    before_headings = [m for _, m in _markers(spine) if (m.getnext() is not None
                       and lxml.etree.QName(m.getnext()).localname in ("h1", "h2", "h3"))]
    assert len(before_headings) >= 40


def test_pages_only_print_has_are_marked_at_the_end_of_the_text(real_build, spine):
    """The back cover is the last page: its marker follows the colophon's last paragraph."""
    pages = len(real_build.layouts["layout"].pages)
    name, marker = _markers(spine)[-1]
    assert marker.get("aria-label") == str(pages) and name == spine[-1][0]
    after = marker.xpath("following::text()[not(ancestor::*[local-name()='footer'])]")
    assert not "".join(after).strip()   # nothing comes after it but the edition's mention…
    assert "".join(marker.getparent().itertext()).strip()            # …and it closes a section of text
    assert lxml.etree.QName(marker.getparent()).localname == "section"


def test_reading_starts_at_the_notice(package, spine):
    """Kindle opens a book at the guide's « text » (and other apps at the bodymatter landmark): the
    notice that the texts are not the foundation's must come first, not Part 1."""
    names = [name for name, _ in spine]
    first_text = names[names.index("nav.xhtml") + 1]
    assert first_text == "chapitre-avertissement.xhtml"
    notice = dict(spine)[first_text].find(".//x:section", NS)
    assert notice.get(EPUB_TYPE) == "notice" and notice.get("role") == "doc-notice"  # not a second copyright page
    opf = lxml.etree.fromstring(package["EPUB/content.opf"])
    assert [r.get("href") for r in opf.iterfind(".//opf:guide/opf:reference[@type='text']", NS)] == [first_text]
    landmarks = dict(spine)["nav.xhtml"].find(f".//x:nav[@{{{OPS}}}type='landmarks']", NS)
    assert [a.get("href") for a in landmarks.iterfind(".//x:a", NS) if a.get(EPUB_TYPE) == "bodymatter"] == [first_text]


NCX = "{http://www.daisy.org/z3986/2005/ncx/}"


def test_the_ncx_page_list_is_the_navigation_page_list(package, spine):
    """EPUB 2 reading systems (Adobe Digital Editions, older Kobo firmware) read print pages in the NCX."""
    ncx = lxml.etree.fromstring(package["EPUB/toc.ncx"])
    nav = dict(spine)["nav.xhtml"].find(f".//x:nav[@{{{OPS}}}type='page-list']", NS)
    epub3 = [(link.text, link.get("href")) for link in nav.iterfind(".//x:a", NS)]
    epub2 = [(target.findtext(f"{NCX}navLabel/{NCX}text"), target.find(f"{NCX}content").get("src"))
             for target in ncx.iter(f"{NCX}pageTarget")]
    assert epub2 == epub3 and len(epub2) > 100
    # The same list as Adobe's page map, which Calibre reads when it rebuilds the NCX (test_epub_calibre.py).
    page_map = lxml.etree.fromstring(package["EPUB/page-map.xml"])
    assert [(p.get("name"), p.get("href")) for p in page_map] == epub3
    meta = {m.get("name"): m.get("content") for m in ncx.iter(f"{NCX}meta")}
    assert meta["dtb:totalPageCount"] == meta["dtb:maxPageNumber"] == str(len(epub3))
    assert meta["dtb:uid"] == lxml.etree.fromstring(package["EPUB/content.opf"]).findtext(".//{http://purl.org/dc/elements/1.1/}identifier")


def test_ncx_play_order_follows_the_reading_order(package, spine):
    """One playOrder per target, from 1 without gaps, increasing through the spine and each document."""
    ncx = lxml.etree.fromstring(package["EPUB/toc.ncx"])
    entries = list(ncx.iter(f"{NCX}navPoint", f"{NCX}pageTarget"))
    orders = {int(e.get("playOrder")) for e in entries}
    assert orders == set(range(1, len(orders) + 1))
    by_target: dict[str, set] = {}
    for entry in entries:
        by_target.setdefault(entry.find(f"{NCX}content").get("src"), set()).add(int(entry.get("playOrder")))
    assert all(len(found) == 1 for found in by_target.values())
    position = {}
    for index, (name, tree) in enumerate(spine):
        position[name] = (index, -1)
        for order, element in enumerate(tree.iter()):
            if isinstance(element.tag, str) and element.get("id"):
                position.setdefault(f"{name}#{element.get('id')}", (index, order))
    ranked = sorted(by_target, key=position.__getitem__)
    assert [by_target[target].pop() for target in ranked] == list(range(1, len(ranked) + 1))


def test_every_note_is_a_noteref_to_a_footnote(spine):
    notes = 0
    for name, tree in spine:
        ids = {e.get("id"): e for e in tree.iter() if isinstance(e.tag, str) and e.get("id")}
        for call in tree.iterfind(".//x:a[@class='footnote-ref']", NS):
            notes += 1
            assert call.get(EPUB_TYPE) == "noteref" and call.get("role") == "doc-noteref", name
            note = ids[call.get("href").lstrip("#")]
            assert lxml.etree.QName(note).localname == "aside", name
            assert note.get(EPUB_TYPE) == "footnote" and note.get("role") == "doc-footnote", name
        # Apple Books hides the notes but would leave a rule before them alone: none is there.
        for holder in tree.iterfind(".//x:div[@class='footnote']", NS):
            assert holder.find("x:hr", NS) is None and all(
                lxml.etree.QName(child).localname == "aside" for child in holder), name
    assert notes >= 1


def test_numbers_are_inside_their_headings(real_build, spine):
    book = real_build.values["book"]
    headings = {e.get("id"): " ".join("".join(e.itertext()).split())
                for _, tree in spine for e in tree.iter(f"{{{XHTML}}}h1", f"{{{XHTML}}}h2")}
    assert book.axes and book.proposals
    for axis in book.axes:
        assert headings[f"titre-{axis.anchor}"].startswith(f"Partie {axis.number}"), axis.id
        for proposal in axis.proposals:
            assert headings[f"titre-{proposal.anchor}"].startswith(f"Proposition {proposal.number}")


def test_landmarks_are_complete_and_hidden(spine):
    nav = dict(spine)["nav.xhtml"]
    landmarks = nav.find(f".//x:nav[@{{{OPS}}}type='landmarks']", NS)
    assert landmarks.get("hidden")
    kinds = [link.get(EPUB_TYPE) for link in landmarks.iterfind(".//x:a", NS)]
    assert {"cover", "titlepage", "toc", "bodymatter", "index", "glossary"} <= set(kinds)


def test_every_id_is_ascii(spine):
    """Ids made from headings (« Mise en œuvre ») are read as escapes by some tools: ASCII only."""
    ids = [(name, e.get("id")) for name, tree in spine for e in tree.iter() if isinstance(e.tag, str) and e.get("id")]
    assert len(ids) > 500
    assert not [(name, anchor) for name, anchor in ids if not re.fullmatch(r"[A-Za-z0-9:_.-]+", anchor)]
    assert any(anchor.endswith("-mise-en-oeuvre") for _, anchor in ids)


def test_the_glossary_defines_its_terms(spine):
    glossary = dict(spine)["chapitre-glossaire.xhtml"]
    section = glossary.find(".//x:section", NS)
    assert section.get(EPUB_TYPE) == "glossary" and section.get("role") == "doc-glossary"
    terms, definitions = section.findall(".//x:dl/x:dt", NS), section.findall(".//x:dl/x:dd", NS)
    assert len(terms) > 20 and len(definitions) >= len(terms)
    for term in terms:
        assert term.get(EPUB_TYPE) == "glossterm" and term.find("x:dfn", NS) is not None
        assert "".join(term.find("x:dfn", NS).itertext()).strip() == "".join(term.itertext()).strip()
    assert all(d.get(EPUB_TYPE) == "glossdef" for d in definitions)


def test_each_row_of_the_summary_is_named_by_its_title(real_build, spine):
    summary = dict(spine)["recapitulatif.xhtml"]
    headers = summary.findall(".//x:tbody/x:tr/x:th[@scope='row']", NS)
    assert ["".join(h.find("x:a", NS).itertext()) for h in headers] == \
        [typeset_text(p.title, "fr") for p in real_build.values["book"].proposals]


def test_the_index_marks_the_flagship_proposals_as_print_does(real_build, spine):
    index = dict(spine)["index-acteurs.xhtml"]
    book = real_build.values["book"]
    assert "en gras, les propositions phares" in "".join(index.find(".//x:p[@class='index-intro']", NS).itertext())
    flagged = {item.find(".//x:strong[@class='index-number']", NS).text.rstrip(".")
               for item in index.iterfind(".//x:li[@class='highlight']", NS)}
    assert flagged == {str(p.number) for p in book.proposals if p.highlight}
    assert all("(phare)" in "".join(item.itertext()) for item in index.iterfind(".//x:li[@class='highlight']", NS))


def test_each_chart_is_a_file_of_the_package_with_a_short_alt_and_its_table(package, spine):
    """No chart as a base64 data: URI (76 KB inside essentiel.xhtml before): each is an SVG file of the
    package, its alt says what it is and sends to the data table that follows the figure."""
    opf = lxml.etree.fromstring(package["EPUB/content.opf"])
    media = {item.get("href"): item.get("media-type") for item in opf.iterfind(".//opf:item", NS)}
    figures = [(name, figure) for name, tree in spine for figure in tree.iterfind(".//x:figure[@class='chart']", NS)]
    assert len(figures) >= 4
    for name, figure in figures:
        image = figure.find(".//x:img", NS)
        source = image.get("src")
        assert media.get(source) == "image/svg+xml" and f"EPUB/{source}" in package, source
        svg = lxml.etree.fromstring(package[f"EPUB/{source}"])
        assert lxml.etree.QName(svg).localname == "svg" and svg.get("viewBox")
        assert len(image.get("alt")) < 140 and "tableau qui suit" in image.get("alt"), image.get("alt")
        table = figure.getnext()
        assert lxml.etree.QName(table).localname == "table" and table.get("class") == "chart-data", name
    assert not [name for name, tree in spine for e in tree.iter() if isinstance(e.tag, str)
                and (e.get("src") or "").startswith("data:")]


def test_highlights_and_numbers_are_readable_in_words(real_build, spine):
    book = real_build.values["book"]
    summary = dict(spine)["recapitulatif.xhtml"]
    marked = [row for row in summary.iterfind(".//x:tr[@class='highlight']", NS)
              if "Proposition phare" in "".join(row.itertext())]
    assert len(marked) == sum(p.highlight for p in book.proposals) > 0
    # « N<sup>o</sup> » would be read letter by letter: the column's header is named in words.
    number = summary.find(".//x:thead//x:th[@class='col-number']", NS)
    assert number.get("aria-label") == "Numéro"


def test_package_metadata_and_ncx(package):
    opf = package["EPUB/content.opf"].decode()
    assert re.search(r'<package [^>]*xml:lang="fr"', opf)
    for prop in ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
                 "schema:accessibilityHazard", "schema:accessibilitySummary", "pageBreakSource"):
        assert f'property="{prop}"' in opf, prop
    assert "EPUB Accessibility 1.1 - WCAG 2.2 Level AA" in opf
    for feature in ("printPageNumbers", "pageBreakMarkers", "tableOfContents", "alternativeText"):
        assert f">{feature}<" in opf
    assert re.search(r'content="2" name="dtb:depth"|name="dtb:depth" content="2"', package["EPUB/toc.ncx"].decode())


def test_the_package_is_dated_by_the_release_of_book_yaml(package, real_build):
    """dcterms:modified is the date of this version (book.yaml release_date), not the foundation's
    presentation date, which stays the book's dc:date; the legal page and the colophon name the version."""
    meta = real_build.values["book"].meta
    assert meta.version and meta.release_date and meta.release_date != meta.date
    opf = package["EPUB/content.opf"].decode()
    assert f'<meta property="dcterms:modified">{meta.release_date.isoformat()}T00:00:00Z</meta>' in opf
    assert f"<dc:date>{meta.date.isoformat()}</dc:date>" in opf
    assert ".pdf" not in re.search(r'property="pageBreakSource">([^<]+)<', opf).group(1)
    for name in ("EPUB/mentions-legales.xhtml", "EPUB/chapitre-colophon.xhtml"):
        assert f"{meta.version} du " in package[name].decode(), name


def test_cover_is_a_light_jpeg_described_in_french(package):
    cover = package["EPUB/images/cover.jpg"]
    assert cover[:3] == b"\xff\xd8\xff" and len(cover) < 1_500_000
    page = package["EPUB/couverture.xhtml"].decode()
    assert re.search(r'<img [^>]*alt="Couverture\s:\s', page)


# --- reading comfort: the stylesheet under a reader's themes -------------------------------

import tinycss2  # noqa: E402

pytestmark = pytest.mark.xdist_group("real-book")  # one worker builds the real book (conftest)

STYLESHEET = ROOT / "styles" / "epub" / "book.css"


def _rules(rules):
    """Every qualified rule of a stylesheet, those inside @media included."""
    for rule in rules:
        if rule.type == "qualified-rule":
            yield rule
        elif rule.type == "at-rule" and rule.content:
            yield from _rules(tinycss2.parse_rule_list(rule.content, skip_whitespace=True, skip_comments=True))


def _declarations(rule):
    return [d for d in tinycss2.parse_declaration_list(rule.content, skip_whitespace=True, skip_comments=True)
            if d.type == "declaration"]


def test_the_stylesheet_leaves_colours_and_sizes_to_the_reader():
    source = STYLESHEET.read_text(encoding="utf-8")
    for comment in re.findall(r"/\*.*?\*/", source, re.S):
        assert "--" not in comment  # an old reading system ends a comment there
    rules = list(_rules(tinycss2.parse_stylesheet(source, skip_whitespace=True, skip_comments=True)))
    assert len(rules) > 20
    for rule in rules:
        selector = tinycss2.serialize(rule.prelude).strip()
        declarations = {d.lower_name: d for d in _declarations(rule)}
        for name, declaration in declarations.items():
            value = tinycss2.serialize(declaration.value).strip()
            assert not name.startswith("--") and "var(" not in value, (selector, name)  # no custom property
            units = {token.lower_unit for token in declaration.value if token.type == "dimension"}
            assert not units & {"rem", "vw", "vh", "vmin", "vmax", "px", "pt"}, (selector, name, value)
            if name == "font-size":
                assert units <= {"em"} and all(t.type in ("dimension", "whitespace") for t in declaration.value)
            # No background at all (a theme drops or replaces it), no colour but the reader's own.
            assert not name.startswith("background"), (selector, name)
            if name in ("color", "border-color") or (name.startswith("border") and "#" in value):
                assert value in ("inherit", "currentColor", "currentcolor"), (selector, name, value)
            if name.startswith("break-"):
                alias = "page-" + name
                assert alias in declarations and tinycss2.serialize(declarations[alias].value).strip() == value, \
                    (selector, name)


# --- the cover page in a browser -----------------------------------------------------------

MEASURE = ('<script>window.addEventListener("load", () => document.body.setAttribute("data-size", [innerWidth, '
           'innerHeight, document.documentElement.scrollWidth, document.documentElement.scrollHeight].join(" ")))'
           '</script></body>')


@pytest.mark.parametrize("window", ["1100,887", "844,477"])   # viewports of 1100×800 and 844×390 (landscape)
def test_the_cover_fits_the_screen_so_no_blank_page_follows_it(package, tmp_path, window):
    """The cover page is never taller than the screen: a reading system would give the overflow a page."""
    for name in ("EPUB/couverture.xhtml", "EPUB/images/cover.jpg", "EPUB/styles/book.css"):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(package[name])
    page = tmp_path / "EPUB" / "couverture.xhtml"
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", MEASURE), encoding="utf-8")
    done = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                           f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={window}", "--dump-dom",
                           page.as_uri()], capture_output=True, text=True, timeout=120)
    width, height, scroll_width, scroll_height = map(int, re.search(r'data-size="([^"]+)"', done.stdout).group(1).split())
    assert (scroll_width, scroll_height) == (width, height)
