"""A manager reads the demo's process map in Chromium on a phone (390 px: nothing wider than
the screen, a step opens on a tap, a step's count of cases on one line beside its name, no
CSP violation) and at desktop width (the phases side by side)."""

import pytest

from casspath.knowledge.demo import build_process_map
from casspath.testing import build_world, log_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class _Run:
    """What build_process_map needs of a demo run."""

    def __init__(self, acting_user):
        self.acting_user = acting_user

    def progress(self, *args) -> None:
        pass


def _process_map(world):
    from casspath.cass.actions.maps import do_create_map
    from casspath.competency.actions.loading import do_load_default_model
    from casspath.core.actors import SystemActor

    do_load_default_model(org_unit=world.province, acting_user=SystemActor.cli())
    cass_map = do_create_map(
        org_unit=world.city_a, model_family="default", name="广州 CASS 地图", acting_user=world.consultant_a
    )
    build_process_map(cass_map, _Run(world.consultant_a))  # type: ignore[arg-type]
    return cass_map


def _publish_a_case(world, cass_map, step_code: str) -> None:
    from casspath.knowledge.actions.cases import do_publish_case, do_submit_case
    from casspath.knowledge.tests.conftest import write_case

    case = write_case(cass_map, world.manager, step_code=step_code)
    do_publish_case(do_submit_case(case, acting_user=world.manager), acting_user=world.consultant_a)


def _assert_count_beside_the_name(page, step_code: str) -> None:
    """The badge "1 个案例" is one line, right of the step's number (it was once squeezed into
    the number's column: a tall pill over the step's purpose)."""
    step = page.locator(f"#ps-{step_code} > details > summary")
    number = step.locator(".pm-step-number").bounding_box()
    count = step.locator(".pm-case-count").bounding_box()
    font = step.locator(".pm-case-count").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert number and count
    assert count["x"] >= number["x"] + number["width"]
    assert count["height"] < 2 * font  # one line of text and its padding
    assert step.locator(".pm-case-count").inner_text() == "1 个案例"


def _csp(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    return violations


def test_it_reads_the_process_map_on_a_phone(transactional_db, live_server, phone_page):
    world = build_world()
    cass_map = _process_map(world)
    _publish_a_case(world, cass_map, "PM03-1")
    page = phone_page
    violations = _csp(page)
    log_in_page(page, live_server, world.manager)
    page.goto(f"{live_server.url}/knowledge/process/")
    page.wait_for_url(f"**/knowledge/maps/{cass_map.pk}/process/")
    assert page.locator(".pm-phase").count() == 9
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    _assert_count_beside_the_name(page, "PM03-1")
    step = page.locator("#ps-PM03-1")
    assert not step.locator(".pm-step-body").is_visible()
    step.locator("summary").click()
    assert step.locator(".pm-step-body").is_visible()
    assert "D02 客户拜访" in step.inner_text()
    page.click("[data-pm-toggle]")  # open all: still nothing wider than the phone
    assert page.locator("#ps-PM09-5 .pm-step-body").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert violations == []


def test_it_sets_the_phases_side_by_side_on_a_desktop(transactional_db, live_server, page):
    world = build_world()
    cass_map = _process_map(world)
    _publish_a_case(world, cass_map, "PM03-1")
    log_in_page(page, live_server, world.consultant_a)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/knowledge/maps/{cass_map.pk}/process/")
    _assert_count_beside_the_name(page, "PM03-1")
    first, second = (
        page.locator(".pm-phase").nth(0).bounding_box(),
        page.locator(".pm-phase").nth(1).bounding_box(),
    )
    assert (
        first and second and abs(first["y"] - second["y"]) < 1 and second["x"] > first["x"] + first["width"]
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
