"""Package stage: the kit's documents, layouts and pictures in, every file of the kit out.

:func:`draw` draws the kit's own documents from their layouts (kept apart by the build cache);
:func:`kit_files` puts them together with the book's files, the press page and the zip.

Each file is an :class:`~atelier.outputs.publish.Artifact` with a kind of its
own, under the kit's folder (``kit-presse/``), which holds everything a
journalist or a web team needs, the book's PDF and EPUB included, so that the
folder can be put on a server as it is. The press page (``index.html``) lists
every file with its size; the zip holds every file and a copy of the press page
that does not link the zip (an archive cannot contain itself: from the unzipped
folder, every link of that copy leads to a file beside it).
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Callable

from ...html.dom import finish_text
from ...labels import labels_for
from ...model import Book
from ..layout import Layout
from ..pdf import write_pdf
from ..publish import Artifact
from . import extracts as extract_stage
from . import visuals
from .documents import PressDocuments, credit, files
from .release import email_body, plain_text

OUTPUT = "presskit"
#: The web cover's width, in pixels (the book's cover.jpg has the same).
WEB_COVER_WIDTH = 1600


@dataclass(frozen=True)
class BookFiles:
    """The files of the kit taken from the book's own layout (kept by the build cache)."""

    cover_print: bytes                    # the cover at 300 dpi, as a JPEG
    extracts: tuple[bytes, ...]           # each extract's PDF, in the order of ``press.extracts``
    cover_web: bytes = b""                # the cover 1600 px wide, as a JPEG


@dataclass(frozen=True)
class Picture:
    """One picture of the kit, encoded with what it says about itself."""

    data: bytes
    width: int
    height: int


@dataclass(frozen=True)
class Drawn:
    """The kit's own documents drawn from their layouts (kept by the build cache: a change that only
    reaches the kit's copies of the book, its EPUB's stylesheet say, does not lay the kit out again)."""

    dossier: bytes
    dossier_pages: int
    release: bytes
    release_pages: int
    charts: tuple[Picture, ...]           # each of ``press.charts`` at 300 dpi
    cards: tuple[Picture, ...]            # each of ``press.cards`` at its size in pixels


@dataclass(frozen=True)
class Inputs:
    """What the kit is made of: finished documents, their drawings, and the book's own files."""

    book: Book
    press: PressDocuments                 # documents finished by the HTML stage
    drawn: Drawn                          # the kit's own documents, drawn
    book_files: BookFiles                 # what the book's layout gives the kit
    book_pdf: Artifact
    book_epub: Artifact


def metadata(book: Book, title: str, caption: str) -> visuals.Metadata:
    """What every picture of the kit says about itself: its title and caption, the credit, the rights, the
    terms of use and the working-edition notice."""
    labels = labels_for(book.meta.language)

    def typeset(text: str) -> str:
        return finish_text(text, book.meta.language)

    return visuals.Metadata(
        title=typeset(title), caption=typeset(caption), creator=typeset(", ".join(book.meta.authors)),
        credit=typeset(credit(book, labels)), rights=typeset(book.meta.rights), terms=typeset(labels["presskit.terms"]),
        notice=typeset(f"{labels['presskit.notice_title']}. {labels['presskit.notice']}"),
        language=book.meta.language)


def book_files(book: Book, press: PressDocuments, covers_layout: Layout, book_layout: Layout,
               foot_layout: Layout | None = None) -> BookFiles:
    """The kit's files that come from the book's layout: the cover (print and web) and the extracts
    (``foot_layout``: the notice every page of an extract carries in its foot)."""
    from PIL import Image

    first = book_layout.document.pages[0]
    cover = visuals.exact(next(visuals.page_images(book_layout, visuals.PRINT_DPI, [0])),
                          visuals.pixels(first.width, first.height, visuals.PRINT_DPI))
    labels = labels_for(book.meta.language)
    covers = extract_stage.covers(covers_layout, [f"extrait-{x.id}" for x in press.extracts])
    owned = extract_stage.owners(book_layout)
    foot = foot_layout.document.pages[0] if foot_layout is not None else None
    names = (labels["presskit.extract_cover_label"], labels["presskit.extract_summary_label"])
    extracts = []
    for extract, extract_cover in zip(press.extracts, covers):
        title = finish_text(f"{extract.title} : {book.meta.metadata_title}", book.meta.language)
        data, _ = extract_stage.extract_pdf(book_layout, extract_cover, [p.id for p in extract.proposals], owned,
                                            title, foot, names)
        extracts.append(data)
    meta = metadata(book, labels.get("presskit.captions.cover", title=book.meta.title),
                    labels.get("presskit.captions.cover", title=book.meta.title))
    # The web cover is drawn from the 300 dpi one: one JPEG generation, and the same metadata.
    web = cover.resize((WEB_COVER_WIDTH, round(cover.height * WEB_COVER_WIDTH / cover.width)), Image.LANCZOS)
    return BookFiles(visuals.jpeg(cover, visuals.PRINT_DPI, meta=meta), tuple(extracts), visuals.jpeg(web, meta=meta))


def draw(book: Book, press: PressDocuments, layouts: dict[str, Layout]) -> Drawn:
    """The kit's own documents drawn from their layouts: the dossier and the release as PDFs, the
    charts and the share cards as PNGs with their metadata."""
    labels = labels_for(book.meta.language)
    charts = []
    for chart, image in zip(press.charts, visuals.page_images(layouts["charts"], visuals.PRINT_DPI)):
        data = visuals.png(image, visuals.PRINT_DPI, meta=metadata(book, chart.title, _chart_text(chart)))
        charts.append(Picture(data, image.width, image.height))
    cards = []
    for card, image in zip(press.cards, visuals.page_images(layouts["cards"], visuals.CSS_DPI)):
        title, text, _ = _card_words(book, labels, card)
        image = visuals.exact(image, (card.width, card.height))
        cards.append(Picture(visuals.png(image, meta=metadata(book, title, text)), image.width, image.height))
    dossier, release = layouts["dossier"], layouts["release"]
    return Drawn(write_pdf(dossier), len(dossier.pages), write_pdf(release), len(release.pages),
                 tuple(charts), tuple(cards))


def _chart_text(chart) -> str:
    """A chart's caption in the kit: its title, then its caption."""
    return f"{chart.title}. {chart.caption}"


def _card_words(book: Book, labels, card) -> tuple[str, str, str]:
    """A share card's title, caption and line on the press page."""
    if card.axis is None:
        return (book.meta.title,
                labels.get("presskit.captions.card_book", title=book.meta.title,
                           count=labels.plural("presskit.part_count", len(book.proposals))),
                labels.get("presskit.files.card_book", width=card.width, height=card.height))
    return (card.axis.title,
            labels.get("presskit.captions.card", number=card.axis.number, title=card.axis.title,
                       count=labels.plural("presskit.part_count", len(card.axis.proposals))),
            labels.get("presskit.files.card", number=card.axis.number, title=card.axis.title,
                       width=card.width, height=card.height))


def kit_files(inputs: Inputs, page: Callable[[list[dict], bool], str]) -> list[Artifact]:
    """Every file of the kit; ``page(files, in_archive)`` is the finished press page listing ``files``
    (``in_archive``: the copy the zip holds)."""
    labels = labels_for(inputs.book.meta.language)
    folder = labels["presskit.folder"]
    listed: list[tuple[Artifact, str, str, bool]] = []   # artifact, group, label, preview on the page

    def add(kind: str, path: str, data: bytes, group: str, label: str, pages=None, preview=False) -> None:
        listed.append((Artifact(kind, f"{folder}/{path}", data, OUTPUT, pages=pages), group, label, preview))

    where = files(inputs.book, labels)
    _documents(inputs, labels, add, where)
    _visuals(inputs, labels, add, where)
    _extracts(inputs, labels, add)
    add("presse-livre-pdf", where["book_pdf"], inputs.book_pdf.data, "livre",
        labels.get("presskit.files.book_pdf", pages=inputs.book_pdf.pages), pages=inputs.book_pdf.pages)
    add("presse-livre-epub", where["book_epub"], inputs.book_epub.data, "livre", labels["presskit.files.book_epub"])
    return _with_page_and_zip(listed, folder, labels, page, inputs.book, where)


def _documents(inputs: Inputs, labels, add, where: dict) -> None:
    drawn = inputs.drawn
    add("presse-dossier", where["dossier"], drawn.dossier, "dossier",
        labels.get("presskit.files.dossier", pages=drawn.dossier_pages), pages=drawn.dossier_pages)
    add("presse-communique-pdf", where["release_pdf"], drawn.release, "communique",
        labels["presskit.files.communique_pdf"], pages=drawn.release_pages)
    add("presse-communique-html", where["release_html"],
        email_body(inputs.press.documents["email"].html).encode(), "communique",
        labels["presskit.files.communique_html"])
    add("presse-communique-texte", where["release_txt"],
        plain_text(inputs.press.documents["email"].html).encode(), "communique",
        labels["presskit.files.communique_txt"])


def _visuals(inputs: Inputs, labels, add, where: dict) -> None:
    book = inputs.book
    captions = [labels.get("presskit.captions.intro", title=book.meta.title), ""]
    credit_line = credit(book, labels)

    def caption(path: str, text: str) -> None:
        captions.extend([path, f"  Légende : {text}", f"  {credit_line}", ""])

    cover = inputs.book_files.cover_print
    width, height = _size(cover)
    add("presse-couverture-impression", "visuels/couverture-300dpi.jpg", cover,
        "visuels", labels.get("presskit.files.cover_print", width=width, height=height))
    web = _size(inputs.book_files.cover_web)
    add("presse-couverture-web", "visuels/couverture-web.jpg", inputs.book_files.cover_web, "visuels",
        labels.get("presskit.files.cover_web", width=web[0], height=web[1]), preview=True)
    for name in ("couverture-300dpi.jpg", "couverture-web.jpg"):
        caption(f"visuels/{name}", labels.get("presskit.captions.cover", title=book.meta.title))
    for chart, image in zip(inputs.press.charts, inputs.drawn.charts):
        add("presse-graphique-svg", f"visuels/graphiques/{chart.id}.svg", chart.svg.encode(), "visuels",
            labels.get("presskit.files.chart_svg", title=chart.title))
        add("presse-graphique-png", f"visuels/graphiques/{chart.id}.png", image.data,
            "visuels", labels.get("presskit.files.chart_png", title=chart.title, width=image.width,
                                  height=image.height))
        for suffix in ("svg", "png"):
            caption(f"visuels/graphiques/{chart.id}.{suffix}", _chart_text(chart))
    add("presse-cle", where["key"], inputs.press.key.encode("utf-8"), "visuels", labels["presskit.files.key"])
    captions.extend([where["key"], f"  {labels['presskit.captions.key']}", ""])
    for card, image in zip(inputs.press.cards, inputs.drawn.cards):
        _, text, label = _card_words(book, labels, card)
        path = f"visuels/cartes/{card.name}"
        add("presse-carte", path, image.data, "visuels", label, preview=card.width == 1200)
        caption(path, text)
    captions.append(labels["presskit.terms"])
    captions.append("")
    captions.append(f"{labels['presskit.notice_title']}. {labels['presskit.notice']}")
    # The captions are text for readers: the same typography as every other text of the kit.
    text = "\n".join(finish_text(line, book.meta.language) for line in captions) + "\n"
    add("presse-legendes", where["captions"], text.encode(), "visuels", labels["presskit.files.captions"])


def _extracts(inputs: Inputs, labels, add) -> None:
    for extract, data in zip(inputs.press.extracts, inputs.book_files.extracts):
        add("presse-extrait", f"extraits/{extract.file}", data, "extraits",
            labels.get("presskit.files.extract", title=extract.title, n=len(extract.proposals)))


def _with_page_and_zip(listed, folder: str, labels, page: Callable[[list[dict], bool], str], book: Book,
                       where: dict) -> list[Artifact]:
    """The press page and the zip. The zip holds every file and a copy of the press page that does not
    link the zip (it cannot hold itself); the page served beside the zip links it, with its size."""
    files_listed = [_listing(a, group, label, preview, folder, labels) for a, group, label, preview in listed]
    archived = Artifact("presse-page", f"{folder}/index.html", page(files_listed, True).encode(), OUTPUT)
    archive = _zip([a for a, *_ in listed] + [archived], book)
    served_files = files_listed + [{"path": where["zip"], "group": "zip", "label": labels["presskit.files.zip"],
                                    "size": _size_text(len(archive), labels), "preview": False}]
    index = Artifact("presse-page", f"{folder}/index.html", page(served_files, False).encode(), OUTPUT)
    return [a for a, *_ in listed] + [index, Artifact("presse-archive", f"{folder}/{where['zip']}", archive, OUTPUT)]


def _listing(artifact: Artifact, group: str, label: str, preview: bool, folder: str, labels) -> dict:
    """One line of the press page's list of files."""
    return {"path": artifact.path.removeprefix(f"{folder}/"), "group": group, "label": label,
            "size": _size_text(len(artifact.data), labels), "preview": preview}


def _size_text(size: int, labels) -> str:
    """A size as the press page shows it: « 350 ko », « 1,2 Mo »."""
    if size >= 1_000_000:
        return labels.get("presskit.sizes.mb", n=f"{size / 1e6:.1f}".replace(".", ","))
    return labels.get("presskit.sizes.kb", n=max(1, round(size / 1e3)))


def _zip(artifacts: list[Artifact], book: Book) -> bytes:
    """Every file in one zip, under the kit's folder; dated with the press date, so the same kit
    gives the same bytes."""
    date = book.meta.press.date or book.meta.date
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for artifact in artifacts:
            info = zipfile.ZipInfo(artifact.path, date_time=(date.year, date.month, date.day, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, artifact.data)
    return buffer.getvalue()


def _size(jpeg: bytes) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(jpeg)) as image:
        return image.size
