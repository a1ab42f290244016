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
from pathlib import PurePath
from typing import Any

from openpyxl.styles import Font

from casspath.cass.importers.common import SheetRows, owner_unit, split_list
from casspath.cass.models import CassMap
from casspath.core.spreadsheets import append_row, new_workbook, xlsx_bytes
from casspath.core.validators import InvalidValue, text_limit
from casspath.core.validators import code as normal_code
from casspath.core.validators import text as normal_text
from casspath.imports.columns import Column
from casspath.imports.errors import ImportFileError, ImportWarning, Invalid
from casspath.imports.reader import read_sheets
from casspath.imports.report import ImportReport
from casspath.knowledge import queries
from casspath.knowledge.actions.products import (
    parse_price,
)
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
LEVEL_ZH: dict[int, str] = {
    InformatizationLevel.BASIC: "基础",
    InformatizationLevel.ADVANCED: "进阶",
    InformatizationLevel.DEEP: "深度",
}
ACTIVE_WORDS = {
    "在售": True,
    "停售": False,
    "是": True,
    "否": False,
    "active": True,
    "inactive": False,
    "提供": True,
    "停止": False,
    "1": True,
    "0": False,
}


def _code(max_length: int):
    return lambda value: normal_code(value, max_length)


def _text(max_length: int | None = None):
    return lambda value: normal_text(value, max_length)


def _capped(model, field: str):
    """A free-text column capped as the model caps its field (TEXT_LIMITS)."""
    return _text(text_limit(model, field))


def _words(table: Mapping, what_zh: str, what_en: str):
    lookup = {str(value).lower(): value for value in table} | {
        zh.lower(): value for value, zh in table.items()
    }
    shown = "、".join(table.values())

    def one(word: str):
        found = lookup.get(word.strip().lower())
        if found is None:
            raise Invalid(
                f"未知的{what_zh}“{word}”（可选：{shown}）", f"unknown {what_en} '{word}' (one of: {shown})"
            )
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
        raise Invalid(
            f"状态应为 在售 或 停售：“{value}”", f"the status must be 在售 (on sale) or 停售 (off): '{value}'"
        )
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
        Column(
            "explanation", "说明", "explanation", ("产品说明", "简介"), parse=_capped(Product, "explanation")
        ),
        Column(
            "selling_points",
            "卖点",
            "selling points",
            ("产品卖点",),
            parse=_capped(Product, "selling_points"),
        ),
        Column("tariff", "资费说明", "tariff", ("资费",), parse=_capped(Product, "tariff")),
        Column("how_it_works", "实现原理", "how it works", ("原理",), parse=_capped(Product, "how_it_works")),
        Column("promotion", "推广策略", "promotion strategy", ("推广",), parse=_capped(Product, "promotion")),
        Column("informatization_level", "信息化程度", "informatization level", parse=_level_value),
        Column("industries", "适用行业", "industries", ("行业",), parse=split_list),
        Column(
            "customer_sizes", "客户规模", "customer sizes", ("规模",), parse=_list_of(_size, CustomerSize)
        ),
        Column(
            "customer_types", "客户类型", "customer types", ("类型",), parse=_list_of(_type, CustomerType)
        ),
        Column("active", "状态", "status", ("是否在售",), parse=_active),
    ),
    SHEET_TARIFFS: (
        _req("product", "产品编码", "product code", ("产品",), _code(30)),
        _req("name", "套餐", "plan", ("套餐名称", "资费套餐"), _text(100)),
        Column("price", "月费(元)", "monthly price (yuan)", ("月费", "价格", "月租"), parse=_price),
        Column(
            "includes",
            "包含内容",
            "what it includes",
            ("包含", "内容"),
            parse=_capped(ProductTariff, "includes"),
        ),
    ),
    SHEET_STEPS: (
        _req("product", "产品编码", "product code", ("产品",), _code(30)),
        _req("order", "序号", "order", ("步骤",), _order),
        _req("text", "操作说明", "what to do", ("说明", "内容"), _capped(ProductActivationStep, "text")),
    ),
    SHEET_SOLUTIONS: (
        _req("code", "方案编码", "solution code", ("编码",), _code(30)),
        _req("name", "方案名称", "solution name", ("名称", "方案"), _text(200)),
        Column("industry", "行业", "industry", ("适用行业",), parse=_text(100)),
        Column("products", "产品", "products", ("产品编码", "捆绑产品"), parse=_codes),
        Column(
            "value_proposition",
            "价值主张",
            "value proposition",
            ("价值",),
            parse=_capped(Solution, "value_proposition"),
        ),
        Column("competitor", "竞品捆绑", "competitor's bundle", ("竞品", "友商套餐"), parse=_text(200)),
        Column("active", "状态", "status", parse=_active),
    ),
    SHEET_COMPARISONS: (
        _req("solution", "方案编码", "solution code", ("方案",), _code(30)),
        _req("aspect", "对比项", "aspect", ("方面",), _text(100)),
        _req("ours", "我方", "ours", ("我方方案",), _capped(SolutionComparison, "ours")),
        _req("theirs", "友商", "theirs", ("竞品", "友商方案"), _capped(SolutionComparison, "theirs")),
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
            f"{unit.code} 有多个 CASS 地图，请用选项 family 指明",
            f"{unit.code} owns several CASS maps: name one with the option family",
        )
    return found[0]


def parse_workbook(data: bytes, filename: str, report: ImportReport) -> dict[str, SheetRows]:
    if PurePath(filename or "").suffix.lower() not in (".xlsx", ".xlsm", ".ods", ".xls"):
        raise ImportFileError(
            "产品图谱须以 Excel 工作簿（.xlsx）导入", "a product map is imported as an Excel workbook (.xlsx)"
        )
    found: dict[str, SheetRows] = {}
    for sheet in read_sheets(data, filename):
        name = sheet.name.strip()
        if name in COLUMNS:
            found[name] = SheetRows(sheet, COLUMNS[name], report.errors, report.warnings)
        elif name not in QUIET_SHEETS and any(any(row) for row in sheet.rows):
            report.warnings.append(
                ImportWarning(
                    f"未识别的工作表「{sheet.name}」已忽略", f"unknown sheet {sheet.name} was ignored"
                )
            )
    if not found:
        raise ImportFileError(
            "文件中没有产品图谱的工作表（应有：行业、产品、资费、开通流程、方案、方案对比）",
            "the file has none of the product map's sheets (行业, 产品, 资费, 开通流程, 方案, 方案对比)",
        )
    report.total = sum(len(rows.rows) for rows in found.values())
    return found


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
        for note in TEMPLATE_NOTES:
            append_row(notes, [note])
        notes.column_dimensions["A"].width = 120
    else:
        lines: dict[str, list[list[Any]]] = {name: [] for name in COLUMNS}
        for industry in queries.industries_of(cass_map):
            lines[SHEET_INDUSTRIES].append([industry.code, industry.name])
        products = sorted(queries.products_of(cass_map, include_inactive=True), key=lambda p: p.code)
        for p in products:
            lines[SHEET_PRODUCTS].append(
                [
                    p.code,
                    p.name,
                    p.category,
                    p.family,
                    p.explanation,
                    p.selling_points,
                    p.tariff,
                    p.how_it_works,
                    p.promotion,
                    LEVEL_ZH.get(p.informatization_level, str(p.informatization_level)),
                    "；".join(i.code for i in p.industries.all()),
                    _shown(p.customer_sizes, SIZE_ZH),
                    _shown(p.customer_types, TYPE_ZH),
                    "在售" if p.active else "停售",
                ]
            )
            for t in p.tariffs.all():
                lines[SHEET_TARIFFS].append(
                    [p.code, t.name, "" if t.monthly_price is None else t.monthly_price, t.includes]
                )
        for code, order, text in (
            ProductActivationStep.objects.filter(product__cass_map=cass_map)
            .order_by("product__code", "order", "id")
            .values_list("product__code", "order", "text")
        ):
            lines[SHEET_STEPS].append([code, order, text])
        for s in queries.solutions_of(cass_map, include_inactive=True):
            lines[SHEET_SOLUTIONS].append(
                [
                    s.code,
                    s.name,
                    s.industry.code if s.industry else "",
                    "；".join(i.product.code for i in s.items.all()),
                    s.value_proposition,
                    s.competitor,
                    "在售" if s.active else "停售",
                ]
            )
        for code, aspect, ours, theirs in (
            SolutionComparison.objects.filter(solution__cass_map=cass_map)
            .order_by("solution__code", "order", "id")
            .values_list("solution__code", "aspect", "ours", "theirs")
        ):
            lines[SHEET_COMPARISONS].append([code, aspect, ours, theirs])
        for name, values in lines.items():
            for line in values:
                append_row(sheets[name], line)
            rows += len(values)
    data = xlsx_bytes(book)
    return (data, rows) if counted else data
