"""The audit page as a training admin would use it in Chromium, at desktop and phone widths:
from the menu, filter by action, export."""

import pytest

from casspath.org.actions.employees import do_update_employee
from casspath.testing import build_world, click_menu, log_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("device", ["page", "phone_page"])
def test_it_finds_an_edit_in_the_audit_log_from_the_menu(transactional_db, live_server, request, device):
    page = request.getfixturevalue(device)
    world = build_world()
    do_update_employee(world.colleague, {"name": "赵同事改"}, acting_user=world.city_admin_a)
    do_update_employee(world.city_b_employee, {"name": "深圳改名"}, acting_user=world.city_admin_b)
    log_in_page(page, live_server, world.city_admin_a)
    click_menu(page, "审计日志", group="org")
    page.wait_for_selector("#audit-rows")
    if device == "phone_page":
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.select_option("#f-verb", "employee.update")  # chosen by its label, 修改员工
    page.click("main form[role=search] button[type=submit]")
    page.wait_for_url("**verb=employee.update**")
    rows = page.inner_text("#audit-rows")
    assert "赵同事改" in rows and "深圳改名" not in rows
    with page.expect_download() as download:
        page.click("text=导出 CSV")
    content = open(download.value.path(), encoding="utf-8-sig").read()
    assert "赵同事改" in content and "深圳改名" not in content
