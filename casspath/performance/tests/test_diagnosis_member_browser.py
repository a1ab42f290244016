"""A member's diagnosis in a real browser, on a phone (390 px) and a desktop (1280 px): both
charts drawn, no script error, nothing wider than the screen; reached from the tier's page."""

import pytest

from casspath.performance.actions import do_diagnose
from casspath.performance.diagnosis import parse_period
from casspath.performance.models import DiagnosisMember
from casspath.testing import log_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DRAWN = "document.querySelectorAll('[data-chart][data-rendered] canvas').length === 2"


@pytest.fixture
def snapshot(transactional_db, world, diagnosable):
    return do_diagnose(world.city_a, parse_period(world.city_a, "2026-01", "2026-05"),
                       acting_user=world.city_admin_a)


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


@pytest.mark.parametrize("screen", ["phone_page", "page"])
def test_it_is_reached_from_the_tier_and_draws_both_charts_within_the_screen(
        request, live_server, world, snapshot, screen):
    page = request.getfixturevalue(screen)
    width = page.viewport_size["width"]
    problems = _watch(page)
    log_in_page(page, live_server, world.city_admin_a)
    tier = DiagnosisMember.objects.get(snapshot=snapshot, employee__employee_no="E0205").tier
    page.goto(f"{live_server.url}/performance/diagnoses/{snapshot.pk}/tiers/{tier}/")
    page.get_by_role("link", name="E0205").click()
    page.wait_for_url(f"**/performance/diagnoses/{snapshot.pk}/members/E0205/")
    page.wait_for_function(DRAWN)
    sizes = page.evaluate("Array.from(document.querySelectorAll('[data-chart] canvas'))"
                          ".map(c => [c.getBoundingClientRect().width, c.getBoundingClientRect().height])")
    assert all(w > 200 and h > 200 for w, h in sizes), sizes
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("#member-levels tbody tr").count() == 18
    assert not problems, problems
