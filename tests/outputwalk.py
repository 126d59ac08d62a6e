"""Every address an output folder holds, wherever it hides: PDF objects and their streams, zip
members (a zip inside a zip, an EPUB inside the press kit's zip), text files.

The tests use it to show that no remote or local address reaches a reader's app except in the
places a book may hold one: the reader-facing links the content itself writes, and the names of
the standards a file declares (XML namespaces, PDF/A and PDF/UA schemas).
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

#: An address: a scheme that fetches (http, https, ftp, file) or a network path (//host.tld).
ADDRESS = re.compile(rb"(?i)(?:\b(?:https?|ftp|file):/{0,3}[^\s\"'<>()\\\]]*"
                     rb"|(?<![\w:/.\\])//[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s\"'<>()\\\]]*)")
#: Names of standards, never fetched by a reader: XML namespaces, metadata schemas, profiles.
STANDARDS = (
    b"http://www.w3.org/", b"https://www.w3.org/", b"http://www.idpf.org/", b"http://purl.org/",
    b"http://ns.adobe.com/", b"http://www.aiim.org/", b"http://www.npes.org/", b"http://creativecommons.org/ns",
    b"http://www.daisy.org/z3986/", b"http://iptc.org/std/", b"http://ns.useplus.org/",
    b"http://www.idpf.org/2007/", b"http://www.inkscape.org/namespaces/", b"http://sodipodi.sourceforge.net/DTD/",
    b"http://www.color.org",   # the ICC's registry, naming the printer's PDF's printing condition
    b"http://www.sitemaps.org/schemas/",   # the web edition's sitemap.xml declares its format
)
#: Addresses a script only parses against, never fetches: Pagefind's search script (the web edition's
#: pagefind/pagefind.js) reads a result's path as ``new URL(`https://example.com${path}`)``, the domain
#: reserved for examples (RFC 2606), to split its path from its fragment, then strips it again with
#: ``/^https:\/\/example\.com/`` (:data:`ESCAPED_BASES`, the same address written in a regular expression).
PARSING_BASES = (b"https://example.com$",)
ESCAPED_BASES = (b"\\/\\/example.com", b"\\/\\/example\\.com")


def addresses(folder: Path) -> list[tuple[str, str]]:
    """Every ``(where, address)`` found in the files of ``folder``."""
    found: list[tuple[str, str]] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        _walk(str(path.relative_to(folder)), path.read_bytes(), found)
    return found


def foreign(found: list[tuple[str, str]], allowed: set[str] = frozenset()) -> list[tuple[str, str]]:
    """The addresses that are neither a standard's name nor one of ``allowed`` (the book's own links)."""
    return [(where, address) for where, address in found
            if not address.encode().startswith(STANDARDS + PARSING_BASES) and address not in allowed]


def _walk(where: str, data: bytes, found: list[tuple[str, str]]) -> None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        _scan(where, _png_text(data), found)   # its pixels are no address; its text chunks may hold one
        return
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                _walk(f"{where}!{member}", archive.read(member), found)
        return
    if data.startswith(b"%PDF"):
        for index, chunk in _pdf_chunks(data):
            _scan(f"{where}#obj{index}", chunk, found)
        return
    _scan(where, data, found)


def _scan(where: str, data: bytes, found: list[tuple[str, str]]) -> None:
    for match in ADDRESS.finditer(data):
        if data[match.end():].startswith(ESCAPED_BASES):
            continue
        found.append((where, match.group().decode("latin-1")))


def _png_text(data: bytes) -> bytes:
    """Every chunk of a PNG but its compressed pixels (IDAT), text chunks decompressed."""
    import struct
    import zlib

    out, at = [], 8
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"zTXt":
            keyword, _, rest = body.partition(b"\0")
            body = keyword + b"\0" + zlib.decompress(rest[1:])
        if kind != b"IDAT":
            out.append(body)
        at += 12 + length
    return b"\n".join(out)


def _pdf_chunks(data: bytes):
    """Each object of a PDF, unparsed, and each stream decoded where it can be (raw where not: images)."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        for index, obj in enumerate(pdf.objects):
            try:
                yield index, obj.unparse() if not isinstance(obj, pikepdf.Stream) else obj.stream_dict.unparse()
            except (pikepdf.PdfError, AttributeError, TypeError):
                pass
            if isinstance(obj, pikepdf.Stream):
                try:
                    yield index, obj.read_bytes()
                except pikepdf.PdfError:
                    yield index, obj.read_raw_bytes()
