"""The build cache: a target's value is kept under a key made of everything it was made from.

A target's **key** is the hash of its name, of the pipeline's own code and versions (every file of
``build.py``, ``pyproject.toml`` and ``atelier/``, the Python version and every installed
distribution's, ``--strict`` and ``SOURCE_DATE_EPOCH``, and where the project and the content are:
values name their files by absolute address), of the files
it reads itself (its ``reads``: a stylesheet folder, the fonts, the content folder), and of the
**digest** of each target it needs. The digest of a target marked ``by_value`` is the hash of its
value (an HTML document and the files it names, a page list, a JPEG), so that a change upstream
that leaves it as it was (a print stylesheet edit that moves no page of the EPUB's page list)
stops there; the digest of any other target is its key.

A target marked ``keep`` is stored in the cache folder under its key, with the warnings its making
reported (shown again when it is reused), and reused when the same key comes again: it can only be
served for the exact inputs it was made from. Entries are written to a temporary file and renamed
into place, so an interrupted build leaves whole entries or none. The folder is
``.cache/atelier/`` in the project, or ``$ATELIER_CACHE`` (``off`` turns the cache off); a target
keeps its few most recent entries.

An entry holds Python values (pickled: bytes, text, plain data, the book's documents) and is
**signed** with a key of this machine's user (``~/.config/atelier/cle-du-cache``, readable by its
owner only, made on first use): an entry is read only when its signature is right, so a file
planted or altered in a shared cache folder is never unpickled (unpickling can run code), only
ignored. A cache that cannot be written (full disk, read-only folder, a file where the folder
should be) never stops a build: it says so once and the build goes on without it.
"""
from __future__ import annotations

import dataclasses
import datetime
import hashlib
import hmac
import os
import pickle
import secrets
import sys
import tempfile
from pathlib import Path, PurePath
from typing import Any, Optional

from . import freshness

#: Entries kept per target (the last builds of a few versions of the content, for going back and forth).
KEPT_PER_TARGET = 3
#: What the environment variable says to turn the cache off.
OFF = "off"
#: Bumped when the format of an entry changes (2: signed).
FORMAT = b"atelier-cache-2"
#: The length of an entry's signature (HMAC-SHA256), written after the format.
SIGNATURE = 32


def machine_key() -> bytes:
    """This user's key for signing cache entries, made (owner-only) the first time it is asked for."""
    folder = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "atelier"
    path = folder / "cle-du-cache"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another build made it meanwhile
        return path.read_bytes()
    with os.fdopen(handle, "wb") as stream:
        stream.write(secrets.token_bytes(32))
    return path.read_bytes()


def folder_for(project: Path) -> Optional[Path]:
    """The cache folder of ``project`` (None when ``$ATELIER_CACHE`` is ``off``)."""
    chosen = os.environ.get("ATELIER_CACHE", "")
    if chosen == OFF:
        return None
    return Path(chosen) if chosen else project / ".cache" / "atelier"


class Cache:
    """Values of targets, by key, in one folder."""

    def __init__(self, folder: Path, project: Path, content: Path, strict: bool, key: bytes | None = None):
        self.folder, self.project, self.content = folder, project, content
        self.code = _code_digest(project, strict, content)
        self._files: dict[str, bytes] = {}
        self._key = key if key is not None else machine_key()
        self._writable = True

    def files(self, part: str) -> bytes:
        """The digest of a project part (``styles/print``) or of the content folder (``content``)."""
        if part not in self._files:
            root = self.content if part == "content" else self.project / part
            digest = hashlib.sha256(part.encode())
            if root.exists():
                freshness.feed_tree(digest, root, root)
            self._files[part] = digest.digest()
        return self._files[part]

    def load(self, name: str, key: str) -> Optional[tuple[Any, list]]:
        """The value and warnings kept for ``name`` under ``key``, or None."""
        path = self._path(name, key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if not data.startswith(FORMAT):
            return None
        signature, payload = data[len(FORMAT):len(FORMAT) + SIGNATURE], data[len(FORMAT) + SIGNATURE:]
        if not hmac.compare_digest(signature, self._sign(name, key, payload)):
            return None  # not made by this user's builds, or damaged: never unpickled
        try:
            value, problems = pickle.loads(payload)
        except Exception:  # noqa: BLE001  (a damaged entry is a miss, and is made again)
            return None
        try:
            os.utime(path)  # most recently used
        except OSError:
            pass
        return value, problems

    def _sign(self, name: str, key: str, payload: bytes) -> bytes:
        # The name and key are signed too: an entry cannot be served under another target's name.
        return hmac.new(self._key, f"{name}\0{key}\0".encode() + payload, hashlib.sha256).digest()

    def latest(self, name: str) -> Any:
        """The value most recently kept for ``name``, whatever its key (a guess to check), or None."""
        for entry in self._entries(name):
            found = self.load(name, entry.stem[len(name) + 1:])
            if found is not None:
                return found[0]
        return None

    def store(self, name: str, key: str, value: Any, problems: list) -> None:
        """Keep ``value`` for ``name`` under ``key`` (whole or not at all), and forget old entries.

        A cache that cannot be written is said once, and the build goes on without storing.
        """
        if not self._writable:
            return
        payload = pickle.dumps((value, problems), protocol=pickle.HIGHEST_PROTOCOL)
        data = FORMAT + self._sign(name, key, payload) + payload
        temporary = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.replace(temporary, self._path(name, key))
            self._forget_old(name)
        except OSError as error:
            if temporary:
                Path(temporary).unlink(missing_ok=True)
            self._writable = False
            print(f"avertissement : le cache « {self.folder} » ne peut pas être écrit ({error.strerror}) ; "
                  "la construction continue sans lui.", file=sys.stderr, flush=True)
        except BaseException:
            if temporary:
                Path(temporary).unlink(missing_ok=True)
            raise

    def _path(self, name: str, key: str) -> Path:
        return self.folder / f"{name}-{key}.pickle"  # the whole key: latest() reads it back from the name

    def _entries(self, name: str) -> list[Path]:
        """The entries kept for ``name``, the most recently used first."""
        def used(path: Path) -> float:
            try:
                return path.stat().st_mtime
            except OSError:
                return 0.0
        if not self.folder.is_dir():
            return []
        return sorted(self.folder.glob(f"{name}-*.pickle"), key=used, reverse=True)

    def _forget_old(self, name: str) -> None:
        for old in self._entries(name)[KEPT_PER_TARGET:]:
            old.unlink(missing_ok=True)


def _code_digest(project: Path, strict: bool, content: Path) -> bytes:
    """Everything of the pipeline itself a value depends on (its templates and styles are ``reads``),
    and where the project and the content are: a value names their files by absolute address (the
    print HTML links its stylesheet as a ``file://`` URL), so a value made in a project since moved
    or copied elsewhere would point to the old place. A moved project starts its cache afresh."""
    digest = hashlib.sha256()
    for part in ("build.py", "pyproject.toml", "atelier"):
        freshness.feed_tree(digest, project / part, project)
    digest.update(freshness.environment_digest(strict))
    for place in (project, content):
        digest.update(os.fsencode(place.resolve()) + b"\0")
    return digest.digest()


def fingerprint(value: Any, content: Path) -> bytes:
    """The digest of a value: the same value gives the same digest in any process."""
    digest = hashlib.sha256()
    _feed(digest, value, content)
    return digest.digest()


def _feed(digest, value: Any, content: Path) -> None:
    if isinstance(value, bytes):
        digest.update(b"b%d:" % len(value) + value)
    elif isinstance(value, str):
        _feed(digest, value.encode(), content)
    elif isinstance(value, (set, frozenset)):
        _feed(digest, sorted(value, key=repr), content)
    elif isinstance(value, (list, tuple)):
        digest.update(b"[%d" % len(value))
        for item in value:
            _feed(digest, item, content)
    elif isinstance(value, dict):
        digest.update(b"{%d" % len(value))
        for item_key in sorted(value, key=repr):
            _feed(digest, repr(item_key), content)
            _feed(digest, value[item_key], content)
    elif dataclasses.is_dataclass(value) and type(value).__name__ == "Document":
        # An HTML document and the content files it names (an image may change under the same HTML).
        _feed(digest, [value.name, value.html, list(value.resources)], content)
        for resource in value.resources:
            path = content / resource
            _feed(digest, path.read_bytes() if path.is_file() else b"", content)
    elif dataclasses.is_dataclass(value):
        digest.update(type(value).__qualname__.encode())
        for item in dataclasses.fields(value):
            _feed(digest, item.name, content)
            _feed(digest, getattr(value, item.name), content)
    elif hasattr(value, "model_dump_json"):  # a pydantic model: the book's metadata
        _feed(digest, [type(value).__qualname__, value.model_dump_json()], content)
    elif value is None or isinstance(value, (bool, int, float, datetime.date, PurePath)):
        _feed(digest, f"{type(value).__name__}:{value!r}", content)
    else:
        raise TypeError(f"no fingerprint for a value of type {type(value).__name__}")
