"""Exergues: a proposal's own sentence set in the space its last page leaves (atelier/outputs/exergue.py).

The choice of the sentence and the markup are checked on small proposals; the amendment on a small
document laid out by WeasyPrint (the page breaks stay where they were, the exergue fills the space);
the book's exergues on the real build (each quotes its proposal word for word, inside the text block).
"""
from __future__ import annotations

import re

import lxml.html
import pytest

from atelier.outputs import amend, exergue
from atelier.outputs.amend import Amendments
from atelier.pages import roles
from conftest import ROOT, laid_out


def _proposal(body: str, anchor: str = "p1") -> str:
    return (f'<section data-role="proposal" id="{anchor}"><header data-role="keep-with-next set-as-one">'
            f'<h2>Titre de la proposition</h2><p data-role="keep-with-next">Un résumé assez long pour être choisi '
            f'si la tête de la proposition comptait parmi son texte.</p></header>'
            f'<div data-role="set-as-one"><p>S’adresse à : l’État, les collectivités territoriales.</p></div>'
            f'<div class="body">{body}</div></section>')


def _tree(html: str):
    return lxml.html.fragment_fromstring(html)


def test_the_sentence_stands_alone_and_fits():
    body = ("<p>Il faudrait ensuite que chacun s’y retrouve sans peine dans la durée du programme.</p>"
            "<p>Le fonds serait abondé chaque année (voir plus haut) par les régions volontaires du pays.</p>"
            "<p>Cette mesure rejoint la proposition 12 et prolonge ce qu’elle prévoit pour les communes.</p>"
            "<p>Court.</p>"
            "<p>Un fonds commun dans chaque région recevrait les dons des entreprises implantées.<span "
            'data-role="note">Une note qui ne compte pas.</span> Il serait géré par un comité.</p>')
    chosen = exergue.sentence(_tree(_proposal(body)), 200)
    assert chosen == "Un fonds commun dans chaque région recevrait les dons des entreprises implantées."
    assert exergue.sentence(_tree(_proposal(body)), 70) is None  # the only one that stands alone is longer


def test_the_sentence_the_editors_chose_comes_first_when_it_fits():
    body = ("<p>Un fonds commun dans chaque région recevrait les dons des entreprises implantées. Les "
            "collectivités qui le souhaitent y ajouteraient leur part chaque\u00a0année, selon une règle écrite dans la "
            "convention du fonds.</p>")
    proposal = _tree(_proposal(body))
    proposal.set(exergue.CHOSEN, "Les collectivités qui le souhaitent y ajouteraient leur part chaque année, "
                                 "selon une règle écrite dans la convention du fonds.")
    assert exergue.sentence(proposal, 200).startswith("Les collectivités")
    assert exergue.sentence(proposal, 100).startswith("Un fonds commun")  # the chosen one does not fit


def test_an_exergue_typed_with_typed_apostrophes_is_found_in_the_text(tmp_path):
    from atelier.source.text import plain_words
    assert plain_words("l’État\u00a0: oui") == plain_words("l'État : oui")


def test_the_exergue_is_a_place_of_no_height_holding_a_hidden_quotation():
    place = exergue.element("Un fonds commun recevrait les dons des entreprises.", 120.0)
    aside = place[0]
    assert roles.EXERGUE in roles.roles_of(place) and roles.EXERGUE in roles.roles_of(aside)
    assert aside.get("aria-hidden") == "true"
    assert f"height: {120.0 - exergue.GAP_PX:.1f}px" in aside.get("style")
    text = aside[0].text
    assert text.startswith("«\u00a0") and text.endswith("des\u00a0entreprises.\u00a0»")


def test_amendments_measure_exergues_again_on_each_layout():
    placed = Amendments(exergues=frozenset({("p1", 100.0)}))
    assert (placed | Amendments(exergues=frozenset({("p2", 80.0)}))).exergues == {("p2", 80.0)}
    moved = placed | Amendments(tight_blocks=frozenset({3}), exergues=frozenset({("p2", 80.0)}))
    # Measured on a flow that moves, they are tried on the next layout, which measures them again.
    assert moved.tight_blocks == {3} and moved.exergues == {("p2", 80.0)}
    assert moved.flow() == Amendments(tight_blocks=frozenset({3})) and not placed.flow()


#: The book's own rule for the exergue's place: an exergue tried where it has no room must move nothing.
PLACE = re.search(r"^\.exergue-place \{[^}]*\}", (ROOT / "styles" / "print" / "book.css").read_text(), re.M).group()
STYLE = """<style>@page { size: 120mm 150mm; margin: 12mm }
body { font-size: 9pt; line-height: 4.5mm } p { margin: 0 0 0.55em }
header, [data-role~="set-as-one"] { break-inside: avoid; break-after: avoid }
section + section { margin-top: 4mm }
.exergue { position: absolute; left: 5mm; right: 5mm; box-sizing: border-box; border-top: 1px solid;
  border-bottom: 1px solid; padding: 2.5mm 0; font-size: 11pt; line-height: 1.3 }
""" + PLACE + "</style>"


def test_an_exergue_tried_where_the_next_proposal_follows_moves_no_line():
    # Two short proposals on one page: an exergue measured on another flow lands between them.
    first = "<p>Un fonds commun dans chaque région recevrait les dons des entreprises de son territoire.</p>"
    html = STYLE + _proposal(first, "p1") + _proposal("<p>Le texte de la seconde proposition.</p>", "p2")
    plain = laid_out(html)
    assert len(plain.model) == 1
    tried = laid_out(amend.apply("<html><body>" + html + "</body></html>",
                                 Amendments(exergues=frozenset({("p1", 120.0)}))))
    assert tried.model[0].held, "l'exergue n'a pas été placé"
    flow = [(line.text, line.top) for line in tried.model[0].lines if roles.EXERGUE not in line.within]
    assert flow == [(line.text, line.top) for line in plain.model[0].lines]
    assert amend.found(tried.reading).exergues == frozenset()  # the next layout takes it away


def test_a_page_the_next_head_leaves_short_gets_an_exergue_and_keeps_its_breaks():
    # One paragraph: one boundary where vertical justification could add space, not enough to fill the page.
    first = ("<p>Un fonds commun dans chaque région recevrait les dons des entreprises implantées sur son "
             "territoire pour les jeunes structures. "
             + "Une phrase ordinaire du texte de la proposition, qui occupe une ligne. " * 9 + "</p>")
    second = "<p>Le texte de la seconde proposition, qui commence sur la page suivante.</p>" * 4
    html = STYLE + _proposal(first, "p1") + _proposal(second, "p2")
    plain = laid_out(html)
    assert plain.model.page_of("p2") == 2 and len(plain.model) == 2
    found = amend.found(plain.reading)
    assert [anchor for anchor, _ in found.exergues] == ["p1"]
    (_, height), = found.exergues
    amended = laid_out(amend.apply("<html><body>" + html + "</body></html>", found))
    assert [page.first_text for page in amended.model] == [page.first_text for page in plain.model]
    page = amended.model[1]
    (top, bottom), = page.held
    last_line = max(line.bottom for line in page.body())
    assert bottom - last_line == pytest.approx(height, abs=1)
    assert bottom <= page.content_top + page.content_height + 0.5
    quoted = [line for line in page.lines if roles.EXERGUE in line.within]
    assert quoted and all(top <= line.top and line.bottom <= bottom for line in quoted)
    sentence = " ".join(line.text for line in quoted).replace("\u00a0", " ").strip("« »")
    assert sentence in first and len(sentence) <= exergue.most_characters(height)  # the first is too long
    # Measured again on the amended layout, the exergue is the same: the set is settled.
    assert amend.found(amended.reading).exergues == found.exergues


# --- the book ------------------------------------------------------------------------------------

@pytest.mark.xdist_group("real-book")
def test_each_exergue_of_the_book_quotes_its_proposal_inside_the_text_block(real_build):
    layout = real_build.values["layout"]
    tree = lxml.html.document_fromstring(layout.html)
    placed = [page for page in layout.model if page.held]
    assert len(placed) == len(layout.amendments.exergues) >= 3
    for place in tree.xpath('//aside[@data-role="exergue"]'):
        proposal = next(a for a in place.iterancestors() if roles.PROPOSAL in roles.roles_of(a))
        quoted = place.text_content().strip("«» \u00a0").replace("\u00a0", " ")
        body = " ".join(" ".join(p.text_content().split()) for p in proposal.iter("p")
                        if not any(roles.EXERGUE in roles.roles_of(a) for a in p.iterancestors()))
        assert quoted in body, quoted
    for page in placed:
        (top, bottom), = page.held
        foot = page.note_top() if page.note_top() is not None else page.content_top + page.content_height
        assert max(line.bottom for line in page.body()) < top and bottom <= foot + 0.5, page.number
        lines = [line for line in page.lines if roles.EXERGUE in line.within]
        assert lines and all(top <= line.top and line.bottom <= bottom for line in lines), page.number
