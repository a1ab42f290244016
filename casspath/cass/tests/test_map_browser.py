"""A CASS map in a real browser on a phone (390 px): a consultant adds a key action with its
skills, study modes and checks, moves it up, and the page shows it in its place; nothing is
wider than the phone and no script fails."""

import pytest

from casspath.cass.models import KeyAction
from casspath.testing import log_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WIDEST = ("Math.max(...Array.from(document.querySelectorAll('main *'))"
          ".map(e => e.getBoundingClientRect().right))")


def test_it_adds_and_moves_a_key_action_on_a_phone(phone_page, live_server, world, default_model, city_map):
    page = phone_page
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in_page(page, live_server, world.consultant_a)
    page.goto(f"{live_server.url}/cass/maps/{city_map.pk}/")
    page.click("text=添加关键动作")
    page.fill("#id_code", "A0102")
    page.fill("#id_name", "电话预约")
    page.fill("#id_standard", "约定拜访时间")
    page.fill("#id_skill_code_0", "D02")
    page.select_option("#id_skill_level_0", "3")
    page.check("input[name=study_modes][value=on_the_way]")
    page.check("input[name=checks][value=observation]")
    page.click("main button[type=submit].btn-primary")
    page.wait_for_url(f"**/cass/maps/{city_map.pk}/#ka-A0102")
    card = page.locator("#ka-A0102")
    assert "D02 客户拜访 · L3" in card.inner_text() and "途中学" in card.inner_text()
    assert "主管观察" in card.inner_text()
    card.locator("button[aria-label='上移']").click()
    page.wait_for_url(f"**/cass/maps/{city_map.pk}/#ka-A0102")
    ids = page.evaluate("Array.from(document.querySelectorAll('article.key-action')).map(a => a.id)")
    assert ids == ["ka-A0102", "ka-A0101"]
    assert list(KeyAction.objects.order_by("order").values_list("code", flat=True)) == ["A0102", "A0101"]
    assert page.evaluate(WIDEST) <= 390 + 1
    assert not problems
