"""Layout stage: WeasyPrint lays the print HTML out once; every product reads that one layout.

:func:`lay_out` returns a :class:`Layout`: WeasyPrint's document (from which
the PDF is written), and the facts later targets need as plain data: for
each page, the ids of the anchors on it and the first words printed on it.
The page count, the EPUB cover, a page list and every « p. N » come from
this one layout, never from a new render.

Resources are fetched only from the project's own trees (see
:mod:`atelier.outputs.fetcher`). WeasyPrint's warnings (ignored CSS, a
missing image…) are reported in every mode, at the stylesheet and line they
concern when WeasyPrint says so; in strict mode they stop the build.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from ..apart import give_back_memory
from ..errors import Collector, ContentError
from ..libwarnings import captured
from ..source.text import find_in_files
from . import amend
from .amend import Amendments
from .pagerefs import Numbers, settle


@dataclass(frozen=True)
class Trees:
    """The folders a build may read from."""

    content: Path
    templates: Path
    styles: Path

    def all(self) -> list[Path]:
        """Every allowed folder."""
        return [self.content, self.templates, self.styles]


@dataclass(frozen=True)
class PageFacts:
    """What one laid-out page holds, as data."""

    number: int
    anchors: tuple[str, ...]
    first_text: str


@dataclass(frozen=True)
class PageMap:
    """What a layout says about its pages, as plain data (kept by the build cache)."""

    pages: tuple[PageFacts, ...]
    numbers: Numbers = Numbers()     # the page numbers its document prints
    amendments: Amendments = Amendments()  # what its HTML was amended with (the next layout's guess)

    def page_of(self, anchor: str) -> int | None:
        """The number of the page that holds ``anchor``."""
        return next((page.number for page in self.pages if anchor in page.anchors), None)


@dataclass(frozen=True)
class Layout:
    """One WeasyPrint layout, read into its page model (:mod:`atelier.pages`)."""

    reading: object                  # atelier.pages.Reading: the document and its page model
    html: str = ""                   # the HTML as laid out, its page numbers written in
    numbers: Numbers = Numbers()     # the page numbers it prints (the next layout's guess)
    layouts: int = 1                 # WeasyPrint layouts it took (1 unless a guess was too short)
    corrected: int = 0               # page numbers put right after the layout, in place
    amendments: Amendments = Amendments()  # what its HTML was amended with (atelier.outputs.amend)

    @property
    def document(self):
        """WeasyPrint's document, to write PDFs from."""
        return self.reading.document

    @property
    def model(self):
        """The page model (:class:`atelier.pages.Pages`): what every page holds, as data."""
        return self.reading.pages

    @property
    def pages(self) -> tuple[PageFacts, ...]:
        """Each page's anchors and first words."""
        return tuple(PageFacts(page.number, page.anchors, page.first_text) for page in self.model)

    def page_of(self, anchor: str) -> int | None:
        """The number of the page that holds ``anchor``."""
        return self.model.page_of(anchor)

    def page_map(self) -> PageMap:
        """Its facts without WeasyPrint's document."""
        return PageMap(self.pages, self.numbers, self.amendments)


def lay_out(html: str, trees: Trees, stylesheets: list[Path], errors: Collector,
            output_profile: Path | None = None, guess: Numbers | None = None, name: str = "",
            amendments: Amendments | None = None) -> Layout:
    """Lay out ``html`` (resolved against the content folder); WeasyPrint's warnings go to ``errors``.

    ``stylesheets`` are the ones ``html`` links (linted one by one, to report their
    lines). ``output_profile`` is the CMYK ICC profile of a printer's edition: it
    becomes WeasyPrint's ``device-cmyk`` colour profile, which a PDF/X written from
    this layout carries as its output intent. It is the one file outside the
    project's trees that the layout may read. The page numbers ``html`` prints are
    written in and checked by :mod:`atelier.outputs.pagerefs`, starting from ``guess``
    (the numbers of the last layout of the same document) when there is one. With
    ``amendments`` (a book's: :mod:`atelier.outputs.amend`; the last build's as the first guess),
    the pages are checked for what only a new layout puts right, and laid out again while new
    amendments appear. A warning no stylesheet explains is reported at its line in
    ``html/<name>`` (the HTML kept in the output folder), when it names something found there.
    """
    from weasyprint import CSS, HTML  # heavy import kept inside the stage that needs it

    from .. import pages
    from .fetcher import ConfinedFetcher
    from .pdfwriter import correct_weasyprint

    pages.check_versions()
    correct_weasyprint()   # within a build only: its font subsetting's arrays

    linted = _lint_stylesheets(stylesheets, errors)
    fetcher = ConfinedFetcher(trees.all() + ([output_profile.resolve()] if output_profile else []))
    with captured() as warnings:
        profiles: dict = {}  # filled by the @color-profile rule, read by the render
        if output_profile:
            CSS(string=f'@color-profile device-cmyk {{ src: url("{output_profile.resolve().as_uri()}"); '
                       "components: c, m, y, k }", url_fetcher=fetcher, color_profiles=profiles)

        def render(written: str) -> Layout:
            document = HTML(string=written, base_url=str(trees.content.resolve()) + "/",
                            url_fetcher=fetcher).render(color_profiles=profiles)
            return Layout(reading=pages.read(document))

        settled, amendments = _amended(html, render, guess, amendments)
    _report_refusals(fetcher.refused, stylesheets)
    # The stylesheets' lint and the HTML stage (a style attribute) reported some with their file and line.
    linted |= {p.message.split(" : ", 1)[-1] for p in errors.problems if p.code == "CSS-IGNORE"}
    for message in dict.fromkeys(warnings):
        if message not in linted:
            line, column = _line_in_html(message, settled.html)
            errors.warn(f"html/{name}" if name and line else "PDF", line, column, "PDF-AVERTISSEMENT", message)
    return dataclasses.replace(settled.layout, html=settled.html, numbers=settled.numbers,
                               layouts=settled.layouts, corrected=settled.corrected,
                               amendments=amendments or Amendments())


def _amended(html: str, render, guess: Numbers | None, amendments: Amendments | None):
    """The settled layout of ``html``, amended as its pages ask (when ``amendments`` is not None)."""
    if amendments is None:
        return settle(html, render, guess), None
    settled = settle(amend.apply(html, amendments), render, guess)
    layouts = settled.layouts
    for round_ in range(1, amend.MOST_ROUNDS + 1):
        more = amendments | amend.found(settled.layout.reading)
        if more == amendments:
            break
        if round_ == amend.MOST_ROUNDS and more.flow() != amendments.flow():
            # The last layout is not measured again: no exergue measured on a flow it changes.
            more = more.flow()
        amendments, numbers = more, settled.numbers
        del settled  # the next layout is made without this one in memory
        give_back_memory()
        settled = settle(amend.apply(html, amendments), render, numbers)
        layouts += settled.layouts
    return dataclasses.replace(settled, layouts=layouts), amendments


#: What a WeasyPrint warning names that can be found in the HTML: a quoted anchor, URL or declaration.
_NAMED = re.compile(r"Anchor defined twice: '([^']+)'|\"([^\"]+)\"|`([^`]+)`|'([^']+)'")


def _line_in_html(message: str, html: str) -> tuple[int, int]:
    """Where in ``html`` the thing a warning names stands (an anchor defined twice: its second place)."""
    match = _NAMED.search(message)
    if not match:
        return 0, 0
    if match.group(1):
        needles, skip = [f'id="{match.group(1)}"'], 1
    else:
        needles, skip = [next(g for g in match.groups()[1:] if g)], 0
    for needle in needles:
        start = -1
        for _ in range(skip + 1):
            start = html.find(needle, start + 1)
            if start < 0:
                break
        if start >= 0:
            line = html.count("\n", 0, start) + 1
            return line, start - (html.rfind("\n", 0, start) + 1) + 1
    return 0, 0


_STYLESHEET_WARNING = re.compile(r"^(Ignored|Invalid|Unknown|Unsupported|Expected|Parse error).* at (\d+):(\d+)")


def _lint_stylesheets(stylesheets: list[Path], errors: Collector) -> set[str]:
    """Parse each stylesheet alone, so that its warnings can name it and its line; return those warnings."""
    reported: set[str] = set()
    for path in stylesheets:
        for message in _parse_warnings(str(path), _imported_bytes(Path(path))):
            match = _STYLESHEET_WARNING.match(message)
            line, column = (int(match.group(2)), int(match.group(3))) if match else (0, 0)
            errors.warn(path, line, column, "CSS-IGNORE", f"WeasyPrint ignore une règle : {message}")
            reported.add(message)
    return reported


_IMPORT = re.compile(rb'@import\s+(?:url\()?["\']?([^"\')\s;]+)')


def _imported_bytes(path: Path, seen: frozenset = frozenset()) -> tuple[bytes, ...]:
    """The bytes of the stylesheet at ``path`` and of those it imports, in order."""
    data = path.read_bytes()
    found = [data]
    for address in _IMPORT.findall(data):
        imported = (path.parent / address.decode()).resolve()
        if imported.is_file() and imported not in seen:
            found += _imported_bytes(imported, seen | {imported})
    return tuple(found)


@functools.lru_cache(maxsize=64)
def _parse_warnings(path: str, data: tuple[bytes, ...]) -> tuple[str, ...]:
    """WeasyPrint's warnings on the stylesheet at ``path``, parsed alone (``data``: its bytes and its
    imports', so that an edit of either parses it again): a process that lays out again and again
    (the tests, the press kit's documents) parses each stylesheet once."""
    from weasyprint import CSS

    with captured() as warnings:
        CSS(filename=path)
    return tuple(dict.fromkeys(warnings))


def _report_refusals(refused: list[str], stylesheets: list[Path]) -> None:
    """The HTML stage already refused outside resources; anything left is a stylesheet's doing."""
    if not refused:
        return
    errors = Collector()
    for url in dict.fromkeys(refused):
        path, line, column = find_in_files(stylesheets, url.rsplit("/", 1)[-1] or url)
        errors.add(path or "styles", line, column, "RESSOURCE-REFUSEE",
                   f"la ressource « {url} » est hors du projet ou sur Internet ; "
                   "seuls les fichiers des dossiers content, templates et styles sont permis.")
    raise ContentError(errors.problems)
