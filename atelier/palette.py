"""Palettes: the colour text each edition writes for a colour of the data or of the stylesheets.

A palette is a function ``colour(hex) -> str``: a ``#rrggbb`` colour in, the CSS
colour text out (type :data:`Palette`, ``Callable[[str], str]``). It is the one
way a colour reaches a document, so every drawing that takes its colours from
the data takes a palette: the print theme (cover and part colours, see
``templates/print/theme.html``) and the SVG charts computed from the data.

- :func:`screen` is the screen PDF's and the EPUB's: the colour as written.
- :func:`press` gives the printer's: ``device-cmyk(c m y k)``, converted from
  sRGB through the CMYK output profile by littleCMS (Pillow's ``ImageCms``,
  relative colorimetric with black point compensation), so the numbers are the
  profile's own. A neutral grey (black text, rules, tints) becomes black ink
  alone, with the lightness the profile gives that ink: text never prints in
  four inks that the press would have to register.

WeasyPrint 70 draws ``device-cmyk()`` in SVG ``fill`` and ``stroke`` (inline or
as an ``<img>``) as DeviceCMYK, so a chart takes a palette as it is. It cannot
draw a gradient in CMYK: an SVG gradient's stops are written with three
components into a four-ink shading, and a CSS gradient with ``device-cmyk()``
stops stops the render. Printed drawings use flat colours.

The profile is also the printer's PDF's output intent; :func:`output_profile`
says where it is, and what to install when it is missing. :func:`cmyk_jpeg`
converts a raster image through it.
"""
from __future__ import annotations

import io
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable

from .errors import EnvironmentProblem

#: A colour ``#rrggbb`` in, a CSS colour out.
Palette = Callable[[str], str]

#: Ghostscript's CMYK profile ("Artifex CMYK SWOP Profile"), from Debian's ``libgs-common``
#: (AGPL-3+, see /usr/share/doc/libgs-common/copyright); ``scripts/prerequisites.sh`` installs it.
CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")

#: Below this chroma (CIE L*a*b*), a colour is a grey and prints with black ink only.
NEUTRAL_CHROMA = 3.0

_HEX = re.compile(r"^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$")


def screen(colour: str) -> str:
    """The colour as written (checked, lower case): screens and readers show sRGB."""
    _rgb(colour)
    return colour.lower()


def output_profile(path: Path = CMYK_PROFILE) -> Path:
    """The CMYK output profile, or a problem that says how to install it."""
    if not path.is_file():
        raise EnvironmentProblem(
            f"le profil de couleurs de l'imprimeur « {path} » est introuvable ; installez le paquet "
            "libgs-common (make le fait : scripts/prerequisites.sh), puis relancez la commande.")
    return path


def press(profile: Path = CMYK_PROFILE) -> Palette:
    """The printer's palette: ``device-cmyk()`` through ``profile``, greys on black ink alone."""
    convert = _converter(output_profile(profile))

    def colour(hex_colour: str) -> str:
        return "device-cmyk({})".format(" ".join(_number(ink) for ink in convert(_rgb(hex_colour))))

    return colour


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
        return tuple(ink / 255 for ink in ImageCms.applyTransform(pixel, to_cmyk).getpixel((0, 0)))

    return convert


def _rgb(colour: str) -> tuple[int, int, int]:
    match = _HEX.match(colour)
    if not match:
        raise ValueError(f"a palette takes #rrggbb colours, not {colour!r}")
    return tuple(int(part, 16) for part in match.groups())


def _number(ink: float) -> str:
    return f"{ink:.3f}".rstrip("0").rstrip(".") or "0"
