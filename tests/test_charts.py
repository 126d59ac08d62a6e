"""The charts stage: SVG charts computed from the data, on the real content and on small publications.

The SVG is read back as a tree and its geometry checked: each mark in the cell of
its levels, bars as long as their counts, every label inside the drawing.
"""
from __future__ import annotations

import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

import build
from atelier import charts as charts_module
from atelier.charts import WIDTH, Chart, charts
from atelier.html import safety
from atelier.html.render import environment
from atelier.labels import labels_for
from atelier.source.load import load_book

SVG = "{http://www.w3.org/2000/svg}"
HEX = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?\b")
LABELS = labels_for("fr")

HORIZON = """\
  horizon:
    label: Horizon
    levels:
      - {id: court, label: court terme, description: "D'ici 2026, dans le droit existant."}
      - {id: moyen, label: moyen terme, description: "Entre 2027 et 2030."}
      - {id: long, label: long terme, description: "D'ici 2034."}
"""
AMBITION = """\
  ambition:
    label: Ambition
    levels:
      - {id: modeste, label: modeste, description: Un petit pas.}
      - {id: forte, label: forte, description: Un grand pas.}
"""


def with_scale(content: Path, scale: str, key: str, levels: list[str]) -> Path:
    """The inline publication with one more scale; its proposals take ``levels`` in turn."""
    path = content / "propositions.yaml"
    text = path.read_text(encoding="utf-8").replace("actors:\n", scale + "actors:\n", 1)
    count = iter(range(1000))
    text = re.sub(r"(    ease: \w+\n)", lambda m: f"{m.group(1)}    {key}: {levels[next(count) % len(levels)]}\n", text)
    path.write_text(text, encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def real_book():
    return load_book(build.PROJECT / "content")


@pytest.fixture(scope="module")
def real_charts(real_book):
    return {chart.id: chart for chart in charts(real_book, LABELS)}


@pytest.fixture
def small(content):
    book = load_book(content)
    return book, {chart.id: chart for chart in charts(book, LABELS)}


@pytest.fixture
def horizon(content):
    book = load_book(with_scale(content, HORIZON, "horizon", ["court", "long", "court"]))
    return book, {chart.id: chart for chart in charts(book, LABELS)}


def tree(chart: Chart):
    return lxml.etree.fromstring(chart.svg.encode())


def by_class(root, tag: str, name: str):
    return [e for e in root.iter(SVG + tag) if name in (e.get("class") or "").split()]


def box(rect) -> tuple[float, float, float, float]:
    x, y = float(rect.get("x")), float(rect.get("y"))
    return x, y, x + float(rect.get("width")), y + float(rect.get("height"))


def inside(inner, outer) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def text_extent(text) -> tuple[float, float]:
    """Where a text starts and ends horizontally, from its anchor and its measured length."""
    x, length = float(text.get("x")), float(text.get("textLength"))
    start = {"start": x, "middle": x - length / 2, "end": x - length}[text.get("text-anchor", "start")]
    return start, start + length


def bar_rows(chart: Chart) -> list[tuple[str, int, float]]:
    """(label, printed count, bar length) of each bar, top to bottom."""
    root = tree(chart)
    bars = by_class(root, "rect", "bar")
    values = by_class(root, "text", "bar-value")
    labels = by_class(root, "text", "bar-label")
    rows = []
    for bar, value in zip(bars, values):
        top, bottom = box(bar)[1], box(bar)[3]
        lines = [t.text for t in labels if top - 4 <= float(t.get("y")) <= bottom + 4]
        rows.append((" ".join(lines), int(value.text), float(bar.get("width"))))
    assert len(bars) == len(values)
    return rows


# --- every chart ----------------------------------------------------------------

def all_charts(real_charts, small, horizon):
    return list(real_charts.values()) + list(small[1].values()) + list(horizon[1].values())


def test_the_real_book_has_the_three_charts_and_no_scale_chart_it_has_no_scale_for(real_charts, real_book):
    expected = {"matrice-cout-facilite", "propositions-par-partie", "propositions-par-acteur"}
    assert expected <= set(real_charts)
    assert len(real_charts) == 3 + len(set(real_book.scales) - {"cost", "ease"})


def test_every_svg_is_a_standalone_safe_document_with_title_and_description(real_charts, small, horizon):
    every = list(all_charts(real_charts, small, horizon))
    assert len(every) > len(real_charts) > 0
    for chart in every:
        data = chart.svg.encode()
        assert safety.svg_refusal(data) is None, chart.id
        root = lxml.etree.fromstring(data)
        assert root.tag == SVG + "svg"
        assert root.get("width") == f"{WIDTH:g}mm" and root.get("height").endswith("mm")
        view = [float(v) for v in root.get("viewBox").split()]
        assert view == [0, 0, WIDTH, float(root.get("height")[:-2])], chart.id
        assert "Source Sans 3" in root.get("font-family")
        first, second = root[0], root[1]
        assert (first.tag, first.text) == (SVG + "title", chart.title)
        assert (second.tag, second.text) == (SVG + "desc", chart.alt)
        assert root.get("aria-labelledby") == f"{first.get('id')} {second.get('id')}"
        assert first.get("id").startswith(chart.id)
        assert chart.title and chart.caption and chart.alt and chart.id


def test_every_chart_passes_the_image_check_as_a_file(real_charts, tmp_path):
    assert real_charts
    for chart in real_charts.values():
        path = tmp_path / f"{chart.id}.svg"
        path.write_text(chart.svg, encoding="utf-8")
        assert safety.image_refusal(path) is None


def test_every_label_lies_inside_the_drawing(real_charts, small, horizon):
    every = list(all_charts(real_charts, small, horizon))
    assert every
    for chart in every:
        root = tree(chart)
        height = float(root.get("height")[:-2])
        for text in root.iter(SVG + "text"):
            start, end = text_extent(text)
            assert -0.01 <= start and end <= WIDTH + 0.01, (chart.id, text.text, start, end)
            assert float(text.get("y")) <= height, (chart.id, text.text)
        for rect in root.iter(SVG + "rect"):
            x0, y0, x1, y1 = box(rect)
            assert -1 <= x0 and x1 <= WIDTH + 1 and -1 <= y0 and y1 <= height, (chart.id, x0, y0, x1, y1)


def text_box(text) -> tuple[float, float, float, float]:
    start, end = text_extent(text)
    size, y = float(text.get("font-size")), float(text.get("y"))
    return start, y - 0.72 * size, end, y + 0.22 * size   # ascenders and descenders of the font


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def check_no_text_overlaps(chart: Chart):
    """No two texts overlap, and no label overlaps a cell or a bar (the texts drawn in them aside)."""
    root = tree(chart)
    texts = list(root.iter(SVG + "text"))
    boxes = [text_box(t) for t in texts]
    for i, a in enumerate(boxes):
        for j in range(i + 1, len(boxes)):
            assert not overlap(a, boxes[j]), (chart.id, texts[i].text, texts[j].text)
    fields = [box(r) for r in by_class(root, "rect", "cell") + by_class(root, "rect", "bar")]
    inner = {t for m in by_class(root, "g", "mark") for t in m.iter(SVG + "text")}
    inner |= set(by_class(root, "text", "cell-count"))
    for text, area in zip(texts, boxes):
        if text not in inner:
            assert not any(overlap(area, f) for f in fields), (chart.id, text.text)


def test_no_label_overlaps_another(real_charts, small, horizon):
    for chart in all_charts(real_charts, small, horizon):
        check_no_text_overlaps(chart)


def test_long_level_names_wrap_inside_their_column(content):
    many = """\
  etape:
    label: Étape de mise en œuvre dans les territoires
    levels:
      - {id: a, label: expérimentation dans quelques départements volontaires, description: "2025."}
      - {id: b, label: évaluation indépendante et publique, description: "2026-2027."}
      - {id: c, label: généralisation progressive, description: "2028-2030."}
      - {id: d, label: inscription dans la loi de finances, description: "2031."}
      - {id: e, label: bilan, description: "2034."}
"""
    path = content / "propositions.yaml"
    text = path.read_text(encoding="utf-8").replace("label: élevé", "label: \"élevé et pluriannuel, hors budgets ordinaires\"")
    path.write_text(text, encoding="utf-8")
    book = load_book(with_scale(content, many, "etape", ["a", "e", "c"]))
    found = {c.id: c for c in charts(book, LABELS)}
    assert "propositions-par-etape" in found
    for chart in found.values():
        check_no_text_overlaps(chart)
        for text in tree(chart).iter(SVG + "text"):
            start, end = text_extent(text)
            assert 0 <= start and end <= WIDTH, (chart.id, text.text)
    columns = [box(r) for r in by_class(tree(found["propositions-par-etape"]), "rect", "cell")]
    labels = list(by_class(tree(found["propositions-par-etape"]), "text", "level-column"))
    assert columns and labels
    for text in labels:
        start, end = text_extent(text)
        assert any(c[0] <= start and end <= c[2] + 0.01 for c in columns), text.text


def test_the_measured_lengths_are_those_of_the_book_font():
    """The layout rests on them: a wrong measure would clip or crowd labels."""
    wide, narrow = charts_module._width("MMMM", 3.0), charts_module._width("iiii", 3.0)
    assert wide > 2.5 * narrow
    # Source Sans 3: M is 0.72 em wide or so, and the font kerns L before an apostrophe.
    assert 2.0 < charts_module._width("M", 3.0) < 2.4
    assert charts_module._width("L’", 3.0) < charts_module._width("L", 3.0) + charts_module._width("’", 3.0)


def test_every_text_is_typeset_in_french(real_charts):
    for chart in real_charts.values():
        texts = [t.text for t in tree(chart).iter(SVG + "text", SVG + "title", SVG + "desc")]
        texts += [chart.caption, chart.title] + [cell for row in chart.table for cell in row]
        for text in texts:
            assert "'" not in text, (chart.id, text)
            assert " :" not in text and " ;" not in text, (chart.id, text)
    assert "L’État" in real_charts["propositions-par-acteur"].svg


def test_every_colour_goes_through_the_colour_function(real_book, horizon):
    seen: list[str] = []

    def marker(hex_colour: str) -> str:
        seen.append(hex_colour)
        return "device-cmyk(marker)"

    for book in (real_book, horizon[0]):
        for chart in charts(book, LABELS, colour=marker):
            assert not HEX.search(chart.svg), (chart.id, HEX.search(chart.svg))
            for element in tree(chart).iter():
                for name in ("fill", "stroke", "color", "stop-color"):
                    if element.get(name) is not None:
                        assert element.get(name) in ("device-cmyk(marker)", "none"), (chart.id, name)
                assert "style" not in element.attrib
        assert {axis.colour for axis in book.axes} <= set(seen)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c, re.I) for c in seen)  # greys and black are hex first


def test_the_default_colour_writes_the_data_colours(real_charts, real_book):
    svg = real_charts["propositions-par-partie"].svg
    assert real_book.axes
    for axis in real_book.axes:
        assert f'fill="{axis.colour}"' in svg


# --- the matrix -----------------------------------------------------------------------

def check_matrix(book, chart: Chart):
    root = tree(chart)
    cost, ease = book.scales["cost"], book.scales["ease"]
    cells = [box(r) for r in by_class(root, "rect", "cell")]
    assert len(cells) == len(cost.levels) * len(ease.levels)
    columns = {t.text: float(t.get("x")) for t in by_class(root, "text", "level-column")}
    rows = {t.text: float(t.get("y")) for t in by_class(root, "text", "level-row")}
    assert list(columns) == [level.label for level in cost.levels]            # the scale's order, left to right
    assert list(rows) == [level.label for level in reversed(ease.levels)]     # the highest level on top
    colours = {axis.id: axis.colour for axis in book.axes}
    marks = by_class(root, "g", "mark")
    numbers = [m.find(SVG + "text").text for m in marks]
    assert sorted(numbers, key=int) == [str(p.number) for p in book.proposals]   # one mark each
    by_number = {str(p.number): p for p in book.proposals}
    placed = []
    for mark in marks:
        proposal = by_number[mark.find(SVG + "text").text]
        rect = box(mark.find(SVG + "rect"))
        cell = next(c for c in cells if inside(rect, c))
        column = next(name for name, x in columns.items() if cell[0] <= x <= cell[2])
        row = next(name for name, y in rows.items() if cell[1] <= y <= cell[3])
        assert (column, row) == (proposal.levels["cost"].label, proposal.levels["ease"].label), proposal.number
        assert mark.find(SVG + "rect").get("fill") == colours[proposal.axis_id]
        assert ("highlight" in mark.get("class")) == proposal.highlight
        placed.append(rect)
    for i, a in enumerate(placed):   # marks never overlap
        for b in placed[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def test_the_matrix_places_each_proposal_by_its_number_in_the_cell_of_its_levels(real_book, real_charts):
    check_matrix(real_book, real_charts["matrice-cout-facilite"])


def test_the_matrix_of_a_small_publication(small):
    book, found = small
    check_matrix(book, found["matrice-cout-facilite"])
    assert len(by_class(tree(found["matrice-cout-facilite"]), "g", "mark")) == 3
    assert found["matrice-cout-facilite"].caption.endswith(
        "Les cases réunissent de 0 à 1 proposition. 6 cases restent vides.")
    assert found["propositions-par-acteur"].caption.endswith("4 destinataires au total, 2 par acteur.")


def test_the_matrix_legend_names_every_part_with_its_colour(real_book, real_charts):
    root = tree(real_charts["matrice-cout-facilite"])
    legend = by_class(root, "g", "legend")[0]
    names = [t.text for t in legend.iter(SVG + "text")]
    assert names[:len(real_book.axes)] == [f"{a.number}. {a.short_title}".replace("'", "’") for a in real_book.axes]
    fills = [r.get("fill") for r in legend.iter(SVG + "rect")][:len(real_book.axes)]
    assert fills == [a.colour for a in real_book.axes]
    assert names[-1] == LABELS.get("charts.highlight")


def test_the_matrix_table_and_words_match_the_data(real_book, real_charts):
    chart = real_charts["matrice-cout-facilite"]
    cost, ease = real_book.scales["cost"], real_book.scales["ease"]
    assert chart.table[0][1:] == tuple(level.label for level in cost.levels)
    assert [row[0] for row in chart.table[1:]] == [level.label for level in reversed(ease.levels)]
    for row, e in zip(chart.table[1:], reversed(ease.levels)):
        for cell, c in zip(row[1:], cost.levels):
            expected = [p for p in real_book.proposals if p.levels["cost"] == c and p.levels["ease"] == e]
            listed = [int(n.split()[0]) for n in cell.split(", ")] if cell != "–" else []
            assert listed == [p.number for p in expected]
            assert cell.count("phare") == sum(p.highlight for p in expected)
    total = len(real_book.proposals)
    assert f"Matrice des {total} propositions" in chart.alt
    counts = [sum(1 for p in real_book.proposals if p.levels["cost"] == c and p.levels["ease"] == e)
              for c in cost.levels for e in ease.levels]
    if counts.count(max(counts)) == 1:   # one fullest cell is named; a tie gives the range instead
        assert f"réunit {max(counts)} des {total} propositions" in chart.caption
    else:
        assert f"de {min(counts)} à {max(counts)} propositions" in chart.caption
    assert re.findall(r"(\d+) \(", chart.alt) == [str(n) for n in counts]


def test_a_matrix_too_full_for_marks_gives_counts_and_part_shares(content, monkeypatch):
    """Thousands of proposals would need metres of marks: each cell gives its count instead."""
    monkeypatch.setattr(charts_module, "MAX_MARKS_HEIGHT", 5.0)
    book = load_book(content)
    chart = {c.id: c for c in charts(book, LABELS)}["matrice-cout-facilite"]
    root = tree(chart)
    assert not by_class(root, "g", "mark")
    cells = [box(r) for r in by_class(root, "rect", "cell")]
    assert float(root.get("height")[:-2]) < 90
    counted = {}
    for text in by_class(root, "text", "cell-count"):
        cell = next(c for c in cells if c[0] <= float(text.get("x")) <= c[2] and c[1] <= float(text.get("y")) <= c[3])
        counted[cell] = int(text.text)
    assert sorted(counted.values()) == [0] * 6 + [1] * 3
    for share in by_class(root, "rect", "share"):   # one proposal per filled cell: a bar across it
        cell = next(c for c in cells if inside(box(share), c))
        assert counted[cell] == 1 and float(share.get("width")) == pytest.approx(cell[2] - cell[0] - 4, abs=0.01)
    assert chart.caption.startswith(LABELS.get("charts.dense").replace("'", "’"))
    assert chart.table[1] == ("facile", "1", "–", "–")
    check_no_text_overlaps(chart)


# --- the bars -----------------------------------------------------------------------

def check_bars(rows, names, counts):
    assert [r[0] for r in rows] == [n.replace("'", "’") for n in names]
    assert [r[1] for r in rows] == counts
    longest = max(counts)
    unit = next(r[2] for r in rows if r[1] == longest) / longest
    for _, n, length in rows:
        assert length == pytest.approx(n * unit, abs=0.011)


def test_bars_per_part_are_as_long_as_their_counts(real_book, real_charts):
    rows = bar_rows(real_charts["propositions-par-partie"])
    check_bars(rows, [f"{a.number}. {a.short_title}" for a in real_book.axes], [len(a.proposals) for a in real_book.axes])
    fills = [r.get("fill") for r in by_class(tree(real_charts["propositions-par-partie"]), "rect", "bar")]
    assert fills == [a.colour for a in real_book.axes]


def test_bars_per_actor_are_sorted_and_as_long_as_their_counts(real_book, real_charts):
    counted = sorted(((a.label, sum(a in p.actors for p in real_book.proposals)) for a in real_book.actors),
                     key=lambda item: -item[1])
    chart = real_charts["propositions-par-acteur"]
    check_bars(bar_rows(chart), [name for name, _ in counted], [n for _, n in counted])
    assert len({r.get("fill") for r in by_class(tree(chart), "rect", "bar")}) == 1   # one neutral colour
    assert chart.table == ((LABELS.get("charts.per_actor.header_actor"), LABELS.get("charts.per_actor.header_count")),
                           *((name.replace("'", "’"), str(n)) for name, n in counted))
    mentions = sum(n for _, n in counted)
    assert f"{mentions} destinataires" in chart.caption
    assert f"de {counted[-1][1]} à {counted[0][1]} par acteur" in chart.caption


def test_the_part_table_and_words_follow_the_data(small, real_book, real_charts):
    book, found = small
    chart = found["propositions-par-partie"]
    assert [row[1] for row in chart.table[1:]] == ["2", "1"]
    assert chart.caption == "Les 3 propositions se répartissent entre 2 parties, de 1 à 2 par partie."
    assert "1. Premier axe\u00a0: 2" in chart.alt
    check_bars(bar_rows(chart), ["1. Premier axe", "2. Second axe"], [2, 1])
    real = real_charts["propositions-par-partie"]
    assert [int(row[1]) for row in real.table[1:]] == [len(a.proposals) for a in real_book.axes]
    assert f"Les {len(real_book.proposals)} propositions" in real.caption


def test_a_long_actor_name_wraps_and_stays_in_the_drawing(content):
    path = content / "propositions.yaml"
    long_name = "Les organismes de formation professionnelle et les opérateurs de compétences des branches"
    path.write_text(path.read_text(encoding="utf-8").replace("label: Les communes", f"label: {long_name}"),
                    encoding="utf-8")
    book = load_book(content)
    chart = {c.id: c for c in charts(book, LABELS)}["propositions-par-acteur"]
    labels = by_class(tree(chart), "text", "bar-label")
    assert len(labels) >= 3   # the long name on two lines or more
    assert [r[0] for r in bar_rows(chart)] == ["L’État", long_name]   # equal counts: the data's order


# --- further scales ------------------------------------------------------------------

def test_a_horizon_scale_gives_a_roadmap_on_a_time_axis(horizon):
    book, found = horizon
    chart = found["feuille-de-route"]
    assert chart.title == "Feuille de route 2025-2034"   # the publication's year, then the levels' years
    root = tree(chart)
    assert [t.text for t in by_class(root, "text", "years")] == ["2025-2026", "2027-2030", "2031-2034"]
    columns = [box(r) for r in by_class(root, "rect", "cell")]
    headers = by_class(root, "text", "level-column")
    assert [h.text for h in headers] == ["court terme", "moyen terme", "long terme"]
    assert [t.text for t in by_class(root, "text", "count")] == ["2 propositions", "0 proposition", "1 proposition"]
    for mark in by_class(root, "g", "mark"):
        proposal = next(p for p in book.proposals if str(p.number) == mark.find(SVG + "text").text)
        column = next(i for i, c in enumerate(columns) if inside(box(mark.find(SVG + "rect")), c))
        assert book.scales["horizon"].levels[column] == proposal.levels["horizon"]
    assert chart.table[0] == ("Horizon", "Propositions", "Numéros")
    assert chart.table[1] == ("court terme (2025-2026)", "2", "1 (phare), 3")
    assert chart.table[2][1:] == ("0", "–")
    assert "court terme (2025-2026)\u00a0: 2" in chart.caption


def test_the_roadmap_on_the_real_book_once_it_has_a_horizon(real_book, real_charts, tmp_path):
    if "horizon" not in real_book.scales:
        pytest.skip("the real content has no horizon scale yet")
    chart = next(c for c in real_charts.values() if c.id in ("feuille-de-route", "propositions-par-horizon"))
    marks = by_class(tree(chart), "g", "mark")
    assert sorted(int(m.find(SVG + "text").text) for m in marks) == [p.number for p in real_book.proposals]


def test_any_further_scale_gets_its_own_chart(content):
    book = load_book(with_scale(content, AMBITION, "ambition", ["forte", "modeste"]))
    found = {c.id: c for c in charts(book, LABELS)}
    assert "matrice-cout-facilite" in found   # cost and ease stay the matrix
    chart = found["propositions-par-ambition"]
    assert chart.title == "Ambition des propositions"
    assert not by_class(tree(chart), "text", "years")   # no years, no time axis
    assert chart.table[1:] == (("modeste", "1", "2"), ("forte", "2", "1 (phare), 3"))


def test_a_publication_with_other_scales_draws_the_first_two_as_the_matrix(content):
    path = content / "propositions.yaml"
    text = path.read_text(encoding="utf-8").replace("  cost:", "  prix:").replace("    cost:", "    prix:")
    path.write_text(text, encoding="utf-8")
    book = load_book(content)
    ids = [c.id for c in charts(book, LABELS)]
    assert ids == ["matrice-cout-facilite", "propositions-par-partie", "propositions-par-acteur"]


# --- the templates ------------------------------------------------------------------

def test_the_figure_and_table_macros(real_charts):
    env = environment(build.PROJECT / "templates")
    macros = env.get_template("base/charts.html").make_module()
    chart = real_charts["propositions-par-acteur"]
    figure = lxml.html.fragment_fromstring(str(macros.figure(chart, "graphiques/acteurs.svg")))
    assert figure.tag == "figure" and figure.get("class") == "chart"
    assert figure.get("id") == "graphique-propositions-par-acteur"
    assert figure.find("img").get("src") == "graphiques/acteurs.svg"
    assert figure.find("img").get("alt") == chart.alt
    caption = figure.find("figcaption")
    assert caption.find("strong").text == chart.title
    assert caption.text_content() == f"{chart.title} {chart.caption}"

    table = lxml.html.fragment_fromstring(str(macros.data_table(chart)))
    assert table.get("class") == "chart-data"
    assert table.find("caption").text == chart.title
    assert [th.text for th in table.xpath("thead/tr/th")] == list(chart.table[0])
    assert {th.get("scope") for th in table.xpath("thead/tr/th")} == {"col"}
    rows = table.xpath("tbody/tr")
    assert len(rows) == len(chart.table) - 1
    for row, data in zip(rows, chart.table[1:]):
        assert row[0].tag == "th" and row[0].get("scope") == "row"
        assert tuple(cell.text for cell in row) == data


def test_the_macros_escape_what_they_are_given():
    env = environment(build.PROJECT / "templates")
    macros = env.get_template("base/charts.html").make_module()
    chart = Chart(id="essai", title="<b>", caption="a & b", alt='"x"', svg="", table=(("<h>",), ("<r>",)))
    html = str(macros.figure(chart, "x.svg")) + str(macros.data_table(chart))
    assert "<b>" not in html and "<h>" not in html and "<r>" not in html
    assert "a &amp; b" in html and 'alt="&#34;x&#34;"' in html


# --- the EPUB's charts: narrow, numbers left to the table ------------------------------------

def test_reflowable_charts_keep_their_labels_at_least_0_8_em_on_a_phone(real_book):
    """The EPUB shows a chart REFLOWED_EM wide (22 em, the whole column of a 390 px phone): every text of
    the narrow drawing is then at least 0.8 em; the marks carry no number (the table that follows does)."""
    narrow = charts(real_book, LABELS, reflowable=True)
    assert [c.id for c in narrow] == [c.id for c in charts(real_book, LABELS)]
    for chart in narrow:
        root = tree(chart)
        width = float(root.get("viewBox").split()[2])
        assert width == charts_module.NARROW
        sizes = [float(t.get("font-size")) for t in root.iter(SVG + "text")]
        shown = width + 2 * charts_module.GROUND_MARGIN   # the EPUB draws a white ground around it
        assert sizes and min(sizes) / shown * charts_module.REFLOWED_EM >= 0.8, (chart.id, min(sizes))
        assert not [t for m in by_class(root, "g", "mark") for t in m.iter(SVG + "text")], chart.id
        # A short text alternative that sends to the data table, instead of reading the data a third time.
        assert len(chart.alt) < 140 and "tableau qui suit" in chart.alt, chart.alt
        assert not re.search(r"\d+\s*;", chart.caption), chart.caption   # the caption lists no data either
    assert "figure.chart img { display: block; width: 22em; max-width: 100%" in \
        (build.PROJECT / "styles" / "epub" / "book.css").read_text()
