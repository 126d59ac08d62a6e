"""The printer's pages, drawn from the screen layout: the same pages, on a sheet for the press.

The printer's PDF is not laid out again: equal pagination holds by construction. Each page of
the screen layout is drawn once more with

- a sheet grown by the bleed (3 mm) and, beyond it, a slug where the marks go
  (:class:`Sheet`): the MediaBox is the slug's edge, the BleedBox the bleed's, the TrimBox the page;
- every background that touches the trim extended into the bleed on the sides it touches (the
  cover's colour, a part opener's colour field), on copies of the boxes: the screen layout is
  never changed;
- crop marks in registration colour (all four inks), outside the bleed, in the slug;
- inks swapped at draw time (:func:`printing_inks`): each colour WeasyPrint sets is replaced by
  its CMYK value (one palette declares both), each raster image is converted to CMYK, and no line
  is drawn thinner than the press can hold.
"""
from __future__ import annotations

import copy
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

#: CSS pixels in a millimetre, and PDF points in a CSS pixel.
PX_PER_MM = 96 / 25.4
PT_PER_PX = 0.75
#: How close to the trim, in CSS pixels, a background must come to be taken as touching it.
TOUCHING = 0.5


@dataclass(frozen=True)
class Sheet:
    """The press sheet around a page: bleed, slug, and the crop marks drawn in the slug."""

    bleed_mm: float = 3.0        # the colour that touches the trim runs this far beyond it
    slug_mm: float = 10.0        # beyond the bleed: room for the marks (MediaBox = trim + bleed + slug)
    mark_gap_mm: float = 2.0     # between the bleed's edge and a mark
    mark_length_mm: float = 6.0
    mark_width_pt: float = 0.25  # registration marks are hairlines, but no thinner than the press holds

    @property
    def bleed(self) -> float:
        return self.bleed_mm * PX_PER_MM

    @property
    def margin(self) -> float:
        """From the trim to the sheet's edge, in CSS pixels."""
        return (self.bleed_mm + self.slug_mm) * PX_PER_MM


def printers_pages(reading, sheet: Sheet) -> list:
    """The pages of ``reading``'s document drawn for the press (``weasyprint.Page`` objects)."""
    return [printers_page(page, sheet) for page in reading.document.pages]


def printers_page(page, sheet: Sheet):
    """One page of a laid-out document (a ``weasyprint.Page``) drawn for the press."""
    printed_page = printed_page_class()
    new = printed_page.__new__(printed_page)
    new.__dict__.update(page.__dict__)
    new._page_box = bleeding(page._page_box, page.width, page.height, sheet.bleed)
    new.links = []  # a press has no use for links, and PDF/X admits no annotation in the print area
    new.bleed = {side: sheet.margin for side in ("top", "right", "bottom", "left")}
    new.sheet = sheet
    return new


@lru_cache(maxsize=1)
def printed_page_class():
    from weasyprint.document import Page

    class PrintedPage(Page):
        """A page that draws its crop marks in the slug after its content."""

        def paint(self, stream, scale=1):
            super().paint(stream, scale)
            with stream.stacked():
                stream.transform(a=scale, d=scale)
                crop_marks(stream, self.width, self.height, self.sheet)

    return PrintedPage


def crop_marks(stream, width: float, height: float, sheet: Sheet, folds: tuple[float, ...] = ()) -> None:
    """Eight marks on the trim lines, in registration colour, between the bleed's edge and the sheet's;
    and a mark above and below each of ``folds`` (x of a fold line: a cover's spine)."""
    start = sheet.bleed + sheet.mark_gap_mm * PX_PER_MM
    end = start + sheet.mark_length_mm * PX_PER_MM
    stream.set_color_space("DeviceCMYK", stroke=True)
    stream.set_color_special(None, True, 1, 1, 1, 1)  # registration: every ink
    stream.set_line_width(sheet.mark_width_pt / PT_PER_PX)
    for x in (0, width):
        for y in (0, height):
            out_x = -1 if x == 0 else 1
            out_y = -1 if y == 0 else 1
            stream.move_to(x + out_x * start, y)     # on the horizontal trim line, outside
            stream.line_to(x + out_x * end, y)
            stream.move_to(x, y + out_y * start)     # on the vertical trim line, outside
            stream.line_to(x, y + out_y * end)
    for x in folds:
        for y, out_y in ((0, -1), (height, 1)):
            stream.move_to(x, y + out_y * start)
            stream.line_to(x, y + out_y * end)
    stream.stroke()


#: The four sides of a page, as :func:`bleeding` names them.
SIDES = ("left", "top", "right", "bottom")


def bleeding(box, width: float, height: float, bleed: float, sides: tuple[str, ...] = SIDES):
    """``box`` with every background that touches the trim extended by ``bleed`` on the sides it
    touches among ``sides`` (a cover's page bleeds on its outer sides, not at the spine); boxes are
    copied along the way, never changed."""
    children = getattr(box, "children", None)
    new_children = None
    for index, child in enumerate(children or ()):
        grown = bleeding(child, width, height, bleed, sides)
        if grown is not child:
            new_children = list(children) if new_children is None else new_children
            new_children[index] = grown
    background = getattr(box, "background", None)
    grown_background = _grown(background, width, height, bleed, sides) if background is not None else None
    if new_children is None and grown_background is None:
        return box
    new = box.copy()
    if new_children is not None:
        new.children = type(children)(new_children) if isinstance(children, tuple) else new_children
    if grown_background is not None:
        new.background = grown_background
    return new


def _grown(background, width: float, height: float, bleed: float, sides: tuple[str, ...]):
    """The background painted into the bleed where it touches the trim, or None when it does not."""
    if not background.layers:
        return None
    visible = background.color.alpha > 0 or any(layer.image is not None for layer in background.layers)
    area = background.layers[-1].painting_area
    if not visible or not _touches(area, width, height):
        return None
    layers = [layer._replace(painting_area=_extend(layer.painting_area, width, height, bleed, sides),
                             clipped_boxes=[_extend(clip, width, height, bleed, sides) for clip in layer.clipped_boxes])
              for layer in background.layers]
    return background._replace(layers=layers)


def _touches(area, width: float, height: float) -> bool:
    x, y, w, h = area[:4]
    return x <= TOUCHING or y <= TOUCHING or x + w >= width - TOUCHING or y + h >= height - TOUCHING


def _extend(area, width: float, height: float, bleed: float, sides: tuple[str, ...]):
    x, y, w, h, *rest = area
    if x <= TOUCHING and "left" in sides:
        x, w = x - bleed, w + bleed
    if x + w >= width - TOUCHING and "right" in sides:
        w += bleed
    if y <= TOUCHING and "top" in sides:
        y, h = y - bleed, h + bleed
    if y + h >= height - TOUCHING and "bottom" in sides:
        h += bleed
    return (x, y, w, h, *rest)


def bleed_boxes(sheet: Sheet) -> Callable:
    """A ``write_pdf`` finisher that sets each page's BleedBox at the bleed's edge (WeasyPrint sets
    it at most 10 points from the trim, whatever the bleed), between the TrimBox and the MediaBox."""
    bleed_pt = sheet.bleed * PT_PER_PX

    def finish(document, pdf) -> None:
        import pydyf

        for number in pdf.pages["Kids"][::3]:
            page = pdf.objects[number]
            left, top, right, bottom = page["TrimBox"]
            page["BleedBox"] = pydyf.Array([left - bleed_pt, top - bleed_pt, right + bleed_pt, bottom + bleed_pt])

    return finish


@contextmanager
def printing_inks(cmyk_of: Callable[[tuple[float, float, float]], tuple[float, float, float, float]],
                  raster: Callable[[bytes], Optional[bytes]], thinnest_pt: float):
    """While drawing: every sRGB colour in CMYK (``cmyk_of``), every colour raster image in CMYK
    (``raster`` gives its CMYK JPEG, or None to keep a grey one), no stroke under ``thinnest_pt``.

    Scoped to the ``with`` block: the screen PDF written outside it keeps its sRGB.
    """
    from tinycss2.color5 import Color
    from weasyprint.images import RasterImage
    from weasyprint.pdf.stream import Stream

    set_color, set_line_width, x_object = Stream.set_color, Stream.set_line_width, RasterImage.get_x_object

    def set_cmyk_color(self, color, stroke=False):
        if color.space in ("srgb", "hsl", "hwb"):
            color = Color("device-cmyk", cmyk_of(tuple(color.to("srgb").coordinates)), color.alpha)
        return set_color(self, color, stroke)

    def set_thick_enough(self, width):
        scale = max(abs(self.ctm[0][0]), abs(self.ctm[1][1])) or 1
        return set_line_width(self, max(width, thinnest_pt / scale))

    def cmyk_x_object(self, interpolate, dpi_ratio):
        converted = raster(self.image_data.data) if self.mode not in ("CMYK", "L", "LA", "1") else None
        if converted is None:
            return x_object(self, interpolate, dpi_ratio)
        twin = copy.copy(self)
        twin.mode, twin.format = "CMYK", "JPEG"
        twin.image_data = self.cache_image_data(converted, slot="cmyk")
        twin.invert_colors = False
        return x_object(twin, interpolate, dpi_ratio)

    Stream.set_color, Stream.set_line_width, RasterImage.get_x_object = set_cmyk_color, set_thick_enough, cmyk_x_object
    try:
        yield
    finally:
        Stream.set_color, Stream.set_line_width, RasterImage.get_x_object = set_color, set_line_width, x_object


def output_intent(profile: Path) -> dict:
    """WeasyPrint's colour profiles with ``profile`` as ``device-cmyk``: the PDF/X output intent,
    embedded byte for byte as shipped (WeasyPrint would write littleCMS's own rewriting of it,
    twice the size and no longer the file a printer can recognise)."""
    from weasyprint import CSS
    from weasyprint.css import ColorProfile

    from ..outputs.fetcher import ConfinedFetcher

    class ShippedProfile(ColorProfile):
        @property
        def content(self):
            return self._shipped

    profiles: dict = {}
    CSS(string=f'@color-profile device-cmyk {{ src: url("{profile.resolve().as_uri()}"); components: c, m, y, k }}',
        url_fetcher=ConfinedFetcher([profile.resolve()]), color_profiles=profiles)
    for colour_profile in profiles.values():
        colour_profile.__class__ = ShippedProfile
        colour_profile._shipped = profile.read_bytes()
    return profiles
