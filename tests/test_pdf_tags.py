"""The screen PDF's structure, as a screen reader meets it (atelier/pages/tagging.py).

Running heads and folios are pagination artifacts attached to no structure, leader dots and the
pictograms the HTML hides (``aria-hidden``) are layout artifacts, every other marked content belongs
to the structure tree, each note is a ``/Note`` with its own ``/ID``, and each link is described by
its words, not by its target's anchor.
"""
from __future__ import annotations

import re
import subprocess
from collections import Counter

import pikepdf
import pytest
from weasyprint.formatting_structure import boxes

pytestmark = pytest.mark.xdist_group("real-book")


@pytest.fixture(scope="module")
def screen(real_build):
    with pikepdf.open(real_build.path("pdf")) as pdf:
        yield pdf


def _reachable(pdf) -> tuple[set, list]:
    """The structure elements reachable from the root, and the notes among them."""
    seen, notes = set(), []

    def walk(node):
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node and node.objgen not in seen:
            seen.add(node.objgen)
            if node.S == "/Note":
                notes.append(node)
            if "/K" in node:
                walk(node.K)

    walk(pdf.Root.StructTreeRoot.K)
    return seen, notes


def _marked(page) -> tuple[list[int], Counter]:
    """The MCIDs a page's content marks, and its artifacts by type."""
    mcids, artifacts = [], Counter()
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC":
            if operands[0] == "/Artifact":
                artifacts[str(operands[1].get("/Type"))] += 1
            else:
                mcids.append(int(operands[1].MCID))
    return mcids, artifacts


def _text_boxes(box, inside: bool, hidden) -> int:
    """Text boxes under ``box`` for which ``hidden(box)`` holds (or an ancestor's did)."""
    inside = inside or hidden(box)
    count = int(inside and isinstance(box, boxes.TextBox))
    return count + sum(_text_boxes(child, inside, hidden) for child in getattr(box, "children", ()))


def _layout_hidden(box) -> bool:
    element = box.element
    return box.is_leader or (element is not None and element.get("aria-hidden") == "true")


def test_every_marked_content_belongs_to_the_structure(screen):
    reachable, _ = _reachable(screen)
    parent_tree = screen.Root.StructTreeRoot.ParentTree.Nums
    by_page = {int(parent_tree[i]): parent_tree[i + 1] for i in range(0, len(parent_tree), 2)
               if isinstance(parent_tree[i + 1], pikepdf.Array)}
    detached, marked = [], 0
    for number, page in enumerate(screen.pages):
        mcids, _ = _marked(page)
        marked += len(mcids)
        detached += [(number + 1, mcid) for mcid in mcids if by_page[number][mcid].objgen not in reachable]
    assert marked > 5000 and detached == []


def test_running_heads_folios_leaders_and_pictograms_are_artifacts(screen, real_build):
    pages = real_build.layouts["layout"].document.pages
    assert len(pages) == len(screen.pages)
    checked = Counter()
    for number, (page, pdf_page) in enumerate(zip(pages, screen.pages), 1):
        _, artifacts = _marked(pdf_page)
        margins = _text_boxes(page._page_box, False, lambda box: isinstance(box, boxes.MarginBox))
        hidden = _text_boxes(page._page_box, False, _layout_hidden)
        assert (artifacts["/Pagination"], artifacts["/Layout"]) == (margins, hidden), f"page {number}"
        checked["folios"] += margins > 0
        checked["hidden"] += hidden > 0
    assert checked["folios"] > 80 and checked["hidden"] > 60   # most pages: a folio; every proposal: pictograms


def test_each_note_is_a_note_with_its_own_id(screen, real_build):
    _, notes = _reachable(screen)
    html = real_build.path("pdf").parent / "html" / real_build.path("pdf").with_suffix(".html").name
    in_html = len(re.findall(r'data-role="note"', html.read_text(encoding="utf-8")))
    assert in_html > 50 and len(notes) >= in_html        # a note split over two pages has two parts
    ids = [str(note.ID) for note in notes]
    assert len(set(ids)) == len(ids)


def test_each_link_is_described_by_its_words(screen):
    described = Counter()
    for number, page in enumerate(screen.pages, 1):
        for annotation in page.get("/Annots", []):
            if annotation.get("/Subtype") != "/Link":
                continue
            contents = str(annotation.get("/Contents", ""))
            target = str(annotation.get("/Dest", "")) or str(annotation.get("/A", {}).get("/URI", ""))
            assert contents and contents != target and re.search(r"[A-Za-zÀ-ÿ]", contents), (number, contents)
            described[contents.split(" ")[0]] += 1
    assert described["proposition"] > 60        # the index's numbers and the summary's pages say whose they are


def test_each_note_call_is_a_link_to_its_note(screen, real_build):
    notes = [anchor for page in real_build.layouts["layout"].model for anchor in page.notes]
    calls = {}
    for page in screen.pages:
        for annotation in page.get("/Annots", []):
            if str(annotation.get("/Contents", "")).startswith("note "):
                calls[str(annotation.Dest)] = str(annotation.Contents)
    assert len(notes) > 50 and set(notes) <= set(calls)
    destinations = pikepdf.NameTree(screen.Root.Names.Dests)
    assert all(target in destinations for target in calls)    # each call's target is a destination of the file


def test_a_hyphenated_word_is_extracted_whole(real_build):
    lines = list(real_build.layouts["layout"].model.lines())
    hyphenated = [index for index, line in enumerate(lines) if line.hyphenated and not line.aside and not line.note]
    assert len(hyphenated) > 50        # the book hyphenates: the check below means something
    text = subprocess.run(["pdftotext", str(real_build.path("pdf")), "-"], capture_output=True, text=True,
                          check=True).stdout.splitlines()
    assert not [line for line in text if line.endswith("\u2010")]
    # A word broken at the end of a column or a page is the one extraction cannot join (a block ends there).
    split = [(line, after) for line, after in zip(text, text[1:]) if re.search(r"[^\W\d_]-$", line) and after]
    assert split == []
    for index in hyphenated[:20]:      # « proposi- » then « tions » read as « propositions »
        word = re.search(r"(\w+)-$", lines[index].text).group(1) + re.match(r"\w+", lines[index + 1].text).group(0)
        assert any(word in line for line in text), word


def test_notes_are_numbered_from_one_in_each_chapter_and_part(real_build):
    model = real_build.layouts["layout"].model
    numbers = [int(number.rstrip(".")) for page in model for number in page.note_numbers]
    runs, run = [], []
    for number in numbers:
        if number == 1 and run:
            runs.append(run)
            run = []
        run.append(number)
    runs.append(run)
    assert all(run == list(range(1, len(run) + 1)) for run in runs), runs
    assert len(runs) >= 6 and max(numbers) < len(numbers) / 2   # the parts and chapters with notes, each from 1
