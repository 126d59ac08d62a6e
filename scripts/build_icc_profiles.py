#!/usr/bin/env python3
"""Build the printer's CMYK output profiles shipped in styles/icc/ from Fogra's characterisation data.

Debian's ``icc-profiles-free`` ships Fogra's measurement data of standard offset printing
conditions (``/usr/share/color/icc/FOGRA39L.ti3``…, zlib licence); ArgyllCMS's ``colprof`` (Debian's
``argyll``) makes an ICC profile from each. The profiles are built once and shipped, so that every
machine draws the same printer's PDF; this script is how they were made, to make them again:

    apt-get install icc-profiles-free argyll && python scripts/build_icc_profiles.py

Options: medium quality (``-qm``), ArgyllCMS's default black generation, a ramp (``-kr``), a total ink limit of 300 %
(``-l 300``, this edition's choice for coated and uncoated offset: a printer may ask for another),
the ICC header's date set to the data set's own so that a rebuild gives the same bytes.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path("/usr/share/color/icc")
#: name in styles/icc -> (data set, description, date of the data set as the ICC header writes it)
PROFILES = {
    "FOGRA39-atelier.icc": ("FOGRA39L", "Coated FOGRA39 (ISO 12647-2:2004/Amd 1), Atelier", (2006, 12, 1)),
    "FOGRA29-atelier.icc": ("FOGRA29L", "Uncoated FOGRA29 (ISO 12647-2:2004), Atelier", (2003, 9, 1)),
}


def build(name: str, data_set: str, description: str, date: tuple[int, int, int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(DATA / f"{data_set}.ti3", folder)
        subprocess.run(["colprof", "-qm", "-kr", "-l", "300", "-D", description, "-O", f"{name}", data_set],
                       cwd=folder, check=True, stdout=subprocess.DEVNULL)
        profile = bytearray((Path(folder) / name).read_bytes())
    year, month, day = date
    profile[24:36] = b"".join(value.to_bytes(2, "big") for value in (year, month, day, 0, 0, 0))
    (ROOT / "styles" / "icc" / name).write_bytes(bytes(profile))
    print(f"styles/icc/{name}: {len(profile):,} octets")


def main() -> int:
    if not shutil.which("colprof") or not (DATA / "FOGRA39L.ti3").is_file():
        print("il faut ArgyllCMS (colprof) et les données de Fogra : apt-get install argyll icc-profiles-free",
              file=sys.stderr)
        return 2
    for name, (data_set, description, date) in PROFILES.items():
        build(name, data_set, description, date)
    return 0


if __name__ == "__main__":
    sys.exit(main())
