#!/usr/bin/env python3
"""Render every generated chart to PNG, to look at it as the book will print it.

    python scripts/chart_preview.py [--content DIR] [--out DIR] [--dpi N]

Each chart is put in a small HTML page, as an ``<img>`` of its SVG (a ``data:``
URI) at its printed width, with the book's fonts, its title and its caption;
WeasyPrint makes a PDF of it and pypdfium2 a PNG, cropped to the drawing.
Writes ``<id>.png`` for every chart into DIR (``/tmp/charts-png`` by default).
"""
from __future__ import annotations

import argparse
import base64
import html
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from atelier.charts import Chart, charts  # noqa: E402
from atelier.labels import labels_for  # noqa: E402
from atelier.source.load import load_book  # noqa: E402

PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"/><link rel="stylesheet" href="fonts.css"/>
<style>
@page {{ size: 170mm 297mm; margin: 10mm; }}
body {{ font-family: "Source Serif 4", serif; font-size: 10pt; margin: 0; }}
figure {{ margin: 0; width: 150mm; }}
img {{ display: block; width: 150mm; }}
figcaption {{ font-family: "Source Sans 3", sans-serif; font-size: 9pt; margin-top: 4mm; line-height: 1.3; }}
.title {{ font-family: "Source Sans 3", sans-serif; font-weight: 600; font-size: 11pt; margin: 0 0 4mm; }}
</style></head><body>
<p class="title">{title}</p>
<figure><img src="data:image/svg+xml;base64,{data}" alt="{alt}"/>
<figcaption>{caption}</figcaption></figure>
</body></html>"""


def render(chart: Chart, dpi: int):
    """The PNG (a Pillow image) of ``chart`` on its page, cropped to what is drawn."""
    import pypdfium2
    import weasyprint
    from PIL import ImageChops

    page = PAGE.format(title=html.escape(chart.title), caption=html.escape(chart.caption),
                       alt=html.escape(chart.alt), data=base64.b64encode(chart.svg.encode()).decode())
    pdf = weasyprint.HTML(string=page, base_url=str(ROOT / "styles" / "fonts.css")).write_pdf()
    document = pypdfium2.PdfDocument(io.BytesIO(pdf))
    image = document[0].render(scale=dpi / 72).to_pil().convert("RGB")
    background = image.copy()
    background.paste((255, 255, 255), (0, 0, *image.size))
    box = ImageChops.difference(image, background).getbbox()
    margin = int(dpi / 25.4 * 4)
    if box:
        image = image.crop((max(box[0] - margin, 0), max(box[1] - margin, 0),
                            min(box[2] + margin, image.width), min(box[3] + margin, image.height)))
    return image


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=str(ROOT / "content"))
    parser.add_argument("--out", default="/tmp/charts-png")
    parser.add_argument("--dpi", type=int, default=200)
    parser.add_argument("--prefix", default="", help="prefix of the PNG names")
    args = parser.parse_args()
    book = load_book(Path(args.content))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for chart in charts(book, labels_for(book.meta.language)):
        path = out / f"{args.prefix}{chart.id}.png"
        render(chart, args.dpi).save(path)
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
