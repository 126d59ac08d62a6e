"""Live preview: ``build.py --watch`` rebuilds the book's HTML on every save and serves it on localhost.

The watcher looks at ``content/``, ``templates/`` and ``styles/`` a few times a second. On a
change it makes the print HTML again (the same stages as the PDF, without the layout: about a
second) and the page open in the browser reloads itself. A content error is printed in the
terminal, as a build prints it, and shown in the preview in the same words; the watcher keeps
running and the next save tries again. Nothing is written to ``output/``: the PDFs and the EPUB
are made by ``build.py`` as usual.
"""
from __future__ import annotations

import html
import http.server
import mimetypes
import re
import threading
import time
from pathlib import Path
from typing import Callable, Optional
from urllib.parse import unquote, urlparse

from .freshness import source_files

#: How often the sources are looked at, in seconds.
POLL = 0.1
#: The script the preview page carries: it knows the version it shows (written in when the page is
#: served) and reloads as soon as the server has a newer one.
VERSION_MARK = "__VERSION_DE_L_APERCU__"
RELOAD = ("<script>(function(){var shown='" + VERSION_MARK + "';setInterval(function(){"
          "fetch('/__version',{cache:'no-store'}).then(function(r){return r.text();})"
          ".then(function(v){if(v!==shown){location.reload();}}).catch(function(){});},200);})();</script>")
#: Screen margins for the print HTML (its side column hangs in the left margin of the page); the
#: covers, drawn for a sheet of paper, are left to the PDF.
SCREEN = "<style>body{margin:24px 24px 48px 60mm;max-width:125mm}.cover,.back-cover{display:none}</style>"


class Preview:
    """The latest preview page and its version, shared by the watcher and the server."""

    def __init__(self):
        self.page = "<!DOCTYPE html><title>…</title><p>Construction de l'aperçu…</p>" + RELOAD
        self.version = 0
        self.lock = threading.Lock()

    def show(self, page: str) -> None:
        with self.lock:
            self.page, self.version = page, self.version + 1


def watch(make_html: Callable[[], str], report: Callable[[Exception], Optional[str]], trees: list[Path],
          styles: Path, content: Path, port: int) -> int:
    """Serve the preview on ``port`` and rebuild it whenever a file of ``trees`` changes.

    ``make_html`` returns the finished print HTML; ``report`` prints a build's problem in the
    terminal and returns its words for the page (or None when the problem is not the content's, which
    then stops the watcher). Runs until interrupted.
    """
    preview = Preview()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _handler(preview, styles, content))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"aperçu : http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C pour arrêter)", flush=True)
    seen: dict = {}
    try:
        while True:
            snapshot = _snapshot(trees)
            if snapshot != seen:
                seen = snapshot
                preview.show(_rebuilt(make_html, report, styles))
            time.sleep(POLL)
    except KeyboardInterrupt:
        print("\naperçu arrêté.")
    finally:
        server.shutdown()
    return 0


def _rebuilt(make_html: Callable[[], str], report, styles: Path) -> str:
    started = time.perf_counter()
    try:
        page = _for_the_screen(make_html(), styles)
    except Exception as problem:  # noqa: BLE001  (shown, and the watcher goes on)
        words = report(problem)
        if words is None:
            raise
        return _error_page(words)
    print(f"aperçu à jour ({time.perf_counter() - started:.1f} s)", flush=True)
    return page


def _for_the_screen(document: str, styles: Path) -> str:
    """The print HTML with its stylesheets served from /styles/, screen margins and the reload script."""
    page = document.replace(styles.resolve().as_uri() + "/", "/styles/")
    page = page.replace("</head>", SCREEN + "</head>", 1)
    return page.replace("</body>", RELOAD + "</body>", 1)


def _error_page(words: str) -> str:
    return ('<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"/><title>Erreur dans le contenu</title>'
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


def _handler(preview: Preview, styles: Path, content: Path):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802  (the name http.server calls)
            path = unquote(urlparse(self.path).path)
            if path in ("/", "/index.html"):
                with preview.lock:
                    page = preview.page.replace(VERSION_MARK, str(preview.version))
                self._send(page.encode("utf-8"), "text/html; charset=utf-8")
            elif path == "/__version":
                self._send(str(preview.version).encode(), "text/plain")
            else:
                root, relative = (styles, path[len("/styles/"):]) if path.startswith("/styles/") \
                    else (content, path.lstrip("/"))
                self._file(root, relative)

        def _file(self, root: Path, relative: str):
            target = (root / relative).resolve()
            if not re.fullmatch(r"[\w./ -]+", relative) or not target.is_relative_to(root.resolve()) \
                    or not target.is_file():
                self.send_error(404)
                return
            self._send(target.read_bytes(), mimetypes.guess_type(target.name)[0] or "application/octet-stream")

        def _send(self, body: bytes, kind: str):
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_):  # the terminal is for the editor's messages, not for requests
            pass

    return Handler
