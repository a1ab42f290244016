"""A city admin fixes a roster file in a real browser: row errors first, then the employees."""

import pytest

from casspath.org.models import Employee
from casspath.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HEADER = "工号,姓名,手机号,邮箱,单位编码,岗位,入职日期,职级,状态\n"
BAD_ROWS = (
    "E0200,陈一鸣,13800001234,chen@example.com,GZ-TH-01,客户经理,2024-03-01,初级,在职\n"
    "E0201,林小雨,1380000,lin@example.com,GZ-TH-01,客户经理,2023-07-15,中级,在职\n"
    "E0202,黄志强,13800005678,huang@example.com,SZ-NS-01,客户经理,2022-01-10,初级,在职\n"
    "E0203,吴佳琪,13800009999,wu@example.com,GZ-TH-01,客户经理,2099-01-01,初级,在职\n"
)
FIXED_ROWS = (
    "E0200,陈一鸣,13800001234,chen@example.com,GZ-TH-01,客户经理,2024-03-01,初级,在职\n"
    "E0201,林小雨,13800004321,lin@example.com,GZ-TH-01,客户经理,2023-07-15,中级,在职\n"
    "E0202,黄志强,13800005678,huang@example.com,GZ-TH-01,客户经理,2022-01-10,初级,在职\n"
    "E0203,吴佳琪,13800009999,wu@example.com,GZ-TH-01,客户经理,2021-01-01,初级,在职\n"
)


def log_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/")


def upload(page, base_url, path, *, dry_run=True):
    page.goto(f"{base_url}/imports/roster/")
    page.set_input_files("input[name=file]", str(path))
    page.set_checked("#id_dry_run", dry_run)
    page.click("form[enctype='multipart/form-data'] button[type=submit]")
    page.wait_for_url("**/imports/runs/*/")


def test_it_shows_row_errors_then_imports_the_fixed_file(transactional_db, live_server, page, tmp_path):
    build_world()
    log_in(page, live_server.url, "gzadmin")

    bad = tmp_path / "花名册.csv"
    bad.write_text(HEADER + BAD_ROWS, encoding="utf-8-sig")
    upload(page, live_server.url, bad)
    errors = page.locator("#row-errors tbody tr")
    errors.first.wait_for()
    rows = {errors.nth(i).locator("td").first.inner_text() for i in range(errors.count())}
    assert rows == {"3", "4", "5"}  # header is row 1: the phone, the other city, the future date
    table = page.locator("#row-errors").inner_text()
    assert "1380000" in table and "SZ-NS-01" in table and "2099-01-01" in table
    assert page.get_by_text("Nothing was written", exact=False).or_(
        page.get_by_text("没有写入", exact=False)).first.is_visible()
    assert not Employee.objects.filter(employee_no__in=["E0200", "E0201"]).exists()

    fixed = tmp_path / "花名册-已更正.csv"
    fixed.write_text(HEADER + FIXED_ROWS, encoding="utf-8-sig")
    upload(page, live_server.url, fixed)
    page.locator("form[action$='/apply/'] button").click()
    page.wait_for_url("**/imports/runs/*/")
    page.locator("#run-status .text-bg-success").wait_for()

    page.goto(f"{live_server.url}/org/employees/?q=E020")
    listed = page.locator("table tbody").inner_text()
    for name in ("陈一鸣", "林小雨", "黄志强", "吴佳琪"):
        assert name in listed
    assert Employee.objects.filter(employee_no__startswith="E020", org_unit__code="GZ-TH-01").count() == 4
