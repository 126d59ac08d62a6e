"""Package stage: the kit's documents, layouts and pictures in, every file of the kit out.

Each file is an :class:`~atelier.outputs.publish.Artifact` with a kind of its
own, under the kit's folder (``kit-presse/``), which holds everything a
journalist or a web team needs, the book's PDF and EPUB included, so that the
folder can be put on a server as it is. The press page (``index.html``) lists
every file with its size, the zip holds every file, the press page included.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Callable

from ...html.dom import finish_text
from ...html.render import in_running_text
from ...labels import labels_for
from ...model import Book
from ..layout import Layout
from ..pdf import write_pdf
from ..publish import Artifact
from . import extracts as extract_stage
from . import visuals
from .documents import PressDocuments
from .release import email_body, plain_text

OUTPUT = "presskit"


@dataclass(frozen=True)
class BookFiles:
    """The files of the kit taken from the book's own layout (kept by the build cache)."""

    cover_print: bytes                    # the cover at 300 dpi, as a JPEG
    extracts: tuple[bytes, ...]           # each extract's PDF, in the order of ``press.extracts``


@dataclass(frozen=True)
class Inputs:
    """What the kit is made of: finished documents, their layouts, and the book's own files."""

    book: Book
    press: PressDocuments                 # documents finished by the HTML stage
    layouts: dict[str, Layout]            # the kit's own layouts, by document name
    book_files: BookFiles                 # what the book's layout gives the kit
    cover_web: bytes                      # the book's cover.jpg
    book_pdf: Artifact
    book_epub: Artifact


def book_files(book: Book, press: PressDocuments, covers_layout: Layout, book_layout: Layout) -> BookFiles:
    """The kit's files that come from the book's layout: the print cover and the extracts."""
    first = book_layout.document.pages[0]
    cover = visuals.exact(visuals.page_images(book_layout, visuals.PRINT_DPI, [0])[0],
                          visuals.pixels(first.width, first.height, visuals.PRINT_DPI))
    labels = labels_for(book.meta.language)
    covers = extract_stage.covers(covers_layout, [f"extrait-{x.actor.id}" for x in press.extracts])
    owned = extract_stage.owners(book_layout)
    extracts = []
    for extract, extract_cover in zip(press.extracts, covers):
        title = labels.get("presskit.extract_title", actor=in_running_text(extract.actor.label))
        data, _ = extract_stage.extract_pdf(book_layout, extract_cover, [p.id for p in extract.proposals], owned,
                                            finish_text(f"{title} : {book.meta.title}", book.meta.language))
        extracts.append(data)
    return BookFiles(visuals.jpeg(cover, visuals.PRINT_DPI), tuple(extracts))


def kit_files(inputs: Inputs, page: Callable[[list[dict]], str]) -> list[Artifact]:
    """Every file of the kit; ``page(files)`` is the finished press page listing ``files``."""
    labels = labels_for(inputs.book.meta.language)
    folder = labels["presskit.folder"]
    listed: list[tuple[Artifact, str, str, bool]] = []   # artifact, group, label, preview on the page

    def add(kind: str, path: str, data: bytes, group: str, label: str, pages=None, preview=False) -> None:
        listed.append((Artifact(kind, f"{folder}/{path}", data, OUTPUT, pages=pages), group, label, preview))

    _documents(inputs, labels, add)
    _visuals(inputs, labels, add)
    _extracts(inputs, labels, add)
    book = inputs.book
    add("presse-livre-pdf", f"livre/{inputs.book_pdf.path}", inputs.book_pdf.data, "livre",
        labels.get("presskit.files.book_pdf", pages=inputs.book_pdf.pages), pages=inputs.book_pdf.pages)
    add("presse-livre-epub", f"livre/{inputs.book_epub.path}", inputs.book_epub.data, "livre",
        labels["presskit.files.book_epub"])
    return _with_page_and_zip(listed, folder, labels, page, book)


def _documents(inputs: Inputs, labels, add) -> None:
    dossier = inputs.layouts["dossier"]
    add("presse-dossier", "dossier-de-presse.pdf", write_pdf(dossier), "dossier",
        labels.get("presskit.files.dossier", pages=len(dossier.pages)), pages=len(dossier.pages))
    release = inputs.layouts["release"]
    add("presse-communique-pdf", "communique/communique-de-presse.pdf", write_pdf(release), "communique",
        labels["presskit.files.communique_pdf"], pages=len(release.pages))
    add("presse-communique-html", "communique/communique-de-presse.html",
        email_body(inputs.press.documents["email"].html).encode(), "communique",
        labels["presskit.files.communique_html"])
    add("presse-communique-texte", "communique/communique-de-presse.txt",
        plain_text(inputs.press.documents["email"].html).encode(), "communique",
        labels["presskit.files.communique_txt"])


def _visuals(inputs: Inputs, labels, add) -> None:
    book = inputs.book
    captions = [labels.get("presskit.captions.intro", title=book.meta.title), ""]
    credit = labels.get("presskit.credit", publisher=book.meta.publisher, title=book.meta.title,
                        year=book.meta.date.year)

    def caption(path: str, text: str) -> None:
        captions.extend([f"visuels/{path}", f"  Légende : {text}", f"  {credit}", ""])

    cover = inputs.book_files.cover_print
    width, height = _size(cover)
    add("presse-couverture-impression", "visuels/couverture-300dpi.jpg", cover,
        "visuels", labels.get("presskit.files.cover_print", width=width, height=height))
    web = _size(inputs.cover_web)
    add("presse-couverture-web", "visuels/couverture-web.jpg", inputs.cover_web, "visuels",
        labels.get("presskit.files.cover_web", width=web[0], height=web[1]), preview=True)
    for name in ("couverture-300dpi.jpg", "couverture-web.jpg"):
        caption(name, labels.get("presskit.captions.cover", title=book.meta.title))
    for chart, image in zip(inputs.press.charts, visuals.page_images(inputs.layouts["charts"], visuals.PRINT_DPI)):
        add("presse-graphique-svg", f"visuels/graphiques/{chart.id}.svg", chart.svg.encode(), "visuels",
            labels.get("presskit.files.chart_svg", title=chart.title))
        add("presse-graphique-png", f"visuels/graphiques/{chart.id}.png", visuals.png(image, visuals.PRINT_DPI),
            "visuels", labels.get("presskit.files.chart_png", title=chart.title, width=image.width,
                                  height=image.height))
        for suffix in ("svg", "png"):
            caption(f"graphiques/{chart.id}.{suffix}", f"{chart.title}. {chart.caption}")
    for axis, image in zip(book.axes, visuals.page_images(inputs.layouts["cards"], visuals.CSS_DPI)):
        image = visuals.exact(image, (1200, 630))
        name = f"cartes/partie-{axis.number}-{axis.id}.png"
        add("presse-carte", f"visuels/{name}", visuals.png(image), "visuels",
            labels.get("presskit.files.card", number=axis.number, title=axis.title), preview=True)
        caption(name, labels.get("presskit.captions.card", number=axis.number, title=axis.title,
                                 count=labels.plural("presskit.part_count", len(axis.proposals))))
    captions.append(labels["presskit.terms"])
    captions.append("")
    captions.append(f"{labels['presskit.notice_title']}. {labels['presskit.notice']}")
    # The captions are text for readers: the same typography as every other text of the kit.
    text = "\n".join(finish_text(line, book.meta.language) for line in captions) + "\n"
    add("presse-legendes", "visuels/legendes-et-credits.txt", text.encode(), "visuels",
        labels["presskit.files.captions"])


def _extracts(inputs: Inputs, labels, add) -> None:
    for extract, data in zip(inputs.press.extracts, inputs.book_files.extracts):
        add("presse-extrait", f"extraits/{extract.file}", data, "extraits",
            labels.get("presskit.files.extract", actor=in_running_text(extract.actor.label), n=len(extract.proposals)))


def _with_page_and_zip(listed, folder: str, labels, page: Callable[[list[dict]], str], book: Book) -> list[Artifact]:
    """The press page and the zip: the page gives the zip's size, the zip holds the page.

    The size is shown rounded, so a second pass (the zip with the page that gives its size)
    settles it; a third is never needed in practice, and the loop stops at a fixed point.
    """
    zip_path = f"{folder}/{labels['presskit.zip']}"
    size_text = "…"
    for _ in range(4):
        files = [_listing(a, group, label, preview, folder, labels) for a, group, label, preview in listed]
        files.append({"path": labels["presskit.zip"], "group": "zip", "label": labels["presskit.files.zip"],
                      "size": size_text, "preview": False})
        index = Artifact("presse-page", f"{folder}/index.html", page(files).encode(), OUTPUT)
        archive = _zip([a for a, *_ in listed] + [index], folder, book)
        if _size_text(len(archive), labels) == size_text:
            break
        size_text = _size_text(len(archive), labels)
    return [a for a, *_ in listed] + [index, Artifact("presse-archive", zip_path, archive, OUTPUT)]


def _listing(artifact: Artifact, group: str, label: str, preview: bool, folder: str, labels) -> dict:
    """One line of the press page's list of files."""
    return {"path": artifact.path.removeprefix(f"{folder}/"), "group": group, "label": label,
            "size": _size_text(len(artifact.data), labels), "preview": preview}


def _size_text(size: int, labels) -> str:
    """A size as the press page shows it: « 350 ko », « 1,2 Mo »."""
    if size >= 1_000_000:
        return labels.get("presskit.sizes.mb", n=f"{size / 1e6:.1f}".replace(".", ","))
    return labels.get("presskit.sizes.kb", n=max(1, round(size / 1e3)))


def _zip(artifacts: list[Artifact], folder: str, book: Book) -> bytes:
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
