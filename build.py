#!/usr/bin/env python3
"""Build the publication: ``python build.py [check|pdf|epub ...] [--content DIR] [--out DIR]``.

The build reads as its stages: load and validate the content, turn Markdown
into HTML, render each output's templates, lay out the PDF, package the
EPUB, and publish every artifact atomically with a manifest.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from atelier.errors import ContentError
from atelier.load import load_book
from atelier.markup import Fragments, to_html
from atelier.model import Book
from atelier.output import Artifact, publish
from atelier.pdf import Trees, rasterise_first_page, render_pdf
from atelier.render import render_cover, render_epub, render_print

PROJECT = Path(__file__).resolve().parent
TARGETS = ("pdf", "epub")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 content errors, 2 usage errors)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    usage = _usage_problem(args)
    if usage:
        print(f"build.py: erreur : {usage}", file=sys.stderr)
        return 2
    content = Path(args.content)
    if not (content / "book.yaml").is_file():
        print(f"build.py: erreur : « {content} » n'est pas un dossier de contenu (book.yaml introuvable).",
              file=sys.stderr)
        return 2
    try:
        return build(args, content, Path(args.out))
    except ContentError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problème{'s' if count > 1 else ''} : rien n'a été écrit.", file=sys.stderr)
        if args.debug:
            raise
        return 1


def build(args: argparse.Namespace, content: Path, out: Path) -> int:
    """The stages, in order: load, markup, then each requested output, then publish."""
    trees = Trees(content=content, templates=PROJECT / "templates", styles=PROJECT / "styles")
    book, fragments = _step("check", "contenu validé", lambda: to_html_checked(content))
    if args.targets == ["check"]:
        print(f"{len(book.proposals)} propositions, {len(book.chapters)} chapitres : contenu valide.")
        return 0
    targets = [t for t in TARGETS if t in args.targets] if args.targets else list(TARGETS)
    artifacts: list[Artifact] = []
    slug = book.meta.slug
    if "pdf" in targets:
        artifacts += _step("pdf", f"{slug}.pdf", lambda: pdf_artifacts(book, fragments, trees, args.strict))
    if "epub" in targets:
        artifacts += _step("epub", f"{slug}.epub", lambda: epub_artifacts(book, fragments, trees, args.strict))
    manifest = publish(artifacts, out)
    for entry in manifest:
        if entry["kind"] != "html":
            pages = f", {entry['pages']} pages" if "pages" in entry else ""
            print(f"  {entry['kind']:<6} {out / entry['path']} ({entry['bytes'] / 1e6:.2f} Mo{pages})")
    return 0


def to_html_checked(content: Path) -> tuple[Book, Fragments]:
    """Load and validate the content, then turn its Markdown into HTML fragments."""
    book = load_book(content)
    return book, to_html(book)


def pdf_artifacts(book: Book, fragments: Fragments, trees: Trees, strict: bool) -> list[Artifact]:
    """The print HTML and the PDF laid out from it."""
    html = render_print(book, fragments, trees.templates, _css_url(trees, "print/book.css"))
    pdf = render_pdf(html, trees, strict=strict)
    slug = book.meta.slug
    return [Artifact("html", f"html/{slug}.html", html.encode()),
            Artifact("pdf", f"{slug}.pdf", pdf.data, pages=pdf.pages)]


def epub_artifacts(book: Book, fragments: Fragments, trees: Trees, strict: bool) -> list[Artifact]:
    """The EPUB documents, the cover image rendered from the print cover, and the EPUB."""
    from atelier.epub import build_epub

    documents = render_epub(book, fragments, trees.templates)
    cover_html = render_cover(book, fragments, trees.templates, _css_url(trees, "print/book.css"))
    cover = rasterise_first_page(render_pdf(cover_html, trees, strict=strict).data)
    epub = build_epub(book, documents, trees.styles / "epub/book.css", cover)
    return [Artifact("html", f"html/epub/{d.name}", d.html.encode()) for d in documents] + [
        Artifact("epub", f"{book.meta.slug}.epub", epub)]


def _usage_problem(args: argparse.Namespace) -> str:
    unknown = [t for t in args.targets if t not in ("check", *TARGETS)]
    if unknown:
        return f"cible inconnue « {unknown[0]} » ; cibles possibles : check, {', '.join(TARGETS)}."
    if "check" in args.targets and len(args.targets) > 1:
        return "« check » valide le contenu seulement et ne se combine pas avec d'autres cibles."
    return ""


def _step(name: str, label: str, work):
    started = time.perf_counter()
    result = work()
    print(f"{name:<6} {label:<40} {time.perf_counter() - started:6.2f} s", flush=True)
    return result


def _css_url(trees: Trees, name: str) -> str:
    return (trees.styles / name).resolve().as_uri()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Construit le PDF et l'EPUB d'une publication à partir de content/.")
    parser.add_argument("targets", nargs="*", metavar="cible",
                        help="check (valider seulement), pdf, epub ; toutes les sorties par défaut")
    parser.add_argument("--content", default=str(PROJECT / "content"), help="dossier de contenu (content/)")
    parser.add_argument("--out", default=str(PROJECT / "output"), help="dossier de sortie (output/)")
    parser.add_argument("--strict", action="store_true",
                        help="les avertissements de WeasyPrint deviennent des erreurs")
    parser.add_argument("--debug", action="store_true", help="afficher la trace Python des erreurs")
    return parser


if __name__ == "__main__":
    sys.exit(main())
