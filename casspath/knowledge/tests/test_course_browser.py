"""A manager takes a product course on his phone in Chromium: the course reads at phone width,
the check's three questions are answered on the page and marked at once (htmx, no reload), no
CSP violation; a lecturer opens the manual's script and prints its PDF."""

import pytest

from casspath.cass.models import ResourceStatus
from casspath.knowledge.actions.courses import do_set_course_status
from casspath.knowledge.tests.courses_world import make_course, make_product
from casspath.testing import build_world, log_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _csp(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    return violations


def test_it_answers_the_check_on_a_phone_and_the_lecturer_prints_the_manual(
    transactional_db, live_server, phone_page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_FILES_DIR = tmp_path / "private"
    world = build_world()
    course = make_course(world, make_product(world))
    do_set_course_status(course, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)
    page = phone_page
    violations = _csp(page)
    log_in_page(page, live_server, world.manager)
    page.goto(f"{live_server.url}/knowledge/courses/")
    page.click("text=互联网专线产品课程")
    page.wait_for_url(f"**/knowledge/courses/{course.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.check("text=上下行对称、带宽独享")
    page.check("text=签订合同")
    page.evaluate("window.__marker = 'same page'")
    page.click("text=核对答案")
    page.wait_for_selector(".feedback")
    feedback = page.locator(".feedback").all_inner_texts()
    assert (
        feedback[0].startswith("回答正确") and "答案是“资源预查”" in feedback[1] and feedback[2] == "未作答。"
    )
    assert page.evaluate("window.__marker") == "same page"  # marked without a reload
    assert violations == []

    page.context.clear_cookies()
    log_in_page(page, live_server, world.lecturer_a)
    page.goto(f"{live_server.url}/knowledge/courses/{course.pk}/manual/")
    assert "全程共 17 分钟" in page.inner_text("main")
    assert page.locator("td.clock").first.inner_text().startswith("00:00–03:00")
    page.click("text=生成 PDF", timeout=120_000)  # the test queue runs the job within the request
    page.wait_for_selector("text=下载 PDF", timeout=120_000)
    with page.expect_download() as download:
        page.click("text=下载 PDF")
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
    page.screenshot(path=str(tmp_path / "manual.png"), full_page=True)
    assert violations == []
