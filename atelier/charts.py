"""Charts stage: the book in, SVG charts out, each with its words and its data as a table.

Every chart is computed from the :class:`~atelier.model.Book`: no count, name or
colour is typed here. The words around the data (titles, captions, text
alternatives, table headers) come from the labels file (``charts:``); the names
of scales, levels, parts and actors come from the data.

The SVG is written by a small writer of our own over lxml (the charts are a
handful of rectangles, lines and texts: a plotting library would bring more
than it saves). Its user unit is the millimetre, so a chart drawn
:data:`WIDTH` wide prints at that width in the book. Text is laid out with
the widths HarfBuzz gives it in the book's own sans-serif font (the shipped
font files, kerning included), so labels are measured, not guessed.

Every colour written in an SVG goes through the ``colour`` function given to
:func:`charts`, greys and black included: the screen passes it unchanged, the
printer's PDF passes a converter to CMYK.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional, Sequence

import lxml.etree

from .html.typography import typeset_text
from .labels import Labels
from .model import Axis, Book, Level, Proposal, Scale

SVG = "http://www.w3.org/2000/svg"

#: The fonts the charts are drawn and measured in (the book's sans-serif).
FONT_FAMILY = "'Source Sans 3', sans-serif"
FONT_DIR = Path(__file__).resolve().parents[1] / "styles" / "fonts" / "source-sans-3"
FONT_FILES = {400: "SourceSans3-Regular.ttf", 600: "SourceSans3-Semibold.ttf", 700: "SourceSans3-Bold.ttf"}

#: Width of every chart, in millimetres: the text width of an A4 page.
WIDTH = 150.0
#: Width of the charts of a reflowable edition (the EPUB). It shows them, with their white ground
#: (GROUND_MARGIN on each side), 22 em wide on a phone's column (``styles/epub/book.css``): a label of
#: SMALL mm is then SMALL / (NARROW + 2 × GROUND_MARGIN) × 22 em, 0.83 em, and a label of TEXT mm
#: 0.92 em, whatever size the reader chose for the text.
NARROW = 68.0
#: The white ground around a chart of the EPUB, in mm (atelier/html/render.py, on_white): on a dark
#: page no label touches its edge.
GROUND_MARGIN = 2.0
#: How wide (in em) the reflowable edition shows a chart: the stylesheet's figure (styles/epub/book.css).
REFLOWED_EM = 22.0

# The chart's own colours, written as hex so that the colour function sees them too.
INK = "#1a1a1a"        # text
MUTED = "#5c5f62"      # secondary text
RULE = "#b4b6b8"       # axis lines and ticks
FIELD = "#eeeeec"      # background of the matrix's cells and of the columns
NEUTRAL = "#4f5d69"    # bars that carry no part colour
WHITE = "#ffffff"

# Type sizes (mm: 3.0 mm is 8.5 pt).
TEXT = 3.0             # labels
SMALL = 2.7            # legend, secondary lines
NUMBER = 2.7           # the number in a mark
LINE = 1.2 * TEXT      # from one line of a label to the next

# A mark: one proposal, a rounded square with its number.
MARK_HEIGHT = 5.0
MARK_GAP = 1.5         # room between marks (a highlighted one has a frame in it)
MARK_MIN_WIDTH = 6.0
#: A mark of the narrow charts: a small square without its number (too small to read there), the
#: numbers being in the data table that follows the chart.
PLAIN_MARK, PLAIN_GAP = 3.0, 1.0
#: Past this height (mm) the marks would not fit a page: each cell gives its count and a bar
#: of its parts instead of one mark per proposal (a publication of thousands of proposals).
MAX_MARKS_HEIGHT = 170.0
DENSE_HEIGHT = 16.0


@dataclass(frozen=True)
class Chart:
    """One generated chart, with everything a figure and its accessible table need."""

    id: str            # "matrice-cout-facilite", "propositions-par-partie", "propositions-par-acteur", …
    title: str         # French
    caption: str       # French, one or two sentences, counts computed from the data
    alt: str           # French text alternative: what the chart shows, with the numbers
    svg: str           # a standalone SVG document (xmlns, viewBox, width/height in mm), <title> and <desc>
    table: tuple[tuple[str, ...], ...]  # the same data as a table, first row = headers
    ground: float = 0.0  # mm of white ground it wants on every side where the page may be dark (EPUB)


@dataclass(frozen=True)
class BookCharts:
    """The book's charts in the two forms the editions need, computed once per build."""

    page: tuple[Chart, ...]          # drawn for a page (print, press kit, web): numbers on the marks
    reflowable: tuple[Chart, ...]    # drawn narrow for a reflowed screen (EPUB), each with its data table


def book_charts(book: Book, labels: Labels, colour: Callable[[str], str] = lambda hex: hex) -> BookCharts:
    """Both forms of every chart of ``book`` (none when it has no proposal)."""
    if not book.proposals:
        return BookCharts((), ())
    return BookCharts(tuple(charts(book, labels, colour)), tuple(charts(book, labels, colour, reflowable=True)))


def charts(book: Book, labels: Labels, colour: Callable[[str], str] = lambda hex: hex,
           reflowable: bool = False) -> list[Chart]:
    """Every chart of ``book``: the matrix of the first two scales, proposals per part and per
    actor, then one chart for each further scale (a roadmap when its levels name years).

    ``reflowable``: the charts of an edition a reader reflows on a phone (the EPUB), each followed by
    its data table. They are drawn :data:`NARROW` wide, so that their labels stay at least 0.8 em
    where they are shown 22 em wide; the marks carry no number (the table gives them); the text
    alternative is short and points to the table, and the caption leaves the listing to it.
    """
    writer = _Writer(colour, book.meta.language, NARROW if reflowable else WIDTH, reflowable)
    columns, rows = _matrix_scales(book.scales)
    result = []
    if columns is not None:
        result.append(_matrix(book, labels, writer, columns, rows))
    result.append(_per_part(book, labels, writer))
    result.append(_per_actor(book, labels, writer))
    for scale in book.scales.values():
        if scale not in (columns, rows):
            result.append(_per_level(book, labels, writer, scale))
    return result


def _matrix_scales(scales: dict[str, Scale]) -> tuple[Optional[Scale], Optional[Scale]]:
    """The scales of the matrix: cost in columns and ease in rows, or else the first two."""
    if "cost" in scales and "ease" in scales:
        return scales["cost"], scales["ease"]
    if len(scales) >= 2:
        first, second = list(scales.values())[:2]
        return first, second
    return None, None


# --- the charts --------------------------------------------------------------

def _matrix(book: Book, labels: Labels, writer: "_Writer", columns: Scale, rows: Scale) -> Chart:
    proposals = book.proposals
    cells = {(c.id, r.id): [p for p in proposals if p.levels[columns.key] == c and p.levels[rows.key] == r]
             for c in columns.levels for r in rows.levels}
    top_down = tuple(reversed(rows.levels))   # the highest level at the top
    svg = _Drawing(writer)
    marks = _MarkStyle.for_numbers((p.number for p in proposals), writer.reflowable)

    row_title = rows.label
    svg.text(0, _baseline(0, TEXT, 600), row_title, TEXT, weight=600)
    grid_top = 5.5
    label_width = max(_width(svg.typeset(level.label), TEXT) for level in top_down)
    grid_x = label_width + 3.0
    gutter = 1.0
    pad = 2.0
    cell_w = (svg.width - grid_x - gutter * (len(columns.levels) - 1)) / len(columns.levels)
    per_row = marks.per_row(cell_w - 2 * pad)
    most = max((len(members) for members in cells.values()), default=0)
    lines = max(1, math.ceil(most / per_row))
    cell_h = max(2 * pad + marks.block_height(lines), 12.0)
    dense = len(rows.levels) * (cell_h + gutter) > MAX_MARKS_HEIGHT
    if dense:
        cell_h = DENSE_HEIGHT

    grid = svg.group("grid")
    for j, row in enumerate(top_down):
        y = grid_top + j * (cell_h + gutter)
        svg.text(grid_x - 2.5, y + cell_h / 2 + _cap(TEXT) / 2, row.label, TEXT, anchor="end",
                 cls="level-row", parent=grid)
        for i, column in enumerate(columns.levels):
            x = grid_x + i * (cell_w + gutter)
            svg.rect(x, y, cell_w, cell_h, FIELD, cls="cell", parent=grid)
            if dense:
                _dense_cell(svg, cells[(column.id, row.id)], book.axes, x, y, cell_w, cell_h, pad)
            else:
                marks.draw(svg, cells[(column.id, row.id)], book.axes, x + pad, y + pad, per_row)
    grid_bottom = grid_top + len(top_down) * (cell_h + gutter) - gutter
    y = grid_bottom + 1.5 + _cap(TEXT) + 1.0
    wrapped = [_wrap(svg.typeset(column.label), TEXT, cell_w) for column in columns.levels]
    for i, lines in enumerate(wrapped):
        x = grid_x + i * (cell_w + gutter) + cell_w / 2
        for k, line in enumerate(lines):
            svg.text(x, y + k * LINE, line, TEXT, anchor="middle", cls="level-column", parent=grid)
    y += (max(len(lines) for lines in wrapped) - 1) * LINE + 1.8 + _cap(TEXT) + 1.0
    svg.text(grid_x + (svg.width - grid_x) / 2, y, columns.label, TEXT, weight=600, anchor="middle")
    highlights = not dense and any(p.highlight for p in proposals)
    height = _legend(svg, labels, book, y + 5.0, highlights=highlights)

    words = {"columns": _lower_first(columns.label), "rows": _lower_first(rows.label)}
    counts = {key: len(members) for key, members in cells.items()}
    total = len(proposals)

    def cell_name(c: Level, r: Level) -> str:
        return labels.get("charts.matrix.cell", column=c.label, row=r.label, **words)

    sentences = [labels.get("charts.dense" if dense else _marks_words(writer))]
    if highlights:
        sentences.append(labels.get("charts.highlights"))
    fullest = [(c, r) for c in columns.levels for r in rows.levels if counts[(c.id, r.id)] == most]
    if len(fullest) == 1 and most:
        sentences.append(labels.get("charts.matrix.fullest", cell=cell_name(*fullest[0]), n=most, total=total))
    else:
        sentences.append(labels.plural("charts.matrix.range", most, low=min(counts.values())))
    empty = [(c, r) for c in columns.levels for r in rows.levels if not counts[(c.id, r.id)]]
    if empty:
        sentences.append(labels.plural("charts.matrix.empty", len(empty), cell=cell_name(*empty[0])))
    items = labels.get("charts.separator").join(
        labels.get("charts.matrix.column_items", column=c.label, columns=words["columns"], items=", ".join(
            labels.get("charts.matrix.row_item", n=counts[(c.id, r.id)], row=r.label) for r in rows.levels))
        for c in columns.levels)
    alt = labels.get("charts.matrix.alt", total=total, cells=items,
                     column_first=columns.levels[0].label, column_last=columns.levels[-1].label,
                     row_first=rows.levels[0].label, row_last=rows.levels[-1].label, **words)
    if writer.reflowable:
        alt = labels.get("charts.matrix.short_alt", table=labels.get("charts.table_follows"), **words)
    title = labels.get("charts.matrix.title", columns=columns.label, rows=_lower_first(rows.label))
    none = labels.get("charts.none")
    table = [(labels.get("charts.matrix.corner", columns=columns.label, rows=rows.label),)
             + tuple(c.label for c in columns.levels)]
    table += [(r.label,) + tuple(_listing(labels, cells[(c.id, r.id)], dense) or none for c in columns.levels)
              for r in top_down]
    return writer.chart(f"matrice-{columns.figure}-{rows.figure}", title, " ".join(sentences), alt, svg, height,
                        table)


def _per_part(book: Book, labels: Labels, writer: "_Writer") -> Chart:
    names = [_part_name(labels, axis) for axis in book.axes]
    counts = [len(axis.proposals) for axis in book.axes]
    svg = _Drawing(writer)
    height = _bars(svg, names, counts, [axis.colour for axis in book.axes])
    title = labels.get("charts.per_part.title")
    low, high = min(counts), max(counts)
    key = "charts.per_part.caption_even" if low == high else "charts.per_part.caption"
    caption = labels.get(key, total=len(book.proposals), parts=len(book.axes), low=low, high=high)
    alt = labels.get("charts.per_part.short_alt" if writer.reflowable else "charts.per_part.alt",
                     items=_items(labels, names, counts), table=labels.get("charts.table_follows"))
    table = [(labels.get("charts.per_part.header_part"), labels.get("charts.per_part.header_count"))]
    table += [(labels.get("part.numbered_title", number=axis.number, title=axis.title), str(n))
              for axis, n in zip(book.axes, counts)]
    return writer.chart("propositions-par-partie", title, caption, alt, svg, height, table)


def _per_actor(book: Book, labels: Labels, writer: "_Writer") -> Chart:
    counted = [(actor.label, sum(actor in p.actors for p in book.proposals)) for actor in book.actors]
    counted.sort(key=lambda item: -item[1])   # stable: equal counts keep the order of the data
    names = [name for name, _ in counted]
    counts = [n for _, n in counted]
    svg = _Drawing(writer)
    height = _bars(svg, names, counts, [NEUTRAL] * len(counts))
    title = labels.get("charts.per_actor.title")
    key = "charts.per_actor.caption_even" if min(counts) == max(counts) else "charts.per_actor.caption"
    caption = labels.get(key, total=len(book.proposals), mentions=sum(counts), low=min(counts), high=max(counts))
    alt = labels.get("charts.per_actor.short_alt" if writer.reflowable else "charts.per_actor.alt",
                     items=_items(labels, names, counts), table=labels.get("charts.table_follows"))
    table = [(labels.get("charts.per_actor.header_actor"), labels.get("charts.per_actor.header_count"))]
    table += [(name, str(n)) for name, n in counted]
    return writer.chart("propositions-par-acteur", title, caption, alt, svg, height, table)


def _per_level(book: Book, labels: Labels, writer: "_Writer", scale: Scale) -> Chart:
    """Columns, one per level in the scale's order, each holding the marks of its proposals.

    When every level names years (« 2025-2027 » in its label or description), the columns
    stand on a time axis and, for the ``horizon`` scale, the chart is a roadmap."""
    groups = [[p for p in book.proposals if p.levels[scale.key] == level] for level in scale.levels]
    spans = _spans(scale.levels, book.meta.date.year)
    timed = all(spans)
    svg = _Drawing(writer)
    marks = _MarkStyle.for_numbers((p.number for p in book.proposals), writer.reflowable)
    gutter, pad = 2.5, 2.0
    n = len(scale.levels)
    col_w = (svg.width - gutter * (n - 1)) / n
    per_row = marks.per_row(col_w - 2 * pad)
    lines = max(1, max(math.ceil(len(g) / per_row) for g in groups))
    y = 0.0
    if timed:
        y = _baseline(0, TEXT, 600)
        axis_y = y + 2.5
        for i, span in enumerate(spans):
            x = i * (col_w + gutter)
            svg.text(x, y, _span_text(labels, span), TEXT, weight=600, cls="years")
            svg.line(x, axis_y - 1.2, x, axis_y + 1.2, RULE, 0.3)
        svg.line(0, axis_y, svg.width - 1.6, axis_y, RULE, 0.3)
        svg.polygon([(svg.width, axis_y), (svg.width - 2.2, axis_y - 1.1), (svg.width - 2.2, axis_y + 1.1)], RULE)
        y = axis_y + 2.0
    header_base = y + _cap(TEXT) + 1.0
    headers = [_wrap(svg.typeset(level.label), TEXT, col_w, 600) for level in scale.levels]
    count_base = header_base + (max(len(lines) for lines in headers) - 1) * LINE + 2.0 + _cap(SMALL) + 0.3
    # « 29 propositions » may be wider than a narrow column: it goes on two lines there.
    counts = [_wrap(svg.typeset(labels.plural("charts.count", len(group))), SMALL, col_w) for group in groups]
    field_top = count_base + (max(len(lines) for lines in counts) - 1) * 1.2 * SMALL + 1.9
    field_h = 2 * pad + marks.block_height(lines)
    dense = field_h > MAX_MARKS_HEIGHT
    if dense:
        field_h = DENSE_HEIGHT
    for i, (level, group) in enumerate(zip(scale.levels, groups)):
        x = i * (col_w + gutter)
        for k, line in enumerate(headers[i]):
            svg.text(x, header_base + k * LINE, line, TEXT, weight=600, cls="level-column")
        for k, line in enumerate(counts[i]):
            svg.text(x, count_base + k * 1.2 * SMALL, line, SMALL, fill=MUTED, cls="count")
        svg.rect(x, field_top, col_w, field_h, FIELD, cls="cell")
        if dense:
            _dense_cell(svg, group, book.axes, x, field_top, col_w, field_h, pad)
        else:
            marks.draw(svg, group, book.axes, x + pad, field_top + pad, per_row)
    highlights = not dense and any(p.highlight for p in book.proposals)
    height = _legend(svg, labels, book, field_top + field_h + 5.0, highlights=highlights)

    names = [level.label if not span or _span_text(labels, span) in level.label
             else f"{level.label} ({_span_text(labels, span)})" for level, span in zip(scale.levels, spans)]
    counts = [len(g) for g in groups]
    items = _items(labels, names, counts)
    if timed and scale.key == "horizon":
        title = labels.get("charts.scale.roadmap_title", start=spans[0][0], end=spans[-1][1])
    else:
        title = labels.get("charts.scale.title", scale=scale.label)
    sentences = [labels.get("charts.dense" if dense else _marks_words(writer))]
    if highlights:
        sentences.append(labels.get("charts.highlights"))
    if writer.reflowable:   # the table that follows gives the counts
        alt = labels.get("charts.scale.short_alt", scale=scale.label, table=labels.get("charts.table_follows"))
    else:
        sentences.append(labels.get("charts.scale.caption", scale=scale.label, items=items))
        alt = labels.get("charts.scale.alt", scale=scale.label, first=names[0], last=names[-1], items=items)
    none = labels.get("charts.none")
    table = [(scale.label, labels.get("charts.scale.header_count"), labels.get("charts.scale.header_numbers"))]
    table += [(name, str(len(g)), _listing(labels, g, dense) or none) for name, g in zip(names, groups)]
    chart_id = "feuille-de-route" if timed and scale.key == "horizon" else f"propositions-par-{scale.figure}"
    return writer.chart(chart_id, title, " ".join(sentences), alt, svg, height, table)


# --- shared pieces -----------------------------------------------------------

def _bars(svg: "_Drawing", names: Sequence[str], counts: Sequence[int], colours: Sequence[str]) -> float:
    """Horizontal bars with their name on the left and their count at the end; returns the height."""
    bar_h, line_h, row_gap = 4.6, LINE, 2.8
    wrapped = [_wrap(svg.typeset(name), TEXT, 0.42 * svg.width) for name in names]
    label_w = max((_width(line, TEXT) for lines in wrapped for line in lines), default=0)
    x0 = label_w + 3.0
    count_w = _width(str(max(counts, default=0)), TEXT, 600) + 2.0
    scale = (svg.width - x0 - count_w) / max(max(counts, default=0), 1)
    y = 0.0
    for lines, n, fill in zip(wrapped, counts, colours):
        row_h = max(bar_h, len(lines) * line_h)
        mid = y + row_h / 2
        first = mid - (len(lines) - 1) * line_h / 2 + _cap(TEXT) / 2
        for k, line in enumerate(lines):
            svg.text(x0 - 2.5, first + k * line_h, line, TEXT, anchor="end", cls="bar-label")
        svg.rect(x0, mid - bar_h / 2, n * scale, bar_h, fill, cls="bar")
        svg.text(x0 + n * scale + 1.2, mid + _cap(TEXT) / 2, str(n), TEXT, weight=600, cls="bar-value")
        y += row_h + row_gap
    svg.line(x0, 0, x0, y - row_gap, INK, 0.25)
    return y - row_gap + 0.5


def _legend(svg: "_Drawing", labels: Labels, book: Book, top: float, highlights: bool) -> float:
    """The parts, each with its colour, then the highlight frame; wrapped to the width. Returns the height."""
    swatch, space, line_h = 3.2, 5.0, 5.2
    entries = [(axis.colour, _part_name(labels, axis), False) for axis in book.axes]
    if highlights:
        entries.append((WHITE, labels.get("charts.highlight"), True))
    x, y = 0.0, top
    legend = svg.group("legend")
    for fill, name, framed in entries:
        width = swatch + 1.5 + _width(svg.typeset(name), SMALL)
        if x and x + width > svg.width:
            x, y = 0.0, y + line_h
        if framed:
            svg.rect(x + 0.4, y + 0.4, swatch - 0.8, swatch - 0.8, FIELD, rx=0.5, parent=legend)
            svg.rect(x, y, swatch, swatch, None, rx=0.8, stroke=INK, stroke_width=0.35, parent=legend)
        else:
            svg.rect(x, y, swatch, swatch, fill, rx=0.6, parent=legend)
        svg.text(x + swatch + 1.5, y + swatch / 2 + _cap(SMALL) / 2, name, SMALL, parent=legend)
        x += width + space
    return y + swatch + 0.5


@dataclass(frozen=True)
class _MarkStyle:
    """The size of the marks of one chart: wide enough for its largest number, or, in a narrow chart,
    small squares without numbers."""

    width: float
    height: float = MARK_HEIGHT
    gap: float = MARK_GAP
    numbered: bool = True

    @classmethod
    def for_numbers(cls, numbers, plain: bool = False) -> "_MarkStyle":
        if plain:
            return cls(PLAIN_MARK, PLAIN_MARK, PLAIN_GAP, numbered=False)
        widest = max((_width(str(n), NUMBER, 600) for n in numbers), default=0)
        return cls(max(MARK_MIN_WIDTH, widest + 2.2))

    def per_row(self, room: float) -> int:
        return max(1, int((room + self.gap) // (self.width + self.gap)))

    def block_height(self, lines: int) -> float:
        return lines * (self.height + self.gap) - self.gap

    def draw(self, svg: "_Drawing", proposals: Sequence[Proposal], axes: Sequence[Axis],
             x: float, y: float, per_row: int) -> None:
        colours = {axis.id: axis.colour for axis in axes}
        frame = 0.6 if self.numbered else 0.45
        for k, p in enumerate(proposals):
            mx = x + (k % per_row) * (self.width + self.gap)
            my = y + (k // per_row) * (self.height + self.gap)
            fill = colours[p.axis_id]
            mark = svg.group("mark highlight" if p.highlight else "mark")
            mark.set("data-number", str(p.number))
            svg.rect(mx, my, self.width, self.height, fill, rx=0.9 if self.numbered else 0.5, parent=mark)
            if p.highlight:
                svg.rect(mx - frame, my - frame, self.width + 2 * frame, self.height + 2 * frame, None,
                         rx=1.3 if self.numbered else 0.8, stroke=INK, stroke_width=0.3, parent=mark)
            if self.numbered:
                svg.text(mx + self.width / 2, my + self.height / 2 + _cap(NUMBER, 600) / 2, str(p.number), NUMBER,
                         fill=_text_on(fill), weight=600, anchor="middle", parent=mark)


def _marks_words(writer: "_Writer") -> str:
    """The labels key that says what a mark is: a numbered square, or (narrow charts) a plain one."""
    return "charts.marks_plain" if writer.reflowable else "charts.marks"


def _part_name(labels: Labels, axis: Axis) -> str:
    return labels.get("charts.part", number=axis.number, title=axis.short_title or axis.title)


def _items(labels: Labels, names: Sequence[str], counts: Sequence[int]) -> str:
    return labels.get("charts.separator").join(
        labels.get("charts.item", name=name, value=n) for name, n in zip(names, counts))


def _dense_cell(svg: "_Drawing", members: Sequence[Proposal], axes: Sequence[Axis],
                x: float, y: float, w: float, h: float, pad: float) -> None:
    """A cell too full for marks: its count, and a bar split between the parts of its proposals."""
    svg.text(x + pad, y + pad + _cap(5.0, 600), str(len(members)), 5.0, weight=600, cls="cell-count")
    bar_y, bar_w = y + h - pad - 2.2, w - 2 * pad
    left = x + pad
    for axis in axes:
        share = sum(p.axis_id == axis.id for p in members)
        if share:
            width = bar_w * share / len(members)
            svg.rect(left, bar_y, width, 2.2, axis.colour, cls="share")
            left += width


def _listing(labels: Labels, proposals: Sequence[Proposal], dense: bool) -> str:
    """What a table cell says of ``proposals``: their numbers, or their count when there are too many."""
    return (str(len(proposals)) if proposals else "") if dense else _numbers(labels, proposals)


def _numbers(labels: Labels, proposals: Sequence[Proposal]) -> str:
    """The numbers of ``proposals``, the highlighted ones marked (the frame of the drawing)."""
    return ", ".join(labels.get("charts.highlight_number", number=p.number) if p.highlight else str(p.number)
                     for p in proposals)


YEAR = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


def _spans(levels: Sequence[Level], first_year: int) -> list[Optional[tuple[int, int]]]:
    """The years each level covers, from the years its label or description names.

    Two years or more give a span (« entre 2027 et 2030 »); a single year is where the level
    ends (« d'ici 2026 »), and it starts after the level before it, or at ``first_year`` (the
    publication's) for the first. A level that names no year has no span."""
    spans: list[Optional[tuple[int, int]]] = []
    for level in levels:
        years = [int(m.group()) for m in YEAR.finditer(f"{level.label} {level.description}")]
        if len(set(years)) >= 2:
            spans.append((min(years), max(years)))
        elif years:
            before = spans[-1] if spans else None
            start = before[1] + 1 if before else min(first_year, years[0])
            spans.append((min(start, years[0]), years[0]))
        else:
            spans.append(None)
    return spans


def _span_text(labels: Labels, span: tuple[int, int]) -> str:
    return str(span[0]) if span[0] == span[1] else labels.get("charts.scale.years", start=span[0], end=span[1])


def _lower_first(text: str) -> str:
    """« Coût » → « coût » mid-sentence; « ESS » stays."""
    return text[0].lower() + text[1:] if len(text) > 1 and text[1].islower() else text


# --- colours -----------------------------------------------------------------

def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _text_on(fill: str) -> str:
    """White or ink, whichever reads better on ``fill``."""
    return WHITE if _contrast(WHITE, fill) >= _contrast(INK, fill) else INK


# --- text measurement --------------------------------------------------------

class _Metrics:
    """What measuring a line needs from one font: its shaped width, units per em, cap height.

    HarfBuzz shapes the text as a renderer would (advances and the font's kerning lookups), with
    ligatures off: the chart draws each text at exactly this length (``textLength``). Opening a font
    costs HarfBuzz a fraction of a millisecond, where reading the kerning subtables with fontTools
    cost every build a fifth of a second."""

    #: Ligatures off, every other default feature (kerning included) on.
    FEATURES = {"liga": False}

    def __init__(self, data: bytes | None = None):
        self.font, self.upem, self.cap = None, 1000, 660
        if data is None:   # the font file is missing: an average width, no kerning
            return
        import uharfbuzz

        self.font = uharfbuzz.Font(uharfbuzz.Face(data))
        self.upem = self.font.face.upem
        self.cap = self.font.get_metric_position_with_fallback(uharfbuzz.OTMetricsTag.CAP_HEIGHT)

    def units(self, text: str) -> int:
        """The width of ``text`` in font units, kerning included."""
        if self.font is None:
            return len(text) * (self.upem // 2)
        import uharfbuzz

        buffer = uharfbuzz.Buffer()
        buffer.add_str(text)
        buffer.guess_segment_properties()
        uharfbuzz.shape(self.font, buffer, self.FEATURES)
        return sum(position.x_advance for position in buffer.glyph_positions)


@lru_cache(maxsize=None)
def _metrics(weight: int) -> _Metrics:
    """The metrics of the book's sans-serif at ``weight``."""
    try:
        return _Metrics((FONT_DIR / FONT_FILES[weight]).read_bytes())
    except OSError:
        return _Metrics()


def _width(text: str, size: float, weight: int = 400) -> float:
    """The width of ``text`` set at ``size`` mm, in mm, kerning included."""
    metrics = _metrics(weight)
    return metrics.units(text) * size / metrics.upem


def _cap(size: float, weight: int = 400) -> float:
    """The height of a capital at ``size`` mm (to centre a line of text on a point)."""
    metrics = _metrics(weight)
    return metrics.cap * size / metrics.upem


def _baseline(top: float, size: float, weight: int = 400) -> float:
    """The baseline of a line whose capitals start at ``top``."""
    return top + _cap(size, weight)


def _wrap(text: str, size: float, room: float, weight: int = 400) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``room`` (a single long word overflows)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and _width(f"{lines[-1]} {word}", size, weight) <= room:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


# --- the SVG writer ----------------------------------------------------------

class _Writer:
    """What every chart of one run shares: the colour function and the language of its words."""

    def __init__(self, colour: Callable[[str], str], language: str, width: float = WIDTH, reflowable: bool = False):
        self.colour = colour
        self.language = language
        self.width = width            # mm: WIDTH in print, NARROW in a reflowable edition
        self.reflowable = reflowable  # the EPUB: a data table follows each chart

    def typeset(self, text: str) -> str:
        """``text`` with the typography of the book's language (no-break spaces, ’, « »)."""
        return typeset_text(text, self.language)

    def chart(self, id: str, title: str, caption: str, alt: str, drawing: "_Drawing", height: float,
              table: Sequence[Sequence[str]]) -> Chart:
        """The finished chart: every text typeset, the SVG closed with its title and description."""
        title, caption, alt = self.typeset(title), self.typeset(caption), self.typeset(alt)
        return Chart(id=id, title=title, caption=caption, alt=alt, svg=drawing.document(height, title, alt, id),
                     table=tuple(tuple(self.typeset(cell) for cell in row) for row in table),
                     ground=GROUND_MARGIN if self.reflowable else 0.0)


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class _Drawing:
    """An SVG document under construction, in millimetres, :data:`WIDTH` (or :data:`NARROW`) wide."""

    def __init__(self, writer: _Writer):
        self.writer = writer
        self.width = writer.width
        self.root = lxml.etree.Element(f"{{{SVG}}}svg", nsmap={None: SVG})

    def _element(self, tag: str, parent, cls: Optional[str] = None, **attributes) -> lxml.etree._Element:
        element = lxml.etree.SubElement(self.root if parent is None else parent, f"{{{SVG}}}{tag}")
        if cls:
            element.set("class", cls)
        for name, value in attributes.items():
            if value is not None:
                element.set(name.replace("_", "-"), _number(value) if isinstance(value, float) else str(value))
        return element

    def typeset(self, text: str) -> str:
        return self.writer.typeset(text)

    def _paint(self, hex_colour: Optional[str]) -> str:
        return "none" if hex_colour is None else self.writer.colour(hex_colour)

    def group(self, cls: str, parent=None):
        return self._element("g", parent, cls)

    def rect(self, x: float, y: float, w: float, h: float, fill: Optional[str], rx: float = 0.0,
             stroke: Optional[str] = None, stroke_width: Optional[float] = None,
             cls: Optional[str] = None, parent=None):
        return self._element("rect", parent, cls, x=float(x), y=float(y), width=float(max(w, 0.0)),
                             height=float(h), rx=float(rx) if rx else None, fill=self._paint(fill),
                             stroke=self._paint(stroke) if stroke else None,
                             stroke_width=float(stroke_width) if stroke_width else None)

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str, width: float, parent=None):
        return self._element("line", parent, x1=float(x1), y1=float(y1), x2=float(x2), y2=float(y2),
                             stroke=self._paint(stroke), stroke_width=float(width))

    def polygon(self, points: Sequence[tuple[float, float]], fill: str, parent=None):
        return self._element("polygon", parent, fill=self._paint(fill),
                             points=" ".join(f"{_number(x)},{_number(y)}" for x, y in points))

    def text(self, x: float, y: float, content: str, size: float, fill: str = INK, weight: int = 400,
             anchor: str = "start", cls: Optional[str] = None, parent=None):
        content = self.writer.typeset(content)
        # The length measured in the book's font: a reader whose SVG cannot use that font (an
        # EPUB's image) fits its own to the same room, so no label is clipped or overlaps.
        element = self._element("text", parent, cls, x=float(x), y=float(y), font_size=float(size),
                                font_weight=weight if weight != 400 else None,
                                text_anchor=anchor if anchor != "start" else None, fill=self._paint(fill),
                                textLength=float(_width(content, size, weight)), lengthAdjust="spacingAndGlyphs")
        element.text = content
        return element

    def document(self, height: float, title: str, description: str, name: str) -> str:
        """The finished standalone SVG, ``height`` mm high, with its title and description first
        (their ids start with ``name``, so that two charts inlined in one page never share one)."""
        root = self.root
        height = math.ceil(height * 2) / 2
        for attribute, value in (("width", f"{_number(self.width)}mm"), ("height", f"{_number(height)}mm"),
                                 ("viewBox", f"0 0 {_number(self.width)} {_number(height)}"), ("role", "img"),
                                 ("aria-labelledby", f"{name}-titre {name}-description"),
                                 ("font-family", FONT_FAMILY),
                                 # Text without its own fill is painted in this ink, never in SVG's default RGB black.
                                 ("fill", self.writer.colour("#1b1b1b"))):
            root.set(attribute, value)
        root.set("{http://www.w3.org/XML/1998/namespace}lang", self.writer.language)
        for index, (tag, text, suffix) in enumerate((("title", title, "titre"), ("desc", description, "description"))):
            element = lxml.etree.Element(f"{{{SVG}}}{tag}", id=f"{name}-{suffix}")
            element.text = text
            root.insert(index, element)
        return lxml.etree.tostring(root, encoding="unicode", pretty_print=True)


def with_footer(chart: Chart, lines: Sequence[str], language: str,
                colour: Callable[[str], str] = lambda hex: hex) -> Chart:
    """``chart`` with ``lines`` of small text under a rule at its foot, each wrapped to the chart's
    width: what a picture must say wherever it travels without its caption (the press kit's notice
    that its words and ratings are a working edition's, where its numbers are explained). The book's
    own charts are left as they are."""
    root = lxml.etree.fromstring(chart.svg.encode("utf-8"))
    top = float(root.get("viewBox").split()[3])
    drawing = _Drawing(_Writer(colour, language))
    footer = drawing.group("footer")
    drawing.line(0, top + 2.0, WIDTH, top + 2.0, RULE, 0.25, parent=footer)
    y = top + 2.0 + 1.2
    for line in lines:
        for part in _wrap(drawing.typeset(line), SMALL, WIDTH):
            y += LINE * SMALL / TEXT
            drawing.text(0, y, part, SMALL, fill=INK, parent=footer)
    height = math.ceil((y + 1.5) * 2) / 2
    root.append(footer)
    root.set("height", f"{_number(height)}mm")
    root.set("viewBox", f"0 0 {_number(WIDTH)} {_number(height)}")
    return Chart(id=chart.id, title=chart.title, caption=chart.caption, alt=chart.alt,
                 svg=lxml.etree.tostring(root, encoding="unicode", pretty_print=True), table=chart.table)
