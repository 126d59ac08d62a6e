"""The one error type of the pipeline and how it is shown to an editor.

Every problem found in the content is a :class:`Problem` carrying the file,
line and column it comes from, a stable code, a message written for an
editor who is not a developer, and a severity: an error stops the build, a
warning is shown and the build goes on (``--strict`` makes warnings errors).
Stages collect problems and raise :class:`ContentError` once, so the editor
sees all of them in one run. Problems of the machine rather than the content
(an output folder that cannot be written, a full disk) are
:class:`EnvironmentProblem`.
"""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the content, with where it is."""

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        prefix = "avertissement : " if self.severity == WARNING else ""
        return f"{self.path}:{self.line}:{self.column}: {self.code} {prefix}{self.message}"


class ContentError(Exception):
    """Raised by a stage with every problem it found; the build exits with 1."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.column, p.code))
        super().__init__("\n".join(str(p) for p in self.problems))


class EnvironmentProblem(Exception):
    """The machine, not the content, stands in the way (folder, disk, permissions); exit 2."""


def shown_path(path: Path | str) -> str:
    """A path as the editor typed it: relative to the working folder when inside it."""
    path = Path(path)
    if not path.is_absolute():
        return str(path)
    try:
        return os.path.relpath(path, Path.cwd()) if path.resolve().is_relative_to(Path.cwd().resolve()) \
            else str(path)
    except (OSError, ValueError):
        return str(path)


class Collector:
    """Gathers problems during a stage so that all are reported together."""

    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, path: Path | str, line: int, column: int, code: str, message: str) -> None:
        """Record one error."""
        self.problems.append(Problem(shown_path(path), line, column, code, message))

    def warn(self, path: Path | str, line: int, column: int, code: str, message: str) -> None:
        """Record one warning: shown to the editor, fatal only in strict mode."""
        self.problems.append(Problem(shown_path(path), line, column, code, message, WARNING))

    def extend(self, problems) -> None:
        """Take over problems found by another stage."""
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop the build."""
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that are only shown."""
        return [p for p in self.problems if p.severity == WARNING]

    def raise_if_any(self) -> None:
        """Stop the build if any error was recorded (warnings go along with it)."""
        if self.errors:
            raise ContentError(self.problems)


def did_you_mean(name: str, known) -> str:
    """A sentence suggesting the known name closest to ``name``, or nothing."""
    hint = difflib.get_close_matches(str(name), [str(k) for k in known], n=1)
    return f" Vouliez-vous dire « {hint[0]} » ?" if hint else ""
