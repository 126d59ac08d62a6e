"""The one error type of the pipeline and how it is shown to an editor.

Every problem found in the content is a :class:`Problem` carrying the file,
line and column it comes from, a stable code and a message written for an
editor who is not a developer. Stages collect problems and raise
:class:`ContentError` once, so the editor sees all of them in one run.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the content, with where it is."""

    path: str
    line: int
    column: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"


class ContentError(Exception):
    """Raised by a stage with every problem it found; the build exits with 1."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.column))
        super().__init__("\n".join(str(p) for p in self.problems))


class Collector:
    """Gathers problems during a stage so that all are reported together."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []

    def add(self, path: Path | str, line: int, column: int, code: str, message: str) -> None:
        """Record one problem; ``path`` is shown relative to the content root."""
        self.problems.append(Problem(self.relative(path), line, column, code, message))

    def relative(self, path: Path | str) -> str:
        """The path as the editor knows it: relative to the content folder's parent."""
        path = Path(path)
        try:
            return str(path.resolve().relative_to(self.root.resolve().parent))
        except ValueError:
            return str(path)

    def raise_if_any(self) -> None:
        """Stop the build if anything was recorded."""
        if self.problems:
            raise ContentError(self.problems)


def did_you_mean(name: str, known) -> str:
    """A sentence suggesting the known name closest to ``name``, or nothing."""
    hint = difflib.get_close_matches(str(name), [str(k) for k in known], n=1)
    return f" Vouliez-vous dire « {hint[0]} » ?" if hint else ""
