"""Interface strings, one YAML file per language, out of the Python code.

``labels_for("fr")["part.number"]`` reads ``part: {number: …}`` from
``fr.yaml``; :meth:`Labels.get` fills in the placeholders and
:meth:`Labels.plural` chooses the singular or plural entry from a count.
A missing key is a bug of the pipeline, not of the content, and raises.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

FOLDER = Path(__file__).resolve().parent


def available_languages() -> list[str]:
    """The languages a publication may be written in (those with a labels file)."""
    return sorted(path.stem for path in FOLDER.glob("*.yaml"))


class Labels:
    """The strings of one language, looked up by dotted key."""

    def __init__(self, language: str, entries: dict):
        self.language = language
        self.entries = entries

    def __getitem__(self, key: str):
        node = self.entries
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise KeyError(f"label « {key} » missing from {self.language}.yaml")
            node = node[part]
        return node

    def get(self, key: str, **values) -> str:
        """The string at ``key`` with its placeholders filled in."""
        text = self[key]
        if not isinstance(text, str):
            raise KeyError(f"label « {key} » is not a plain string")
        return text.format(**values) if values else text

    def plural(self, key: str, n: int, **values) -> str:
        """The entry at ``key`` that agrees with ``n`` (French: 0 and 1 are singular)."""
        forms = self[key]
        singular = n == 1 or (self.language == "fr" and n == 0)
        form = forms["one"] if singular else forms["other"]
        return form.format(n=n, **values)


@lru_cache(maxsize=None)
def labels_for(language: str) -> Labels:
    """The labels of ``language`` (a BCP 47 code: ``fr-CA`` uses ``fr.yaml``)."""
    base = language.split("-")[0].lower()
    path = FOLDER / f"{base}.yaml"
    return Labels(base, yaml.safe_load(path.read_text(encoding="utf-8")))
