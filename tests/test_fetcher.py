"""The layout stage reads only the project's own files and data: URIs (a second line of defence
behind the HTML stage's confinement rule)."""
from __future__ import annotations

import pytest

from atelier.errors import ContentError
from atelier.outputs.fetcher import ConfinedFetcher
from atelier.errors import Collector
from atelier.outputs.layout import Trees, lay_out


def render_pdf(html, trees):
    return lay_out(html, trees, [], Collector())

PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8"
       "z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


@pytest.fixture
def trees(tmp_path):
    trees = Trees(content=tmp_path / "content", templates=tmp_path / "templates", styles=tmp_path / "styles")
    for folder in trees.all():
        folder.mkdir()
    (trees.content / "images").mkdir()
    (trees.content / "images" / "ok.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>')
    (tmp_path / "secret.svg").write_text((trees.content / "images" / "ok.svg").read_text())
    return trees


@pytest.mark.parametrize("url", [
    "http://example.org/image.png",
    "https://example.org/style.css",
    "ftp://example.org/x",
])
def test_network_urls_are_refused(trees, url):
    fetcher = ConfinedFetcher(trees.all())
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_files_outside_the_trees_are_refused(trees):
    fetcher = ConfinedFetcher(trees.all())
    outside = (trees.content.parent / "secret.svg").as_uri()
    escape = trees.content.as_uri() + "/../secret.svg"
    for url in (outside, escape, "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 3


def test_files_inside_and_data_uris_are_served(trees):
    fetcher = ConfinedFetcher(trees.all())
    response = fetcher.fetch((trees.content / "images" / "ok.svg").as_uri())
    assert b"<svg" in response.read()
    response.close()
    assert fetcher.fetch(PNG).read().startswith(b"\x89PNG")
    assert fetcher.refused == []


def test_layout_with_a_remote_image_is_refused(trees):
    with pytest.raises(ContentError) as caught:
        render_pdf('<p>Texte</p>\n<img src="https://example.org/logo.png"/>\n', trees)
    assert caught.value.problems[0].code == "RESSOURCE-REFUSEE"


def test_a_stylesheet_that_imports_from_outside_is_named(trees):
    css = trees.styles / "book.css"
    css.write_text('@import url("https://example.org/evil.css");\np { color: red }\n')
    with pytest.raises(ContentError) as caught:
        lay_out(f'<link rel="stylesheet" href="{css.as_uri()}"/><p>x</p>', trees, [css], Collector())
    problem = caught.value.problems[0]
    assert problem.code == "RESSOURCE-REFUSEE" and problem.path.endswith("book.css")


def test_pdf_with_a_parent_escape_fails(trees):
    html = '<img src="../secret.svg"/>'
    with pytest.raises(ContentError) as caught:
        render_pdf(html, trees)
    assert caught.value.problems[0].code == "RESSOURCE-REFUSEE"


def test_pdf_with_local_and_data_images_renders(trees):
    html = f'<img src="images/ok.svg"/><img src="{PNG}"/>'
    errors = Collector()
    layout = lay_out(html, trees, [], errors)
    assert len(layout.pages) == 1 and not errors.problems
