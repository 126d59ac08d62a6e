"""What the screen PDF's structure tells a screen reader: corrections of WeasyPrint 70's tagging.

WeasyPrint 70 tags a PDF/UA document from its boxes, and a reader of the book would trip on four
things it does:

- the running heads and folios (margin boxes) are tagged content attached to no structure, where
  PDF/UA wants them marked as artifacts (ISO 14289-1, 7.8): here they are ``/Artifact`` of type
  ``/Pagination``, attached to nothing;
- the dots of a leader (contents, part lists) are read aloud, « point point point »: here they are
  ``/Artifact`` of type ``/Layout``, as is everything the HTML hides from assistive technologies
  (``aria-hidden="true"``: the cost and ease pictograms, whose word stands beside them);
- a note is a ``/Span``, and its call in the text leads nowhere: here a note (``data-role="note"``)
  is a ``/Note`` with the ``/ID`` PDF/UA asks of it (7.9), and its call (``::footnote-call``) is a
  link to it, described « note N » (``call_text``);
- a link's description (``/Contents``) is its target's anchor (« axe-etat »): here it is the link's
  visible text (an ``aria-label`` when it has one), which a reader hears when tabbing to it.

The corrections are made while WeasyPrint writes the file (:func:`accessible`), on the one version
:mod:`atelier.pages.guard` accepts; nothing of the layout changes, only what the file says of it.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field

#: The attribute by which the templates mark a note (:mod:`atelier.pages.roles`).
NOTE_ROLE = "note"


@dataclass
class Hidden:
    """The boxes of a document whose content is an artifact: ``pagination`` (running heads, folios)
    and ``layout`` (leaders, content hidden from assistive technologies); ids of the box objects."""

    pagination: set[int] = field(default_factory=set)
    layout: set[int] = field(default_factory=set)
    #: What each box inside a link says of it (:func:`link_text` of the link's ``a`` element).
    link_texts: dict[int, str] = field(default_factory=dict)
    #: Each page's note calls (index of the page → its calls' boxes, their note's anchor and number).
    calls: dict[int, list] = field(default_factory=dict)

    def kind(self, box) -> str | None:
        """``"Pagination"``, ``"Layout"`` or None for ``box``."""
        if id(box) in self.pagination:
            return "Pagination"
        if id(box) in self.layout:
            return "Layout"
        return None


def hidden_boxes(pages) -> Hidden:
    """The artifact boxes of WeasyPrint's ``pages`` (a document's ``pages``), every descendant included."""
    from weasyprint.formatting_structure import boxes

    hidden = Hidden()

    def walk(box, into: set[int] | None, link: str | None) -> None:
        if into is None:
            if isinstance(box, boxes.MarginBox):
                into = hidden.pagination
            elif box.is_leader or _hidden_element(box):
                into = hidden.layout
        if into is not None:
            into.add(id(box))
        if box.element is not None and box.element.tag == "a" and box.element_tag == "a":
            link = link_text(box.element)
        if link:
            hidden.link_texts[id(box)] = link
        if str(box.element_tag).endswith("::footnote-call") and box.element is not None \
                and not isinstance(box, boxes.TextBox) and box.element.get("id"):
            number = "".join(child.text for child in getattr(box, "children", ()) if hasattr(child, "text"))
            hidden.calls.setdefault(index, []).append((box, box.element.get("id"), number.strip()))
        for child in getattr(box, "children", ()):
            walk(child, into, link)

    for index, page in enumerate(pages):
        walk(page._page_box, None, None)
    return hidden


def _hidden_element(box) -> bool:
    element = box.element
    return element is not None and element.get("aria-hidden") == "true"


def link_text(element) -> str:
    """What a link (an ``a`` element) says to a reader: its ``aria-label``, else its text, spaces folded."""
    label = element.get("aria-label") or "".join(element.itertext())
    return " ".join(label.replace("\u00ad", "").split())


@contextmanager
def accessible(document, call_text: str = "note {number}"):
    """WeasyPrint corrected, for writing ``document``, as the module says; as it was afterwards.

    ``call_text``: what a note's call says to a reader, ``{number}`` its number."""
    import pydyf
    import weasyprint.pdf as pdf_module
    from weasyprint.pdf import stream as stream_module
    from weasyprint.pdf import tags as tags_module

    hidden = hidden_boxes(document.pages)
    # A call links to its note when the note is in the document (an extract may leave its page out).
    anchors = {name for page in document.pages for name in page.anchors}
    for index in hidden.calls:
        hidden.calls[index] = [call for call in hidden.calls[index] if call[1] in anchors]
    calls = {id(box) for page_calls in hidden.calls.values() for box, _, _ in page_calls}
    kept_links = [(page, page.links) for page in document.pages]
    notes = iter(range(1, 1_000_000))
    marked, build_box_tree, add_links = (stream_module.Stream.marked, tags_module._build_box_tree,
                                         pdf_module.add_links)

    @contextmanager
    def marked_or_artifact(stream, box, tag):
        kind = hidden.kind(box)
        if kind is None:
            with marked(stream, box, tag):
                yield
            return
        tagged = stream._tags is not None
        if tagged:
            pydyf.Stream.begin_marked_content(stream, "Artifact", pydyf.Dictionary({"Type": f"/{kind}"}))
        try:
            yield
        finally:
            if tagged:
                pydyf.Stream.end_marked_content(stream)

    def build_without_artifacts(box, parent, *rest):
        target = box._box if isinstance(box, tags_module.AbsolutePlaceholder) else box
        if hidden.kind(target) is not None:
            return
        for element in build_box_tree(box, parent, *rest):
            if _is_note(target):
                element["S"] = "/Note"
                element["ID"] = pydyf.String(f"note-{next(notes)}")
            elif id(target) in calls:
                element["S"] = "/Link"
            yield element

    def add_described_links(links_and_anchors, *rest):
        add_links(links_and_anchors, *rest)
        for _, _, _, box in links_and_anchors[0]:
            annotation = getattr(box, "link_annotation", None)
            text = hidden.link_texts.get(id(box))
            if annotation is not None and text and "Contents" in annotation:
                annotation["Contents"] = pydyf.String(text)

    for index, page_calls in hidden.calls.items():
        for box, _, number in page_calls:
            hidden.link_texts[id(box)] = call_text.format(number=number)
    stream_module.Stream.marked = marked_or_artifact
    tags_module._build_box_tree = build_without_artifacts
    pdf_module.add_links = add_described_links
    try:
        for index, page_calls in hidden.calls.items():
            page = document.pages[index]
            page.links = list(page.links) + [("internal", anchor, _hit_rectangle(box), box)
                                             for box, anchor, _ in page_calls]
        yield
    finally:
        stream_module.Stream.marked = marked
        tags_module._build_box_tree = build_box_tree
        pdf_module.add_links = add_links
        for page, links in kept_links:
            page.links = links


def _is_note(box) -> bool:
    element = box.element
    return (element is not None and element.get("data-role") == NOTE_ROLE
            and box.element_tag == element.tag)


def _hit_rectangle(box) -> tuple[float, float, float, float]:
    """The area a link on ``box`` covers, as WeasyPrint lists a page's links (CSS pixels)."""
    x, y, width, height = box.hit_area()
    return x, y, x + width, y + height
