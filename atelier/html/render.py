"""Render stage: Jinja2 templates turn the book and its HTML fragments into documents.

One template family per output lives in ``templates/<family>/`` beside a
shared ``templates/base/``; each generated section has its template in
``<family>/sections/`` (see :mod:`atelier.sections`). Each family has its
renderer (:mod:`atelier.html.renderers` picks it from the edition), and the
edition names the documents (:mod:`atelier.editions`). The environment is
strict: an undefined name in a template is an error, and every value is
escaped unless it is an HTML fragment produced by the markup stage.
Interface words come from the labels file of the publication's language.
The charts arrive computed (the ``charts`` target): the renderers only place them.
"""
from __future__ import annotations

import base64
import dataclasses
import re

from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

import jinja2
import lxml.etree
from markupsafe import Markup

from .. import anchors, palette
from ..editions import Edition
from ..editions.epub import COVER_FILE, EPUB, NAV_FILE
from ..labels import Labels, labels_for
from ..model import Axis, Book, Chapter
from ..palette import Palette
from ..sections import aria_role
from .markup import CARD_SLOT, Fragments

SVG = "http://www.w3.org/2000/svg"


@dataclass(frozen=True)
class Document:
    """One complete (X)HTML document of an output."""

    name: str          # file name inside the output (e.g. "axe-etat.xhtml")
    title: str
    html: str
    kind: str          # "chapter", "axis", "nav", "cover" or a generated section's id
    role: str = "front"  # "front", "body" or "back": where it sits in the book
    axis: Optional[Axis] = None  # the part an "axis" document holds
    resources: tuple[str, ...] = ()  # content files it uses, relative to the content folder
    files: tuple[tuple[str, bytes], ...] = ()  # files the pipeline made for it (the EPUB's charts): (path, bytes)


@dataclass(frozen=True)
class Entry:
    """One line of the book's outline: the table of contents, the EPUB navigation, the bookmarks."""

    title: str
    anchor: str
    kind: str                       # "chapter", "section", "axis" or "proposal"
    home: str                       # the anchor of the section that holds it (its EPUB file)
    number: Optional[int] = None
    children: tuple["Entry", ...] = field(default_factory=tuple)

    @property
    def epub_href(self) -> str:
        """Where it is in the EPUB: its file, and its anchor inside that file."""
        file = EPUB.file(self.home)
        return file if self.anchor == self.home else f"{file}#{self.anchor}"


def outline(book: Book, labels: Labels) -> list[Entry]:
    """The book's sections in reading order, parts holding their proposals."""
    entries = []
    for item in book.contents:
        if isinstance(item, Chapter):
            entries.append(Entry(item.title, item.anchor, "chapter", item.anchor))
        elif item.id == "proposals":
            entries += [Entry(axis.title, axis.anchor, "axis", axis.anchor, axis.number, tuple(
                Entry(p.title, p.anchor, "proposal", axis.anchor, p.number) for p in axis.proposals))
                for axis in book.axes]
        elif item.section.in_toc:
            entries.append(Entry(labels[item.section.title_label], item.anchor, "section", item.anchor))
    return entries


class _CompiledTemplates(jinja2.BytecodeCache):
    """The templates this process has compiled, by file; Jinja checks each one's source before reusing it.

    A build makes seven environments (each edition, the press kit, the spine, the cards) and the
    live preview and the tests build again and again: compiling the same templates again cost
    a fifth of a small book's build. Jinja stores a checksum of the source with the code and
    compiles again when the file has changed, so an edited template is never served stale."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def environment(templates_dir: Path) -> jinja2.Environment:
    """A strict, autoescaping Jinja environment over ``templates_dir``."""
    env = jinja2.Environment(
        bytecode_cache=_COMPILED,
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "xhtml", "xml"]),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals["anchors"] = anchors
    env.globals["aria_role"] = aria_role
    env.filters["in_running_text"] = in_running_text
    env.filters["with_cards"] = with_cards
    return env


_CARD_SLOT = re.compile(rf'<p(?: [^>]*)?>\s*<span class="{CARD_SLOT}" data-proposal="([^"]+)"\s*(?:/>|></span>)\s*</p>')


@jinja2.pass_context
def with_cards(context, fragment: str) -> Markup:
    """``fragment`` with each ``[@id|fiche]`` slot replaced by that proposal's annotated head.

    The macro ``card_example`` comes from the template named by ``card_template`` in the context
    (one per edition), so the example is drawn by the same templates as the real proposals.
    """
    if CARD_SLOT not in fragment:
        return Markup(fragment)
    module = context.environment.get_template(context["card_template"]).make_module(context.get_all())
    by_id = {p.id: p for p in context["proposals"]}
    return Markup(_CARD_SLOT.sub(lambda m: str(module.card_example(by_id[m.group(1)])), str(fragment)))


_LEADING_ARTICLE = re.compile(r"^(?:(Le|La|Les|Un|Une|Des|Du)(?=\s)|(L)(?=['’]))")


def svg_data_uri(svg: str) -> str:
    """An SVG document as a ``data:`` URI, the form the HTML stage lets an image take without a file."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def on_white(svg: str, margin: float = 0.0) -> str:
    """An SVG chart with a white ground of its own, for the EPUB.

    The charts are drawn in dark inks on a transparent ground, which the page makes white
    in print; a reading system's night theme makes the page black and the labels vanish.
    The ground belongs to the picture, so it is drawn inside it, not set by the stylesheet;
    ``margin`` (in the chart's units, mm) widens it on every side, so that no label touches
    its edge on a dark page.
    """
    root = lxml.etree.fromstring(svg.encode("utf-8"))
    if margin:
        x, y, width, height = (float(v) for v in root.get("viewBox").split())
        width, height = width + 2 * margin, height + 2 * margin
        number = lambda value: f"{value:.2f}".rstrip("0").rstrip(".")  # noqa: E731
        root.set("viewBox", " ".join(number(v) for v in (x - margin, y - margin, width, height)))
        root.set("width", f"{number(width)}mm")
        root.set("height", f"{number(height)}mm")
    ground = root.makeelement(f"{{{SVG}}}rect", {"x": "0", "y": "0", "width": "100%", "height": "100%",
                                                "fill": "#ffffff"})
    if margin:
        ground.set("x", number(x - margin))
        ground.set("y", number(y - margin))
    described = [child for child in root if lxml.etree.QName(child).localname in ("title", "desc")]
    root.insert(len(described), ground)
    return lxml.etree.tostring(root, encoding="unicode")


def epub_chart(chart) -> str:
    """The file of ``chart`` in the EPUB package."""
    return f"images/graphique-{chart.id}.svg"


def long_date(date, labels: Labels) -> str:
    """A date as a sentence says it: « 21 novembre 2024 », « 1er mars 2025 »."""
    months = labels.get("dates.months").split()
    day = labels.get("dates.first_day") if date.day == 1 else str(date.day)
    return labels.get("dates.long", day=day, month=months[date.month - 1], year=date.year)


@dataclass(frozen=True)
class Release:
    """This version of the edition, as the legal page and the colophon name it (book.yaml:
    ``version``, ``release_date``)."""

    version: str
    date: object          # datetime.date: release_date, else the publication date
    long_date: str        # « 5 décembre 2026 »
    line: str             # « 0.9 du 5 décembre 2026 », « du 5 décembre 2026 »; "" when book.yaml names none


def release(meta, labels: Labels) -> Release:
    """The release of ``meta`` in words: nothing to say when book.yaml gives neither a version nor its date."""
    words = long_date(meta.released, labels)
    if meta.version:
        line = labels.get("release.numbered", version=meta.version, date=words)
    elif meta.release_date is not None:
        line = labels.get("release.dated", date=words)
    else:
        line = ""
    return Release(meta.version, meta.released, words, line)


def in_running_text(name: str) -> str:
    """A name as it reads inside a sentence or a list: « Les entreprises » → « les entreprises ».

    Only a leading article is lowered, so « État » or an acronym keeps its capital.
    """
    return _LEADING_ARTICLE.sub(lambda match: match.group().lower(), name)


def book_context(book: Book, fragments: Fragments, charts: Sequence) -> dict:
    """What every template sees of the book (for templates of other families, such as the press kit's);
    ``charts`` are the book's charts (:func:`atelier.charts.charts`), computed once per build."""
    return _context(book, fragments, charts)


def _context(book: Book, fragments: Fragments, charts: Sequence) -> dict:
    labels = labels_for(book.meta.language)
    html = {key: Markup(value) for key, value in fragments.html.items()}
    return {
        "book": book, "meta": book.meta, "subtitle": fragments.subtitle, "html": html,
        "description": fragments.description,
        "axes": book.axes, "proposals": book.proposals, "actors": book.actors,
        "scales": list(book.scales.values()), "figures": book.figures,
        "contents": book.contents, "is_chapter": lambda item: isinstance(item, Chapter),
        "outline": outline(book, labels),
        "label": labels.get, "plural": labels.plural, "labels": labels,
        "long_date": long_date(book.meta.date, labels),
        "book_release": release(book.meta, labels),   # the version and its date (book.yaml)
        "charts": list(charts),
        "data_uri": svg_data_uri,
        # Where a figure finds its chart: inside the document (print), or a file of the package (EPUB).
        "chart_src": lambda chart: svg_data_uri(chart.svg),
        "card_template": "",
        "proposals_by_actor": {a.id: [p for p in book.proposals if a in p.actors] for a in book.actors},
    }


def render_print(edition: Edition, book: Book, fragments: Fragments, charts: Sequence, templates_dir: Path,
                 stylesheets: Sequence[str], colour: Palette = palette.screen, name: str = "") -> list[Document]:
    """The one HTML document a PDF is made from: ``stylesheets`` are its CSS URLs, in order.

    ``colour`` is the palette every colour taken from the data goes through
    (:mod:`atelier.palette`); ``name`` is its file name (the edition's, from the slug, by default).
    """
    env = environment(templates_dir)
    html = env.get_template(edition.template("book")).render(
        **{**_context(book, fragments, charts), "card_template": edition.template("card-example")},
        edition=edition, stylesheets=list(stylesheets), colour=colour)
    return [Document(name=name or edition.file(book.meta.slug), title=book.meta.title, html=html, kind="book")]


def render_epub(edition: Edition, book: Book, fragments: Fragments, charts: Sequence,
                templates_dir: Path) -> list[Document]:
    """The EPUB's documents in reading order: cover, then one per chapter, part and generated section.

    The navigation document takes the place of ``toc`` in the reading order
    (right after the cover when the book has none).
    """
    env = environment(templates_dir)
    context = {**_context(book, fragments, charts), "card_template": edition.template("card-example")}
    context["data_uri"] = lambda svg: svg_data_uri(on_white(svg))
    labels: Labels = context["labels"]
    # Each chart is a file of the package, drawn narrow for a phone and followed by its data table
    # (the build gives this edition the reflowable charts).
    chart_files = {epub_chart(chart): on_white(chart.svg, chart.ground).encode("utf-8") for chart in context["charts"]}
    context["chart_src"] = epub_chart
    documents = [_document(env, edition.template("cover"), COVER_FILE, labels["sections.cover.title"],
                           "cover", context)]
    for item in book.contents:
        if isinstance(item, Chapter):
            documents.append(_document(env, edition.template("chapter"), edition.file(item.anchor), item.title,
                                       "chapter", context, role=item.role, chapter=item))
        elif item.id == "proposals":
            documents += [_document(env, edition.template("axis"), edition.file(axis.anchor),
                                    labels.get("part.numbered_title", number=axis.number, title=axis.title),
                                    "axis", context, role="body", axis=axis) for axis in book.axes]
        elif item.id == "toc":
            documents.append(None)  # the navigation goes here, once the start of the text is known
        else:
            documents.append(_document(env, edition.template(f"sections/{item.id}"), edition.file(item.anchor),
                                       labels[item.section.title_label], item.id, context, role=item.role,
                                       section=item.section))
    if None not in documents:
        documents.insert(1, None)
    documents = [d if d is None else dataclasses.replace(d, files=tuple(
        (path, data) for path, data in chart_files.items() if f'"{path}"' in d.html)) for d in documents]
    start = start_of_text([d for d in documents if d is not None]).name
    nav = _document(env, edition.template("nav"), NAV_FILE, labels["sections.toc.title"], "nav", context,
                    landmarks=landmarks(book, labels, start))
    return [nav if document is None else document for document in documents]


@dataclass(frozen=True)
class Landmark:
    """One entry of the EPUB's landmarks: a structural type, where it is, what a reader calls it."""

    epub_type: str
    href: str
    title: str


def landmarks(book: Book, labels: Labels, start_href: str) -> list[Landmark]:
    """The book's landmarks in reading order: cover, title page, contents, start of text, index, glossary.

    Reading systems offer them as shortcuts (« Aller au début », « Index »); only the
    sections the book has are listed.
    """
    found = [Landmark("cover", COVER_FILE, labels["sections.cover.title"])]
    for item in book.contents:
        if isinstance(item, Chapter):
            if item.type == "glossary":
                found.append(Landmark("glossary", EPUB.file(item.anchor), item.title))
        elif item.id == "titlepage":
            found.append(Landmark("titlepage", EPUB.file(item.anchor), labels["sections.titlepage.title"]))
        elif item.id == "actor-index":
            found.append(Landmark("index", EPUB.file(item.anchor), labels["sections.actor-index.title"]))
        elif item.id == "toc":
            found.append(Landmark("toc", f"{NAV_FILE}#toc", labels["sections.toc.title"]))
    if not any(landmark.epub_type == "toc" for landmark in found):
        found.insert(1, Landmark("toc", f"{NAV_FILE}#toc", labels["sections.toc.title"]))
    found.append(Landmark("bodymatter", start_href, labels["epub.start"]))
    order = [COVER_FILE] + [NAV_FILE if item_is_toc else name for name, item_is_toc in
                                    _reading_order(book)]
    if NAV_FILE not in order:  # no contents page in the book: the navigation follows the cover
        order.insert(1, NAV_FILE)
    return sorted(found, key=lambda landmark: order.index(landmark.href.split("#")[0])
                  if landmark.href.split("#")[0] in order else len(order))


def _reading_order(book: Book) -> list[tuple[str, bool]]:
    """The EPUB file of each item of ``contents``, in order (the contents page is the navigation)."""
    files = []
    for item in book.contents:
        if isinstance(item, Chapter):
            files.append((EPUB.file(item.anchor), False))
        elif item.id == "proposals":
            files += [(EPUB.file(axis.anchor), False) for axis in book.axes]
        else:
            files.append((EPUB.file(item.anchor), item.id == "toc"))
    return files


#: What a reader passes over on the way to the text: the cover, the title and legal pages, the contents.
BEFORE_THE_TEXT = frozenset({"cover", "nav", "titlepage", "legal", "toc"})


def start_of_text(documents: list[Document]) -> Document:
    """The document where reading starts: the first that is not the cover, title page, legal page or contents.

    The front matter that follows them is for every reader (the white paper's notice that its texts
    are not the foundation's, its introduction, « L'essentiel »): a reading system that opens the book
    at its start (Kindle, from the guide's « text » and the ``bodymatter`` landmark) skips none of it.
    """
    return next((d for d in documents if d.kind not in BEFORE_THE_TEXT), documents[0])


def _document(env, template, name, title, kind, context, role="front", **extra) -> Document:
    html = env.get_template(template).render(**context, **extra, doc_title=title)
    return Document(name=name, title=title, html=html, kind=kind, role=role, axis=extra.get("axis"))
