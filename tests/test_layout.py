"""The layout check on the real book: what a book designer looks for, page by page.

Measured on WeasyPrint's layout, the one the PDF is written from (see
:mod:`atelier.outputs.pagecheck`), so every fault names its page.
"""
from __future__ import annotations

import statistics

import pytest

from atelier.outputs.lines import lines
from atelier.outputs.pagecheck import emptiness, page_faults, part_boundaries

pytestmark = pytest.mark.xdist_group("real-book")  # one worker builds the real book (conftest)


@pytest.fixture(scope="module")
def layout(real_build):
    return real_build.values["layout"]


@pytest.fixture(scope="module")
def book(real_build):
    return real_build.values["book"]


@pytest.fixture(scope="module")
def faults(layout, book):
    return page_faults(layout.model, part_boundaries(book))


def _of(faults, kind):
    return [(fault.page, fault.detail) for fault in faults if fault.kind == kind]


def test_the_check_sees_every_part(layout, book):
    parts = part_boundaries(book)
    assert len(parts) == len(book.axes)
    assert all(layout.page_of(start) < layout.page_of(end) for start, end in parts)


def test_nothing_is_drawn_outside_the_sheet(faults):
    assert not _of(faults, "hors de la page")


def test_no_heading_and_no_table_group_header_ends_a_page(faults):
    assert not _of(faults, "titre en pied de page")
    assert not _of(faults, "intertitre de tableau en pied de page")
    assert not _of(faults, "en-tête de fiche en pied de page")


def test_no_paragraph_leaves_a_single_line_on_a_page(faults):
    assert not _of(faults, "ligne seule")


def test_the_only_blank_pages_are_versos_before_a_right_hand_page(faults):
    assert not _of(faults, "page blanche")


def test_no_page_in_the_middle_of_a_part_is_more_than_15_percent_empty(faults):
    assert not _of(faults, "page trop vide")


def test_part_openers_are_right_hand_pages(layout, book):
    assert all(layout.page_of(axis.anchor) % 2 == 1 for axis in book.axes)


def test_the_emptiness_measure_sees_a_short_page(layout, book):
    # The page before a part opener ends its part: it may be short, and the measure must say so.
    before = [layout.page_of(axis.anchor) - 1 for axis in book.axes[1:]]
    assert max(emptiness(layout.model[page]) for page in before) > 0.15


def test_body_text_is_set_at_60_to_80_characters_a_line(layout):
    full_lines = [len(line.text) for line in lines(layout)
                  if line.tag == "p" and not line.paragraph_end and not line.aside]
    assert 60 <= statistics.median(full_lines) <= 80


def test_no_page_number_runs_into_its_title_or_past_the_measure(layout):
    """A number after a leader (contents, a part's list) begins where its leader ends and every one
    of a list ends on the same right edge (a hanging indent once broke both in WeasyPrint 70)."""
    edges: dict = {}
    for page in layout.model:
        for number in page.numbers:
            if number.leader_right is None:
                continue
            assert number.left >= number.leader_right - 1e-3, (number.text, number.anchor)
            edges.setdefault(page.number, set()).add(round(number.right, 1))
    assert edges and all(len(right) == 1 for right in edges.values()), edges
