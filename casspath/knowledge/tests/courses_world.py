"""Fixtures of the product course tests: city A's map with product P01 and its course, a
full check and a 17-minute manual, in draft (conftest.py imports them)."""

from typing import Any

import pytest

from casspath.cass.actions.maps import do_create_map
from casspath.knowledge.actions.courses import (
    do_create_course,
    do_save_question,
    do_save_segment,
    do_update_course,
    do_update_manual,
)
from casspath.knowledge.models import Product

QUESTIONS = [
    {
        "stem": "互联网专线与企业宽带最大的区别是？",
        "options": "上下行对称、带宽独享\n价格更便宜\n无需施工",
        "answer": "上下行对称、带宽独享",
        "explanation": "专线独享带宽、上下行对称，并有 SLA 保障。",
    },
    {
        "stem": "开通互联网专线前必须先做哪一步？",
        "options": "资源预查\n签订合同\n上门装机",
        "answer": "资源预查",
        "explanation": "先查客户地址有无光纤资源，再报价签约。",
    },
    {
        "stem": "专线客户最看重的保障是？",
        "options": "SLA 服务等级协议\n赠送话费",
        "answer": "SLA 服务等级协议",
        "explanation": "",
    },
]

SEGMENTS: list[dict[str, Any]] = [
    {"minutes": 3, "kind": "say", "title": "开场", "say": "各位早上好，今天我们用十五分钟讲透互联网专线。"},
    {"minutes": 5, "kind": "show", "title": "产品讲解", "say": "专线是独享的。", "show": "专线与宽带对比表"},
    {
        "minutes": 4,
        "kind": "ask",
        "title": "提问",
        "question": "客户说宽带够用，你怎么回应？",
        "expected": "问清业务系统\n讲清独享与 SLA",
    },
    {"minutes": 5, "kind": "activity", "title": "演练", "say": "两人一组，五分钟演练。"},
]


@pytest.fixture
def course_product(world):
    return make_product(world)


@pytest.fixture
def course(world, course_product):
    return make_course(world, course_product)


def make_product(world) -> Product:
    cass_map = do_create_map(
        org_unit=world.city_a, model_family="default", name="广州 CASS 地图", acting_user=world.consultant_a
    )
    return Product.objects.create(cass_map=cass_map, code="P01", name="互联网专线", category="基础通信")


def make_course(world, product: Product):
    """P01's course in draft: its text, three questions and a manual of 3+5+4+5 = 17 minutes."""
    who = world.consultant_a
    made = do_create_course(product, title="互联网专线产品课程", acting_user=who)
    do_update_course(
        made,
        {
            "title": "互联网专线产品课程",
            "definition": "互联网专线是为企业提供的独享带宽、上下行对称的互联网接入。",
            "functions": "固定公网 IP\n对称带宽",
            "selling_points": "带宽独享\nSLA 保障",
            "activation": "资源预查\n签约\n施工开通",
            "marketing": "从客户的业务系统问起",
            "review_material": "资费：100M 每月 2,000 元起。",
        },
        acting_user=who,
    )
    for values in QUESTIONS:
        do_save_question(made, values, acting_user=who)
    do_update_manual(
        made, {"objective": "讲清专线与宽带的区别", "preparation": "对比表\n投影"}, acting_user=who
    )
    for values in SEGMENTS:
        do_save_segment(
            made, {"show": "", "say": "", "question": "", "expected": "", **values}, acting_user=who
        )
    made.refresh_from_db()
    return made
