"""Render stage: Jinja2 templates turn the book and its HTML fragments into documents.

One template family per output lives in ``templates/<family>/`` beside a
shared ``templates/base/``. The environment is strict: an undefined name in a
template is an error, and every value is escaped unless it is an HTML
fragment produced by the markup stage.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import jinja2
from markupsafe import Markup

from .markup import Fragments, anchor_for_proposal, expand_figures
from .model import Axis, Book, Chapter


@dataclass(frozen=True)
class Document:
    """One complete (X)HTML document of an output."""

    name: str          # file name inside the output (e.g. "part-1.xhtml")
    title: str
    html: str
    kind: str          # "chapter", "axis", "nav", "titlepage", "summary", "actor-index", "cover"
    role: str = "front"  # "front", "body" or "back": where it sits in the book
    axis: Optional[Axis] = None  # the part an "axis" document holds


def environment(templates_dir: Path) -> jinja2.Environment:
    """A strict, autoescaping Jinja environment over ``templates_dir``."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "xhtml", "xml"]),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals["proposal_anchor"] = anchor_for_proposal
    return env


def _context(book: Book, fragments: Fragments) -> dict:
    html = {key: Markup(value) for key, value in fragments.html.items()}
    return {
        "book": book, "meta": book.meta, "subtitle": fragments.subtitle, "html": html,
        "axes": book.axes, "proposals": book.proposals, "actors": book.actors,
        "scales": book.scales, "figures": book.figures,
        "contents": book.contents, "is_chapter": lambda item: isinstance(item, Chapter),
        "description": expand_figures(book.meta.description, book),
        "proposals_by_actor": {a.id: [p for p in book.proposals if a in p.actors] for a in book.actors},
    }


def render_print(book: Book, fragments: Fragments, templates_dir: Path, stylesheet: str) -> str:
    """The single HTML document the PDF is made from; ``stylesheet`` is its CSS URL."""
    env = environment(templates_dir)
    return env.get_template("print/book.html").render(**_context(book, fragments), stylesheet=stylesheet)


def render_cover(book: Book, fragments: Fragments, templates_dir: Path, stylesheet: str) -> str:
    """A one-page HTML document with the cover alone (rasterised for the EPUB)."""
    env = environment(templates_dir)
    return env.get_template("print/cover-page.html").render(**_context(book, fragments), stylesheet=stylesheet)


def epub_file_name(item) -> str:
    """The XHTML file name of a contents item in the EPUB."""
    return f"{item.id}.xhtml"


def render_epub(book: Book, fragments: Fragments, templates_dir: Path) -> list[Document]:
    """One XHTML document per chapter, per part and per generated section, in reading order."""
    env = environment(templates_dir)
    context = _context(book, fragments)
    documents = [_document(env, "epub/cover.xhtml", "cover.xhtml", book.meta.title, "cover", context)]
    for item in book.contents:
        if isinstance(item, Chapter):
            documents.append(_document(env, "epub/chapter.xhtml", epub_file_name(item), item.title,
                                       "chapter", context, role=item.role, chapter=item))
        elif item.id == "proposals":
            for axis in book.axes:
                documents.append(_document(env, "epub/axis.xhtml", f"axe-{axis.id}.xhtml",
                                           f"Partie {axis.number}. {axis.title}", "axis",
                                           context, role="body", axis=axis))
        elif item.id == "toc":  # the EPUB's navigation document is its table of contents
            documents.append(Document(name="nav.xhtml", title="Sommaire", html="", kind="nav"))
        else:
            documents.append(_document(env, f"epub/{item.id}.xhtml", epub_file_name(item),
                                       _GENERATED_TITLES[item.id], item.id, context, role=item.role))
    return documents


_GENERATED_TITLES = {
    "titlepage": "Page de titre",
    "summary": "Tableau récapitulatif des propositions",
    "actor-index": "Index des propositions par acteur",
}


def _document(env, template, name, title, kind, context, role="front", **extra) -> Document:
    html = env.get_template(template).render(**context, **extra, doc_title=title)
    return Document(name=name, title=title, html=html, kind=kind, role=role, axis=extra.get("axis"))
