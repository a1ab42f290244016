"""`casspath import products FILE` and `casspath export products FILE`: a CASS map's product
map as one workbook (found by the import registry on first use).

Sheets (row 1 headers; Chinese, English or a synonym), codes the natural keys:
  行业      行业编码, 行业名称
  产品      产品编码, 产品名称, 类别, 系列, 说明, 卖点 (one a line), 资费说明, 实现原理,
            推广策略, 信息化程度 (基础/进阶/深度 or 1–3), 适用行业 (codes or names, ；-separated),
            客户规模 (小微/中小/大型), 客户类型 (政府机关/事业单位/企业/个体工商户), 状态 (在售/停售)
  资费      产品编码, 套餐, 月费(元) (blank or 面议: quoted), 包含内容
  开通流程  产品编码, 序号, 操作说明
  方案      方案编码, 方案名称, 行业, 产品 (codes in the bundle's order), 价值主张, 竞品捆绑, 状态
  方案对比  方案编码, 对比项, 我方, 友商
The 资费, 开通流程 and 方案对比 sheets give the complete plans, steps and rows of each product or
solution they name (in the sheet's order; 开通流程 by 序号); products and solutions they do not
name keep theirs. Objects absent from the file stay as they are. Texts are compared trimmed,
lists as written, so re-importing an export changes nothing.

Which map: the options `unit` (the owner unit's code; default the actor's one scope root)
and `family` (needed only when the unit owns maps of several competency models). The map must
exist (the CASS import or the CASS pages create it). Writes go through the product map's
actions (actions/products.py), one transaction, with the import's own audit row beside theirs.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, BinaryIO

from django.utils.translation import gettext_lazy as _
from openpyxl.styles import Font

from casspath.cass.importers.common import MAP_OPTIONS, SheetRows, owner_unit, split_list
from casspath.cass.models import CassMap
from casspath.core import audit
from casspath.core.spreadsheets import append_row, new_workbook, xlsx_bytes
from casspath.core.validators import InvalidValue
from casspath.core.validators import code as normal_code
from casspath.core.validators import text as normal_text
from casspath.imports.columns import Column
from casspath.imports.errors import ImportFileError, ImportWarning, Invalid, RowError
from casspath.imports.framework import Importer, RunContext
from casspath.imports.reader import read_sheets
from casspath.imports.registry import register
from casspath.imports.report import Change, ImportReport
from casspath.knowledge import queries
from casspath.knowledge.actions.products import (
    Comparison,
    Tariff,
    do_save_industry,
    do_save_product_card,
    do_save_solution,
    parse_price,
)
from casspath.knowledge.audit_verbs import KnowledgeVerb
from casspath.knowledge.models import (
    CustomerSize,
    CustomerType,
    InformatizationLevel,
    Product,
    ProductActivationStep,
    ProductTariff,
    Solution,
    SolutionComparison,
)
from casspath.org import scopes

SHEET_INDUSTRIES, SHEET_PRODUCTS, SHEET_TARIFFS = "行业", "产品", "资费"
SHEET_STEPS, SHEET_SOLUTIONS, SHEET_COMPARISONS = "开通流程", "方案", "方案对比"
QUIET_SHEETS = {"说明", "说明 Instructions", "Instructions", "lists"}

SIZE_ZH = {CustomerSize.MICRO: "小微", CustomerSize.SMALL: "中小", CustomerSize.LARGE: "大型"}
TYPE_ZH = {
    CustomerType.GOVERNMENT: "政府机关",
    CustomerType.PUBLIC: "事业单位",
    CustomerType.ENTERPRISE: "企业",
    CustomerType.SOLE: "个体工商户",
}
LEVEL_ZH = {InformatizationLevel.BASIC: "基础", InformatizationLevel.ADVANCED: "进阶", InformatizationLevel.DEEP: "深度"}
ACTIVE_WORDS = {"在售": True, "停售": False, "是": True, "否": False, "active": True, "inactive": False,
                "提供": True, "停止": False, "1": True, "0": False}


def _code(max_length: int):
    return lambda value: normal_code(value, max_length)


def _text(max_length: int | None = None):
    return lambda value: normal_text(value, max_length)


def _words(table: Mapping, what_zh: str, what_en: str):
    lookup = {str(value).lower(): value for value in table} | {zh.lower(): value for value, zh in table.items()}
    shown = "、".join(table.values())

    def one(word: str):
        found = lookup.get(word.strip().lower())
        if found is None:
            raise Invalid(f"未知的{what_zh}“{word}”（可选：{shown}）", f"unknown {what_en} '{word}' (one of: {shown})")
        return found

    return one


_size = _words(SIZE_ZH, "客户规模", "customer size")
_type = _words(TYPE_ZH, "客户类型", "customer type")
_level = _words(LEVEL_ZH, "信息化程度", "informatization level")


def _list_of(one, choices):
    order = list(choices.values)

    def parse(value: str) -> list[str]:
        found = {one(part) for part in split_list(value)}
        return [str(v) for v in order if v in found]

    return parse


def _level_value(value: str) -> int:
    return int(_level(value))


def _active(value: str) -> bool:
    found = ACTIVE_WORDS.get(value.strip().lower())
    if found is None:
        raise Invalid(f"状态应为 在售 或 停售：“{value}”", f"the status must be 在售 (on sale) or 停售 (off): '{value}'")
    return found


def _price(value: str):
    try:
        return parse_price(value)
    except InvalidValue as invalid:
        raise Invalid(invalid.message_zh, invalid.message_en) from None


def _order(value: str) -> int:
    text = value.strip().removesuffix(".0")
    if not text.isdigit() or not 1 <= int(text) <= 99:
        raise Invalid("序号应为 1–99 的整数", "the order must be a whole number 1-99")
    return int(text)


def _codes(value: str) -> list[str]:
    return [normal_code(part, 30) for part in split_list(value)]


def _req(key, zh, en, synonyms=(), parse=None) -> Column:
    return Column(key, zh, en, synonyms, required=True, blank_ok=False, parse=parse)


COLUMNS: dict[str, tuple[Column, ...]] = {
    SHEET_INDUSTRIES: (
        _req("code", "行业编码", "industry code", ("编码",), _code(20)),
        _req("name", "行业名称", "industry name", ("名称", "行业"), _text(100)),
    ),
    SHEET_PRODUCTS: (
        _req("code", "产品编码", "product code", ("编码",), _code(30)),
        _req("name", "产品名称", "product name", ("名称", "产品"), _text(200)),
        Column("category", "类别", "category", ("产品类别",), parse=_text(100)),
        Column("family", "系列", "family", ("产品系列", "产品族"), parse=_text(100)),
        Column("explanation", "说明", "explanation", ("产品说明", "简介"), parse=_text()),
        Column("selling_points", "卖点", "selling points", ("产品卖点",), parse=_text()),
        Column("tariff", "资费说明", "tariff", ("资费",), parse=_text()),
        Column("how_it_works", "实现原理", "how it works", ("原理",), parse=_text()),
        Column("promotion", "推广策略", "promotion strategy", ("推广",), parse=_text()),
        Column("informatization_level", "信息化程度", "informatization level", parse=_level_value),
        Column("industries", "适用行业", "industries", ("行业",), parse=split_list),
        Column("customer_sizes", "客户规模", "customer sizes", ("规模",), parse=_list_of(_size, CustomerSize)),
        Column("customer_types", "客户类型", "customer types", ("类型",), parse=_list_of(_type, CustomerType)),
        Column("active", "状态", "status", ("是否在售",), parse=_active),
    ),
    SHEET_TARIFFS: (
        _req("product", "产品编码", "product code", ("产品",), _code(30)),
        _req("name", "套餐", "plan", ("套餐名称", "资费套餐"), _text(100)),
        Column("price", "月费(元)", "monthly price (yuan)", ("月费", "价格", "月租"), parse=_price),
        Column("includes", "包含内容", "what it includes", ("包含", "内容"), parse=_text()),
    ),
    SHEET_STEPS: (
        _req("product", "产品编码", "product code", ("产品",), _code(30)),
        _req("order", "序号", "order", ("步骤",), _order),
        _req("text", "操作说明", "what to do", ("说明", "内容"), _text()),
    ),
    SHEET_SOLUTIONS: (
        _req("code", "方案编码", "solution code", ("编码",), _code(30)),
        _req("name", "方案名称", "solution name", ("名称", "方案"), _text(200)),
        Column("industry", "行业", "industry", ("适用行业",), parse=_text(100)),
        Column("products", "产品", "products", ("产品编码", "捆绑产品"), parse=_codes),
        Column("value_proposition", "价值主张", "value proposition", ("价值",), parse=_text()),
        Column("competitor", "竞品捆绑", "competitor's bundle", ("竞品", "友商套餐"), parse=_text(200)),
        Column("active", "状态", "status", parse=_active),
    ),
    SHEET_COMPARISONS: (
        _req("solution", "方案编码", "solution code", ("方案",), _code(30)),
        _req("aspect", "对比项", "aspect", ("方面",), _text(100)),
        _req("ours", "我方", "ours", ("我方方案",), _text()),
        _req("theirs", "友商", "theirs", ("竞品", "友商方案"), _text()),
    ),
}


def target_map(acting_user, options: Mapping[str, object]) -> CassMap:
    unit = owner_unit(acting_user, str(options.get("unit") or ""))
    family = str(options.get("family") or "").strip()
    maps = CassMap.objects.filter(org_unit=unit).select_related("org_unit")
    if family:
        maps = maps.filter(model_family=family)
    found = list(maps[:2])
    if not found:
        raise ImportFileError(
            f"{unit.code} 还没有 CASS 地图，请先建立地图", f"{unit.code} has no CASS map yet: create it first"
        )
    if len(found) > 1:
        raise ImportFileError(
            f"{unit.code} 有多个 CASS 地图，请用选项 family 指明", f"{unit.code} owns several CASS maps: name one with the option family"
        )
    return found[0]


def parse_workbook(data: bytes, filename: str, report: ImportReport) -> dict[str, SheetRows]:
    if PurePath(filename or "").suffix.lower() not in (".xlsx", ".xlsm", ".ods", ".xls"):
        raise ImportFileError("产品图谱须以 Excel 工作簿（.xlsx）导入", "a product map is imported as an Excel workbook (.xlsx)")
    found: dict[str, SheetRows] = {}
    for sheet in read_sheets(data, filename):
        name = sheet.name.strip()
        if name in COLUMNS:
            found[name] = SheetRows(sheet, COLUMNS[name], report.errors, report.warnings)
        elif name not in QUIET_SHEETS and any(any(row) for row in sheet.rows):
            report.warnings.append(ImportWarning(f"未识别的工作表「{sheet.name}」已忽略", f"unknown sheet {sheet.name} was ignored"))
    if not found:
        raise ImportFileError(
            "文件中没有产品图谱的工作表（应有：行业、产品、资费、开通流程、方案、方案对比）",
            "the file has none of the product map's sheets (行业, 产品, 资费, 开通流程, 方案, 方案对比)",
        )
    report.total = sum(len(rows.rows) for rows in found.values())
    return found


@dataclass
class Plan:
    cass_map: CassMap
    industries: list[dict] = field(default_factory=list)
    # (existing or None, values, industry codes or None, tariffs or None, steps or None)
    products: list[tuple[Product | None, dict, list[str] | None, list[Tariff] | None, list[str] | None]] = field(
        default_factory=list
    )
    solutions: list[tuple[Solution | None, dict, str | None, list[str], list[Comparison]]] = field(
        default_factory=list
    )


PRODUCT_KEYS = tuple(c.key for c in COLUMNS[SHEET_PRODUCTS] if c.key != "industries")


def make_plan(cass_map: CassMap, sheets: dict[str, SheetRows], report: ImportReport) -> Plan:
    """Every row checked against the map as it is; the writes it needs, counts and preview."""
    plan = Plan(cass_map)
    errors = report.errors

    def bad(row, rows: SheetRows, key: str, zh: str, en: str, value: str | None = None) -> None:
        errors.append(RowError(row.number, rows.where(key), row.raw.get(key, "") if value is None else value, zh, en))
        row.bad = True

    def count(action: str, row_number: int, key: str, fields: dict) -> None:
        if action == "unchanged":
            report.unchanged += 1
            return
        if action == "create":
            report.created += 1
        else:
            report.updated += 1
        report.add_change(Change(row=row_number, key=key, action=action, fields=fields))

    def unique(rows: SheetRows, key: str, what_zh: str, what_en: str) -> None:
        seen: dict = {}
        for row in rows.rows:
            value = row.values.get(key)
            if value is None:
                continue
            if value in seen:
                bad(row, rows, key, f"{what_zh}“{value}”与第 {seen[value]} 行重复", f"{what_en} '{value}' repeats row {seen[value]}")
            else:
                seen[value] = row.number

    # 行业
    industries = {i.code: i for i in queries.industries_of(cass_map)}
    by_name = {i.name: i.code for i in industries.values()}
    sheet = sheets.get(SHEET_INDUSTRIES)
    if sheet is not None:
        unique(sheet, "code", "行业编码", "industry code")
        unique(sheet, "name", "行业名称", "industry name")
        for row in sheet.rows:
            v = row.values
            if row.bad:
                continue
            holder = by_name.get(v["name"])
            if holder is not None and holder != v["code"]:
                bad(row, sheet, "name", f"行业名称“{v['name']}”已属于 {holder}", f"the industry name '{v['name']}' belongs to {holder}")
                continue
            old = industries.get(v["code"])
            if old is not None and old.name == v["name"]:
                count("unchanged", row.number, f"{SHEET_INDUSTRIES} {v['code']}", {})
                continue
            plan.industries.append({"code": v["code"], "name": v["name"]})
            count("update" if old else "create", row.number, f"{SHEET_INDUSTRIES} {v['code']}",
                  {"name": [old.name, v["name"]]} if old else {})
    known_industries = set(industries) | {d["code"] for d in plan.industries}
    names = {**by_name, **{d["name"]: d["code"] for d in plan.industries}}

    def industry_code(word: str) -> str | None:
        upper = word.strip().upper()
        if upper in known_industries:
            return upper
        return names.get(word.strip())

    # the map's products as they are, with their industries, plans and steps (four queries)
    existing = {p.code: p for p in queries.products_of(cass_map, include_inactive=True)}
    old_tariffs: dict[str, list[Tariff]] = {}
    for t in ProductTariff.objects.filter(product__cass_map=cass_map).order_by("order", "id").values_list(
        "product__code", "name", "monthly_price", "includes"
    ):
        old_tariffs.setdefault(t[0], []).append(Tariff(t[1], t[2], t[3]))
    old_steps: dict[str, list[str]] = {}
    for code, text in ProductActivationStep.objects.filter(product__cass_map=cass_map).order_by(
        "order", "id"
    ).values_list("product__code", "text"):
        old_steps.setdefault(code, []).append(text)

    sheet = sheets.get(SHEET_PRODUCTS)
    product_rows: dict[str, Any] = {}
    if sheet is not None:
        unique(sheet, "code", "产品编码", "product code")
        for row in sheet.rows:
            codes = []
            for word in row.values.get("industries") or []:
                found = industry_code(word)
                if found is None:
                    bad(row, sheet, "industries", f"未知的行业“{word}”（应为本地图的行业编码或名称）",
                        f"unknown industry '{word}' (a code or name of the map's industries)", word)
                elif found not in codes:
                    codes.append(found)
            if not row.bad:
                product_rows[row.values["code"]] = (row, codes)
    known_products = set(existing) | set(product_rows)

    def grouped(sheet_name: str, key: str) -> dict[str, list]:
        rows = sheets.get(sheet_name)
        groups: dict[str, list] = {}
        if rows is None:
            return groups
        for row in rows.rows:
            owner = row.values.get(key)
            if owner is None:
                continue
            if sheet_name in (SHEET_TARIFFS, SHEET_STEPS) and owner not in known_products:
                bad(row, rows, key, f"产品编码 {owner} 不在「产品」表或本地图中", f"the product code {owner} is neither in sheet 产品 nor in the map")
            groups.setdefault(owner, []).append(row)
        return groups

    tariffs_by = grouped(SHEET_TARIFFS, "product")
    steps_by = grouped(SHEET_STEPS, "product")
    new_tariffs: dict[str, list[Tariff]] = {}
    for owner, rows in tariffs_by.items():
        seen: dict[str, int] = {}
        for row in rows:
            name = row.values.get("name")
            if name in seen:
                bad(row, sheets[SHEET_TARIFFS], "name", f"套餐“{name}”与第 {seen[name]} 行重复", f"the plan '{name}' repeats row {seen[name]}")
            elif name is not None:
                seen[name] = row.number
        if not any(r.bad for r in rows):
            new_tariffs[owner] = [Tariff(r.values["name"], r.values.get("price"), r.values.get("includes") or "") for r in rows]
    new_steps: dict[str, list[str]] = {}
    for owner, rows in steps_by.items():
        seen_order: dict[int, int] = {}
        for row in rows:
            number = row.values.get("order")
            if number in seen_order:
                bad(row, sheets[SHEET_STEPS], "order", f"序号 {number} 与第 {seen_order[number]} 行重复", f"order {number} repeats row {seen_order[number]}")
            elif number is not None:
                seen_order[number] = row.number
        if not any(r.bad for r in rows):
            new_steps[owner] = [r.values["text"] for r in sorted(rows, key=lambda r: r.values["order"])]

    def product_values(row) -> dict:
        v = row.values
        return {
            "code": v["code"],
            "name": v["name"],
            **{k: v.get(k) or "" for k in ("category", "family", "explanation", "selling_points", "tariff",
                                              "how_it_works", "promotion")},
            "informatization_level": v.get("informatization_level") or InformatizationLevel.BASIC,
            "customer_sizes": v.get("customer_sizes") or [],
            "customer_types": v.get("customer_types") or [],
            "active": True if v.get("active") is None else v["active"],
        }

    for code in list(dict.fromkeys([*product_rows, *new_tariffs, *new_steps])):
        old = existing.get(code)
        key = f"{SHEET_PRODUCTS} {code}"
        row_number = product_rows[code][0].number if code in product_rows else 0
        values = product_values(product_rows[code][0]) if code in product_rows else None
        codes = product_rows[code][1] if code in product_rows else None
        tariffs = new_tariffs.get(code)
        steps = new_steps.get(code)
        if old is None:
            if values is None:
                continue  # a row error names it already
            plan.products.append((None, values, codes, tariffs, steps))
            count("create", row_number, key, {})
            continue
        fields: dict = {}
        if values is not None:
            for name, new in values.items():
                before = getattr(old, name)
                if (before.strip() if isinstance(before, str) else before) != new:
                    fields[name] = [before, new]
            before_codes = [i.code for i in old.industries.all()]
            if codes is not None and sorted(codes) != sorted(before_codes):
                fields["industries"] = ["；".join(before_codes), "；".join(codes)]
        if tariffs is not None and tariffs != old_tariffs.get(code, []):
            fields["tariffs"] = [len(old_tariffs.get(code, [])), len(tariffs)]
        else:
            tariffs = None
        if steps is not None and steps != old_steps.get(code, []):
            fields["steps"] = [len(old_steps.get(code, [])), len(steps)]
        else:
            steps = None
        if fields:
            plan.products.append((old, values or {}, codes if "industries" in fields else None, tariffs, steps))
        count("update" if fields else "unchanged", row_number, key, {k: v for k, v in fields.items()})

    # 方案 and 方案对比
    solutions = {s.code: s for s in queries.solutions_of(cass_map, include_inactive=True)}
    old_rows: dict[str, list[Comparison]] = {}
    for code, aspect, ours, theirs in SolutionComparison.objects.filter(solution__cass_map=cass_map).order_by(
        "order", "id"
    ).values_list("solution__code", "aspect", "ours", "theirs"):
        old_rows.setdefault(code, []).append(Comparison(aspect, ours, theirs))
    sheet = sheets.get(SHEET_SOLUTIONS)
    solution_rows: dict[str, Any] = {}
    if sheet is not None:
        unique(sheet, "code", "方案编码", "solution code")
        for row in sheet.rows:
            v = row.values
            industry = None
            if v.get("industry"):
                industry = industry_code(v["industry"])
                if industry is None:
                    bad(row, sheet, "industry", f"未知的行业“{v['industry']}”", f"unknown industry '{v['industry']}'")
            for code in v.get("products") or []:
                if code not in known_products:
                    bad(row, sheet, "products", f"产品编码 {code} 不在「产品」表或本地图中",
                        f"the product code {code} is neither in sheet 产品 nor in the map", code)
            if not row.bad:
                solution_rows[v["code"]] = (row, industry)
    comparisons_by = grouped(SHEET_COMPARISONS, "solution")
    for owner, rows in comparisons_by.items():
        if owner not in solutions and owner not in solution_rows:
            for row in rows:
                if not row.bad:
                    bad(row, sheets[SHEET_COMPARISONS], "solution", f"方案编码 {owner} 不在「方案」表或本地图中",
                        f"the solution code {owner} is neither in sheet 方案 nor in the map")
    for code in list(dict.fromkeys([*solution_rows, *comparisons_by])):
        if code not in solution_rows and code not in solutions:
            continue
        rows = comparisons_by.get(code)
        if rows is not None and any(r.bad for r in rows):
            continue
        old = solutions.get(code)
        new_rows = [Comparison(r.values["aspect"], r.values["ours"], r.values["theirs"]) for r in rows] if rows else None
        if code in solution_rows:
            row, industry = solution_rows[code]
            v = row.values
            values = {
                "code": code,
                "name": v["name"],
                "value_proposition": v.get("value_proposition") or "",
                "competitor": v.get("competitor") or "",
                "active": True if v.get("active") is None else v["active"],
            }
            bundle = v.get("products") or []
            number = row.number
        else:
            assert old is not None
            values = {k: getattr(old, k) for k in ("code", "name", "value_proposition", "competitor", "active")}
            industry = old.industry.code if old.industry else None
            bundle = [item.product.code for item in old.items.all()]
            number = 0
        comparisons = new_rows if new_rows is not None else (old_rows.get(code, []) if old else [])
        key = f"{SHEET_SOLUTIONS} {code}"
        if old is None:
            plan.solutions.append((None, values, industry, bundle, comparisons))
            count("create", number, key, {})
            continue
        fields = {name: [getattr(old, name), new] for name, new in values.items() if getattr(old, name) != new}
        if (old.industry.code if old.industry else None) != industry:
            fields["industry"] = [old.industry.code if old.industry else "", industry or ""]
        old_bundle = [item.product.code for item in old.items.all()]
        if old_bundle != bundle:
            fields["products"] = ["；".join(old_bundle), "；".join(bundle)]
        if comparisons != old_rows.get(code, []):
            fields["comparisons"] = [len(old_rows.get(code, [])), len(comparisons)]
        if fields:
            plan.solutions.append((old, values, industry, bundle, comparisons))
        count("update" if fields else "unchanged", number, key, fields)
    if not (plan.industries or plan.products or plan.solutions) and not errors:
        report.add_change(Change(row=0, key=cass_map.name, action="unchanged", text_zh="与现有产品图谱完全相同，不做任何更改",
                                 text_en="identical to the product map as it is: nothing changes"))
    return plan


def apply_plan(plan: Plan, acting_user) -> None:
    cass_map = plan.cass_map
    for values in plan.industries:
        old = next((i for i in queries.industries_of(cass_map) if i.code == values["code"]), None)
        do_save_industry(cass_map, values, industry=old, acting_user=acting_user)
    industries = {i.code: i for i in queries.industries_of(cass_map)}
    for old, values, codes, tariffs, steps in plan.products:
        do_save_product_card(
            cass_map,
            values,
            product=old,
            industries=[industries[c] for c in codes] if codes is not None else None,
            tariffs=tariffs,
            steps=steps,
            acting_user=acting_user,
        )
    products = {p.code: p for p in queries.products_of(cass_map, include_inactive=True)}
    for old, values, industry, bundle, comparisons in plan.solutions:
        do_save_solution(
            cass_map,
            values,
            solution=old,
            industry=industries.get(industry) if industry else None,
            products=[products[c] for c in bundle],
            comparisons=comparisons,
            acting_user=acting_user,
        )


PREVIEW_FIELDS = tuple(
    Column(key, zh, en)
    for key, zh, en in (
        ("name", "名称", "name"), ("category", "类别", "category"), ("family", "系列", "family"),
        ("explanation", "说明", "explanation"), ("selling_points", "卖点", "selling points"),
        ("tariff", "资费说明", "tariff"), ("how_it_works", "实现原理", "how it works"),
        ("promotion", "推广策略", "promotion strategy"), ("informatization_level", "信息化程度", "informatization level"),
        ("industries", "适用行业", "industries"), ("customer_sizes", "客户规模", "customer sizes"),
        ("customer_types", "客户类型", "customer types"), ("active", "状态", "status"),
        ("tariffs", "资费套餐数", "tariff plans"), ("steps", "开通步骤数", "activation steps"),
        ("industry", "行业", "industry"), ("products", "产品", "products"),
        ("value_proposition", "价值主张", "value proposition"), ("competitor", "竞品捆绑", "competitor's bundle"),
        ("comparisons", "对比项数", "comparison rows"),
    )
)

TEMPLATE_NOTES = (
    "产品图谱：行业 → 产品（资费、开通流程）→ 方案（方案对比），编码是各表的主键。",
    "The product map: industries, products (tariff plans, activation steps), solutions (comparison rows).",
    "产品：信息化程度写 基础、进阶、深度；适用行业写行业编码或名称，用；分隔；"
    "客户规模写 小微、中小、大型；客户类型写 政府机关、事业单位、企业、个体工商户；状态写 在售 或 停售。",
    "资费：每行一个套餐，月费写数字（元），面议可留空；本表给出所列产品的全部套餐。",
    "开通流程：每行一步，序号 1、2、3…；本表给出所列产品的全部步骤（截图请在产品页上传）。",
    "方案：产品写产品编码，按捆绑顺序用；分隔；方案对比：每行一个对比项，写我方与友商。",
    "导入时用选项 unit（所属单位编码）指明地图；地图须已存在。",
)


class ProductsImporter(Importer):
    kind = "products"
    label = _("Product map")
    scope = scopes.PermScope(scopes.Perm.EDIT_MODELS)
    can_export = True
    audit_verb = KnowledgeVerb.IMPORT_PRODUCTS
    export_verb = KnowledgeVerb.EXPORT_PRODUCTS
    options = MAP_OPTIONS
    columns = PREVIEW_FIELDS

    def template(self) -> bytes:
        return workbook_xlsx(None)

    def template_filename(self) -> str:
        return "casspath-products.xlsx"

    def lock_units(self, ctx: RunContext) -> list[list[int]] | None:
        unit = ctx.cache.get("owner_unit")
        return [unit.ancestor_ids()] if unit is not None else None

    def run(self, data: bytes, ctx: RunContext) -> ImportReport:
        report = self.new_report(ctx)
        ctx.progress("reading", 0, 1)
        sheets = parse_workbook(data, ctx.filename, report)
        ctx.progress("validating", 1, 1)
        cass_map = target_map(ctx.acting_user, ctx.options)
        ctx.cache["owner_unit"] = cass_map.org_unit
        if ctx.dry_run or report.errors:
            make_plan(cass_map, sheets, report)
            report.ok = not report.errors
            return report

        def write() -> None:
            now_map = target_map(ctx.acting_user, ctx.options)
            ctx.progress("planning", 0, report.total)
            plan = make_plan(now_map, sheets, report)
            if report.errors:
                return
            ctx.progress("writing", 0, report.total)
            apply_plan(plan, ctx.acting_user)
            audit.record(
                ctx.acting_user,
                self.audit_verb,
                now_map,
                summary=f"{ctx.filename}: +{report.created} ~{report.updated}",
                changes={"filename": ctx.filename, "sha256": ctx.sha256, "rows": report.total,
                         "created": report.created, "updated": report.updated, "unchanged": report.unchanged},
                unit=now_map.org_unit,
            )
            report.ok = report.applied = True
            if ctx.before_commit is not None:
                ctx.before_commit(report)

        self.run_locked(ctx, write)
        report.ok = not report.errors
        return report

    def export(self, acting_user, filename: str, out: BinaryIO, filters: Mapping[str, str] | None = None) -> int:
        """The map named by the filters `unit` and `family` (as the import's options), as the
        import's workbook; rows counted over its sheets."""
        if PurePath(filename).suffix.lower() != ".xlsx":
            raise ImportFileError("产品图谱只能导出为 .xlsx 文件", "a product map exports to .xlsx only")
        scopes.require_perm(acting_user, scopes.Perm.EDIT_MODELS)
        data, rows = workbook_xlsx(target_map(acting_user, filters or {}), counted=True)
        out.write(data)
        return rows


def _shown(values, table: Mapping) -> str:
    return "；".join(table.get(v, v) for v in values)


def workbook_xlsx(cass_map: CassMap | None, *, counted: bool = False) -> Any:
    book = new_workbook()
    book.remove(book.active)
    sheets = {}
    for name, columns in COLUMNS.items():
        ws = book.create_sheet(name)
        append_row(ws, [column.header_zh for column in columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        sheets[name] = ws
    rows = 0
    if cass_map is None:
        notes = book.create_sheet("说明")
        for line in TEMPLATE_NOTES:
            append_row(notes, [line])
        notes.column_dimensions["A"].width = 120
    else:
        lines: dict[str, list[list]] = {name: [] for name in COLUMNS}
        for industry in queries.industries_of(cass_map):
            lines[SHEET_INDUSTRIES].append([industry.code, industry.name])
        products = sorted(queries.products_of(cass_map, include_inactive=True), key=lambda p: p.code)
        for p in products:
            lines[SHEET_PRODUCTS].append([
                p.code, p.name, p.category, p.family, p.explanation, p.selling_points, p.tariff, p.how_it_works,
                p.promotion, LEVEL_ZH.get(p.informatization_level, str(p.informatization_level)),
                "；".join(i.code for i in p.industries.all()), _shown(p.customer_sizes, SIZE_ZH),
                _shown(p.customer_types, TYPE_ZH), "在售" if p.active else "停售",
            ])
            for t in p.tariffs.all():
                lines[SHEET_TARIFFS].append([p.code, t.name, "" if t.monthly_price is None else t.monthly_price, t.includes])
        for code, order, text in ProductActivationStep.objects.filter(product__cass_map=cass_map).order_by(
            "product__code", "order", "id"
        ).values_list("product__code", "order", "text"):
            lines[SHEET_STEPS].append([code, order, text])
        for s in queries.solutions_of(cass_map, include_inactive=True):
            lines[SHEET_SOLUTIONS].append([
                s.code, s.name, s.industry.code if s.industry else "", "；".join(i.product.code for i in s.items.all()),
                s.value_proposition, s.competitor, "在售" if s.active else "停售",
            ])
        for code, aspect, ours, theirs in SolutionComparison.objects.filter(solution__cass_map=cass_map).order_by(
            "solution__code", "order", "id"
        ).values_list("solution__code", "aspect", "ours", "theirs"):
            lines[SHEET_COMPARISONS].append([code, aspect, ours, theirs])
        for name, values in lines.items():
            for line in values:
                append_row(sheets[name], line)
            rows += len(values)
    data = xlsx_bytes(book)
    return (data, rows) if counted else data

register(ProductsImporter())
