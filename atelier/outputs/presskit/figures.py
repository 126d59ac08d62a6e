"""Key figures of the press kit, computed from the book's data, never typed.

Every figure the dossier, the release and the press page print comes from
:func:`key_figures`, which counts the proposals of the validated book; the
tests count them again from the data and compare.
"""
from __future__ import annotations

from dataclasses import dataclass

from ...model import Book


@dataclass(frozen=True)
class Count:
    """How many proposals one name (a part, an actor, a level) gathers, and their share of all."""

    name: str
    value: int
    share: int      # percent of all proposals, rounded


@dataclass(frozen=True)
class ScaleCounts:
    """The proposals by level of one scale, from the lowest level to the highest."""

    label: str
    levels: tuple[Count, ...]


@dataclass(frozen=True)
class KeyFigures:
    """The publication in numbers."""

    proposals: int
    parts: int
    actors: int
    highlights: int
    per_part: tuple[Count, ...]       # in the order of the parts
    per_actor: tuple[Count, ...]      # most addressed first (equal counts keep the data's order)
    per_scale: tuple[ScaleCounts, ...]


def key_figures(book: Book) -> KeyFigures:
    """The key figures of ``book``."""
    proposals = book.proposals
    total = len(proposals)

    def count(name: str, value: int) -> Count:
        return Count(name, value, round(100 * value / total) if total else 0)

    per_actor = [count(a.label, sum(a in p.actors for p in proposals)) for a in book.actors]
    return KeyFigures(
        proposals=total, parts=len(book.axes), actors=len(book.actors),
        highlights=sum(p.highlight for p in proposals),
        per_part=tuple(count(axis.title, len(axis.proposals)) for axis in book.axes),
        per_actor=tuple(sorted(per_actor, key=lambda c: -c.value)),
        per_scale=tuple(ScaleCounts(scale.label, tuple(
            count(level.label, sum(p.levels[key] == level for p in proposals)) for level in scale.levels))
            for key, scale in list(book.scales.items())[:2]))  # the two scales of the matrix (cost, ease)
