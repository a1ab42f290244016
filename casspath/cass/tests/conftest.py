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


def small_model_data(family: str = "default") -> dict:
    """A published-ready competency model of three dimensions (D01, D05, D07)."""
    def dimension(code, name, category):
        return {"code": code, "name": name, "name_en": name, "category": category, "description": "",
                "levels": [{"level": n, "indicators": [f"{name} L{n} 的表现"]} for n in range(1, 6)]}
    return {
        "family": family, "name": "小模型", "name_en": "Small", "description": "",
        "levels": [{"level": n, "title": f"L{n}", "title_en": f"L{n}", "description": ""}
                   for n in range(1, 6)],
        "modules": [{"code": "M1", "name": "客户开发", "name_en": "Development", "dimensions": [
            dimension("D01", "目标客户寻找", "skill"), dimension("D05", "需求挖掘", "skill"),
            dimension("D07", "产品知识", "knowledge")]}],
        "requirements": {"stages": {}, "grades": {}},
    }


@pytest.fixture
def cass_model(world):
    """The small model, family "default", published, owned by the province: it applies to both cities."""
    from casspath.competency.actions.loading import do_load_model_data
    from casspath.core.actors import SystemActor

    return do_load_model_data(small_model_data(), org_unit=world.province, acting_user=SystemActor.cli())
