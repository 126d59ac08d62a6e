"""Live preview: ``build.py --watch`` rebuilds the book's HTML on every save and serves it on localhost.

The watcher looks at ``content/``, ``templates/`` and ``styles/`` a few times a second. On a
change it makes the print HTML again (the same stages as the PDF, without the layout: about a
second) and the page open in the browser reloads itself. A content error is printed in the
terminal, as a build prints it, and shown in the preview in the same words; the watcher keeps
running and the next save tries again.

The web edition is served beside it, under ``/web/`` (its pages, stylesheet, scripts and fonts, made
on the same save; the « p. N » of its pages are those of the last build, and its search index and
share cards are left to ``build.py web``).

The screen PDF follows: after each good rebuild, ``build.py pdf`` starts in the background (with
the build cache, into the output folder; a newer save stops an older one, which leaves the folder
as it was), the terminal says when the PDF is up to date, and the preview links to it (``/__pdf``).

The server answers only on 127.0.0.1 and only to requests addressed to it by that name
(``127.0.0.1:PORT`` or ``localhost:PORT``: a page elsewhere that renames its own host to this
address, DNS rebinding, is refused). It serves the preview page, the project's stylesheets and
fonts, and the content's images, nothing else (no Markdown, no YAML, nothing outside those
folders, no symbolic link out of them). Its page runs one script, the reload script it serves
itself (``/__reload.js``): a Content-Security-Policy forbids any other, and the HTML stage has
already refused any script of the content.
"""
from __future__ import annotations

import html
import http.server
import json
import mimetypes
import re
import subprocess
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import unquote, urlparse

from .freshness import source_files

#: How often the sources are looked at, in seconds.
POLL = 0.1
#: The script the preview page carries: it knows the version it shows (written in when the page is
#: served) and reloads as soon as the server has a newer one.
VERSION_MARK = "__VERSION_DE_L_APERCU__"
RELOAD_SCRIPT = ("(function(){var shown=document.documentElement.getAttribute('data-version');"
                 "setInterval(function(){fetch('/__version',{cache:'no-store'}).then(function(r){return r.text();})"
                 ".then(function(v){if(v!==shown){location.reload();}}).catch(function(){});},200);})();")
RELOAD = '<script src="/__reload.js"></script>'
#: What the preview's pages may load: their own server's files, and no script but its reload script.
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
          "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
#: Content files the preview serves: images, which the page shows.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"})
#: Project files the preview serves from the styles folder.
STYLE_SUFFIXES = frozenset({".css", ".ttf", ".otf", ".woff", ".woff2"}) | IMAGE_SUFFIXES
#: Screen margins for the print HTML (its side column hangs in the left margin of the page); the
#: covers, drawn for a sheet of paper, are left to the PDF.
SCREEN = "<style>body{margin:24px 24px 48px 60mm;max-width:125mm}.cover,.back-cover{display:none}</style>"
#: The preview's link to the latest screen PDF (the one of the last layout done, maybe a save behind).
PDF_LINK = ('<a href="/__pdf" style="position:fixed;top:8px;right:12px;font:13px sans-serif;background:#fff;'
            'padding:2px 6px;border:1px solid #999">PDF (dernière mise en pages)</a>')


class Preview:
    """The latest preview page and its version, shared by the watcher and the server."""

    def __init__(self):
        self.page = ("<!DOCTYPE html><html data-version=\"" + VERSION_MARK + "\"><title>…</title>"
                     "<p>Construction de l'aperçu…</p>" + RELOAD + "</html>")
        self.version = 0
        self.site: Mapping[str, bytes] = {}  # the web edition's files, by their path in the site
        self.lock = threading.Lock()

    def show(self, page: str, site: Optional[dict] = None) -> None:
        """Serve ``page`` (and the web edition's ``site``, when given) from now on."""
        with self.lock:
            self.page, self.version = page, self.version + 1
            if site is not None:
                self.site = site


def watch(make_html: Callable[[], tuple[str, dict]], report: Callable[[Exception], Optional[str]], trees: list[Path],
          styles: Path, content: Path, port: int, make_pdf: Optional[Callable[[], subprocess.Popen]] = None,
          out: Optional[Path] = None) -> int:
    """Serve the preview on ``port`` and rebuild it whenever a file of ``trees`` changes.

    ``make_html`` returns the finished print HTML and the web edition's files by path; ``report`` prints a build's problem in the
    terminal and returns its words for the page (or None when the problem is not the content's, which
    then stops the watcher). ``make_pdf`` starts a build of the screen PDF into ``out`` (the PDF
    follows each good rebuild). Runs until interrupted.
    """
    preview = Preview()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(preview, styles, content, out))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"aperçu : http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C pour arrêter)", flush=True)
    pdf = _Follower(make_pdf)
    seen: dict = {}
    try:
        while True:
            snapshot = _snapshot(trees)
            if snapshot != seen:
                seen = snapshot
                page, site, good = _rebuilt(make_html, report, styles)
                preview.show(page, site)
                if good:
                    pdf.restart()
            pdf.poll()
            time.sleep(POLL)
    except KeyboardInterrupt:
        print("\naperçu arrêté.")
    finally:
        pdf.stop()
        server.shutdown()
    return 0


class _Follower:
    """The background build of the screen PDF: one at a time, the newest save's."""

    def __init__(self, start: Optional[Callable[[], subprocess.Popen]]):
        self.start, self.process, self.started = start, None, 0.0

    def restart(self) -> None:
        if self.start is None:
            return
        self.stop()
        self.process, self.started = self.start(), time.perf_counter()

    def poll(self) -> None:
        if self.process is None or self.process.poll() is None:
            return
        said = self.process.stdout.read() if self.process.stdout else ""
        if self.process.returncode == 0:
            print(f"PDF à jour ({time.perf_counter() - self.started:.1f} s)", flush=True)
        else:
            print("le PDF n'a pas pu être refait :\n" + said.strip(), flush=True)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None


def _rebuilt(make_html: Callable[[], tuple[str, dict]], report, styles: Path) -> tuple[str, Optional[dict], bool]:
    """The new preview page, the web edition's files (None: keep the last ones), and whether the content was good."""
    started = time.perf_counter()
    try:
        document, site = make_html()
        page = _for_the_screen(document, styles)
    except Exception as problem:  # noqa: BLE001  (shown, and the watcher goes on)
        words = report(problem)
        if words is None:
            raise
        return _error_page(words), None, False
    print(f"aperçu à jour ({time.perf_counter() - started:.1f} s)", flush=True)
    return page, site, True


def _web_page(data: bytes, version: int) -> bytes:
    """A page of the web edition as the preview serves it: it knows its version and reloads itself."""
    page = data.decode("utf-8")
    page = re.sub(r"<html\b", f'<html data-version="{version}"', page, count=1)
    return page.replace("</body>", RELOAD + "</body>", 1).encode("utf-8")


def _for_the_screen(document: str, styles: Path) -> str:
    """The print HTML with its stylesheets served from /styles/, screen margins and the reload script."""
    page = document.replace(styles.resolve().as_uri() + "/", "/styles/")
    page = re.sub(r"<html\b", f'<html data-version="{VERSION_MARK}"', page, count=1)
    page = page.replace("</head>", SCREEN + "</head>", 1)
    return page.replace("</body>", PDF_LINK + RELOAD + "</body>", 1)


def _error_page(words: str) -> str:
    return (f'<!DOCTYPE html><html lang="fr" data-version="{VERSION_MARK}"><head><meta charset="utf-8"/>'
            "<title>Erreur dans le contenu</title>"
            "</head><body style=\"font-family:sans-serif;margin:2em;max-width:50em\">"
            "<h1>Le contenu a une erreur</h1><p>L'aperçu reviendra dès qu'elle sera corrigée.</p>"
            f"<pre style=\"white-space:pre-wrap\">{html.escape(words)}</pre>{RELOAD}</body></html>")


def _snapshot(trees: list[Path]) -> dict:
    found = {}
    for path in (path for tree in trees for path in source_files(tree)):
        try:
            stat = path.stat()
        except OSError:
            continue
        found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def _latest_pdf(out: Optional[Path]) -> Optional[Path]:
    """The screen PDF the output folder's manifest lists, if any."""
    try:
        entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["artifacts"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    found = next((out / e["path"] for e in entries if e.get("kind") == "pdf"), None)
    return found if found is not None and found.is_file() else None


def _handler(preview: Preview, styles: Path, content: Path, out: Optional[Path] = None):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802  (the name http.server calls)
            port = self.server.server_address[1]
            if self.headers.get("Host", "") not in (f"127.0.0.1:{port}", f"localhost:{port}"):
                self.send_error(421, "adresse refusée : l'aperçu ne répond qu'à 127.0.0.1 et localhost")
                return
            path = unquote(urlparse(self.path).path)
            if path == "/__reload.js":
                self._send(RELOAD_SCRIPT.encode(), "text/javascript; charset=utf-8")
            elif path in ("/", "/index.html"):
                with preview.lock:
                    page = preview.page.replace(VERSION_MARK, str(preview.version))
                self._send(page.encode("utf-8"), "text/html; charset=utf-8")
            elif path == "/__version":
                self._send(str(preview.version).encode(), "text/plain")
            elif path == "/__pdf":
                pdf = _latest_pdf(out)
                if pdf is None:
                    self.send_error(404, "pas encore de PDF")
                else:
                    self._send(pdf.read_bytes(), "application/pdf")
            elif path.startswith("/styles/"):
                self._file(styles, path[len("/styles/"):], STYLE_SUFFIXES)
            elif path == "/web" or path.startswith("/web/"):
                self._site(path[len("/web/"):] or "index.html")
            else:
                self._file(content, path.lstrip("/"), IMAGE_SUFFIXES)

        def _site(self, relative: str):
            """A file of the web edition, as made on the last save (nothing else: no path of the disk)."""
            with preview.lock:
                site, version = preview.site, preview.version
            data = site.get(relative)  # outside the lock: a font subset is made on its first request
            if data is None:
                self.send_error(404)
                return
            kind = mimetypes.guess_type(relative)[0] or "application/octet-stream"
            if relative.endswith(".html"):
                data, kind = _web_page(data, version), "text/html; charset=utf-8"
            self._send(data, kind)

        def _file(self, root: Path, relative: str, suffixes: frozenset[str]):
            """A file of ``root`` with one of ``suffixes``; no way out of ``root``, not even by a link."""
            target = (root / relative).resolve()
            if (not re.fullmatch(r"[\w][\w./ -]*", relative) or ".." in Path(relative).parts
                    or not target.is_relative_to(root.resolve()) or target.suffix.lower() not in suffixes
                    or not target.is_file()):
                self.send_error(404)
                return
            self._send(target.read_bytes(), mimetypes.guess_type(target.name)[0] or "application/octet-stream")

        def _send(self, body: bytes, kind: str):
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Security-Policy", POLICY)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_):  # the terminal is for the editor's messages, not for requests
            pass

    return Handler
