"""One renderer per template family: an edition names its family, this table names the renderer.

Every renderer is called the same way, ``renderer(edition, book, fragments, charts, templates_dir,
**options)``, and returns the edition's documents, named by the edition; the options are the
family's own (the print family's stylesheets and palette). The press kit's renderer stays with the
kit (:mod:`atelier.outputs.presskit.documents`), which also reads the book's page map.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from ..editions import Edition
from ..model import Book
from .markup import Fragments
from .render import Document, render_epub, render_print
from .web import render_web

Renderer = Callable[..., list[Document]]

RENDERERS: dict[str, Renderer] = {"print": render_print, "epub": render_epub, "web": render_web}


def render(edition: Edition, book: Book, fragments: Fragments, charts: Sequence, templates_dir: Path,
           **options) -> list[Document]:
    """The documents of ``edition``, not yet finished by the HTML stage."""
    return RENDERERS[edition.family](edition, book, fragments, charts, templates_dir, **options)
