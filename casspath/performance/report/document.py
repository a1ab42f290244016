"""The diagnosis report a consultant hands to a client: one HTML document, and the same
document printed to PDF.

- One self-contained file: customers run on closed intranets, and a report is mailed and
  opened from a disk, so no CDN, no external file. The CSS is inline and each chart is an
  SVG in a data: URI (an <img>, not inline <svg>: each chart's ids stay its own).
- The PDF is WeasyPrint's print of that same HTML (a maintained HTML/CSS-to-PDF engine on
  Pango, pure Python otherwise; no browser to drive on a server). It runs no JavaScript,
  hence the static SVG charts of report/charts.py rather than the pages' ECharts. Text is
  real text in Noto Sans CJK (the font `make install` brings), subset into the PDF, so
  Chinese can be searched and copied.
- Chinese by default: the strings are the UI's msgids, rendered in the language asked; the
  findings and method notes are stored in both languages with the figures.
Degenerate figures (nulls, an empty tier, no regression) render as "—" or a sentence.
"""

import base64
import math
from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from casspath.core.templatetags.numbers import grouped
from casspath.performance.display import (
    REGRESSION_TERMS,
    SHOWN,
    header_facts,
    histogram_note,
    p_text,
    q_marked,
    regression_not_fitted,
    regression_overlap_note,
    regression_summary,
    small_sample,
    tier_caution,
    unit_caution,
)
from casspath.performance.report.names import tier_name

DASH = "—"


@dataclass(frozen=True)
class About:
    """What the title page says beyond the figures: who ran the diagnosis, when, which one."""

    run_by: str = ""
    created_at: datetime | None = None
    snapshot_id: int | None = None


def html(figures: dict, about: About | None = None, language: str = "zh-hans",
         chart_text: str = "path") -> str:
    with translation.override(language):
        return render_to_string("performance/report/diagnosis.html",
                                context(figures, about or About(), language, chart_text))


def pdf(figures: dict, about: About | None = None, language: str = "zh-hans") -> bytes:
    return print_pdf(html(figures, about, language, chart_text="none"))


def print_pdf(document: str) -> bytes:
    """The HTML of `html(..., chart_text="none")` printed by WeasyPrint: seconds, tens of them
    for a large unit, so the pages and the API have it done in the background (a
    DiagnosisReport job); the command line prints here."""
    import weasyprint  # loads Pango and its fonts: seconds, paid only by those who print

    return weasyprint.HTML(string=document).write_pdf()


def context(figures: dict, about: About, language: str, chart_text: str = "path") -> dict:
    zh = language.startswith("zh")
    names = {c["dimension"]: (c.get("name") or "", c.get("name_en") or "")
             for c in figures.get("correlations", [])}

    def dimension(code: str) -> str:
        name = names.get(code, ("", ""))[0 if zh else 1]
        return f"{code} {name}".strip()

    per_head = figures.get("output_per_head") or {}
    distribution = figures.get("distribution") or {}
    from casspath.performance.report import charts  # matplotlib: a second's load, paid when a report is asked

    drawn = {name: _data_uri(svg) for name, svg in charts.draw(figures, chart_text).items()}
    # The page's cautions, in its words (display.unit_caution, tier_caution): one source.
    caution = small_sample(figures)
    return {
        "language": "zh-Hans" if zh else "en",
        "unit": figures.get("unit") or {},
        "period": figures.get("period") or {},
        "model": figures.get("model") or {},
        # The page's heading gives the same facts (display.header_facts). Who ran it is a
        # person's name; nobody for a command-line run (no actor label in a client's report).
        "facts": header_facts(figures, created_at=about.created_at, snapshot_id=about.snapshot_id,
                              run_by=about.run_by),
        "printed": f"{timezone.localdate():%Y-%m-%d}",
        "snapshot_id": about.snapshot_id,
        "ci_header": _("95% CI"),  # not in the template: its {% translate %} would double the %
        "headline": [
            (_("Managers counted"), _count(figures.get("headcount"))),
            (_("Output per head a month (mean)"), _yuan(per_head.get("mean"))),
            (_("Output per head a month (median)"), _yuan(per_head.get("median"))),
            (_("Mean excluding big deals"), _yuan(per_head.get("mean_excluding_big_deals"))),
            (_("Median excluding big deals"), _yuan(per_head.get("median_excluding_big_deals"))),
            (_("Share with no output"), _share(distribution.get("zero_share"))),
            (_("Share below 500 yuan"), _share(distribution.get("below_500_share"))),
            (_("Gini coefficient"), _fixed(figures.get("gini"), SHOWN["ratio"][0])),  # as the page's card
        ],
        # The bucket below 0 (returns exceeding sales) only when someone is in it.
        "buckets": [{"range": _range(b.get("lower"), b.get("upper")), "count": _count(b.get("count")),
                     "share": _share(b.get("share"))} for b in distribution.get("buckets", [])
                    if b.get("lower") is not None or b.get("count")],
        "histogram_note": histogram_note(figures.get("histogram")),
        "small_unit": unit_caution(caution),
        "charts": drawn,
        "tiers": [_tier(tier, dimension, zh) | {"caution": tier_caution(caution, tier.get("tier", ""))}
                  for tier in figures.get("tiers", [])],
        "correlations": [_correlation(row, dimension) for row in figures.get("correlations", [])],
        "regression": _regression(figures.get("regression"), dimension),
        "notes": [note.get("zh" if zh else "en", "") for note in figures.get("method_notes", [])],
    }


def _data_uri(svg: str) -> str:
    if not svg:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def _tier(tier: dict, dimension, zh: bool) -> dict:
    reference = {"tier_above": _("the tier above"), "requirement": _("the requirement"),
                 "none": _("nothing (no requirement applies)")}.get(tier.get("reference", ""), DASH)
    leading = set(tier.get("leading") or [])
    rows = [{"dimension": dimension(gap["dimension"]), "n": _count(gap.get("n")),
             "mean": _fixed(gap.get("mean")), "reference_mean": _fixed(gap.get("reference_mean")),
             "gap": _fixed(gap.get("mean_gap")), "effect": _fixed(gap.get("effect")),
             "ci": _interval(gap.get("ci_low"), gap.get("ci_high")), "leading": gap["dimension"] in leading}
            for gap in tier.get("ranking") or [] if gap.get("n")]
    finding = tier.get("finding") or {}
    return {"code": tier.get("tier", ""), "name": tier_name(tier.get("tier", "")),
            "people": tier.get("count") or 0, "reference": reference,
            "finding": finding.get("zh" if zh else "en", ""),
            "bottlenecks": [dimension(code) for code in tier.get("bottlenecks") or []], "rows": rows}


def _correlation(row: dict, dimension) -> dict:
    return {"dimension": dimension(row["dimension"]), "n": _count(row.get("n")),
            "rho": _fixed(row.get("rho")), "ci": _interval(row.get("ci_low"), row.get("ci_high")),
            "p": _p(row.get("p")), "q": _p(row.get("q")),
            "pearson_r": _fixed(row.get("pearson_r")), "partial_rho": _fixed(row.get("partial_rho")),
            "sure": q_marked(row.get("q"))}


def _regression(regression: dict | None, dimension) -> dict:
    if not regression:
        return {"not_fitted": regression_not_fitted(regression)}
    reasons = {"unrated": _("no one rated"), "constant": _("the same level for everyone")}
    terms = [{"name": REGRESSION_TERMS.get(term["name"]) or dimension(term["name"]),
              "coef": _fixed(term.get("coef"), 3), "se": _fixed(term.get("se"), 3), "p": _p(term.get("p")),
              "ci": _interval(term.get("ci_low"), term.get("ci_high"), 3)}
             for term in regression.get("terms", [])]
    dropped = [f"{dimension(d['dimension'])}（{reasons.get(d.get('reason', ''), d.get('reason', ''))}）"
               for d in regression.get("dropped", [])]
    return {"summary": regression_summary(regression), "not_fitted": regression_not_fitted(regression),
            "overlap": regression_overlap_note(),
            "terms": terms, "dropped": dropped}


def _finite(value) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


def _count(value) -> str:
    return f"{int(value):,}" if _finite(value) else DASH


# The page's number filters (core/templatetags/numbers.py) and p values (display.p_text): one
# way of printing a number, "0.00" and not "-0.00", "< 0.001" below 0.001.
def _yuan(value) -> str:
    return grouped(value, 0)


def _share(value) -> str:
    return grouped(value * 100, 1) + "%" if _finite(value) else DASH


def _fixed(value, places: int = 2) -> str:
    return grouped(value, places)


def _p(value) -> str:
    return p_text(value)


def _interval(low, high, places: int = 2) -> str:
    if not (_finite(low) and _finite(high)):
        return DASH
    return f"[{grouped(low, places)}, {grouped(high, places)}]"


def _range(lower, upper) -> str:
    if lower is None and upper is not None:
        return _("below %(upper)s") % {"upper": f"{upper:,.0f}"}
    if upper is None and lower is not None:
        return _("%(lower)s and above") % {"lower": f"{lower:,.0f}"}
    if lower is None or upper is None:
        return DASH
    return f"{lower:,.0f} – {upper:,.0f}"
