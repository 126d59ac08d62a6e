"""Citations, figures and Markdown extensions, on the small inline publication."""
from __future__ import annotations

import re

from atelier.source.figures import format_figure
from atelier.source.load import load_book
from atelier.html.markup import to_html


def fragments_of(content):
    book = load_book(content)
    return book, to_html(book)


def test_proposals_are_numbered_by_axis_then_file_order(content):
    book, _ = fragments_of(content)
    assert [(p.number, p.id) for p in book.proposals] == [
        (1, "ouvrir-guichet"), (2, "former-agents"), (3, "financer-projets")]


def test_citation_renders_number_title_and_link(content):
    _, fragments = fragments_of(content)
    html = fragments["chapter:intro"]
    assert 'href="#prop-financer-projets"' in html
    assert "proposition 3" in html and "Financer les projets" in html


def test_default_citation_is_the_light_form(content):
    path = content / "chapters" / "intro.md"
    path.write_text(path.read_text().replace("[@financer-projets|titre]", "[@financer-projets]"))
    _, fragments = fragments_of(content)
    html = fragments["chapter:intro"]
    assert 'class="xref"' in html and "proposition 3" in html and "Financer les projets" not in html


def test_short_citation_renders_number_only(content):
    _, fragments = fragments_of(content)
    html = fragments["proposal:financer-projets"]
    link = re.search(r'<a class="xref-short" href="#prop-ouvrir-guichet">(.*?)</a>', html).group(1)
    assert "proposition 1" in link and "Ouvrir un guichet" not in link


def test_figures_in_digits_words_and_share(content):
    book, fragments = fragments_of(content)
    html = fragments["chapter:intro"]
    assert "trois propositions" in html          # [=propositions|lettres]
    assert "7 partenaires" in html               # a declared fact
    assert "33 % sont peu chères" in html        # 1 of 3 proposals is "faible"
    assert fragments.subtitle == "3 propositions pour essayer"
    assert "qui compte 2 propositions" in fragments["axis:premier"]


def test_figures_follow_the_data(content):
    text = (content / "propositions.yaml").read_text()
    (content / "propositions.yaml").write_text(text.replace("    cost: moyen", "    cost: faible"))
    book, fragments = fragments_of(content)
    assert book.figures["cout.faible"] == 2
    assert "67 % sont peu chères" in fragments["chapter:intro"]


def test_footnote_ids_are_unique_per_fragment(content):
    _, fragments = fragments_of(content)
    html = fragments["proposal:former-agents"]
    assert 'id="prop-former-agents-fn:1"' in html
    assert 'href="#prop-former-agents-fn:1"' in html


def test_heading_ids_are_prefixed_by_their_fragment(content):
    _, fragments = fragments_of(content)
    assert 'id="prop-ouvrir-guichet-constat"' in fragments["proposal:ouvrir-guichet"]


def test_figure_formats():
    assert format_figure(67, "lettres", 67, "fr") == "soixante-sept"
    assert format_figure(13, "%", 67, "fr") == "19 %"
    assert format_figure(4, "", 67, "fr") == "4"


def test_code_spans_are_not_interpreted(content):
    path = content / "chapters" / "intro.md"
    path.write_text(path.read_text() + "\nÉcrivez `[@identifiant]` pour citer.\n")
    _, fragments = fragments_of(content)
    assert "<code>[@identifiant]</code>" in fragments["chapter:intro"]


def test_quotes_inside_a_cited_title_become_second_level(content):
    path = content / "propositions.yaml"
    path.write_text(path.read_text().replace("title: Financer les projets",
                                             "title: Financer selon le principe « une fois »"))
    _, fragments = fragments_of(content)
    assert "«\u00a0Financer selon le principe “une fois”\u00a0»" in fragments["chapter:intro"]


def test_named_entities_become_characters_for_xhtml(content):
    path = content / "chapters" / "intro.md"
    path.write_text(path.read_text() + "\nM.&nbsp;Dupont &amp; fils &mdash; fin.\n")
    _, fragments = fragments_of(content)
    html = fragments["chapter:intro"]
    assert "M.\u00a0Dupont &amp; fils \u2014 fin." in html
    assert "&nbsp;" not in html
