"""Markup stage: Markdown fragments to HTML, with the pipeline's own syntax.

Besides standard Markdown (footnotes, tables, attribute lists, definition
lists, heading ids), editors write:

* ``[@id]`` to cite a proposal in the light form (« proposition 5 », the
  print edition adds « , p. 13 »), ``[@id|titre]`` with its title too,
  ``[@id|court]`` for its number only, without a page;
* ``[=name]`` to insert a figure computed from the data, ``[=name|lettres]``
  in words, ``[=name|%]`` as a share of all proposals;
* ``[~before|after]`` for words whose tense depends on when the text is read:
  the first form when it is read by the publication's date (a press text under an
  embargo that lifts that day, or before), the second when it is read after
  (« Le livre [~est présenté|a été présenté] le 21 novembre »), see :func:`read_after`.

Every fragment is scanned first, so that unknown ids or figures are reported
with their file, line and column before any HTML is produced. Each fragment
comes out as well-formed XHTML whose top-level elements name the piece of
content they come from (``data-piece``), so that the HTML stage that runs
after the templates can point an editor at the right file and line.
What may reach an output (elements, attributes, resources) is decided there,
on the final HTML, not here.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import lxml.etree
import lxml.html
import markdown
from markdown.extensions.toc import slugify
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

from ..errors import Collector, did_you_mean
from ..labels import labels_for
from ..source.formats import hint_for_unknown_figure
from ..model import Book, Markdown
from ..source.figures import FORMATS, format_figure

CITATION = re.compile(r"\[@([^\]|\s]+)(?:\|([^\]]*))?\]")
FIGURE = re.compile(r"\[=([^\]|\s]+)(?:\|([^\]]*))?\]")
#: Words in two tenses: [~before|after]; any other use of « [~ » is reported.
TENSE = re.compile(r"\[~([^\]|]*)\|([^\]|]*)\]")
TENSE_START = re.compile(r"\[~")
CODE = re.compile(r"^(```|~~~).*?^\1[^\n]*$|`[^`\n]+`", re.S | re.M)
CITATION_STYLES = ("", "titre", "court", "fiche")
#: The class of the empty element that ``[@id|fiche]`` leaves for the templates to fill.
CARD_SLOT = "card-example-slot"
#: The attribute naming the piece of content a top-level element comes from.
PIECE = "data-piece"

EXTENSIONS = ["footnotes", "tables", "attr_list", "def_list", "toc", "abbr", "sane_lists"]


@dataclass(frozen=True)
class Fragments:
    """HTML of every Markdown piece of the book, by key, and the pieces themselves.

    Keys: ``chapter:<id>``, ``axis:<id>`` (part introduction),
    ``proposal:<id>`` (proposal body), ``press:<name>`` (press-kit texts: release, faq, about),
    ``press:standfirst``, ``press:message:<n>`` (1-based) and ``press:release-about`` (the release's
    parts around its body). ``subtitle`` and ``description`` are plain text with their figures expanded.
    """

    html: dict[str, str]
    pieces: dict[str, Markdown]
    subtitle: str
    description: str

    def __getitem__(self, key: str) -> str:
        return self.html[key]


def scan(book: Book, errors: Collector) -> None:
    """Check every citation and figure of ``book`` (prose and book.yaml fields) into ``errors``."""
    proposals = {p.id for p in book.proposals}
    for _, piece, _ in _pieces(book):
        _scan(piece, book, proposals, errors)
    for piece in book.sources.values():
        _scan(piece, book, proposals, errors)


def prose(book: Book) -> list[Markdown]:
    """Every Markdown piece of ``book``: chapters, part introductions, proposals, press texts, book.yaml fields."""
    return [piece for _, piece, _ in _pieces(book)] + list(book.sources.values())


def to_html(book: Book, scanned: bool = False) -> Fragments:
    """Check (unless ``scanned`` already) then convert every Markdown piece; raise ContentError on problems."""
    errors = Collector()
    if not scanned:
        scan(book, errors)
        errors.raise_if_any()
    converter = _Converter(book)
    pieces = _pieces(book)
    html = {}
    for key, piece, prefix in pieces:
        html[key] = converter.convert(piece, prefix, key, errors)
    errors.raise_if_any()
    return Fragments(html=html, pieces={key: piece for key, piece, _ in pieces},
                     subtitle=expand_figures(book.meta.subtitle, book),
                     description=expand_figures(book.meta.description, book))


def expand_figures(text: str, book: Book) -> str:
    """Replace ``[=name]`` figures and ``[~before|after]`` tenses in plain text (titles, metadata)."""
    text = TENSE.sub(lambda m: m.group(2 if read_after(book) else 1), text)
    return FIGURE.sub(lambda m: _figure_text(m.group(1), m.group(2) or "", book), text)


def read_after(book: Book) -> bool:
    """Whether the texts are read after the publication's date: a press kit is read when its embargo
    lifts (else on its date); the book on its own date. ``[~before|after]`` takes the second form then."""
    press = book.meta.press
    if press is not None and press.embargo is not None:
        moment = press.embargo.date
    elif press is not None and press.date is not None:
        moment = press.date
    else:
        moment = book.meta.date
    return moment > book.meta.date


def _pieces(book: Book) -> list[tuple[str, Markdown, str]]:
    pieces = [(f"chapter:{c.id}", c.body, c.anchor) for c in book.chapters]
    pieces += [(f"axis:{a.id}", a.introduction, a.anchor) for a in book.axes]
    pieces += [(f"proposal:{p.id}", p.body, p.anchor) for p in book.proposals]
    pieces += [(f"press:{name}", text.body, f"presse-{name}") for name, text in book.press.items()]
    release = book.release
    if release is not None:
        if release.standfirst is not None:
            pieces.append(("press:standfirst", release.standfirst, "presse-chapo"))
        pieces += [(f"press:message:{n}", message, f"presse-message-{n}")
                   for n, message in enumerate(release.key_messages, 1)]
        if release.about is not None:
            pieces.append(("press:release-about", release.about, "presse-a-propos"))
    return pieces


# --- checking -------------------------------------------------------------------

def _scan(piece: Markdown, book: Book, proposals: set[str], errors: Collector) -> None:
    text = _blank_code(piece.text)
    for match in CITATION.finditer(text):
        target, style = match.group(1), match.group(2) or ""
        if target not in proposals:
            report(piece, match.start(), errors, "RENVOI-CASSE",
                   f"le renvoi « {match.group(0)} » cite une proposition inconnue « {target} »."
                   + did_you_mean(target, proposals))
        elif style not in CITATION_STYLES:
            report(piece, match.start(), errors, "RENVOI-FORME",
                   f"la forme « |{style} » n'existe pas ; écrivez [@{target}], [@{target}|titre], "
                   f"[@{target}|court] ou, seul dans son paragraphe, [@{target}|fiche].")
        elif style == "fiche" and not _alone_in_paragraph(text, match):
            report(piece, match.start(), errors, "RENVOI-FICHE",
                   f"« {match.group(0)} » montre l'en-tête commenté d'une fiche : il doit former un "
                   f"paragraphe à lui seul, précédé et suivi d'une ligne vide.")
    for match in FIGURE.finditer(text):
        name, style = match.group(1), match.group(2) or ""
        if name not in book.figures:
            report(piece, match.start(), errors, "CHIFFRE-INCONNU",
                   f"le chiffre « {name} » n'existe pas." + did_you_mean(name, book.figures)
                   + hint_for_unknown_figure(name))
        elif style not in FORMATS:
            report(piece, match.start(), errors, "CHIFFRE-FORME",
                   f"la forme « |{style} » n'existe pas ; écrivez [={name}], [={name}|lettres] ou [={name}|%].")
    tenses = {match.start() for match in TENSE.finditer(text)}
    for match in TENSE_START.finditer(text):
        if match.start() not in tenses:
            report(piece, match.start(), errors, "TEMPS-FORME",
                   "« [~ » ouvre des mots aux deux temps : écrivez [~forme avant|forme après], par exemple "
                   "[~est présenté|a été présenté] (la première si le texte est lu au plus tard le jour de la "
                   "publication, la seconde s'il est lu après).")


def _alone_in_paragraph(text: str, match: re.Match) -> bool:
    before, after = text[:match.start()], text[match.end():]
    return (before.rstrip(" ").endswith("\n\n") or not before.strip()) and \
        (after.lstrip(" ").startswith("\n\n") or not after.strip())


def _blank_code(text: str) -> str:
    """Hide code spans and blocks (keeping positions) so their content is not interpreted."""
    return CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def position_in(piece: Markdown, offset: int) -> tuple[int, int]:
    """The file line and column of character ``offset`` of ``piece``."""
    if piece.folded:
        return _position_by_search(piece, offset)
    before = piece.text[:offset]
    column = offset - (before.rfind("\n") + 1)
    # Block text inside YAML is indented by source.column - 1 on every line; chapters start at column 1.
    return piece.source.line + before.count("\n"), piece.source.column + column


def _position_by_search(piece: Markdown, offset: int) -> tuple[int, int]:
    """For a YAML value whose lines were folded into one, find the words in the file itself."""
    needle = piece.text[offset:offset + 40].split("\n")[0]
    try:
        lines = piece.source.path.read_text(encoding="utf-8-sig").splitlines()
    except OSError:
        lines = []
    for number in range(piece.source.line, len(lines) + 1):
        for length in (len(needle), 12, 4):
            column = lines[number - 1].find(needle[:length]) if needle[:length] else -1
            if column >= 0:
                return number, column + 1
    return piece.source.line, piece.source.column


def report(piece: Markdown, offset: int, errors: Collector, code: str, message: str,
           warning: bool = False) -> None:
    """Record a problem found at character ``offset`` of ``piece``, at its place in the file."""
    line, column = position_in(piece, offset)
    (errors.warn if warning else errors.add)(piece.source.path, line, column, code, message)


# --- converting -------------------------------------------------------------------

#: Letters that Unicode does not decompose into a base letter and an accent, spelled out.
_SPELLED = str.maketrans({"œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae", "ß": "ss", "ø": "o", "Ø": "O",
                          "đ": "d", "ł": "l", "Ł": "L", "’": "", "'": ""})


def ascii_slug(value: str, separator: str = "-") -> str:
    """A heading's id in ASCII letters, digits and ``separator``: « Mise en œuvre » → « mise-en-oeuvre ».

    Accented letters lose their accent and ligatures are spelled out, so that an id reads the same in
    every tool (a URL, an EPUB reading system, a screen reader's list of links), not as escapes.
    """
    return slugify(value.translate(_SPELLED), separator)


class _Converter:
    """One Markdown converter for the whole book (building one per piece costs more than converting)."""

    def __init__(self, book: Book):
        self.prefix = ""
        labels = labels_for(book.meta.language)
        self.markdown = markdown.Markdown(
            extensions=EXTENSIONS + [PipelineSyntax(book)],
            extension_configs={"toc": {"slugify": self._slugify},
                               "footnotes": {"BACKLINK_TITLE": labels["epub.footnote_backlink"],
                                             "BACKLINK_TEXT": labels["epub.footnote_backlink_sign"]}},
            output_format="xhtml")

    def _slugify(self, value: str, separator: str) -> str:
        return f"{self.prefix}-{ascii_slug(value, separator)}"

    def convert(self, piece: Markdown, prefix: str, key: str, errors: Collector) -> str:
        """The well-formed XHTML of ``piece``, its ids prefixed, its elements tagged with ``key``."""
        self.prefix = prefix
        self.markdown.reset()
        try:
            html = self.markdown.convert(piece.text)
        except RecursionError:
            report(piece, 0, errors, "MARKDOWN-PROFONDEUR",
                   "ce texte imbrique trop de citations ou de listes les unes dans les autres.")
            return ""
        return _well_formed(html, prefix, key)


def _well_formed(html: str, prefix: str, key: str) -> str:
    """Re-parse Markdown's output (raw HTML included) leniently and write it as XHTML."""
    if not html.strip():
        return ""
    parts = lxml.html.fragments_fromstring(html)
    out = []
    for part in parts:
        if isinstance(part, str):  # loose text at the top: keep it inside a paragraph
            element = lxml.html.Element("p")
            element.text = part
            part = element
        _prefix_note_ids(part, prefix)
        part.set(PIECE, key)
        out.append(lxml.etree.tostring(part, method="xml", encoding="unicode", with_tail=False))
    return "\n".join(out)


def _prefix_note_ids(element, prefix: str) -> None:
    """Footnote ids restart in each fragment; prefix them so they stay unique in one document."""
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        for name in ("id", "href"):
            value = node.get(name, "")
            bare = value[1:] if name == "href" and value.startswith("#") else value
            if re.match(r"fn(ref)?:", bare):
                node.set(name, ("#" if name == "href" else "") + f"{prefix}-{bare}")


def _figure_text(name: str, style: str, book: Book) -> str:
    return format_figure(book.figures[name], style, book.figures.get("propositions", 0), book.meta.language)


class _CitationProcessor(InlineProcessor):
    def __init__(self, book: Book):
        super().__init__(CITATION.pattern)
        self.proposals = {p.id: p for p in book.proposals}
        self.labels = labels_for(book.meta.language)

    def handleMatch(self, m, data):
        proposal = self.proposals[m.group(1)]
        style = m.group(2) or ""
        if style == "fiche":
            # A slot the templates fill with the proposal's annotated head (render.with_cards).
            return etree.Element("span", {"class": CARD_SLOT, "data-proposal": proposal.id}), m.start(0), m.end(0)
        # The light form is the default; the print edition adds the page to every form but « court ».
        link = etree.Element("a", {"class": "xref-short" if style == "court" else "xref", "href": "#" + proposal.anchor})
        if style != "court":  # a full citation prints its page in the print edition (atelier.outputs.pagerefs)
            link.set("data-page-ref", "inline")
        label = etree.SubElement(link, "span", {"class": "xref-number"})
        label.text = AtomicString(self.labels.get("proposal.citation", number=proposal.number))
        if style == "titre":
            title = etree.SubElement(link, "span", {"class": "xref-title"})
            # Atomic: a title is plain text, never Markdown to interpret a second time.
            title.text = AtomicString(f"«\u00a0{_second_level_quotes(proposal.title)}\u00a0»")
            label.tail = ", "
        return link, m.start(0), m.end(0)


def _second_level_quotes(text: str) -> str:
    """Guillemets inside a quoted title become second-level quotes (“…”), as French usage wants."""
    return re.sub(r"«[\s\u00a0\u202f]*(.*?)[\s\u00a0\u202f]*»", r"“\1”", text)


class _FigureProcessor(InlineProcessor):
    def __init__(self, book: Book):
        super().__init__(FIGURE.pattern)
        self.book = book

    def handleMatch(self, m, data):
        return AtomicString(_figure_text(m.group(1), m.group(2) or "", self.book)), m.start(0), m.end(0)


class _TenseProcessor(InlineProcessor):
    def __init__(self, book: Book):
        super().__init__(TENSE.pattern)
        self.after = read_after(book)

    def handleMatch(self, m, data):
        return m.group(2 if self.after else 1), m.start(0), m.end(0)


class PipelineSyntax(markdown.Extension):
    """Registers the citation, figure and tense syntax before Markdown's own links."""

    def __init__(self, book: Book):
        super().__init__()
        self.book = book

    def extendMarkdown(self, md):
        md.inlinePatterns.register(_CitationProcessor(self.book), "citation", 175)
        md.inlinePatterns.register(_FigureProcessor(self.book), "figure", 176)
        md.inlinePatterns.register(_TenseProcessor(self.book), "tense", 177)
