"""ECharts options built from plain data: the same data feeds PDF charts later."""

from collections.abc import Sequence


def bar_chart(labels: Sequence[str], values: Sequence[float], *, series_name: str = "") -> dict:
    if len(labels) != len(values):
        raise ValueError("labels and values differ in length")
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 40, "right": 16, "top": 24, "bottom": 32, "containLabel": True},
        "xAxis": {"type": "category", "data": list(labels)},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [{"type": "bar", "name": series_name, "data": list(values),
                    "label": {"show": True, "position": "top"}}],
    }
