#!/usr/bin/env python3
"""Build the publication: ``python build.py [check|pdf|epub ...] [--content DIR] [--out DIR]``.

The build is the list of targets below, each with what it needs:

    book        ← content/          load and validate (every problem of the sources at once)
    fragments   ← book              Markdown to HTML fragments
    meta, parts ← book              the metadata; each part's first and next anchors
    charts      ← book              the SVG charts, computed once and placed by every edition
    html.print  ← fragments, charts print templates, then the HTML stage (safety, text, page references)
    html.epub   ← fragments, charts EPUB templates, then the HTML stage (safety, text, links)
                                    (forked: made during the layout)
    layout      ← parts, html.print one WeasyPrint layout, its page numbers written in and checked
    pages       ← layout            which anchors each page holds, as plain data
    pdf         ← meta, layout      the screen PDF, PDF/UA-1 (and the print HTML kept beside it)
    print       ← meta, layout      the printer's PDF, PDF/X-4, drawn from the same layout (bleed, marks,
                                    CMYK inks at draw time); made in a forked process beside the rest
    cover.jpg   ← layout            page 1 of that same layout
    page-list   ← layout            where each printed page begins (the printer's PDF has the same pages)
    epub        ← html.epub, cover.jpg, page-list
    press.ready ← book              the kit's contacts and embargo still to give (made first: see below)
    html.presskit ← fragments, charts, pages   the press kit's documents (pages of proposals read in the layout)
    layout.presskit ← html.presskit     their layouts: dossier, release, cards, charts
    presskit.drawn ← layout.presskit    those drawn: the dossier and release PDFs, the charts' and cards' PNGs
    presskit.book ← html.presskit, layout   the cover (300 dpi and web) and the extracts, cut from the book's pages
                                        (made in a forked process beside the rest, on two cores)
    presskit    ← … presskit.drawn, presskit.book, pdf, epub   kit-presse/: pictures, the press page and the zip
    html.web    ← fragments, charts, pages   the site's pages (« p. N » from the page map, no layout of its own)
    web.assets  ← styles/web, fonts     the site's stylesheet, scripts and font subsets
                                        (forked: made during the layout)
    html.cards  ← fragments             the share cards' page (titles and numbers: a text's edit leaves it as it was)
    web.cards   ← html.cards            a 1200 × 630 share card per proposal and part
                                        (forked: made during the layout)
    web.search  ← html.web              Pagefind's full-text index of the pages
    web         ← … pdf, epub, print, presskit   web/: pages, assets, cards, index, downloads, sitemap

Each edition (:mod:`atelier.editions`) declares how the HTML stage finishes its documents and which
renderer makes them; the HTML targets below only say which edition they make.

The command line asks for outputs (``pdf``, ``print``, ``epub``, ``presskit``, ``web``); :mod:`atelier.cli`
runs the targets they need, each once, and publishes every artifact at once. Each target says what
files it reads itself (``reads``) and whether its value is kept in the build cache (``keep``,
:mod:`atelier.cache`): a kept value whose inputs have not changed is reused, and what it needs is
not made at all. ``check`` runs everything that needs no layout (:data:`CHECKS`) and writes nothing.
A build makes ``book`` and the checks its targets name in ``checked_by`` before anything else: a
``--strict`` build stops on their warnings before the book is laid out.
"""
from __future__ import annotations

import gc
import os
import re
import signal
import sys
from dataclasses import dataclass
from pathlib import Path


def _interrupted_while_starting(signum, frame) -> None:
    """Ctrl-C while the pipeline is still being imported: nothing was written; one line, status 130.

    The line is read from the labels file with a pattern, not through :mod:`atelier.labels`: the signal
    may have come while that module or its YAML parser was half imported."""
    labels = Path(__file__).resolve().parent / "atelier" / "labels" / "fr.yaml"
    said = re.search(r'^  interrupted_at_start: "(.+)"$', labels.read_text(encoding="utf-8"), re.M)
    sys.stderr.write("\n" + (said.group(1) if said else "") + "\n")
    sys.stderr.flush()
    os._exit(130)


if __name__ == "__main__":
    # Until cli.main catches it, a KeyboardInterrupt would end the start-up with a Python traceback.
    signal.signal(signal.SIGINT, _interrupted_while_starting)
    # A rebuild with nothing changed is answered before the pipeline is imported (a third of a
    # second); atelier/freshness.py says when the outputs are up to date.
    from atelier.freshness import answer_if_fresh

    answer_if_fresh(sys.argv[1:], Path(__file__).resolve().parent)

from atelier import cli, palette
from atelier.errors import Collector
from atelier.html import dom
from atelier.html.dom import finish_text
from atelier.html.markup import Fragments, prose, scan, to_html
from atelier.editions import Edition
from atelier.editions.epub import EPUB
from atelier.editions.presskit import EMAIL, PRESS_PAGE, PRESSKIT
from atelier.editions.printed import PRINT
from atelier.editions.web import WEB, WEB_CARDS
from atelier.html.render import Document, outline
from atelier.html.renderers import render
from atelier.labels import labels_for
from atelier.model import Book
from atelier.outputs.publish import Artifact
from atelier.source.load import read_book
from atelier.source.house_style import check_house_style
from atelier.source.sources import check_sources
from atelier.targets import Target

PROJECT = Path(__file__).resolve().parent
PRINT_CSS = "print/book.css"
PRESSKIT_CSS = "presskit/presskit.css"
#: The foot of an extract's pages: the book's geometry, and the notice under the folio.
FOOT_CSS = (PRINT_CSS, "presskit/foot.css")
WEB_CARDS_CSS = "web/cards.css"
EPUB_CSS = "epub/book.css"
SPINE_CSS = "print/spine.css"


@dataclass(frozen=True)
class Content:
    """The validated book and the HTML of its Markdown."""

    book: Book
    fragments: Fragments


def load_content(context: cli.Context) -> Book:
    """Read and check every source (files, data, citations, figures), every problem at once."""
    book, errors = read_book(context.trees.content)
    if book is not None:
        scan(book, errors)
        pieces = prose(book)
        check_sources(book, pieces, errors)
        check_house_style(pieces, errors)
    errors.raise_if_any()
    context.report.extend(errors.warnings)
    context.names["slug"] = book.meta.slug
    return book


def convert(context: cli.Context, book: Book) -> Content:
    """The Markdown of the book as HTML fragments."""
    return Content(book, to_html(book, scanned=True))


def book_charts(context: cli.Context, book: Book):
    """The book's SVG charts with their words and data, computed once for every edition: drawn for a
    page, and narrow for the EPUB's reflowed screen (screen colours: the printer's PDF turns every
    colour to CMYK as it draws)."""
    from atelier.charts import book_charts as both

    return both(book, labels_for(book.meta.language), palette.screen)


def print_html(context: cli.Context, content: Content, charts) -> Document:
    """The one HTML document of the print edition (screen PDF), finished by the HTML stage."""
    trees = context.trees
    documents = render(PRINT, content.book, content.fragments, charts.page, trees.templates,
                       stylesheets=[(trees.styles / PRINT_CSS).resolve().as_uri()], colour=palette.screen)
    return _finished(documents, _print_family(PRINT, trees), content, context)[0]


def _print_family(edition: Edition, trees) -> dom.Family:
    """How the HTML stage finishes a document for WeasyPrint: the project's trees, the shipped fonts."""
    fonts = tuple(sorted((trees.styles / "fonts").rglob("*.ttf")))
    return dom.Family(edition, tuple(trees.all()), trees.content, trees.templates, fonts=fonts)


def epub_html(context: cli.Context, content: Content, charts) -> list[Document]:
    """The EPUB's XHTML documents, finished by the HTML stage (links across files included)."""
    from atelier.outputs.epub import PACKAGE_FILES

    trees = context.trees
    documents = render(EPUB, content.book, content.fragments, charts.reflowable, trees.templates)
    made = frozenset(path for document in documents for path, _ in document.files)   # the charts' files
    family = dom.Family(EPUB, (trees.content,), trees.content, trees.templates, package_files=PACKAGE_FILES | made)
    return _finished(documents, family, content, context)


def _finished(documents: list[Document], family: dom.Family, content: Content,
              context: cli.Context) -> list[Document]:
    errors = Collector()
    finished = dom.finish(documents, family, content.fragments.pieces, errors)
    errors.raise_if_any()
    context.report.extend(errors.warnings)
    return finished


def book_meta(context: cli.Context, book: Book):
    """The book's metadata (title, slug, identifiers…): what the PDFs need of the book besides its pages."""
    return book.meta


def parts(context: cli.Context, book: Book) -> list[tuple[str, str]]:
    """Each part's anchor and the anchor after it: where the feather stage may loosen pages."""
    from atelier.outputs.pagecheck import part_boundaries

    return part_boundaries(book)


def lay_out(context: cli.Context, boundaries: list, document: Document):
    """One layout of the print HTML, shared by every product that needs pages; its short pages
    in the middle of a part are justified vertically."""
    return _laid_out(context, boundaries, document, [PRINT_CSS])


def _laid_out(context: cli.Context, boundaries: list, document: Document, stylesheets: list[str]):
    from atelier import pages
    from atelier.outputs.amend import Amendments
    from atelier.outputs.feather import feather
    from atelier.outputs.layout import lay_out as weasyprint_layout

    # The last build's page numbers are the guess the page references start from (then checked).
    last = context.cache.latest("pages") if context.cache else None
    laid_out = weasyprint_layout(document.html, context.trees, [context.trees.styles / css for css in stylesheets],
                                 context.report, guess=last.numbers if last else None, name=document.name,
                                 amendments=last.amendments if last else Amendments())
    pages.mirror_rectos(laid_out.reading)  # the book's margins are mirrored (styles/print/book.css)
    return feather(laid_out, boundaries)


def page_map(context: cli.Context, layout):
    """The pages of the book's layout as plain data: which anchors each holds, the numbers it prints."""
    return layout.page_map()


def pdf_files(context: cli.Context, meta, document: Document, layout) -> list[Artifact]:
    """The screen PDF, and the print HTML it was laid out from, page numbers written in (kept for inspection)."""
    from atelier.outputs.pdf import write_pdf

    slug = meta.slug
    return [Artifact("html", f"html/{document.name}", _kept(layout.html, context), "pdf"),
            Artifact("pdf", f"{slug}.pdf", write_pdf(layout), "pdf", pages=len(layout.pages))]


def press_files(context: cli.Context, meta, layout) -> list[Artifact]:
    """The printer's files, drawn from the screen PDF's own layout (the same pages by construction):
    the whole book (PDF/X-4), and for binding, the cover spread and the inner pages (cut from the
    whole book, only their closing blank pages drawn)."""
    from atelier.outputs.pdf import cut_press_pdf, write_press_pdf
    from atelier.pages import cover, press

    condition = palette.condition(meta.print, context.trees.content)
    inks = palette.inks(palette.output_profile(condition.profile), meta.print.inks)
    sheet = press.Sheet()
    uuid = meta.identifiers.uuid
    book = write_press_pdf(layout, uuid, condition, inks, sheet)
    inner = cover.inner_pages(layout.reading, sheet)
    blanks = write_press_pdf(layout, uuid, condition, inks, sheet, inner.blanks) if inner.blanks else None
    spine_mm = cover.spine_width_mm(inner.count, meta.print.sheet_thickness_mm)
    spread = cover.cover_spread(layout.reading, sheet, spine_mm, _spine(context, meta, layout, spine_mm))
    return [Artifact("print", f"{meta.slug}-imprimeur.pdf", book, "print", pages=len(layout.pages)),
            Artifact("print-cover", f"{meta.slug}-couverture.pdf",
                     write_press_pdf(layout, uuid + "-couverture", condition, inks, sheet, [spread]),
                     "print", pages=1),
            Artifact("print-inner", f"{meta.slug}-interieur.pdf",
                     cut_press_pdf(book, inner.taken, uuid + "-interieur", inner.first_folio, blanks),
                     "print", pages=inner.count)]


def _spine(context: cli.Context, meta, layout, spine_mm: float):
    """The spine's words laid out on a page of the spine's size (None when the spine is too narrow)."""
    from atelier.html.dom import finish_text
    from atelier.html.render import environment
    from atelier.outputs.layout import lay_out as weasyprint_layout
    from atelier.pages.cover import SPINE_TEXT_MM

    if spine_mm < SPINE_TEXT_MM:
        return None
    trees = context.trees
    css = trees.styles / SPINE_CSS
    height_mm = layout.document.pages[0].height / (96 / 25.4)
    html = environment(trees.templates).get_template("print/spine.html").render(
        meta=meta, colour=palette.screen, stylesheet=css.resolve().as_uri(),
        title=finish_text(meta.title, meta.language), publisher=finish_text(meta.publisher, meta.language),
        length_mm=f"{height_mm:.2f}", width_mm=f"{spine_mm:.2f}", size_pt=f"{min(10.0, spine_mm * 0.6 * 72 / 25.4):.1f}")
    return weasyprint_layout(html, trees, [css], context.report).document.pages[0]


def _kept(html: str, context: cli.Context) -> bytes:
    """The laid-out HTML as kept in ``output/html/``: its stylesheets named from there, relative to the
    project (``../../styles/…``), so that no file address of this machine reaches the output folder."""
    return html.replace(context.trees.styles.resolve().as_uri() + "/", "../../styles/").encode()


def cover_jpeg(context: cli.Context, layout) -> bytes:
    """The cover, as the first page of the print layout."""
    from atelier.outputs.cover import cover_image

    return cover_image(layout)


def page_list(context: cli.Context, layout) -> tuple:
    """Where each page of the printed book begins, read from its layout (for the EPUB's page list)."""
    from atelier.outputs.pagelist import page_starts

    return page_starts(layout)


def epub_files(context: cli.Context, content: Content, documents: list[Document], cover: bytes,
               pages: tuple) -> list[Artifact]:
    """The EPUB, with the printed book's page numbers, and its XHTML documents (kept for inspection)."""
    from atelier.outputs.epub import build_epub
    from atelier.outputs.pagelist import place_markers

    book = content.book
    labels = labels_for(book.meta.language)
    entries = outline(book, labels)
    documents = place_markers(documents, pages, finish_text(labels["epub.page_list"], book.meta.language))
    epub = build_epub(book, content.fragments, documents, entries, context.trees.styles / EPUB_CSS, cover,
                      pages=len(pages))
    if context.strict:  # a distributor runs EPUBCheck: a strict build does not publish what it would refuse
        from atelier.outputs import epubcheck

        problems = Collector()
        epubcheck.check(epub, f"{book.meta.slug}.epub", problems)
        problems.raise_if_any()
        context.report.extend(problems.warnings)
    return [Artifact("html", f"html/epub/{d.name}", d.html.encode(), "epub") for d in documents] + [
        Artifact("epub", f"{book.meta.slug}.epub", epub, "epub")]


def press_ready(context: cli.Context, book: Book) -> None:
    """A warning for each contact or embargo of the press kit still to be given, so that --strict refuses
    to publish the kit: made before anything is laid out (``checked_by``), it stops a strict build at once."""
    from atelier.outputs.presskit.placeholders import placeholders

    if book.meta.press is not None:
        context.report.extend(placeholders(book, labels_for(book.meta.language)))


def presskit_html(context: cli.Context, content: Content, charts, pages):
    """The press kit's documents, finished by the HTML stage; None when book.yaml has no ``press``."""
    from dataclasses import replace

    from atelier.outputs.presskit.documents import render as render_presskit

    if content.book.meta.press is None:
        return None
    trees = context.trees
    press = render_presskit(content.book, content.fragments, pages, trees.templates,
                            (trees.styles / PRESSKIT_CSS).resolve().as_uri(), charts.page,
                            tuple((trees.styles / css).resolve().as_uri() for css in FOOT_CSS))
    # The e-mail is read by mail readers, never laid out by WeasyPrint: its styles are theirs (mso-hide…).
    printed = {name: document for name, document in press.documents.items() if name != "email"}
    finished = dict(zip(printed, _finished(list(printed.values()), _print_family(PRESSKIT, trees), content,
                                           context)))
    email = dom.Family(EMAIL, tuple(trees.all()), trees.content, trees.templates)
    finished["email"] = _finished([press.documents["email"]], email, content, context)[0]
    return replace(press, documents={name: finished[name] for name in press.documents})


def lay_out_presskit(context: cli.Context, press) -> dict:
    """One small layout per printed document of the kit (the book itself is never laid out again)."""
    from atelier.outputs.presskit.documents import LAID_OUT

    if press is None:
        return {}
    return {name: _presskit_layout(context, press, name) for name in LAID_OUT if name not in ("covers", "foot")}


def _presskit_layout(context: cli.Context, press, name: str, stylesheets: tuple[str, ...] = (PRESSKIT_CSS,)):
    from atelier.outputs.layout import lay_out as weasyprint_layout

    css = [context.trees.styles / sheet for sheet in stylesheets]
    return weasyprint_layout(press.documents[name].html, context.trees, css, context.report)


def presskit_book(context: cli.Context, content: Content, press, layout):
    """The kit's files cut from the book's own layout: the cover at 300 dpi and the extracts (each
    behind a cover of its own, laid out here)."""
    from atelier.outputs.presskit.package import book_files

    if press is None:
        return None
    # A book with an edition mention prints it in the foot of its own pages (styles/print/book.css),
    # which the extracts copy; the kit's own notice is drawn there only on the pages of a book without one.
    foot = None if content.book.meta.edition else _presskit_layout(context, press, "foot", FOOT_CSS)
    return book_files(content.book, press, _presskit_layout(context, press, "covers"), layout, foot)


def presskit_drawings(context: cli.Context, content: Content, press, layouts: dict):
    """The kit's own documents drawn: the dossier and the release as PDFs, the charts and cards as PNGs."""
    from atelier.outputs.presskit.package import draw

    return None if press is None else draw(content.book, press, layouts)


def presskit_files(context: cli.Context, content: Content, press, drawn, from_book,
                   pdf: list[Artifact], epub: list[Artifact]) -> list[Artifact]:
    """Every file of ``kit-presse/``: dossier, release, visuals, extracts, the book, the press page, the zip."""
    from atelier.outputs.presskit.documents import render_page
    from atelier.outputs.presskit.package import Inputs, kit_files

    if press is None:
        return []
    trees = context.trees

    def page(files: list[dict], in_archive: bool) -> str:
        document = render_page(content.book, content.fragments, press, files, trees.templates, in_archive)
        family = dom.Family(PRESS_PAGE, tuple(trees.all()), trees.content, trees.templates,
                            package_files=frozenset(f["path"] for f in files))
        return _finished([document], family, content, context)[0].html

    inputs = Inputs(content.book, press, drawn, from_book,
                    next(a for a in pdf if a.kind == "pdf"), next(a for a in epub if a.kind == "epub"))
    return kit_files(inputs, page)


def web_html(context: cli.Context, content: Content, charts, pages) -> list[Document]:
    """The site's pages, finished by the HTML stage (links between pages relative to each page);
    ``pages`` is the book's page map, for each « p. N » (None when the build has none: ``check``)."""
    from atelier.html.web import STYLESHEET, SCRIPTS, downloads

    trees = context.trees
    documents = render(WEB, content.book, content.fragments, charts.page, trees.templates, pages=pages)
    added = frozenset([STYLESHEET, *SCRIPTS, *(d.path for d in downloads(content.book))])
    family = dom.Family(WEB, (trees.content,), trees.content, trees.templates, package_files=added,
                        address=content.book.meta.web.url or "")
    return _finished(documents, family, content, context)


def web_assets(context: cli.Context) -> dict:
    """The site's stylesheet, scripts and fonts (subsets of the shipped ones)."""
    from atelier.outputs.web import assets

    return assets(context.trees.styles)


def cards_html(context: cli.Context, content: Content) -> Document:
    """The share cards' page: the home page's, each part's and each proposal's card (titles, numbers,
    parts: no proposal's text, so that an edit of a text gives the same page and no card is made again)."""
    from atelier.html.render import book_context, environment

    trees, book = context.trees, content.book
    html = environment(trees.templates).get_template(WEB_CARDS.template("cards")).render(
        **book_context(book, content.fragments, ()), stylesheet=(trees.styles / WEB_CARDS_CSS).resolve().as_uri())
    document = Document(name="cartes.html", title=book.meta.title, html=html, kind="cards")
    return _finished([document], _print_family(WEB_CARDS, trees), content, context)[0]


def web_cards(context: cli.Context, document: Document) -> dict:
    """A share card per proposal, per part and for the home page: pages of one small layout, as PNG,
    named after the card each page holds (``data-card``)."""
    from atelier.html.web import card
    from atelier.outputs.layout import lay_out as weasyprint_layout
    from atelier.outputs.web import cards

    trees = context.trees
    layout = weasyprint_layout(document.html, trees, [trees.styles / WEB_CARDS_CSS], context.report)
    return cards(layout, [card(anchor) for anchor in re.findall(r'data-card="([^"]+)"', document.html)])


def web_search(context: cli.Context, documents: list[Document]) -> dict:
    """Pagefind's index of the finished pages."""
    from atelier.outputs.web import search_index

    problems = Collector()
    index = search_index({d.name: d.html for d in documents}, problems)
    context.report.extend(problems.problems)
    return index


def web_files(context: cli.Context, content: Content, documents: list[Document], assets: dict, cards: dict,
              index: dict, pdf: list[Artifact], epub: list[Artifact], press: list[Artifact],
              kit: list[Artifact]) -> list[Artifact]:
    """Every file of ``web/``: the pages and what they use, the book's files to download, the sitemap."""
    from atelier.html.web import downloads
    from atelier.outputs.web import site_files

    made = {"pdf": pdf, "epub": epub, "print": press, "presskit": [a for a in kit if a.path.endswith(".zip")]}
    files = {d.path: next(a for a in made[d.kind] if a.kind != "html").data for d in downloads(content.book)}
    return site_files({d.name: d.html for d in documents}, {**assets, **cards, **index}, files,
                      content.book.meta.web.url or "")


#: What the printer's and the screen layouts read besides their HTML (the book's stylesheets and fonts).
PRINT_STYLES = ("styles/print", "styles/fonts", "styles/fonts.css", "styles/palette.css")
PRESSKIT_STYLES = ("styles/presskit", "styles/print", "styles/fonts", "styles/fonts.css", "styles/palette.css")
WEB_STYLES = ("styles/web", "styles/fonts", "styles/fonts.css", "styles/palette.css")

TARGETS = {target.name: target for target in (
    Target("book", (), load_content, "check  contenu validé", reads=("content",)),
    Target("fragments", ("book",), convert, "md     Markdown en HTML"),
    Target("meta", ("book",), book_meta, by_value=True),
    Target("parts", ("book",), parts, by_value=True),
    # The charts measure their labels with the shipped sans-serif's advance widths.
    Target("charts", ("book",), book_charts, reads=("styles/fonts",)),
    # Each edition reads its own family's templates and the shared ones (the press kit's include the print's).
    Target("html.print", ("fragments", "charts"), print_html, "html   édition imprimée",
           reads=("templates/print", "templates/base", "styles/fonts"), keep=True, by_value=True),
    # Forked: it needs no layout, and is made on the second core while this process lays the book out.
    Target("html.epub", ("fragments", "charts"), epub_html, "html   édition EPUB",
           reads=("templates/epub", "templates/base"), keep=True, by_value=True, fork=True),
    # Its page map is kept whenever it is made: the next layout starts from its numbers and amendments.
    Target("layout", ("parts", "html.print"), lay_out, "layout mise en pages", reads=PRINT_STYLES,
           kept_with=("pages",), release=True),
    Target("pages", ("layout",), page_map, keep=True, by_value=True),
    Target("pdf", ("meta", "html.print", "layout"), pdf_files, "pdf    {slug}.pdf", keep=True, by_value=True,
           fork=True),
    # The printer's profile is a file of styles/icc, or one the content gives (print.profile).
    Target("print", ("meta", "layout"), press_files, "print  {slug}-imprimeur.pdf, -couverture.pdf, -interieur.pdf",
           keep=True, fork=True, reads=("styles/icc", "content", "styles/print/spine.css",
                                        "templates/print/spine.html", "styles/fonts")),
    Target("cover.jpg", ("layout",), cover_jpeg, "cover  couverture", keep=True, by_value=True),
    Target("page-list", ("layout",), page_list, "pages  numéros de page de l'imprimé, pour l'EPUB",
           keep=True, by_value=True),
    Target("epub", ("fragments", "html.epub", "cover.jpg", "page-list"), epub_files, "epub   {slug}.epub",
           reads=("styles/epub",), keep=True, by_value=True),
    Target("press.ready", ("book",), press_ready),
    Target("html.presskit", ("fragments", "charts", *PRESSKIT.page_map), presskit_html, "html   kit de presse",
           reads=("templates", "styles/fonts"), keep=True, by_value=True, checked_by=("press.ready",)),
    Target("layout.presskit", ("html.presskit",), lay_out_presskit, "layout kit de presse", reads=PRESSKIT_STYLES),
    Target("presskit.book", ("fragments", "html.presskit", "layout"), presskit_book,
           "presse couverture 300 dpi et extraits (mise en pages du livre)", reads=PRESSKIT_STYLES,
           keep=True, by_value=True, fork=True),
    # Kept apart from the kit's files: a change that reaches only the kit's copy of the book's PDF or
    # EPUB makes the press page and the zip again, not the kit's layouts and drawings.
    Target("presskit.drawn", ("fragments", "html.presskit", "layout.presskit"), presskit_drawings,
           "presse dossier, communiqué, graphiques et cartes dessinés", keep=True, by_value=True),
    Target("presskit", ("fragments", "html.presskit", "presskit.drawn", "presskit.book", "pdf", "epub"),
           presskit_files, "presse kit-presse/ (dossier, visuels, extraits, zip)", keep=True),
    Target("html.web", ("fragments", "charts", *WEB.page_map), web_html, "html   édition web",
           reads=("templates/web", "templates/base"), keep=True, by_value=True),
    Target("web.assets", (), web_assets, reads=("styles/web", "styles/fonts"), keep=True, by_value=True, fork=True),
    Target("html.cards", ("fragments",), cards_html, reads=("templates/web/cards.html",), by_value=True),
    Target("web.cards", ("html.cards",), web_cards, "web    cartes de partage",
           reads=WEB_STYLES, keep=True, by_value=True, fork=True),
    Target("web.search", ("html.web",), web_search, "web    index de recherche (Pagefind)",
           reads=("tools/pagefind/package-lock.json",), keep=True, by_value=True),
    Target("web", ("fragments", "html.web", "web.assets", "web.cards", "web.search", "pdf", "epub", "print",
                   "presskit"), web_files, "web    web/ (pages, cartes, recherche, téléchargements)", keep=True),
)}
#: What ``check`` runs: every stage that can find a problem in the content without a layout.
CHECKS = ["html.print", "html.epub", "html.web", "press.ready"]

#: What the command line can ask for, and the target that makes it.
OUTPUTS = {"pdf": "pdf", "print": "print", "epub": "epub", "presskit": "presskit", "web": "web"}


def make(content: Path, wanted: list[str], strict: bool = False) -> dict:
    """Every value the targets ``wanted`` need, made in-process from ``content``; nothing is published.

    For the measuring scripts, which read the layout itself rather than the files.
    """
    from atelier.outputs.layout import Trees
    from atelier.targets import run

    from atelier.outputs import pdfwriter

    trees = Trees(Path(content).resolve(), PROJECT / "templates", PROJECT / "styles")
    with pdfwriter.corrected():
        return run(TARGETS, wanted, cli.Context(trees=trees, strict=strict), lambda *_: None)


def main(argv: list[str] | None = None, parallel: bool = False) -> int:
    """Run the command line; return the exit status (see :mod:`atelier.cli`).

    From the command line (``parallel``), on two cores, the targets marked ``fork`` (the printer's
    PDF, the press kit's pages cut from the book) are made in forked processes; called from Python
    without it, every target runs in this one.
    """
    return cli.main(argv, TARGETS, OUTPUTS, CHECKS, PROJECT, parallel=parallel)


if __name__ == "__main__":
    # A layout makes millions of small objects that live as long as the document: with Python's
    # default thresholds the collector walks them again and again (a fifth of the layout's time).
    gc.set_threshold(50_000, 20, 100)
    signal.signal(signal.SIGINT, signal.default_int_handler)   # from here cli.main says what Ctrl-C left
    status = main(parallel=True)
    # Everything is published and synced by now; tearing the layouts down object by object would
    # only add a second to the build.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
