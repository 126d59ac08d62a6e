"""Hostile content: no local file or remote resource can reach any output.

Each case plants one attack in the small publication and runs both a full
build and an EPUB-only build. Every run must fail with a positioned message,
leave the output folder byte-identical, carry no byte of the secret file
that sits outside the content tree, and send no request to a listener on
localhost that every remote URL of the cases points at.
"""
from __future__ import annotations

import socket
import threading

import pytest

SECRET = b"SECRET-7f3a9c-outside-the-content-tree"


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (32, 64, 96)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG_1PX = _png()


@pytest.fixture
def listener():
    """A TCP listener on localhost that counts the connections it receives."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    hits: list[bytes] = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            hits.append(connection.recv(200))
            connection.close()
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", hits
    stop.set()
    server.shutdown(socket.SHUT_RDWR)   # wakes the accept at once (else it waits out its 0.2 s, 100 times)
    thread.join(timeout=2)
    server.close()


def svg(body: str, head: str = "") -> str:
    return (f'<?xml version="1.0"?>{head}<svg xmlns="http://www.w3.org/2000/svg" '
            f'xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">{body}</svg>')


# name -> (Markdown appended to the chapter, {file in content: text}, code expected)
CASES = {
    "reference-image-absolute": ("![x][p]\n\n[p]: {secret}\n", {}, "CHEMIN-INTERDIT"),
    "reference-image-parent": ("![x][p]\n\n[p]: ../../secret.png\n", {}, "CHEMIN-INTERDIT"),
    "inline-image-absolute": ("![x]({secret})\n", {}, "CHEMIN-INTERDIT"),
    "image-via-symlink": ("![x](images/lien.png)\n", {"symlink:images/lien.png": ""}, "CHEMIN-INTERDIT"),
    "file-uri-image": ('<img src="file://{secret}" alt="x"/>\n', {}, "CHEMIN-INTERDIT"),
    "remote-image": ("![x]({remote}/x.png)\n", {}, "RESSOURCE-REFUSEE"),
    "svg-script": ("![x](images/a.svg)\n", {"images/a.svg": svg("<script>alert(1)</script>")}, "SVG-ACTIF"),
    "svg-handler": ("![x](images/a.svg)\n", {"images/a.svg": svg('<rect onload="alert(1)"/>')}, "SVG-ACTIF"),
    "svg-remote-ref": ("![x](images/a.svg)\n",
                       {"images/a.svg": svg('<image xlink:href="{remote}/i.png" width="5" height="5"/>')},
                       "SVG-ACTIF"),
    "svg-file-ref": ("![x](images/a.svg)\n", {"images/a.svg": svg('<use xlink:href="file://{secret}#a"/>')},
                     "SVG-ACTIF"),
    "svg-external-entity": ("![x](images/a.svg)\n",
                            {"images/a.svg": svg("<text>&xxe;</text>",
                                                 '<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file://{secret}">]>')},
                            "SVG-ACTIF"),
    "svg-style-import": ("![x](images/a.svg)\n",
                         {"images/a.svg": svg('<style>@import url("{remote}/s.css");</style>')}, "SVG-ACTIF"),
    "meta-refresh": ('<meta http-equiv="refresh" content="0;url={remote}/"/>\n', {}, "HTML-INTERDIT"),
    "form": ('<form action="{remote}/f"><input name="q"/></form>\n', {}, "HTML-INTERDIT"),
    "video": ('<video src="{remote}/v.mp4" poster="{remote}/p.png"></video>\n', {}, "HTML-INTERDIT"),
    "remote-stylesheet": ('<link rel="stylesheet" href="{remote}/s.css"/>\n', {}, "HTML-INTERDIT"),
    "style-element": ("<style>@import url({remote}/s.css);</style>\n", {}, "HTML-INTERDIT"),
    "style-attribute": ('<span style="background: url({remote}/b.png)">x</span>\n', {}, "RESSOURCE-REFUSEE"),
    "srcset": ('<img src="images/ok.png" srcset="{remote}/big.png 2x" alt="x"/>\n', {}, "HTML-INTERDIT"),
    "object": ('<object data="{remote}/o.swf"></object>\n', {}, "HTML-INTERDIT"),
    "iframe": ('<iframe src="{remote}/"></iframe>\n', {}, "HTML-INTERDIT"),
    "base": ('<base href="{remote}/"/>\n', {}, "HTML-INTERDIT"),
    "inline-svg-image": ('<svg xmlns="http://www.w3.org/2000/svg"><image href="{remote}/i.png"/></svg>\n', {},
                         "SVG-ACTIF"),
    "data-html": ('<img src="data:text/html;base64,PHNjcmlwdD4=" alt="x"/>\n', {}, "RESSOURCE-REFUSEE"),
    "data-svg-script": ('<img src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22%3E'
                        '%3Cscript%3Ealert(1)%3C/script%3E%3C/svg%3E" alt="x"/>\n', {}, "SVG-ACTIF"),
    # Every CSS function that takes an address, however it is spelled (issue 25).
    "style-image-set": ('<p style="background-image:image-set(\'{remote}/b.png\' 1x)">x</p>\n', {},
                        "RESSOURCE-REFUSEE"),
    "style-webkit-image-set": ('<p style="background:-webkit-image-set(url({remote}/b.png) 1x)">x</p>\n', {},
                               "RESSOURCE-REFUSEE"),
    "style-escaped-image-set": ('<p style="b\\61 ckground: imag\\65-set(\'ht\\74 p://127.0.0.1/x\' 1x)">x</p>\n',
                                {}, "RESSOURCE-REFUSEE"),
    "style-cross-fade": ('<p style="background:cross-fade(\'{remote}/a.png\' 20%, url(images/ok.png))">x</p>\n',
                         {}, "RESSOURCE-REFUSEE"),
    "style-image-function": ('<p style="list-style-image:image(\'{remote}/a.png\')">x</p>\n', {},
                             "RESSOURCE-REFUSEE"),
    "style-src-function": ('<p style="background:src(\'{remote}/a.png\')">x</p>\n', {}, "RESSOURCE-REFUSEE"),
    "style-network-path": ('<p style="background:url(//127.0.0.1/b.png)">x</p>\n', {}, "RESSOURCE-REFUSEE"),
    "style-file-uri": ('<p style="background:url(file://{secret})">x</p>\n', {}, "CHEMIN-INTERDIT"),
    "style-address-as-text": ('<p style="content:\'{remote}/t\'">x</p>\n', {}, "RESSOURCE-REFUSEE"),
    "style-unreadable": ('<p style="color red; background: url({remote}/x.png">x</p>\n', {}, "STYLE-ILLISIBLE"),
    # SVG presentation attributes and the SVG's own stylesheet.
    **{f"svg-attribute-{name}": ("![x](images/a.svg)\n",
                                 {"images/a.svg": svg(f'<rect width="5" height="5" {name}="url({{remote}}/x#a)"/>')},
                                 "SVG-ACTIF")
       for name in ("fill", "stroke", "filter", "mask", "clip-path", "marker-start", "marker-mid", "marker-end",
                    "cursor")},
    "svg-attribute-quoted-url": ("![x](images/a.svg)\n",
                                 {"images/a.svg": svg('<rect width="5" height="5" fill="url(\'//127.0.0.1/x#a\')"/>')},
                                 "SVG-ACTIF"),
    "svg-style-image-set": ("![x](images/a.svg)\n",
                            {"images/a.svg": svg('<style>rect{{fill:image-set("{remote}/x.png" 1x)}}</style>')},
                            "SVG-ACTIF"),
    "svg-style-attribute-image-set": ("![x](images/a.svg)\n",
                                      {"images/a.svg": svg('<rect style="fill:-webkit-image-set(\'{remote}/x\' 1x)"/>')},
                                      "SVG-ACTIF"),
    "svg-xml-base": ("![x](images/a.svg)\n",
                     {"images/a.svg": svg('<g xml:base="{remote}/"><rect width="5" height="5"/></g>')}, "SVG-ACTIF"),
    "inline-svg-fill": ('<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url({remote}/x#a)"/></svg>\n', {},
                        "SVG-ACTIF"),
    "file-link": ("[mot de passe](file://{secret})\n", {}, "LIEN-INTERDIT"),
    "local-file-link": ("[annexe](../secret.png)\n", {}, "LIEN-INTERDIT"),
}


@pytest.mark.parametrize("target", ["all", "epub"])
@pytest.mark.parametrize("name", list(CASES))
def test_hostile_content_never_reaches_an_output(content, run, tmp_path, listener, name, target):
    remote, hits = listener
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG_1PX + SECRET)
    (content / "images" / "ok.png").write_bytes(PNG_1PX)
    markdown, files, code = CASES[name]
    values = {"secret": secret, "remote": remote}
    for relative, text in files.items():
        if relative.startswith("symlink:"):
            (content / relative[len("symlink:"):]).symlink_to(secret)
        else:
            (content / relative).write_text(text.format(**values))
    chapter = content / "chapters" / "intro.md"
    chapter.write_text(chapter.read_text() + "\n" + markdown.format(**values))
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_bytes(b"previous build")

    status, _, stderr = run(*([] if target == "all" else [target]), "--content", str(content), "--out", str(out))

    assert status == 1, stderr
    assert f" {code} " in stderr, stderr
    assert "intro.md:" in stderr or "a.svg" in stderr, stderr
    assert "Traceback" not in stderr
    assert {p.name: p.read_bytes() for p in out.rglob("*")} == {"keep.txt": b"previous build"}
    assert hits == []


def test_a_legitimate_image_still_reaches_both_outputs(content, run, tmp_path):
    import re
    import zipfile

    import pikepdf

    (content / "images" / "ok.png").write_bytes(PNG_1PX)
    (content / "images" / "plan.svg").write_text(svg('<rect width="10" height="10" fill="#a1b2c3"/>'))
    chapter = content / "chapters" / "intro.md"
    chapter.write_text(chapter.read_text() + "\n![Un point](images/ok.png)\n\n![Un plan](./images/plan.svg)\n")
    out = tmp_path / "out"
    status, _, stderr = run("pdf", "epub", "--content", str(content), "--out", str(out))
    assert status == 0, stderr
    names = zipfile.ZipFile(out / "petit-livre.epub").namelist()
    assert "EPUB/images/ok.png" in names and "EPUB/images/plan.svg" in names
    images, painted = set(), []
    with pikepdf.open(out / "petit-livre.pdf") as pdf:
        for page in pdf.pages:
            images |= {(int(x.get("/Width", 0)), int(x.get("/Height", 0)))
                       for x in page.Resources.get("/XObject", {}).values() if x.get("/Subtype") == "/Image"}
            streams = page.Contents if isinstance(page.Contents, pikepdf.Array) else [page.Contents]
            for fill in re.finditer(rb"([\d.]+) ([\d.]+) ([\d.]+) rg", b"".join(s.read_bytes() for s in streams)):
                painted.append(tuple(round(float(v) * 255) for v in fill.groups()))
    assert (2, 2) in images                # the PNG, drawn on its page
    assert (0xa1, 0xb2, 0xc3) in painted   # the SVG's rectangle, drawn as vectors
