"""A training admin in Chromium, at desktop and phone width: exports the filtered roster from
the employee list, resets one person's password (seen once) and lifts a lock-out."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from casspath.core.models import User
from casspath.testing import PASSWORD, build_world, log_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_it_exports_and_resets_a_password_in_the_browser(transactional_db, live_server, page, phone_page,
                                                         width):
    world = build_world()
    tab = page if width == "desktop" else phone_page
    violations = []
    tab.on("console", lambda msg: violations.append(msg.text)
           if "Content Security Policy" in msg.text else None)
    log_in_page(tab, live_server, world.city_admin_a)
    tab.goto(f"{live_server.url}/org/employees/?unit=GZ-TH-01&q=赵")
    with tab.expect_download() as download:
        tab.click("#export-xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["E0002"]

    tab.goto(f"{live_server.url}/org/employees/E0001/")
    tab.click("#reset-password")
    tab.click("#confirm")
    password = tab.input_value("#new-password")
    assert User.objects.get(username="E0001").check_password(password)
    tab.reload()
    assert tab.locator("#new-password").count() == 0  # shown once
    tab.click("#unlock")
    tab.click("#confirm")
    tab.wait_for_selector(".alert")
    assert violations == []
    assert not User.objects.get(username="E0001").check_password(PASSWORD)
