"""The content format: which version of ``book.yaml`` and ``propositions.yaml`` a tree is written in.

The format changes with notice: ``CHANGELOG.md`` says, for editors, what changed from one
version to the next and how to update a tree. ``book.yaml`` declares its version (``format``); a
tree that declares none is read in the current one, with a warning; a tree in an earlier version
is still read as it was meant, with a warning that says, line by line, what to change.
"""
from __future__ import annotations

from ..errors import Collector

#: The current version of the content format.
CURRENT = 2
#: Format 1 named the figures of the cost and ease scales ``cout.*`` and ``facilite.*`` without
#: saying so; since format 2 a scale's figures take its identifier unless it declares ``figure``.
FORMAT_1_FIGURES = {"cost": "cout", "ease": "facilite"}


def declared(meta, smap, errors: Collector) -> int:
    """The format ``book.yaml`` is written in (the current one when it says nothing, with a warning)."""
    if meta.format is None:
        errors.warn(smap.path, 1, 1, "FORMAT-ABSENT",
                    f"book.yaml ne dit pas dans quel format il est écrit ; il est lu au format {CURRENT}, "
                    f"l'actuel. Ajoutez la ligne « format: {CURRENT} » en tête du fichier ; si le contenu a été "
                    "écrit pour une version plus ancienne de la chaîne, CHANGELOG.md dit ce qui a changé.")
        return CURRENT
    position = smap.at(("format",))
    if meta.format > CURRENT:
        errors.add(smap.path, position.line, position.column, "FORMAT-RECENT",
                   f"book.yaml est au format {meta.format}, plus récent que cette chaîne (format {CURRENT}) : "
                   "mettez la chaîne à jour.")
    elif meta.format < CURRENT:
        errors.warn(smap.path, position.line, position.column, "FORMAT-ANCIEN",
                    f"book.yaml est au format {meta.format}, lu comme tel ; le format actuel est le {CURRENT}. "
                    "Les avertissements qui suivent disent quoi changer, puis écrivez "
                    f"« format: {CURRENT} » (CHANGELOG.md).")
    return meta.format


def figure_prefix(key: str, declared_figure: str | None, content_format: int) -> str:
    """The prefix of a scale's figures: its own ``figure``, else what the content's format gives it."""
    if declared_figure:
        return declared_figure
    return FORMAT_1_FIGURES.get(key, key) if content_format == 1 else key


def hint_for_unknown_figure(name: str) -> str:
    """What to say of an unknown figure that format 1 would have known (``cout.faible``)."""
    prefix = name.split(".", 1)[0]
    scale = next((key for key, old in FORMAT_1_FIGURES.items() if old == prefix), None)
    if scale is None:
        return ""
    return (f" Le format du contenu a changé (CHANGELOG.md, format 2) : les chiffres d'une échelle portent "
            f"son identifiant ([={scale}.{name.split('.', 1)[-1]}]) sauf si elle déclare « figure: {prefix} » "
            f"dans propositions.yaml.")
