"""The registry of generated sections: what ``contents`` in book.yaml may name besides chapters.

Each section says once where it sits in the book, its anchor, the label of
its title and its semantics for assistive technology; each template family
renders it with ``<family>/sections/<id>`` (:meth:`atelier.editions.Edition.template`).
Templates and outputs read this table rather than testing section names.
"""
from __future__ import annotations

from dataclasses import dataclass

#: The DPUB-ARIA role of each EPUB structural type that has one (DPUB-ARIA 1.1, EPUB 3 Structural
#: Semantics). A reading system reads ``epub:type``, assistive technology reads ``role``: an element
#: carries both or neither says what it is to half its readers (Ace's ``epub-type-has-matching-role``).
#: Types with no role (``titlepage``, ``copyright-page``, ``bodymatter``…) are not listed.
DPUB_ROLES = {kind: f"doc-{kind}" for kind in (
    "abstract", "acknowledgments", "afterword", "appendix", "bibliography", "chapter", "colophon",
    "conclusion", "credit", "credits", "dedication", "endnotes", "epigraph", "epilogue", "errata",
    "example", "footnote", "foreword", "glossary", "index", "introduction", "noteref", "notice",
    "pagebreak", "part", "preface", "prologue", "pullquote", "qna", "subtitle", "tip", "toc")}
DPUB_ROLES.update({"endnote": "doc-endnote", "page-list": "doc-pagelist", "biblioref": "doc-biblioref",
                   "glossref": "doc-glossref", "backlink": "doc-backlink"})


def aria_role(epub_type: str) -> str:
    """The DPUB-ARIA role that matches ``epub_type``, or "" when it has none."""
    return DPUB_ROLES.get(epub_type, "")


@dataclass(frozen=True)
class Section:
    """One kind of section the pipeline writes from the data."""

    id: str                  # as written in book.yaml's contents
    role: str                # front, body or back matter
    anchor: str              # its HTML id (and EPUB file stem)
    meaning: str             # what it is, for the editors' documentation and messages
    needs_proposals: bool    # only possible with a propositions.yaml
    in_toc: bool             # listed in the table of contents
    epub_type: str = ""      # EPUB structural semantics
    aria_role: str = ""      # the matching DPUB-ARIA role

    @property
    def title_label(self) -> str:
        """The labels key of its title."""
        return f"sections.{self.id}.title"


SECTIONS: dict[str, Section] = {section.id: section for section in (
    Section("titlepage", "front", "page-de-titre", "page de titre", False, False, "titlepage"),
    Section("legal", "front", "mentions-legales", "page des mentions légales (édition, droits, ISBN, crédits)",
            False, False, "copyright-page"),
    Section("toc", "front", "sommaire", "table des matières (dans l'EPUB : la navigation)", False, False,
            "toc", "doc-toc"),
    Section("essentiel", "front", "essentiel", "l'essentiel : chiffres clés et graphiques tirés des données",
            True, True),
    Section("proposals", "body", "propositions", "les parties et leurs propositions", True, True),
    Section("summary", "back", "recapitulatif", "tableau récapitulatif des propositions", True, True),
    Section("actor-index", "back", "index-acteurs", "index des propositions par acteur", True, True,
            "index", "doc-index"),
)}
