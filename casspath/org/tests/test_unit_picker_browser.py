"""A training admin picks units in Chromium: on the employee form with the keyboard (two teams
named 商客二班 told apart by their district), and on a phone in the employee list's filter,
by tapping. No content-security-policy violation on the way."""

import pytest
from playwright.sync_api import expect

from casspath.org.models import Employee, OrgUnit
from casspath.testing import build_world, log_in_page, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _watch_csp(tab) -> list[str]:
    violations: list[str] = []
    tab.on("console", lambda msg: violations.append(msg.text)
           if "Content Security Policy" in msg.text else None)
    return violations


def test_it_picks_a_unit_with_the_keyboard_and_saves_the_employee(transactional_db, live_server, page):
    world = build_world()
    yuexiu = make_unit("GZ-YX", "越秀区", OrgUnit.Kind.DISTRICT, world.city_a)
    make_unit("GZ-TH-02", "商客二班", OrgUnit.Kind.TEAM, world.district_a)
    make_unit("GZ-YX-02", "商客二班", OrgUnit.Kind.TEAM, yuexiu)
    violations = _watch_csp(page)
    log_in_page(page, live_server, world.city_admin_a)
    page.goto(f"{live_server.url}/org/employees/E0002/edit/")
    box = page.locator("#id_org_unit")
    box.fill("")
    box.press_sequentially("商客", delay=50)
    options = page.locator("#id_org_unit-options [role=option]")
    expect(options).to_have_count(2)  # as the answers to each keystroke arrive
    assert "天河区" in options.nth(0).inner_text() and "越秀区" in options.nth(1).inner_text()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    box.press("Enter")  # chooses; does not submit
    assert box.input_value() == "GZ-YX-02"
    assert page.locator("#id_org_unit-chosen").inner_text() == "越秀区 / 商客二班 · GZ-YX-02"
    assert page.locator("#id_org_unit-options").is_hidden()
    page.click("main button[type=submit]")
    page.wait_for_url("**/org/employees/E0002/")
    assert Employee.objects.get(employee_no="E0002").org_unit.code == "GZ-YX-02"
    assert violations == []


def test_it_filters_the_list_by_a_unit_tapped_on_a_phone(transactional_db, live_server, phone_page):
    world = build_world()
    violations = _watch_csp(phone_page)
    log_in_page(phone_page, live_server, world.province_admin)
    phone_page.goto(f"{live_server.url}/org/employees/")
    phone_page.locator("#f-unit").tap()
    phone_page.locator("#f-unit").press_sequentially("南山", delay=50)
    option = phone_page.locator("#f-unit-options [role=option][data-code='SZ-NS']")
    option.wait_for()
    expect(phone_page.locator("#f-unit-options [role=option]")).to_have_count(1)
    option.tap()
    assert phone_page.input_value("#f-unit") == "SZ-NS"
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    phone_page.click("main form[role=search] button[type=submit]")
    phone_page.wait_for_url("**unit=SZ-NS**")
    assert "深圳员工" in phone_page.inner_text("main table")
    assert "王经理" not in phone_page.inner_text("main table")
    assert violations == []


def test_it_lets_a_city_admin_rename_his_city_under_its_province_outside_his_scope(
        transactional_db, live_server, page):
    world = build_world()
    violations = _watch_csp(page)
    log_in_page(page, live_server, world.city_admin_a)
    page.goto(f"{live_server.url}/org/units/GZ/edit/")
    box = page.get_by_role("combobox", name="上级单位")
    assert box.input_value() == "GD"
    # The current parent is named under the box, and why it stays though it is out of scope.
    chosen = page.locator("#id_parent-chosen")
    assert "广东公司 · GD" in chosen.inner_text() and "不在您的范围内" in chosen.inner_text()
    assert "id_parent-chosen" in (box.get_attribute("aria-describedby") or "")
    page.fill("#id_name", "广州分公司（新）")
    page.click("main button[type=submit]")
    page.wait_for_url("**/org/units/GZ/")
    city = OrgUnit.objects.get(code="GZ")
    assert (city.name, city.parent_id) == ("广州分公司（新）", world.province.pk)
    assert violations == []
