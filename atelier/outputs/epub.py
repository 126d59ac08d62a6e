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
``xml:lang`` on ``<package>``; in the NCX, its depth (ebooklib writes 0), the
page list of the navigation document (``pageList``, for EPUB 2 reading systems)
and a ``playOrder`` on every entry, one per target in reading order. The same
page list is also written as an Adobe page map (:data:`PAGE_MAP`), which
Calibre carries into the EPUB 2 and Kobo files it converts.
"""
from __future__ import annotations

import datetime
import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..editions.epub import COVER_FILE, NAV_FILE
from ..errors import Collector, ContentError
from ..html import safety
from ..html.dom import finish_text
from ..html.markup import Fragments
from ..html.render import Document, Entry, release, start_of_text
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
#: The roles of the book's makers (MARC relator codes): its authors wrote it, its publisher published it.
AUTHOR, PUBLISHER = "aut", "pbl"


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
    for path, data in dict(f for d in documents for f in d.files).items():   # the charts, made for the EPUB
        package.add_item(epub.EpubImage(uid=_uid(path), file_name=path, media_type=_media_type(path), content=data))
    package.toc = _ncx_toc(outline, book, epub)
    package.add_item(epub.EpubNcx())
    labels = labels_for(book.meta.language)
    start = start_of_text(documents).name
    package.guide = [{"type": "cover", "href": COVER_FILE, "title": labels["sections.cover.title"]},
                     {"type": "toc", "href": NAV_FILE, "title": labels["sections.toc.title"]},
                     {"type": "text", "href": start, "title": labels["epub.start"]}]
    ncx = NcxPlan(depth=2 if any(entry.children for entry in outline) else 1, positions=reading_positions(documents),
                  pages=page_list(documents))
    if ncx.pages:
        package.add_item(epub.EpubItem(uid="page-map", file_name=PAGE_MAP, media_type=PAGE_MAP_TYPE,
                                       content=page_map(ncx.pages)))
    return _write(package, book, epub, ncx)


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
    # The book's identifier is its ISBN when it has one (what distributors and reading systems file it
    # under); its uuid stays beside it, so that the earlier files of the same book are recognised.
    isbn = meta.identifiers.isbn_epub
    package.set_identifier(f"urn:isbn:{isbn}" if isbn else meta.identifiers.uuid)
    if isbn:
        package.add_metadata("DC", "identifier", meta.identifiers.uuid, {"id": "uuid"})
    package.set_title(text(meta.metadata_title))
    package.set_language(language)
    for index, author in enumerate(meta.authors):
        package.add_author(text(author), uid=f"creator{index}", role=AUTHOR)
    package.add_metadata("DC", "publisher", text(meta.publisher), {"id": "publisher"})
    package.add_metadata(None, "meta", PUBLISHER, {"refines": "#publisher", "property": "role",
                                                   "scheme": "marc:relators"})
    package.add_metadata("DC", "date", meta.date.isoformat())
    package.add_metadata("DC", "rights", text(meta.rights))
    package.add_metadata("DC", "description", text(fragments.description))
    if meta.subtitle:
        package.add_metadata("DC", "title", text(fragments.subtitle), {"id": "subtitle"})
        package.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})
    for keyword in meta.keywords:
        package.add_metadata("DC", "subject", text(keyword))
    if meta.version:
        package.add_metadata(None, "meta", meta.version, {"property": "schema:version"})


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
    summary = labels.get("epub.accessibility_summary" if pages else "epub.accessibility_summary_unpaged",
                         pages=pages, source=source)
    meta("schema:accessibilitySummary", finish_text(summary, book.meta.language))
    meta("dcterms:conformsTo", CONFORMS_TO)
    meta("a11y:certifiedBy", finish_text(book.meta.publisher, book.meta.language))
    if pages:
        meta("pageBreakSource", source)


def print_source(book: Book) -> str:
    """The edition the page numbers come from: its ISBN when it has one, else the printed edition
    by title and version (a reader, or a distributor, has no use for a file name)."""
    isbn = book.meta.identifiers.isbn_print
    if isbn:
        return f"urn:isbn:{isbn}"
    labels = labels_for(book.meta.language)
    line = release(book.meta, labels).line
    source = labels.get("epub.print_edition_version" if line else "epub.print_edition", title=book.meta.title,
                        release=line)
    return finish_text(source, book.meta.language)


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


# --- the NCX, for EPUB 2 reading systems ----------------------------------------------------

NCX = "{http://www.daisy.org/z3986/2005/ncx/}"


@dataclass(frozen=True)
class NcxPlan:
    """What the NCX needs that ebooklib does not write: its depth, the page list, the reading order."""

    depth: int
    positions: dict[str, tuple[int, int]]   # each link target ("file" or "file#id") and where it is read
    pages: tuple[tuple[str, str], ...]      # the page list of the navigation document: (label, href)


def reading_positions(documents: list[Document]) -> dict[str, tuple[int, int]]:
    """Where each possible link target is in the reading order: (document, element) in document order.

    A file alone is read before anything in it.
    """
    import lxml.etree

    positions: dict[str, tuple[int, int]] = {}
    for index, document in enumerate(documents):
        positions[document.name] = (index, -1)
        tree = lxml.etree.fromstring(document.html.encode("utf-8"))
        for order, element in enumerate(tree.iter()):
            if isinstance(element.tag, str) and element.get("id"):
                positions.setdefault(f"{document.name}#{element.get('id')}", (index, order))
    return positions


def page_list(documents: list[Document]) -> tuple[tuple[str, str], ...]:
    """The page list of the navigation document, (label, href) in order: the NCX's is made from it."""
    import lxml.etree

    nav = next((d for d in documents if d.kind == "nav"), None)
    if nav is None:
        return ()
    tree = lxml.etree.fromstring(nav.html.encode("utf-8"))
    found = tree.find(f".//{{{safety.XHTML}}}nav[@{{{safety.OPS}}}type='page-list']")
    if found is None:
        return ()
    return tuple(("".join(link.itertext()).strip(), link.get("href")) for link in found.iter(f"{{{safety.XHTML}}}a"))


#: Adobe's page map: the same page list once more, for converters and Adobe-engine readers that look
#: for it by its media type (Calibre rebuilds the NCX of an EPUB 3 from the navigation's table of
#: contents and keeps the print pages only from here). The ``page-map`` attribute of the spine that
#: EPUB 2 used is not allowed in EPUB 3, so the file is only listed in the manifest.
PAGE_MAP, PAGE_MAP_TYPE = "page-map.xml", "application/oebps-page-map+xml"


def page_map(pages: tuple[tuple[str, str], ...]) -> bytes:
    """The page list as an Adobe page map."""
    import lxml.etree

    opf = "http://www.idpf.org/2007/opf"
    root = lxml.etree.Element(f"{{{opf}}}page-map", nsmap={None: opf})
    for label, href in pages:
        lxml.etree.SubElement(root, f"{{{opf}}}page", {"name": label, "href": href})
    lxml.etree.indent(root, space="  ")
    return lxml.etree.tostring(root, xml_declaration=True, encoding="utf-8") + b"\n"


def _finished_ncx(tree, plan: NcxPlan, title: str) -> None:
    """The NCX's depth, its page list (``pageList``, the same pages as the navigation document's) and
    every entry's ``playOrder``: one number per target, in reading order (EPUB 2 reading systems such as
    Adobe Digital Editions and older Kobo firmware read print pages and order from here)."""
    import lxml.etree

    pages = [label for label, _ in plan.pages]
    numeric = [int(label) for label in pages if label.isdigit()]
    for meta in tree.iter(f"{NCX}meta"):
        name = meta.get("name")
        if name == "dtb:depth":
            meta.set("content", str(plan.depth))
        elif name == "dtb:totalPageCount":
            meta.set("content", str(len(pages)))
        elif name == "dtb:maxPageNumber":
            meta.set("content", str(max(numeric, default=0)))
    nav_map = tree.find(f"{NCX}navMap")
    if plan.pages:
        listing = lxml.etree.Element(f"{NCX}pageList")
        label = lxml.etree.SubElement(lxml.etree.SubElement(listing, f"{NCX}navLabel"), f"{NCX}text")
        label.text = title
        for number, (text, href) in enumerate(plan.pages, 1):
            target = lxml.etree.SubElement(listing, f"{NCX}pageTarget", {
                "id": f"page-{number}", "type": "normal" if text.isdigit() else "front", "value": str(number)})
            lxml.etree.SubElement(lxml.etree.SubElement(target, f"{NCX}navLabel"), f"{NCX}text").text = text
            lxml.etree.SubElement(target, f"{NCX}content", {"src": href})
        nav_map.addnext(listing)
    entries = [e for e in tree.iter(f"{NCX}navPoint", f"{NCX}pageTarget")]
    targets = {e: e.find(f"{NCX}content").get("src") for e in entries}
    unknown = sorted({src for src in targets.values() if src not in plan.positions})
    if unknown:
        raise ValueError(f"the NCX points at targets the package does not have: {unknown[:3]}")
    ranks = {src: rank for rank, src in enumerate(sorted(set(targets.values()), key=plan.positions.__getitem__), 1)}
    for entry in entries:
        entry.set("playOrder", str(ranks[targets[entry]]))
    lxml.etree.indent(tree, space="  ")


def _write(package, book: Book, epub, ncx: NcxPlan) -> bytes:
    # The modification date is the release's (book.yaml: release_date): two builds of one version are
    # identical, and each new version tells readers and distributors that the file changed.
    mtime = book.meta.modified
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "book.epub"
        # ebooklib's own page list would list every element with an epub:type (its issue #339):
        # the navigation document carries the one made from the layout (outputs/pagelist.py).
        epub.write_epub(str(target), package, {"raise_exceptions": True, "mtime": mtime,
                                               "epub3_pages": False})
        return _with_fixed_timestamps(target.read_bytes(), mtime,
                                      lambda name, data: _finished_package(name, data, book, ncx))


def _finished_package(name: str, data: bytes, book: Book, ncx: NcxPlan) -> bytes:
    """What ebooklib cannot write: the package's language; the NCX's depth, page list and play order."""
    import lxml.etree

    if name.endswith(".opf"):
        tree = lxml.etree.fromstring(data)
        tree.set(f"{{{safety.XML}}}lang", book.meta.language)
        return lxml.etree.tostring(tree, xml_declaration=True, encoding="utf-8") + b"\n"
    if name.endswith(".ncx"):
        tree = lxml.etree.fromstring(data, lxml.etree.XMLParser(remove_blank_text=True))
        _finished_ncx(tree, ncx, finish_text(labels_for(book.meta.language)["epub.page_list"], book.meta.language))
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
