"""The press kit of a small publication (issue 21): complete and ready to send, built once for the module
with ``--strict``; its figures follow a change of the data; the kit's settings are checked in an
editor's words. It needs no build of the real book, so it runs beside the tests that read that one.
"""
from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import pytest
from pikepdf import open as pikepdf_open

import build
from atelier.html.render import in_running_text
from atelier.outputs.publish import Artifact, publish, staging
from conftest import BOOK_YAML, INTRO_MD, PROPOSALS_YAML
from kittext import KIT, expected_rows, headline, page_text, pdf_pages, plain

# One worker for the module: it builds the small kit once (fixture « small_kit »).
pytestmark = pytest.mark.xdist_group("small-kit")

ROOT = Path(__file__).resolve().parents[1]


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



def test_kit_figures_follow_a_change_of_the_data(small_kit):
    """A proposal moved to another part: the dossier, the release and the press page follow (the small
    publication of conftest, built once for this module: no second build of the real book)."""
    book, kit = small_kit.book, small_kit.out / KIT
    assert {a.id: len(a.proposals) for a in book.axes} == {"premier": 1, "second": 2}   # moved by the fixture
    dossier = plain(" ".join(pdf_pages(kit / "dossier-de-presse.pdf")))
    release = plain((kit / "communique" / "communique-de-presse.txt").read_text(encoding="utf-8"))
    page = plain(page_text((kit / "index.html").read_text(encoding="utf-8")))
    for expected in headline(book) + expected_rows(book):
        assert expected in dossier and expected in page, expected
    assert "premier axe (1) et le second (2)" in release


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



# --- a small publication's kit, complete and ready to send (issue 21) --------------------------------

SMALL_URL = "https://presse.editeur-essai.fr/petit-livre/"
SMALL_PRESS = f"""\
press:
  date: 2025-01-10
  embargo:
    date: 2025-01-15
    time: "10:00"
    timezone: Europe/Paris
  url: {SMALL_URL}
  quote:
    text: Une phrase que la personne citée a donnée pour cet essai.
    name: Personne citée (essai)
    role: responsable de l'essai
  contacts:
    - name: Service de presse
      person: Personne à joindre (essai)
      role: Relations presse
      email: presse@editeur-essai.fr
      phone: "01 23 45 67 89"
  extracts:
    - actor: communes
    - axis: premier
"""
SMALL_RELEASE = """\
---
title: "[=propositions] propositions pour essayer"
standfirst: "Le petit livre [~paraît|a paru] le 15 janvier 2025 : [=propositions] propositions pour essayer."
key_messages:
  - "Un guichet unique pour les démarches ([@ouvrir-guichet])."
  - "Des agents formés ([@former-agents])."
  - "Des projets financés dans la durée ([@financer-projets|titre])."
about: "Ce communiqué est publié par l'atelier d'essai."
---

Le premier axe ([=axe.premier]) et le second ([=axe.second]) réunissent les propositions.

### Une section

Le livre [~est présenté|a été présenté] le 15 janvier 2025.
"""


def small_content(root: Path, press: str = SMALL_PRESS, release: str = SMALL_RELEASE) -> Path:
    """The small publication of conftest with a press kit; one proposal moved to the second part and a
    second flagship, so that every count differs from the one conftest's data gives."""
    (root / "chapters").mkdir(parents=True)
    (root / "images").mkdir()
    (root / "presse").mkdir()
    (root / "book.yaml").write_text(BOOK_YAML + press, encoding="utf-8")
    data = PROPOSALS_YAML.replace("  - id: former-agents\n    axis: premier\n", "  - id: former-agents\n    axis: second\n")
    data = data.replace("    cost: eleve\n    ease: difficile\n", "    cost: eleve\n    ease: difficile\n    highlight: true\n")
    (root / "propositions.yaml").write_text(data, encoding="utf-8")
    (root / "chapters" / "intro.md").write_text(INTRO_MD, encoding="utf-8")
    (root / "presse" / "communique.md").write_text(release, encoding="utf-8")
    for name, title in (("questions", "Questions fréquentes"), ("fondation", "L'atelier d'essai")):
        (root / "presse" / f"{name}.md").write_text(f"---\ntitle: {title}\n---\n\nUn texte.\n", encoding="utf-8")
    return root


@dataclass(frozen=True)
class SmallKit:
    out: Path
    book: object
    stderr: str


@pytest.fixture(scope="module")
def small_kit(tmp_path_factory) -> SmallKit:
    """The small publication's kit, contacts and embargo complete, built once with --strict."""
    import contextlib
    import io

    root = small_content(tmp_path_factory.mktemp("small") / "content")
    out = root.parent / "out"
    printed = io.StringIO()
    with contextlib.redirect_stderr(printed):
        status = build.main(["presskit", "--strict", "--content", str(root), "--out", str(out)])
    assert status == 0, printed.getvalue()
    return SmallKit(out, build.make(root, ["book"])["book"], printed.getvalue())


def test_a_complete_kit_passes_strict_and_links_its_press_page_and_downloads_in_every_form(small_kit):
    """With ``press.url``, the three forms of the release, the dossier and the press page link the press
    page and each download; a quote given in book.yaml is printed with its author; --strict publishes a kit
    whose contacts and embargo are complete."""
    kit = small_kit.out / KIT
    assert "A-COMPLETER" not in small_kit.stderr and "à compléter" not in (kit / "index.html").read_text()
    downloads = [SMALL_URL] + [SMALL_URL + path for path in (
        "dossier-de-presse.pdf", "communique/communique-de-presse.pdf", "livre/petit-livre.pdf",
        "livre/petit-livre.epub", "kit-presse.zip")]
    text = (kit / "communique" / "communique-de-presse.txt").read_text(encoding="utf-8")
    email = lxml.html.document_fromstring((kit / "communique" / "communique-de-presse.html").read_text())
    page = lxml.html.document_fromstring((kit / "index.html").read_text())
    for url in downloads:
        assert url in text, url
        assert email.xpath(f"//a[@href='{url}']"), url
    for name in ("dossier-de-presse.pdf", "communique/communique-de-presse.pdf"):
        with pikepdf_open(kit / name) as pdf:
            uris = {str(a.A.URI) for page_ in pdf.pages for a in page_.get("/Annots", []) if "/A" in a and "/URI" in a.A}
        assert set(downloads) <= uris, (name, uris)
    assert page.xpath("//meta[@property='og:url']/@content") == [SMALL_URL]
    assert page.xpath("//meta[@property='og:image']/@content") == [SMALL_URL + "visuels/cartes/livre-1200x630.png"]
    assert page.xpath(f"//a[@href='{SMALL_URL}']")
    # The quote, only because book.yaml gives it, with its author and role, in every form.
    quote = "Une phrase que la personne citée a donnée pour cet essai."
    assert quote in plain(text) and "Personne citée (essai), responsable de l'essai" in plain(text)
    assert email.xpath("//blockquote") and page.xpath("//blockquote")
    assert quote in plain(" ".join(pdf_pages(kit / "communique" / "communique-de-presse.pdf")))


def test_the_embargo_has_a_date_an_hour_and_a_zone_and_the_tense_follows_it(small_kit, tmp_path):
    """« Sous embargo jusqu'au mercredi 15 janvier 2025 à 10 h (heure de Paris) »; the texts read at the
    embargo: the first form of [~…|…] on the publication's day, the second once it is past."""
    kit = small_kit.out / KIT
    text = plain((kit / "communique" / "communique-de-presse.txt").read_text(encoding="utf-8"))
    assert "Paris, le 10 janvier 2025" in text
    assert "Sous embargo jusqu'au mercredi 15 janvier 2025 à 10 h (heure de Paris)" in text
    assert "Le petit livre paraît le 15 janvier 2025" in text and "Le livre est présenté le 15 janvier" in text
    later = small_content(tmp_path / "content", SMALL_PRESS.replace("date: 2025-01-15", "date: 2025-01-20"))
    fragments = build.make(later, ["fragments"])["fragments"].fragments
    assert "Le livre a été présenté le 15 janvier" in fragments.html["press:release"]
    assert "Le petit livre a paru le 15 janvier" in fragments.html["press:standfirst"]


def test_strict_refuses_to_publish_a_kit_whose_contacts_or_embargo_are_placeholders(tmp_path, run):
    """An example address, a contact without phone or person, an embargo without its hour: a draft prints
    « à compléter » (see the real kit), --strict stops at the line of each in book.yaml, before any
    layout, and publishes nothing."""
    press = SMALL_PRESS.replace('    time: "10:00"\n', "").replace("presse@editeur-essai.fr", "presse@exemple.org")
    press = press.replace('      phone: "01 23 45 67 89"\n', "")
    root = small_content(tmp_path / "content", press)
    code, out, err = run("presskit", "--strict", "--content", str(root), "--out", str(tmp_path / "out"))
    assert code == 1
    # Stopped at once, before the book is laid out: the editor is told in a second, not after the whole build.
    assert "contenu validé" in out and "mise en pages" not in out, out
    lines = (root / "book.yaml").read_text(encoding="utf-8").splitlines()
    contact = lines.index("    - name: Service de presse") + 1
    embargo = lines.index("  embargo:") + 1
    assert re.search(rf"book\.yaml:{contact}:\d+: CONTACT-A-COMPLETER .*téléphone.*adresse réelle", err), err
    assert re.search(rf"book\.yaml:{embargo}:\d+: EMBARGO-A-COMPLETER .*heure", err), err
    assert not (tmp_path / "out" / KIT).exists()


def test_release_and_extract_settings_are_checked_at_their_line_in_an_editors_words(tmp_path, run):
    """An hour that is not one, a field the quote does not have (the schema: unknown keys stay errors); an
    extract with both an actor and a part, a key message that names no proposal: each at its file and line."""
    press = SMALL_PRESS.replace('time: "10:00"', 'time: "25:00"').replace(
        "    role: responsable de l'essai\n", "    role: responsable de l'essai\n    photo: portrait.jpg\n")
    root = small_content(tmp_path / "schema", press)
    code, _, err = run("check", "--content", str(root))
    assert code == 1
    book = (root / "book.yaml").read_text(encoding="utf-8").splitlines()
    hour, photo = (book.index(line) + 1 for line in ('    time: "25:00"', "    photo: portrait.jpg"))
    assert re.search(rf"book\.yaml:{hour}:\d+: VALEUR-INVALIDE .*HH:MM", err), err
    assert re.search(rf"book\.yaml:{photo}:\d+: CHAMP-INCONNU .*« photo »", err), err

    press = SMALL_PRESS.replace("    - axis: premier\n", "    - axis: premier\n      actor: etat\n").replace(
        "date: 2025-01-15", "date: 2025-01-05").replace("Europe/Paris", "Europe/Lutece")
    release = SMALL_RELEASE.replace("Des agents formés ([@former-agents]).", "Des agents formés.")
    root = small_content(tmp_path / "meaning", press, release)
    code, _, err = run("check", "--content", str(root))
    assert code == 1
    book = (root / "book.yaml").read_text(encoding="utf-8").splitlines()
    both, lifted, zone = (book.index(line) + 1 for line in (
        "    - axis: premier", "    date: 2025-01-05", "    timezone: Europe/Lutece"))
    assert re.search(rf"book\.yaml:{both}:\d+: EXTRAIT-CIBLE .*« actor: … ».*« axis: … »", err), err
    assert re.search(rf"book\.yaml:{lifted}:\d+: EMBARGO-DATE .*avant la date du communiqué", err), err
    assert re.search(rf"book\.yaml:{zone}:\d+: EMBARGO-FUSEAU .*« Europe/Lutece »", err), err
    communique = (root / "presse" / "communique.md").read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(communique, 1) if "Des agents formés." in text)
    assert re.search(rf"communique\.md:{line}:\d+: MESSAGE-SANS-PROPOSITION ", err), err




def _kit_build(project: Path, content: Path, out: Path, cache: Path) -> tuple[set, dict]:
    """``build.py presskit`` in ``project`` with the cache ``cache``: the targets it made, and each kit
    file's sha256 by kind and path."""
    import hashlib
    import json
    import sys

    import starter

    done = starter.run([sys.executable, str(project / "build.py"), "presskit", "--content", str(content),
                        "--out", str(out)], capture_output=True, text=True, cwd=project,
                       env={**os.environ, "ATELIER_CACHE": str(cache)})
    assert done.returncode == 0, done.stderr
    made = next(line for line in done.stdout.splitlines() if line.startswith("refait : "))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
    files = {(e["kind"], e["path"]): hashlib.sha256((out / e["path"]).read_bytes()).hexdigest() for e in manifest}
    return set(made.removeprefix("refait : ").split(", ")), files


def test_an_epub_stylesheet_edit_lays_out_and_draws_nothing_of_the_kit_again(tmp_path):
    """The kit's drawings (dossier, release, charts, cards) are kept apart from its files: an edit that
    reaches only the kit's copy of the EPUB makes that copy, the press page and the zip again, and
    lays out and draws nothing (the kit's layouts took 2.5 s of the real book's 4.4 s build)."""
    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    content = small_content(tmp_path / "content")
    first, before = _kit_build(project, content, tmp_path / "out-0", tmp_path / "cache")
    assert {"layout.presskit", "presskit.drawn", "presskit"} <= first
    with (project / "styles" / "epub" / "book.css").open("a", encoding="utf-8") as css:
        css.write("\n.edited { color: black; }\n")
    made, after = _kit_build(project, content, tmp_path / "out-1", tmp_path / "cache")
    assert {"epub", "presskit"} <= made
    assert not {"layout", "layout.presskit", "presskit.drawn", "presskit.book", "pdf"} & made, made
    changed = {path for key, path in before if before[key, path] != after.get((key, path))}
    # The press page too when the EPUB's size in kilobytes moved.
    assert changed - {f"{KIT}/index.html"} == {f"{KIT}/livre/petit-livre.epub", f"{KIT}/kit-presse.zip"}, changed
    drawn = [key for key in before if key[0] in ("presse-dossier", "presse-communique-pdf", "presse-graphique-png",
                                                 "presse-carte")]
    assert drawn and all(before[key] == after[key] for key in drawn)
