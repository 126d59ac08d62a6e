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
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .outputs.publish import MANIFEST, Artifact

#: The outputs that may be built apart, in their own process.
APART = ("print",)
#: What the second process's progress lines begin with, as they are shown among the first's.
PREFIX = "imprimeur │ "


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
    """A second ``build.py`` at work; its progress lines are shown as they come, marked as its own."""

    process: subprocess.Popen
    out: Path
    outputs: list[str]
    problems: list[str] = field(default_factory=list)
    readers: list[threading.Thread] = field(default_factory=list)

    def listen(self) -> None:
        """Show its progress lines as it prints them, and keep what it says on its error output."""
        def progress() -> None:
            for line in self.process.stdout:
                # The lines that name files in its own folder are left out: they are published here.
                if str(self.out) not in line:
                    print(PREFIX + line, end="", flush=True)

        def problems() -> None:
            self.problems.extend(self.process.stderr)

        self.readers = [threading.Thread(target=job, daemon=True) for job in (progress, problems)]
        for reader in self.readers:
            reader.start()

    def stop(self) -> None:
        """End it (the main build failed or was interrupted)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def artifacts(self) -> list[Artifact]:
        """Wait for it; the artifacts it made."""
        self.process.wait()
        for reader in self.readers:
            reader.join()
        if self.process.returncode < 0:  # killed from outside: it has nothing to say
            raise ApartFailed(2, f"le processus qui fabriquait {', '.join(self.outputs)} a été arrêté "
                                 f"(signal {-self.process.returncode}) : rien n'a été publié.\n")
        if self.process.returncode:
            raise ApartFailed(self.process.returncode, "".join(self.problems))
        manifest = json.loads((self.out / MANIFEST).read_text(encoding="utf-8"))
        return [Artifact(kind=e["kind"], path=e["path"], data=(self.out / e["path"]).read_bytes(),
                         output=e["output"], pages=e.get("pages"))
                for e in manifest["artifacts"] if e.get("output") in self.outputs]


def command(project: Path, outputs: list[str], content: Path, out: Path, strict: bool) -> list[str]:
    """The ``build.py`` command line that builds ``outputs`` of ``content`` into ``out``."""
    return [sys.executable, str(project / "build.py"), *outputs, "--content", str(content), "--out", str(out),
            *(["--strict"] if strict else [])]


def start(project: Path, content: Path, stage: Path, strict: bool, outputs: list[str]) -> Apart:
    """Start ``build.py <outputs>`` into a folder of ``stage``."""
    out = stage / "apart"
    process = subprocess.Popen(command(project, outputs, content, out, strict), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, preexec_fn=_die_with_parent)
    apart = Apart(process, out, list(outputs))
    apart.listen()
    return apart


def _die_with_parent() -> None:
    """In the second process, before it starts: end it if the build that started it is killed (Linux),
    rather than let it write on into a staging folder the next build sweeps away."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
