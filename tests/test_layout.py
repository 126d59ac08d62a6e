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


# --- what a book designer and a printer measure (issue 19) ------------------------------------

def test_at_most_ten_loose_lines_and_none_over_nine_points(layout):
    from atelier.outputs.pagecheck import PX_PER_PT, loose_lines

    justified = [line for line in layout.model.lines() if line.justified]
    assert len(justified) > 1000
    assert len(loose_lines(layout.model, 6.0)) <= 10
    assert max(line.word_space for line in justified) <= 9.0 * PX_PER_PT


def test_no_page_ends_on_a_hyphenated_word(faults, layout):
    assert not _of(faults, "mot coupé en fin de page")
    assert layout.amendments.whole_words  # the layout stage kept some words whole to get there


def test_no_page_shows_the_same_note_number_twice(faults):
    assert not _of(faults, "numéro de note en double")


def test_the_side_column_is_on_the_outer_edge_and_table_groups_are_whole(faults, layout):
    from atelier.pages import roles

    side = [line for line in layout.model.lines() if roles.SIDE_COLUMN in line.within]
    assert {line.page % 2 for line in side} == {0, 1}  # on versos and on rectos
    assert not _of(faults, "colonne latérale côté reliure")
    assert not _of(faults, "groupe de tableau coupé")
    assert not _of(faults, "ligne trop lâche")
    assert not _of(faults, "espacement ajouté excessif")


def test_every_note_prints_on_the_page_of_its_call(faults, layout):
    assert not _of(faults, "note loin de son appel")
    calls = [note for page in layout.model for note in page.note_calls]
    assert len(calls) > 50


def test_the_two_pages_of_every_spread_end_within_one_line(faults, layout):
    """The pages the next proposal's head leaves short hold an exergue (atelier/outputs/exergue.py),
    and vertical justification adds at most one line at a boundary."""
    assert not _of(faults, "double page inégale")
    assert layout.amendments.exergues


def test_the_book_passes_the_whole_layout_check(faults):
    assert faults == []


def test_a_cold_build_guesses_every_number_in_running_text_at_its_printed_width(real_build):
    """Without the last build's numbers, each « p. N » is first written as an estimate from how far
    into the text its target stands; a number in running text printed at another width costs a
    second layout of the whole book (the ten-times book's one such number, guessed 104 for 94, cost
    53 s). The estimate's measure of a page is checked against the book as printed."""
    import lxml.html

    from atelier.html.pagerefs import ALIGN, PAGE
    from atelier.outputs import pagerefs

    html = real_build.values["html.print"].html
    printed = real_build.values["pages"].numbers.pages
    guess = pagerefs.first_guess(html, set(pagerefs.targets(html)))
    running = {link.get(PAGE)[1:] for link in lxml.html.document_fromstring(html).xpath(f"//a[@{PAGE}]")
               if not link.get(ALIGN)}
    assert len(running) > 20 and running <= set(guess.pages) and running <= set(printed)
    assert {a: (guess.pages[a], printed[a]) for a in running if len(str(guess.pages[a])) != len(str(printed[a]))} == {}
