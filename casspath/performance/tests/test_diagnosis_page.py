"""/performance/diagnoses/ID/: a diagnosis's progress while it runs (polled, cancellable),
then its figure cards, charts, findings in the page's language, tables, method notes and
files (each download audited); refused outside the scope and to those who may not see
reports."""

import json
from html import escape
from io import BytesIO

from openpyxl import load_workbook

from casspath.analytics import diagnosis as analytics_diagnosis
from casspath.core import jobs
from casspath.core.actors import SystemActor
from casspath.core.models import AuditEvent
from casspath.performance.actions import do_diagnose, do_queue_diagnosis, do_run_diagnosis
from casspath.performance.audit_verbs import PerformanceVerb
from casspath.performance.diagnosis import parse_period
from casspath.performance.models import DiagnosisSnapshot
from casspath.performance.report import FORMATS
from casspath.testing import log_in

CHARTS = ["histogram-chart", "lorenz-chart", "trend-chart", "heatmap-chart", "correlation-chart"]


def _diagnosis(world, unit=None):
    unit = unit or world.city_a
    return do_diagnose(unit, parse_period(unit, "2026-01", "2026-05"), acting_user=world.city_admin_a)


def _chart(page, chart_id: str) -> dict:
    text = page.content.decode()
    start = text.index(f'<script id="{chart_id}" type="application/json">')
    start = text.index(">", start) + 1
    return json.loads(text[start:text.index("</script>", start)])


def test_it_shows_the_figures_and_embeds_each_chart(client, world, diagnosable):
    snapshot = _diagnosis(world)
    page = log_in(client, world.city_admin_a).get(f"/performance/diagnoses/{snapshot.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    cards = dict((label, value) for label, value, _kind in page.context["cards"])
    assert cards[next(iter(cards))] == 12  # managers counted, first
    for chart_id in CHARTS:
        assert f'data-chart="{chart_id}"' in text
    figures = snapshot.figures
    histogram = _chart(page, "histogram-chart")
    assert histogram["series"][0]["data"] == figures["histogram"]["counts"]
    lorenz = _chart(page, "lorenz-chart")
    assert lorenz["series"][1]["data"] == [[0, 0], [1, 1]]
    trend = _chart(page, "trend-chart")
    assert trend["xAxis"]["data"] == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
    correlation = _chart(page, "correlation-chart")
    rated = [c for c in figures["correlations"] if c["rho"] is not None]
    assert len(correlation["yAxis"]["data"]) == len(rated)
    bars = [item for series in correlation["series"][:2] for item in series["data"] if item != "-"]
    assert len(bars) == len(rated) and all("ρ" in bar["tooltip"]["formatter"] for bar in bars)
    assert any("95% CI [" in bar["tooltip"]["formatter"] for bar in bars)
    assert "vendor/echarts/echarts.min.js" in text
    terms = [term["label"] for term in page.context["regression"]["terms"]]
    assert terms[0] == "截距" and "D01 目标客户寻找" in terms and 'id="regression"' in text


def test_it_labels_the_histogram_by_round_edges_and_says_who_lies_beyond(client, world, diagnosable):
    snapshot = _diagnosis(world)
    page = log_in(client, world.city_admin_a).get(f"/performance/diagnoses/{snapshot.pk}/",
                                                  headers={"accept-language": "zh-hans"})
    histogram = snapshot.figures["histogram"]
    edges = histogram["edges"]
    step = edges[1] - edges[0]
    assert edges[0] == 0 and all(edge % step == 0 for edge in edges)  # multiples of a round step
    assert step in {m * 10 ** k for m in (1, 2, 5) for k in range(-2, 6)}
    labels = _chart(page, "histogram-chart")["xAxis"]["data"]
    assert labels[0] == f"0–{step:,.0f}" and labels[-1] == f"{edges[-2]:,.0f}–{edges[-1]:,.0f}"
    note = page.context["histogram_note"]
    assert f"每根柱 {step:,.0f} 元，画到 {edges[-1]:,.0f} 元" in note
    # Nobody of these twelve lies beyond the top edge: no "0 counted apart".
    assert histogram["above"] == 0 and note.endswith("（第 95 百分位向上取整）。") and "另计" not in note
    assert escape(note) in page.content.decode()



def test_it_says_how_many_lie_beyond_the_histogram_when_some_do(client, world, diagnosable):
    snapshot = _diagnosis(world)
    snapshot.figures["histogram"]["above"] = 3  # as a unit with three big sellers stores it
    snapshot.save(update_fields=["figures"])
    page = log_in(client, world.city_admin_a).get(f"/performance/diagnoses/{snapshot.pk}/",
                                                  headers={"accept-language": "zh-hans"})
    assert "：高于它的 3 人另计，以免少数高产者" in page.context["histogram_note"]



def test_it_heads_the_page_with_the_reports_facts_and_its_plain_regression_words(client, world, diagnosable):
    snapshot = _diagnosis(world)
    log_in(client, world.city_admin_a)
    page = client.get(f"/performance/diagnoses/{snapshot.pk}/", headers={"accept-language": "zh-hans"})
    text = page.content.decode()
    document = client.get(f"/performance/diagnoses/{snapshot.pk}/report.html").content.decode()
    facts = page.context["facts"]
    assert [label for label, _value in facts] == ["单位", "期间", "技能模型", "诊断时间", "执行人"]
    assert ("单位", "广州分公司（GZ）") in facts and ("期间", "2026-01 至 2026-05（5 个月）") in facts
    assert dict(facts)["诊断时间"].endswith(f" · #{snapshot.pk}")
    admin = world.city_admin_a
    assert dict(facts)["执行人"] == (admin.get_full_name() or admin.get_username()) != ""
    for label, value in facts:
        assert f"<dt>{label}</dt><dd>{escape(value)}</dd>" in text, label
        assert f"<dt>{label}</dt><dd>{escape(value)}</dd>" in document, label
    summary = page.context["regression"]["summary"]
    assert summary.startswith("被解释变量：产出取对数（1 加产出后取对数）") and "司龄" in summary
    assert escape(summary) in text and escape(summary) in document
    for formula in ("log(1", "HC3", snapshot.created_by_label):
        assert formula not in text and formula not in document, formula


def test_it_heads_a_running_diagnosis_with_the_same_facts(client, world, diagnosable):
    unit = world.city_a
    period = parse_period(unit, "2026-01", "2026-05")
    snapshot = do_queue_diagnosis(unit, period, acting_user=world.city_admin_a)
    page = log_in(client, world.city_admin_a).get(f"/performance/diagnoses/{snapshot.pk}/",
                                                  headers={"accept-language": "zh-hans"})
    facts = dict(page.context["facts"])
    assert facts["单位"] == "广州分公司（GZ）" and facts["期间"] == "2026-01 至 2026-05（5 个月）"
    assert facts["技能模型"] == f"{diagnosable.name}（第 1 版）"
    assert facts["诊断时间"].endswith(f" · #{snapshot.pk}")


def test_it_gives_the_findings_and_notes_in_the_pages_language(client, world, diagnosable):
    snapshot = _diagnosis(world)
    log_in(client, world.city_admin_a)
    zh = client.get(f"/performance/diagnoses/{snapshot.pk}/", headers={"accept-language": "zh-hans"})
    tiers = {tier["tier"]: tier for tier in snapshot.figures["tiers"]}
    assert tiers["low"]["finding"]["zh"] in zh.content.decode()
    assert snapshot.figures["method_notes"][0]["zh"] in zh.content.decode()
    client.cookies["django_language"] = "en"
    en = client.get(f"/performance/diagnoses/{snapshot.pk}/")
    assert escape(tiers["low"]["finding"]["en"]) in en.content.decode()
    assert escape(snapshot.figures["method_notes"][0]["en"]) in en.content.decode()
    assert f'/performance/diagnoses/{snapshot.pk}/tiers/low/' in en.content.decode()


def test_it_offers_every_report_format_and_audits_each_download(client, world, diagnosable):
    snapshot = _diagnosis(world)
    log_in(client, world.consultant_a)
    page = client.get(f"/performance/diagnoses/{snapshot.pk}/").content.decode()
    for fmt in FORMATS:
        assert f"/performance/diagnoses/{snapshot.pk}/report.{fmt}" in page
    data = client.get(f"/performance/diagnoses/{snapshot.pk}/report.json")
    assert data.status_code == 200 and "attachment" in data["Content-Disposition"]
    assert json.loads(data.content)["headcount"] == 12
    sheet = client.get(f"/performance/diagnoses/{snapshot.pk}/report.xlsx")
    assert load_workbook(BytesIO(sheet.content)).sheetnames[0] == "概览 Summary"
    exports = AuditEvent.objects.filter(verb=PerformanceVerb.EXPORT_DIAGNOSIS, object_id=str(snapshot.pk))
    assert exports.count() == 2
    assert client.get(f"/performance/diagnoses/{snapshot.pk}/report.exe").status_code == 404


def test_it_polls_a_queued_diagnosis_and_reloads_once_it_has_succeeded(client, world, diagnosable):
    snapshot = do_queue_diagnosis(world.city_a, parse_period(world.city_a, "2026-01", "2026-05"),
                                  acting_user=world.city_admin_a)
    log_in(client, world.city_admin_a)
    page = client.get(f"/performance/diagnoses/{snapshot.pk}/")
    text = page.content.decode()
    assert f'hx-get="/performance/diagnoses/{snapshot.pk}/progress/"' in text and "data-chart" not in text
    assert f"/performance/diagnoses/{snapshot.pk}/cancel/" in text
    do_run_diagnosis(snapshot.pk)
    polled = client.get(f"/performance/diagnoses/{snapshot.pk}/progress/", headers={"HX-Request": "true"})
    assert polled.status_code == 200 and polled["HX-Refresh"] == "true"


def test_it_cancels_a_queued_diagnosis(client, world, diagnosable, monkeypatch):
    monkeypatch.setattr(jobs, "on_commit", lambda callback: None)
    log_in(client, world.city_admin_a)
    client.post("/performance/diagnoses/", {"unit": "GZ", "first": "2026-01", "last": "2026-05"})
    snapshot = DiagnosisSnapshot.objects.get()
    done = client.post(f"/performance/diagnoses/{snapshot.pk}/cancel/")
    assert done.status_code == 302
    snapshot.refresh_from_db()
    assert snapshot.was_cancelled and snapshot.figures is None
    # Named as the page names who ran it: the person's name, not his username.
    assert snapshot.error_zh == "已被 广州管理员 取消。" and snapshot.error_en == "Cancelled by 广州管理员."
    assert AuditEvent.objects.filter(verb=PerformanceVerb.CANCEL_DIAGNOSIS).count() == 1
    again = client.post(f"/performance/diagnoses/{snapshot.pk}/cancel/", follow=True)
    assert "cannot be cancelled" in again.content.decode() or "不能取消" in again.content.decode()


def test_it_offers_cancelling_only_to_who_ran_it_or_a_training_admin(client, world, diagnosable, monkeypatch):
    monkeypatch.setattr(jobs, "on_commit", lambda callback: None)
    log_in(client, world.city_admin_a)
    client.post("/performance/diagnoses/", {"unit": "GZ", "first": "2026-01", "last": "2026-05"})
    snapshot = DiagnosisSnapshot.objects.get()
    cancel = f"/performance/diagnoses/{snapshot.pk}/cancel/"
    assert cancel in client.get(f"/performance/diagnoses/{snapshot.pk}/").content.decode()
    log_in(client, world.analyst_a)
    assert cancel not in client.get(f"/performance/diagnoses/{snapshot.pk}/").content.decode()
    assert cancel not in client.get(f"/performance/diagnoses/{snapshot.pk}/progress/").content.decode()
    assert client.post(cancel).status_code == 403
    snapshot.refresh_from_db()
    assert snapshot.status == "queued"


def test_it_refuses_another_citys_admin_a_manager_and_a_lecturer(client, world, diagnosable):
    snapshot = _diagnosis(world)
    urls = [f"/performance/diagnoses/{snapshot.pk}/", f"/performance/diagnoses/{snapshot.pk}/progress/",
            f"/performance/diagnoses/{snapshot.pk}/report.json"]
    log_in(client, world.city_admin_b)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    assert client.post(f"/performance/diagnoses/{snapshot.pk}/cancel/").status_code == 404
    log_in(client, world.team_lead)  # his team's reports only, not the city's
    assert client.get(urls[0]).status_code == 404
    for user in (world.manager, world.lecturer_a):
        log_in(client, user)
        assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    assert not AuditEvent.objects.filter(verb=PerformanceVerb.EXPORT_DIAGNOSIS).exists()


def test_it_shows_a_team_leads_own_team(client, world, diagnosable):
    snapshot = do_diagnose(world.team_a, parse_period(world.team_a, "2026-01", "2026-05"),
                           acting_user=SystemActor.cli())
    page = log_in(client, world.team_lead).get(f"/performance/diagnoses/{snapshot.pk}/")
    assert page.status_code == 200 and page.context["figures"]["headcount"] == 12


def test_it_says_plainly_beside_the_figures_when_too_few_people_are_counted(client, world, diagnosable):
    snapshot = _diagnosis(world)  # 12 managers: tiers of 2, 7 and 3
    log_in(client, world.city_admin_a)
    zh = client.get(f"/performance/diagnoses/{snapshot.pk}/").content.decode()
    assert 'id="small-sample"' in zh and "只计入 12 名客户经理，不足 30 人" in zh
    assert zh.index('id="small-sample"') < zh.index('id="figure-cards"')
    assert zh.count('class="small text-warning-emphasis mb-2 tier-caution"') == 3
    assert "该层只有 3 人，不足 10 人" in zh
    low = next(tier for tier in snapshot.figures["tiers"] if tier["tier"] == "low")
    assert low["leading"] and "可能卡在" in low["finding"]["zh"] and "主要卡在" not in low["finding"]["zh"]
    assert "may be held back" in low["finding"]["en"] and "too few people to be sure" in low["finding"]["en"]
    client.cookies["django_language"] = "en"
    en = client.get(f"/performance/diagnoses/{snapshot.pk}/").content.decode()
    assert "counts 12 managers, fewer than 30" in en and "Only 3 people in this tier, fewer than 10" in en
    assert snapshot.figures["small_sample"] == {"headcount_below": 30, "tier_below": 10, "small_unit": True,
                                                "small_tiers": ["high", "low", "middle"]}


def test_it_words_the_findings_surely_and_cautions_nothing_when_enough_are_counted(
        client, world, diagnosable, monkeypatch):
    enough = analytics_diagnosis.SmallSample(headcount=12, tier=2)
    monkeypatch.setattr(analytics_diagnosis, "SMALL_SAMPLE", enough)
    snapshot = _diagnosis(world)
    text = log_in(client, world.city_admin_a).get(f"/performance/diagnoses/{snapshot.pk}/").content.decode()
    assert 'id="small-sample"' not in text and "tier-caution" not in text
    low = next(tier for tier in snapshot.figures["tiers"] if tier["tier"] == "low")
    assert "主要卡在" in low["finding"]["zh"] and "可能" not in low["finding"]["zh"]


def test_it_prints_a_dimensions_name_in_the_heat_maps_tooltips_as_text_not_markup(client, world, diagnosable):
    # The heat map's tooltips are HTML (ECharts' renderMode "html"): a name typed in the model
    # editor ("<img …>") must arrive there as text, not as an element of every viewer's page.
    diagnosable.dimensions.filter(code="D01").update(name='<img src="x">客户')
    snapshot = _diagnosis(world)
    page = log_in(client, world.city_admin_a).get(f"/performance/diagnoses/{snapshot.pk}/")
    tooltips = [cell["tooltip"]["formatter"] for cell in _chart(page, "heatmap-chart")["series"][0]["data"]
                if isinstance(cell, dict)]
    d01 = [text for text in tooltips if "D01" in text]
    assert d01 and all("<img" not in text and '&lt;img src=&quot;x&quot;&gt;客户' in text for text in d01)


def test_it_says_why_no_regression_was_fitted_in_the_reports_words(client, world, diagnosable):
    snapshot = do_diagnose(world.city_b, parse_period(world.city_b, "2026-01", "2026-01"),
                           acting_user=world.city_admin_b)  # one manager, unrated
    page = log_in(client, world.city_admin_b).get(f"/performance/diagnoses/{snapshot.pk}/").content.decode()
    assert snapshot.figures is not None
    terms = snapshot.figures["regression"]["terms"]
    assert 'id="regression-not-fitted"' in page and "R² = —" not in page
    assert f"只有 1 人，少于所需的 {len(terms) + 1} 人" in page and "未做回归" in page


def test_it_prints_qs_intervals_and_the_gini_as_the_report_does(client, world, diagnosable):
    snapshot = _diagnosis(world)
    figures = snapshot.figures
    assert figures is not None
    first, second = figures["correlations"][:2]
    first |= {"q": 0.0499, "ci_low": -0.0001}  # shown 0.050: not below 0.05, so not marked
    second |= {"q": 0.0004}
    DiagnosisSnapshot.objects.filter(pk=snapshot.pk).update(figures=figures | {"gini": 0.41234})
    page = log_in(client, world.city_admin_a).get(f"/performance/diagnoses/{snapshot.pk}/").content.decode()
    assert "-0.00" not in page and "0.00 – " in page
    assert "0.050</td>" in page and "0.050 *" not in page and "&lt; 0.001 *" in page
    assert "0.412" in page and "0.41<" not in page


def test_it_warns_against_reading_one_regression_coefficient_alone(client, world, diagnosable):
    snapshot = _diagnosis(world)
    page = log_in(client, world.city_admin_a).get(f"/performance/diagnoses/{snapshot.pk}/").content.decode()
    assert 'id="regression-overlap"' in page and "不要单独解读某一个系数" in page
