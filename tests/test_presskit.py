"""The press kit (issue 12): read from the session's one strict build (``real_build``), on real files.

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
from collections import Counter
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

import build
from atelier.html.render import in_running_text
from atelier.html.typography import typeset_text
from atelier.outputs.publish import Artifact, publish, staging
from pdfoutline import bookmarks

ROOT = Path(__file__).resolve().parents[1]
KIT = "kit-presse"
#: What the working-edition notice must say wherever it is printed (compared without case).
NOTICE = ("édition de travail", "construire et tester", "ne sont pas ceux de la fondation")
A4 = (595.28, 841.89)


def plain(text: str) -> str:
    """Text as a reader sees it: one line, ordinary spaces and apostrophes, no line-end hyphens."""
    text = re.sub(r"[\u00ad\ufffe\u2010-]\s*\n\s*", "", text)
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip()


def says_notice(text: str) -> bool:
    return all(part in plain(text).lower() for part in NOTICE)


def pdf_pages(path: Path) -> list[str]:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


def page_text(html: str) -> str:
    """The words of an HTML document's body, a space between elements (table cells are apart)."""
    return " ".join(lxml.html.document_fromstring(html).body.itertext())


def expected_rows(book) -> list[str]:
    """Every « name value share % » row the key figures must print, counted from the proposals."""
    proposals = book.proposals
    total = len(proposals)

    def row(name, n):
        return plain(f"{typeset_text(name, 'fr')} {n} {round(100 * n / total)} %")

    rows = [row(axis.title, sum(p.axis_id == axis.id for p in proposals)) for axis in book.axes]
    by_actor = Counter(actor.id for p in proposals for actor in p.actors)
    rows += [row(actor.label, by_actor[actor.id]) for actor in book.actors]
    for key in ("cost", "ease"):
        counts = Counter(p.levels[key].id for p in proposals)
        rows += [row(level.label, counts[level.id]) for level in book.scales[key].levels]
    return rows


def headline(book) -> list[str]:
    proposals = book.proposals
    return [f"{len(proposals)} propositions", f"{len(book.axes)} parties", f"{len(book.actors)} acteurs interpellés",
            f"{sum(p.highlight for p in proposals)} propositions phares"]


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
    for expected in headline(book) + expected_rows(book):
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


def test_release_in_three_forms_carries_the_notice_and_the_same_text(kit):
    folder = kit / "communique"
    pdf = folder / "communique-de-presse.pdf"
    assert 1 <= len(PdfReader(pdf).pages) <= 2
    forms = {"pdf": " ".join(pdf_pages(pdf)),
             "html": page_text((folder / "communique-de-presse.html").read_text(encoding="utf-8")),
             "txt": (folder / "communique-de-presse.txt").read_text(encoding="utf-8")}
    for name, text in forms.items():
        assert says_notice(text), name
        assert "Un livre blanc pour soutenir" in plain(text), name
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


def test_social_cards_are_1200_by_630_with_the_part_and_its_count(kit, real_build):
    book = real_build.values["book"]
    cards = sorted((kit / "visuels" / "cartes").glob("*.png"))
    assert len(cards) == len(book.axes)
    for card in cards:
        with Image.open(card) as image:
            assert image.size == (1200, 630)
            assert image.format == "PNG"
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


def test_each_extract_holds_exactly_its_actors_proposals_on_the_book_pages(kit, real_build):
    book, layout = real_build.values["book"], real_build.layouts["layout"]
    extracts = book.meta.press.extracts
    assert len(list((kit / "extraits").glob("*.pdf"))) == len(extracts)
    for spec in extracts:
        actor = next(a for a in book.actors if a.id == spec.actor)
        mine = [p for p in book.proposals if actor in p.actors]
        path = kit / "extraits" / f"extrait-{actor.id}.pdf"
        reader = PdfReader(path)
        assert plain(in_running_text(actor.label)) in plain(reader.metadata.title), reader.metadata.title
        marks = _bookmarks(reader)
        assert sorted(marks) == [p.number for p in mine], actor.id
        texts = pdf_pages(path)
        body = plain(" ".join(texts[min(marks.values()):]))
        for p in book.proposals:
            if actor not in p.actors:
                assert plain(typeset_text(p.title, "fr")) not in body, (actor.id, p.number)
        for p in mine:
            index = marks[p.number]
            page = reader.pages[index]
            # The folio printed at the foot of the page is the book's page of the proposal.
            foot = _foot(path, index)
            assert str(layout.page_of(p.anchor)) in foot.split(), (actor.id, p.number, foot)
            assert float(page.mediabox[3]) == pytest.approx(A4[1], abs=0.5)
        assert says_notice(" ".join(texts[:min(marks.values())])), "the cover carries the notice"


def test_each_extract_tags_only_its_own_links(kit):
    """Every link the structure tree of an extract refers to is a link annotation of that extract.

    The book's PDF is written from the same boxes as the extracts; a link an extract leaves out
    once carried the book's annotation into the extract's tags (18 dangling references in one).
    """
    import pikepdf

    for path in sorted((kit / "extraits").glob("*.pdf")):
        with pikepdf.open(path) as pdf:
            annotations = {a.objgen for page in pdf.pages for a in page.get("/Annots", [])}
            referred = [o.Obj.objgen for o in pdf.objects
                        if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/OBJR"]
        assert referred and set(referred) <= annotations and len(referred) == len(annotations), path.name


def _foot(path: Path, index: int) -> str:
    """The text in the bottom 20 mm of a page (the folio)."""
    document = pypdfium2.PdfDocument(str(path))
    try:
        page = document[index]
        return page.get_textpage().get_text_bounded(bottom=0, top=20 / 25.4 * 72)
    finally:
        document.close()


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
            "presse-archive", "presse-livre-pdf", "presse-livre-epub"} == kinds
    assert all(e["output"] == "presskit" for e in kit_entries.values())
    for path in on_disk:
        assert stat.S_IMODE((real_build.out / path).stat().st_mode) == 0o644, path
    for folder in [kit, *[p for p in kit.rglob("*") if p.is_dir()]]:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755, folder


def test_published_files_are_0644_even_under_a_private_umask(tmp_path):
    out = tmp_path / "out"
    old = os.umask(0o077)
    try:
        with staging(out) as stage:
            publish([Artifact("presse-page", "kit/a/index.html", b"<p>x</p>", "presskit")], out, stage, {"presskit"})
    finally:
        os.umask(old)
    assert stat.S_IMODE((out / "kit" / "a" / "index.html").stat().st_mode) == 0o644
    assert stat.S_IMODE((out / "kit" / "a").stat().st_mode) == 0o755


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


def test_kit_figures_follow_a_change_of_the_data(tmp_path):
    """A proposal moved to another part: the dossier, the release and the press page follow."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    data = content / "propositions.yaml"
    text = data.read_text(encoding="utf-8")
    first = re.search(r"^  - id: [a-z0-9-]+\n    axis: etat\n", text, re.M)
    text = text[:first.start()] + first.group().replace("axis: etat", "axis: citoyens") + text[first.end():]
    data.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert build.main(["presskit", "--content", str(content), "--out", str(out)]) == 0
    book = build.make(content, ["book"])["book"]
    assert {a.id: len(a.proposals) for a in book.axes}["citoyens"] == 5
    kit = out / KIT
    dossier = plain(" ".join(pdf_pages(kit / "dossier-de-presse.pdf")))
    release = plain((kit / "communique" / "communique-de-presse.txt").read_text(encoding="utf-8"))
    page = plain(page_text((kit / "index.html").read_text(encoding="utf-8")))
    for expected in headline(book) + expected_rows(book):
        assert expected in dossier and expected in page, expected
    assert "les citoyens (5)" in release and "collectivités territoriales (12 propositions)" in release


def test_an_extract_for_an_unknown_actor_is_reported_at_its_line(content, run):
    book = content / "book.yaml"
    book.write_text(book.read_text(encoding="utf-8") + (
        "press:\n  contacts:\n    - {name: Presse, email: presse@exemple.org}\n"
        "  extracts:\n    - actor: etta\n"), encoding="utf-8")
    presse = content / "presse"
    presse.mkdir()
    for name in ("communique", "questions", "fondation"):
        (presse / f"{name}.md").write_text("---\ntitle: Titre\n---\n\nTexte.\n", encoding="utf-8")
    code, _, err = run("check", "--content", str(content))
    assert code == 1
    line = book.read_text(encoding="utf-8").splitlines().index("    - actor: etta") + 1
    assert re.search(rf"book\.yaml:{line}:\d+: EXTRAIT-ACTEUR .*« etta ».*Vouliez-vous dire « etat »", err), err


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

def _label_texts(node, key=""):
    """Every string of the labels file, with its dotted key (a plural entry gives both forms)."""
    if isinstance(node, dict):
        for name, value in node.items():
            yield from _label_texts(value, f"{key}.{name}" if key else name)
    elif isinstance(node, str):
        yield key, node


def test_every_label_contracts_a_preposition_before_every_actor():
    """« à les citoyens » is « aux citoyens », « de le monde » is « du monde », wherever a label puts an
    actor's name after a preposition: every label is filled with every actor's name in every place."""
    import string

    import yaml

    from atelier.labels import labels_for

    labels = labels_for("fr")
    actors = [a["label"] for a in yaml.safe_load((ROOT / "content" / "propositions.yaml").read_text())["actors"]]
    actors += ["Le monde associatif", "Les communes"]
    wrong = re.compile(r"(?<![\w'’])(à|de) (le|les) ", re.I)
    checked = 0
    for key, text in _label_texts(labels.entries):
        fields = [(name, spec) for _, name, spec, _ in string.Formatter().parse(text) if name]
        if not fields:
            continue
        for actor in actors:
            for name in (in_running_text(actor), actor):
                values = {field: (1.5 if spec else name) for field, spec in fields}
                filled = labels.fill(text, values)
                assert not wrong.search(filled), (key, filled)
                checked += 1
    assert checked > 100
    assert labels.plural("presskit.extract_intro", 4, actor="les citoyens", total=67).count("aux citoyens") == 1
