"""Web stage: the site's finished pages in, every file of ``output/web/`` out.

Besides the pages, the site holds what they use, all of it inside the folder so that it works
opened from disk and served from any static host, with no server code and no external resource:

- ``assets/``: its stylesheet and two small scripts (``styles/web/``), and the book's fonts as
  subsets in WOFF (the characters a French text uses, read from the shipped TrueType files);
- ``cartes/``: a 1200 × 630 px share card per proposal, per part and for the home page, each a page
  laid out by WeasyPrint and rasterised by pdfium, as the press kit's cards are;
- ``pagefind/``: the full-text index, made by Pagefind (npm, pinned in ``tools/pagefind``) from the
  finished pages; the site's own script queries it (Pagefind's ready-made interfaces are left out);
- ``telechargements/``: the screen PDF, the EPUB, the printer's PDF when book.yaml asks for it,
  the press kit's zip;
- ``sitemap.xml`` and ``robots.txt`` when book.yaml gives the site's address (``web.url``).
"""
from __future__ import annotations

import functools
import io
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

from ..errors import Collector
from .publish import Artifact

OUTPUT = "web"
FOLDER = "web"
#: The script that builds the search index, installed by ``make`` (``npm ci`` in tools/pagefind).
PAGEFIND = Path(__file__).resolve().parents[2] / "tools" / "pagefind" / "node_modules" / ".bin" / "pagefind"
#: What the site keeps of Pagefind's output: the index and the script that reads it, not its interfaces.
PAGEFIND_KEPT = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.", "pagefind.", "index/",
                 "fragment/", "filter/")
#: The fonts the site's stylesheet names, as shipped in styles/fonts/.
FONTS = ("source-serif-4/SourceSerif4-Regular.ttf", "source-serif-4/SourceSerif4-It.ttf",
         "source-serif-4/SourceSerif4-Semibold.ttf", "source-sans-3/SourceSans3-Regular.ttf",
         "source-sans-3/SourceSans3-Semibold.ttf", "source-sans-3/SourceSans3-Bold.ttf")
#: What a French text of the book can hold: Latin letters and their accents, punctuation and spaces
#: of French typography (thin and no-break), the euro, arrows of the notes, superscripts.
UNICODES = "U+0020-017F,U+02C6-02DD,U+2000-206F,U+20AC,U+2190-2193,U+2212,U+2260-2265,U+00A0-00FF,U+FB01-FB02"
#: The stylesheet and scripts of the site, from styles/web/ (the cards' stylesheet stays there).
ASSET_FILES = ("site.css", "filtres.js", "recherche.js")


def assets(styles: Path) -> dict[str, bytes]:
    """The site's stylesheet, scripts and font subsets, by their path in the site."""
    return {**stylesheet_and_scripts(styles), **fonts(styles)}


def stylesheet_and_scripts(styles: Path) -> dict[str, bytes]:
    """The site's stylesheet and scripts, by their path in the site (read as they are)."""
    return {f"assets/{name}": (styles / "web" / name).read_bytes() for name in ASSET_FILES}


def fonts(styles: Path) -> dict[str, bytes]:
    """The subsets of the book's fonts the stylesheet names, by their path in the site."""
    return dict(FontsOnDemand(styles))


class FontsOnDemand(Mapping):
    """The site's font subsets by their path in the site, each made when first read: the live preview
    opens before they are made, and makes only those a browser asks for."""

    def __init__(self, styles: Path):
        self.sources = {f"assets/fonts/{Path(font).stem}.woff": styles / "fonts" / font for font in FONTS}

    def __getitem__(self, path: str) -> bytes:
        return _subset(self.sources[path])

    def __iter__(self):
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)


def _subset(path: Path) -> bytes:
    """A WOFF of the font at ``path`` holding the characters of :data:`UNICODES`, with its layout features."""
    return _subset_of(path.read_bytes())


# A subset is a function of the font's bytes alone: a process that builds again and again (the live
# preview, the tests) makes each one once. Keyed by the bytes, a changed font is subset again.
@functools.lru_cache(maxsize=2 * len(FONTS))
def _subset_of(font_file: bytes) -> bytes:
    """HarfBuzz's subsetter (``uharfbuzz``), then fontTools for the WOFF wrapping: every layout feature,
    every name record (the licence and the copyright stay with the font) and the outline of
    ``.notdef`` are kept. fontTools' own subsetter gave the same glyphs, characters and features in
    0.36 s a font, HarfBuzz in 0.01 s (most of it fontTools' reading of a font it had just written)."""
    import uharfbuzz as harfbuzz
    from fontTools import subset
    from fontTools.ttLib import TTFont

    wanted = harfbuzz.SubsetInput()
    wanted.unicode_set.update(subset.parse_unicodes(UNICODES))
    for kept in (harfbuzz.SubsetInputSets.LAYOUT_FEATURE_TAG, harfbuzz.SubsetInputSets.NAME_ID,
                 harfbuzz.SubsetInputSets.NAME_LANG_ID):
        every = wanted.sets(kept)
        every.clear()    # HarfBuzz's defaults (common features, the first name records)…
        every.invert()   # …turned into all of them
    wanted.flags = harfbuzz.SubsetFlags.NOTDEF_OUTLINE
    # recalcTimestamp=False: the font keeps its own date, so the same font gives the same bytes.
    font = TTFont(io.BytesIO(harfbuzz.subset(harfbuzz.Face(font_file), wanted).blob.data), recalcTimestamp=False)
    font.flavor = "woff"
    buffer = io.BytesIO()
    font.save(buffer, reorderTables=True)
    return buffer.getvalue()


def cards(layout, names: list[str]) -> dict[str, bytes]:
    """Each page of the cards' layout as a 1200 × 630 PNG, by its path in the site (``names``, in order)."""
    from .presskit import visuals

    images = visuals.page_images(layout, visuals.CSS_DPI)
    size = visuals.pixels(1200, 630, visuals.CSS_DPI)
    return {name: visuals.png(visuals.exact(image, size)) for name, image in zip(names, images)}


def search_index(pages: dict[str, str], problems: Collector) -> dict[str, bytes]:
    """Pagefind's index of the site's finished ``pages`` (HTML by path), by path in the site.

    Without Pagefind (``make`` installs it), the site is made without its index and a warning says
    how to install it; the search page then says the search cannot run.
    """
    if not PAGEFIND.exists():
        problems.warn("tools/pagefind", 0, 0, "RECHERCHE-ABSENTE",
                      "Pagefind n'est pas installé : le site est fait sans son index de recherche. "
                      "Lancez `make` (qui l'installe par npm dans tools/pagefind), puis reconstruisez.")
        return {}
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        for path, html in pages.items():
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            (site / path).write_text(html, encoding="utf-8")
        done = subprocess.run([str(PAGEFIND), "--site", str(site), "--output-subdir", "pagefind", "--silent"],
                              capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise RuntimeError(f"Pagefind a échoué : {(done.stderr or done.stdout).strip()[-800:]}")
        index = site / "pagefind"
        return {f"pagefind/{path.relative_to(index).as_posix()}": path.read_bytes()
                for path in sorted(index.rglob("*")) if path.is_file()
                and path.relative_to(index).as_posix().startswith(PAGEFIND_KEPT)}


def sitemap(url: str, pages: list[str]) -> bytes:
    """The sitemap of the site published at ``url``: every page, by its address."""
    base = url.rstrip("/") + "/"
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in pages:
        address = base if page == "index.html" else base + page
        lines.append(f"  <url><loc>{escape(address)}</loc></url>")
    return ("\n".join(lines + ["</urlset>"]) + "\n").encode()


def robots(url: str) -> bytes:
    """A robots.txt that lets every crawler in and names the sitemap."""
    return f"User-agent: *\nAllow: /\nSitemap: {url.rstrip('/')}/sitemap.xml\n".encode()


def site_files(pages: dict[str, str], files: dict[str, bytes], downloads: dict[str, bytes],
               url: str) -> list[Artifact]:
    """Every file of ``web/``: the pages, what they use (``files``: assets, cards, index), the downloads,
    and the sitemap when the site's address is known."""
    artifacts = [Artifact("web-page", f"{FOLDER}/{path}", html.encode("utf-8"), OUTPUT)
                 for path, html in sorted(pages.items())]
    artifacts += [Artifact(_kind(path), f"{FOLDER}/{path}", data, OUTPUT) for path, data in sorted(files.items())]
    artifacts += [Artifact("web-telechargement", f"{FOLDER}/{path}", data, OUTPUT)
                  for path, data in sorted(downloads.items())]
    if url:
        artifacts.append(Artifact("web-sitemap", f"{FOLDER}/sitemap.xml", sitemap(url, sorted(pages)), OUTPUT))
        artifacts.append(Artifact("web-robots", f"{FOLDER}/robots.txt", robots(url), OUTPUT))
    return artifacts


def _kind(path: str) -> str:
    return {"assets": "web-asset", "cartes": "web-carte", "pagefind": "web-recherche"}[path.split("/", 1)[0]]

