import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from casspath.cass.actions.maps import do_create_map, do_save_work_item
from casspath.knowledge.actions.guides import do_add_image, do_create_guide, do_save_step


@pytest.fixture(autouse=True)
def _files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_FILES_DIR = tmp_path / "private"


def png(name: str = "shot.png", size=(64, 40), color=(30, 90, 160)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def guide(world):
    """City A's map, a work item and its draft guide of two steps, the first with an image."""
    cass_map = do_create_map(
        org_unit=world.city_a, model_family="default", name="广州 CASS 地图", acting_user=world.consultant_a
    )
    item = do_save_work_item(
        cass_map,
        {"code": "W01", "name": "集团专线开通申请", "importance": 5, "frequency": 4},
        acting_user=world.consultant_a,
    )
    made = do_create_guide(
        item,
        title="集团专线开通申请指引",
        intro="从资源预查到工单提交的六个步骤。",
        acting_user=world.consultant_a,
    )
    first = do_save_step(
        made,
        {
            "title": "资源预查",
            "text": "在 CRM 系统中查询客户地址的光纤资源。",
            "tips": "先确认客户的详细地址\n记下资源编号",
            "mistakes": "地址写到门牌号",
        },
        acting_user=world.consultant_a,
    )
    do_save_step(
        made,
        {"title": "填写开通申请单", "text": "按客户营业执照填写单位名称。"},
        acting_user=world.consultant_a,
    )
    do_add_image(first, png(), caption="资源预查界面", acting_user=world.consultant_a)
    made.refresh_from_db()
    return made
