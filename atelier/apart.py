"""The printer's PDF, built in a second process beside the rest of the build.

The printer's edition needs a layout of its own (other stylesheets, CMYK inks), as long as the
screen edition's and independent of it. On a machine with two cores, ``build.py`` run from the
command line therefore starts ``build.py print`` in a second process, into a folder of its
staging area, builds the other outputs meanwhile, and then publishes the printer's files with its
own, all at once. The child is the same command a user could type, so it gives the same bytes.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .outputs.publish import MANIFEST, Artifact

#: The outputs that may be built apart, in their own process.
APART = ("print",)


class ApartFailed(Exception):
    """The second process stopped with an error; its own words say why."""

    def __init__(self, status: int, words: str):
        super().__init__(words)
        self.status, self.words = status, words


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def outputs_apart(wanted: list[str], parallel: bool) -> list[str]:
    """Which of ``wanted`` to build in a second process (none on one core, or for one output)."""
    if not parallel or len(wanted) < 2 or cores() < 2:
        return []
    return [name for name in wanted if name in APART]


@dataclass
class Apart:
    """A second ``build.py`` at work."""

    process: subprocess.Popen
    out: Path
    outputs: list[str]

    def stop(self) -> None:
        """End it (the main build failed or was interrupted)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def artifacts(self) -> tuple[list[Artifact], str]:
        """Wait for it; its artifacts and the progress lines it printed."""
        said, problems = self.process.communicate()
        if self.process.returncode:
            raise ApartFailed(self.process.returncode, problems)
        manifest = json.loads((self.out / MANIFEST).read_text(encoding="utf-8"))
        found = [Artifact(kind=e["kind"], path=e["path"], data=(self.out / e["path"]).read_bytes(),
                          output=e["output"], pages=e.get("pages"))
                 for e in manifest["artifacts"] if e.get("output") in self.outputs]
        # Its progress lines, not the lines that name files in its own folder (published here).
        return found, "".join(line for line in said.splitlines(True) if str(self.out) not in line)


def start(project: Path, content: Path, stage: Path, strict: bool, outputs: list[str]) -> Apart:
    """Start ``build.py <outputs>`` into a folder of ``stage``."""
    out = stage / "apart"
    command = [sys.executable, str(project / "build.py"), *outputs, "--content", str(content), "--out", str(out)]
    if strict:
        command.append("--strict")
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return Apart(process, out, list(outputs))
