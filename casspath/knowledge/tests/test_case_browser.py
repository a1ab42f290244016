"""The case library's review loop in Chromium: a manager writes and submits a case on a phone
(390 × 844), a consultant at a desktop asks for a change with a comment, the manager reads it
and submits again, the consultant publishes, and the manager finds the case under its step
on the process map (reached from the menu) and through the navbar's search box (the index
kept current by the requests' commits, no rebuild). Nothing wider than the phone, no label
or button squeezed to a character a line, no CSP violation."""

import pytest

from casspath.knowledge.demo import build_process_map
from casspath.knowledge.models import ProcessStep
from casspath.testing import build_world, click_menu, log_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


class _Run:
    def __init__(self, acting_user):
        self.acting_user = acting_user

    def progress(self, *args) -> None:
        pass


def _map(world):
    from casspath.cass.actions.maps import do_create_map
    from casspath.competency.actions.loading import do_load_default_model
    from casspath.core.actors import SystemActor

    do_load_default_model(org_unit=world.province, acting_user=SystemActor.cli())
    cass_map = do_create_map(
        org_unit=world.city_a, model_family="default", name="广州 CASS 地图", acting_user=world.consultant_a
    )
    build_process_map(cass_map, _Run(world.consultant_a))  # type: ignore[arg-type]
    return cass_map


def _csp(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    return violations


def _narrow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def _lines(page, selector: str) -> list[int]:
    """How many lines the text of each element matching `selector` takes on the screen."""
    return page.eval_on_selector_all(
        selector,
        """els => els.map(el => {
            const range = document.createRange();
            range.selectNodeContents(el);
            return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
        })""",
    )


def test_it_takes_a_case_from_a_phone_through_review_to_its_process_step(
    transactional_db, live_server, phone_page, page
):
    world = build_world()
    cass_map = _map(world)
    step = ProcessStep.objects.get(cass_map=cass_map, code="PM03-1")
    phone, desk = phone_page, page
    violations = _csp(phone) + _csp(desk)

    log_in_page(phone, live_server, world.manager)
    phone.goto(f"{live_server.url}/knowledge/cases/new/")
    phone.wait_for_url(f"**/knowledge/maps/{cass_map.pk}/cases/new/")
    assert _narrow(phone)
    phone.fill("#id_title", "扫楼扫出一条专线")
    phone.fill("#id_knowledge_point", "新入驻企业是专线的好机会")
    phone.fill("#id_story", "王经理在园区扫楼时发现一家新入驻的企业还没有专线，当天就约到了行政负责人。")
    phone.check(f"input[name=steps][value='{step.pk}']")
    phone.click("button[name=then][value=submit]")
    phone.wait_for_url("**/knowledge/cases/*/")
    assert "in_review" == phone.get_attribute("article.case", "data-status")
    case_url = phone.url
    assert _narrow(phone)

    log_in_page(desk, live_server, world.consultant_a)
    desk.goto(f"{live_server.url}/knowledge/cases/")
    desk.click("#queue >> text=扫楼扫出一条专线")
    desk.fill("#move-comment", "请写出签约的带宽和金额")
    desk.click("button[name=move][value=request_changes]")
    desk.wait_for_selector("article.case[data-status=changes_requested]")

    phone.goto(f"{live_server.url}/knowledge/cases/mine/")
    assert "请写出签约的带宽和金额" in phone.inner_text(".my-case")
    phone.click(".my-case >> text=扫楼扫出一条专线")
    phone.click("text=编辑")
    phone.fill("#id_result", "签下 100M 专线，年收入 3.6 万元")
    phone.click("button[name=then][value=submit]")
    phone.wait_for_selector("article.case[data-status=in_review]")

    desk.goto(case_url)
    desk.click("button[name=move][value=publish]")
    desk.wait_for_selector("article.case[data-status=published]")

    phone.goto(f"{live_server.url}/knowledge/cases/")
    assert "扫楼扫出一条专线" in phone.inner_text(".case-list") and _narrow(phone)

    # From its step on the process map, reached from the menu.
    click_menu(phone, "流程地图", group="maps")
    phone.wait_for_url(f"**/knowledge/maps/{cass_map.pk}/process/")
    summary = phone.locator("#ps-PM03-1 > details > summary")
    assert "1 个案例" in summary.inner_text()
    # The count sits whole on the step's name line, not squeezed into the number's column.
    assert _lines(phone, "#ps-PM03-1 .pm-case-count") == [1]
    name_box, count_box = (
        summary.locator(".pm-step-name").bounding_box(),
        summary.locator(".pm-case-count").bounding_box(),
    )
    assert (
        name_box
        and count_box
        and count_box["x"] > name_box["x"]
        and count_box["y"] < name_box["y"] + name_box["height"]
    )
    summary.click()
    phone.locator("#ps-PM03-1 .pm-cases >> text=扫楼扫出一条专线").click()
    phone.wait_for_url(case_url)
    assert "年收入 3.6 万元" in phone.inner_text("article.case")
    assert _narrow(phone)

    # By search, from the navbar's box (there on the phone without opening the menu): a word
    # of its title, the hit, its page.
    assert phone.locator("#nav-search").is_visible() and not phone.locator("#nav-main").is_visible()
    phone.fill("#nav-search", "扫楼")
    phone.press("#nav-search", "Enter")
    phone.wait_for_url("**/search/?q=*")
    assert phone.input_value("#search-q") == "扫楼" and _narrow(phone)
    assert _lines(phone, "form[role=search] button") == [1]  # 搜索, not 搜/索
    hit = phone.locator(".search-hit", has_text="扫楼扫出一条专线")
    assert "案例" in hit.inner_text()
    hit.locator("a").click()
    phone.wait_for_url(case_url)
    assert "年收入 3.6 万元" in phone.inner_text("article.case")

    # At a desktop's 1280 px the navbar's many entries wrap as whole words.
    desk.goto(f"{live_server.url}/")
    assert set(_lines(desk, ".navbar .nav-link")) == {1}
    assert violations == []
