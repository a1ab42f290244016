"""A manager reads a work guide on his phone in Chromium: the list, one step a screen with
next and previous, the images loaded, no CSP violation; then the PDF is prepared and
downloaded. An editor uploads an image to a step at desktop width."""

import pytest

from casspath.cass.actions.maps import do_create_map, do_save_work_item
from casspath.cass.models import ResourceStatus
from casspath.knowledge.actions.guides import do_add_image, do_create_guide, do_save_step, do_set_guide_status
from casspath.knowledge.models import GuideImage
from casspath.knowledge.tests.conftest import png
from casspath.testing import build_world, log_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _published_guide(world):
    cass_map = do_create_map(
        org_unit=world.city_a, model_family="default", name="广州 CASS 地图", acting_user=world.consultant_a
    )
    item = do_save_work_item(
        cass_map,
        {"code": "W01", "name": "企业宽带报装", "importance": 4, "frequency": 5},
        acting_user=world.consultant_a,
    )
    guide = do_create_guide(item, title="企业宽带报装指引", acting_user=world.consultant_a)
    first = do_save_step(
        guide, {"title": "核实客户资料", "tips": "拍照留存执照原件"}, acting_user=world.consultant_a
    )
    do_add_image(first, png(size=(800, 500)), caption="登记表", acting_user=world.consultant_a)
    do_save_step(
        guide, {"title": "查询覆盖", "mistakes": "没查覆盖就承诺千兆"}, acting_user=world.consultant_a
    )
    do_set_guide_status(guide, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)
    return guide


def _csp(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None
    )
    return violations


def test_it_reads_a_guide_step_by_step_on_a_phone_and_downloads_its_pdf(
    transactional_db, live_server, phone_page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_FILES_DIR = tmp_path / "private"
    world = build_world()
    guide = _published_guide(world)
    page = phone_page
    violations = _csp(page)
    log_in_page(page, live_server, world.manager)
    page.goto(f"{live_server.url}/knowledge/guides/")
    page.click("text=逐步查看")
    page.wait_for_url(f"**/knowledge/guides/{guide.pk}/steps/1/")
    assert page.inner_text("#step-progress") == "第 1/2 步"
    image = page.locator("figure img").first
    image.wait_for()
    # The image is lazy: wait until it has loaded rather than read it mid-download.
    image.evaluate("i => i.complete || new Promise(done => i.addEventListener('load', done, {once: true}))")
    assert image.evaluate("i => i.naturalWidth") == 800
    assert image.evaluate("i => i.getBoundingClientRect().width") > 300  # large on a 390 px screen
    assert "拍照留存执照原件" in page.inner_text("main")
    page.click("a[rel=next]")
    page.wait_for_url(f"**/knowledge/guides/{guide.pk}/steps/2/")
    assert page.inner_text("#step-progress") == "第 2/2 步"
    assert "没查覆盖就承诺千兆" in page.inner_text("main")
    page.click("a[rel=prev]")
    page.wait_for_url(f"**/knowledge/guides/{guide.pk}/steps/1/")
    page.goto(f"{live_server.url}/knowledge/guides/{guide.pk}/")
    page.click("text=生成 PDF", timeout=120_000)  # the test queue runs the job within the request
    page.wait_for_selector("text=下载 PDF", timeout=120_000)
    with page.expect_download() as download:
        page.click("text=下载 PDF")
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
    assert violations == []


def test_it_lets_an_editor_upload_an_image_to_a_step(transactional_db, live_server, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_world()
    guide = _published_guide(world)
    step = guide.steps.get(order=2)
    violations = _csp(page)
    log_in_page(page, live_server, world.consultant_a)
    page.goto(f"{live_server.url}/knowledge/guides/{guide.pk}/edit/")
    page.click("text=查询覆盖")
    page.set_input_files(
        "input[name=image]", files=[{"name": "coverage.png", "mimeType": "image/png", "buffer": png().read()}]
    )
    page.fill("input[name=caption]", "覆盖查询界面")
    page.click("text=上传图片")
    page.wait_for_selector(".alert-success")
    assert GuideImage.objects.filter(step=step, caption="覆盖查询界面").count() == 1
    page.set_input_files(
        "input[name=image]", files=[{"name": "fake.png", "mimeType": "image/png", "buffer": b"not an image"}]
    )
    page.click("text=上传图片")
    page.wait_for_selector(".alert-danger")
    assert "fake.png" in page.inner_text(".alert-danger")
    assert GuideImage.objects.filter(step=step).count() == 1
    assert violations == []
