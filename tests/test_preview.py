"""The live preview, for real: ``build.py --watch`` serves the book's HTML, and a page open in
headless Chromium shows an edit of a chapter without being reloaded by hand.
"""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

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
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--watch", "--port", str(port),
                                "--content", str(content), "--out", str(tmp_path / "out")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
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
