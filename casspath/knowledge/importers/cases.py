"""`casspath import cases FILE`: a CASS map's case library (案例地图) as one table (.xlsx or
.csv), one case a row.

Columns (CONTRACTS.md): 案例编号 case_code (the natural key), 标题 title, 知识点
knowledge_point, 故事 story, 背景 background, 挑战 challenge, 做法 actions, 结果 result, 工具
tools, 流程步骤 steps (step codes of the map's process map, separated by ；/,/、), 维度
dimensions (codes of the map's competency model), 产品 products and 行业 industries (codes of
the map's product map), 客户类型 customer_type, 作者工号 author_no, 状态 status (已发布 /
草稿); and 客户规模 customer_size (小微 / 中小 / 大型). English headers are accepted too.

Only 标题, 知识点 and 故事 are required. A blank 案例编号 is derived from the title and the
knowledge point (case_code_of), so that importing the same file twice changes nothing. A
blank tag cell means no tags; a column the file lacks keeps an existing case's value. A
blank author means the importing user's employee for a new case (none when he has no
employee record) and keeps an existing case's. A new case without a status is published,
an existing one keeps its own; a status the workflow cannot move to from the case's
(CASE_TRANSITIONS: a published case does not go back to draft) is refused on its row.
Publishing makes the case's learning resource exactly as the review page's publish does
(knowledge/actions/cases.py). Which map: the options `unit` and `family`, as the other
knowledge imports (cass/importers/common.py); the map must exist. Who: those who may edit
the map (training admins and consultants over its owner unit).
"""

import hashlib
from collections.abc import Callable, Mapping
from pathlib import PurePath
from typing import Any, BinaryIO

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casspath.cass.importers.common import MAP_OPTIONS, Target, existing_map, resolve_target, split_list
from casspath.cass.queries import map_dimensions
from casspath.core import validators
from casspath.core.spreadsheets import write_table
from casspath.core.validators import text_limit
from casspath.imports.columns import Column
from casspath.imports.errors import ImportFileError, Invalid, RowError
from casspath.imports.framework import RunContext, Table, TabularImporter
from casspath.imports.registry import register
from casspath.imports.report import Change, ImportReport
from casspath.knowledge.actions.case_import import CASE_TEXTS, CaseWrite, do_write_imported_cases
from casspath.knowledge.audit_verbs import KnowledgeVerb
from casspath.knowledge.models import (
    AUTHOR,
    CASE_TRANSITIONS,
    REVIEWER,
    Case,
    CaseStatus,
    CustomerSize,
    CustomerType,
    Industry,
    ProcessStep,
    Product,
    may_move,
)
from casspath.org import scopes
from casspath.org.models import Employee

# The words a file may write for each value (the stored value and its English label too).
CUSTOMER_TYPE_ZH = {
    CustomerType.GOVERNMENT: "政府机关",
    CustomerType.PUBLIC: "事业单位",
    CustomerType.ENTERPRISE: "企业",
    CustomerType.SOLE: "个体工商户",
}
CUSTOMER_SIZE_ZH = {CustomerSize.MICRO: "小微", CustomerSize.SMALL: "中小", CustomerSize.LARGE: "大型"}
STATUS_ZH = {CaseStatus.PUBLISHED: "已发布", CaseStatus.DRAFT: "草稿"}
STATUS_WORDS = {"发布": CaseStatus.PUBLISHED, "draft": CaseStatus.DRAFT, "published": CaseStatus.PUBLISHED}
# Tag columns: key → (model, what in Chinese, in English).
TAGS = {
    "steps": ("流程步骤", "process step"),
    "products": ("产品", "product"),
    "industries": ("行业", "industry"),
}
# The case's fields as the file's columns name them.
FIELD_OF = {"case_code": "code"}


def case_code_of(title: str, knowledge_point: str) -> str:
    """The code of a row that names none: the same title and knowledge point, the same code."""
    digest = hashlib.sha256(f"{title.strip()}\n{knowledge_point.strip()}".encode()).hexdigest()
    return f"CASE-{digest[:10].upper()}"


def _choice(zh: Mapping[Any, str], what_zh: str, what_en: str, words: dict | None = None) -> Callable:
    table: dict[str, str] = {}
    for value, word in zh.items():
        table[str(value).lower()] = value
        table[word.lower()] = value
        label = str(getattr(value, "label", ""))
        if label:
            table[label.lower()] = value
            table[label.split(" (")[0].lower()] = value
    table.update({k.lower(): v for k, v in (words or {}).items()})
    shown = "、".join(zh.values())

    def parse(value: str) -> str:
        found = table.get(value.strip().lower())
        if found is None:
            raise Invalid(
                f"未知的{what_zh}“{value}”（可选：{shown}）",
                f"unknown {what_en} '{value}' (one of: {', '.join(map(str, zh))})",
            )
        return str(found)

    return parse


def _codes(max_length: int, *, upper: bool = False) -> Callable[[str], list[str]]:
    def parse(value: str) -> list[str]:
        codes: list[str] = []
        for part in split_list(value):
            code = validators.code(part, max_length, upper=upper)
            if code not in codes:
                codes.append(code)
        return codes

    return parse


def _text(max_length: int | None) -> Callable[[str], str]:
    def parse(value: str) -> str:
        return validators.text(value.replace("\r\n", "\n"), max_length)

    return parse


def _capped(field: str) -> Callable[[str], str]:
    """A free-text column capped as the case caps its field (Case.TEXT_LIMITS)."""
    return _text(text_limit(Case, field))


def _code(value: str) -> str:
    return validators.code(value, 30)


def _employee_no(value: str) -> str:
    return validators.code(value, 32)


SEPARATED = ("用；或 , 分隔", "separated by ； or ,")
CASE_COLUMNS = (
    Column(
        "case_code",
        "案例编号",
        "case code",
        ("编号", "案例编码"),
        parse=_code,
        note_zh="不填则由标题和知识点生成，再次导入不变",
        note_en="blank: derived from the title and knowledge point",
    ),
    Column("title", "标题", "title", ("案例标题",), required=True, blank_ok=False, parse=_text(200)),
    Column(
        "knowledge_point",
        "知识点",
        "knowledge point",
        (),
        required=True,
        blank_ok=False,
        parse=_text(200),
        note_zh="每个案例只讲一个知识点",
        note_en="one knowledge point a case",
    ),
    Column(
        "story", "故事", "story", ("案例故事", "正文"), required=True, blank_ok=False, parse=_capped("story")
    ),
    Column("background", "背景", "background", (), parse=_capped("background")),
    Column("challenge", "挑战", "challenge", ("难点",), parse=_capped("challenge")),
    Column("actions", "做法", "actions", ("what was done", "举措"), parse=_capped("actions")),
    Column("result", "结果", "result", ("成效",), parse=_capped("result")),
    Column("tools", "工具", "tools", ("tools used",), parse=_capped("tools")),
    Column(
        "steps",
        "流程步骤",
        "steps",
        ("流程步骤编码", "步骤", "process steps"),
        parse=_codes(20),
        note_zh="流程地图的步骤编码，" + SEPARATED[0],
        note_en="process step codes, " + SEPARATED[1],
    ),
    Column(
        "dimensions",
        "维度",
        "dimensions",
        ("维度编码", "dimension codes"),
        parse=_codes(10, upper=True),
        note_zh="技能模型的维度编码，如 D05；" + SEPARATED[0],
        note_en="dimension codes, " + SEPARATED[1],
    ),
    Column(
        "products",
        "产品",
        "products",
        ("产品编码", "product codes"),
        parse=_codes(30),
        note_zh="产品图谱的产品编码，" + SEPARATED[0],
        note_en="product codes, " + SEPARATED[1],
    ),
    Column(
        "industries",
        "行业",
        "industries",
        ("行业编码", "industry codes"),
        parse=_codes(20),
        note_zh="行业编码，如 IND05；" + SEPARATED[0],
        note_en="industry codes, " + SEPARATED[1],
    ),
    Column(
        "customer_type",
        "客户类型",
        "customer type",
        (),
        parse=_choice(CUSTOMER_TYPE_ZH, "客户类型", "customer type"),
        choices=lambda: list(CUSTOMER_TYPE_ZH.values()),
    ),
    Column(
        "customer_size",
        "客户规模",
        "customer size",
        (),
        parse=_choice(CUSTOMER_SIZE_ZH, "客户规模", "customer size"),
        choices=lambda: list(CUSTOMER_SIZE_ZH.values()),
    ),
    Column(
        "author_no",
        "作者工号",
        "author no",
        ("作者", "作者编号", "author employee no"),
        parse=_employee_no,
        note_zh="不填则为导入人",
        note_en="blank: the importing user",
    ),
    Column(
        "status",
        "状态",
        "status",
        (),
        parse=_choice(STATUS_ZH, "状态", "status", STATUS_WORDS),
        choices=lambda: list(STATUS_ZH.values()),
        note_zh="新案例默认已发布；已有案例不填则保持原状态",
        note_en="a new case is published unless told; a blank keeps an existing case's",
    ),
)


class CaseImporter(TabularImporter):
    kind = "cases"
    label = pgettext_lazy("import kind", "Cases")
    scope = scopes.PermScope(scopes.Perm.EDIT_MODELS)
    audit_verb = KnowledgeVerb.IMPORT_CASES
    can_export = True
    export_verb = KnowledgeVerb.EXPORT_CASES
    options = MAP_OPTIONS
    columns = CASE_COLUMNS
    sheet_name = "案例"
    examples = (
        {
            "case_code": "AL-101",
            "title": "门口数出来的四十二辆车",
            "knowledge_point": "用客户自己的数字开场",
            "story": (
                "陈经理在物流园门口数了一上午进出的货车，见到老板时第一句话就说出他有六辆车在门口等了半小时……"
            ),
            "background": "南海一个物流园里的货运公司，四十多辆货车，调度全靠电话。",
            "challenge": "老板没耐心，上一位客户经理三句话就被请走。",
            "actions": "拜访前在园区门口观察一上午，开场说出客户自己的数字。",
            "result": "四十二辆车装上车辆定位，每月通信费节省两千多元。",
            "tools": "现场观察记录表",
            "steps": "PM03-2；PM03-1",
            "dimensions": "D02；D05",
            "products": "P15；P12",
            "industries": "IND07",
            "customer_type": "企业",
            "customer_size": "中小",
            "author_no": "GD00050",
            "status": "已发布",
        },
    )
    instructions_zh = (
        "每行一个案例：一个知识点，一个客户经理的真实故事（小小说），再写背景、挑战、做法、结果和工具。",
        "流程步骤、维度、产品、行业填编码，多个用；或 , 分隔；不填即不打标签。",
        "导入时用选项 unit / family 指明地图；不填则为您唯一的权限范围根单位。",
    )
    instructions_en = (
        "One case a row: one knowledge point, a manager's true story, then background, challenge, "
        "actions, result and tools.",
        "Steps, dimensions, products and industries by code, separated by ； or ,; blank: no tags.",
        "Name the map with the options unit / family; blank: your one scope root.",
    )
    value_labels = {
        "status": {CaseStatus.DRAFT: _("draft"), CaseStatus.PUBLISHED: _("published")},
        "customer_type": dict(CustomerType.choices),
        "customer_size": dict(CustomerSize.choices),
    }

    def template_filename(self) -> str:
        return "casspath-cases.xlsx"

    def lock_units(self, ctx: RunContext) -> list[list[int]] | None:
        unit = ctx.cache.get("owner_unit")
        return [unit.ancestor_ids()] if unit is not None else None

    def run(self, data: bytes, ctx: RunContext) -> ImportReport:
        ctx.cache["owner_unit"] = resolve_target(ctx.acting_user, ctx.options).unit
        return super().run(data, ctx)

    def run_records(self, records, ctx: RunContext):
        ctx.cache["owner_unit"] = resolve_target(ctx.acting_user, ctx.options).unit
        return super().run_records(records, ctx)

    def check(self, ctx: RunContext, table: Table, report: ImportReport) -> None:
        """Codes once each in the file (a derived code repeats when the title and the
        knowledge point do)."""
        col = table.columns
        given = col.get("case_code", [None] * len(table))
        seen: dict[str, int] = {}
        codes: list[str | None] = []
        for i, number in enumerate(table.numbers):
            code = given[i]
            if code is None and col["title"][i] and col["knowledge_point"][i]:
                code = case_code_of(col["title"][i], col["knowledge_point"][i])
            codes.append(code)
            if code is None:
                continue
            if code in seen:
                report.errors.append(
                    RowError(
                        number,
                        table.headers.get("case_code", table.headers["title"]),
                        code,
                        f"案例编号“{code}”与第 {seen[code]} 行重复",
                        f"case code '{code}' repeats row {seen[code]}",
                    )
                )
                table.bad.add(i)
            else:
                seen[code] = number
        ctx.cache["codes"] = codes

    def plan(self, ctx: RunContext, table: Table, report: ImportReport) -> dict:
        target: Target = resolve_target(ctx.acting_user, ctx.options)
        cass_map = target.cass_map
        if cass_map is None:
            raise ImportFileError(
                f"{target.unit.name}（{target.unit.code}）还没有 CASS 地图，请先导入地图和流程地图",
                f"{target.unit.name} ({target.unit.code}) has no CASS map yet: import the map and its "
                "process map first",
            )
        known: dict[str, dict[str, Any]] = {
            "steps": {s.code: s for s in ProcessStep.objects.filter(cass_map=cass_map)},
            "products": {p.code: p for p in Product.objects.filter(cass_map=cass_map)},
            "industries": {i.code: i for i in Industry.objects.filter(cass_map=cass_map)},
        }
        dimensions = map_dimensions(cass_map)
        existing = {
            c.code: c
            for c in Case.objects.filter(cass_map=cass_map)
            .select_related("author")
            .prefetch_related("steps", "products", "industries")
        }
        numbers = {n for n in table.columns.get("author_no", []) if n}
        authors = {e.employee_no: e for e in Employee.objects.filter(employee_no__in=numbers)}
        user_id = getattr(ctx.acting_user, "pk", None)  # None: the system actor
        importer_employee = Employee.objects.filter(user_id=user_id).first() if user_id else None
        col, headers = table.columns, table.headers
        codes = ctx.cache.get("codes") or [None] * len(table)
        writes: list[CaseWrite] = []
        for i, number in enumerate(table.numbers):

            def bad(key: str, value: str, zh: str, en: str, i=i, number=number) -> None:
                report.errors.append(RowError(number, headers.get(key, key), value, zh, en))
                table.bad.add(i)

            def value(key: str, i=i) -> Any:
                return col[key][i] if key in col else None

            for key, (what_zh, what_en) in TAGS.items():
                for code in value(key) or []:
                    if code not in known[key]:
                        bad(
                            key,
                            code,
                            f"{what_zh}编码 {code} 不在本地图中",
                            f"{what_en} code {code} is not in this map",
                        )
            for code in value("dimensions") or []:
                if code not in dimensions:
                    bad(
                        "dimensions",
                        code,
                        f"维度编码 {code} 不在适用于本地图的技能模型中",
                        f"dimension code {code} is not in the competency model applying to this map",
                    )
            author_no = value("author_no")
            if author_no is not None and author_no not in authors:
                bad(
                    "author_no",
                    author_no,
                    f"工号 {author_no} 不存在",
                    f"no employee has the number {author_no}",
                )
            code = codes[i]
            case = existing.get(code) if code else None
            status = value("status")
            if status is not None and case is not None and status != case.status:
                if status not in CASE_TRANSITIONS.get(case.status, frozenset()):
                    bad(
                        "status",
                        STATUS_ZH.get(status, status),
                        f"案例“{case.title}”现为「{case.get_status_display()}」，不能改为「{STATUS_ZH[status]}」",
                        f"the case '{case.title}' is {case.status}: it cannot go to {status}",
                    )
                elif not may_move(self._roles(case, user_id), case.status, status):
                    bad(
                        "status",
                        STATUS_ZH.get(status, status),
                        f"案例“{case.title}”是他人尚未提交审核的草稿，导入不能发布它",
                        f"the case '{case.title}' is another author's draft, never submitted for review: "
                        "an import cannot publish it",
                    )
            if i in table.bad or code is None:
                continue
            wanted = self._wanted(table, i, code, case, authors, importer_employee)
            if case is None:
                writes.append(CaseWrite(None, wanted))
                report.created += 1
                report.add_change(Change(row=number, key=code, action="create"))
                continue
            fields = _diff(case, wanted)
            if fields:
                writes.append(CaseWrite(case, wanted))
                report.updated += 1
                report.add_change(Change(row=number, key=code, action="update", fields=fields))
            else:
                report.unchanged += 1
        if not writes and not report.errors:
            report.add_change(
                Change(
                    row=0,
                    key=cass_map.name,
                    action="unchanged",
                    text_zh="所有案例与现有的完全相同，不做任何更改",
                    text_en="every case is as it is: nothing changes",
                )
            )
        return {"cass_map": cass_map, "writes": writes, "known": known}

    @staticmethod
    def _roles(case: Case, user_id: int | None) -> frozenset[str]:
        """The importer's roles on an existing case (CASE_MOVES): a reviewer (he may edit the
        map: the import's scope), and its author when his employee record wrote it."""
        mine = user_id is not None and case.author is not None and case.author.user_id == user_id
        return frozenset({REVIEWER, AUTHOR} if mine else {REVIEWER})

    def _wanted(self, table: Table, i: int, code: str, case: Case | None, authors, importer_employee) -> dict:
        col = table.columns

        def kept(key: str, old, blank):
            """A column the file lacks keeps the case's value; a blank cell empties it."""
            if key not in table.present:
                return old if case is not None else blank
            found = col[key][i]
            return blank if found is None else found

        wanted: dict[str, Any] = {"code": code}
        for key in CASE_TEXTS:
            wanted[key] = kept(key, getattr(case, key, ""), "")
        wanted["dimension_codes"] = kept("dimensions", list(case.dimension_codes) if case else [], [])
        for key in TAGS:
            wanted[key] = kept(key, sorted(row.code for row in getattr(case, key).all()) if case else [], [])
        wanted["customer_type"] = kept("customer_type", case.customer_type if case else "", "")
        wanted["customer_size"] = kept("customer_size", case.customer_size if case else "", "")
        author_no = col["author_no"][i] if "author_no" in col else None
        if author_no is not None:
            wanted["author"] = authors[author_no]
        elif case is not None:
            wanted["author"] = case.author
        else:
            wanted["author"] = importer_employee
        status = col["status"][i] if "status" in col else None
        wanted["status"] = status or (case.status if case is not None else CaseStatus.PUBLISHED)
        return wanted

    def apply(self, ctx: RunContext, plan: dict, report: ImportReport) -> None:
        do_write_imported_cases(plan["cass_map"], plan["writes"], plan["known"], acting_user=ctx.acting_user)

    def export(
        self, acting_user, filename: str, out: BinaryIO, filters: Mapping[str, str] | None = None
    ) -> int:
        """Every case of the map the filters `unit` and `family` name (as the import's
        options), by code, in the import's columns. A case in review, sent back or retired
        has a blank 状态 (the import's statuses are 已发布 and 草稿; a blank keeps a case's own),
        so re-importing the export changes nothing."""
        suffix = PurePath(filename).suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            raise ImportFileError("案例可导出为 .xlsx 或 .csv 文件", "cases export to .xlsx or .csv")
        scopes.require_perm(acting_user, scopes.Perm.EDIT_MODELS)
        cass_map = existing_map(acting_user, filters or {})
        cases = (
            Case.objects.filter(cass_map=cass_map)
            .select_related("author")
            .prefetch_related("steps", "products", "industries")
            .order_by("code")
        )

        def codes(rows) -> str:
            return "；".join(sorted(row.code for row in rows))

        words: dict[str, dict[str, str]] = {
            "type": {str(k): v for k, v in CUSTOMER_TYPE_ZH.items()},
            "size": {str(k): v for k, v in CUSTOMER_SIZE_ZH.items()},
            "status": {str(k): v for k, v in STATUS_ZH.items()},
        }

        rows = (
            [
                case.code,
                case.title,
                case.knowledge_point,
                case.story,
                case.background,
                case.challenge,
                case.actions,
                case.result,
                case.tools,
                codes(case.steps.all()),
                "；".join(case.dimension_codes),
                codes(case.products.all()),
                codes(case.industries.all()),
                words["type"].get(case.customer_type, ""),
                words["size"].get(case.customer_size, ""),
                case.author.employee_no if case.author else "",
                words["status"].get(case.status, ""),
            ]
            for case in cases.iterator(chunk_size=500)
        )
        return write_table(suffix, out, self.sheet_name, [c.header_zh for c in self.columns], rows)


def _diff(case: Case, wanted: dict) -> dict:
    fields: dict[str, list] = {}
    for key in (*CASE_TEXTS, "customer_type", "customer_size", "status"):
        before, after = (getattr(case, key) or "").strip(), (wanted[key] or "").strip()
        if before != after:
            fields[key] = [before, after]
    if list(case.dimension_codes) != list(wanted["dimension_codes"]):
        fields["dimensions"] = ["；".join(case.dimension_codes), "；".join(wanted["dimension_codes"])]
    for key in TAGS:
        before_codes = sorted(row.code for row in getattr(case, key).all())
        if before_codes != sorted(wanted[key]):
            fields[key] = ["；".join(before_codes), "；".join(sorted(wanted[key]))]
    if case.author_id != (wanted["author"].pk if wanted["author"] else None):
        fields["author_no"] = [
            case.author.employee_no if case.author else "",
            wanted["author"].employee_no if wanted["author"] else "",
        ]
    return fields


register(CaseImporter())
