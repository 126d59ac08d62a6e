#!/usr/bin/env python3
"""PDF/X-4 preflight: the rules of ISO 15930-7 a program can decide alone, checked with pikepdf.

Run: ``python scripts/preflight.py output/<slug>-imprimeur.pdf`` — one line per rule, then the
faults; exit 1 when there is one. The tests run the same checks on the printer's PDF.

Checked (each rule's name is what the report prints):

- ``version``: the file is PDF 1.6 or earlier (PDF/X-4 is built on PDF 1.6);
- ``identification``: XMP metadata name the file ``pdfxid:GTS_PDFXVersion`` = ``PDF/X-4``, with no
  key PDF/X-4 does not define (``pdfx:GTS_PDFXConformance``), and a ``dc:title``;
- ``trapped``: ``Trapped`` is ``True`` or ``False`` in the document information and in XMP, the same;
- ``output-intent``: one ``GTS_PDFX`` output intent, with an embedded CMYK output profile (``prtr``
  class, ``N`` = 4) and a named condition (``OutputConditionIdentifier``), registered or described;
- ``boxes``: every page has a TrimBox, inside its BleedBox, inside its MediaBox;
- ``annotations``: no annotation inside the TrimBox (here: none at all);
- ``fonts``: every font is embedded;
- ``colour``: nothing is painted in RGB (operators, images, shadings, transparency groups, SVG
  forms), so that every colour is the press's own;
- ``forbidden``: no encryption, no JavaScript or action, no transfer function (``TR``), no OPI,
  no ``Alternates`` image, a document ID in the trailer.

Not checked (a printer's own preflight, PitStop or Acrobat's, does them): total ink coverage,
image resolution, overprint settings, trapping, the visual result of transparency, spot colours,
and whether the profile is the one the press was actually calibrated to.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def faults(path: Path) -> dict[str, list[str]]:
    """Each rule's faults (an empty list when the rule holds)."""
    import pikepdf

    sys.path.insert(0, str(ROOT / "tests"))
    from pdfcolours import rgb_uses

    found: dict[str, list[str]] = {}
    with pikepdf.open(path) as pdf:
        found["version"] = [] if pdf.pdf_version <= "1.6" else [f"PDF {pdf.pdf_version}"]
        found["identification"] = _identification(pdf)
        found["trapped"] = _trapped(pdf)
        found["output-intent"] = _output_intent(pdf)
        found["boxes"] = _boxes(pdf)
        found["annotations"] = [f"page {n}" for n, page in enumerate(pdf.pages, 1) if page.obj.get("/Annots")]
        found["fonts"] = _fonts(pdf)
        found["colour"] = [str(use) for use in rgb_uses(pdf)][:20]
        found["forbidden"] = _forbidden(pdf)
    return found


def _xmp(pdf) -> dict:
    with pdf.open_metadata() as metadata:
        return dict(metadata)


PDFXID = "{http://www.npes.org/pdfx/ns/id/}GTS_PDFXVersion"
PDFX = "{http://ns.adobe.com/pdfx/1.3/}"


def _identification(pdf) -> list[str]:
    xmp = _xmp(pdf)
    problems = []
    if xmp.get(PDFXID) != "PDF/X-4":
        problems.append(f"pdfxid:GTS_PDFXVersion = {xmp.get(PDFXID)!r}")
    problems += [f"clé non définie par PDF/X-4 : {key}" for key in xmp if key.startswith(PDFX + "GTS_PDFXConformance")]
    if not xmp.get("{http://purl.org/dc/elements/1.1/}title"):
        problems.append("pas de dc:title")
    return problems


def _trapped(pdf) -> list[str]:
    info = str(pdf.docinfo.get("/Trapped", ""))
    xmp = _xmp(pdf).get("{http://ns.adobe.com/pdf/1.3/}Trapped")
    if info not in ("/True", "/False"):
        return [f"Trapped = {info or 'absent'}"]
    if xmp != info.lstrip("/"):
        return [f"Trapped : {info} dans les informations, {xmp!r} en XMP"]
    return []


def _output_intent(pdf) -> list[str]:
    intents = [i for i in pdf.Root.get("/OutputIntents") or [] if i.get("/S") == "/GTS_PDFX"]
    if len(intents) != 1:
        return [f"{len(intents)} output intents GTS_PDFX"]
    intent = intents[0]
    problems = []
    profile = intent.get("/DestOutputProfile")
    data = profile.read_bytes() if profile is not None else b""
    if data[12:16] != b"prtr" or data[16:20] != b"CMYK" or int(profile.get("/N", 0)) != 4:
        problems.append("pas de profil de sortie CMJN incorporé")
    if not str(intent.get("/OutputConditionIdentifier", "")).strip():
        problems.append("condition d'impression sans nom")
    if not intent.get("/RegistryName") and not str(intent.get("/Info", "")).strip():
        problems.append("condition d'impression ni enregistrée ni décrite")
    return problems


def _box(page, name) -> list[float] | None:
    return [float(v) for v in page.obj[name]] if name in page.obj else None


def _inside(inner, outer) -> bool:
    return inner[0] >= outer[0] - 0.01 and inner[1] >= outer[1] - 0.01 and inner[2] <= outer[2] + 0.01 \
        and inner[3] <= outer[3] + 0.01


def _boxes(pdf) -> list[str]:
    problems = []
    for number, page in enumerate(pdf.pages, 1):
        media, bleed, trim = _box(page, "/MediaBox"), _box(page, "/BleedBox"), _box(page, "/TrimBox")
        if trim is None:
            problems.append(f"page {number} : pas de TrimBox")
        elif not _inside(trim, bleed or media) or not _inside(bleed or media, media):
            problems.append(f"page {number} : TrimBox, BleedBox et MediaBox mal emboîtées")
    return problems


def _fonts(pdf) -> list[str]:
    missing = set()
    for page in pdf.pages:
        for font in (page.obj.Resources.get("/Font") or {}).values():
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0] if descendants else font).get("/FontDescriptor") or {}
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.add(str(font.get("/BaseFont")))
    return sorted(missing)


def _forbidden(pdf) -> list[str]:
    import pikepdf

    problems = []
    if pdf.is_encrypted:
        problems.append("chiffré")
    if "/ID" not in pdf.trailer:
        problems.append("pas d'ID de document")
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) and not isinstance(obj, pikepdf.Stream):
            continue
        keys = set(obj.keys())
        if "/JS" in keys or obj.get("/S") == "/JavaScript" or "/AA" in keys:
            problems.append("JavaScript ou action")
        if "/TR" in keys or "/TR2" in keys and obj.get("/TR2") != "/Default":
            problems.append("fonction de transfert")
        if "/OPI" in keys or "/Alternates" in keys:
            problems.append("OPI ou image alternative")
    if "/OpenAction" in pdf.Root:
        problems.append("action à l'ouverture")
    return sorted(set(problems))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage : python scripts/preflight.py fichier.pdf", file=sys.stderr)
        return 2
    found = faults(Path(argv[0]))
    for rule, problems in found.items():
        print(f"{'ok  ' if not problems else 'FAUX'} {rule}" + ("" if not problems else " : " + " ; ".join(problems)))
    return 1 if any(found.values()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
