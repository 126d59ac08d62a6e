"""HTML stage: Markdown fragments to HTML, with the pipeline's own syntax.

Besides standard Markdown (footnotes, tables, attribute lists, definition
lists, heading ids), editors write:

* ``[@id]`` to cite a proposal (its number and title), ``[@id|court]`` for
  its number only;
* ``[=name]`` to insert a figure computed from the data, ``[=name|lettres]``
  in words, ``[=name|%]`` as a share of all proposals.

Every fragment is scanned first, so that unknown ids or figures, missing
images and unsafe HTML are reported with their file, line and column before
any HTML is produced.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from html.entities import html5
from html.parser import HTMLParser
from pathlib import Path

import markdown
from markdown.inlinepatterns import InlineProcessor

from .errors import Collector, did_you_mean
from .figures import FORMATS, format_figure
from .model import Book, Markdown, Source

CITATION = re.compile(r"\[@([^\]|\s]+)(?:\|([^\]]*))?\]")
FIGURE = re.compile(r"\[=([^\]|\s]+)(?:\|([^\]]*))?\]")
IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
RAW_IMAGE = re.compile(r"<img\b[^>]*\bsrc\s*=\s*[\"']([^\"']+)", re.I)
UNSAFE = re.compile(r"<\s*(script|iframe|object|embed)\b|\son[a-z]+\s*=|javascript\s*:", re.I)
CODE = re.compile(r"^(```|~~~).*?^\1[^\n]*$|`[^`\n]+`", re.S | re.M)
CITATION_STYLES = ("", "court")

EXTENSIONS = ["footnotes", "tables", "attr_list", "def_list", "toc", "abbr", "sane_lists"]


@dataclass(frozen=True)
class Fragments:
    """HTML of every Markdown piece of the book, by key.

    Keys: ``chapter:<id>``, ``axis:<id>`` (part introduction),
    ``proposal:<id>`` (proposal body), and ``subtitle`` (plain text).
    """

    html: dict[str, str]
    subtitle: str

    def __getitem__(self, key: str) -> str:
        return self.html[key]


def anchor_for_proposal(proposal_id: str) -> str:
    """The HTML id of a proposal's block, shared by citations and templates."""
    return f"prop-{proposal_id}"


def to_html(book: Book) -> Fragments:
    """Check then convert every Markdown piece of ``book``; raise ContentError on problems."""
    errors = Collector(book.content_dir)
    pieces = _pieces(book)
    for _, piece, _ in pieces:
        _scan(piece, book, errors)
    _scan(book_subtitle(book), book, errors)
    errors.raise_if_any()
    html = {key: _convert(piece, book, prefix) for key, piece, prefix in pieces}
    for key, piece, _ in pieces:
        _check_output(html[key], piece, errors)
    errors.raise_if_any()
    return Fragments(html=html, subtitle=expand_figures(book.meta.subtitle, book))


def book_subtitle(book: Book) -> Markdown:
    """The subtitle as a Markdown piece, so its figures are checked like prose."""
    return Markdown(book.meta.subtitle, Source(book.content_dir / "book.yaml", 1, 1))


def expand_figures(text: str, book: Book) -> str:
    """Replace ``[=name]`` figures in plain text (titles, metadata)."""
    return FIGURE.sub(lambda m: _figure_text(m.group(1), m.group(2) or "", book), text)


def _pieces(book: Book) -> list[tuple[str, Markdown, str]]:
    pieces = [(f"chapter:{c.id}", c.body, c.id) for c in book.chapters]
    pieces += [(f"axis:{a.id}", a.introduction, f"axe-{a.id}") for a in book.axes]
    pieces += [(f"proposal:{p.id}", p.body, anchor_for_proposal(p.id)) for p in book.proposals]
    return pieces


# --- checking -------------------------------------------------------------------

def _scan(piece: Markdown, book: Book, errors: Collector) -> None:
    text = _blank_code(piece.text)
    proposals = {p.id for p in book.proposals}
    for match in CITATION.finditer(text):
        target, style = match.group(1), match.group(2) or ""
        if target not in proposals:
            _report(piece, match, errors, "RENVOI-CASSE",
                    f"le renvoi « {match.group(0)} » cite une proposition inconnue « {target} »."
                    + did_you_mean(target, proposals))
        elif style not in CITATION_STYLES:
            _report(piece, match, errors, "RENVOI-FORME",
                    f"la forme « |{style} » n'existe pas ; écrivez [@{target}] ou [@{target}|court].")
    for match in FIGURE.finditer(text):
        name, style = match.group(1), match.group(2) or ""
        if name not in book.figures:
            _report(piece, match, errors, "CHIFFRE-INCONNU",
                    f"le chiffre « {name} » n'existe pas." + did_you_mean(name, book.figures))
        elif style not in FORMATS:
            _report(piece, match, errors, "CHIFFRE-FORME",
                    f"la forme « |{style} » n'existe pas ; écrivez [={name}], [={name}|lettres] ou [={name}|%].")
    for pattern in (IMAGE, RAW_IMAGE):
        for match in pattern.finditer(text):
            _check_image(piece, match, book.content_dir, errors)
    for match in UNSAFE.finditer(text):
        _report(piece, match, errors, "HTML-INTERDIT",
                f"« {match.group(0).strip()} » : les scripts, les attributs d'événement (onclick…) "
                "et les liens javascript: sont interdits dans le contenu.")


class _ActiveContentFinder(HTMLParser):
    """Finds what a browser could execute, however it was spelled in the source."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            squeezed = re.sub(r"[\x00-\x20]+", "", value or "").lower()
            if name.startswith("on"):
                self.found.append(f"{name}=")
            elif squeezed.startswith(("javascript:", "vbscript:", "data:text/html")):
                self.found.append(f"{name}={squeezed.split(':')[0]}:")


def _check_output(html: str, piece: Markdown, errors: Collector) -> None:
    """Second line of defence: nothing executable may come out of the Markdown stage."""
    finder = _ActiveContentFinder()
    finder.feed(html)
    for what in dict.fromkeys(finder.found):
        errors.add(piece.source.path, piece.source.line, piece.source.column, "HTML-INTERDIT",
                   f"ce texte produit du contenu exécutable ({what}) : les scripts, les attributs "
                   "d'événement et les liens javascript: sont interdits.")


def _blank_code(text: str) -> str:
    """Hide code spans and blocks (keeping positions) so their content is not interpreted."""
    return CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _check_image(piece: Markdown, match: re.Match, content_dir: Path, errors: Collector) -> None:
    src = match.group(1)
    if src.startswith("data:"):
        return
    if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
        _report(piece, match, errors, "IMAGE-DISTANTE",
                f"l'image « {src} » est une adresse externe ; placez le fichier dans le dossier images/.")
        return
    target = (content_dir / src).resolve()
    if not target.is_relative_to(content_dir.resolve()):
        _report(piece, match, errors, "CHEMIN-INTERDIT", f"l'image « {src} » sort du dossier de contenu.")
    elif not target.is_file():
        _report(piece, match, errors, "IMAGE-MANQUANTE",
                f"l'image « {src} » est introuvable (chemin relatif au dossier de contenu).")


def _report(piece: Markdown, match: re.Match, errors: Collector, code: str, message: str) -> None:
    before = piece.text[:match.start()]
    column = match.start() - (before.rfind("\n") + 1)
    # Block text inside YAML is indented by source.column - 1 on every line; chapters start at column 1.
    errors.add(piece.source.path, piece.source.line + before.count("\n"),
               piece.source.column + column, code, message)


# --- converting -------------------------------------------------------------------

def _convert(piece: Markdown, book: Book, prefix: str) -> str:
    converter = markdown.Markdown(
        extensions=EXTENSIONS + [PipelineSyntax(book)],
        extension_configs={"toc": {"slugify": _prefixed_slugify(prefix)},
                           "footnotes": {"BACKLINK_TITLE": "Retour au texte de la note %d"}},
        output_format="xhtml")
    html = _named_entities_to_characters(converter.convert(piece.text))
    # Footnote ids restart in each fragment; prefix them so they stay unique in one document.
    return re.sub(r'(id="|href="#)(fn(?:ref)?:)', rf"\1{prefix}-\2", html)


def _named_entities_to_characters(html: str) -> str:
    """``&nbsp;`` and its kin are unknown to XML (the EPUB's XHTML): write the characters instead."""
    def character(match: re.Match) -> str:
        name = match.group(1)
        if name in ("amp", "lt", "gt", "quot", "apos") or f"{name};" not in html5:
            return match.group(0)
        return html5[f"{name};"]
    return re.sub(r"&([A-Za-z][A-Za-z0-9]*);", character, html)


def _prefixed_slugify(prefix: str):
    from markdown.extensions.toc import slugify_unicode

    def slugify(value: str, separator: str) -> str:
        return f"{prefix}-{slugify_unicode(value, separator)}"
    return slugify


def _figure_text(name: str, style: str, book: Book) -> str:
    return format_figure(book.figures[name], style, book.figures.get("propositions", 0), book.meta.language)


class _CitationProcessor(InlineProcessor):
    def __init__(self, book: Book):
        super().__init__(CITATION.pattern)
        self.proposals = {p.id: p for p in book.proposals}

    def handleMatch(self, m, data):
        proposal = self.proposals[m.group(1)]
        link = etree.Element("a", {"class": "xref", "href": "#" + anchor_for_proposal(proposal.id)})
        label = etree.SubElement(link, "span", {"class": "xref-number"})
        label.text = f"proposition {proposal.number}"
        if (m.group(2) or "") != "court":
            title = etree.SubElement(link, "span", {"class": "xref-title"})
            title.text = f"«\u00a0{_second_level_quotes(proposal.title)}\u00a0»"
            label.tail = ", "
        return link, m.start(0), m.end(0)


def _second_level_quotes(text: str) -> str:
    """Guillemets inside a quoted title become second-level quotes (“…”), as French usage wants."""
    return re.sub(r"«[\s\u00a0\u202f]*(.*?)[\s\u00a0\u202f]*»", r"“\1”", text)


class _FigureProcessor(InlineProcessor):
    def __init__(self, book: Book):
        super().__init__(FIGURE.pattern)
        self.book = book

    def handleMatch(self, m, data):
        return _figure_text(m.group(1), m.group(2) or "", self.book), m.start(0), m.end(0)


class PipelineSyntax(markdown.Extension):
    """Registers the citation and figure syntax before Markdown's own links."""

    def __init__(self, book: Book):
        super().__init__()
        self.book = book

    def extendMarkdown(self, md):
        md.inlinePatterns.register(_CitationProcessor(self.book), "citation", 175)
        md.inlinePatterns.register(_FigureProcessor(self.book), "figure", 176)
