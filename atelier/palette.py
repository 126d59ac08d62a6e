"""Palettes and inks: the colours each edition draws, and the printer's CMYK for every one of them.

A palette is a function ``colour(hex) -> str``: a ``#rrggbb`` colour in, the CSS
colour text out (type :data:`Palette`, ``Callable[[str], str]``). Every drawing that
takes its colours from the data takes one: the print theme (cover and part colours,
``templates/print/theme.html``) and the SVG charts computed from the data.

- :func:`screen` is every edition's: the colour as written (sRGB).
- :func:`inks` is the printer's, applied at draw time to the same layout
  (:mod:`atelier.pages.press`): each sRGB colour WeasyPrint sets becomes its CMYK
  value, the one ``book.yaml`` authors for it (``print.inks``) when there is one,
  else the printing condition's profile's, by littleCMS (Pillow's ``ImageCms``,
  relative colorimetric with black point compensation). A neutral grey (black
  text, rules, tints) becomes black ink alone, with the lightness the profile
  gives that ink: text never prints in four inks the press would have to register.
  :func:`press` gives the same values as CSS ``device-cmyk()`` text.

WeasyPrint cannot draw a gradient in CMYK (its stops are written with three
components into a four-ink shading): printed drawings use flat colours.

The printing condition (:data:`CONDITIONS`, chosen in ``book.yaml``) gives the
profile: FOGRA39 (coated offset) by default, built from Fogra's characterisation
data and shipped in ``styles/icc/``; it is also the printer's PDF's output intent.
:func:`cmyk_jpeg` converts a raster image through it.
"""
from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Mapping

from .errors import EnvironmentProblem

#: A colour ``#rrggbb`` in, a CSS colour out.
Palette = Callable[[str], str]

#: The printing conditions the project ships a CMYK profile for (``styles/icc/``, built from Fogra's
#: characterisation data by ``scripts/build_icc_profiles.py``; see ``styles/icc/LICENCE.md``).
ICC = Path(__file__).resolve().parents[1] / "styles" / "icc"


@dataclass(frozen=True)
class Condition:
    """A printing condition: the CMYK profile of a paper on a press, and how a PDF/X names it."""

    profile: Path
    identifier: str           # the characterised condition's name (OutputConditionIdentifier), e.g. FOGRA39
    description: str          # in words (OutputCondition)
    registered: bool = True   # one of the ICC's registered characterisations (its RegistryName is written)


CONDITIONS = {
    "fogra39": Condition(ICC / "FOGRA39-atelier.icc", "FOGRA39",
                         "Offset, papier couché (ISO 12647-2:2004/Amd 1, caractérisation Fogra FOGRA39)"),
    "fogra29": Condition(ICC / "FOGRA29-atelier.icc", "FOGRA29",
                         "Offset, papier non couché blanc (ISO 12647-2:2004, caractérisation Fogra FOGRA29)"),
}
#: The default printing condition, and its profile.
DEFAULT_CONDITION = CONDITIONS["fogra39"]
CMYK_PROFILE = DEFAULT_CONDITION.profile


def condition(settings, content: Path) -> Condition:
    """The printing condition ``book.yaml``'s ``print`` section asks for (a printer's own profile, or a
    paper the project ships a profile for)."""
    if settings.profile:
        return Condition((content / settings.profile).resolve(), settings.condition,
                         f"Condition d'impression de l'imprimeur ({settings.condition})", registered=False)
    return CONDITIONS[settings.paper]

#: Below this chroma (CIE L*a*b*), a colour is a grey and prints with black ink only.
NEUTRAL_CHROMA = 3.0
#: An ink the profile gives less than this is left out: a press does not hold so small a dot, and the
#: stray plate (the blue's 1 % of yellow) would only add its registration to small coloured text.
SMALLEST_DOT = 0.03

_HEX = re.compile(r"^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$")


def screen(colour: str) -> str:
    """The colour as written (checked, lower case): screens and readers show sRGB."""
    _rgb(colour)
    return colour.lower()


def output_profile(path: Path = CMYK_PROFILE) -> Path:
    """The CMYK output profile, or a problem that says what is missing."""
    if not path.is_file():
        raise EnvironmentProblem(
            f"le profil de couleurs de l'imprimeur « {path} » est introuvable ; le dépôt livre ceux de "
            "styles/icc/ (scripts/build_icc_profiles.py les refait) : restaurez ce dossier.")
    return path


def press(profile: Path = CMYK_PROFILE) -> Palette:
    """The printer's palette: ``device-cmyk()`` through ``profile``, greys on black ink alone."""
    convert = _converter(output_profile(profile))

    def colour(hex_colour: str) -> str:
        return "device-cmyk({})".format(" ".join(_number(ink) for ink in convert(_rgb(hex_colour))))

    return colour


def inks(profile: Path = CMYK_PROFILE, authored: Mapping[str, tuple[float, float, float, float]] | None = None
         ) -> Callable[[tuple[float, float, float]], tuple[float, float, float, float]]:
    """The printer's inks of an sRGB colour as WeasyPrint draws it (components from 0 to 1): the
    CMYK value authored for it when ``authored`` (``#rrggbb`` → c, m, y, k) has one, else the
    profile's, greys on black ink alone (the same values as :func:`press`)."""
    convert = _converter(output_profile(profile))
    authored = {key.lower(): value for key, value in (authored or {}).items()}
    found: dict[tuple[int, int, int], tuple[float, float, float, float]] = {}

    def of(rgb: tuple[float, float, float]) -> tuple[float, float, float, float]:
        key = tuple(max(0, min(255, round(component * 255))) for component in rgb)
        if key not in found:
            written = "#{:02x}{:02x}{:02x}".format(*key)
            found[key] = tuple(authored[written]) if written in authored else \
                tuple(float(_number(ink)) for ink in convert(key))
        return found[key]

    return of


def cmyk_jpeg(data: bytes, profile: Path = CMYK_PROFILE) -> bytes | None:
    """A raster image converted to CMYK through ``profile``, as JPEG; None for a grey image (black ink).

    The image's own ICC profile is the source when it has one, else sRGB; a
    transparent image is flattened on white (paper) first.
    """
    from PIL import Image, ImageCms

    with Image.open(io.BytesIO(data)) as image:
        image.load()
    if image.mode == "CMYK":
        return data if image.format == "JPEG" else _jpeg(image)
    if image.mode in ("1", "L", "LA", "I", "I;16", "F"):
        return None
    source = (ImageCms.ImageCmsProfile(io.BytesIO(image.info["icc_profile"])) if image.info.get("icc_profile")
              else ImageCms.createProfile("sRGB"))
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    transform = ImageCms.buildTransform(source, ImageCms.getOpenProfile(str(output_profile(profile))), "RGB",
                                        "CMYK", ImageCms.Intent.RELATIVE_COLORIMETRIC,
                                        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
    return _jpeg(ImageCms.applyTransform(flat, transform))


def _jpeg(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=95, subsampling=0)
    return buffer.getvalue()


@lru_cache(maxsize=4)
def _converter(profile: Path) -> Callable[[tuple[int, int, int]], tuple[float, float, float, float]]:
    from PIL import Image, ImageCms

    srgb, lab = ImageCms.createProfile("sRGB"), ImageCms.createProfile("LAB", 6500)
    cmyk = ImageCms.getOpenProfile(str(profile))
    flags = ImageCms.Flags.BLACKPOINTCOMPENSATION
    relative = ImageCms.Intent.RELATIVE_COLORIMETRIC
    to_cmyk = ImageCms.buildTransform(srgb, cmyk, "RGB", "CMYK", relative, flags=flags)
    to_lab = ImageCms.buildTransform(srgb, lab, "RGB", "LAB", relative)
    # The lightness each level of black ink alone prints at, as the profile says.
    black = Image.frombytes("CMYK", (256, 1), bytes(b for k in range(256) for b in (0, 0, 0, k)))
    ink_to_lab = ImageCms.buildTransform(cmyk, lab, "CMYK", "LAB", relative, flags=flags)
    printed = ImageCms.applyTransform(black, ink_to_lab)
    black_lightness = [printed.getpixel((level, 0))[0] for level in range(256)]

    def convert(rgb: tuple[int, int, int]) -> tuple[float, float, float, float]:
        pixel = Image.new("RGB", (1, 1), rgb)
        lightness, a, b = ImageCms.applyTransform(pixel, to_lab).getpixel((0, 0))
        if math.hypot(a - 128, b - 128) < NEUTRAL_CHROMA:  # 8-bit Lab: a and b are offset by 128
            k = min(range(256), key=lambda level: abs(black_lightness[level] - lightness))
            return 0.0, 0.0, 0.0, k / 255
        inks = ImageCms.applyTransform(pixel, to_cmyk).getpixel((0, 0))
        return tuple(ink / 255 if ink / 255 >= SMALLEST_DOT else 0.0 for ink in inks)

    return convert


def _rgb(colour: str) -> tuple[int, int, int]:
    match = _HEX.match(colour)
    if not match:
        raise ValueError(f"a palette takes #rrggbb colours, not {colour!r}")
    return tuple(int(part, 16) for part in match.groups())


def _number(ink: float) -> str:
    return f"{ink:.3f}".rstrip("0").rstrip(".") or "0"
