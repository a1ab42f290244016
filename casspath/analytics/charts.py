"""ECharts options built from plain data: the same data feeds PDF charts later.

Values are plain numbers here; the page's script (static/casspath.js) shows the numbers on
bars and in tooltips with thousands separators (12,345), as the cards print them."""

import math
from collections.abc import Sequence
from html import escape

# A bar chart with more categories shows its values in the tooltip only.
VALUES_ON_BARS_UP_TO = 12
# A bar chart with at most this many categories shows every axis label, wrapped.
WRAP_LABELS_UP_TO = 8


def bar_chart(labels: Sequence[str], values: Sequence[float], *, series_name: str = "") -> dict:
    if len(labels) != len(values):
        raise ValueError("labels and values differ in length")
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 40, "right": 16, "top": 24, "bottom": 32, "containLabel": True},
        # Many categories (the tenure histogram's 20-odd years, on a phone): ECharts leaves
        # out the axis labels that would overlap (`_category_labels`), and the bars carry no
        # values (they would cover each other and the next bars); the tooltip gives them.
        "xAxis": {"type": "category", "data": list(labels), "axisLabel": _category_labels(len(labels))},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"type": "bar", "name": series_name, "data": list(values),
                    "label": {"show": len(labels) <= VALUES_ON_BARS_UP_TO, "position": "top"},
                    "labelLayout": {"hideOverlap": True}}],
    }


def _category_labels(count: int) -> dict:
    """Every label of a few categories, wrapped onto lines (a stage or grade in English is
    long for a phone's fifth of 390 px); only many categories leave labels out."""
    if count <= WRAP_LABELS_UP_TO:
        return {"interval": 0, "width": 64, "overflow": "break"}
    return {"interval": "auto", "hideOverlap": True}


def radar_chart(axes: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *,
                max_value: float = 5) -> dict:
    """A radar with one axis per label and one line per named series (required levels per
    stage, say). A missing value (None) is drawn at 0."""
    if not axes:
        raise ValueError("a radar needs at least one axis")
    for name, values in series:
        if len(values) != len(axes):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(axes)} axes")
    return {
        "tooltip": {"trigger": "item"},
        "legend": {"bottom": 0, "data": [name for name, _ in series]},
        "radar": {
            "indicator": [{"name": label, "max": max_value, "min": 0} for label in axes],
            "radius": "62%",
            "splitNumber": int(max_value),
        },
        "series": [{
            "type": "radar",
            "data": [{"name": name, "value": [0 if v is None else v for v in values]}
                     for name, values in series],
        }],
    }


def hbar_chart(labels: Sequence[str], values: Sequence[float], *, series_name: str = "") -> dict:
    """Horizontal bars, largest on top: for long category names (units, positions)."""
    if len(labels) != len(values):
        raise ValueError("labels and values differ in length")
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 40, "top": 8, "bottom": 8, "containLabel": True},
        # ECharts draws the first category at the bottom: reverse so the first is on top.
        "yAxis": {"type": "category", "data": list(reversed(labels))},
        "xAxis": {"type": "value", "minInterval": 1},
        "series": [{"type": "bar", "name": series_name, "data": list(reversed(values)),
                    "label": {"show": True, "position": "right"},
                    "labelLayout": {"hideOverlap": True}}],
    }


# ECharts' mark for a missing value (a month nobody was employed in, a tier nobody rated).
MISSING = "-"


def _value(value: float | None, places: int | None = None) -> float | str:
    if value is None or value != value:  # None or NaN
        return MISSING
    return round(float(value), places) if places is not None else float(value)


def edge_label(value: float, step: float) -> str:
    """A histogram edge with the decimals its step needs: none for a step of 1 or more
    (0, 500, 1,000), else ⌈−log₁₀ step⌉ (a step of 0.2: 0.4, 0.6)."""
    places = 0 if not step > 0 or step >= 1 else math.ceil(-math.log10(step) - 1e-9)
    return f"{value:,.{places}f}"


def histogram_chart(edges: Sequence[float], counts: Sequence[int], *, series_name: str = "") -> dict:
    """Adjacent bars, one per bin [edges[i], edges[i + 1]), labelled by their bounds (round
    ones: analytics.distribution.nice_edges)."""
    if len(edges) != len(counts) + 1:
        raise ValueError(f"{len(counts)} bins need {len(counts) + 1} edges, got {len(edges)}")
    step = min((b - a for a, b in zip(edges[:-1], edges[1:], strict=True)), default=1.0)
    labels = [f"{edge_label(edges[i], step)}–{edge_label(edges[i + 1], step)}" for i in range(len(counts))]
    option = bar_chart(labels, list(counts), series_name=series_name)
    option["series"][0]["barCategoryGap"] = "5%"
    option["xAxis"]["axisLabel"] = {"interval": "auto", "hideOverlap": True}
    return option


def lorenz_chart(people: Sequence[float], output: Sequence[float | None], *, series_name: str = "",
                 equality_name: str = "") -> dict:
    """The Lorenz curve (share of people, share of output, both from 0 to 1) with the line of
    perfect equality, y = x, dashed."""
    if len(people) != len(output):
        raise ValueError("people and output differ in length")
    axis = {"type": "value", "min": 0, "max": 1, "interval": 0.25}
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0, "data": [series_name, equality_name]},
        "grid": {"left": 16, "right": 24, "top": 16, "bottom": 40, "containLabel": True},
        "xAxis": axis, "yAxis": dict(axis),
        "series": [
            {"type": "line", "name": series_name, "showSymbol": False, "areaStyle": {"opacity": 0.15},
             "data": [[_value(x, 4), _value(y, 4)] for x, y in zip(people, output, strict=True)]},
            {"type": "line", "name": equality_name, "showSymbol": False,
             "lineStyle": {"type": "dashed"}, "data": [[0, 0], [1, 1]]},
        ],
    }


def line_chart(categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]]) -> dict:
    """One line per named series over the categories (months); a missing value is a gap."""
    for name, values in series:
        if len(values) != len(categories):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(categories)} categories")
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0, "data": [name for name, _ in series]},
        "grid": {"left": 16, "right": 24, "top": 16, "bottom": 40, "containLabel": True},
        "xAxis": {"type": "category", "data": list(categories), "boundaryGap": False,
                  "axisLabel": {"interval": "auto", "hideOverlap": True}},
        "yAxis": {"type": "value"},
        "series": [{"type": "line", "name": name, "data": [_value(v, 2) for v in values]}
                   for name, values in series],
    }


# The heat map's colours, light to dark blue, one per level from 1 to 5 (ECharts spreads a
# visualMap's colours evenly over its range and blends between them in RGB).
HEAT_COLOURS = ("#f8f9fa", "#cfe2ff", "#6ea8fe", "#0d6efd", "#052c65")
# Black, not the page's #212529: with white, black reads at 4.58:1 or better on any colour
# (WCAG AA's 4.5 for small text), where #212529 falls to 3.9 on a middle blue.
DARK_TEXT, LIGHT_TEXT = "#000000", "#ffffff"


def _rgb(colour: str) -> tuple[float, float, float]:
    return int(colour[1:3], 16) / 255, int(colour[3:5], 16) / 255, int(colour[5:7], 16) / 255


def scale_colour(value: float, low: float, high: float, colours: Sequence[str] = HEAT_COLOURS) -> str:
    """The colour ECharts gives `value` on a continuous visualMap from `low` to `high` over
    `colours` (evenly spaced stops, blended linearly in RGB, clamped at the ends), as #rrggbb."""
    if not high > low:
        raise ValueError("the scale's high end must lie above its low end")
    where = min(max((value - low) / (high - low), 0.0), 1.0) * (len(colours) - 1)
    at = min(int(where), len(colours) - 2)
    share = where - at
    first, second = _rgb(colours[at]), _rgb(colours[at + 1])
    mixed = (round((f + (s - f) * share) * 255) for f, s in zip(first, second, strict=True))
    return "#" + "".join(f"{channel:02x}" for channel in mixed)


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (linear(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour(background: str) -> str:
    """Dark or white text, whichever contrasts more with `background`."""
    return max((DARK_TEXT, LIGHT_TEXT), key=lambda text: contrast_ratio(text, background))


def heatmap_chart(columns: Sequence[str], rows: Sequence[str], values: Sequence[Sequence[float | None]], *,
                  low: float = 1, high: float = 5, places: int = 1) -> dict:
    """A heat map: `values[r][c]` at row `rows[r]` (top to bottom as given) and column
    `columns[c]`, coloured on the scale from `low` to `high` (a level's 1 to 5, as the caption
    says: the scale is not stretched over the values met); missing cells blank. Every label
    has `places` decimals (3.0, not 3) in dark or white, whichever reads better on its cell.
    Rows run down the page (dimensions), so that it fits a phone's width with few columns."""
    if len(values) != len(rows) or any(len(row) != len(columns) for row in values):
        raise ValueError(f"values must be {len(rows)} rows of {len(columns)}")
    # ECharts draws the first category at the bottom: reversed so the first row is on top.
    top_down = list(reversed(range(len(rows))))

    def cell(c: int, y: int, r: int) -> list | dict:
        value = _value(values[r][c], places)
        if value == MISSING:
            return [c, y, MISSING]
        shown = f"{value:.{places}f}"
        colour = text_colour(scale_colour(float(value), low, high))
        # Strings, not functions: JSON carries them, and ECharts prints a template without
        # placeholders as it is. The tooltip is HTML (below): names typed by users escaped.
        return {"value": [c, y, value], "label": {"formatter": shown, "color": colour},
                "tooltip": {"formatter": f"{escape(columns[c])} · {escape(rows[r])}: {shown}"}}

    return {
        # In HTML, unlike the other charts (static/casspath.js): its cells' formatters are plain
        # text, with no marker to style. No "position": ECharts draws a placed tooltip's arrow
        # with an inline style, which the content security policy refuses (style-src 'self').
        "tooltip": {"renderMode": "html"},
        "grid": {"left": 8, "right": 8, "top": 8, "bottom": 56, "containLabel": True},
        "xAxis": {"type": "category", "data": list(columns), "splitArea": {"show": True},
                  "axisLabel": {"interval": 0}},
        "yAxis": {"type": "category", "data": [rows[r] for r in top_down], "splitArea": {"show": True},
                  "axisLabel": {"interval": 0}},
        "visualMap": {"min": low, "max": high, "calculable": False, "orient": "horizontal",
                      "left": "center", "bottom": 0, "itemHeight": 120,
                      "text": [f"{high:g}", f"{low:g}"], "inRange": {"color": list(HEAT_COLOURS)}},
        "series": [{"type": "heatmap", "label": {"show": True},
                    "data": [cell(c, y, r) for y, r in enumerate(top_down) for c in range(len(columns))]}],
    }


def error_bar_chart(labels: Sequence[str], values: Sequence[float | None], lows: Sequence[float | None],
                    highs: Sequence[float | None], marked: Sequence[bool], *, marked_name: str = "",
                    unmarked_name: str = "", tooltips: Sequence[str] = ()) -> dict:
    """Horizontal bars with their intervals as whiskers, sorted largest on top: a correlation
    per dimension with its 95% CI, say. Marked bars (q < 0.05) and the others are two series,
    so the legend names both. Items without a value are left out (their table lists them).
    The whiskers are a box plot of [low, value, value, value, high]: an interval drawn with
    its caps from plain data, no script. `tooltips`, when given, is each bar's tooltip text
    (plain text, escaped here; the caller prints its numbers as its tables do)."""
    if not len(labels) == len(values) == len(lows) == len(highs) == len(marked):
        raise ValueError("labels, values, intervals and marks differ in length")
    if tooltips and len(tooltips) != len(labels):
        raise ValueError("tooltips and labels differ in length")
    items = sorted((i for i, value in enumerate(values) if value is not None and value == value),
                   key=lambda i: float(values[i]))  # type: ignore[arg-type] # None left out above

    # Smallest first above: ECharts draws the first category at the bottom.
    def whisker(i: int) -> list | str:
        low, high = lows[i], highs[i]
        if low is None or high is None or low != low or high != high:
            return MISSING
        value = _value(values[i], 3)
        return [_value(low, 3), value, value, value, _value(high, 3)]

    def bar(i: int) -> float | str | dict:
        value = _value(values[i], 3)
        return {"value": value, "tooltip": {"formatter": escape(tooltips[i])}} if tooltips else value

    return {
        # HTML, as the heat map's: the bars' formatters are plain text (names escaped).
        "tooltip": {"trigger": "item", "renderMode": "html"},
        "legend": {"bottom": 0, "data": [marked_name, unmarked_name]},
        "grid": {"left": 8, "right": 24, "top": 8, "bottom": 40, "containLabel": True},
        "yAxis": {"type": "category", "data": [labels[i] for i in items], "axisLabel": {"interval": 0}},
        "xAxis": {"type": "value", "axisLabel": {"hideOverlap": True}},
        "series": [
            {"type": "bar", "name": marked_name, "stack": "value", "color": "#0d6efd",
             "data": [bar(i) if marked[i] else MISSING for i in items]},
            {"type": "bar", "name": unmarked_name, "stack": "value", "color": "#adb5bd",
             "data": [MISSING if marked[i] else bar(i) for i in items]},
            {"type": "boxplot", "name": "CI", "tooltip": {"show": False}, "boxWidth": [8, 14],
             "itemStyle": {"color": "transparent", "borderColor": "#212529"},
             "data": [whisker(i) for i in items]},
        ],
    }
