"""`casspath diagnose --out FILE.html | FILE.pdf`: the report a consultant hands to a client,
in Chinese: one self-contained HTML file (no external reference, charts inside) and the same
document as a PDF whose Chinese text can be read back."""

import base64
import io
import re

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from casspath.performance.models import DiagnosisSnapshot
from casspath.performance.report import About, render

# A reference out of the file: a src or href, or a CSS url(), to another host; a script; a link.
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?:https?:)?//"""
                      r"|<script|<link", re.IGNORECASE)
CHARTS = re.compile(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"')


def _diagnose(tmp_path, name, *args):
    path = tmp_path / name
    call_command("diagnose", *args, "--out", str(path), stdout=io.StringIO())
    return path, DiagnosisSnapshot.objects.latest("pk")


def _flat(text: str) -> str:
    """Without the white space that line breaks put in extracted text."""
    return "".join(text.split())


def test_it_writes_the_clients_report_as_one_self_contained_html_file(world, diagnosable, tmp_path):
    path, snapshot = _diagnose(tmp_path, "d.html", "--from", "2026-01", "--to", "2026-05", "--org", "GZ")
    page = path.read_text(encoding="utf-8")
    assert not EXTERNAL.search(page), EXTERNAL.search(page)
    assert '<html lang="zh-Hans">' in page and "绩效诊断报告" in page
    for words in ("广州分公司（GZ）", "2026-01", "2026-05", "集团客户经理技能模型（第 1 版）",
                  f"#{snapshot.pk}", "关键指标", "方法说明", "回归分析", "产出取对数"):
        assert words in page, words
    # Words a client cannot read: the model's code, the command line's actor, a formula.
    for internal in ("default v1", snapshot.created_by_label, "cli:", "log(1", "HC3", "低于 0"):
        assert internal not in page, internal
    assert "<dt>执行人</dt><dd>命令行</dd>" in page  # the command line, named as the pages name it
    figures = snapshot.figures
    for tier in figures["tiers"]:
        assert tier["finding"]["zh"] in page
    for note in figures["method_notes"]:
        assert note["zh"] in page
    assert ">12<" in page  # the headcount, among the key figures
    edges = figures["histogram"]["edges"]
    assert f"画到 {edges[-1]:,.0f} 元（第 95 百分位向上取整）" in page  # the page's words (display.py)
    assert "目标客户寻找" in page and "0.97" in page  # D01's rho in the correlation table
    charts = [base64.b64decode(chart).decode("utf-8") for chart in CHARTS.findall(page)]
    assert len(charts) == 5  # histogram, Lorenz curve, trend, heat map, correlations
    assert all(chart.startswith("<svg") and not EXTERNAL.search(chart) for chart in charts)


def test_it_writes_the_report_as_a_pdf_whose_chinese_can_be_read(world, diagnosable, tmp_path):
    path, snapshot = _diagnose(tmp_path, "d.pdf", "--from", "2026-01", "--to", "2026-05", "--org", "GZ")
    reader = PdfReader(path)
    assert len(reader.pages) >= 4
    text = _flat("".join(page.extract_text() for page in reader.pages))
    for words in ("绩效诊断报告", "广州分公司", "关键指标", "洛伦兹曲线", "方法说明"):
        assert words in text, words
    low = next(tier for tier in snapshot.figures["tiers"] if tier["tier"] == "low")
    assert _flat(low["finding"]["zh"]) in text


@pytest.mark.parametrize("name", ["d.html", "d.pdf"])
def test_it_reports_a_unit_too_small_to_tier_or_fit(world, diagnosable, tmp_path, name):
    """深圳: one manager, unrated, one month: empty tiers, no correlation, a regression of one."""
    path, snapshot = _diagnose(tmp_path, name, "--from", "2026-01", "--to", "2026-01", "--org", "SZ")
    figures = snapshot.figures
    assert figures["headcount"] == 1 and figures["regression"]["r_squared"] is None
    assert all(c["rho"] is None for c in figures["correlations"])
    empty = next(tier for tier in figures["tiers"] if tier["count"] == 0)
    if name.endswith(".html"):
        text = path.read_text(encoding="utf-8")
    else:
        text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "深圳分公司" in text and _flat(empty["finding"]["zh"]) in _flat(text) and "—" in text


def test_it_renders_figures_without_a_regression_or_people(world, diagnosable, tmp_path):
    """What a snapshot may hold and the command line cannot make: no regression, no one counted."""
    _path, snapshot = _diagnose(tmp_path, "d.json", "--from", "2026-01", "--to", "2026-01", "--org", "SZ")
    figures = snapshot.figures | {"regression": None, "headcount": 0, "gini": None,
                                  "histogram": {"edges": [], "counts": [], "below": 0, "above": 0},
                                  "lorenz": {"people": [], "output": []},
                                  "trend": {"months": ["2026-01"], "headcount": [0], "per_head": [None],
                                            "per_head_excluding_big_deals": [None]}}
    page = render(figures, "html", About()).decode("utf-8")
    assert "评价人数太少，无法拟合回归" in page and "没有可绘制的数据" in page


def test_it_shows_a_dimension_name_with_dollar_signs_as_typed(world, diagnosable, tmp_path):
    """matplotlib reads $…$ as a formula and refused this one: the report failed with a 500."""
    diagnosable.dimensions.filter(code="D01").update(name=r"x$\foo$ 目标")
    path, _snapshot = _diagnose(tmp_path, "d.html", "--from", "2026-01", "--to", "2026-05", "--org", "GZ")
    charts = [base64.b64decode(chart).decode("utf-8") for chart in CHARTS.findall(path.read_text("utf-8"))]
    assert len(charts) == 5


def test_it_cautions_in_the_report_in_the_pages_words_when_too_few_are_counted(world, diagnosable, tmp_path):
    path, _snapshot = _diagnose(tmp_path, "d.html", "--from", "2026-01", "--to", "2026-05", "--org", "GZ")
    page = path.read_text(encoding="utf-8")  # 12 managers: tiers of 2, 7 and 3
    assert 'id="small-sample"' in page and "只计入 12 名客户经理，不足 30 人" in page
    assert page.index('id="small-sample"') < page.index("关键指标</h2>")
    assert page.count('class="note tier-caution"') == 3 and "该层只有 3 人，不足 10 人" in page
    english = render(_snapshot.figures, "html", About(), language="en").decode("utf-8")
    assert "counts 12 managers, fewer than 30" in english


def test_it_says_why_no_regression_was_fitted(world, diagnosable, tmp_path):
    """深圳: one manager, whom no dimension rates: one row for the constant and tenure."""
    path, snapshot = _diagnose(tmp_path, "d.html", "--from", "2026-01", "--to", "2026-01", "--org", "SZ")
    page = path.read_text(encoding="utf-8")
    assert 'id="regression-not-fitted"' in page and "R² = —" not in page
    terms = [term["name"] for term in snapshot.figures["regression"]["terms"]]
    dimensions = len(terms) - 2  # the constant and tenure
    assert f"只有 1 人，少于所需的 {len(terms) + 1} 人（{dimensions} 个维度加司龄），未做回归" in page
    english = render(snapshot.figures, "html", About(), language="en").decode("utf-8")
    assert f"fewer than the {len(terms) + 1} needed ({dimensions} dimensions plus tenure)" in english


def _doctored(figures: dict) -> dict:
    """Values on the edges of how they are printed: a q of 0.0499 (shown 0.050, so unmarked),
    one below 0.001, an interval's end and a mean that round to zero from below."""
    first, second = figures["correlations"][:2]
    first |= {"q": 0.0499, "ci_low": -0.0001, "p": 0.0002}
    second |= {"q": 0.0004}
    low = next(tier for tier in figures["tiers"] if tier["tier"] == "low")
    low["ranking"][0] |= {"mean_gap": -0.001, "ci_low": -0.004}
    return figures | {"gini": 0.41234}


def test_it_prints_numbers_as_the_page_does(world, diagnosable, tmp_path):
    _path, snapshot = _diagnose(tmp_path, "d.json", "--from", "2026-01", "--to", "2026-05", "--org", "GZ")
    figures = _doctored(snapshot.figures)
    page = render(figures, "html", About()).decode("utf-8")
    assert "-0.00" not in page and "[0.00, " in page
    table = page[page.index(">Pearson r</th>"):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<tr( class=\"sure\")?><td>(D\d+)[^<]*</td>(.*?)</tr>", table)
    shown = {code: (bool(sure), cells) for sure, code, cells in rows}
    first, second = (row["dimension"] for row in figures["correlations"][:2])
    assert not shown[first][0] and ">0.050<" in shown[first][1]
    assert shown[second][0] and "&lt; 0.001" in shown[second][1]
    assert ">0.412<" in page  # the Gini to the page card's three decimals


def test_it_opens_with_the_tiers_findings_and_warns_against_reading_one_coefficient(world, diagnosable,
                                                                                   tmp_path):
    path, snapshot = _diagnose(tmp_path, "d.html", "--from", "2026-01", "--to", "2026-05", "--org", "GZ")
    page = path.read_text(encoding="utf-8")
    summary = page[page.index('<ul id="summary">'):]
    summary = summary[:summary.index("</ul>")]
    assert page.index('<ul id="summary">') < page.index("关键指标</h2>")
    for tier in snapshot.figures["tiers"]:
        assert tier["finding"]["zh"] in summary
    assert summary.count("<li>") == 3
    assert 'id="regression-overlap"' in page and "不要单独解读某一个系数（即使它是负数）" in page
