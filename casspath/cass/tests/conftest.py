import pytest
from django.urls import reverse

from casspath.cass.actions.cards import do_save_qa_card
from casspath.cass.actions.maps import do_create_map, do_save_key_action, do_save_work_item
from casspath.cass.actions.resources import do_save_resource
from casspath.competency.actions.loading import do_load_default_model
from casspath.core.actors import SystemActor
from casspath.org.models import Stage


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
def default_model(world):
    """The default competency model (D01–D18), published for the province."""
    return do_load_default_model(org_unit=world.province, acting_user=SystemActor.cli())


@pytest.fixture
def card_map(world):
    """City A's map with three Q&A cards: QA001 (D07 L2, W01) and QA002 (D05 L1) published,
    QA003 a draft."""
    cass_map = do_create_map(
        org_unit=world.city_a, model_family="default", name="广州 CASS 地图", acting_user=world.consultant_a
    )
    item = do_save_work_item(
        cass_map,
        {"code": "W01", "name": "寻找目标客户", "importance": 5, "frequency": 4},
        acting_user=world.consultant_a,
    )
    do_save_qa_card(
        cass_map,
        {
            "code": "QA001",
            "question": "专线和宽带有什么区别？",
            "answer": "专线独享带宽，有服务等级保障；宽带是共享的。",
            "product_code": "DL-100",
            "tags": ["专线"],
            "status": "published",
        },
        dimension=("D07", 2),
        work_items=[item],
        acting_user=world.consultant_a,
    )
    do_save_qa_card(
        cass_map,
        {
            "code": "QA002",
            "question": "物联网卡能停机保号吗？",
            "answer": "可以，按月收保号费。",
            "tags": ["物联网"],
            "status": "published",
        },
        dimension=("D05", 1),
        acting_user=world.consultant_a,
    )
    do_save_qa_card(
        cass_map,
        {
            "code": "QA003",
            "question": "云主机能先试用吗？",
            "answer": "可以免费试用 30 天。",
            "status": "draft",
        },
        acting_user=world.consultant_a,
    )
    return cass_map


def build_map(world, items: int, *, unit=None, by=None, name="广州 CASS 地图"):
    """A map of `items` work items (W01…, importance and frequency varied), each with two
    key actions needing D01 L3 and D05 L2, by the city's consultant."""
    by = by or world.consultant_a
    cass_map = do_create_map(org_unit=unit or world.city_a, model_family="default", name=name, acting_user=by)
    stages = list(Stage.objects.order_by("min_years")[:1])
    for n in range(1, items + 1):
        item = do_save_work_item(cass_map, {"code": f"W{n:02d}", "name": f"工作{n}", "importance": 1 + n % 5,
                                            "frequency": 1 + (n * 3) % 5}, stages=stages,
                                 acting_user=by)
        for k in (1, 2):
            do_save_key_action(item, {"code": f"A{n:02d}{k}", "name": f"动作{n}-{k}", "standard": "标准",
                                      "study_modes": ["pre_shift", "team"], "checks": ["post_test"]},
                               skills={"D01": 3, "D05": 2}, acting_user=by)
    return cass_map


def map_page(client, cass_map):
    return client.get(reverse("cass:map_detail", args=[cass_map.pk]))


# The learning map's world ---------------------------------------------------------------


@pytest.fixture
def small_model(world):
    """The competency tests' small model (family "small": D01–D03, requirements per stage and
    grade), published by the province."""
    import copy

    from casspath.competency.actions.loading import do_load_model_data
    from casspath.competency.tests.conftest import SMALL_MODEL
    from casspath.core.actors import SystemActor

    return do_load_model_data(copy.deepcopy(SMALL_MODEL), org_unit=world.province,
                              acting_user=SystemActor.cli())


def publish(resource, who):
    from casspath.cass.actions.resources import do_set_resource_status

    return do_set_resource_status(resource, "published", acting_user=who)


@pytest.fixture
def lmap(world, small_model):
    """City A's map of the small model: three work items (W01 for every stage, W02 for the
    growth stage only, W03 for maturity), their actions' skills, and resources: published at
    levels 1–3 for D01, one draft and one retired for D01, one published for D02."""
    from casspath.org.models import Stage

    who = world.consultant_a
    cass_map = do_create_map(org_unit=world.city_a, model_family="small", name="广州学习地图",
                             acting_user=who)
    growth, maturity = Stage.objects.get(code="growth"), Stage.objects.get(code="maturity")
    w1 = do_save_work_item(cass_map, {"code": "W01", "name": "寻找目标客户", "importance": 3, "frequency": 3},
                           acting_user=who)
    w2 = do_save_work_item(cass_map, {"code": "W02", "name": "首次拜访", "importance": 5, "frequency": 5},
                           stages=[growth], acting_user=who)
    w3 = do_save_work_item(cass_map, {"code": "W03", "name": "深耕大客户", "importance": 4, "frequency": 4},
                           stages=[maturity], acting_user=who)
    actions = {}
    for item, code, order, skills in [(w1, "A0102", 2, {"D01": 2}), (w1, "A0101", 1, {"D01": 3, "D02": 2}),
                                      (w2, "A0201", 1, {"D01": 2}), (w3, "A0301", 1, {"D01": 4, "D03": 3})]:
        actions[code] = do_save_key_action(item, {"code": code, "order": order, "name": f"动作{code}",
                                                  "standard": "按标准完成"}, skills=skills, acting_user=who)
    resources = {}
    for code, kind, level, dim, status in [
        ("R-D01-3", "article", 3, "D01", "published"), ("R-D01-1b", "case", 1, "D01", "published"),
        ("R-D01-1a", "qa_card", 1, "D01", "published"), ("R-D01-2", "quiz", 2, "D01", "published"),
        ("R-DRAFT", "article", 1, "D01", "draft"), ("R-RETIRED", "article", 1, "D01", "retired"),
        ("R-D02-2", "article", 2, "D02", "published"),
    ]:
        resource = do_save_resource(cass_map, {"code": code, "kind": kind, "title": f"资源{code}",
                                               "duration_minutes": 5, "devices": ["phone", "pc"],
                                               "study_modes": ["pre_shift", "on_the_way"]},
                                    skills={dim: level}, acting_user=who)
        if status != "draft":
            publish(resource, who)
        if status == "retired":
            from casspath.cass.actions.resources import do_set_resource_status

            do_set_resource_status(resource, "retired", acting_user=who)
        resources[code] = resource
    cass_map.refresh_from_db()
    return cass_map


def grow_lmap(lmap, who, n: int = 15) -> None:
    """Grow the learning map's world by `n` work items (for every stage), each with an action
    needing D01 L2 and D02 L3, and `n` published articles teaching D01 (新资源0…): a page that
    reads a fixed number of queries reads as many after."""
    from casspath.cass.actions.resources import do_set_resource_status

    for k in range(n):
        item = do_save_work_item(lmap, {"code": f"X{k:02d}", "name": f"工作{k}", "importance": 1 + k % 5,
                                        "frequency": 3}, acting_user=who)
        do_save_key_action(item, {"code": f"XA{k:02d}", "name": "动作", "standard": "标准"},
                           skills={"D01": 2, "D02": 3}, acting_user=who)
        resource = do_save_resource(lmap, {"code": f"XR{k:02d}", "kind": "article", "title": f"新资源{k}",
                                           "duration_minutes": 3}, skills={"D01": 1 + k % 5}, acting_user=who)
        do_set_resource_status(resource, "published", acting_user=who)


# The imports' and cards' world -----------------------------------------------------------


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
