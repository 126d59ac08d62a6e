"""EPUB stage: ebooklib packages the EPUB documents into an EPUB 3 file.

The package carries a navigation document and an NCX (for older readers),
landmarks, a linear cover page whose image is rendered from the print
cover, the stylesheet, the images the text uses and the publication's
metadata.
"""
from __future__ import annotations

import dataclasses
import datetime
import io
import re
import zipfile
import tempfile
from pathlib import Path

from .markup import anchor_for_proposal, expand_figures
from .model import Book
from .render import Document

EPUB_CSS = "styles/book.css"
COVER_IMAGE = "images/cover.png"


def build_epub(book: Book, documents: list[Document], stylesheet: Path, cover_png: bytes) -> bytes:
    """Assemble ``documents`` into an EPUB 3 and return its bytes."""
    from ebooklib import epub  # heavy import kept inside the stage that needs it

    package = epub.EpubBook()
    _set_metadata(package, book)
    css = epub.EpubItem(uid="css", file_name=EPUB_CSS, media_type="text/css",
                        content=stylesheet.read_bytes())
    package.add_item(css)
    cover = epub.EpubCover(uid="cover-img", file_name=COVER_IMAGE)
    cover.content = cover_png
    package.add_item(cover)
    package.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-img"})

    documents = _link_across_files(documents)
    items, spine = _add_documents(package, documents, css, book, epub)
    for path in _images_used(documents):
        package.add_item(epub.EpubImage(uid=_uid(path), file_name=path,
                                        media_type=_media_type(path),
                                        content=(book.content_dir / path).read_bytes()))

    package.toc = _toc(items, epub)
    package.add_item(epub.EpubNcx())
    package.add_item(epub.EpubNav(title="Sommaire"))
    package.spine = spine
    start = next((item for doc, item in items if doc.role == "body"), items[0][1])
    package.guide = [{"type": "cover", "href": items[0][1].file_name, "title": "Couverture"},
                     {"type": "toc", "href": "nav.xhtml", "title": "Sommaire"},
                     {"type": "text", "href": start.file_name, "title": "Début du texte"}]
    return _write(package, book, epub)


def _add_documents(package, documents: list[Document], css, book: Book, epub):
    """Add each document to the package; return (document, item) pairs and the reading order.

    The navigation document takes the place of the table of contents in the
    book's ``contents`` (right after the cover when the book has none).
    """
    items, spine = [], []
    for document in documents:
        if document.kind == "nav":
            spine.append("nav")
            continue
        item = epub.EpubHtml(uid=Path(document.name).stem, file_name=document.name,
                             title=document.title, lang=book.meta.language)
        item.content = document.html.encode("utf-8")
        item.add_item(css)
        package.add_item(item)
        items.append((document, item))
        spine.append(item)
    if "nav" not in spine:
        spine.insert(1, "nav")
    return items, spine


def _set_metadata(package, book: Book) -> None:
    meta = book.meta
    package.set_identifier(meta.identifiers.uuid)
    package.set_title(meta.title)
    package.set_language(meta.language)
    for index, author in enumerate(meta.authors):
        package.add_author(author, uid=f"creator{index}")
    package.add_metadata("DC", "publisher", meta.publisher)
    package.add_metadata("DC", "date", meta.date.isoformat())
    package.add_metadata("DC", "rights", meta.rights)
    package.add_metadata("DC", "description", expand_figures(meta.description, book))
    if meta.subtitle:
        package.add_metadata("DC", "title", expand_figures(meta.subtitle, book), {"id": "subtitle"})
        package.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})
    for keyword in meta.keywords:
        package.add_metadata("DC", "subject", keyword)
    if meta.identifiers.isbn_epub:
        package.add_metadata("DC", "identifier", f"urn:isbn:{meta.identifiers.isbn_epub}", {"id": "isbn"})


def _toc(items, epub) -> list:
    """Chapters in order; the parts grouped under one heading, each listing its proposals."""
    toc, parts = [], None
    for document, item in items:
        if document.kind == "cover":
            continue
        if document.axis is None:
            toc.append(epub.Link(item.file_name, document.title, Path(item.file_name).stem))
            continue
        if parts is None:  # the first part opens the group; the others join it
            parts = []
            toc.append((epub.Section("Les propositions", item.file_name), parts))
        proposals = [epub.Link(f"{item.file_name}#{anchor_for_proposal(p.id)}",
                               f"{p.number}. {p.title}", anchor_for_proposal(p.id))
                     for p in document.axis.proposals]
        parts.append((epub.Section(document.title, item.file_name), proposals))
    return toc


def _link_across_files(documents: list[Document]) -> list[Document]:
    """Point ``href="#id"`` at the file that holds ``id`` when it is another document."""
    owner = {}
    for document in documents:
        for anchor in re.findall(r'\bid="([^"]+)"', document.html):
            owner.setdefault(anchor, document.name)

    def relink(document: Document) -> Document:
        def target(match):
            anchor = match.group(1)
            home = owner.get(anchor, document.name)
            return f'href="{"" if home == document.name else home}#{anchor}"'
        html = re.sub(r'href="#([^"]+)"', target, document.html)
        return dataclasses.replace(document, html=html)

    return [relink(document) for document in documents]


def _images_used(documents: list[Document]) -> list[str]:
    found = []
    for document in documents:
        for src in re.findall(r'<img\b[^>]*\bsrc="([^"]+)"', document.html):
            if src != COVER_IMAGE and not src.startswith("data:") and src not in found:
                found.append(src)
    return found


def _uid(path: str) -> str:
    return "img-" + re.sub(r"[^A-Za-z0-9]+", "-", path)


def _media_type(path: str) -> str:
    suffix = Path(path).suffix.lower()
    return {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
            ".svg": "image/svg+xml", ".gif": "image/gif", ".webp": "image/webp"}.get(suffix, "application/octet-stream")


def _write(package, book: Book, epub) -> bytes:
    # The modification date comes from the publication date so that two builds are identical.
    mtime = datetime.datetime.combine(book.meta.date, datetime.time(0, 0))
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "book.epub"
        epub.write_epub(str(target), package, {"raise_exceptions": True, "mtime": mtime,
                                               "epub3_pages": False, "landmark_title": "Repères"})
        return _with_fixed_timestamps(target.read_bytes(), mtime)


def _with_fixed_timestamps(data: bytes, moment: datetime.datetime) -> bytes:
    """Re-pack the archive with every entry dated ``moment``, so identical input gives identical bytes.

    ``mimetype`` stays first and uncompressed, as the EPUB container requires.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return buffer.getvalue()
