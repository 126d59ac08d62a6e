"""The one HTML stage after rendering: a parsed tree per document, checked, linked and finished.

Every document of every output passes here once, as a tree (lxml), never as
text:

1. **safety**: elements and attributes are checked against the allow-lists,
   every resource against the one confinement rule, every image file is
   opened and checked (see :mod:`atelier.html.safety`);
2. **text**: Unicode normalisation of every text node and text attribute
   (:data:`TEXT_ATTRIBUTES`), then the typography stage
   (:mod:`atelier.html.typography`), following each element's language;
3. **links and notes**, as the edition declares (:mod:`atelier.editions`): in an edition of several
   documents, ``href="#id"`` pointing into another document is rewritten to that document; notes go
   to the page foot (print) or get the EPUB's pop-up semantics; links that print a page are marked;
4. **checks that only warn**: glyphs the shipped fonts lack, words too long
   for a line;
5. **inks** (a printed edition): images the printer's CMYK cannot render as given are reported
   (:mod:`atelier.html.inks`);
6. **serialisation**: HTML or XHTML, as the edition declares.

The stage never tests an edition's name: it reads what the edition declares.

Problems are reported at the file and line of the content that produced the
element (the markup stage tags each fragment with ``data-piece``), else at
the template that holds the value.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

import lxml.etree

from ..editions import Edition, relative, seen_from
from ..errors import Collector
from ..model import Markdown
from ..names import local_name
from ..source.text import find_in_files
from . import blocks, inks, notes, pagerefs, safety, typography
from .markup import PIECE, position_in
from .render import Document

#: Attributes whose value is text: the ones the typography stage sets for readers, and tooltips,
#: which are normalised but stay as typed.
TEXT_ATTRIBUTES = typography.TEXT_ATTRIBUTES + ("title",)
#: Where text passes never go.
VERBATIM = frozenset({"code", "pre", "kbd", "samp", "script", "style"})
#: Longer than any French word: such a "word" cannot be broken and runs off the line.
LONG_WORD = re.compile(r"[^\s\u00ad\u200b-]{45,}")
#: A text pass: (text, language) -> text.
TextPass = Callable[[str, str], str]


@dataclass(frozen=True)
class Family:
    """One edition as this build makes it: what it declares, and the trees and files it has."""

    edition: Edition               # what the stage asks of it (links, notes, serialisation, elements…)
    roots: tuple[Path, ...]        # the trees resources may come from
    content: Path                  # where relative resources are resolved
    templates: Path                # where a value not from the content comes from
    package_files: frozenset[str] = frozenset()  # files the output itself adds (EPUB cover, CSS), from its root
    fonts: tuple[Path, ...] = ()   # fonts the output uses, for the glyph check
    address: str = ""              # where the edition is published (web.url): a page may name itself by it


def normalise(text: str, language: str) -> str:
    """Unicode NFC: one spelling for every accented letter, whatever program typed it."""
    return unicodedata.normalize("NFC", text)


def finish_text(text: str, language: str) -> str:
    """What a string outside any document (OPF metadata, NCX) gets: normalisation and typography."""
    return typography.typeset_text(normalise(text, language), language)


def finish(documents: list[Document], family: Family, pieces: dict[str, Markdown],
           errors: Collector) -> list[Document]:
    """The finished documents of one output; problems go to ``errors``."""
    trees = [_parse(document, errors) for document in documents]
    if errors.errors:
        return documents
    finished = []
    edition = family.edition
    # Files the output adds itself (the press page's downloads) may be linked to, like its documents.
    siblings = frozenset(document.name for document in documents) | family.package_files
    for document, tree in zip(documents, trees):
        located = _Locator(pieces, family.templates, document.name)
        # Every name of the output as this document writes it (the same names when all sit side by side).
        here = dataclasses.replace(family, package_files=seen_from(family.package_files, document.name))
        resources = _check_tree(tree, here, located, errors, seen_from(siblings, document.name))
        _map_text(tree, normalise)
        typography.typeset_tree(tree)
        if edition.notes == "page-foot":
            notes.notes_to_page_foot(tree)
        if edition.page_references:
            pagerefs.mark(tree)
        if edition.last_words:
            _keep_last_words_together(tree)
        if edition.numbered_blocks:
            blocks.number_blocks(tree)
        if edition.whole_outline:
            _close_heading_gaps(tree)
        _warn_about_unprintable_text(tree, family, located, errors)
        if edition.printed:
            inks.check_inks(tree, family.content,
                            lambda element, needle, code, message: located.report(errors, element, needle, code,
                                                                                  message, warning=True))
        finished.append((document, tree, resources))
    if edition.across_files:
        _link_across_files([(d.name, t) for d, t, _ in finished], edition, errors)
    if edition.notes == "pop-up":
        for _, tree, _ in finished:
            _mark_notes(tree)
            _mark_glossary(tree)
    return [dataclasses.replace(document, html=_serialise(tree, edition), resources=tuple(resources))
            for document, tree, resources in finished]


# --- parsing and writing ----------------------------------------------------------

_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                               huge_tree=True, remove_blank_text=False)


def _parse(document: Document, errors: Collector):
    try:
        return lxml.etree.fromstring(document.html.encode("utf-8"), _PARSER)
    except lxml.etree.XMLSyntaxError as error:
        errors.add(f"templates ({document.name})", error.lineno or 0, error.offset or 0, "HTML-MALFORME",
                   f"le document produit par les gabarits est mal formé : {error.msg}.")
        return None


#: Attributes for the pipeline's own stages, never written out (``data-page-ref`` is read by the
#: page references of an edition laid out in pages, and means nothing elsewhere).
INTERNAL_ATTRIBUTES = (PIECE, pagerefs.REFERENCE)


def _serialise(tree, edition: Edition) -> str:
    for element in tree.iter():
        if isinstance(element.tag, str):
            for name in INTERNAL_ATTRIBUTES:
                if name in element.attrib:
                    del element.attrib[name]
    if edition.serialisation == "xhtml":
        body = lxml.etree.tostring(tree, encoding="unicode")
        return f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n{body}\n'
    return "<!DOCTYPE html>\n" + lxml.etree.tostring(tree, encoding="unicode", method="html") + "\n"


# --- locating a problem --------------------------------------------------------------

class _Locator:
    """Finds the file and line an element of a finished document comes from."""

    def __init__(self, pieces: dict[str, Markdown], templates: Path, document: str):
        self.pieces, self.templates, self.document = pieces, templates, document

    def report(self, errors: Collector, element, needle: str, code: str, message: str,
               warning: bool = False) -> None:
        """Record a problem about ``element``, located by searching ``needle`` where it was written."""
        add = errors.warn if warning else errors.add
        piece = self.piece_of(element)
        if piece is not None:
            offset = _find(piece.text, needle)
            line, column = position_in(piece, max(offset, 0))
            add(piece.source.path, line, column, code, message)
            return
        path, line, column = find_in_files(sorted(self.templates.rglob("*")), needle)
        if path:
            add(path, line, column, code, message)
        else:
            add(f"{self.document} (document produit)", element.sourceline or 0, 1, code, message)

    def piece_of(self, element) -> Optional[Markdown]:
        """The piece of content ``element`` comes from, or None when a template wrote it."""
        while element is not None:
            key = element.get(PIECE) if isinstance(element.tag, str) else None
            if key:
                return self.pieces.get(key)
            element = element.getparent()
        return None


def _find(text: str, needle: str) -> int:
    if not needle:
        return -1
    index = text.find(needle)
    return index if index >= 0 else text.lower().find(needle.lower())


# --- safety -----------------------------------------------------------------------------

def _check_tree(tree, family: Family, located: _Locator, errors: Collector,
                siblings: frozenset[str]) -> list[str]:
    """Check every element, attribute and resource of ``tree``; return the content files it uses.

    ``siblings`` are the documents of the same output, which links may point at.
    """
    resources: list[str] = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            if isinstance(element, lxml.etree._ProcessingInstruction):
                located.report(errors, element.getparent(), "<?", "HTML-INTERDIT",
                               "une instruction de traitement <?…?> n'est pas permise.")
            continue
        _check_element(element, family, located, errors, siblings, resources)
    return list(dict.fromkeys(resources))


def _check_element(element, family: Family, located: _Locator, errors: Collector, siblings: frozenset[str],
                   resources: list[str]) -> None:
    qname = lxml.etree.QName(element)
    name = qname.localname
    if qname.namespace == safety.SVG:
        refusal = safety.svg_element_refusal(element)
        if refusal:
            located.report(errors, element, f"<{name}", refusal.code, refusal.message)
        return
    if qname.namespace not in (None, safety.XHTML):
        located.report(errors, element, f"<{name}", "HTML-INTERDIT", f"l'élément <{name}> n'est pas permis.")
        return
    in_head = any(local_name(a.tag) == "head" for a in element.iterancestors())
    refusal = safety.element_refusal(name, in_head)
    extra = _allowed_here(element, name, family, located)
    if refusal and extra is None:
        located.report(errors, element, f"<{name}", refusal.code, refusal.message)
        return
    for attribute, value in element.attrib.items():
        if attribute == PIECE:
            continue
        refusal = safety.attribute_refusal(name, attribute)
        if refusal and attribute not in (extra or ()):
            located.report(errors, element, lxml.etree.QName(attribute).localname, refusal.code, refusal.message)
    _check_resources(element, name, family, located, errors, siblings, resources)


def _allowed_here(element, name: str, family: Family, located: _Locator) -> Optional[frozenset[str]]:
    """The attributes ``element`` may carry beyond the allow-lists: what the edition lets its own templates
    write (a web page's search field and script), never the content; None when it adds nothing."""
    extra = family.edition.allowed.get(name)
    return extra if extra is not None and located.piece_of(element) is None else None


def _check_resources(element, name: str, family: Family, located: _Locator, errors: Collector,
                     siblings: frozenset[str], resources: list[str]) -> None:
    if name == "a" and element.get("href") is not None:
        href = element.get("href")
        refusal = safety.link_refusal(href, siblings)
        if refusal:
            located.report(errors, element, href, refusal.code, refusal.message)
    if name == "img":
        src = element.get("src")
        if not src:
            located.report(errors, element, "<img", "IMAGE-MANQUANTE", "une image n'a pas de source.")
        else:
            used = _resource(src, element, family, located, errors, image=True)
            if used:  # a content file, published at the same path from the edition's root folder
                element.set("src", relative(used, located.document))
                resources.append(used)
    if name == "link" and element.get("href") is not None and not _own_address(element.get("href"), family):
        _resource(element.get("href"), element, family, located, errors, image=False)
    if name in family.edition.allowed and name != "img" and element.get("src") is not None:
        _resource(element.get("src"), element, family, located, errors, image=False)  # the edition's own script
    if name == "style":
        _style_resources(safety.stylesheet_addresses(element.text or ""), element, family, located, errors)
    if element.get("style"):
        _style_resources(safety.declarations_addresses(element.get("style")), element, family, located, errors)
        if family.edition.laid_out:
            _lint_style(element, located, errors)


def _own_address(url: str, family: Family) -> bool:
    """Whether ``url`` is the edition's own published address (a page's canonical link to itself)."""
    if not family.address:
        return False
    return url == family.address or url.startswith(family.address.rstrip("/") + "/")


def _resource(url: str, element, family: Family, located: _Locator, errors: Collector,
              image: bool) -> Optional[str]:
    """Check one resource; return its path relative to the content folder when it is a content file."""
    if url in family.package_files:
        return None
    if url.strip().lower().startswith("data:"):
        refusal = safety.data_image_refusal(url.strip())
        if refusal:
            located.report(errors, element, url[:30], refusal.code, refusal.message)
        return None
    path, refusal = safety.local_file(url, family.content, list(family.roots))
    if refusal:
        located.report(errors, element, url, refusal.code, refusal.message)
        return None
    if image:
        refusal = _image_refusal(path)
        if refusal:
            located.report(errors, element, url, refusal.code, f"{path.name} : {refusal.message}")
            return None
    content = family.content.resolve()
    return path.relative_to(content).as_posix() if path.is_relative_to(content) else None


def _style_resources(found: safety.StyleAddresses, element, family: Family, located: _Locator,
                     errors: Collector) -> None:
    """Every address of a style must be a fragment or a file of the trees (or refused where it was written)."""
    if found.refusal:
        located.report(errors, element, "style", found.refusal.code, found.refusal.message)
        return
    for url in found.addresses:
        if not url.strip().startswith("#"):
            _resource(url, element, family, located, errors, image=False)


def _lint_style(element, located: _Locator, errors: Collector) -> None:
    """Warn, where it was written, about each declaration of a ``style="…"`` that WeasyPrint would ignore.

    The layout would say the same with no line of its own (the style attribute is its own tiny
    stylesheet); said here, the editor sees the file and line. The templates write no ``style``.
    """
    import tinycss2
    from weasyprint.css.validation import preprocess_declarations  # only when a style is met

    from ..libwarnings import captured

    with captured() as messages:
        list(preprocess_declarations("", tinycss2.parse_declaration_list(element.get("style"))))
    for message in dict.fromkeys(messages):
        located.report(errors, element, "style", "CSS-IGNORE", f"WeasyPrint ignore une règle : {message}",
                       warning=True)


@lru_cache(maxsize=512)
def _image_refusal(path: Path):
    return safety.image_refusal(path)


# --- text ------------------------------------------------------------------------------

def _map_text(tree, text_pass: TextPass) -> None:
    """Apply ``text_pass`` to every text node and text attribute, with the element's language."""
    _map_element(tree, text_pass, tree.get("lang") or "", False)


def _map_element(element, text_pass: TextPass, language: str, verbatim: bool) -> None:
    if not isinstance(element.tag, str):
        return
    language = element.get(f"{{{safety.XML}}}lang") or element.get("lang") or language
    verbatim = verbatim or local_name(element.tag) in VERBATIM
    if not verbatim:
        if element.text:
            element.text = text_pass(element.text, language)
        typography.transform_text_attributes(element, text_pass, language, TEXT_ATTRIBUTES)
    for child in element:
        _map_element(child, text_pass, language, verbatim)
        if child.tail and not verbatim:
            child.tail = text_pass(child.tail, language)


# --- print: no paragraph ends on a lone word -------------------------------------------------

#: Blocks of running text whose last line should hold more than one short word.
RUNNING_TEXT = frozenset({"p", "li", "dd"})
#: The last word is kept with the one before when it is short enough to look lost alone on the
#: paragraph's last line (six characters, its punctuation included), and the pair short enough not
#: to stretch the line before it; a longer last word may stand alone.
LAST_WORDS = re.compile(r"(?<=\s)((?=\S{1,9}[ ]\S{1,6}\s*$)\S+[ ]\S+)\s*$")


def _keep_last_words_together(tree) -> None:
    """Wrap the last two words of each paragraph in ``<span class="last-words">`` (no break, no
    hyphen) when the last is short.

    A justified paragraph whose last line is one short word, or the end of a hyphenated one, is
    the most visible flaw of a page; CSS in WeasyPrint has no ``text-wrap: pretty``, so the print
    stylesheet keeps this span whole instead. A pair of longer words is not kept together: the line
    before would have to take the room they leave, and its word spaces would gape.
    """
    for element in tree.iter():
        if local_name(element.tag) not in RUNNING_TEXT or element.xpath("ancestor::*[local-name()='table']"):
            continue
        holder, field = (element[-1], "tail") if len(element) else (element, "text")
        text = getattr(holder, field) or ""
        match = LAST_WORDS.search(text)
        if not match:
            continue
        namespace = lxml.etree.QName(element).namespace
        span = element.makeelement(f"{{{namespace}}}span" if namespace else "span", {"class": "last-words"})
        span.text, span.tail = match.group(1), text[match.end(1):] or None
        setattr(holder, field, text[:match.start(1)])
        if field == "tail":
            holder.addnext(span)
        else:
            element.insert(0, span)


# --- an outline without gaps -----------------------------------------------------------------

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _close_heading_gaps(tree) -> None:
    """Renumber the headings of a page that skip a level (a proposal's title is the page's h1, and the
    Markdown of its body starts at ###): each heading sits one level below the heading it belongs to,
    so headings of one level in the source stay of one level on the page."""
    above: list[tuple[int, int]] = []    # (level written, level on the page) of the headings it belongs to
    for heading in [e for e in tree.iter() if isinstance(e.tag, str) and local_name(e.tag) in HEADINGS]:
        written = int(local_name(heading.tag)[1])
        while above and above[-1][0] >= written:
            above.pop()
        level = min(written, above[-1][1] + 1) if above else written
        if level != written:
            namespace = lxml.etree.QName(heading).namespace
            heading.tag = f"{{{namespace}}}h{level}" if namespace else f"h{level}"
        above.append((written, level))


# --- links across an edition's documents ---------------------------------------------------

def _link_across_files(trees: list[tuple[str, object]], edition: Edition, errors: Collector) -> None:
    """Point ``href="#id"`` at the document that holds ``id`` when it is another one, in the edition's form.

    An id that every page of a site has (its main content, for the skip link) is the page's own.
    """
    owner: dict[str, str] = {}
    for name, tree in trees:
        for anchor in tree.xpath("//@id"):
            owner.setdefault(anchor, name)
    for name, tree in trees:
        own = set(tree.xpath("//@id"))
        for link in tree.iter(f"{{{safety.XHTML}}}a", "a"):
            href = link.get("href", "")
            if not href.startswith("#") or len(href) == 1 or href[1:] in own:
                continue
            home = owner.get(href[1:])
            if home is None:
                errors.warn(name, link.sourceline or 0, 1, "LIEN-CASSE",
                            f"le lien interne « {href} » ne mène nulle part.")
            elif home != name:
                link.set("href", edition.href(name, home, href[1:]))


# --- EPUB: notes a reading system can pop up ---------------------------------------------

def _mark_notes(tree) -> None:
    """Give Python-Markdown's footnotes the EPUB and DPUB-ARIA note semantics.

    Apple Books and Kobo show a note in a pop-up only when the call is an
    ``epub:type="noteref"`` link and the note an ``<aside epub:type="footnote">``;
    assistive technology reads the matching roles. Each ``<li>`` of the notes list
    becomes such an aside (a list item may not take the footnote role), its
    number written in front since it no longer comes from the list.

    Python-Markdown's ``<hr>`` before the notes is dropped: Apple Books hides the
    notes (it shows them in pop-ups) but would leave the rule alone at the end of
    the text; the stylesheet draws that rule on the first note instead, so it goes
    with them.
    """
    ops_type = f"{{{safety.OPS}}}type"
    for rule in tree.xpath("//*[local-name()='div'][contains(concat(' ', @class, ' '), ' footnote ')]"
                           "/*[local-name()='hr']"):
        _drop_keeping_tail(rule)
    for link in tree.xpath("//*[local-name()='a'][contains(concat(' ', @class, ' '), ' footnote-ref ')]"):
        link.set(ops_type, "noteref")
        link.set("role", "doc-noteref")
    for backlink in tree.xpath("//*[local-name()='a'][contains(concat(' ', @class, ' '), ' footnote-backref ')]"):
        backlink.set("role", "doc-backlink")
    for note_list in tree.xpath("//*[local-name()='div'][contains(concat(' ', @class, ' '), ' footnote ')]"):
        for holder in note_list.xpath("./*[local-name()='ol']"):
            namespace = lxml.etree.QName(holder).namespace
            tag = f"{{{namespace}}}aside" if namespace else "aside"
            for number, item in enumerate(holder.xpath("./*[local-name()='li']"), int(holder.get("start", 1))):
                aside = item.makeelement(tag, {"class": "footnote-note", ops_type: "footnote", "role": "doc-footnote"})
                if item.get("id"):
                    aside.set("id", item.get("id"))
                aside.text, aside.tail = item.text, item.tail
                aside.extend(list(item))
                first = aside[0] if len(aside) and local_name(aside[0].tag) == "p" else None
                mark = aside.makeelement(f"{{{namespace}}}span" if namespace else "span", {"class": "footnote-number"})
                mark.text = f"{number}."
                if first is not None:
                    mark.tail = " " + (first.text or "")
                    first.text = None
                    first.insert(0, mark)
                else:
                    mark.tail = " " + (aside.text or "")
                    aside.text = None
                    aside.insert(0, mark)
                holder.addprevious(aside)
            holder.getparent().remove(holder)


def _mark_glossary(tree) -> None:
    """In a glossary, each term is a defining instance (``<dfn>``) with the EPUB glossary semantics.

    ``dt``/``dd`` already say term and definition to assistive technology (their implicit roles,
    which match ``glossterm``/``glossdef``); ``dfn`` says this is where the term is defined, and
    reading systems that build a glossary (``epub:type="glossary"`` on the section) read the types.
    """
    ops_type = f"{{{safety.OPS}}}type"
    for glossary in tree.xpath("//*[@*[local-name()='type' and contains(concat(' ', ., ' '), ' glossary ')]]"):
        for term in glossary.xpath(".//*[local-name()='dl']/*[local-name()='dt']"):
            term.set(ops_type, "glossterm")
            if not any(local_name(child.tag) == "dfn" for child in term):
                namespace = lxml.etree.QName(term).namespace
                dfn = term.makeelement(f"{{{namespace}}}dfn" if namespace else "dfn", {})
                dfn.text, term.text = term.text, None
                dfn.extend(list(term))
                term.append(dfn)
        for definition in glossary.xpath(".//*[local-name()='dl']/*[local-name()='dd']"):
            definition.set(ops_type, "glossdef")


def _drop_keeping_tail(element) -> None:
    """Remove ``element``, leaving its tail text where it was."""
    parent, previous = element.getparent(), element.getprevious()
    if element.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


# --- warnings: glyphs and long words ----------------------------------------------------

def _warn_about_unprintable_text(tree, family: Family, located: _Locator, errors: Collector) -> None:
    """Warn about characters the fonts lack (print only) and words too long for any line."""
    covered = _covered(family.fonts) if family.fonts else None
    reported: set[str] = set()
    for element in tree.iter():
        if not isinstance(element.tag, str) or local_name(element.tag) in VERBATIM | {"head", "title", "style"}:
            continue
        for text, where in ((element.text, element), (element.tail, element.getparent())):
            if not text or where is None:
                continue
            if covered is not None:
                for char in set(text) - covered:
                    if char not in reported and not char.isspace() and unicodedata.category(char)[0] != "C":
                        reported.add(char)
                        located.report(errors, where, char, "GLYPHE-ABSENT",
                                       f"le caractère « {char} » (U+{ord(char):04X}) n'existe dans aucune police "
                                       "du livre : il s'imprimerait comme un carré. Remplacez-le ou supprimez-le.",
                                       warning=True)
            for match in LONG_WORD.finditer(text):
                if local_name(where.tag) != "a":
                    located.report(errors, where, match.group()[:30], "MOT-TROP-LONG",
                                   f"« {match.group()[:30]}… » ({len(match.group())} caractères sans espace) "
                                   "ne tient pas sur une ligne ; il sera coupé n'importe où.", warning=True)


@lru_cache(maxsize=4)
def _covered(fonts: tuple[Path, ...]) -> frozenset[str]:
    """Every character one of ``fonts`` draws (HarfBuzz reads the character maps ten times faster
    than fontTools)."""
    import uharfbuzz

    return frozenset(chr(code) for path in fonts for code in uharfbuzz.Face(path.read_bytes()).unicodes)
