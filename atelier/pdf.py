"""PDF stage: WeasyPrint turns the print HTML into a PDF.

Resources are fetched only from the project's own trees (see
:mod:`atelier.fetcher`). WeasyPrint's warnings (missing image, ignored CSS…)
are collected; in strict mode they stop the build like content errors.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import Collector, ContentError


@dataclass(frozen=True)
class RenderedPdf:
    """A finished PDF and what the build reports about it."""

    data: bytes
    pages: int
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Trees:
    """The folders a build may read from."""

    content: Path
    templates: Path
    styles: Path

    def all(self) -> list[Path]:
        """Every allowed folder."""
        return [self.content, self.templates, self.styles]


def render_pdf(html: str, trees: Trees, strict: bool = False, variant: str | None = None) -> RenderedPdf:
    """Lay out ``html`` (resolved against the content folder) and return the PDF bytes."""
    from weasyprint import HTML  # heavy import kept inside the stage that needs it

    from .fetcher import ConfinedFetcher

    fetcher = ConfinedFetcher(trees.all())
    with _captured_warnings() as warnings:
        document = HTML(string=html, base_url=str(trees.content.resolve()) + "/",
                        url_fetcher=fetcher).render()
        data = document.write_pdf(pdf_variant=variant, uncompressed_pdf=False)
    _report_refusals(fetcher.refused, trees)
    if strict and warnings:
        errors = Collector(trees.content)
        for message in warnings:
            errors.add("PDF", 0, 0, "PDF-AVERTISSEMENT", message)
        errors.raise_if_any()
    return RenderedPdf(data=data, pages=len(document.pages), warnings=tuple(warnings))


def _report_refusals(refused: list[str], trees: Trees) -> None:
    if not refused:
        return
    errors = Collector(trees.content)
    for url in dict.fromkeys(refused):
        path, line, column = _who_asked(url, trees)
        errors.add(path, line, column, "RESSOURCE-REFUSEE",
                   f"la ressource « {url} » est hors du projet ou sur Internet ; "
                   "seuls les fichiers des dossiers content, templates et styles sont permis.")
    raise ContentError(errors.problems)


def _who_asked(url: str, trees: Trees) -> tuple[str, int, int]:
    """The first project file (and line) that mentions ``url``, to name it in the message."""
    needles = {url, url.rsplit("/", 1)[-1]}
    if url.startswith("file://"):
        needles.add(url[len("file://"):])
    for root in trees.all():
        for path in sorted(root.rglob("*")):
            if path.suffix not in {".md", ".yaml", ".yml", ".html", ".xhtml", ".css"}:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                for needle in needles:
                    if needle and needle in line:
                        return str(path), number, line.index(needle) + 1
    return url, 0, 0


@contextmanager
def _captured_warnings():
    messages: list[str] = []

    class Handler(logging.Handler):
        def emit(self, record):
            messages.append(record.getMessage())

    handler = Handler(level=logging.WARNING)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield messages
    finally:
        logger.removeHandler(handler)


def rasterise_first_page(pdf: bytes, width_px: int = 1600) -> bytes:
    """The first page of ``pdf`` as a PNG ``width_px`` wide (used for the EPUB cover)."""
    import io

    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        scale = width_px / page.get_width()
        image = page.render(scale=scale).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
    finally:
        document.close()
