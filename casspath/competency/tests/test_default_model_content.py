"""The content of the shipped default competency model (data/default_model.json).

Pure data checks, no database: the codes, names and categories are contracts (CONTRACTS.md),
the indicators are what users read, and the requirements feed every diagnosis and plan.
"""

import json
import re
from pathlib import Path

import pytest

from casspath.org.defaults import GRADES, STAGES

PATH = Path(__file__).resolve().parent.parent / "data" / "default_model.json"

# CONTRACTS.md, "The default competency model": module, dimension code, name, category.
CONTRACT = [
    ("M1", "客户开发", [
        ("D01", "目标客户寻找", "skill"),
        ("D02", "客户拜访", "skill"),
        ("D03", "客户关系建立", "skill"),
        ("D04", "行业与客户知识", "knowledge"),
    ]),
    ("M2", "需求与方案", [
        ("D05", "需求挖掘", "skill"),
        ("D06", "方案设计", "skill"),
        ("D07", "产品知识", "knowledge"),
        ("D08", "方案呈现", "skill"),
    ]),
    ("M3", "商务推进", [
        ("D09", "商务谈判", "skill"),
        ("D10", "大项目运作", "skill"),
        ("D11", "竞争应对", "skill"),
        ("D12", "签约与回款", "skill"),
    ]),
    ("M4", "服务与深耕", [
        ("D13", "客户维护", "skill"),
        ("D14", "投诉与危机处理", "skill"),
        ("D15", "客户深耕与交叉销售", "skill"),
    ]),
    ("M5", "协同与素质", [
        ("D16", "流程与系统操作", "knowledge"),
        ("D17", "团队协作与资源整合", "quality"),
        ("D18", "职业素养与学习力", "quality"),
    ]),
]
DIMENSION_CODES = [code for _, _, dims in CONTRACT for code, _, _ in dims]
STAGE_ORDER = ["growth", "development", "maturity"]
GRADE_ORDER = ["junior", "intermediate", "senior", "expert"]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def data() -> dict:
    return json.loads(PATH.read_text(encoding="utf-8"))


def dimensions(data: dict) -> list[dict]:
    return [dim for module in data["modules"] for dim in module["dimensions"]]


def indicators(data: dict) -> list[tuple[str, int, str]]:
    return [(dim["code"], entry["level"], text)
            for dim in dimensions(data) for entry in dim["levels"] for text in entry["indicators"]]


def targets(data: dict) -> list[tuple[str, str, dict]]:
    return [(kind, target, cells)
            for kind, by_target in data["requirements"].items() for target, cells in by_target.items()]


def test_it_is_utf8_json_with_two_space_indent_and_readable_chinese():
    text = PATH.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n"
    assert "\\u" not in text


def test_it_names_the_default_family_and_describes_itself(data):
    assert data["family"] == "default"
    assert data["name"] == "集团客户经理技能模型"
    assert data["name_en"] == "Enterprise account manager competency model"
    assert CJK.search(data["description"]) and len(data["description"]) >= 60


def test_it_has_the_contract_modules_and_dimensions_in_order(data):
    got = [
        (m["code"], m["name"], [(d["code"], d["name"], d["category"]) for d in m["dimensions"]])
        for m in data["modules"]
    ]
    assert got == CONTRACT


def test_it_gives_modules_and_dimensions_english_names_and_descriptions(data):
    for module in data["modules"]:
        assert module["name_en"].strip(), module["code"]
    for dim in dimensions(data):
        assert dim["name_en"].strip(), dim["code"]
        assert CJK.search(dim["description"]) and len(dim["description"]) >= 30, dim["code"]


def test_it_titles_five_levels(data):
    assert [level["level"] for level in data["levels"]] == [1, 2, 3, 4, 5]
    for level in data["levels"]:
        assert CJK.search(level["title"]), level
        assert level["title_en"].strip(), level
        assert CJK.search(level["description"]), level
    assert len({level["title"] for level in data["levels"]}) == 5


def test_it_gives_every_dimension_levels_one_to_five_with_two_to_four_indicators(data):
    for dim in dimensions(data):
        assert [entry["level"] for entry in dim["levels"]] == [1, 2, 3, 4, 5], dim["code"]
        for entry in dim["levels"]:
            assert 2 <= len(entry["indicators"]) <= 4, (dim["code"], entry["level"])
            for text in entry["indicators"]:
                assert isinstance(text, str) and text == text.strip() and text, (dim["code"], entry["level"])


def test_it_writes_indicators_as_single_chinese_lines(data):
    # Indicators are stored one per line, so a line break would split one into two.
    for code, level, text in indicators(data):
        assert "\n" not in text and "\r" not in text, (code, level, text)
        assert len(CJK.findall(text)) >= 10, (code, level, text)
        assert not text.endswith(("。", "；", ";", ".")), (code, level, text)


def test_it_has_about_360_indicators(data):
    assert 340 <= len(indicators(data)) <= 400


def test_it_never_repeats_an_indicator(data):
    seen: dict[str, tuple[str, int]] = {}
    for code, level, text in indicators(data):
        assert text not in seen, f"{code} L{level} repeats {seen.get(text)}: {text}"
        seen[text] = (code, level)


def test_it_has_no_template_sentences(data):
    names = sorted((dim["name"] for dim in dimensions(data)), key=len, reverse=True)
    by_code = {dim["code"]: dim["name"] for dim in dimensions(data)}
    skeletons: dict[str, tuple[str, int]] = {}
    for code, level, text in indicators(data):
        # A template names the dimension it was stamped for; ours describe behaviour instead.
        assert by_code[code] not in text, (code, level, text)
        skeleton = text
        for name in names:
            skeleton = skeleton.replace(name, "<dimension>")
        assert skeleton not in skeletons, f"{code} L{level} and {skeletons.get(skeleton)} share: {skeleton}"
        skeletons[skeleton] = (code, level)


def test_it_gives_every_stage_and_grade_all_dimensions(data):
    assert set(data["requirements"]) == {"stages", "grades"}
    assert list(data["requirements"]["stages"]) == STAGE_ORDER
    assert list(data["requirements"]["grades"]) == GRADE_ORDER
    # The targets are the value lists the database is seeded with.
    assert set(STAGE_ORDER) == {code for code, *_ in STAGES}
    assert set(GRADE_ORDER) == {code for code, *_ in GRADES}
    for kind, target, cells in targets(data):
        assert list(cells) == DIMENSION_CODES, (kind, target)


def test_it_uses_whole_levels_and_weights_that_sum_to_100(data):
    for kind, target, cells in targets(data):
        for code, cell in cells.items():
            level, weight = cell
            assert type(level) is int and 1 <= level <= 5, (kind, target, code, cell)
            assert isinstance(weight, int | float) and not isinstance(weight, bool), (kind, target, code)
            assert 0 < weight <= 100, (kind, target, code, cell)
            assert round(weight, 1) == weight, (kind, target, code, cell)
        assert abs(sum(weight for _, weight in cells.values()) - 100) < 1e-9, (kind, target)


@pytest.mark.parametrize("kind,order", [("stages", STAGE_ORDER), ("grades", GRADE_ORDER)])
def test_it_raises_required_levels_along_stages_and_grades(data, kind, order):
    by_target = data["requirements"][kind]
    for code in DIMENSION_CODES:
        levels = [by_target[target][code][0] for target in order]
        assert levels == sorted(levels), (kind, code, levels)
    means = [sum(level for level, _ in by_target[target].values()) / 18 for target in order]
    assert means == sorted(means) and len(set(means)) == len(means), (kind, means)


def test_it_sets_grade_levels_near_two_three_four_and_four_to_five(data):
    grades = data["requirements"]["grades"]
    bounds = {"junior": (1.5, 2.2), "intermediate": (2.7, 3.2), "senior": (3.6, 4.2), "expert": (4.3, 5.0)}
    for grade, (low, high) in bounds.items():
        mean = sum(level for level, _ in grades[grade].values()) / 18
        assert low <= mean <= high, (grade, mean)


def top(cells: dict, n: int) -> set[str]:
    ranked = sorted(cells, key=lambda code: cells[code][1], reverse=True)
    return set(ranked[:n])


def test_it_weighs_what_each_stage_is_about(data):
    stages = data["requirements"]["stages"]
    # 成长期: the workflow and systems, products, finding and visiting customers.
    assert top(stages["growth"], 4) == {"D16", "D07", "D01", "D02"}
    # 发展期: needs, solutions, relationships and presentation along the sales process.
    assert top(stages["development"], 4) == {"D05", "D06", "D03", "D08"}
    # 成熟期: negotiation, major projects, competition, deepening, team selling.
    maturity = stages["maturity"]
    focus = {"D09", "D10", "D11", "D15", "D17"}
    assert min(maturity[c][1] for c in focus) > max(maturity[c][1] for c in maturity if c not in focus)


def test_it_weighs_the_bottlenecks_found_by_performance_tier(data):
    grades = data["requirements"]["grades"]
    # Low performers are held back by finding targets and building relationships.
    junior = grades["junior"]
    assert min(junior["D01"][1], junior["D03"][1]) > max(junior[c][1] for c in ("D05", "D06", "D09"))
    # Middle performers by needs discovery and solution design.
    assert top(grades["intermediate"], 2) == {"D05", "D06"}
    # Top performers by negotiation.
    for grade in ("senior", "expert"):
        cells = grades[grade]
        assert cells["D09"][1] == max(weight for _, weight in cells.values()), grade
    assert top(grades["senior"], 1) == {"D09"}


def test_it_passes_the_loader_validation_unchanged(data):
    from casspath.competency.schema import validate_model_data

    normalised = validate_model_data(
        data, stage_codes={code for code, *_ in STAGES}, grade_codes={code for code, *_ in GRADES})
    assert normalised == data
