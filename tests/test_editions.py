"""Editions as objects (atelier/editions): the HTML stage asks them, the arrows go one way, charts are made once."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import build
from atelier import charts as charts_module
from atelier.editions import Edition
from atelier.errors import Collector
from atelier.html import dom
from atelier.html.render import Document
from atelier.model import Markdown, Source

ATELIER = Path(build.__file__).resolve().parent / "atelier"
EDITION_NAMES = {"print", "epub", "web", "presskit", "presskit-page"}


def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports, as absolute dotted names inside ``atelier``."""
    package = "atelier." + ".".join(path.relative_to(ATELIER).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.rstrip(".").split(".")
            base = base[:len(base) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found |= {module} | {f"{module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def test_the_html_stage_imports_no_output_and_no_chart_and_editions_import_no_later_stage():
    html = sorted((ATELIER / "html").glob("*.py"))
    editions = sorted((ATELIER / "editions").glob("*.py"))
    assert len(html) > 5 and len(editions) >= 4
    for path in html:
        assert not {m for m in _imports(path) if m.startswith(("atelier.outputs", "atelier.charts"))}, path
    for path in editions:
        assert not {m for m in _imports(path) if m.startswith(("atelier.html", "atelier.outputs"))}, path


def test_the_html_stage_never_compares_anything_with_an_edition_name():
    for name in ("dom.py", "render.py", "renderers.py"):
        tree = ast.parse((ATELIER / "html" / name).read_text(encoding="utf-8"))
        compared = [node for node in ast.walk(tree) if isinstance(node, ast.Compare)
                    and any(isinstance(side, ast.Constant) and side.value in EDITION_NAMES
                            for side in [node.left, *node.comparators])]
        assert compared == [], (name, [ast.unparse(node) for node in compared])


def test_charts_are_computed_once_per_build_and_shared_by_every_edition(content, run, tmp_path, monkeypatch):
    calls = []
    real = charts_module.charts

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)
    monkeypatch.setattr(charts_module, "charts", counting)
    assert run("check", "--content", str(content))[0] == 0
    assert len(calls) == 2  # once for pages, once reflowable (EPUB); print, EPUB and web placed them


PIECE = Markdown("<input>", Source(Path("chapters/intro.md"), 3, 1))


def _finish(edition: Edition, body: str) -> Collector:
    html = f'<html lang="fr"><head><title>t</title></head><body>{body}</body></html>'
    family = dom.Family(edition, (build.PROJECT,), build.PROJECT, build.PROJECT / "templates")
    errors = Collector()
    dom.finish([Document("a.html", "t", html, "page")], family, {"chapter:intro": PIECE}, errors)
    return errors


def test_an_edition_lets_its_own_templates_write_an_element_the_content_may_not():
    searching = Edition("essai", "print", allowed={"input": frozenset({"type"})})
    assert _finish(searching, '<p><input type="search"/></p>').problems == []
    refused = _finish(searching, '<div data-piece="chapter:intro"><input type="search"/></div>').errors
    assert [p.code for p in refused] == ["HTML-INTERDIT"] and refused[0].path.endswith("intro.md")
    assert [p.code for p in _finish(searching, '<p><input name="q"/></p>').errors] == ["HTML-INTERDIT"]
    assert [p.code for p in _finish(Edition("sans", "print"), '<p><input/></p>').errors] == ["HTML-INTERDIT"]


@pytest.mark.parametrize("page_links, expected", [(True, "../propositions/b.html"),
                                                  (False, "../propositions/b.html#prop-b")])
def test_a_link_across_folders_is_written_relative_to_the_document_that_holds_it(page_links, expected):
    class Nested(Edition):
        def file_of(self, anchor: str) -> str:
            return f"propositions/{anchor.removeprefix('prop-')}.html"

    edition = Nested("essai", "web", across_files=True, page_links=page_links)
    family = dom.Family(edition, (build.PROJECT,), build.PROJECT, build.PROJECT / "templates")
    page = '<html lang="fr"><head><title>t</title></head><body>{}</body></html>'
    documents = [Document("parties/a.html", "a", page.format('<a href="#prop-b">b</a>'), "page"),
                 Document("propositions/b.html", "b", page.format('<section id="prop-b">b</section>'), "page")]
    errors = Collector()
    finished = dom.finish(documents, family, {}, errors)
    assert errors.problems == []
    assert f'href="{expected}"' in finished[0].html
