"""Targets: every artifact and every intermediate value, with what it needs.

A :class:`Target` has a name, the names of the targets it needs, and a
function from their values to its own. :func:`run` resolves the targets a
build asks for, runs each needed one exactly once in dependency order, and
reports each step with its time. The registry in ``build.py`` is the one
declaration that the order, the cache, parallel builds and the watcher read.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Target:
    """One thing the build can make."""

    name: str
    needs: tuple[str, ...]
    make: Callable[..., Any]   # called as make(context, *values of needs)
    label: str = ""            # what the progress line says; silent when empty


def order(targets: dict[str, Target], wanted: list[str]) -> list[Target]:
    """The targets ``wanted`` and everything they need, each once, dependencies first."""
    ordered: list[Target] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if any(t.name == name for t in ordered):
            return
        if name in visiting:
            raise ValueError(f"targets depend on each other in a cycle through {name}")
        visiting.add(name)
        for need in targets[name].needs:
            visit(need)
        visiting.discard(name)
        ordered.append(targets[name])

    for name in wanted:
        visit(name)
    return ordered


def run(targets: dict[str, Target], wanted: list[str], context, progress: Callable[[str, float], None]) -> dict:
    """Make ``wanted`` and what they need; return every value made, by target name."""
    values: dict[str, Any] = {}
    for target in order(targets, wanted):
        started = time.perf_counter()
        values[target.name] = target.make(context, *(values[need] for need in target.needs))
        if target.label:
            progress(target.label.format(**context.names), time.perf_counter() - started)
    return values
