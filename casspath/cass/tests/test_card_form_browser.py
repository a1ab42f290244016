"""The Q&A card form in Chromium on a phone: the SMS count under the answer follows typing
(static/cass/sms_count.js, no inline script), and the saved card's page says the same."""

import pytest

from casspath.cass.actions.maps import do_create_map
from casspath.competency.actions.loading import do_load_model_data
from casspath.core.actors import SystemActor
from casspath.testing import build_world, log_in_page

from .conftest import small_model_data

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_it_counts_the_answer_live_and_says_when_it_is_longer_than_one_sms(transactional_db, live_server,
                                                                          phone_page):
    world = build_world()
    do_load_model_data(small_model_data(), org_unit=world.province, acting_user=SystemActor.cli())
    cass_map = do_create_map(org_unit=world.city_a, model_family="default", name="广州 CASS 地图",
                             acting_user=world.consultant_a)
    page = phone_page
    violations = []
    page.on("console", lambda msg: violations.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    log_in_page(page, live_server, world.consultant_a)
    page.goto(f"{live_server.url}/cass/maps/{cass_map.pk}/cards/new/")
    page.fill("#id_answer", "Yes, a free trial.")
    assert "18 / 160 字（纯英文数字）" in page.inner_text("#sms-count")
    page.fill("#id_answer", "好" * 71)
    count = page.locator("#sms-count")
    assert "71" in count.inner_text() and "70" in count.inner_text() and "2" in count.inner_text()
    assert "（含中文）" in count.inner_text()
    assert "text-danger" in (count.get_attribute("class") or "")
    page.fill("#id_code", "QA100")
    page.fill("#id_question", "能先试用吗？")
    page.click("form.form-narrow button[type=submit]")
    page.wait_for_url(f"{live_server.url}/cass/cards/*/")
    assert "超过一条短信" in page.inner_text("main")
    assert violations == []
