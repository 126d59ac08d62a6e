"""The web family's renderer: the book, its fragments and its charts in, the site's pages out.

One page per chapter, part and proposal, the home page, the list of every proposal with its
filters, the generated sections (summary table, actor index, legal page) and the search page, in
reading order (so the first page that holds an anchor owns it). Every page is named by the edition
(:mod:`atelier.editions.web`); its templates write links to anchors (``#prop-…``), which the HTML
stage points at the page that holds them. The printed book's page of each proposal comes from the
book's page map when the build has one (none in ``check`` and in the preview's first build).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Sequence

from ..editions import Edition
from ..editions.web import ALL_PROPOSALS, HOME, SEARCH
from ..model import Book, Chapter
from .markup import Fragments
from .render import Document, _context, environment, on_white, svg_data_uri

#: Where the site keeps what it adds to the pages: stylesheet, scripts, fonts, cards, downloads.
ASSETS = "assets"
CARDS = "cartes"
DOWNLOADS = "telechargements"
SCRIPTS = ("assets/filtres.js", "assets/recherche.js")
STYLESHEET = "assets/site.css"


@dataclass(frozen=True)
class Download:
    """A file of the book offered on the home page."""

    kind: str     # "pdf", "print", "epub", "presskit": the target that makes it
    path: str     # inside the site
    label: str    # the labels key of its name


def downloads(book: Book) -> list[Download]:
    """The files the site offers: the screen PDF and the EPUB, the printer's PDF when book.yaml asks for
    it (``web.printer_pdf``), the press kit when there is one."""
    slug = book.meta.slug
    found = [Download("pdf", f"{DOWNLOADS}/{slug}.pdf", "web.download_pdf"),
             Download("epub", f"{DOWNLOADS}/{slug}.epub", "web.download_epub")]
    if book.meta.web.printer_pdf:
        found.append(Download("print", f"{DOWNLOADS}/{slug}-imprimeur.pdf", "web.download_print"))
    if book.meta.press is not None:
        found.append(Download("presskit", f"{DOWNLOADS}/kit-presse.zip", "web.download_presskit"))
    return found


def card(anchor: str) -> str:
    """The share card of the page about ``anchor`` (a proposal, a part, or the home page)."""
    return f"{CARDS}/{anchor}.png"


def render_web(edition: Edition, book: Book, fragments: Fragments, charts: Sequence, templates_dir: Path,
               pages=None) -> list[Document]:
    """The site's pages, not yet finished; ``pages`` is the book's page map (or None: no « p. N »)."""
    env = environment(templates_dir)
    context = {**_context(book, fragments, charts), "card_template": edition.template("card-example"),
               "edition": edition, "data_uri": lambda svg: svg_data_uri(on_white(svg)),
               "downloads": downloads(book), "printed_page": _printed_pages(book, pages),
               "axis_of": {p.id: axis for axis in book.axes for p in axis.proposals},
               "has_index": any(not isinstance(item, Chapter) and item.id == "actor-index" for item in book.contents)}
    site = _Site(env, edition, context, book.meta.web.url or "")
    labels = context["labels"]
    documents = [site.page("home", HOME, book.meta.title, "home", card=card(HOME))]
    for item in book.contents:
        if isinstance(item, Chapter):
            documents.append(site.page("chapter", item.anchor, item.title, "chapter", chapter=item))
        elif item.id == "proposals":
            documents += _proposal_pages(site, book, labels)
        elif item.id in ("summary", "actor-index", "legal"):
            documents.append(site.page(f"sections/{item.id}", item.anchor, labels[item.section.title_label],
                                       item.id, section=item.section))
    if book.proposals:
        documents.append(site.page("proposals", ALL_PROPOSALS, labels["web.all_proposals"], "proposals"))
    documents.append(site.page("search", SEARCH, labels["web.search_title"], "search"))
    return documents


def _proposal_pages(site: "_Site", book: Book, labels) -> list[Document]:
    documents = []
    proposals = book.proposals
    for axis in book.axes:
        documents.append(site.page("part", axis.anchor, labels.get("part.numbered_title", number=axis.number,
                                                                   title=axis.title), "axis", axis=axis,
                                   card=card(axis.anchor)))
    for index, proposal in enumerate(proposals):
        title = labels.get("proposal.numbered_title", number=proposal.number, title=proposal.title)
        documents.append(site.page("proposal", proposal.anchor, title, "proposal", p=proposal,
                                   previous=proposals[index - 1] if index else None,
                                   next=proposals[index + 1] if index + 1 < len(proposals) else None,
                                   card=card(proposal.anchor), description=proposal.summary))
    return documents


def _printed_pages(book: Book, pages) -> dict[str, Optional[int]]:
    """The printed book's page of every proposal, by id (empty without a page map)."""
    if pages is None:
        return {}
    return {p.id: pages.page_of(p.anchor) for p in book.proposals}


class _Site:
    """Renders one page of the site with what every page knows: its name, its way back to the root."""

    def __init__(self, env, edition: Edition, context: dict, url: str):
        self.env, self.edition, self.context, self.url = env, edition, context, url

    def page(self, template: str, anchor: str, title: str, kind: str, card: str = "", description: str = "",
             **extra) -> Document:
        """The page of ``anchor``, rendered from ``web/<template>.html``."""
        name = self.edition.file_of(anchor)
        root = "../" * name.count("/")
        address = self.url.rstrip("/") + "/" if self.url else ""
        html = self.env.get_template(self.edition.template(template)).render(
            **self.context, **extra, doc_title=title, page_anchor=anchor, root=root, page_kind=kind,
            canonical=address + ("" if name == "index.html" else name) if address else "",
            card_path=card, card_url=address + card if address and card else "",
            page_description=description or self.context["description"])
        return Document(name=name, title=title, html=html, kind=kind, axis=extra.get("axis"))
