"""ECharts options built from plain data: the same data feeds PDF charts later.

Values are plain numbers here; the page's script (static/casspath.js) shows the numbers on
bars and in tooltips with thousands separators (12,345), as the cards print them."""

from collections.abc import Sequence

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
