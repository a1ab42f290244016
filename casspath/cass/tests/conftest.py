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
