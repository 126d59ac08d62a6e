"""A WeasyPrint URL fetcher that reads only the project's own files.

Only ``data:`` URIs and files inside the allowed trees (content, templates,
styles) are served. Anything else (the network, files elsewhere on the
machine, ``../`` escapes) is refused and remembered, so the PDF stage can
report it as an error naming the file that asked for it.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher


class ConfinedFetcher(URLFetcher):
    """Serves ``data:`` and files under ``roots``; refuses and records everything else."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"data", "file"})
        self.roots = [Path(root).resolve() for root in roots]
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        """Fetch ``url`` if it is allowed, else raise ValueError after recording it."""
        if url.startswith("data:") or self.allows(url):
            return super().fetch(url, headers)
        self.refused.append(url)
        raise ValueError(f"refused by the pipeline: {url}")

    def allows(self, url: str) -> bool:
        """Whether ``url`` is a file inside one of the allowed trees."""
        parsed = urlparse(url)
        if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
            return False
        path = Path(unquote(parsed.path)).resolve()
        return any(path.is_relative_to(root) for root in self.roots)
