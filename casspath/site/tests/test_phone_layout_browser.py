"""Pages on a phone (390 px) break text between words only: a Chinese name in the employee
list is not stacked a character a line, an English stage or position in the profile's figure
cards is not cut inside a word, and the audit log's rows stack instead of running off the
screen. Nothing is wider than the phone (static/casspath.css)."""

import pytest

from casspath.org.actions.employees import do_update_employee
from casspath.org.models import OrgUnit
from casspath.testing import PASSWORD, build_world, make_employee, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The texts of the matching elements, each with the number of lines its every word spans
# (a word on two lines was cut inside it). Words: split at blanks; a Chinese name is one word.
WORD_LINES = """selector => Array.from(document.querySelectorAll(selector)).map(element => {
  const text = element.firstChild && element.firstChild.nodeType === 3 ? element.firstChild : null;
  if (!text) return [element.textContent.trim(), 0];
  let most = 0, at = 0;
  for (const word of text.data.split(/(\\s+)/)) {
    if (word.trim()) {
      const range = document.createRange();
      range.setStart(text, at); range.setEnd(text, at + word.length);
      const lines = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
      most = Math.max(most, lines.size);
    }
    at += word.length;
  }
  return [text.data.trim(), most];
})"""


def _log_in(page, live_server, username: str, language: str = "zh-hans") -> None:
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_it_keeps_each_name_of_the_employee_list_on_one_line(transactional_db, live_server, phone_page):
    world = build_world()
    # A team deep enough for a long unit column, its people named the length names have.
    deep = make_unit("GZ-TH-01-A", "政企一班客户经理第二小组", OrgUnit.Kind.TEAM, world.team_a)
    for n, name in enumerate(["欧阳晓明", "陈伟明", "司马相如"]):
        make_employee(f"E09{n:02d}", name, deep, phone=f"1380013{n:04d}")
    _log_in(phone_page, live_server, "gzadmin")
    phone_page.goto(f"{live_server.url}/org/employees/")
    names = phone_page.evaluate(WORD_LINES, "main table tbody td:nth-child(2)")
    assert names and all(lines == 1 for _name, lines in names), names
    _fits_the_phone(phone_page)


def test_it_keeps_the_words_of_an_english_profile_whole(transactional_db, live_server, phone_page):
    build_world()
    _log_in(phone_page, live_server, "E0001", language="en")
    values = phone_page.evaluate(WORD_LINES, ".figure-card .value")
    texts = [text for text, _lines in values]
    assert "Development" in texts and "Account manager" in texts, values
    assert all(lines == 1 for _text, lines in values), values
    _fits_the_phone(phone_page)


def test_it_stacks_the_audit_log_rows_on_a_phone(transactional_db, live_server, phone_page):
    world = build_world()
    do_update_employee(world.manager_employee, {"name": "王大经理"}, acting_user=world.city_admin_a)
    _log_in(phone_page, live_server, "gzadmin")
    phone_page.goto(f"{live_server.url}/org/audit/")
    summary = phone_page.locator("#audit-rows tbody tr").first.locator("td.text-break")
    box = summary.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    _fits_the_phone(phone_page)
