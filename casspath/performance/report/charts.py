"""The diagnosis report's charts as static SVG, drawn by matplotlib from the stored figures.

Not ECharts (analytics/charts.py feeds the pages): the report must print through WeasyPrint,
which runs no JavaScript. Text is in Noto Sans CJK, the font the install brings. For the
HTML file it is drawn as outlines (svg.fonttype "path"): the charts look the same on a client's
machine whatever fonts it has. For the PDF it stays text ("none"): WeasyPrint sets it in the
same font matplotlib measured it with, it can be searched, and WeasyPrint draws an outline
per glyph use several times slower than text. matplotlib's object API (Figure, no pyplot,
no backend chosen); its style is global (rcParams), so one thread draws at a time. Each
function takes the figures' part it draws and returns the SVG text, or "" when there is
nothing to draw (the template then says so).
"""

import io
import math
import subprocess  # noqa: S404 (fc-list, a fixed command)
import threading
from functools import cache

import matplotlib
from django.utils.translation import gettext as _
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from casspath.core.templatetags.numbers import grouped
from casspath.performance.display import SHOWN, q_marked
from casspath.performance.report.names import tier_name

CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei")
BLUE, ORANGE, GREY = "#2f6fb5", "#e08a1e", "#9aa5b1"
WIDTH = 6.6  # inches: an A4 page's text width at the report's margins
DRAWING = threading.Lock()  # rc_context sets matplotlib's global style


@cache
def _family() -> list[str]:
    """The first CJK family installed, then DejaVu Sans (digits and Latin look the same
    everywhere); without one the charts still draw, their Chinese as empty boxes."""
    found = _installed()
    if found is None:
        # matplotlib caches the fonts it found at its first run: one installed since (by
        # `make install` after a first run) is added from where fontconfig has it.
        for path in _fontconfig_files():
            font_manager.fontManager.addfont(path)
        found = _installed()
    return ["DejaVu Sans"] if found is None else [found, "DejaVu Sans"]


def _installed() -> str | None:
    for family in CJK_FAMILIES:
        try:
            font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
        return family
    return None


def _fontconfig_files() -> list[str]:
    try:
        listed = subprocess.run(["fc-list", ":lang=zh", "file"], capture_output=True, text=True,  # noqa: S607
                                timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted({line.split(":")[0] for line in listed.splitlines() if "CJK" in line and "Sans" in line})


def _style(text: str) -> dict:
    return {"font.family": _family(), "font.size": 8.5, "svg.fonttype": text, "svg.hashsalt": "casspath",
            "axes.spines.top": False, "axes.spines.right": False, "axes.unicode_minus": False}


def _figure(height: float) -> tuple[Figure, Axes]:
    figure = Figure(figsize=(WIDTH, height), layout="constrained")
    return figure, figure.add_subplot()


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # the XML prolog and DOCTYPE do not belong inside HTML


def _plain(label: str) -> str:
    """A name typed by a user, shown as typed: matplotlib reads text between two $ as a formula
    (and refuses one it cannot parse), so each $ is escaped."""
    return label.replace("$", r"\$")


def _present(values) -> bool:
    return any(value is not None and math.isfinite(value) for value in values)


def draw(figures: dict, text: str = "path") -> dict[str, str]:
    """Every chart of the report by name; "" for one that has nothing to draw. `text` is
    "path" (outlines) or "none" (text in the SVG)."""
    with DRAWING, matplotlib.rc_context(_style(text)):
        return {"histogram": histogram(figures.get("histogram") or {}),
                "lorenz": lorenz(figures.get("lorenz") or {}, figures.get("gini")),
                "trend": trend(figures.get("trend") or {}),
                "heatmap": heatmap(figures.get("tiers") or [], figures.get("correlations") or []),
                "correlations": correlations(figures.get("correlations") or [])}


def histogram(part: dict) -> str:
    edges, counts = part.get("edges") or [], part.get("counts") or []
    if len(edges) != len(counts) + 1 or not counts or not _present(edges):
        return ""
    figure, axes = _figure(2.6)
    lefts = edges[:-1]
    widths = [b - a for a, b in zip(edges[:-1], edges[1:], strict=True)]
    axes.bar(lefts, counts, width=widths, align="edge", color=BLUE, edgecolor="white", linewidth=0.5)
    # Ticks on the bars' own round edges (analytics.distribution.nice_edges), at most 11.
    axes.set_xlim(edges[0], edges[-1])
    axes.set_xticks(edges[::max(1, math.ceil((len(edges) - 1) / 10))])
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _position: f"{value:,.0f}"))
    axes.set_xlabel(_("Output per head a month over the period (yuan, without big deals)"))
    axes.set_ylabel(_("Managers"))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # people come whole
    return _svg(figure)


def lorenz(part: dict, gini: float | None) -> str:
    people, output = part.get("people") or [], part.get("output") or []
    if len(people) != len(output) or not _present(output):
        return ""
    figure, axes = _figure(3.0)
    axes.plot([0, 1], [0, 1], color=GREY, linestyle="--", linewidth=1, label=_("Line of equality"))
    points = [(x, y) for x, y in zip(people, output, strict=True) if x is not None and y is not None]
    xs, ys = [x for x, _y in points], [y for _x, y in points]
    axes.plot(xs, ys, color=BLUE, linewidth=1.8, label=_("Lorenz curve"))
    axes.fill_between(xs, xs, ys, color=BLUE, alpha=0.12, linewidth=0)
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.set_aspect("equal")
    axes.set_xlabel(_("Cumulative share of managers (lowest output first)"))
    axes.set_ylabel(_("Cumulative share of output"))
    if gini is not None:
        shown = grouped(gini, SHOWN["ratio"][0])  # as the page's card
        axes.set_title(_("Gini coefficient %(gini)s") % {"gini": shown}, fontsize=9)
    axes.legend(loc="upper left", frameon=False)
    return _svg(figure)


def trend(part: dict) -> str:
    months = part.get("months") or []
    with_big = part.get("per_head") or []
    without = part.get("per_head_excluding_big_deals") or []
    if not months or not (_present(with_big) or _present(without)):
        return ""
    figure, axes = _figure(2.6)
    x = range(len(months))
    nan = float("nan")
    axes.plot(x, [nan if v is None else v for v in with_big], color=ORANGE, marker="o", markersize=3,
              linewidth=1.5, label=_("With big deals"))
    axes.plot(x, [nan if v is None else v for v in without], color=BLUE, marker="o", markersize=3,
              linewidth=1.5, label=_("Without big deals"))
    step = max(1, math.ceil(len(months) / 12))
    axes.set_xticks(list(x)[::step], months[::step], rotation=45 if len(months) > 6 else 0)
    axes.set_ylabel(_("Output per head (yuan)"))
    axes.set_ylim(bottom=0)
    axes.legend(frameon=False)
    return _svg(figure)


def heatmap(tiers: list[dict], correlations: list[dict]) -> str:
    """Dimensions down, tiers across: each tier's mean current level (blank where none is rated)."""
    names = {c["dimension"]: c.get("name") or c["dimension"] for c in correlations}
    shown = [t for t in tiers if (t.get("profile") or {}).get("dimensions")]
    if not shown:
        return ""
    codes = shown[0]["profile"]["dimensions"]
    rows = [[(t["profile"]["mean"][i] if i < len(t["profile"]["mean"]) else None) for t in shown]
            for i in range(len(codes))]
    if not codes or not any(_present(row) for row in rows):
        return ""
    values = [[math.nan if v is None else v for v in row] for row in rows]
    figure, axes = _figure(0.9 + 0.24 * len(codes))
    colours = LinearSegmentedColormap.from_list("levels", ["#eef4fb", "#8fb6df", "#1d4f86"]).with_extremes(
        bad="#f3f4f6")
    # The colours span the levels met, by half levels: on 1-5 a unit's 2.1-3.2 would all
    # look alike. The number stands in each cell.
    met = [v for row in rows for v in row if v is not None]
    low, high = math.floor(min(met) * 2) / 2, math.ceil(max(met) * 2) / 2
    low, high = (low, high) if high > low else (low - 0.5, high + 0.5)
    image = axes.imshow(values, cmap=colours, vmin=low, vmax=high, aspect="auto")
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            text = "—" if value is None else f"{value:.1f}"
            dark = value is not None and value >= low + 0.65 * (high - low)
            axes.text(j, i, text, ha="center", va="center", fontsize=7.5,
                      color="white" if dark else "#1f2933")
    axes.set_xticks(range(len(shown)), [_("%(tier)s (%(count)s)") % {"tier": tier_name(t["tier"]),
                                                                      "count": t["count"]} for t in shown])
    axes.xaxis.tick_top()
    axes.set_yticks(range(len(codes)), [_plain(f"{code} {names.get(code, '')}") for code in codes])
    axes.tick_params(length=0)
    for side in axes.spines.values():
        side.set_visible(False)
    figure.colorbar(image, ax=axes, shrink=0.6, label=_("Mean current level"))
    return _svg(figure)


def correlations(rows: list[dict]) -> str:
    """Spearman's rho of each rated dimension with its 95% interval, strongest on top."""
    shown = [r for r in rows if r.get("rho") is not None]
    if not shown:
        return ""
    shown.sort(key=lambda r: r["rho"])
    figure, axes = _figure(0.8 + 0.24 * len(shown))
    y = range(len(shown))
    rho = [r["rho"] for r in shown]
    low = [r["rho"] - r["ci_low"] if r.get("ci_low") is not None else 0 for r in shown]
    high = [r["ci_high"] - r["rho"] if r.get("ci_high") is not None else 0 for r in shown]
    axes.barh(y, rho, color=[BLUE if q_marked(r.get("q")) else GREY for r in shown],
              height=0.6)
    axes.errorbar(rho, y, xerr=[low, high], fmt="none", ecolor="#1f2933", elinewidth=0.8, capsize=2)
    axes.axvline(0, color="#1f2933", linewidth=0.6)
    reach = max(abs(v) for r in shown for v in (r["rho"], r.get("ci_low"), r.get("ci_high")) if v is not None)
    axes.set_xlim(-min(1.0, math.ceil(reach * 10 + 1) / 10), min(1.0, math.ceil(reach * 10 + 1) / 10))
    axes.set_yticks(list(y), [_plain(f"{r['dimension']} {r.get('name') or ''}") for r in shown])
    axes.set_xlabel(_("Spearman's rho and its 95% CI (blue: q < 0.05)"))
    axes.tick_params(axis="y", length=0)
    return _svg(figure)

