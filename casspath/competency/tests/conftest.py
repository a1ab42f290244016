import copy
from typing import Any

import pytest
from django.test import Client

from casspath.competency.actions.loading import do_load_model_data
from casspath.core.actors import SystemActor

SMALL_MODEL: dict[str, Any] = {
    "family": "small",
    "name": "小模型",
    "name_en": "Small model",
    "description": "测试用的小模型",
    "levels": [
        {"level": 1, "title": "入门", "title_en": "Novice", "description": "在指导下完成"},
        {"level": 2, "title": "熟练", "title_en": "Practitioner", "description": "独立完成常规工作"},
        {"level": 3, "title": "精通", "title_en": "Proficient", "description": "处理复杂情况"},
        {"level": 4, "title": "专家", "title_en": "Expert", "description": "指导他人"},
        {"level": 5, "title": "大师", "title_en": "Master", "description": "制定标准"},
    ],
    "modules": [
        {
            "code": "M1",
            "name": "客户开发",
            "name_en": "Customer development",
            "dimensions": [
                {
                    "code": "D01",
                    "name": "目标客户寻找",
                    "name_en": "Prospecting",
                    "category": "skill",
                    "description": "找到值得拜访的客户",
                    "levels": [
                        {"level": n, "indicators": [f"寻找客户 L{n} 第一条", f"寻找客户 L{n} 第二条"]}
                        for n in range(1, 6)
                    ],
                },
                {
                    "code": "D02",
                    "name": "行业与客户知识",
                    "name_en": "Industry knowledge",
                    "category": "knowledge",
                    "description": "",
                    "levels": [{"level": n, "indicators": [f"行业知识 L{n}"]} for n in range(1, 6)],
                },
            ],
        },
        {
            "code": "M2",
            "name": "协同与素质",
            "name_en": "Collaboration",
            "dimensions": [
                {
                    "code": "D03",
                    "name": "团队协作",
                    "name_en": "Teamwork",
                    "category": "quality",
                    "description": "与同事和支撑部门合作",
                    "levels": [{"level": n, "indicators": [f"团队协作 L{n}"]} for n in range(1, 6)],
                },
            ],
        },
    ],
    "requirements": {
        "stages": {
            "growth": {"D01": [2, 40.0], "D02": [2, 35.0], "D03": [1, 25.0]},
            "development": {"D01": [3, 40.0], "D02": [3, 30.0], "D03": [2, 30.0]},
            "maturity": {"D01": [4, 50.0], "D02": [3, 25.0], "D03": [3, 25.0]},
        },
        "grades": {
            "junior": {"D01": [1, 30.0], "D02": [2, 40.0], "D03": [1, 30.0]},
            "senior": {"D01": [4, 45.5], "D02": [4, 30.0], "D03": [3, 24.5]},
        },
    },
}


@pytest.fixture
def model_data():
    return copy.deepcopy(SMALL_MODEL)


@pytest.fixture
def model(world, model_data):
    """The small model, published, owned by the province (GD)."""
    return do_load_model_data(model_data, org_unit=world.province, acting_user=SystemActor.cli())


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
