import copy

from casspath.competency.diff import diff_model_data

from .conftest import SMALL_MODEL


def test_it_finds_nothing_between_equal_models():
    assert diff_model_data(SMALL_MODEL, copy.deepcopy(SMALL_MODEL)).is_empty


def test_it_lists_what_changed():
    new = copy.deepcopy(SMALL_MODEL)
    new["name"] = "新名字"
    new["levels"][0]["title"] = "起步"
    new["modules"][1]["name"] = "素质"
    new["modules"][0]["dimensions"][1]["category"] = "skill"
    new["modules"][0]["dimensions"][0]["levels"][2]["indicators"] = ["寻找客户 L3 第一条", "新增一条"]
    moved = new["modules"][1]["dimensions"].pop()
    new["modules"][0]["dimensions"].append(moved)
    new["modules"].append(
        {
            "code": "M3",
            "name": "新模块",
            "name_en": "",
            "dimensions": [
                {
                    "code": "D09",
                    "name": "新维度",
                    "name_en": "",
                    "category": "skill",
                    "description": "",
                    "levels": [],
                }
            ],
        }
    )
    new["requirements"]["stages"]["growth"]["D01"] = [3, 40.0]
    del new["requirements"]["grades"]["junior"]["D03"]
    diff = diff_model_data(SMALL_MODEL, new)
    assert [(c.where, c.field) for c in diff.model] == [("model", "name")]
    assert [(c.where, c.old, c.new) for c in diff.levels] == [("L1", "入门", "起步")]
    assert [(c.where, c.new) for c in diff.modules_changed] == [("M2", "素质")]
    assert diff.modules_added == ["M3"] and diff.dimensions_added == ["D09"]
    assert {(c.where, c.field) for c in diff.dimensions_changed} == {("D02", "category"), ("D03", "module")}
    assert [(c.dimension, c.level, c.added, c.removed) for c in diff.indicators] == [
        ("D01", 3, ("新增一条",), ("寻找客户 L3 第二条",))
    ]
    assert [(c.target, c.dimension, c.old, c.new) for c in diff.requirements] == [
        ("growth", "D01", (2, 40.0), (3, 40.0)),
        ("junior", "D03", (1, 30.0), None),
    ]
    assert diff.counts()["dimensions_changed"] == 2
