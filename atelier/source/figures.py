"""Figures computed from the data, citable in prose with ``[=name]``.

Prose never types a count: it names a figure, and this module is the only
place that knows how each one is counted.
"""
from __future__ import annotations

from collections import Counter

from num2words import num2words

from ..model import Actor, Axis, Scale

#: Figures without a dot in their name (declared facts can have no dot, so only these may clash).
COMPUTED_NAMES = ("propositions", "axes", "acteurs", "phares")

#: Ways a figure can be written: [=name], [=name|lettres], [=name|%].
FORMATS = ("", "lettres", "%")


def compute_figures(axes: tuple[Axis, ...], actors: tuple[Actor, ...],
                    scales: dict[str, Scale], facts: dict[str, int]) -> dict[str, int]:
    """Every named figure of the publication: counts from the data, then declared facts."""
    proposals = [p for axis in axes for p in axis.proposals]
    figures = {
        "propositions": len(proposals),
        "axes": len(axes),
        "acteurs": len(actors),
        "phares": sum(p.highlight for p in proposals),
    }
    figures.update({f"axe.{axis.id}": len(axis.proposals) for axis in axes})
    by_actor = Counter(actor.id for p in proposals for actor in p.actors)
    figures.update({f"acteur.{actor.id}": by_actor[actor.id] for actor in actors})
    for key, scale in scales.items():
        counts = Counter(p.levels[key].id for p in proposals)
        figures.update({f"{scale.figure}.{level.id}": counts[level.id] for level in scale.levels})
    figures.update({name: value for name, value in facts.items() if name not in COMPUTED_NAMES})
    return figures


def format_figure(value: int, style: str, total: int, language: str) -> str:
    """Write ``value`` as digits, in words (``lettres``) or as a share of ``total`` (``%``)."""
    if style == "lettres":
        return num2words(value, lang=language[:2])
    if style == "%":
        share = round(100 * value / total) if total else 0
        return f"{share} %"
    return str(value)
