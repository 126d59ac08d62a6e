"""Targets: every artifact and every intermediate value, with what it needs.

A :class:`Target` has a name, the names of the targets it needs, and a
function from their values to its own. :func:`run` resolves the targets a
build asks for, runs each needed one exactly once in dependency order, and
reports each step with its time. The registry in ``build.py`` is the one
declaration that the order, the cache, parallel builds and the watcher read.

With a :class:`~atelier.cache.Cache`, :func:`run` first asks for what is wanted and
goes back only as far as it must: a target marked ``keep`` whose key is in the cache
is reused, and what it needs is not made at all (a reused PDF needs no layout).
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
    reads: tuple[str, ...] = ()  # files it reads itself: project parts ("styles/print"), or "content"
    keep: bool = False         # its value is kept in the cache (bytes, plain data, documents)
    by_value: bool = False     # its digest is its value's, so an unchanged value stops a rebuild there


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


def run(targets: dict[str, Target], wanted: list[str], context, progress: Callable[[str, float], None],
        cache=None) -> dict:
    """Make ``wanted`` and what they need; return every value made (or reused), by target name.

    ``progress(label, seconds)`` is told of each step; a step served by ``cache`` is told with
    ``seconds`` None. ``context.made`` and ``context.reused``, when present, list the targets of each kind.
    """
    if cache is not None:
        return _Cached(targets, context, progress, cache).run(wanted)
    values: dict[str, Any] = {}
    for target in order(targets, wanted):
        started = time.perf_counter()
        values[target.name] = target.make(context, *(values[need] for need in target.needs))
        if target.label:
            progress(target.label.format(**context.names), time.perf_counter() - started)
    return values


class _Cached:
    """One build through the cache: each target's key, digest and value, each worked out once."""

    def __init__(self, targets: dict[str, Target], context, progress, cache):
        self.targets, self.context, self.progress, self.cache = targets, context, progress, cache
        self.values: dict[str, Any] = {}
        self.keys: dict[str, str] = {}

    def run(self, wanted: list[str]) -> dict:
        order(self.targets, wanted)  # the same checks (unknown names, cycles) as without a cache
        for name in wanted:
            self.value(name)
        return self.values

    def key(self, name: str) -> str:
        """The hash of everything ``name`` is made from."""
        if name not in self.keys:
            import hashlib

            target = self.targets[name]
            digest = hashlib.sha256(name.encode() + b"\0" + self.cache.code)
            for part in target.reads:
                digest.update(self.cache.files(part))
            for need in target.needs:
                digest.update(need.encode() + b"\0" + self.digest(need))
            self.keys[name] = digest.hexdigest()
        return self.keys[name]

    def digest(self, name: str) -> bytes:
        from .cache import fingerprint

        if self.targets[name].by_value:
            return fingerprint(self.value(name), self.cache.content)
        return self.key(name).encode()

    def value(self, name: str) -> Any:
        if name in self.values:
            return self.values[name]
        target = self.targets[name]
        if target.keep:
            found = self.cache.load(name, self.key(name))
            if found is not None:
                self.values[name], problems = found
                self.context.report.extend(problems)
                self._tell(target, None, "reused")
                return self.values[name]
        needed = [self.value(need) for need in target.needs]
        before = len(self.context.report.problems)
        started = time.perf_counter()
        self.values[name] = target.make(self.context, *needed)
        self._tell(target, time.perf_counter() - started, "made")
        if target.keep:
            self.cache.store(name, self.key(name), self.values[name], self.context.report.problems[before:])
        return self.values[name]

    def _tell(self, target: Target, seconds, kind: str) -> None:
        getattr(self.context, kind, []).append(target.name)
        if target.label:
            self.progress(target.label.format(**self.context.names), seconds)
