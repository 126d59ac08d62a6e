"""EPUB stage: ebooklib packages the finished EPUB documents into an EPUB 3 file.

The documents arrive finished (checked, linked, typeset, with the printed
book's page markers) and are stored byte for byte as published in
``output/html/epub/``: the navigation document is one of them, made from a
template. ebooklib writes the package document, the NCX (for older readers)
and the container; the cover image comes from the layout of the print
edition, and the images the text uses are the content files the HTML stage
checked.

The package document carries the EPUB Accessibility 1.1 metadata. What
ebooklib cannot write is added to its output afterwards (:func:`_finished_package`):
``xml:lang`` on ``<package>``, and the NCX's depth (ebooklib writes 0).
"""
from __future__ import annotations

import datetime
import io
import tempfile
import zipfile
from pathlib import Path

from ..editions.epub import COVER_FILE, NAV_FILE
from ..errors import Collector, ContentError
from ..html import safety
from ..html.dom import finish_text
from ..html.markup import Fragments
from ..html.render import Document, Entry, start_of_text
from ..labels import labels_for
from ..model import Book

EPUB_CSS = "styles/book.css"
COVER_IMAGE = "images/cover.jpg"
PACKAGE_FILES = frozenset({EPUB_CSS, COVER_IMAGE})
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".svg": "image/svg+xml", ".gif": "image/gif", ".webp": "image/webp"}


#: The conformance the accessibility metadata claims (EPUB Accessibility 1.1, § 2.1).
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
#: What the book offers (schema.org accessibilityFeature values), each true of every build:
#: the headings and the navigation are generated, every image has an alternative (the HTML
#: stage refuses one without), the charts come with their data as tables, the printed pages are marked.
ACCESSIBILITY_FEATURES = ("structuralNavigation", "tableOfContents", "readingOrder", "alternativeText", "index")
#: What the page markers add (``printPageNumbers`` is the older name of the last two).
PAGE_FEATURES = ("printPageNumbers", "pageBreakMarkers", "pageNavigation")


def build_epub(book: Book, fragments: Fragments, documents: list[Document], outline: list[Entry],
               stylesheet: Path, cover_jpeg: bytes, pages: int = 0) -> bytes:
    """Assemble ``documents`` into an EPUB 3 and return its bytes.

    ``pages`` is the page count of the printed book whose page markers the documents
    carry (0: none); the package then names the printer's PDF as their source.
    """
    from ebooklib import epub  # heavy import kept inside the stage that needs it

    _check_stylesheet(stylesheet)
    package = epub.EpubBook()
    _set_metadata(package, book, fragments)
    _set_accessibility(package, book, pages)
    package.add_item(epub.EpubItem(uid="css", file_name=EPUB_CSS, media_type="text/css",
                                   content=stylesheet.read_bytes()))
    cover = epub.EpubCover(uid="cover-img", file_name=COVER_IMAGE)
    cover.content = cover_jpeg
    package.add_item(cover)
    package.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-img"})
    package.spine = [_add_document(package, document, epub) for document in documents]
    for path in dict.fromkeys(r for d in documents for r in d.resources):
        package.add_item(epub.EpubImage(uid=_uid(path), file_name=path, media_type=_media_type(path),
                                        content=(book.content_dir / path).read_bytes()))
    package.toc = _ncx_toc(outline, book, epub)
    package.add_item(epub.EpubNcx())
    labels = labels_for(book.meta.language)
    start = start_of_text(documents).name
    package.guide = [{"type": "cover", "href": COVER_FILE, "title": labels["sections.cover.title"]},
                     {"type": "toc", "href": NAV_FILE, "title": labels["sections.toc.title"]},
                     {"type": "text", "href": start, "title": labels["epub.start"]}]
    return _write(package, book, epub, depth=2 if any(entry.children for entry in outline) else 1)


def _add_document(package, document: Document, epub):
    """Store one finished document as it is (ebooklib would otherwise rebuild its <head>)."""
    item = epub.EpubItem(uid=Path(document.name).stem, file_name=document.name,
                         media_type="application/xhtml+xml", content=document.html.encode("utf-8"))
    item.properties = ["nav"] if document.kind == "nav" else []
    if "<svg" in document.html:
        item.properties.append("svg")
    package.add_item(item)
    return item


def _set_metadata(package, book: Book, fragments: Fragments) -> None:
    meta, language = book.meta, book.meta.language
    text = lambda value: finish_text(value, language)  # noqa: E731  (metadata gets the text passes too)
    package.set_identifier(meta.identifiers.uuid)
    package.set_title(text(meta.title))
    package.set_language(language)
    for index, author in enumerate(meta.authors):
        package.add_author(text(author), uid=f"creator{index}")
    package.add_metadata("DC", "publisher", text(meta.publisher))
    package.add_metadata("DC", "date", meta.date.isoformat())
    package.add_metadata("DC", "rights", text(meta.rights))
    package.add_metadata("DC", "description", text(fragments.description))
    if meta.subtitle:
        package.add_metadata("DC", "title", text(fragments.subtitle), {"id": "subtitle"})
        package.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})
    for keyword in meta.keywords:
        package.add_metadata("DC", "subject", text(keyword))
    if meta.identifiers.isbn_epub:
        package.add_metadata("DC", "identifier", f"urn:isbn:{meta.identifiers.isbn_epub}", {"id": "isbn"})


def _set_accessibility(package, book: Book, pages: int) -> None:
    """The EPUB Accessibility 1.1 metadata: how the book can be read, what it offers, what it claims."""
    labels = labels_for(book.meta.language)
    meta = lambda prop, value: package.add_metadata(None, "meta", value, {"property": prop})  # noqa: E731
    # Text, and images (the cover at least). Every image has a text alternative and every chart
    # its data as a table: text alone is enough.
    for mode in ("textual", "visual"):
        meta("schema:accessMode", mode)
    for sufficient in ("textual", "textual,visual"):
        meta("schema:accessModeSufficient", sufficient)
    for feature in ACCESSIBILITY_FEATURES + (PAGE_FEATURES if pages else ()):
        meta("schema:accessibilityFeature", feature)
    meta("schema:accessibilityHazard", "none")
    source = print_source(book)
    summary = labels.get("epub.accessibility_summary", pages=pages, source=source)
    meta("schema:accessibilitySummary", finish_text(summary, book.meta.language))
    meta("dcterms:conformsTo", CONFORMS_TO)
    meta("a11y:certifiedBy", finish_text(book.meta.publisher, book.meta.language))
    if pages:
        meta("pageBreakSource", source)


def print_source(book: Book) -> str:
    """The edition the page numbers come from: its ISBN when it has one, else the printer's PDF."""
    isbn = book.meta.identifiers.isbn_print
    return f"urn:isbn:{isbn}" if isbn else f"{book.meta.slug}-imprimeur.pdf"


def _ncx_toc(outline: list[Entry], book: Book, epub) -> list:
    """The NCX for older readers, from the same outline as the navigation document."""
    labels = labels_for(book.meta.language)
    text = lambda value: finish_text(value, book.meta.language)  # noqa: E731  (typeset like the nav)
    toc = []
    for entry in outline:
        if entry.kind != "axis":
            toc.append(epub.Link(entry.epub_href, text(entry.title), entry.anchor))
            continue
        title = text(labels.get("part.numbered_title", number=entry.number, title=entry.title))
        children = [epub.Link(child.epub_href, text(labels.get("proposal.numbered_title", number=child.number,
                                                                title=child.title)), child.anchor)
                    for child in entry.children]
        toc.append((epub.Section(title, entry.epub_href), children))
    return toc


def _check_stylesheet(stylesheet: Path) -> None:
    """The EPUB's stylesheet travels inside the package: it may not call anything from outside."""
    outside = [url for url in safety.css_urls(stylesheet.read_text(encoding="utf-8"))
               if not url.startswith(("#", "data:image/"))]
    if outside:
        errors = Collector()
        errors.add(stylesheet, 1, 1, "RESSOURCE-REFUSEE",
                   f"la feuille de style de l'EPUB appelle « {outside[0]} » ; elle ne peut rien charger "
                   "d'autre que des images data:.")
        raise ContentError(errors.problems)


def _uid(path: str) -> str:
    return "img-" + "".join(c if c.isalnum() else "-" for c in path)


def _media_type(path: str) -> str:
    return MEDIA_TYPES[Path(path).suffix.lower()]


def _write(package, book: Book, epub, depth: int) -> bytes:
    # The modification date comes from the publication date so that two builds are identical.
    mtime = datetime.datetime.combine(book.meta.date, datetime.time(0, 0))
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "book.epub"
        # ebooklib's own page list would list every element with an epub:type (its issue #339):
        # the navigation document carries the one made from the layout (outputs/pagelist.py).
        epub.write_epub(str(target), package, {"raise_exceptions": True, "mtime": mtime,
                                               "epub3_pages": False})
        return _with_fixed_timestamps(target.read_bytes(), mtime,
                                      lambda name, data: _finished_package(name, data, book, depth))


def _finished_package(name: str, data: bytes, book: Book, depth: int) -> bytes:
    """What ebooklib cannot write: the package's language, and the depth of the NCX's table of contents."""
    import lxml.etree

    if name.endswith(".opf"):
        tree = lxml.etree.fromstring(data)
        tree.set(f"{{{safety.XML}}}lang", book.meta.language)
        return lxml.etree.tostring(tree, xml_declaration=True, encoding="utf-8") + b"\n"
    if name.endswith(".ncx"):
        tree = lxml.etree.fromstring(data)
        for meta in tree.iter("{http://www.daisy.org/z3986/2005/ncx/}meta"):
            if meta.get("name") == "dtb:depth":
                meta.set("content", str(depth))
        return lxml.etree.tostring(tree, xml_declaration=True, encoding="utf-8") + b"\n"
    return data


def _with_fixed_timestamps(data: bytes, moment: datetime.datetime, transform=lambda name, data: data) -> bytes:
    """Re-pack the archive with every entry dated ``moment``, so identical input gives identical bytes.

    ``mimetype`` stays first and uncompressed, as the EPUB container requires; ``transform``
    may change an entry's bytes on the way.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=moment.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, transform(info.filename, source.read(info.filename)))
    return buffer.getvalue()
