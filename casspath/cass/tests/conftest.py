import pytest

from casspath.cass.actions.maps import do_create_map, do_save_key_action, do_save_work_item
from casspath.cass.actions.resources import do_save_resource


@pytest.fixture
def city_map(world):
    """City A's map with one work item, one key action (D01 L3) and one draft article."""
    cass_map = do_create_map(org_unit=world.city_a, model_family="default", name="广州 CASS 地图",
                             acting_user=world.consultant_a)
    item = do_save_work_item(cass_map, {"code": "W01", "name": "寻找目标客户", "importance": 5,
                                        "frequency": 4}, acting_user=world.consultant_a)
    action = do_save_key_action(item, {"code": "A0101", "order": 1, "name": "梳理园区企业名单",
                                       "standard": "名单覆盖园区 80% 的企业", "study_modes": ["pre_shift"],
                                       "checks": ["post_test"]},
                                skills={"D01": 3}, acting_user=world.consultant_a)
    do_save_resource(cass_map, {"code": "R001", "kind": "article", "title": "园区扫楼三步法",
                                "duration_minutes": 5, "devices": ["phone"], "study_modes": ["pre_shift"]},
                     skills={"D01": 2}, work_items=[item], key_actions=[action],
                     acting_user=world.consultant_a)
    return cass_map


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files under the test's own folder (FileSystemStorage reads MEDIA_ROOT anew)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def video(world, city_map, media_root):
    """A published 3-second WebM (VP9/Opus) micro-video of city A's map, with a poster."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casspath.cass.actions.media import do_upload_resource_files
    from casspath.cass.actions.resources import do_set_resource_status
    from casspath.core.tests import media_files
    from casspath.core.tests.test_filetypes import _png

    resource = do_save_resource(city_map, {"code": "V001", "kind": "micro_video", "title": "专线报价三句话",
                                           "duration_minutes": 1, "devices": ["phone"],
                                           "study_modes": ["on_the_way"]},
                                skills={"D07": 2}, acting_user=world.consultant_a)
    do_upload_resource_files(resource, media=SimpleUploadedFile("clip.webm", media_files.webm(3.0)),
                             poster=SimpleUploadedFile("poster.png", _png()), acting_user=world.consultant_a)
    do_set_resource_status(resource, "published", acting_user=world.consultant_a)
    resource.refresh_from_db()
    return resource
