"""What the diagnosis pages show of a snapshot's stored figures, in the page's language: the
figure cards, the charts' ECharts options (built by casspath/analytics/charts.py, the one
builder) and the tiers' findings and bottleneck tables. The numbers are the stored ones,
computed by analytics/ when the diagnosis ran; nothing is computed again here."""

import math
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from casspath.analytics import charts, comparison, output
from casspath.analytics.diagnosis import Caution, small_sample_caution
from casspath.core.actors import SystemActor
from casspath.core.templatetags.numbers import grouped

TIER_ORDER = ("high", "middle", "low")
# A correlation whose Benjamini–Hochberg q is below this is marked on the chart and table.
Q_MARKED_BELOW = 0.05
# Bottleneck rows shown before "more" (a tier's ranking has every dimension of the model).
BOTTLENECK_ROWS = 5
# A dimension's levels (competency.models.LEVELS): the heat map's colour scale.
LEVEL_LOW, LEVEL_HIGH = 1, 5
# Standardised gaps are printed to two decimals (and compared as printed).
GAP_PLACES = 2


def in_english() -> bool:
    return (get_language() or "").startswith("en")


def tier_name(code: str) -> str:
    return {"high": _("High performers"), "middle": _("Middle performers"), "low": _("Low performers")}.get(
        code, code)


def tier_short_name(code: str) -> str:
    """A tier in one word (a chart's column heading on a phone)."""
    return {"high": _("High"), "middle": _("Middle"), "low": _("Low")}.get(code, code)


def dimension_label(item: dict) -> str:
    """'D01 目标客户寻找' (or its English name), as the stored figures name a dimension."""
    name = (item.get("name_en") if in_english() else item.get("name")) or item.get("name") or ""
    return f"{item['dimension']} {name}".strip()


def bilingual(text: dict | None) -> str:
    """A stored {"zh", "en"} text (a finding, a method note) in the page's language."""
    if not text:
        return ""
    return (text.get("en") if in_english() else text.get("zh")) or text.get("zh") or text.get("en") or ""


@dataclass(frozen=True)
class Gap:
    row: dict
    label: str
    leading: bool


@dataclass(frozen=True)
class TierView:
    code: str
    name: str
    count: int
    reference: str
    reference_label: str
    finding: str
    leading: list[str]  # labels of the leading bottlenecks, first is largest
    shown: list[Gap]
    more: list[Gap]
    versus_requirement: list[Gap]
    caution: str  # too few people in the tier, said plainly; "" when enough
    # Its first bottlenecks linked to the CASS map's work items and key actions (cass_links.py).
    links: tuple["BottleneckLink", ...] = ()


@dataclass(frozen=True)
class BottleneckLink:
    label: str  # "D05 需求挖掘"
    dimension: str
    work_items: list[dict]  # {code, name, rank}
    key_actions: list[dict]  # {code, name, work_item}
    published_resources: int


def _gaps(rows: list[dict] | None, leading: set[str]) -> list[Gap]:
    return [Gap(row, dimension_label(row), row["dimension"] in leading) for row in rows or []]


def small_sample(figures: dict) -> Caution:
    """Which figures rest on too few people (analytics.diagnosis.SMALL_SAMPLE, the one
    threshold), from the stored counts: a snapshot stored before the caution existed gets it
    too."""
    return small_sample_caution(int(figures.get("headcount") or 0),
                                {tier["tier"]: int(tier["count"]) for tier in figures.get("tiers", [])})


def unit_caution(caution: Caution) -> str:
    """The sentence beside the figures when the unit is small, else ""."""
    if not caution.small_unit:
        return ""
    return _("Few people: this diagnosis counts %(n)s managers, fewer than %(limit)s. With so few, one or "
             "two people can move every share, correlation and gap below: read them as leads to check, not "
             "as findings.") % {"n": caution.headcount, "limit": caution.limits.headcount}


def tier_caution(caution: Caution, code: str) -> str:
    if code not in caution.small_tiers:
        return ""
    return _("Only %(n)s people in this tier, fewer than %(limit)s: its levels and gaps are rough "
             "estimates.") % {"n": caution.small_tiers[code], "limit": caution.limits.tier}


def tiers(figures: dict, links: dict[str, list] | None = None) -> list[TierView]:
    """The tiers' findings and tables; with `links` (cass_links.links_of), each tier's first
    BOTTLENECK_ROWS bottlenecks linked to the CASS map."""
    links = links or {}
    by_code = {tier["tier"]: tier for tier in figures.get("tiers", [])}
    caution = small_sample(figures)
    views = []
    for code in TIER_ORDER:
        tier = by_code.get(code)
        if tier is None:
            continue
        leading = tier.get("leading") or []
        ranking = _gaps(tier.get("ranking"), set(leading))
        labels = {gap.row["dimension"]: gap.label for gap in ranking}
        views.append(TierView(
            code=code, name=tier_name(code), count=tier["count"], reference=tier.get("reference", ""),
            reference_label=reference_label(tier.get("reference", "")),
            finding=bilingual(tier.get("finding")), leading=[labels.get(c, c) for c in leading],
            shown=ranking[:BOTTLENECK_ROWS], more=ranking[BOTTLENECK_ROWS:],
            versus_requirement=(_gaps(tier.get("versus_requirement"), set())
                                if tier.get("reference") != "requirement" else []),
            caution=tier_caution(caution, code),
            links=tuple(BottleneckLink(labels.get(link["dimension"], link["dimension"]), link["dimension"],
                                       link["work_items"], link["key_actions"], link["published_resources"])
                        for link in links.get(code, [])[:BOTTLENECK_ROWS]),
        ))
    return views


def reference_label(reference: str) -> str:
    return {"tier_above": _("against the tier above"), "requirement": _("against the requirement"),
            "none": _("no reference")}.get(reference, reference)


def correlations(figures: dict) -> list[dict]:
    """The correlation rows, strongest first (by rho; those without one last), each with its
    label and whether its q is marked."""
    rows = [dict(row, label=dimension_label(row), marked=_marked(row), q_text=p_text(row.get("q")))
            for row in figures.get("correlations", [])]
    return sorted(rows, key=lambda row: (row["rho"] is None, -(row["rho"] or 0)))


def _marked(row: dict) -> bool:
    return q_marked(row.get("q"))


# p and q values are printed to three decimals, and "< 0.001" below that.
P_PLACES = 3


def q_marked(q: float | None) -> bool:
    """Whether a q is marked (the page's *, the report's bold row, the charts' colour): below
    Q_MARKED_BELOW as printed, so that a q shown as 0.050 is never marked beside a note
    saying "q below 0.05"."""
    return isinstance(q, int | float) and math.isfinite(q) and round(q, P_PLACES) < Q_MARKED_BELOW


def p_text(p: float | None) -> str:
    """A p or q value as the page, the report and the workbook show it."""
    if not isinstance(p, int | float) or not math.isfinite(p):
        return "—"
    return "< 0.001" if p < 0.001 else f"{p:.{P_PLACES}f}"


def histogram_note(histogram: dict | None) -> str:
    """What the histogram shows and what it leaves out, in the words of both the page and the
    report (report/document.py): its bars' width, its top edge (the 95th percentile rounded
    up to a multiple of that width, analytics.distribution.nice_edges) and who lies beyond."""
    edges = (histogram or {}).get("edges") or []
    if len(edges) < 2 or any(edge is None for edge in edges):
        return ""
    step = edges[1] - edges[0]
    drawn = {"step": charts.edge_label(step, step), "top": charts.edge_label(edges[-1], step)}
    above = int((histogram or {}).get("above") or 0)
    below = int((histogram or {}).get("below") or 0)
    if above:
        text = _("Monthly output per manager over the period, excluding big deals, in bars of %(step)s "
                 "yuan up to %(top)s yuan, the 95th percentile rounded up: the %(above)s above it are "
                 "counted apart, so that a few big sellers do not squeeze everyone into the first bar.") % {
            **drawn, "above": f"{above:,}"}
    else:  # nobody beyond the top edge: no "0 counted apart"
        text = _("Monthly output per manager over the period, excluding big deals, in bars of %(step)s "
                 "yuan up to %(top)s yuan, the 95th percentile rounded up.") % drawn
    if below:
        counted = {"below": f"{below:,}", "bottom": charts.edge_label(edges[0], step)}
        text += " " + (_("The %(below)s below %(bottom)s yuan are counted apart too.") % counted if above
                       else _("The %(below)s below %(bottom)s yuan are counted apart.") % counted)
    return text


def chart_options(figures: dict) -> dict[str, dict]:
    """The page's charts, by the id of the JSON each is embedded as."""
    options: dict[str, dict] = {}
    histogram = figures.get("histogram")
    if histogram and histogram.get("counts"):
        options["histogram-chart"] = charts.histogram_chart(histogram["edges"], histogram["counts"],
                                                            series_name=_("Managers"))
    lorenz = figures.get("lorenz")
    if lorenz and any(value is not None for value in lorenz.get("output", [])):
        options["lorenz-chart"] = charts.lorenz_chart(lorenz["people"], lorenz["output"],
                                                      series_name=_("Lorenz curve"),
                                                      equality_name=_("Perfect equality"))
    trend = figures.get("trend")
    if trend and trend.get("months"):
        options["trend-chart"] = charts.line_chart(trend["months"], [
            (_("With big deals"), trend["per_head"]),
            (_("Without big deals"), trend["per_head_excluding_big_deals"]),
        ])
    heat = _heatmap(figures)
    if heat is not None:
        options["heatmap-chart"] = heat
    rows = [row for row in correlations(figures) if row["rho"] is not None]
    if rows:
        options["correlation-chart"] = charts.error_bar_chart(
            [row["label"] for row in rows], [row["rho"] for row in rows],
            [row["ci_low"] for row in rows], [row["ci_high"] for row in rows],
            [row["marked"] for row in rows], marked_name="q < 0.05", unmarked_name="q ≥ 0.05",
            tooltips=[_correlation_tooltip(row) for row in rows])
    return options


def _correlation_tooltip(row: dict) -> str:
    """"D01 目标客户寻找: ρ 0.310, 95% CI [0.200, 0.400], q 0.004", numbers as the table prints them."""
    text = f"{row['label']}: ρ {grouped(row['rho'], 3)}"
    if row.get("ci_low") is not None and row.get("ci_high") is not None:
        text += f", 95% CI [{grouped(row['ci_low'], 3)}, {grouped(row['ci_high'], 3)}]"
    if row.get("q") is not None:
        text += f", q {p_text(row['q'])}"
    return text


def _heatmap(figures: dict) -> dict | None:
    """Tier × dimension: each tier's mean current level per dimension (its profile)."""
    by_code = {tier["tier"]: tier for tier in figures.get("tiers", []) if tier.get("profile")}
    codes = [code for code in TIER_ORDER if code in by_code]
    if not codes:
        return None
    dimensions = by_code[codes[0]]["profile"]["dimensions"]
    if not dimensions:
        return None
    names = {row["dimension"]: row for row in figures.get("correlations", [])}
    rows = [dimension_label(names.get(code, {"dimension": code})) for code in dimensions]
    means = {code: dict(zip(by_code[code]["profile"]["dimensions"], by_code[code]["profile"]["mean"],
                            strict=True)) for code in codes}
    values = [[means[tier].get(dimension) for tier in codes] for dimension in dimensions]
    # On the levels' own scale, 1 to 5, as the caption says; the labels tell tenths apart.
    return charts.heatmap_chart([tier_short_name(code) for code in codes], rows, values,
                                low=LEVEL_LOW, high=LEVEL_HIGH)


# How each kind of figure is printed: (decimals, scale). A share is shown as a percentage.
SHOWN = {"count": (0, 1.0), "yuan": (0, 1.0), "share": (1, comparison.PERCENT), "ratio": (3, 1.0)}


@dataclass(frozen=True)
class Figure:
    label: str
    a: float | None
    b: float | None
    kind: str  # "count", "yuan", "share", "ratio": how the template prints it

    @property
    def places(self) -> int:
        return SHOWN[self.kind][0]

    @property
    def difference(self) -> float | None:
        """B − A of the figures as shown (a share's in percentage points), so that the three
        columns add up (analytics/comparison.py)."""
        places, scale = SHOWN[self.kind]
        return comparison.shown_difference(self.a, self.b, places, scale)


def key_figures(figures: dict) -> list[tuple[str, float | None, str]]:
    """(label, value, kind) of the figure cards, in order."""
    per_head, distribution = figures["output_per_head"], figures["distribution"]
    return [
        (_("Managers counted"), figures["headcount"], "count"),
        (_("Output per head a month (mean)"), per_head["mean"], "yuan"),
        (_("Output per head a month (median)"), per_head["median"], "yuan"),
        (_("Mean excluding big deals"), per_head["mean_excluding_big_deals"], "yuan"),
        (_("Share at zero"), distribution["zero_share"], "share"),
        (_("Share under 500 yuan"), distribution["below_500_share"], "share"),
        (_("Gini coefficient (output imbalance)"), figures["gini"], "ratio"),
    ]


def compared_figures(a: dict, b: dict) -> list[Figure]:
    pairs = zip(key_figures(a), key_figures(b), strict=True)
    return [Figure(label, value_a, value_b, kind) for (label, value_a, kind), (_, value_b, _k) in pairs]


@dataclass(frozen=True)
class ComparedTier:
    code: str
    name: str
    count_a: int | None
    count_b: int | None
    leading_a: list[str]
    leading_b: list[str]
    rows: list[dict]  # per dimension leading in either: label, effect_a, effect_b, difference


def compared_tiers(a: dict, b: dict) -> list[ComparedTier]:
    """Each tier's leading bottlenecks in both snapshots, with the standardised gap of every
    dimension leading in either, in each, and its change (b − a)."""
    tiers_a = {t["tier"]: t for t in a.get("tiers", [])}
    tiers_b = {t["tier"]: t for t in b.get("tiers", [])}
    compared = []
    for code in TIER_ORDER:
        ta, tb = tiers_a.get(code), tiers_b.get(code)
        if ta is None and tb is None:
            continue
        ranking_a = {row["dimension"]: row for row in (ta or {}).get("ranking", [])}
        ranking_b = {row["dimension"]: row for row in (tb or {}).get("ranking", [])}
        leading_a, leading_b = (ta or {}).get("leading", []), (tb or {}).get("leading", [])
        rows = []
        for dimension in dict.fromkeys([*leading_a, *leading_b]):
            row_a, row_b = ranking_a.get(dimension), ranking_b.get(dimension)
            effect_a = row_a.get("effect") if row_a else None
            effect_b = row_b.get("effect") if row_b else None
            rows.append({"label": dimension_label(row_a or row_b or {"dimension": dimension}),
                         "effect_a": effect_a, "effect_b": effect_b,
                         "difference": comparison.shown_difference(effect_a, effect_b, GAP_PLACES)})
        compared.append(ComparedTier(
            code=code, name=tier_name(code), count_a=(ta or {}).get("count"), count_b=(tb or {}).get("count"),
            leading_a=[dimension_label(ranking_a.get(c, {"dimension": c})) for c in leading_a],
            leading_b=[dimension_label(ranking_b.get(c, {"dimension": c})) for c in leading_b],
            rows=rows))
    return compared


def heading_of(snapshot) -> dict:
    """A snapshot's "unit", "period" and "model" as its figures store them, for a snapshot
    that has none yet (queued, running, failed): what `header_facts` reads."""
    model = snapshot.model
    months = (snapshot.last_month.year - snapshot.first_month.year) * 12 + (
        snapshot.last_month.month - snapshot.first_month.month) + 1
    return {"unit": {"code": snapshot.org_unit.code, "name": snapshot.org_unit.name},
            "period": {"from": f"{snapshot.first_month:%Y-%m}", "to": f"{snapshot.last_month:%Y-%m}",
                       "months": months},
            "model": {"name": model.name if model is not None else "", "version": snapshot.model_version}}


def run_by(user, label: str = "") -> str:
    """Who ran (or cancelled) a diagnosis, as the page, the list, the report and the
    cancellation's message all name him: the person's name (his username when he has none);
    the system actor of a command-line run (no user; its label cli:…) as "命令行" (command
    line), not a login name; one deleted since, the username recorded then (`label`)."""
    if user is not None and not isinstance(user, SystemActor):
        return user.get_full_name() or user.get_username()
    if isinstance(user, SystemActor) or not label or label.startswith("cli:"):
        # Lazy: the report renders it in its own language, not the request's.
        return cast(str, gettext_lazy("command line"))
    return label


def header_facts(heading: dict, *, created_at: datetime | None, snapshot_id: int | None,
                 run_by: str) -> list[tuple[str, str]]:
    """The facts the diagnosis page's heading and the report's title page both give, in this
    order: the unit (name and code), the period and its months, the competency model and its
    version, when it was diagnosed and the snapshot's #id, and who ran it (`run_by`).
    `heading` is the figures' (or `heading_of`)."""
    unit, period, model = heading.get("unit") or {}, heading.get("period") or {}, heading.get("model") or {}
    created = f"{timezone.localtime(created_at):%Y-%m-%d %H:%M}" if created_at else "—"
    facts = [
        (_("Unit"), f"{unit.get('name', '')}（{unit.get('code', '')}）"),
        (_("Period"), _("%(first)s to %(last)s (%(months)s months)") % {
            "first": period.get("from", ""), "last": period.get("to", ""),
            "months": period.get("months", "")}),
    ]
    if model.get("version") is not None:
        facts.append((_("Competency model"), _("%(name)s, version %(v)s") % {
            "name": model.get("name", ""), "v": model["version"]}))
    facts.append((_("Diagnosed on"), f"{created} · #{snapshot_id}" if snapshot_id else created))
    if run_by:
        facts.append((_("Run by"), run_by))
    return facts


def regression_summary(stored: dict | None) -> str:
    """What the regression explains and by what, in plain words, for the page and the report
    alike: the stored outcome is log(1 + output) with HC3 errors (analytics.correlation)."""
    if not stored:
        return ""
    n, r_squared = stored.get("n"), stored.get("r_squared")

    def finite(value) -> bool:
        return isinstance(value, int | float) and math.isfinite(value)

    values = {"n": f"{n:,.0f}" if finite(n) else "—",
              "r2": f"{r_squared:.2f}" if finite(r_squared) else "—"}
    if any(term.get("name") == "tenure" for term in stored.get("terms") or []):
        return _("What is explained: output on a log scale (the logarithm of one plus output), by all the "
                 "dimensions at once and tenure, over the %(n)s managers rated on every dimension kept; "
                 "R² = %(r2)s; standard errors robust to unequal spread.") % values
    return _("What is explained: output on a log scale (the logarithm of one plus output), by all the "
             "dimensions at once, over the %(n)s managers rated on every dimension kept; R² = %(r2)s; "
             "standard errors robust to unequal spread.") % values


def regression_not_fitted(stored: dict | None) -> str:
    """Why there is no regression to read, in plain words, for the page and the report alike;
    "" when it was fitted. analytics.correlation.output_regression fits only with more
    complete rows than parameters (the constant, each dimension kept, tenure) and an output
    that varies; otherwise it stores every figure as null."""
    if not stored:
        return _("Too few managers are rated to fit a regression.")
    if stored.get("r_squared") is not None:
        return ""
    terms = [term.get("name") for term in stored.get("terms") or []]
    n, parameters = int(stored.get("n") or 0), len(terms)
    if n > parameters:  # enough rows: it is the output that does not vary
        return _("All %(n)s managers rated on every dimension kept have the same output: there is nothing "
                 "for a regression to explain, so none was fitted.") % {"n": f"{n:,}"}
    values = {"n": f"{n:,}", "needed": f"{parameters + 1:,}",
              "dimensions": sum(1 for name in terms if name not in ("const", "tenure"))}
    if "tenure" in terms:
        return _("%(n)s managers are rated on every dimension kept, fewer than the %(needed)s needed "
                 "(%(dimensions)s dimensions plus tenure): no regression was fitted.") % values
    return _("%(n)s managers are rated on every dimension kept, fewer than the %(needed)s needed "
             "(%(dimensions)s dimensions): no regression was fitted.") % values


def regression_overlap_note() -> str:
    """Beside a fitted regression, on the page and in the report: its coefficients are not
    each a dimension's own effect."""
    return _("The dimensions overlap: a manager strong on one is often strong on others. So do not read a "
             "single coefficient on its own, even a negative one; read the model as a whole, with the "
             "correlations and the tiers' bottlenecks.")


# The regression's own terms, named alike on the page and in the report.
REGRESSION_TERMS = {"const": gettext_lazy("Intercept"), "tenure": gettext_lazy("Tenure (years)")}


def regression(figures: dict) -> dict | None:
    """The OLS of log(1 + output) on the dimensions and tenure, its terms labelled and
    summed up in plain words (`regression_summary`)."""
    stored = figures.get("regression")
    if not stored:
        return None
    names = {row["dimension"]: row for row in figures.get("correlations", [])}
    def label(name: str) -> str:
        if name in REGRESSION_TERMS:
            return str(REGRESSION_TERMS[name])
        return dimension_label(names.get(name, {"dimension": name}))

    return {**stored, "summary": regression_summary(stored), "not_fitted": regression_not_fitted(stored),
            "overlap": regression_overlap_note(),
            "terms": [dict(term, label=label(term["name"]), p_text=p_text(term["p"]))
                      for term in stored["terms"]],
            "dropped": [dict(item, label=label(item["dimension"])) for item in stored.get("dropped", [])]}


# A member's page: his months and his levels against his tier's and his requirement.

LEVEL_PLACES = 1


@dataclass(frozen=True)
class MemberMonth:
    month: str
    employed: bool
    total: float | None  # None: not employed in the month
    big_deals: float | None
    excluding_big_deals: float | None


@dataclass(frozen=True)
class MemberDimension:
    label: str
    level: float | None
    evidence: int
    tier_mean: float | None
    versus_tier: float | None  # his level − the tier's mean, as shown
    requirement: int | None
    versus_requirement: float | None  # his level − his requirement, as shown
    short: bool  # below his requirement


@dataclass(frozen=True)
class MemberView:
    months: list[MemberMonth]
    period_output: float | None  # mean a month over the months employed, with big deals
    period_output_excluding: float | None
    dimensions: list[MemberDimension]
    charts: dict[str, dict]


def member_view(figures: dict, tier: str, profile) -> MemberView:
    """`profile` (performance.queries.MemberProfile) against the stored figures of his tier."""
    months = profile.months
    total, big, employed = months.total[0], months.big_deals[0], months.employed[0]
    rows = [MemberMonth(f"{month:%Y-%m}", bool(on), float(t) if on else None, float(b) if on else None,
                        float(t - b) if on else None)
            for month, t, b, on in zip(months.months, total, big, employed, strict=True)]
    with_big = output.period_output(months.total, months.employed)[0]
    without_big = output.period_output(months.total - months.big_deals, months.employed)[0]
    stored: dict = next((t for t in figures.get("tiers", []) if t["tier"] == tier), {})
    profile_means = dict(zip((stored.get("profile") or {}).get("dimensions", []),
                             (stored.get("profile") or {}).get("mean", []), strict=True))
    names = {row["dimension"]: row for row in figures.get("correlations", [])}
    dimensions = []
    for code, level, count in zip(profile.codes, profile.levels, profile.evidence_counts, strict=True):
        mean, required = profile_means.get(code), profile.requirements.get(code)
        versus_requirement = comparison.shown_difference(required, level, LEVEL_PLACES)
        dimensions.append(MemberDimension(
            label=dimension_label(names.get(code, {"dimension": code})), level=level, evidence=count,
            tier_mean=mean, versus_tier=comparison.shown_difference(mean, level, LEVEL_PLACES),
            requirement=required, versus_requirement=versus_requirement,
            short=versus_requirement is not None and versus_requirement < 0))
    # A month he was not employed in is no bar (ECharts' "-"), not a bar of 0.
    bars: list = [charts.MISSING if row.excluding_big_deals is None else round(row.excluding_big_deals, 2)
                  for row in rows]
    options = {"member-months-chart": charts.bar_chart([row.month for row in rows], bars,
                                                       series_name=_("Output excluding big deals"))}
    if profile.codes:
        options["member-levels-chart"] = charts.radar_chart(profile.codes, [
            (_("Own level"), profile.levels),
            (_("Tier's mean"), [profile_means.get(code) for code in profile.codes]),
            (_("Requirement"), [profile.requirements.get(code) for code in profile.codes]),
        ], max_value=LEVEL_HIGH)
    return MemberView(rows, _finite(with_big), _finite(without_big), dimensions, options)


def records_changed(view: MemberView, stored_output: float) -> bool:
    """Whether his records were re-imported since the diagnosis: the months the page reads
    today no longer give the period output his tier was cut by (to the cent)."""
    now = view.period_output_excluding
    return now is None or abs(now - stored_output) >= 0.005


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else float(value)
