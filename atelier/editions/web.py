"""The web edition: the book as a static site, one page per chapter, part and proposal.

Every page has a stable address made from an identifier, never from a number, so that a link to a
proposal survives a renumbering: ``propositions/<id>.html``, ``parties/<id>.html``,
``chapitres/<id>.html``; the generated sections sit at the root (``recapitulatif.html``…), with
the home page (``index.html``), the list of every proposal with its filters
(``propositions/index.html``) and the search page (``recherche.html``). A link to a page's own
anchor names the page alone; a link into a page keeps its fragment; every link is relative, so the
site works opened from disk and served from any folder of any static host. Notes stay where
Markdown puts them, after the text, with their links back. The site's templates may write what a
page needs to search and filter (a field, a list box, a button, its own scripts) and Open Graph
properties; the content may not. It reads the book's page map for each « p. N ».
"""
from __future__ import annotations

from . import Edition

#: Anchors of the pages that are not a section of the book.
HOME = "accueil"
ALL_PROPOSALS = "toutes-les-propositions"
SEARCH = "recherche"
#: Folders of the pages made from an editor's identifier, by the prefix of their anchor.
FOLDERS = {"prop-": "propositions", "axe-": "parties", "chapitre-": "chapitres"}
#: Fixed names of the pages above.
FIXED = {HOME: "index.html", ALL_PROPOSALS: "propositions/index.html", SEARCH: "recherche.html"}

_TEXT = frozenset({"id", "name", "value", "type", "autocomplete", "spellcheck", "placeholder", "checked",
                   "aria-describedby", "aria-controls"})


class WebEdition(Edition):
    """The site: pages in folders named after what they hold."""

    def file_of(self, anchor: str) -> str:
        """The page of the section ``anchor``."""
        if anchor in FIXED:
            return FIXED[anchor]
        for prefix, folder in FOLDERS.items():
            if anchor.startswith(prefix):
                return f"{folder}/{anchor.removeprefix(prefix)}.html"
        return f"{anchor}.html"

    def file(self, stem: str) -> str:
        """The page named after ``stem`` (a section's anchor)."""
        return self.file_of(stem)


WEB = WebEdition(
    "web", "web", across_files=True, page_links=True, whole_outline=True, page_map=("pages",),
    allowed={"script": frozenset({"src", "defer", "type"}),
             "meta": frozenset({"property", "name", "content"}),
             "input": _TEXT, "select": frozenset({"id", "name", "aria-describedby"}),
             "option": frozenset({"value", "selected"}), "label": frozenset({"for"}),
             "fieldset": frozenset(), "legend": frozenset(),             "button": frozenset({"type", "aria-pressed", "aria-controls", "aria-expanded"}),
             "output": frozenset({"for"}), "details": frozenset({"open"}), "summary": frozenset(),
             "noscript": frozenset()})
#: The share cards: one WeasyPrint page each, finished like any document of the site.
WEB_CARDS = Edition("web-cards", "web")
