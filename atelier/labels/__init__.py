"""Interface strings, one YAML file per language, out of the Python code.

``labels_for("fr")["part.number"]`` reads ``part: {number: …}`` from
``fr.yaml``; :meth:`Labels.get` fills in the placeholders and
:meth:`Labels.plural` chooses the singular or plural entry from a count.
A missing key is a bug of the pipeline, not of the content, and raises.

A placeholder written just after a preposition takes the contraction the
language asks for: in French, « à {actor} » with « les citoyens » reads
« aux citoyens », « de {actor} » with « le monde de la recherche » reads
« du monde de la recherche » (:func:`contract`).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

FOLDER = Path(__file__).resolve().parent

#: A preposition and the definite article that merge into one word, by language: (preposition,
#: article) -> contracted form. French: à le → au, à les → aux, de le → du, de les → des.
CONTRACTIONS = {
    "fr": {("à", "le"): "au", ("à", "les"): "aux", ("de", "le"): "du", ("de", "les"): "des"},
}
#: A plain placeholder right after a word of its own (« à {actor} »), not inside another word.
_AFTER_WORD = re.compile(r"(?<![\w'’])(\w+) \{(\w+)\}")


def contract(preposition: str, name: str, language: str) -> str:
    """« à » and « les citoyens » → « aux citoyens »; « de » and « L'État » → « de L'État ».

    The article is recognised at the start of ``name`` whatever its case (« Les citoyens » too);
    a preposition with a capital keeps it (« Aux citoyens »)."""
    rules = CONTRACTIONS.get(language.split("-")[0].lower(), {})
    match = re.match(r"(\w+)\s+(?=\S)", name)
    contracted = rules.get((preposition.lower(), match.group(1).lower())) if match else None
    if contracted is None:
        return f"{preposition} {name}"
    if preposition[:1].isupper():
        contracted = contracted.capitalize()
    return f"{contracted} {name[match.end():]}"


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
        return self.fill(text, values) if values else text

    def plural(self, key: str, n: int, **values) -> str:
        """The entry at ``key`` that agrees with ``n`` (French: 0 and 1 are singular)."""
        forms = self[key]
        singular = n == 1 or (self.language == "fr" and n == 0)
        form = forms["one"] if singular else forms["other"]
        return self.fill(form, {"n": n, **values})

    def fill(self, text: str, values: dict) -> str:
        """``text`` with its placeholders filled in, a preposition before one contracted with the
        article its value starts with (« à {actor} » → « aux citoyens »)."""
        rules = CONTRACTIONS.get(self.language, {})

        def joined(match: re.Match) -> str:
            preposition, name = match.group(1), match.group(2)
            value = values.get(name)
            if not isinstance(value, str) or not any(p == preposition.lower() for p, _ in rules):
                return match.group(0)
            return contract(preposition, value, self.language).replace("{", "{{").replace("}", "}}")

        return _AFTER_WORD.sub(joined, text).format(**values)


@lru_cache(maxsize=None)
def labels_for(language: str) -> Labels:
    """The labels of ``language`` (a BCP 47 code: ``fr-CA`` uses ``fr.yaml``)."""
    base = language.split("-")[0].lower()
    path = FOLDER / f"{base}.yaml"
    return Labels(base, yaml.safe_load(path.read_text(encoding="utf-8")))
