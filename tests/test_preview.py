"""The live preview, for real: ``build.py --watch`` serves the book's HTML, and a page open in
headless Chromium shows an edit of a chapter without being reloaded by hand.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import starter

ROOT = Path(__file__).resolve().parents[1]
DRIVER = ROOT / "tests" / "preview_reload.js"
PUPPETEER = ROOT / "tools" / "ace" / "node_modules" / "puppeteer-core"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def watcher(content, tmp_path):
    port = _free_port()
    # With a build cache, as a user's preview runs: each save must be seen through it.
    process = starter.Popen([sys.executable, str(ROOT / "build.py"), "--watch", "--port", str(port),
                             "--content", str(content), "--out", str(tmp_path / "out")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            env={**os.environ, "ATELIER_CACHE": str(tmp_path / "cache")})
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            if urllib.request.urlopen(url + "__version", timeout=1).read() != b"0":
                break
        except OSError:
            pass
        time.sleep(0.2)
    yield url, process
    process.terminate()
    process.wait(timeout=10)


def _edit(chapter: Path, old: str, new: str) -> None:
    text = chapter.read_text(encoding="utf-8")
    assert old in text
    chapter.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.skipif(not PUPPETEER.is_dir(), reason="make test installs puppeteer-core in tools/ace")
def test_an_edit_shows_in_the_open_preview_without_a_reload(watcher, content):
    url, _ = watcher
    driver = subprocess.Popen(["node", str(DRIVER), url, "Ce livre réunit", "Une phrase écrite à l’instant"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert driver.stdout.readline().strip() == "ready", driver.stderr.read()
    # Typed with a straight apostrophe: the preview shows it set, as the book does.
    _edit(content / "chapters" / "intro.md", "Ce livre réunit", "Une phrase écrite à l'instant. Ce livre réunit")
    said, problems = driver.communicate(timeout=60)
    assert driver.returncode == 0 and said.strip() == "seen", problems


def test_a_content_error_shows_in_the_preview_and_the_watcher_goes_on(watcher, content):
    url, process = watcher
    _edit(content / "chapters" / "intro.md", "[=partenaires]", "[=partenaire]")
    page = ""
    for _ in range(50):
        page = urllib.request.urlopen(url, timeout=2).read().decode("utf-8")
        if "CHIFFRE-INCONNU" in page:
            break
        time.sleep(0.2)
    assert "CHIFFRE-INCONNU" in page and "intro.md" in page
    _edit(content / "chapters" / "intro.md", "[=partenaire]", "[=partenaires]")
    for _ in range(50):
        page = urllib.request.urlopen(url, timeout=2).read().decode("utf-8")
        if "CHIFFRE-INCONNU" not in page and "Ce livre réunit" in page:
            break
        time.sleep(0.2)
    assert "CHIFFRE-INCONNU" not in page and process.poll() is None


def _pdf_text(url: str) -> str:
    import pypdfium2

    try:
        data = urllib.request.urlopen(url + "__pdf", timeout=5).read()
    except OSError:
        return ""
    pdf = pypdfium2.PdfDocument(data)
    try:
        return " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def test_the_screen_pdf_follows_the_preview(watcher, content, tmp_path):
    url, process = watcher
    for _ in range(300):  # the first PDF, made after the first preview
        if "Ce livre" in _pdf_text(url):
            break
        time.sleep(0.2)
    assert "Ce livre" in _pdf_text(url)
    _edit(content / "chapters" / "intro.md", "Ce livre réunit", "Une phrase pour le PDF. Ce livre réunit")
    for _ in range(300):
        if "Une phrase pour le PDF" in _pdf_text(url):
            break
        time.sleep(0.2)
    assert "Une phrase pour le PDF" in _pdf_text(url) and process.poll() is None
    assert (tmp_path / "out" / "manifest.json").is_file()


# --- the preview server as an attacker would try it (issue 25) ------------------------------------

def _get(url: str, path: str, host: str | None = None) -> tuple[int, dict, bytes]:
    """A raw request, the path sent exactly as written (no client-side clean-up of ``..``)."""
    import http.client
    from urllib.parse import urlparse

    where = urlparse(url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=5)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host if host is not None else f"127.0.0.1:{where.port}")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


def test_the_preview_serves_its_page_the_styles_and_the_images_and_nothing_else(watcher, content, tmp_path):
    url, _ = watcher
    from PIL import Image

    Image.new("RGB", (2, 2)).save(content / "images" / "ok.png")
    secret = tmp_path / "secret.png"
    Image.new("RGB", (2, 2)).save(secret)
    (content / "images" / "lien.png").symlink_to(secret)
    assert _get(url, "/")[0] == 200
    assert _get(url, "/styles/print/book.css")[0] == 200
    assert _get(url, "/images/ok.png")[0] == 200
    refused = ["/../content/book.yaml", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc/passwd", "//etc/passwd",
               "/etc/passwd", "/book.yaml", "/propositions.yaml", "/chapters/intro.md", "/styles/../build.py",
               "/styles/%2e%2e/build.py", "/styles/../../build.py", "/images/lien.png", f"/{secret}",
               "/images/../book.yaml", "/.%2e/build.py"]
    statuses = {path: _get(url, path)[0] for path in refused}
    assert set(statuses.values()) == {404}, statuses


def test_the_preview_answers_only_to_its_own_host_name(watcher):
    url, _ = watcher
    port = url.rsplit(":", 1)[1].strip("/")
    assert _get(url, "/", host=f"localhost:{port}")[0] == 200
    for host in (f"attaquant.example:{port}", "127.0.0.1", f"127.0.0.1.nip.io:{port}", ""):
        assert _get(url, "/", host=host)[0] == 421, host


def test_a_script_of_the_content_never_runs_in_the_preview(watcher, content):
    url, _ = watcher
    chapter = content / "chapters" / "intro.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n<script>document.title='pris'</script>\n"
                       '\n<img src="images/x.svg" onerror="alert(1)" alt="x"/>\n', encoding="utf-8")
    page = ""
    for _ in range(50):
        status, headers, body = _get(url, "/")
        page = body.decode("utf-8")
        if "HTML-INTERDIT" in page:
            break
        time.sleep(0.2)
    assert "HTML-INTERDIT" in page and "document.title" not in page.replace("&#x27;", "'").split("<pre")[0]
    assert "<script>" not in page and page.count("<script") == 1 and 'src="/__reload.js"' in page
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_the_preview_serves_the_web_edition_and_a_web_edit_appears_there(watcher, content):
    url, _ = watcher
    page = url + "web/propositions/former-agents.html"
    first = urllib.request.urlopen(page, timeout=5).read().decode("utf-8")
    assert "Former les agents" in first and "/__reload.js" in first
    assert urllib.request.urlopen(url + "web/assets/site.css", timeout=5).status == 200
    # The subsets are made on their first request: served whole, and a path no font has is not found.
    font = urllib.request.urlopen(url + "web/assets/fonts/SourceSans3-Regular.woff", timeout=5).read()
    assert font.startswith(b"wOFF") and len(font) > 10_000
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(url + "web/assets/fonts/Absente.woff", timeout=5)
    _edit(content / "propositions.yaml", "title: Former les agents", "title: Former tous les agents")
    shown = ""
    for _ in range(60):
        shown = urllib.request.urlopen(page, timeout=5).read().decode("utf-8")
        if "Former tous les agents" in shown:
            break
        time.sleep(0.2)
    assert "Former tous les agents" in shown
