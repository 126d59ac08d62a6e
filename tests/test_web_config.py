"""The web edition's settings in book.yaml (web.url, web.printer_pdf), on the small publication."""
from __future__ import annotations

import re

import lxml.html
import pytest

from outputwalk import addresses, foreign

URL = "https://exemple.org/livre-blanc/"
# One worker for the module, which builds the small site once.
pytestmark = pytest.mark.xdist_group("web-config")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The small book's site with web.url and web.printer_pdf set (one build for the module)."""
    import build
    from conftest import BOOK_YAML, INTRO_MD, PROPOSALS_YAML

    root = tmp_path_factory.mktemp("web-config")
    content = root / "content"
    (content / "chapters").mkdir(parents=True)
    (content / "book.yaml").write_text(BOOK_YAML + f"web:\n  url: {URL}\n  printer_pdf: true\n", encoding="utf-8")
    (content / "propositions.yaml").write_text(PROPOSALS_YAML, encoding="utf-8")
    (content / "chapters" / "intro.md").write_text(INTRO_MD, encoding="utf-8")
    assert build.main(["web", "--content", str(content), "--out", str(root / "out")]) == 0
    return root / "out" / "web"


def test_with_web_url_every_page_names_its_address_its_card_and_is_in_the_sitemap(built):
    pages = sorted(p.relative_to(built).as_posix() for p in built.rglob("*.html"))
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    assert re.findall(r"<loc>([^<]+)</loc>", sitemap) == [URL if p == "index.html" else URL + p for p in pages]
    assert f"Sitemap: {URL}sitemap.xml" in (built / "robots.txt").read_text(encoding="utf-8")
    proposal = lxml.html.fromstring((built / "propositions" / "former-agents.html").read_bytes())
    assert proposal.xpath("//link[@rel='canonical']/@href") == [URL + "propositions/former-agents.html"]
    assert proposal.xpath("//meta[@property='og:image']/@content") == [URL + "cartes/prop-former-agents.png"]
    assert (built / "cartes" / "prop-former-agents.png").is_file()
    assert proposal.xpath("//meta[@name='twitter:card']/@content") == ["summary_large_image"]


def test_the_printer_pdf_is_offered_when_book_yaml_asks_and_no_other_address_appears(built):
    home = lxml.html.fromstring((built / "index.html").read_bytes())
    offered = home.xpath("//ul[@class='downloads']//a/@href")
    assert "telechargements/petit-livre-imprimeur.pdf" in offered and len(offered) == 3  # no press kit here
    assert all((built / href).is_file() for href in offered)
    found = addresses(built)
    assert any(address.startswith(URL) for _, address in found)
    assert foreign(found) == [(where, a) for where, a in foreign(found) if a.startswith(URL)]


@pytest.mark.parametrize("web, code", [("  adresse: https://exemple.org/\n", "SCHEMA"),
                                       ("  url: http://exemple.org/\n", "SCHEMA")])
def test_an_unknown_or_insecure_web_setting_is_an_error_at_its_line(content, run, web, code):
    book = content / "book.yaml"
    book.write_text(book.read_text(encoding="utf-8") + "web:\n" + web, encoding="utf-8")
    status, out, err = run("check", "--content", str(content))
    line = book.read_text(encoding="utf-8").splitlines().index(web.rstrip("\n")) + 1
    assert status == 1 and f"book.yaml:{line}:" in err, err


def test_check_makes_the_web_pages_without_a_layout(content, run):
    status, out, err = run("check", "--content", str(content))
    assert status == 0, err
    assert "édition web" in out and "mise en pages" not in out
