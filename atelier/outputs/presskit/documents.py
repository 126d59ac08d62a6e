"""Render stage of the press kit: the book, its fragments and its layout in, the kit's HTML documents out.

The templates live in ``templates/presskit/``; every document then passes the
one HTML stage (:func:`atelier.html.dom.finish`, with its typography) like the
book's. The book's layout is read, never redone, for the one thing only it
knows: the page of each proposal in the book, which every citation of a
proposal in the kit's texts prints (« proposition 5, p. 25 du livre blanc »).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional
from urllib.parse import quote

import lxml.etree
import lxml.html
from markupsafe import Markup, escape

from ... import palette
from ...charts import Chart, with_footer
from ...sections import SECTIONS
from ...html.markup import Fragments, expand_figures
from ...html.render import Document, book_context, environment, in_running_text, long_date
from ...labels import Labels, labels_for
from ...model import Actor, Axis, Book, Proposal
from ..layout import PageMap
from ...source.figures import format_figure
from .figures import KeyFigures, key_figures
from .placeholders import TODO_CLASS, is_example_address

#: Documents of the kit that become PDFs or pictures, by the name the later stages use.
LAID_OUT = ("dossier", "release", "covers", "cards", "charts", "foot")
#: An extract of more proposals than this opens with a one-page table of them, after its cover.
SUMMARY_AFTER = 12


def files(book: Book, labels: Labels) -> dict[str, str]:
    """Where the kit puts the files its texts name (paths inside the kit's folder)."""
    slug = book.meta.slug
    return {"page": "index.html", "dossier": "dossier-de-presse.pdf",
            "release_pdf": "communique/communique-de-presse.pdf",
            "release_html": "communique/communique-de-presse.html",
            "release_txt": "communique/communique-de-presse.txt",
            "zip": labels["presskit.zip"], "book_pdf": f"livre/{slug}.pdf", "book_epub": f"livre/{slug}.epub",
            "card": "visuels/cartes/livre-1200x630.png", "captions": "visuels/legendes-et-credits.txt",
            "key": "visuels/graphiques/cle-des-numeros.csv"}


@dataclass(frozen=True)
class Extract:
    """One extract: an actor's proposals or a part's, and their pages in the book."""

    actor: Optional[Actor]           # the audience, for an extract by actor
    axis: Optional[Axis]             # the part, for an extract by part
    file: str                        # file name, e.g. "extrait-etat.pdf"
    title: str                       # « Les propositions pour l'État », « Partie 4 : Les citoyens »
    introduction: str                # plain text, figures expanded
    proposals: tuple[Proposal, ...]
    pages: tuple[int, ...]           # the book's page of each proposal (where it starts)

    @property
    def id(self) -> str:
        """The actor's or the part's id (the anchor of its cover in the covers' layout)."""
        return self.actor.id if self.actor is not None else f"partie-{self.axis.id}"

    @property
    def summary(self) -> bool:
        """Whether a one-page table of its proposals follows its cover."""
        return len(self.proposals) > SUMMARY_AFTER


#: The social cards' sizes, in pixels: a link preview (Open Graph), a square post, a vertical post.
CARD_SIZES = ((1200, 630), (1080, 1080), (1080, 1350))


@dataclass(frozen=True)
class Card:
    """One social card: the book's or a part's, at one size."""

    axis: Optional[Axis]             # None: the book's card
    width: int
    height: int

    @property
    def name(self) -> str:
        """Its file name in ``visuels/cartes/``."""
        subject = f"partie-{self.axis.number}-{self.axis.id}" if self.axis is not None else "livre"
        return f"{subject}-{self.width}x{self.height}.png"

    @property
    def format(self) -> str:
        """Its CSS page: card-1200x630…"""
        return f"card-{self.width}x{self.height}"


def cards(book: Book) -> tuple[Card, ...]:
    """Every social card, in the order of the cards' layout: the book's, then each part's, at each size."""
    return tuple(Card(axis, width, height) for axis in (None, *book.axes) for width, height in CARD_SIZES)


@dataclass(frozen=True)
class Link:
    """A file of the kit as its texts name it: what it is, its path in the kit, its public address."""

    label: str
    path: str
    url: str                         # "" when book.yaml gives no press.url


@dataclass(frozen=True)
class PressDocuments:
    """The kit's HTML documents (``documents`` by name: dossier, release, email, covers, cards, charts)."""

    documents: dict[str, Document]
    figures: KeyFigures
    extracts: tuple[Extract, ...]
    charts: tuple[Chart, ...]
    release: str = ""                # the release's body as the press page shows it (XHTML, headings from h3)
    links: tuple[Link, ...] = ()
    cards: tuple[Card, ...] = ()
    key: str = ""                    # every proposal by number, as CSV: the key of the charts of numbers
    texts: tuple[tuple[str, str], ...] = ()   # the press texts' XHTML by key (« press:… »), citations with pages


def extracts(book: Book, layout: PageMap) -> tuple[Extract, ...]:
    """The extracts ``book.yaml`` declares, with the book's page of each of their proposals."""
    labels = labels_for(book.meta.language)
    actors = {actor.id: actor for actor in book.actors}
    axes = {axis.id: axis for axis in book.axes}
    result = []
    for index, spec in enumerate(book.meta.press.extracts if book.meta.press else ()):
        source = book.sources.get(f"press.extracts.{index}.introduction")
        if spec.actor is not None:
            actor, axis = actors[spec.actor], None
            chosen = tuple(p for p in book.proposals if actor in p.actors)
            title = labels.get("presskit.extract_title", actor=_running(actor.label))
            default = labels.plural("presskit.extract_intro", len(chosen), actor=_running(actor.label),
                                    total=len(book.proposals))
        else:
            actor, axis = None, axes[spec.axis]
            chosen = axis.proposals
            title = labels.get("presskit.extract_title_axis", number=axis.number, title=axis.title)
            default = labels.plural("presskit.extract_intro_axis", len(chosen), number=axis.number,
                                    title=axis.title, total=len(book.proposals))
        introduction = expand_figures(source.text, book) if source else default
        name = spec.file or f"extrait-{spec.actor or spec.axis}"
        result.append(Extract(actor, axis, f"{name}.pdf", title, introduction, chosen,
                              tuple(layout.page_of(p.anchor) or 0 for p in chosen)))
    return tuple(result)


def links(book: Book, labels: Labels) -> tuple[Link, ...]:
    """The files the kit's texts name, with their public address when ``press.url`` is given."""
    where = files(book, labels)
    base = book.meta.press.url if book.meta.press else None
    if base and not base.endswith("/"):
        base += "/"
    shown = [("page", labels["presskit.links.page"]), ("dossier", labels["presskit.links.dossier"]),
             ("release_pdf", labels["presskit.links.release_pdf"]), ("book_pdf", labels["presskit.links.book_pdf"]),
             ("book_epub", labels["presskit.links.book_epub"]), ("zip", labels["presskit.links.zip"])]
    return tuple(Link(label, where[key], (base + ("" if key == "page" else quote(where[key]))) if base else "")
                 for key, label in shown)


def render(book: Book, fragments: Fragments, layout: PageMap, templates_dir: Path,
           stylesheet: str, charts: tuple[Chart, ...], foot_stylesheets: tuple[str, ...] = ()) -> PressDocuments:
    """The kit's documents, not yet finished; ``stylesheet`` is the URL of the kit's CSS, ``charts`` the
    book's charts (the ``charts`` target), ``foot_stylesheets`` those of the foot of an extract's pages
    (the book's, then the foot's own)."""
    env = environment(templates_dir)
    context = book_context(book, fragments, charts)
    labels = context["labels"]
    press = book.meta.press
    charts = tuple(charts)
    figures = key_figures(book)
    chosen = extracts(book, layout)
    pages = {p.anchor: layout.page_of(p.anchor) for p in book.proposals}
    charts = tuple(with_footer(chart, chart_notes(book, chart, labels, layout), book.meta.language)
                   for chart in charts)
    social = cards(book)
    html = {key: Markup(_with_book_pages(value, pages, labels)) if key.startswith("press:") else value
            for key, value in context["html"].items()}
    kit_links = links(book, labels)
    context.update(
        html=html, colour=palette.screen, press=press, figures_kit=figures, extracts=chosen, stylesheet=stylesheet,
        charts=charts, cards=social, notice_picture=labels["presskit.notice_picture"],
        foot_stylesheets=foot_stylesheets,
        press_date=long_date(press.date or book.meta.date, labels), embargo=embargo_text(book, labels),
        notice=labels["presskit.notice"], notice_short=labels["presskit.notice_short"], running=_running,
        release=book.release, release_title=expand_figures(book.release.headline.text, book)
        if book.release else book.press["release"].title,
        release_body=lambda level: Markup(headings_from(html["press:release"], level)),
        release_body_of=lambda key, level: Markup(headings_from(html[key], level)),
        quote=press.quote, links=kit_links, preheader=_preheader(html.get("press:standfirst"), fragments), press_url=kit_links[0].url, todo=todo, contact=contact_lines,
        # A small count reads in words in a heading: « Les cinq parties en bref ».
        parts_in_words=format_figure(figures.parts, "lettres", figures.proposals, book.meta.language),
        book_page={p.id: layout.page_of(p.anchor) for p in book.proposals if p.highlight},
        matrix=next((c for c in charts if c.id.startswith("matrice-")), None),
        chart_sizes={c.id: _svg_height(c.svg) for c in charts},
        first_paragraph={a.id: _first_paragraph(fragments.html[f"axis:{a.id}"]) for a in book.axes})
    documents = {}
    for name in LAID_OUT + ("email",):
        rendered = env.get_template(f"presskit/{name}.html").render(**context)
        documents[name] = Document(name=f"{name}.html", title=book.meta.title, html=rendered, kind=f"presskit-{name}")
    return PressDocuments(documents, figures, chosen, charts, headings_from(html["press:release"], 3), kit_links,
                          social, number_key(book, labels, layout),
                          tuple((key, str(value)) for key, value in html.items() if key.startswith("press:")))


def render_page(book: Book, fragments: Fragments, press: PressDocuments, files_listed: list[dict],
                templates_dir: Path, in_archive: bool = False) -> Document:
    """The press page (``index.html``): the release, every file of the kit with its size, the key figures,
    the contacts. ``in_archive``: the copy inside the zip, which cannot link the zip it is in.

    ``files_listed`` are dicts with ``path`` (relative to the kit's folder), ``label``, ``group`` and ``size``.
    """
    env = environment(templates_dir)
    context = book_context(book, fragments, press.charts)
    labels = context["labels"]
    meta_press = book.meta.press
    where = files(book, labels)
    groups: dict[str, list[dict]] = {}
    for file in files_listed:
        groups.setdefault(file["group"], []).append(file)
    base = press.links[0].url if press.links else ""
    texts = {key: Markup(value) for key, value in press.texts}
    html = env.get_template("presskit/page.html").render(
        **{**context, "html": {**context["html"], **texts}}, press=meta_press, links=press.links, figures_kit=press.figures, groups=groups, in_archive=in_archive,
        press_date=long_date(meta_press.date or book.meta.date, labels), embargo=embargo_text(book, labels),
        notice=labels["presskit.notice"], release=book.release, todo=todo, contact=contact_lines,
        release_title=expand_figures(book.release.headline.text, book) if book.release
        else book.press["release"].title, quote=meta_press.quote,
        release_body=lambda level: Markup(headings_from(texts["press:release"], level)),
        press_url=base, card=where["card"], card_url=(base + where["card"]) if base else where["card"])
    return Document(name="index.html", title=book.meta.title, html=html, kind="presskit-page")


# --- words built from the data --------------------------------------------------------------

#: The charts whose marks are proposal numbers: they come with a key (number → title).
NUMBERED = ("matrice-", "feuille-de-route", "propositions-par-horizon")


def chart_notes(book: Book, chart: Chart, labels: Labels, layout: PageMap) -> list[str]:
    """What a chart of the kit says under itself, wherever it is republished: the working-edition notice
    and its credit, and, for a chart of proposal numbers, where to find what each number is."""
    # A chart of counts (per part, per actor) shows no rating of the editors; the others do.
    counts = chart.id in ("propositions-par-partie", "propositions-par-acteur")
    notes = [labels.get("presskit.chart_notice_counts" if counts else "presskit.chart_notice",
                        credit=credit(book, labels))]
    if chart.id.startswith(NUMBERED):
        summary = SECTIONS["summary"].anchor
        page = layout.page_of(summary) if any(getattr(i, "id", "") == "summary" for i in book.contents) else None
        key = labels.get("presskit.chart_key", file=files(book, labels)["key"].rsplit("/", 1)[-1])
        notes.append(f"{key} {labels.get('presskit.chart_key_page', page=page)}" if page else f"{key}.")
    return notes


def number_key(book: Book, labels: Labels, layout: PageMap) -> str:
    """Every proposal by number, one row each: its title, its part, its level on every scale, whether it is
    a flagship, its page in the book. CSV for a spreadsheet set to French (« ; » between fields, a byte order
    mark so that the accents read right), the key of the charts whose marks are numbers."""
    import csv
    import io

    headers = labels["presskit.key_headers"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([headers["number"], headers["title"], headers["part"],
                     *(scale.label for scale in book.scales.values()), headers["highlight"], headers["page"]])
    axes = {axis.id: axis for axis in book.axes}
    for p in book.proposals:
        writer.writerow([p.number, p.title, f"{axes[p.axis_id].number}. {axes[p.axis_id].title}",
                         *(p.levels[key].label for key in book.scales), headers["yes"] if p.highlight else "",
                         layout.page_of(p.anchor) or ""])
    return "\ufeff" + buffer.getvalue()


def credit(book: Book, labels: Labels) -> str:
    """« Crédit : « Title », publisher, year. »"""
    return labels.get("presskit.credit", publisher=book.meta.publisher, title=book.meta.title,
                      year=book.meta.date.year)


def embargo_text(book: Book, labels: Labels) -> str:
    """« Sous embargo jusqu'au jeudi 21 novembre 2024 à 10 h (heure de Paris) », or "" without an embargo.

    An embargo without its hour says so where the hour goes: « … à [heure : à compléter] … »."""
    press = book.meta.press
    embargo = press.embargo if press else None
    if embargo is None:
        return ""
    day = labels.get("dates.weekdays").split()[embargo.date.weekday()]
    if embargo.time:
        hour, minute = (int(part) for part in embargo.time.split(":"))
        time = labels.get("dates.time" if minute else "dates.hour", hour=hour, minute=f"{minute:02d}")
    else:
        time = labels.get("presskit.todo", what=labels["presskit.todo_embargo_time"])
    zones = labels["presskit.timezones"]
    zone = zones.get(embargo.timezone, embargo.timezone)
    return labels.get("presskit.embargo", date=f"{day} {long_date(embargo.date, labels)}", time=time, zone=zone)


def todo(text: str) -> Markup:
    """``text`` escaped, every « [… à compléter] » in it marked, so a draft shows what is missing."""
    escaped = str(escape(text))
    return Markup(re.sub(r"\[[^\[\]]*\]", lambda m: f'<span class="{TODO_CLASS}">{m.group(0)}</span>', escaped))


def contact_lines(contact, labels: Labels) -> list[tuple[str, str]]:
    """A contact as the kit prints it, one line each: (kind, text). Kinds: name, person, role, email, phone;
    a missing person or phone, or an example address, reads « [… : à compléter] »."""
    lines = [("name", contact.name)]
    lines.append(("person", contact.person or labels.get("presskit.todo", what=labels["presskit.todo_person"])))
    if contact.role:
        lines.append(("role", contact.role))
    lines.append(("email", contact.email))
    if is_example_address(contact.email):
        lines.append(("note", labels.get("presskit.todo", what=labels["presskit.todo_email"])))
    lines.append(("phone", contact.phone or labels.get("presskit.todo", what=labels["presskit.todo_phone"])))
    return lines


def headings_from(html: str, level: int) -> str:
    """``html`` (a fragment) with its headings renumbered so that its highest is ``h{level}``: a text's
    sections come right under the heading of the document that holds it, never a level below."""
    found = [int(n) for n in re.findall(r"<h([1-6])\b", html)]
    if not found:
        return html
    shift = level - min(found)
    return re.sub(r"<(/?)h([1-6])\b", lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}", html)


def _with_book_pages(html: str, pages: dict[str, Optional[int]], labels: Labels) -> str:
    """A press text with each citation of a proposal printed as the kit prints it: its number and its page
    in the book (« proposition 5, p. 25 du livre blanc »), as text, since the kit's documents do not hold
    the proposals themselves (the « court » form stays the number alone)."""
    if "xref" not in html:
        return html
    parts = lxml.html.fragments_fromstring(html)
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(str(escape(part)))
            continue
        for link in part.xpath(".//a[contains(concat(' ', @class, ' '), ' xref') "
                               "or contains(concat(' ', @class, ' '), ' xref-short ')]"):
            anchor = (link.get("href") or "#")[1:]
            short = "xref-short" in (link.get("class") or "").split()
            link.tag = "span"
            link.set("class", "kit-citation")
            for name in ("href", "data-page-ref"):
                link.attrib.pop(name, None)
            if not short and pages.get(anchor):
                page = lxml.html.Element("span", {"class": "kit-citation-page"})
                page.text = ", " + labels.get("presskit.book_page", page=pages[anchor])
                link.append(page)
        out.append(lxml.etree.tostring(part, method="xml", encoding="unicode", with_tail=False))
    return "\n".join(out)


def _preheader(standfirst: Optional[str], fragments: Fragments) -> str:
    """The line a mail reader shows after the subject: the chapô's words (else the description), one line."""
    text = lxml.html.fromstring(f"<div>{standfirst}</div>").text_content() if standfirst else fragments.description
    return re.sub(r"\s+", " ", text).strip()


def _running(name: str) -> str:
    """« L'État » → « l'État », « Les entreprises » → « les entreprises », inside a sentence."""
    return in_running_text(name)


def _svg_height(svg: str) -> float:
    """The height of a chart, in millimetres, as its SVG declares it."""
    match = re.search(r'<svg[^>]*\sheight="([\d.]+)mm"', svg)
    return float(match.group(1)) if match else 100.0


def _first_paragraph(html: str) -> str:
    """The first paragraph of a fragment (a part's introduction, in brief), as its XHTML, without
    its note calls: the notes stay in the book, and a call to nothing would be a dead link."""
    import lxml.html

    paragraphs = lxml.html.fragment_fromstring(html, create_parent="div").findall(".//p") if html.strip() else []
    if not paragraphs:
        return ""
    paragraph = paragraphs[0]
    for call in paragraph.xpath(".//sup[a[contains(concat(' ', @class, ' '), ' footnote-ref ')]]"):
        call.drop_tree()
    return lxml.html.tostring(paragraph, encoding="unicode")

