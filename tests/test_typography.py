"""The typography stage, rule by rule: the shared vectors, then the general cases behind them.

Each case goes through the pipeline's own Markdown extensions, then the
stage, and is compared after ``html.unescape`` (so an entity and its
character are the same). Every case is also run a second time through the
stage, which must change nothing.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import lxml.etree
import markdown
import pytest

from atelier.html.markup import EXTENSIONS
from atelier.html.typography import typeset, typeset_text, typeset_tree

NBSP, NNBSP = "\u00a0", "\u202f"
VECTORS = Path(__file__).parent / "data" / "typography-vectors.tsv"


def _vectors():
    for line in VECTORS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            identifier, rule, source, expected = line.split("\t")
            yield pytest.param(_spaces(source), _spaces(expected), id=f"{identifier} {rule}")


def _spaces(text: str) -> str:
    return text.replace("[NNBSP]", NNBSP).replace("[NBSP]", NBSP)


def _paragraph(source: str) -> tuple[str, str]:
    """The stage's output for one Markdown paragraph: (inner HTML unescaped, raw HTML)."""
    converted = markdown.markdown(source, extensions=[e for e in EXTENSIONS if e != "toc"])
    typeset_once = typeset(converted)
    inner = re.fullmatch(r"<p>(.*)</p>", typeset_once, re.S)
    assert inner, typeset_once
    return html.unescape(inner.group(1)), typeset_once


def _check(source: str, expected: str) -> None:
    got, raw = _paragraph(source)
    assert got == expected
    assert typeset(raw) == raw, "running the stage on its own output changed it"


@pytest.mark.parametrize("source, expected", list(_vectors()))
def test_vector(source, expected):
    _check(source, expected)


def test_there_are_vectors():
    assert len(list(_vectors())) >= 28


@pytest.mark.parametrize("source, expected", [
    # Across inline boundaries, the issue's own example.
    ("**Attention**: lire *vraiment* !", f"<strong>Attention</strong>{NBSP}: lire <em>vraiment</em>{NNBSP}!"),
    ("« *Le mot* »", f"«{NBSP}<em>Le mot</em>{NBSP}»"),
    ('Il écrit "*vite*".', f"Il écrit «{NBSP}<em>vite</em>{NBSP}»."),
    # Spaces already wrong, repeated, or of the wrong kind.
    (f"Vraiment  ? Oui{NBSP}; non{NNBSP}: peut-être", f"Vraiment{NNBSP}? Oui{NNBSP}; non{NBSP}: peut-être"),
    ("un mot , puis un autre .", "un mot, puis un autre."),
    ("( entre parenthèses )", "(entre parenthèses)"),
    # Nested quotes typed straight inside guillemets, and a quote inside a quote.
    ('« Elle a répondu : "non" »', f"«{NBSP}Elle a répondu{NBSP}: “non”{NBSP}»"),
    ('"Il a dit "oui" puis il est parti"', f"«{NBSP}Il a dit “oui” puis il est parti{NBSP}»"),
    # Apostrophes everywhere in French, including after a capital and before an accent.
    ("L'Europe d'aujourd'hui et l'ESS", "L’Europe d’aujourd’hui et l’ESS"),
    # Ellipsis in brackets and parentheses.
    ("Il cite [...] puis (...) enfin....", "Il cite […] puis (…) enfin…"),
    # Dashes: a single incise up to the end of the sentence, then a new sentence starts afresh.
    ("Le projet - ambitieux. Puis - encore - un autre.",
     f"Le projet –{NBSP}ambitieux. Puis –{NBSP}encore{NBSP}– un autre."),
    ("Le texte — long — continue.", f"Le texte —{NBSP}long{NBSP}— continue."),
    ("de 2014-2024, Saint-Denis, peut-être", 'de <span class="nowrap">2014-2024</span>, Saint-Denis, peut-être'),
    # Numbers.
    ("12345 personnes et 1234567 euros", f"12{NNBSP}345 personnes et 1{NNBSP}234{NNBSP}567{NBSP}euros"),
    ("soit 1 234,5 km", f"soit 1{NNBSP}234,5{NBSP}km"),
    ("la loi n° 2012-387 et le décret 2017-908", f'la loi <abbr class="numero" title="numéro">n°</abbr>{NBSP}2012-387 et le décret{NBSP}2017-908'),
    ("10 € ou 10€, 3 millions, dans 5 ans", f"10{NBSP}€ ou 10{NBSP}€, 3{NBSP}millions, dans 5{NBSP}ans"),
    ("Proposition 12 : la page 58, art. 123", f"Proposition{NBSP}12{NBSP}: la page{NBSP}58, art.{NBSP}123"),
    ("la 1re et les 2es, la 3e édition", "la 1<sup>re</sup> et les 2<sup>es</sup>, la 3<sup>e</sup> édition"),
    # Ordinals and numerals that are not: Ce, Le, De, Mme, Vers, CV.
    ("Ce texte. Le reste. De plus. Mme Durand. Vers 2030. Le CV.",
     f"Ce texte. Le reste. De plus. Mme{NBSP}Durand. Vers 2030. Le CV."),
    ("du XIXe et du XXe siècles", 'du <span class="sc">XIX</span><sup>e</sup> et du <span class="sc">XX</span>'
                                  f"<sup>e</sup>{NBSP}siècles"),
    ("François Ier et la Ve République", f"François{NBSP}I<sup>er</sup> et la V<sup>e</sup>{NBSP}République"),
    # What is never touched: e-mail addresses, code, attributes other than texts for readers.
    ("Écrire à presse@exemple.org ; merci", f"Écrire à presse@exemple.org{NNBSP}; merci"),
    ('<kbd>Ctrl : C</kbd> puis "ok"', f"<kbd>Ctrl : C</kbd> puis «{NBSP}ok{NBSP}»"),
    ('![Carte : l\'Europe](carte.png "Titre : x")',
     f'<img alt="Carte{NBSP}: l’Europe" src="carte.png" title="Titre : x">'),
    # English inside French: English rules; another language: left alone.
    ('*"It\'s \'fine\' : really"*{: lang=en}', "<em lang=\"en\">“It’s ‘fine’: really”</em>"),
    ('*"Hallo" : ja*{: lang=de} mais "oui"', f'<em lang="de">"Hallo" : ja</em> mais «{NBSP}oui{NBSP}»'),
])
def test_general_case(source, expected):
    _check(source, expected)


def test_plain_text_gets_the_rules_without_markup():
    assert typeset_text("L'État, 1er du nom : n° 5 !", "fr") == f"L’État, 1er du nom{NBSP}: n°{NBSP}5{NNBSP}!"
    assert typeset_text("it's : fine", "en") == "it’s: fine"
    assert typeset_text("ja : 'nein'", "de") == "ja : 'nein'"


def test_title_and_svg_text_stay_plain_text():
    tree = lxml.etree.fromstring(
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="fr"><head><title>Le 1er : "titre"</title></head>'
        '<body><svg xmlns="http://www.w3.org/2000/svg"><text>XXIe siècle : l\'an</text></svg></body></html>')
    typeset_tree(tree)
    title = tree.find(".//{http://www.w3.org/1999/xhtml}title")
    assert len(title) == 0 and title.text == f"Le 1er{NBSP}: «{NBSP}titre{NBSP}»"
    text = tree.find(".//{http://www.w3.org/2000/svg}text")
    assert len(text) == 0 and text.text == f"XXIe{NBSP}siècle{NBSP}: l’an"


def test_verbatim_blocks_are_left_alone():
    source = '<pre>a : "b"\nc\'d ...</pre><p>puis : "e"</p>'
    assert typeset(source) == f'<pre>a : "b"\nc\'d ...</pre><p>puis{NBSP}: «{NBSP}e{NBSP}»</p>'


def test_the_stage_sees_each_paragraph_on_its_own():
    # A quote left open in one paragraph does not swallow the next one's.
    assert html.unescape(typeset('<p>Il dit "oui</p><p>"Non" dit-elle.</p>')) == (
        f"<p>Il dit «{NBSP}oui</p><p>«{NBSP}Non{NBSP}» dit-elle.</p>")


def test_a_block_met_again_is_typeset_as_the_first_time_by_language_and_structure():
    """The stage keeps each block it typeset (a paragraph recurs in four editions): the same words
    in another language, or with a fixed character elsewhere, are typeset for what they are."""
    from atelier.html import typography

    typography._TYPESET.clear()
    for _ in range(2):
        assert typeset_text('it\'s : "fine"', "en") == "it’s: “fine”"
        assert typeset_text('it\'s : "fine"', "fr") == f"it’s{NBSP}: «{NBSP}fine{NBSP}»"
        assert typeset('<p lang="de">ja : "nein"</p><p>ja : "nein"</p>') == (
            f'<p lang="de">ja : "nein"</p><p>ja{NBSP}: «{NBSP}nein{NBSP}»</p>')
        assert html.unescape(typeset('<p>a : <code>"b"</code> "c"</p><p>a : "b" "c"</p>')) == (
            f'<p>a{NBSP}: <code>"b"</code> «{NBSP}c{NBSP}»</p><p>a{NBSP}: «{NBSP}b{NBSP}» «{NBSP}c{NBSP}»</p>')
    assert typography._TYPESET   # and it was kept
