"""PDF stage: the two PDFs, both written from the one layout of the print HTML.

- The screen PDF (:func:`write_pdf`, variant :data:`SCREEN`): tagged PDF/UA-1,
  language, metadata and bookmarks from the HTML, links kept, fonts subset.
- The printer's PDF (:func:`write_press_pdf`, variant :data:`PRESS`): PDF/X-4
  drawn from the same layout (:mod:`atelier.pages.press`: bleed, slug, crop marks
  in registration colour, CMYK inks swapped in at draw time, the CMYK profile as
  output intent), without link annotations, which PDF/X does not allow on the
  page and a press has no use for. Equal pagination holds by construction. The
  inner pages for binding are cut from it (:func:`cut_press_pdf`), not drawn again.
"""
from __future__ import annotations

import copy
import re

from .layout import Layout

#: The screen PDF's variant: tagged, for readers and assistive technologies.
SCREEN = "pdf/ua-1"
#: The printer's PDF's variant.
PRESS = "pdf/x-4"


def write_pdf(layout: Layout, variant: str | None = SCREEN) -> bytes:
    """The PDF bytes of ``layout`` (``variant`` changes what is written, never the layout); a tagged
    variant's structure corrected for screen readers (:func:`tagged`)."""
    if variant != SCREEN:
        return layout.document.write_pdf(pdf_variant=variant, uncompressed_pdf=False)
    with tagged(layout.document):
        return layout.document.write_pdf(pdf_variant=variant, uncompressed_pdf=False)


def tagged(document):
    """For writing ``document`` tagged: WeasyPrint's tagging corrected for screen readers
    (:func:`atelier.pages.tagging.accessible`), a note's call announced in the document's language."""
    from ..labels import labels_for
    from ..pages.tagging import accessible

    labels = labels_for(document.metadata.lang or "fr")
    return accessible(document, labels.get("proposal.note_call", number="{number}"))


def write_press_pdf(layout: Layout, identifier: str, condition, inks, sheet=None, pages=None) -> bytes:
    """The printer's PDF, drawn from the screen ``layout``: PDF/X-4, the same pages on a sheet with
    bleed, slug and crop marks, every colour in CMYK through ``inks`` (see
    :func:`atelier.palette.inks`), the printing ``condition`` (:class:`atelier.palette.Condition`)
    as the output intent, named as ISO 15930-7 asks, no link annotations.

    ``pages``: the pages to print, drawn for the press (:mod:`atelier.pages.press`, :mod:`atelier.pages.cover`),
    every page of the book by default.

    PDF/X wants a modification date and a document ID in its metadata, which
    WeasyPrint takes from the clock and a random UUID; here they are the
    edition's date and ``identifier`` (the book's ``urn:uuid:…``, with a suffix per file), so
    that the same content gives the same file, byte for byte.
    """
    from functools import partial

    from .. import palette
    from ..pages import press

    sheet = sheet or press.Sheet()
    profile = condition.profile
    if pages is None:
        pages = press.printers_pages(layout.reading, sheet)
    document = layout.document.copy(pages)
    document.color_profiles = press.output_intent(profile)
    document.metadata = copy.copy(document.metadata)
    document.metadata.modified = document.metadata.modified or document.metadata.created
    bleed_boxes = press.bleed_boxes(sheet)

    def finish(document, pdf) -> None:
        bleed_boxes(document, pdf)
        _name_the_condition(pdf, condition)
        metadata = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
        metadata.stream = [_pdfx_metadata(_with_document_id(part, identifier)) for part in metadata.stream]

    with press.printing_inks(inks, partial(palette.cmyk_jpeg, profile=profile), THINNEST_PT):
        return document.write_pdf(pdf_variant=PRESS, uncompressed_pdf=False, finisher=finish)


def cut_press_pdf(book: bytes, taken: range, identifier: str, first_folio: int, blanks: bytes | None = None) -> bytes:
    """Pages ``taken`` (0-based) of the printer's PDF ``book``, then the pages of ``blanks`` (blank pages
    drawn for the press by :func:`write_press_pdf`), as a PDF of their own: the book's pages are cut, not
    drawn a second time (drawing is most of a printer's PDF's time), so they are the book's byte for byte.

    What the book's PDF says of the pages left out goes with them (bookmarks, named destinations);
    ``first_folio`` is the page number a viewer shows for the first page (``/PageLabels``); the XMP
    document ID is the book's with ``identifier``'s suffix, as :func:`write_press_pdf` writes it.
    The output intent, the metadata and the boxes of every page are the book's.
    """
    import io

    import pikepdf

    pdf = pikepdf.open(io.BytesIO(book))
    kept = {pdf.pages[index].objgen for index in taken}
    for index in reversed(range(len(pdf.pages))):
        if index not in taken:
            del pdf.pages[index]
    if blanks:
        pdf.pages.extend(pikepdf.open(io.BytesIO(blanks)).pages)
        _share_profiles(pdf, len(taken))
    _keep_destinations(pdf, kept)
    pdf.remove_unreferenced_resources()   # WeasyPrint's pages share one resource dictionary: the covers' images
    if first_folio != 1:
        pdf.Root.PageLabels = pikepdf.Dictionary(Nums=[0, pikepdf.Dictionary(S=pikepdf.Name.D, St=first_folio)])
    pdf.Root.Metadata.write(_with_document_id(pdf.Root.Metadata.read_bytes(), identifier))
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _with_document_id(xmp: bytes, identifier: str) -> bytes:
    """``xmp`` whose document ID is ``identifier`` (a ``urn:uuid:…``, with a suffix per file), not a random one."""
    return re.sub(rb"xmp\.did:[0-9a-f-]+", b"xmp.did:" + identifier.removeprefix("urn:uuid:").encode("ascii"), xmp)


def _share_profiles(pdf, first_added: int) -> None:
    """The pages from ``first_added`` on came from another file, with their own copy of the ICC profile
    (128 kB): they use the book's, where the two are the same bytes."""
    import pikepdf

    book = pdf.pages[0].Resources.get("/ColorSpace", pikepdf.Dictionary())
    for page in pdf.pages[first_added:]:
        spaces = page.Resources.get("/ColorSpace", pikepdf.Dictionary())
        for name, space in spaces.items():
            ours = book.get(name)
            if (isinstance(space, pikepdf.Array) and isinstance(ours, pikepdf.Array) and len(space) == len(ours) == 2
                    and space[0] == ours[0] == pikepdf.Name.ICCBased
                    and space[1].read_raw_bytes() == ours[1].read_raw_bytes()):
                spaces[name] = ours


def _keep_destinations(pdf, kept: set) -> None:
    """Only the bookmarks and named destinations that lead to a page in ``kept`` (objgen pairs); a
    bookmark with no page of its own stays while one of its children does."""
    import pikepdf

    def page(destination):
        return destination[0].objgen if isinstance(destination, pikepdf.Array) and len(destination) else None

    if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
        destinations = pikepdf.NameTree(pdf.Root.Names.Dests)
        for name in [name for name, target in destinations.items() if page(target) not in kept]:
            del destinations[name]

    def pruned(items):
        left = []
        for item in items:
            item.children[:] = pruned(list(item.children))
            if page(item.destination) in kept or item.children:
                left.append(item)
        return left

    with pdf.open_outline() as outline:
        outline.root[:] = pruned(list(outline.root))


#: The ICC's registry of characterised printing conditions, named in an output intent that uses one.
ICC_REGISTRY = "http://www.color.org"


def _name_the_condition(pdf, condition) -> None:
    """The output intent names its printing condition (WeasyPrint writes the profile's description)."""
    import pydyf

    intent = pdf.catalog["OutputIntents"][0]
    intent["OutputConditionIdentifier"] = pydyf.String(condition.identifier)
    intent["OutputCondition"] = pydyf.String(condition.description)
    intent["Info"] = pydyf.String(condition.description)
    if condition.registered:
        intent["RegistryName"] = pydyf.String(ICC_REGISTRY)
    pdf.info["GTS_PDFXVersion"] = pydyf.String(PDFX_VERSION)


#: The version PDF/X-4 files name themselves by, in the document information and in XMP (pdfxid:).
PDFX_VERSION = "PDF/X-4"


def _pdfx_metadata(xmp: bytes) -> bytes:
    """WeasyPrint's XMP without the keys PDF/X-4 does not define (``pdfx:GTS_PDFXConformance``, and the
    ``pdfx:`` copy of the version: ISO 15930-7 identifies the file by ``pdfxid:GTS_PDFXVersion``)."""
    return re.sub(rb"<pdfx:GTS_PDFX(?:Conformance|Version)>[^<]*</pdfx:GTS_PDFX(?:Conformance|Version)>", b"", xmp)


#: The thinnest line a press holds: 0.1 mm (a hairline of a chart is drawn this thick in print).
THINNEST_PT = 0.1 * 72 / 25.4
