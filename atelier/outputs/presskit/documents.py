"""Render stage of the press kit: the book, its fragments and its layout in, the kit's HTML documents out.

The templates live in ``templates/presskit/``; every document then passes the
one HTML stage (:func:`atelier.html.dom.finish`, with its typography) like the
book's. The book's layout is read, never redone, for the one thing only it
knows: the page of each proposal in the book.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ... import palette
from ...charts import Chart
from ...html.markup import Fragments, expand_figures
from ...html.render import Document, book_context, environment, in_running_text, long_date
from ...labels import labels_for
from ...model import Actor, Book, Proposal
from ..layout import PageMap
from ...source.figures import format_figure
from .figures import KeyFigures, key_figures

#: Documents of the kit that become PDFs or pictures, by the name the later stages use.
LAID_OUT = ("dossier", "release", "covers", "cards", "charts")


@dataclass(frozen=True)
class Extract:
    """One audience extract: an actor, its proposals and their pages in the book."""

    actor: Actor
    file: str                        # file name, e.g. "extrait-etat.pdf"
    introduction: str                # plain text, figures expanded
    proposals: tuple[Proposal, ...]
    pages: tuple[int, ...]           # the book's page of each proposal (where it starts)


@dataclass(frozen=True)
class PressDocuments:
    """The kit's HTML documents (``documents`` by name: dossier, release, email, covers, cards, charts)."""

    documents: dict[str, Document]
    figures: KeyFigures
    extracts: tuple[Extract, ...]
    charts: tuple[Chart, ...]


def extracts(book: Book, layout: PageMap) -> tuple[Extract, ...]:
    """The extracts ``book.yaml`` declares, with the book's page of each of their proposals."""
    labels = labels_for(book.meta.language)
    actors = {actor.id: actor for actor in book.actors}
    result = []
    for index, spec in enumerate(book.meta.press.extracts if book.meta.press else ()):
        actor = actors[spec.actor]
        chosen = tuple(p for p in book.proposals if actor in p.actors)
        source = book.sources.get(f"press.extracts.{index}.introduction")
        introduction = expand_figures(source.text, book) if source else labels.plural(
            "presskit.extract_intro", len(chosen), actor=_running(actor.label), total=len(book.proposals))
        result.append(Extract(actor, f"{spec.file or 'extrait-' + actor.id}.pdf", introduction, chosen,
                              tuple(layout.page_of(p.anchor) or 0 for p in chosen)))
    return tuple(result)


def render(book: Book, fragments: Fragments, layout: PageMap, templates_dir: Path,
           stylesheet: str, charts: tuple[Chart, ...]) -> PressDocuments:
    """The kit's documents, not yet finished; ``stylesheet`` is the URL of the kit's CSS, ``charts`` the
    book's charts (the ``charts`` target)."""
    env = environment(templates_dir)
    context = book_context(book, fragments, charts)
    labels = context["labels"]
    press = book.meta.press
    charts = tuple(charts)
    figures = key_figures(book)
    chosen = extracts(book, layout)
    context.update(
        colour=palette.screen, press=press, figures_kit=figures, extracts=chosen, stylesheet=stylesheet,
        press_date=long_date(press.date or book.meta.date, labels),
        notice=labels["presskit.notice"], running=_running,
        # A small count reads in words in a heading: « Les cinq parties en bref ».
        parts_in_words=format_figure(figures.parts, "lettres", figures.proposals, book.meta.language),
        book_page={p.id: layout.page_of(p.anchor) for p in book.proposals if p.highlight},
        matrix=next((c for c in charts if c.id.startswith("matrice-")), None),
        chart_sizes={c.id: _svg_height(c.svg) for c in charts},
        first_paragraph={a.id: _first_paragraph(fragments.html[f"axis:{a.id}"]) for a in book.axes})
    documents = {}
    for name in LAID_OUT + ("email",):
        html = env.get_template(f"presskit/{name}.html").render(**context)
        documents[name] = Document(name=f"{name}.html", title=book.meta.title, html=html, kind=f"presskit-{name}")
    return PressDocuments(documents, figures, chosen, charts)


def render_page(book: Book, fragments: Fragments, press: PressDocuments, files: list[dict],
                templates_dir: Path) -> Document:
    """The press page (``index.html``): every file of the kit with its size, the key figures, the contacts.

    ``files`` are dicts with ``path`` (relative to the kit's folder), ``label``, ``group`` and ``size``.
    """
    env = environment(templates_dir)
    context = book_context(book, fragments, press.charts)
    labels = context["labels"]
    meta_press = book.meta.press
    groups: dict[str, list[dict]] = {}
    for file in files:
        groups.setdefault(file["group"], []).append(file)
    html = env.get_template("presskit/page.html").render(
        **context, press=meta_press, figures_kit=press.figures, groups=groups,
        press_date=long_date(meta_press.date or book.meta.date, labels), notice=labels["presskit.notice"])
    return Document(name="index.html", title=book.meta.title, html=html, kind="presskit-page")


def _running(name: str) -> str:
    """« L'État » → « l'État », « Les entreprises » → « les entreprises », inside a sentence."""
    return in_running_text(name)


def _svg_height(svg: str) -> float:
    """The height of a chart, in millimetres, as its SVG declares it."""
    match = re.search(r'<svg[^>]*\sheight="([\d.]+)mm"', svg)
    return float(match.group(1)) if match else 100.0


def _first_paragraph(html: str) -> str:
    """The first paragraph of a fragment (a part's introduction, in brief), as its XHTML."""
    match = re.search(r"<p\b.*?</p>", html, re.S)
    return match.group(0) if match else ""
