import pytest
from casspath.performance.actions import do_diagnose
from casspath.performance.diagnosis import parse_period
from casspath.testing import log_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def snaps(transactional_db, world, diagnosable):
    a = do_diagnose(world.city_a, parse_period(world.city_a, "2026-01", "2026-02"), acting_user=world.city_admin_a)
    b = do_diagnose(world.city_a, parse_period(world.city_a, "2026-01", "2026-05"), acting_user=world.city_admin_a)
    return a, b


@pytest.mark.parametrize("which", ["page", "phone_page"])
def test_shots(request, live_server, world, snaps, which):
    page = request.getfixturevalue(which)
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    a, b = snaps
    log_in_page(page, live_server, world.city_admin_a)
    for name, url in [("diag", f"/performance/diagnoses/{b.pk}/"), ("compare", f"/performance/diagnoses/compare/?a={a.pk}&b={b.pk}"),
                      ("tier", f"/performance/diagnoses/{b.pk}/tiers/middle/"), ("member", f"/performance/diagnoses/{b.pk}/members/E0205/")]:
        page.goto(live_server.url + url)
        page.wait_for_timeout(1500)
        print(name, which, page.evaluate("document.documentElement.scrollWidth"))
        page.screenshot(path=f"/tmp/diagui_shots/{name}_{which}.png", full_page=True)
        if name == "diag":
            page.locator('[data-chart="heatmap-chart"]').screenshot(path=f"/tmp/diagui_shots/heat_{which}.png")
    print(problems)
