"""The press kit (issues 12 and 21): read from the session's one build (``real_build``), on real files.

Figures are counted again here from the proposals themselves, never taken
from the stage that printed them, so a wrong count in the kit fails.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import tempfile
import threading
import zipfile
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse
from urllib.request import urlopen

import lxml.html
import pypdfium2
import pytest
from PIL import Image
from pypdf import PdfReader

from atelier.html.render import in_running_text
from atelier.html.typography import typeset_text
from kittext import A4, KIT, expected_rows, headline, page_foot, page_text, pdf_pages, plain, says_notice
from pdfoutline import bookmarks

pytestmark = pytest.mark.xdist_group("real-book")  # one worker builds the real book (conftest)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def kit(real_build) -> Path:
    return real_build.out / KIT


@pytest.fixture(scope="module")
def manifest(real_build) -> list[dict]:
    return json.loads((real_build.out / "manifest.json").read_text())["artifacts"]


def test_dossier_is_a_light_a4_pdf_of_8_to_12_pages(kit):
    path = kit / "dossier-de-presse.pdf"
    reader = PdfReader(path)
    assert 8 <= len(reader.pages) <= 12
    assert path.stat().st_size < 2_000_000
    for page in reader.pages:
        assert [round(float(v), 1) for v in page.mediabox[2:]] == [round(v, 1) for v in A4]
    text = plain(" ".join(pdf_pages(path)))
    for words in ("Dossier de presse", "Sommaire", "Communiqué de presse", "Les chiffres clés",
                  "Les propositions phares", "Questions fréquentes", "Contacts presse", "presse@exemple.org",
                  "Sous embargo", "21 novembre 2024"):
        assert words in text, words
    assert says_notice(pdf_pages(path)[0]), "the cover carries the working-edition notice"


def test_dossier_figures_equal_the_data(kit, real_build):
    book = real_build.values["book"]
    text = plain(" ".join(pdf_pages(kit / "dossier-de-presse.pdf")))
    expected_texts = headline(book) + expected_rows(book)
    assert len(expected_texts) > len(book.axes)
    for expected in expected_texts:
        assert expected in text, expected


def test_dossier_lists_the_highlighted_proposals_with_their_book_page(kit, real_build):
    book, layout = real_build.values["book"], real_build.layouts["layout"]
    text = plain(" ".join(pdf_pages(kit / "dossier-de-presse.pdf")))
    highlighted = [p for p in book.proposals if p.highlight]
    assert highlighted
    for p in highlighted:
        assert plain(typeset_text(p.title, "fr")) in text
        assert f"p. {layout.page_of(p.anchor)} du livre blanc" in text
    for p in book.proposals:
        if not p.highlight:
            assert plain(typeset_text(p.title, "fr")) not in text


def test_release_in_three_forms_carries_the_notice_and_the_same_text(kit, real_build):
    folder = kit / "communique"
    total = len(real_build.values["book"].proposals)
    pdf = folder / "communique-de-presse.pdf"
    assert 1 <= len(PdfReader(pdf).pages) <= 2
    forms = {"pdf": " ".join(pdf_pages(pdf)),
             "html": page_text((folder / "communique-de-presse.html").read_text(encoding="utf-8")),
             "txt": (folder / "communique-de-presse.txt").read_text(encoding="utf-8")}
    for name, text in forms.items():
        assert says_notice(text), name
        assert f"{total} propositions pour soutenir l'innovation sociale" in plain(text), name
        assert "presse@exemple.org" in text, name
    lines = forms["txt"].splitlines()
    assert max(len(line) for line in lines) <= 72


def test_release_figures_follow_the_data(kit, real_build):
    book = real_build.values["book"]
    text = plain((kit / "communique" / "communique-de-presse.txt").read_text(encoding="utf-8"))
    parts = {axis.id: len(axis.proposals) for axis in book.axes}
    assert f"{len(book.proposals)} propositions" in text
    assert f"({parts['entreprises']})" in text and f"({parts['citoyens']})" in text
    assert f"{sum(p.levels['cost'].id == 'faible' for p in book.proposals)} propositions sont de coût faible" in text


def test_email_body_has_inline_styles_and_no_external_resource(kit):
    html = (kit / "communique" / "communique-de-presse.html").read_text(encoding="utf-8")
    tree = lxml.html.document_fromstring(html)
    assert not tree.xpath("//img | //link | //script | //style | //iframe | //object | //video | //audio")
    assert not tree.xpath("//@src | //@srcset | //@background")
    assert "url(" not in html and "@import" not in html
    for href in tree.xpath("//a/@href"):
        assert href.startswith(("mailto:", "https://")), href
    text_blocks = tree.xpath("//body//p | //body//h1 | //body//h2 | //body//h3")
    assert text_blocks and all(block.get("style") for block in text_blocks)


def test_social_cards_come_at_three_sizes_for_the_book_and_every_part(kit, real_build):
    """A link preview (1200 × 630), a square post (1080 × 1080) and a vertical one (1080 × 1350), for the
    book and for each part."""
    book = real_build.values["book"]
    folder = kit / "visuels" / "cartes"
    subjects = ["livre"] + [f"partie-{axis.number}-{axis.id}" for axis in book.axes]
    sizes = [(1200, 630), (1080, 1080), (1080, 1350)]
    assert sorted(p.name for p in folder.glob("*.png")) == sorted(
        f"{subject}-{w}x{h}.png" for subject in subjects for w, h in sizes)
    for subject in subjects:
        for size in sizes:
            with Image.open(folder / f"{subject}-{size[0]}x{size[1]}.png") as image:
                assert image.size == size and image.format == "PNG"
                assert len(image.convert("RGB").getcolors(1_000_000) or []) > 10   # text drawn, not a flat field


def test_cover_jpeg_is_print_resolution_and_charts_have_svg_and_png(kit, real_build):
    with Image.open(kit / "visuels" / "couverture-300dpi.jpg") as cover:
        assert cover.size == (2480, 3508)   # A4 at 300 dpi (and so at least 2480 px tall)
        assert round(cover.info["dpi"][0]) == 300
    with Image.open(kit / "visuels" / "couverture-web.jpg") as web:
        assert web.width <= 1600
    charts = kit / "visuels" / "graphiques"
    svgs = sorted(p.stem for p in charts.glob("*.svg"))
    assert "matrice-cout-facilite" in svgs
    assert svgs == sorted(p.stem for p in charts.glob("*.png"))
    captions = (kit / "visuels" / "legendes-et-credits.txt").read_text(encoding="utf-8")
    for path in (kit / "visuels").rglob("*"):
        if path.is_file() and path.suffix != ".txt":
            assert f"visuels/{path.relative_to(kit / 'visuels').as_posix()}" in captions, path
    assert "Crédit" in captions and "Conditions d'utilisation" in plain(captions) and says_notice(captions)


def _bookmarks(reader: PdfReader) -> dict[int, int]:
    """Proposal number → 0-based page index, from the bookmarks « 12. Title »."""
    found = {}
    for title, index in bookmarks(reader):
        match = re.match(r"(\d+)\.\s", title)
        if match:
            found[int(match.group(1))] = index
    return found


def test_each_extract_holds_exactly_its_proposals_on_the_book_pages(kit, real_build):
    """An extract by actor holds the proposals addressed to it; an extract by part (``axis:``) holds the
    whole part: the citizens' extract has n° 48, the part's flagship, which the data addresses to the State."""
    book, layout = real_build.values["book"], real_build.layouts["layout"]
    extracts = book.meta.press.extracts
    assert len(list((kit / "extraits").glob("*.pdf"))) == len(extracts)
    assert any(spec.axis == "citoyens" for spec in extracts)
    for spec in extracts:
        if spec.actor:
            actor = next(a for a in book.actors if a.id == spec.actor)
            mine = [p for p in book.proposals if actor in p.actors]
            name, words = actor.id, plain(in_running_text(actor.label))
        else:
            axis = next(a for a in book.axes if a.id == spec.axis)
            mine = list(axis.proposals)
            name, words = axis.id, plain(axis.title)
        path = kit / "extraits" / f"extrait-{name}.pdf"
        reader = PdfReader(path)
        assert words in plain(reader.metadata.title), reader.metadata.title
        marks = _bookmarks(reader)
        assert sorted(marks) == [p.number for p in mine], name
        texts = pdf_pages(path)
        body = plain(" ".join(texts[min(marks.values()):]))
        for p in book.proposals:
            if p not in mine:
                assert plain(typeset_text(p.title, "fr")) not in body, (name, p.number)
        for p in mine:
            index = marks[p.number]
            page = reader.pages[index]
            # The folio printed at the foot of the page is the book's page of the proposal.
            foot = page_foot(path, index)
            assert str(layout.page_of(p.anchor)) in foot.split(), (name, p.number, foot)
            assert float(page.mediabox[3]) == pytest.approx(A4[1], abs=0.5)
        assert says_notice(texts[0]), "the cover carries the notice"
    citizens = _bookmarks(PdfReader(kit / "extraits" / "extrait-citoyens.pdf"))
    assert next(p.number for p in book.proposals if p.axis_id == "citoyens" and p.highlight) in citizens


def test_each_extract_tags_only_its_own_links(kit):
    """Every link the structure tree of an extract refers to is a link annotation of that extract.

    The book's PDF is written from the same boxes as the extracts; a link an extract leaves out
    once carried the book's annotation into the extract's tags (18 dangling references in one).
    """
    import pikepdf

    linked = 0
    for path in sorted((kit / "extraits").glob("*.pdf")):
        with pikepdf.open(path) as pdf:
            annotations = {a.objgen for page in pdf.pages for a in page.get("/Annots", [])}
            referred = [o.Obj.objgen for o in pdf.objects
                        if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/OBJR"]
        assert set(referred) <= annotations and len(referred) == len(annotations), path.name
        linked += bool(referred)
    assert linked >= 5   # most extracts have links (a part's four proposals may cite none outside it)


def test_zip_holds_every_file_of_the_kit_and_the_book(kit, real_build, manifest):
    with zipfile.ZipFile(kit / "kit-presse.zip") as archive:
        names = set(archive.namelist())
        assert archive.testzip() is None
    on_disk = {p.relative_to(real_build.out).as_posix() for p in kit.rglob("*") if p.is_file()}
    assert names == on_disk - {f"{KIT}/kit-presse.zip"}
    slug = real_build.values["book"].meta.slug
    assert {f"{KIT}/livre/{slug}.pdf", f"{KIT}/livre/{slug}.epub", f"{KIT}/index.html"} <= names


def test_manifest_lists_every_kit_file_with_its_own_kind_and_files_are_0644(kit, real_build, manifest):
    kit_entries = {e["path"]: e for e in manifest if e["path"].startswith(f"{KIT}/")}
    on_disk = {p.relative_to(real_build.out).as_posix() for p in kit.rglob("*") if p.is_file()}
    assert set(kit_entries) == on_disk
    kinds = {e["kind"] for e in kit_entries.values()}
    assert {"presse-dossier", "presse-communique-pdf", "presse-communique-html", "presse-communique-texte",
            "presse-couverture-impression", "presse-couverture-web", "presse-graphique-svg",
            "presse-graphique-png", "presse-carte", "presse-legendes", "presse-extrait", "presse-page",
            "presse-archive", "presse-livre-pdf", "presse-livre-epub", "presse-cle"} == kinds
    assert all(e["output"] == "presskit" for e in kit_entries.values())
    for path in on_disk:
        assert stat.S_IMODE((real_build.out / path).stat().st_mode) == 0o644, path
    for folder in [kit, *[p for p in kit.rglob("*") if p.is_dir()]]:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755, folder


def test_press_page_lists_every_file_with_its_size_figures_contacts_and_notice(kit, real_build):
    book = real_build.values["book"]
    html = (kit / "index.html").read_text(encoding="utf-8")
    tree = lxml.html.document_fromstring(html)
    text = plain(page_text(html))
    links = {unquote(href) for href in tree.xpath("//a/@href") if not href.startswith("mailto:")}
    files = {p.relative_to(kit).as_posix() for p in kit.rglob("*") if p.is_file()} - {"index.html"}
    assert files == links
    for row in tree.xpath("//table[@class='files']//tr[td]"):
        assert re.fullmatch(r"\d+(,\d)? (ko|Mo)", plain(row.xpath("td")[-1].text_content())), row
    zip_size = (kit / "kit-presse.zip").stat().st_size
    shown = f"{zip_size / 1e6:.1f}".replace(".", ",") + " Mo"
    assert shown in text
    for expected in headline(book) + expected_rows(book):
        assert expected in text, expected
    assert "presse@exemple.org" in text and says_notice(text)
    assert not tree.xpath("//script | //link | //iframe") and "http://" not in html


# --- the press page in a browser ---------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BRAND = (0x16, 0x32, 0x4f)   # book.yaml, cover.background
FLAGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


def _chromium(url: str, *extra: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *extra, url],
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def served(kit):
    """The kit's folder served over HTTP on the loopback, as a web server would."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(kit)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.mark.xdist_group("real-files")  # reads the real book's files only: may run on the other worker
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/prerequisites.sh installs it)")
def test_press_page_renders_in_chromium_from_disk_and_served_and_every_link_resolves(kit, served, tmp_path):
    for base in ((kit / "index.html").as_uri(), served + "index.html"):
        dom = lxml.html.document_fromstring(_chromium(base, "--dump-dom"))
        assert dom.xpath("//h1") and "Kit de presse" in dom.text_content()
        hrefs = [a.get("href") for a in dom.xpath("//a[@href]") if not a.get("href").startswith("mailto:")]
        sources = [img.get("src") for img in dom.xpath("//img[@src]")]
        assert hrefs and sources
        for link in hrefs + sources:
            assert not urlparse(link).scheme and not link.startswith("/"), link   # relative: works anywhere
            if base.startswith("file:"):
                assert (kit / unquote(link)).is_file(), link
            else:
                with urlopen(served + link) as answer:
                    assert answer.status == 200, link
    for width, height in ((390, 844), (1280, 900)):
        shot = tmp_path / f"page-{width}.png"
        _chromium((kit / "index.html").as_uri(), f"--window-size={width},{height}", f"--screenshot={shot}")
        with Image.open(shot) as image:
            assert image.size == (width, height)
            colours = image.convert("RGB").getcolors(1_000_000) or []
            assert len(colours) > 50, "the page rendered (text and colours), not a blank window"
            # The page's own style was applied: its header is drawn in the cover's colour, edge to edge.
            band = image.convert("RGB").crop((0, 5, width, 6))
            assert band.getcolors(width) == [(width, BRAND)]


# --- labels that join a preposition to an actor's name (issue 21, item 7) -------------------------

# --- the real kit, item by item (issue 21) ------------------------------------------------------------

#: What the notice says in a picture or a running foot, where the whole notice cannot be printed.
SHORT_NOTICE = ("édition de travail", "pas ceux de la fondation")
#: A short notice in a chart: its words (its ratings and horizons) are this edition's.
CHART_NOTICE = ("édition de travail", "éditeurs de cette édition", "non ceux de la fondation")


def _says(text: str, words) -> bool:
    return all(w in plain(text).lower() for w in words)


def test_every_chart_and_card_carries_the_notice_in_the_picture_and_every_picture_in_its_metadata(kit, real_build):
    """The notice drawn in each chart (SVG text) and each card (at least 14 px tall on a 1200 × 630 card,
    measured on the card's own page); the caption, credit, rights and notice in the XMP of every PNG and
    JPEG, with an sRGB ICC profile."""
    import io

    from PIL import ImageCms

    book = real_build.values["book"]
    visuals = kit / "visuels"
    captions = (visuals / "legendes-et-credits.txt").read_text(encoding="utf-8")
    svgs = sorted((visuals / "graphiques").glob("*.svg"))
    assert len(svgs) >= 4
    for path in svgs:
        words = " ".join(lxml.etree.fromstring(path.read_bytes()).xpath("//*[local-name()='text']/text()"))
        assert _says(words, CHART_NOTICE), path.name
        if path.stem in ("matrice-cout-facilite", "feuille-de-route"):
            assert "les évaluations, les horizons" in plain(words), path.name
    pictures = sorted(p for p in visuals.rglob("*") if p.suffix in (".png", ".jpg"))
    assert len(pictures) == 2 + len(svgs) + 3 * (1 + len(book.axes))
    for path in pictures:
        with Image.open(path) as image:
            xmp = plain(image.info["xmp"].decode("utf-8"))
            profile = ImageCms.ImageCmsProfile(io.BytesIO(image.info["icc_profile"]))
        assert "sRGB" in ImageCms.getProfileDescription(profile), path.name
        entry = captions.split(f"visuels/{path.relative_to(visuals).as_posix()}\n", 1)[1].split("\n\n", 1)[0]
        caption = re.search(r"Légende : (.*) Crédit", plain(entry)).group(1)
        assert caption in xmp and plain(book.meta.rights) in xmp, path.name
        assert "Crédit : « Le Livre blanc de l'innovation sociale »" in xmp and says_notice(xmp), path.name
        assert "<photoshop:Credit>" in xmp and "<xmpRights:UsageTerms>" in xmp and "<photoshop:Instructions>" in xmp
    # On each card, the notice in the picture: its lowercase letters at least 14 px tall on a 1200 × 630 card.
    cards = real_build.values["layout.presskit"]["cards"]
    pdf = pypdfium2.PdfDocument(cards.document.write_pdf())
    try:
        assert len(pdf) == 3 * (1 + len(book.axes))
        for index in range(len(pdf)):
            page = pdf[index]
            text = page.get_textpage()
            words = text.get_text_range()
            assert _says(words, SHORT_NOTICE), index
            start = plain(words).lower().find("édition de travail")
            start = words.replace("\u2019", "'").lower().find("édition de travail")
            heights = []
            for at in range(start, start + len("Édition de travail : ces textes ne sont pas ceux")):
                if words[at] in "acemnorsuvwxz":
                    left, bottom, right, top = text.get_charbox(at)
                    heights.append((top - bottom) * 96 / 72)   # PDF points to the card's pixels
            assert heights and min(heights) >= 14, (index, min(heights))
    finally:
        pdf.close()


def test_the_numbered_charts_come_with_a_key_of_every_number(kit, real_build):
    """The matrix and the roadmap print numbers: a CSV beside them gives each number's title, part, ratings
    and book page, and the pictures say where it is."""
    import csv
    import io

    book, layout = real_build.values["book"], real_build.layouts["layout"]
    raw = (kit / "visuels" / "graphiques" / "cle-des-numeros.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["N°", "Titre", "Partie"]
    assert [(int(r[0]), r[1], int(r[-1])) for r in rows[1:]] == [
        (p.number, p.title, layout.page_of(p.anchor)) for p in book.proposals]
    for name in ("matrice-cout-facilite", "feuille-de-route"):
        svg = (kit / "visuels" / "graphiques" / f"{name}.svg").read_text(encoding="utf-8")
        assert "cle-des-numeros.csv" in svg, name


def test_dossier_and_extract_pages_carry_the_notice_in_their_running_foot(kit, real_build):
    """Every page of the dossier after its cover, and every page of an extract after its cover and its
    table, says in its foot that the texts are not the foundation's (an extract's pages are the book's,
    whose foot gives the edition mention of book.yaml)."""
    mention = real_build.values["book"].meta.edition
    assert mention
    dossier = kit / "dossier-de-presse.pdf"
    count = len(PdfReader(dossier).pages)
    for index in range(1, count):
        assert _says(page_foot(dossier, index), SHORT_NOTICE), ("dossier", index + 1)
    for path in sorted((kit / "extraits").glob("*.pdf")):
        labels = PdfReader(path).page_labels
        for index, label in enumerate(labels):
            if label.isdigit():
                foot = page_foot(path, index)
                assert _says(foot, plain(mention).lower().split()) and label in foot.split(), (path.name, index, foot)


def test_the_release_has_a_headline_figure_a_standfirst_key_messages_with_book_pages_and_no_invented_quote(
        kit, real_build):
    """The release as French practice expects it: the headline gives the figure, a chapô is set apart, three
    to five key messages each name a proposal by its number and its page in the book, « À propos », the
    contacts; no quote since book.yaml gives none; no web address since book.yaml gives no press.url; the
    editors' voice (they rated the proposals and chose the flagship ones)."""
    book, layout = real_build.values["book"], real_build.layouts["layout"]
    by_number = {p.number: p for p in book.proposals}
    email = lxml.html.document_fromstring((kit / "communique" / "communique-de-presse.html").read_text())
    assert str(len(book.proposals)) in email.xpath("string(//h1)")
    assert plain(email.xpath("string(//*[contains(@class, 'release-standfirst')])"))
    messages = email.xpath("//h2[normalize-space()='En bref']/following-sibling::ul[1]/li")
    assert 3 <= len(messages) <= 5
    for item in messages:
        cited = re.findall(r"proposition (\d+), p\. (\d+) du livre blanc", plain(item.text_content()))
        assert cited, item.text_content()
        for number, page in cited:
            assert layout.page_of(by_number[int(number)].anchor) == int(page), (number, page)
    assert email.xpath("//h2[normalize-space()='À propos']") and not email.xpath("//blockquote")
    text = (kit / "communique" / "communique-de-presse.txt").read_text(encoding="utf-8")
    pdf = " ".join(pdf_pages(kit / "communique" / "communique-de-presse.pdf"))
    dossier = " ".join(pdf_pages(kit / "dossier-de-presse.pdf"))
    for form in (text, pdf, dossier):
        assert "En bref" in form and "À propos" in form
        assert "http" not in form and "www." not in form
        assert "La Fondation La France s'engage présente" not in plain(form)
        assert "les éditeurs" in plain(form).lower() and "de cette édition de travail" in plain(dossier)
    assert not email.xpath("//a[starts-with(@href, 'https:')]")


def test_the_email_is_a_600px_table_with_a_hidden_preheader_and_headings_in_order(kit):
    """Outlook for Windows ignores max-width on a div: the body is a 600 px table with inline styles, a
    hidden preheader opens it, and headings never skip a level."""
    tree = lxml.html.document_fromstring((kit / "communique" / "communique-de-presse.html").read_text())
    body = tree.body
    preheader = body[0]
    assert preheader.tag == "div" and "display:none" in preheader.get("style").replace(" ", "")
    assert len(plain(preheader.text_content())) > 40
    table = body.xpath(".//table[@width='600']")
    assert len(table) == 1 and "max-width:600px" in table[0].get("style")
    assert table[0].xpath(".//h1") and all(e.get("style") for e in table[0].xpath(".//td"))
    levels = [int(h.tag[1]) for h in body.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    assert not tree.xpath("//img[not(@alt)]")


def test_the_plain_text_keeps_every_contact_line_apart_and_marks_what_is_missing(kit, real_build):
    text = (kit / "communique" / "communique-de-presse.txt").read_text(encoding="utf-8")
    lines = [plain(line) for line in text.splitlines()]
    assert "médiaspresse@" not in text
    for contact in real_build.values["book"].meta.press.contacts:
        at = lines.index(plain(contact.name))
        block = lines[at:at + 6]
        assert plain(contact.role) in block and contact.email in block, block
        assert "[téléphone : à compléter]" in block and "[personne à joindre : à compléter]" in block, block
    assert "Sous embargo jusqu'au jeudi 21 novembre 2024 à [heure : à compléter] (heure de Paris)" in plain(text)
    assert max(len(line) for line in text.splitlines()) <= 72


def test_extracts_are_labelled_with_the_book_folios_and_a_long_one_opens_with_a_one_page_table(kit, real_build):
    """A viewer shows the book's folio (« 21 ») on an extract's pages; an extract of more than 12 proposals
    has a one-page table of them after its cover, and its cover keeps the notice on its own page."""
    book, layout = real_build.values["book"], real_build.layouts["layout"]
    for path in sorted((kit / "extraits").glob("*.pdf")):
        reader = PdfReader(path)
        labels = reader.page_labels
        marks = _bookmarks(reader)
        first = min(marks.values())
        count = len(marks)
        assert labels[0] == "Couverture" and says_notice(pdf_pages(path)[0])
        assert first == (2 if count > 12 else 1), (path.name, first)
        if count > 12:
            assert labels[1] == "Sommaire"
            table = plain(pdf_pages(path)[1])
            for number in marks:
                p = next(q for q in book.proposals if q.number == number)
                assert plain(typeset_text(p.title, "fr")) in table, (path.name, number)
        for number, index in marks.items():
            page = layout.page_of(next(q for q in book.proposals if q.number == number).anchor)
            assert labels[index] == str(page), (path.name, number, labels[index], page)
        assert all(label.isdigit() for label in labels[first:]), (path.name, labels)


def test_the_press_page_shows_the_release_a_card_for_feeds_and_its_archived_copy_links_only_files_beside_it(
        kit, real_build, tmp_path):
    """The release's text on the page itself; Open Graph and Twitter tags pointing at the book's card; the copy
    of the page inside the zip does not link the zip (it cannot hold itself), and every link it has leads to a
    file of the unzipped folder."""
    book = real_build.values["book"]
    html = (kit / "index.html").read_text(encoding="utf-8")
    tree = lxml.html.document_fromstring(html)
    text = plain(tree.body.text_content())
    email = lxml.html.document_fromstring((kit / "communique" / "communique-de-presse.html").read_text())
    shown = email.xpath("//*[contains(@class, 'release-standfirst')] | //ul/li | //h2")
    assert len(shown) > 8
    for element in shown:   # the chapô, the key messages, every heading of the release
        assert plain(element.text_content()) in text, element.text_content()
    card = tree.xpath("//meta[@property='og:image']/@content")
    assert card == ["visuels/cartes/livre-1200x630.png"] and (kit / card[0]).is_file()
    assert tree.xpath("//meta[@name='twitter:card']/@content") == ["summary_large_image"]
    assert tree.xpath("//meta[@name='twitter:image']/@content") == card
    assert tree.xpath("//meta[@property='og:title']/@content") and tree.xpath("//meta[@property='og:image:alt']")
    assert str(len(book.proposals)) in tree.xpath("string(//meta[@property='og:description']/@content)")
    with zipfile.ZipFile(kit / "kit-presse.zip") as archive:
        archive.extractall(tmp_path)
    copy = tmp_path / KIT / "index.html"
    links = lxml.html.document_fromstring(copy.read_text(encoding="utf-8")).xpath("//a/@href | //img/@src")
    assert "kit-presse.zip" not in links and links
    for link in links:
        if not link.startswith("mailto:"):
            assert (copy.parent / unquote(link)).is_file(), link
    assert "kit-presse.zip" in {unquote(h) for h in tree.xpath("//a/@href")}   # the served page links it


AXE = ROOT / "tools" / "ace" / "node_modules" / "@axe-core" / "puppeteer"


@pytest.mark.xdist_group("real-files")  # reads the real book's files only: may run on the other worker
@pytest.mark.skipif(CHROMIUM is None or not AXE.is_dir(),
                    reason="make test installs @axe-core/puppeteer in tools/ace, and chromium")
def test_the_press_page_has_no_axe_violation_at_390_and_1280_px_and_its_header_aligns_with_its_body(served):
    """axe-core (npm @axe-core/puppeteer, pinned in tools/ace) in Debian's chromium: no violation of any
    impact on a phone and on a desktop; on the desktop the header's text starts where the body's does."""
    done = subprocess.run(["node", str(ROOT / "tests" / "axe_page.js"), served + "index.html", "390", "1280"],
                          capture_output=True, text=True, timeout=180, env={**os.environ, "CHROMIUM": CHROMIUM})
    assert done.returncode == 0, done.stderr[-2000:]
    results = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert [r["width"] for r in results] == [390, 1280]
    for result in results:
        assert result["violations"] == [], result
        assert result["header"] == pytest.approx(result["body"], abs=0.5), result
