"""The web edition (output/web/) of the real book: pages at their addresses, every link and asset
resolves, « p. N » is the printed page, share cards, and, in Debian's chromium, axe-core, the filters
and the offline search."""
from __future__ import annotations

import json
import posixpath
import re
import shutil
import subprocess
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

import lxml.html
import pytest
from PIL import Image

from atelier.html.dom import finish_text
from atelier.labels import labels_for

pytestmark = pytest.mark.xdist_group("real-book")  # one worker builds the real book (conftest)

ROOT = Path(__file__).resolve().parents[1]
DRIVER = ROOT / "tests" / "web_browser.js"
AXE = ROOT / "tools" / "ace" / "node_modules" / "@axe-core" / "puppeteer"
CHROMIUM = shutil.which("chromium")
LABELS = labels_for("fr")


@pytest.fixture(scope="module")
def site(real_build) -> Path:
    return real_build.out / "web"


@pytest.fixture(scope="module")
def pages(site) -> dict[str, object]:
    """Every page of the site, parsed, by its path in the site."""
    found = {path.relative_to(site).as_posix(): lxml.html.fromstring(path.read_bytes())
             for path in sorted(site.rglob("*.html"))}
    assert len(found) > 70
    return found


def _text(element) -> str:
    """An element's text, every kind of space (the typography stage's no-break ones too) as one space."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", element.text_content()).strip()


def _typeset(text: str) -> str:
    """``text`` as the pages print it: through the typography stage, spaces as above."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", finish_text(text, "fr")).strip()


def test_every_proposal_has_its_page_at_its_id_address(real_build, pages):
    book = real_build.values["book"]
    assert book.proposals
    for proposal in book.proposals:
        page = pages[f"propositions/{proposal.id}.html"]
        [heading] = page.xpath("//h1")
        assert _text(heading) == _typeset(proposal.title)
        assert page.xpath(f"//article[@id='{proposal.anchor}']//*[@class='proposal-number-value']")[0].text == \
            str(proposal.number)


def test_every_internal_link_and_asset_resolves(site, pages):
    checked, broken = 0, []
    for name, page in pages.items():
        for element, attribute, address in _addresses(page):
            parsed = urlparse(address)
            if parsed.scheme in ("https", "mailto", "data"):
                continue
            assert not parsed.scheme and not address.startswith("/"), (name, address)  # relative: works anywhere
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), unquote(parsed.path))) \
                if parsed.path else name
            checked += 1
            if not (site / target).is_file():
                broken.append((name, address))
            elif parsed.fragment and target.endswith(".html") and not parsed.fragment.startswith("page="):
                if not pages[target].xpath(f"//*[@id='{parsed.fragment}']"):
                    broken.append((name, address))
    css = (site / "assets" / "site.css").read_text(encoding="utf-8")
    fonts = re.findall(r'url\("([^"]+)"\)', css)
    assert fonts and all((site / "assets" / font).is_file() for font in fonts)
    assert checked > 1000 and broken == []


def _addresses(page):
    for element in page.iter():
        for attribute in ("href", "src"):
            if isinstance(element.tag, str) and element.get(attribute):
                yield element, attribute, element.get(attribute)


def test_the_printed_page_of_each_proposal_is_the_page_it_starts_on_in_the_pdf(real_build, site, pages):
    import pypdfium2

    book, page_map = real_build.values["book"], real_build.values["pages"]
    pdf = site / "telechargements" / f"{book.meta.slug}.pdf"
    assert pdf.read_bytes() == real_build.path("pdf").read_bytes()
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        for proposal in book.proposals:
            [line] = pages[f"propositions/{proposal.id}.html"].xpath("//p[@class='printed-page']")
            number = page_map.page_of(proposal.anchor)
            assert _text(line).startswith(_typeset(LABELS.get("web.printed_page", page=number)))
            assert line.xpath(".//a/@href") == [f"../telechargements/{book.meta.slug}.pdf#page={number}"]
            printed = re.sub(r"\s+", " ", document[number - 1].get_textpage().get_text_range())
            first_word = proposal.title.split()[0]
            assert first_word in printed and f"{proposal.number}" in printed, (proposal.id, number)
    finally:
        document.close()


def test_the_site_fonts_keep_every_feature_name_and_glyph_of_the_characters_a_french_text_uses(site):
    """The WOFF subsets of the site (HarfBuzz's subsetter): for each shipped font, the characters of
    ``UNICODES`` it has and nothing else, its layout features for them (ligatures, kerning, small
    capitals, figures, superscripts), its copyright and licence records, a drawn ``.notdef``, and its
    own date (the clock's would change the file at every build)."""
    USED_FEATURES = {("GPOS", "kern")} | {
        ("GSUB", tag) for tag in ("liga", "ccmp", "locl", "smcp", "c2sc", "lnum", "onum", "pnum", "tnum",
                                  "frac", "numr", "dnom", "sups", "subs", "ordn", "case")}
    from fontTools.subset import parse_unicodes
    from fontTools.ttLib import TTFont

    from atelier.outputs.web import FONTS, UNICODES

    def features(font) -> set:
        return {(table, record.FeatureTag) for table in ("GSUB", "GPOS") if table in font
                for record in font[table].table.FeatureList.FeatureRecord}

    wanted = set(parse_unicodes(UNICODES))
    for name in FONTS:
        original = TTFont(ROOT / "styles" / "fonts" / name)
        subset = TTFont(site / "assets" / "fonts" / f"{Path(name).stem}.woff")
        assert subset.flavor == "woff", name
        assert set(subset.getBestCmap()) == set(original.getBestCmap()) & wanted, name
        # Stylistic sets of glyphs outside the subset go with them; what a French text uses stays.
        assert features(subset) >= features(original) & USED_FEATURES and ("GSUB", "liga") in features(subset), name
        for record in (0, 13):   # copyright, licence
            assert subset["name"].getDebugName(record) == original["name"].getDebugName(record), (name, record)
        assert subset["glyf"][".notdef"].numberOfContours > 0, name
        assert subset["head"].modified == original["head"].modified, name   # not the clock's: same bytes each build


def test_every_page_carries_the_working_edition_notice(pages):
    notice = _typeset(LABELS["web.notice"])
    for name, page in pages.items():
        [aside] = page.xpath("//aside[contains(@class, 'notice')]")
        assert notice in _text(aside), name


def test_a_share_card_per_proposal_and_part_at_1200_by_630(real_build, site, pages):
    book = real_build.values["book"]
    cards = sorted((site / "cartes").glob("*.png"))
    assert len(cards) == 1 + len(book.axes) + len(book.proposals)
    for path in cards:
        with Image.open(path) as image:
            assert image.size == (1200, 630), path.name
    with Image.open(site / "cartes" / f"{book.proposals[0].anchor}.png") as image:
        axis = next(a for a in book.axes if book.proposals[0] in a.proposals)
        colour = tuple(int(axis.colour[i:i + 2], 16) for i in (1, 3, 5))
        assert image.convert("RGB").getpixel((20, 20)) == colour   # the part's colour
    # Without web.url in book.yaml, no page claims an address it may not have.
    assert not pages["index.html"].xpath("//link[@rel='canonical'] | //meta[@property='og:image']")


@pytest.fixture(scope="module")
def served(site):
    """The site served over HTTP on the loopback, as any static host would."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _lonely_word(book, fragments) -> tuple[str, str]:
    """A long word that only one proposal's body holds (nowhere else in the book), and that proposal's id.

    Its first five letters are nowhere else either: Pagefind's French stemmer finds « adapter » for
    « adaptation », so a word alone in its form may not be alone in its stem."""
    texts = {key: _text(lxml.html.fromstring(f"<div>{html}</div>")).lower() for key, html in fragments.html.items()}
    for proposal in book.proposals:
        for word in sorted(set(re.findall(r"\b[a-zéèêàç]{10,}\b", texts[f"proposal:{proposal.id}"]))):
            if sum(word[:5] in text for text in texts.values()) == 1:
                return word, proposal.id
    raise AssertionError("no word belongs to one proposal alone")


@pytest.mark.xdist_group("real-files")  # reads the real book's files only: may run on the other worker
@pytest.mark.skipif(CHROMIUM is None or not AXE.is_dir(), reason="make test installs chromium and tools/ace")
def test_in_chromium_axe_finds_nothing_the_filters_count_right_and_the_search_works_offline(real_build, served):
    book, fragments = real_build.values["book"], real_build.values["fragments"].fragments
    word, owner = _lonely_word(book, fragments)
    actor = max(book.actors, key=lambda a: sum(a in p.actors for p in book.proposals))
    axis = book.axes[-1]
    scale = next(iter(book.scales.values()))
    level = scale.levels[0]
    plan = {"pages": ["index.html", f"parties/{axis.id}.html", f"propositions/{book.proposals[0].id}.html",
                      "recapitulatif.html", "chapitres/glossaire.html"],
            "widths": [390, 1280], "word": word,
            "filters": [["acteurs", actor.id], ["partie", axis.id], [scale.key, level.id], ["phare", "oui"]]}
    done = subprocess.run(["node", str(DRIVER), served, json.dumps(plan)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert len(report["axe"]) == 5 * 3 and all(run["passes"] > 20 for run in report["axe"])
    assert [(run["page"], run["width"], run["violations"]) for run in report["axe"] if run["violations"]] == []
    expected = [book.proposals,
                [p for p in book.proposals if actor in p.actors], list(axis.proposals),
                [p for p in book.proposals if p.levels[scale.key] == level], [p for p in book.proposals if p.highlight]]
    assert len(report["filters"]) == len(expected)
    for shown, wanted in zip(report["filters"], expected):
        assert shown["items"] == [str(p.number) for p in wanted], shown["filter"]
        assert shown["status"].startswith(f"{len(wanted)} ") and str(len(book.proposals)) in shown["status"]
    assert len(expected[1]) < len(book.proposals)  # the filter did reduce the list
    assert any(url.endswith(f"propositions/{owner}.html") for url in report["search"]), (word, report["search"])
    assert report["foreign"] == []   # nothing but the site itself was asked for
