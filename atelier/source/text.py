"""Reading an editor's text file: UTF-8 (with or without a BOM), no control characters.

Editors save files from many programs. A byte-order mark is accepted and
dropped; a file in another encoding, or one holding a NUL or another
invisible control character, is reported at the line and column of the
first offending character instead of failing deep inside a parser.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import Collector

#: Control characters no text needs (tab, line feed and carriage return are fine).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def read_text(path: Path, errors: Collector) -> str | None:
    """The text of ``path``, or None after recording why it cannot be used."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        errors.add(path, 1, 1, "FICHIER-ILLISIBLE", f"ce fichier ne peut pas être lu ({error.strerror}).")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _position(raw[:error.start].decode("utf-8", errors="replace"))
        errors.add(path, line, column, "ENCODAGE",
                   "ce fichier n'est pas enregistré en UTF-8 (octet illisible ici) ; "
                   "enregistrez-le en « UTF-8 » depuis votre éditeur de texte.")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    match = CONTROL.search(text)
    if match:
        line, column = _position(text[:match.start()])
        name = "NUL" if match.group() == "\x00" else f"U+{ord(match.group()):04X}"
        errors.add(path, line, column, "CARACTERE-INVISIBLE",
                   f"un caractère de contrôle invisible ({name}) se trouve ici ; supprimez-le "
                   "(il vient souvent d'un copier-coller).")
        return None
    return text


def find_in_files(paths, needle: str) -> tuple[str, int, int]:
    """The first file, line and column (1-based) where ``needle`` is written, or ("", 0, 0)."""
    if needle:
        for path in paths:
            if not Path(path).is_file():
                continue
            for number, line in enumerate(Path(path).read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                if needle in line:
                    return str(path), number, line.index(needle) + 1
    return "", 0, 0


def _position(before: str) -> tuple[int, int]:
    line = before.count("\n") + 1
    return line, len(before) - (before.rfind("\n") + 1) + 1


def plain_words(text: str) -> str:
    """``text`` as its words alone, to compare what an editor typed with what the book prints: every
    run of spaces (non-breaking ones included) one space, typographic apostrophes typed ones."""
    return " ".join(text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ").split())
