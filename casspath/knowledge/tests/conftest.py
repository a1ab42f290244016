import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from casspath.cass.actions.maps import do_create_map, do_save_work_item
from casspath.knowledge.actions.guides import do_add_image, do_create_guide, do_save_step
from casspath.knowledge.tests.courses_world import course, course_product  # noqa: F401 (the course tests' fixtures)
from casspath.knowledge.tests.pocketbook_world import pocket  # noqa: F401 (the pocket book tests' fixtures)


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


@pytest.fixture
def process(world):
    """City A's map (the default model, D01–D18, published by the province) with two work
    items and a process map: phase P1 with steps P1-1 (sub-steps P1-1a, P1-1b) and P1-2,
    phase P2 with step P2-1."""
    from casspath.competency.actions.loading import do_load_default_model
    from casspath.core.actors import SystemActor
    from casspath.knowledge.actions.process import do_save_process_step

    do_load_default_model(org_unit=world.province, acting_user=SystemActor.cli())
    who = world.consultant_a
    cass_map = do_create_map(
        org_unit=world.city_a, model_family="default", name="广州 CASS 地图", acting_user=who
    )
    w01 = do_save_work_item(
        cass_map, {"code": "W01", "name": "目标客户寻找", "importance": 5, "frequency": 4}, acting_user=who
    )
    do_save_work_item(
        cass_map, {"code": "W02", "name": "客户拜访", "importance": 5, "frequency": 5}, acting_user=who
    )

    def add(code, name, parent=None, **values):
        values = {"code": code, "name": name, **values}
        return do_save_process_step(cass_map, values, parent=parent, acting_user=who)

    p1 = add("P1", "寻找目标客户", purpose="找到值得拜访的企业")
    s11 = do_save_process_step(
        cass_map,
        {
            "code": "P1-1",
            "name": "园区扫楼",
            "purpose": "摸清园区内企业的名单与通信现状",
            "techniques": "先从物业拿入驻名单\n按楼层记下未覆盖企业",
            "tools": "园区企业名单模板\n扫楼记录表",
            "dimension_codes": ["D01", "D04"],
        },
        parent=p1,
        work_items=[w01],
        acting_user=who,
    )
    add("P1-1a", "拿到入驻名单", parent=s11)
    add("P1-1b", "逐层登记", parent=s11)
    add("P1-2", "名单分级", parent=p1)
    p2 = add("P2", "客户拜访")
    add("P2-1", "约见关键人", parent=p2)
    cass_map.refresh_from_db()
    return cass_map


@pytest.fixture
def product_map(world):
    """City A's map with industries IND01 政府机关 and IND02 教育, products P01 互联网专线
    (both industries, small and large, two plans, two activation steps) and P03 企业宽带
    (IND02, micro; one step), and solution S01 bundling them for 教育."""
    from casspath.knowledge.actions.products import (
    Comparison,
    Tariff,
    do_save_industry,
    do_save_product_card,
    do_save_solution,
)

    who = world.consultant_a
    cass_map = do_create_map(
        org_unit=world.city_a, model_family="default", name="广州 CASS 地图", acting_user=who
    )
    gov = do_save_industry(cass_map, {"code": "IND01", "name": "政府机关"}, acting_user=who)
    edu = do_save_industry(cass_map, {"code": "IND02", "name": "教育"}, acting_user=who)
    line = do_save_product_card(
        cass_map,
        {
            "code": "P01",
            "name": "互联网专线",
            "category": "网络接入",
            "family": "专线",
            "explanation": "独享的互联网出口。",
            "selling_points": "上下行对称\n固定公网 IP",
            "tariff": "一年起签。",
            "how_it_works": "光纤直达汇聚机房。",
            "promotion": "先找对外有服务的客户。",
            "informatization_level": 2,
            "customer_sizes": ["large", "small"],
            "customer_types": ["government"],
        },
        industries=[gov, edu],
        tariffs=[Tariff("100M", Decimal("2000"), "16 个 IP"), Tariff("500M", None, "双路由")],
        steps=["提交资源预查", "装维上门开通"],
        acting_user=who,
    )
    broadband = do_save_product_card(
        cass_map,
        {
            "code": "P03",
            "name": "企业宽带",
            "category": "网络接入",
            "family": "宽带",
            "customer_sizes": ["micro"],
        },
        industries=[edu],
        tariffs=[Tariff("300M", Decimal("159"), "")],
        steps=["现场查覆盖"],
        acting_user=who,
    )
    do_save_solution(
        cass_map,
        {
            "code": "S01",
            "name": "智慧校园",
            "value_proposition": "一个合同管全校。",
            "competitor": "友商校园套餐",
        },
        industry=edu,
        products=[broadband, line],
        comparisons=[Comparison("网络", "专线对称", "共享宽带")],
        acting_user=who,
    )
    return cass_map
# --- the case library ---------------------------------------------------------------------

CASE_STORY = "王经理在园区扫楼时发现一家新入驻的企业还没有专线，当天就约到了行政负责人。"


@pytest.fixture
def other_manager(world):
    """A second account manager of team A, with his employee record (not the author)."""
    from casspath.org.models import Role
    from casspath.testing import make_employee, make_user

    user = make_user("E0003", role=Role.ACCOUNT_MANAGER, unit=world.team_a, name="钱经理")
    make_employee("E0003", "钱经理", world.team_a, user=user, phone="13700003333")
    return user


@pytest.fixture
def tagged(process):
    """Two industries and two products on the process fixture's map (the product map's rows)."""
    from casspath.knowledge.models import Industry, Product

    gov = Industry.objects.create(cass_map=process, code="IND01", name="政府机关", order=1)
    edu = Industry.objects.create(cass_map=process, code="IND02", name="教育", order=2)
    line = Product.objects.create(cass_map=process, code="P01", name="互联网专线")
    Product.objects.create(cass_map=process, code="P03", name="企业宽带")
    line.industries.add(gov)
    return {"gov": gov, "edu": edu, "line": line}


def write_case(cass_map, user, *, step_code="P1-1", **values):
    """A draft case by `user` on `cass_map`, tagged to the step `step_code`."""
    from casspath.knowledge.actions.cases import do_save_case
    from casspath.knowledge.models import ProcessStep

    steps = [ProcessStep.objects.get(cass_map=cass_map, code=step_code)] if step_code else []
    text = {"title": "扫楼扫出一条专线", "knowledge_point": "新入驻企业是专线的好机会", "story": CASE_STORY}
    return do_save_case(cass_map, {**text, **values}, steps=steps, acting_user=user)


@pytest.fixture
def draft_case(world, process):
    return write_case(process, world.manager, result="签下 100M 专线", dimension_codes=["D01"])


@pytest.fixture
def review_case(world, draft_case):
    from casspath.knowledge.actions.cases import do_submit_case

    return do_submit_case(draft_case, acting_user=world.manager)


@pytest.fixture
def published_case(world, review_case):
    from casspath.knowledge.actions.cases import do_publish_case

    return do_publish_case(review_case, acting_user=world.consultant_a)
