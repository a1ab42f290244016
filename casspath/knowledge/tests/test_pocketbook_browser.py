"""The pocket book in Chromium, printed by a real background worker (a Huey consumer in
another process: conftest's `consumers`): a training admin at a desktop ticks a guide, two
product cards and a Q&A card, a manager on a phone takes the new-manager preset; each sees his
book waiting for the worker, the page turns into the download by itself once a worker runs
(no reload), and each downloads an A6 PDF with its table of contents and the Chinese font
embedded (pypdf). Nothing wider than the window, no CSP violation."""

import pytest
from django.db import transaction

from casspath.knowledge.models import PocketBook
from casspath.knowledge.tests.pocketbook_world import read_a6
from casspath.testing import log_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

URL = "/knowledge/pocketbooks/"


def _csp(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    return violations


def _width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_it_builds_a_pocket_book_at_a_desktop_and_on_a_phone_and_downloads_each(
    consumers, live_server, page, phone_page, world, pocket, monkeypatch
):
    from casspath.core import jobs

    # The live server's requests commit: a job is sent to the queue when its row is committed,
    # as in production (the conftest's at-once stand-in would send it before the commit).
    monkeypatch.setattr(jobs, "on_commit", transaction.on_commit)
    desk, phone = page, phone_page
    violations = _csp(desk) + _csp(phone)

    log_in_page(desk, live_server, world.city_admin_a)
    desk.goto(f"{live_server.url}{URL}")
    assert pocket.cass_map.name in desk.inner_text("#pocketbook-form")
    desk.fill("input[name=title]", "营业厅 专线/宽带")
    desk.check("#mode-pick")
    desk.click("summary:has-text('工作指引')")
    desk.check("text=W01 首次拜访客户")
    desk.click("summary:has-text('产品卡')")
    desk.check("text=P01 互联网专线")
    desk.check("text=P03 企业宽带")
    desk.click("summary:has-text('问答卡')")
    desk.check("text=专线为什么比宽带贵")
    assert _width(desk) <= 1280
    desk.click("text=生成口袋书")
    desk.wait_for_url(f"**{URL}*/")
    admin_book = PocketBook.objects.get(created_by=world.city_admin_a)
    assert desk.url == f"{live_server.url}{URL}{admin_book.pk}/"

    log_in_page(phone, live_server, world.manager)
    phone.goto(f"{live_server.url}{URL}")
    assert _width(phone) <= 390
    assert phone.locator("#preset").input_value() == "new_manager"  # the preset is the default
    phone.click("text=生成口袋书")
    phone.wait_for_url(f"**{URL}*/")
    manager_book = PocketBook.objects.get(created_by=world.manager)
    assert phone.url == f"{live_server.url}{URL}{manager_book.pk}/"

    # No worker yet: each page shows its book waiting, and polls.
    for tab in (desk, phone):
        assert "正在等待后台任务启动" in tab.inner_text("#pocketbook")
        assert tab.locator("#pocketbook progress").is_visible()
        tab.evaluate("window.__marker = 'same page'")
    assert _width(phone) <= 390

    worker = consumers.start()
    for tab in (desk, phone):
        tab.wait_for_selector("text=下载口袋书（A6 PDF）", timeout=120_000)
        assert tab.evaluate("window.__marker") == "same page"  # it updated by itself
    consumers.wait_until(lambda: PocketBook.objects.filter(status="succeeded").count() == 2, worker)
    assert _width(phone) <= 390

    contents = {}
    for tab, book in ((desk, admin_book), (phone, manager_book)):
        with tab.expect_download() as download:
            tab.click("text=下载口袋书（A6 PDF）")
        assert download.value.suggested_filename.startswith(book.title.replace("/", "-") + "-")
        with open(download.value.path(), "rb") as pdf:
            reader, _text = read_a6(pdf.read())  # A6 pages, every font embedded, Noto Sans CJK
        contents[book] = reader.pages[1].extract_text()  # the table of contents
    for title in ("首次拜访客户", "P01 互联网专线", "P03 企业宽带", "专线为什么比宽带贵"):
        assert title in contents[admin_book], title
    assert "合同签订" not in contents[admin_book]  # only what was ticked
    assert "首次拜访客户" in contents[manager_book] and "合同签订" in contents[manager_book]
    assert "需求挖掘草稿" not in contents[manager_book]  # a draft guide stays out

    # The manager finds his book among his recent ones.
    phone.goto(f"{live_server.url}{URL}")
    assert "新人口袋书" in phone.inner_text(".list-group") and _width(phone) <= 390
    assert violations == []
