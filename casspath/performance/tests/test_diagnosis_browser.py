"""A diagnosis page in a real browser, on a phone (390 px) and a desktop: every chart drawn
(an ECharts canvas in each), no script error, nothing wider than the phone; and a diagnosis
queued from the unit's page runs and shows its figures."""

import json

import pytest

from casspath.performance.actions import do_diagnose
from casspath.performance.diagnosis import parse_period
from casspath.testing import log_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHARTS = 5
DRAWN = f"document.querySelectorAll('[data-chart][data-rendered] canvas').length === {CHARTS}"
TREND_WIDTH = "document.querySelector('[data-chart=trend-chart] canvas').getBoundingClientRect().width"


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def _wait_until(page, expression: str, seconds: float = 15) -> None:
    """Poll `expression` through page.evaluate. Not wait_for_function: it can evaluate its
    predicate with eval inside the page, which the site's script-src 'self' refuses."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"still false after {seconds} s: {expression}")


def _charts_drawn(page) -> None:
    _wait_until(page, DRAWN)
    sizes = page.evaluate("Array.from(document.querySelectorAll('[data-chart] canvas'))"
                          ".map(c => [c.getBoundingClientRect().width, c.getBoundingClientRect().height])")
    assert len(sizes) == CHARTS and all(w > 100 and h > 100 for w, h in sizes), sizes


@pytest.fixture
def snapshot(transactional_db, world, diagnosable):
    return do_diagnose(world.city_a, parse_period(world.city_a, "2026-01", "2026-05"),
                       acting_user=world.city_admin_a)


def test_it_draws_every_chart_on_a_phone_without_sideways_scrolling(live_server, phone_page, world, snapshot):
    problems = _watch(phone_page)
    log_in_page(phone_page, live_server, world.city_admin_a)
    phone_page.goto(f"{live_server.url}/performance/diagnoses/{snapshot.pk}/")
    _charts_drawn(phone_page)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone_page.locator("#findings .finding").count() == 3
    assert not problems, problems


def test_it_draws_every_chart_on_a_desktop_and_resizes_them(live_server, page, world, snapshot):
    problems = _watch(page)
    log_in_page(page, live_server, world.city_admin_a)
    page.goto(f"{live_server.url}/performance/diagnoses/{snapshot.pk}/")
    _charts_drawn(page)
    wide = page.evaluate(TREND_WIDTH)
    page.set_viewport_size({"width": 800, "height": 900})
    _wait_until(page, f"{TREND_WIDTH} < 800")
    narrow = page.evaluate(TREND_WIDTH)
    assert narrow < wide
    assert not problems, problems


def test_it_runs_a_diagnosis_from_the_units_page_and_shows_it(live_server, page, world, diagnosable,
                                                              transactional_db):
    problems = _watch(page)
    log_in_page(page, live_server, world.city_admin_a)
    page.goto(f"{live_server.url}/performance/diagnoses/?unit=GZ")
    page.fill("#id_first", "2026-01")
    page.fill("#id_last", "2026-05")
    page.click("#diagnosis-form button[type=submit]")
    page.wait_for_url("**/performance/diagnoses/*/")
    _charts_drawn(page)
    assert not problems, problems


def _hover_chart(page, live_server, world, snapshot, chart_id: str) -> tuple[list[str], dict]:
    """The two hover tests' start: the diagnosis page open, its charts drawn, the chart
    `chart_id` scrolled into view. Returns the page's script errors so far (a list that goes
    on collecting) and the chart's bounding box."""
    problems = _watch(page)
    log_in_page(page, live_server, world.city_admin_a)
    page.goto(f"{live_server.url}/performance/diagnoses/{snapshot.pk}/")
    _charts_drawn(page)
    chart = page.locator(f'[data-chart="{chart_id}"]')
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None
    return problems, box


def test_it_shows_a_heat_map_cells_level_to_one_decimal_in_its_tooltip(live_server, page, world, snapshot):
    problems, box = _hover_chart(page, live_server, world, snapshot, "heatmap-chart")
    # The top-left cell: the high tier's D01 (the first row is drawn on top, at the last index).
    x, y = page.evaluate("""() => {
        const el = document.querySelector('[data-chart="heatmap-chart"]');
        const chart = window.echarts.getInstanceByDom(el);
        const rows = chart.getOption().yAxis[0].data.length;
        return chart.convertToPixel({seriesIndex: 0}, [0, rows - 1]);
    }""")
    page.mouse.move(box["x"] + x, box["y"] + y)
    high = next(t for t in snapshot.figures["tiers"] if t["tier"] == "high")["profile"]["mean"][0]
    # ECharts puts its tooltip inside the chart's element.
    shown = json.dumps(f"绩优 · D01 目标客户寻找: {high:.1f}", ensure_ascii=False)
    _wait_until(page, f"document.querySelector('[data-chart=\"heatmap-chart\"]').innerText.includes({shown})")
    assert not problems, problems


def test_it_shows_the_trend_charts_tooltip_without_a_refused_inline_style(live_server, page, world, snapshot):
    problems, box = _hover_chart(page, live_server, world, snapshot, "trend-chart")
    for fraction in (0.3, 0.5, 0.7):  # across the months, each hover redraws the tooltip
        page.mouse.move(box["x"] + box["width"] * fraction, box["y"] + box["height"] / 2)
        page.wait_for_timeout(150)
    shown = page.evaluate("""() => window.echarts.getInstanceByDom(
        document.querySelector('[data-chart="trend-chart"]')).getOption().tooltip[0].renderMode""")
    assert shown == "richText"
    assert not problems, problems


ROW_TEXTS = ("Array.from(document.querySelectorAll('{table} > tbody > tr'))"
             ".map(tr => Array.from(tr.cells).map(td => "
             "(getComputedStyle(td, '::before').content.replace(/^\"|\"$/g, '').replace(/^none$/, '') "
             "+ td.innerText).trim()))")


def test_it_labels_each_value_of_the_lists_on_a_phone(live_server, phone_page, world, snapshot):
    log_in_page(phone_page, live_server, world.city_admin_a)
    phone_page.goto(f"{live_server.url}/performance/diagnoses/{snapshot.pk}/tiers/low/")
    rows = phone_page.evaluate(ROW_TEXTS.format(table="#members"))
    labelled = [(cells[3].split(" ")[0], cells[4].split(" ")[0]) for cells in rows]
    assert labelled and set(labelled) == {("月均产出（元）", "手机号")}, rows
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    phone_page.goto(f"{live_server.url}/performance/diagnoses/?unit=GZ")
    (cells,) = phone_page.evaluate(ROW_TEXTS.format(table="#snapshot-list"))
    labels = [cells[i].split(" ")[0] for i in (1, 3, 4, 5)]
    assert labels == ["单位", "纳入分析的客户经理", "执行人", "创建时间"], cells
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
