"""`casspath import cass FILE` and `casspath export cass FILE`: a CASS map as one workbook.

Sheets (row 1 headers; Chinese, English or a synonym), codes the natural keys:
  工作内容  工作编码, 名称, 描述, 重要性 1–5, 频率 1–5, 适用阶段 (stage codes or names),
            适用岗位 (position codes or names)
  关键动作  动作编码, 工作编码, 序号, 名称, 完成标准, 常见错误, 学习模式, 检验方式
  动作技能  动作编码, 维度编码, 等级 1–5
  学习资源  资源编码, 类型, 标题, 简介, 时长(分钟), 适用设备, 学习模式, 维度与等级
            ("D01:3；D05:2"), 工作编码 (list), 动作编码 (list), 状态
Lists are separated by ；/,/、 or one a line; values are written in Chinese (班前学, 学后测,
手机, 微视频, 已发布) or as codes.

Which map: the options `unit` (the owner unit's code; default the actor's one scope root)
and `family` (the competency model code; default the family of the published model
applying to the unit). The map is created when missing. Every dimension code must be one of
that model's.

What a file changes: each row upserts its object by code; objects absent from the file stay
as they are. The 动作技能 sheet, when present, gives the complete skills of each action it
or the 关键动作 sheet names (an action's skills missing from it are removed). Lists,
stages, positions and links are compared as sets, texts as trimmed, so re-importing an export
changes nothing and says so. Q&A cards have their own import (`qa-cards`) and are neither
exported nor accepted here. Media files are not in the workbook: a micro-video or audio
without its uploaded file stays a draft (a warning says so), and the duration of one with
its file is the file's, never the sheet's.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, BinaryIO

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl.styles import Font

from casspath.cass.actions.maps import do_create_map
from casspath.cass.audit_verbs import CassVerb
from casspath.cass.importers.common import (
    CHECK_ZH,
    DEVICE_ZH,
    KIND_ZH,
    MAP_OPTIONS,
    STATUS_ZH,
    STUDY_MODE_ZH,
    SheetRows,
    Target,
    dimension_names,
    existing_map,
    parse_checks,
    parse_code,
    parse_code_list,
    parse_devices,
    parse_kind,
    parse_level,
    parse_modes,
    parse_skills,
    parse_status,
    parse_text,
    parse_whole,
    resolve_target,
    shown_list,
    shown_skills,
    split_list,
)
from casspath.cass.models import (
    MEDIA_KINDS,
    ActionSkill,
    CassMap,
    KeyAction,
    Resource,
    ResourceKind,
    ResourceSkill,
    ResourceStatus,
    WorkItem,
)
from casspath.core import audit
from casspath.core.spreadsheets import append_row, new_workbook, xlsx_bytes
from casspath.imports.columns import Column
from casspath.imports.errors import ImportFileError, ImportWarning, RowError
from casspath.imports.framework import Importer, RunContext
from casspath.imports.limits import budget_of
from casspath.imports.reader import read_sheets
from casspath.imports.registry import register
from casspath.imports.report import Change, ImportReport
from casspath.org import scopes
from casspath.org.models import Position, Stage

SHEET_ITEMS, SHEET_ACTIONS, SHEET_SKILLS, SHEET_RESOURCES = "工作内容", "关键动作", "动作技能", "学习资源"
SHEETS = (SHEET_ITEMS, SHEET_ACTIONS, SHEET_SKILLS, SHEET_RESOURCES)

ITEM_COLUMNS = (
    Column(
        "code",
        "工作编码",
        "work item code",
        ("编码", "work_item"),
        required=True,
        blank_ok=False,
        parse=parse_code(20),
    ),
    Column(
        "name", "名称", "name", ("工作内容", "工作名称"), required=True, blank_ok=False, parse=parse_text(100)
    ),
    Column("description", "描述", "description", ("说明",), parse=parse_text()),
    Column(
        "importance",
        "重要性",
        "importance",
        required=True,
        blank_ok=False,
        parse=parse_whole(1, 5, "重要性", "importance"),
    ),
    Column(
        "frequency",
        "频率",
        "frequency",
        required=True,
        blank_ok=False,
        parse=parse_whole(1, 5, "频率", "frequency"),
    ),
    Column("stages", "适用阶段", "stages", ("阶段",), parse=split_list),
    Column("positions", "适用岗位", "positions", ("岗位",), parse=split_list),
)
ACTION_COLUMNS = (
    Column("code", "动作编码", "action code", ("编码",), required=True, blank_ok=False, parse=parse_code(20)),
    Column(
        "item",
        "工作编码",
        "work item code",
        ("work_item",),
        required=True,
        blank_ok=False,
        parse=parse_code(20),
    ),
    Column("order", "序号", "order", ("顺序",), parse=parse_whole(1, 999, "序号", "order")),
    Column(
        "name", "名称", "name", ("动作名称", "关键动作"), required=True, blank_ok=False, parse=parse_text(100)
    ),
    Column(
        "standard",
        "完成标准",
        "completion standard",
        ("standard",),
        required=True,
        blank_ok=False,
        parse=parse_text(),
    ),
    Column("mistakes", "常见错误", "common mistakes", ("mistakes",), parse=parse_text()),
    Column("study_modes", "学习模式", "study modes", (), parse=parse_modes),
    Column("checks", "检验方式", "checks", ("检验",), parse=parse_checks),
)
SKILL_COLUMNS = (
    Column("action", "动作编码", "action code", (), required=True, blank_ok=False, parse=parse_code(20)),
    Column(
        "dimension",
        "维度编码",
        "dimension code",
        ("维度",),
        required=True,
        blank_ok=False,
        parse=parse_code(10),
    ),
    Column("level", "等级", "level", ("要求等级",), required=True, blank_ok=False, parse=parse_level),
)
RESOURCE_COLUMNS = (
    Column(
        "code", "资源编码", "resource code", ("编码",), required=True, blank_ok=False, parse=parse_code(30)
    ),
    Column("kind", "类型", "kind", ("资源类型",), required=True, blank_ok=False, parse=parse_kind),
    Column("title", "标题", "title", (), required=True, blank_ok=False, parse=parse_text(200)),
    Column("summary", "简介", "summary", ("摘要",), parse=parse_text()),
    Column(
        "duration",
        "时长(分钟)",
        "duration (minutes)",
        ("时长", "时长（分钟）", "duration", "分钟"),
        parse=parse_whole(1, 600, "时长", "duration"),
    ),
    Column("devices", "适用设备", "devices", ("设备",), parse=parse_devices),
    Column("study_modes", "学习模式", "study modes", (), parse=parse_modes),
    Column("skills", "维度与等级", "dimensions and levels", ("维度等级", "skills"), parse=parse_skills),
    Column("work_items", "工作编码", "work item codes", ("work_items",), parse=parse_code_list(20)),
    Column("actions", "动作编码", "action codes", ("key_actions",), parse=parse_code_list(20)),
    Column("status", "状态", "status", (), parse=parse_status),
)
COLUMNS = {
    SHEET_ITEMS: ITEM_COLUMNS,
    SHEET_ACTIONS: ACTION_COLUMNS,
    SHEET_SKILLS: SKILL_COLUMNS,
    SHEET_RESOURCES: RESOURCE_COLUMNS,
}
SHEET_EN = {
    SHEET_ITEMS: "work items",
    SHEET_ACTIONS: "key actions",
    SHEET_SKILLS: "action skills",
    SHEET_RESOURCES: "resources",
}
# Sheets a workbook may carry besides (the template's instructions).
QUIET_SHEETS = {"说明", "说明 Instructions", "Instructions", "lists"}


def _same_text(old: str | None, new: str | None) -> bool:
    return (old or "").strip() == (new or "").strip()


def _named(values: list[Any], *, key) -> str:
    return "、".join(sorted(key(v) for v in values))


# --- parsing -----------------------------------------------------------------------------


def parse_workbook(data: bytes, filename: str, report: ImportReport) -> dict[str, SheetRows]:
    if PurePath(filename or "").suffix.lower() not in (".xlsx", ".xlsm", ".ods", ".xls"):
        raise ImportFileError(
            "CASS 地图须以 Excel 工作簿（.xlsx）导入", "a CASS map is imported as an Excel workbook (.xlsx)"
        )
    with budget_of("cass"):
        sheets = read_sheets(data, filename)
    found: dict[str, SheetRows] = {}
    for sheet in sheets:
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
            "文件中没有 CASS 地图的工作表（应有：工作内容、关键动作、动作技能、学习资源）",
            "the file has none of the CASS map's sheets (工作内容, 关键动作, 动作技能, 学习资源)",
        )
    report.total = sum(len(rows.rows) for rows in found.values())
    return found


# --- the plan ----------------------------------------------------------------------------


@dataclass
class Plan:
    target: Target
    items: list[tuple[WorkItem | None, dict, list[Stage], list[Position]]] = field(default_factory=list)
    actions: list[tuple[KeyAction | None, str, dict]] = field(
        default_factory=list
    )  # (row, item code, values)
    # action code -> its complete skills, for each action whose skills change
    skills: dict[str, dict[str, int]] = field(default_factory=dict)
    resources: list[tuple[Resource | None, dict, dict | None, list[str] | None, list[str] | None]] = field(
        default_factory=list
    )

    @property
    def changes(self) -> bool:
        return bool(self.items or self.actions or self.skills or self.resources)


class _State:
    """The map as it is: its items, actions (with skills) and resources (with links), one
    query each."""

    def __init__(self, cass_map: CassMap | None):
        self.items: dict[str, WorkItem] = {}
        self.actions: dict[str, KeyAction] = {}
        self.action_skills: dict[str, dict[str, int]] = {}
        self.resources: dict[str, Resource] = {}
        self.resource_skills: dict[str, dict[str, int]] = {}
        self.resource_items: dict[str, set[str]] = {}
        self.resource_actions: dict[str, set[str]] = {}
        if cass_map is None:
            return
        for item in WorkItem.objects.filter(cass_map=cass_map).prefetch_related("stages", "positions"):
            self.items[item.code] = item
        for action in KeyAction.objects.filter(cass_map=cass_map).select_related("work_item"):
            self.actions[action.code] = action
            self.action_skills[action.code] = {}
        for code, dim, level in ActionSkill.objects.filter(action__cass_map=cass_map).values_list(
            "action__code", "dimension_code", "level"
        ):
            self.action_skills.setdefault(code, {})[dim] = level
        for resource in Resource.objects.filter(cass_map=cass_map):
            self.resources[resource.code] = resource
            self.resource_skills[resource.code] = {}
            self.resource_items[resource.code] = set()
            self.resource_actions[resource.code] = set()
        for code, dim, level in ResourceSkill.objects.filter(resource__cass_map=cass_map).values_list(
            "resource__code", "dimension_code", "level"
        ):
            self.resource_skills[code][dim] = level
        links = Resource.work_items.through.objects.filter(resource__cass_map=cass_map)
        for code, item_code in links.values_list("resource__code", "workitem__code"):
            self.resource_items[code].add(item_code)
        links2 = Resource.key_actions.through.objects.filter(resource__cass_map=cass_map)
        for code, action_code in links2.values_list("resource__code", "keyaction__code"):
            self.resource_actions[code].add(action_code)


def _value_lookup(model) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for row in model.objects.all():
        for word in (row.code, row.name, row.name_en):
            if word:
                table.setdefault(word.strip().lower(), row)
    return table


def _duplicates(rows: SheetRows, key: str, report: ImportReport, what_zh: str, what_en: str) -> set[int]:
    seen: dict[Any, int] = {}
    bad: set[int] = set()
    for row in rows.rows:
        value = row.values.get(key)
        if value is None:
            continue
        if value in seen:
            report.errors.append(
                RowError(
                    row.number,
                    rows.where(key),
                    str(value),
                    f"{what_zh}“{value}”与第 {seen[value]} 行重复",
                    f"{what_en} '{value}' repeats row {seen[value]}",
                )
            )
            bad.add(row.number)
        else:
            seen[value] = row.number
    return bad


def make_plan(target: Target, sheets: dict[str, SheetRows], report: ImportReport) -> Plan:
    """Every row checked against the map as it is; the writes it needs, the counts and the
    preview in the report. Rows with errors are reported and left out (the plan is then
    never applied)."""
    plan = Plan(target)
    state = _State(target.cass_map)
    dimensions = dimension_names(target.model)
    errors = report.errors

    def bad(row, rows: SheetRows, key: str, zh: str, en: str, value: str | None = None) -> None:
        errors.append(
            RowError(row.number, rows.where(key), row.raw.get(key, "") if value is None else value, zh, en)
        )
        row.bad = True

    def count(action: str, row_number: int, key: str, fields: dict) -> None:
        if action == "create":
            report.created += 1
        elif action == "update":
            report.updated += 1
        else:
            report.unchanged += 1
            return
        report.add_change(Change(row=row_number, key=key, action=action, fields=fields))

    def unknown_dimension(code: str) -> tuple[str, str]:
        return (
            f"维度编码 {code} 不在适用的技能模型 {target.model.family} v{target.model.version} 中",
            f"dimension code {code} is not in the applying competency model "
            f"{target.model.family} v{target.model.version}",
        )

    # 工作内容
    item_codes = set(state.items)
    items = sheets.get(SHEET_ITEMS)
    if items is not None:
        stages, positions = _value_lookup(Stage), _value_lookup(Position)
        dup = _duplicates(items, "code", report, "工作编码", "work item code")
        for row in items.rows:
            v = row.values
            if v.get("code"):
                item_codes.add(v["code"])
            if row.number in dup:
                row.bad = True
            found_stages: list[Stage] = []
            found_positions: list[Position] = []
            for key, table, found, zh, en in (
                ("stages", stages, found_stages, "阶段", "stage"),
                ("positions", positions, found_positions, "岗位", "position"),
            ):
                for word in v.get(key) or []:
                    value = table.get(word.lower())
                    if value is None:
                        bad(row, items, key, f"未知的{zh}“{word}”", f"unknown {en} '{word}'", word)
                    elif value not in found:
                        found.append(value)
            if row.bad:
                continue
            values = {
                "code": v["code"],
                "name": v["name"],
                "description": v.get("description") or "",
                "importance": v["importance"],
                "frequency": v["frequency"],
            }
            existing = state.items.get(v["code"])
            key = f"{SHEET_ITEMS} {v['code']}"
            if existing is None:
                plan.items.append((None, values, found_stages, found_positions))
                count("create", row.number, key, {})
                continue
            fields = {
                name: [getattr(existing, name), new]
                for name, new in values.items()
                if not (
                    _same_text(getattr(existing, name), new)
                    if isinstance(new, str)
                    else getattr(existing, name) == new
                )
            }
            old_stages = {s.pk for s in existing.stages.all()}
            old_positions = {p.pk for p in existing.positions.all()}
            if old_stages != {s.pk for s in found_stages}:
                fields["stages"] = [
                    _named(list(existing.stages.all()), key=lambda s: s.code),
                    _named(found_stages, key=lambda s: s.code),
                ]
            if old_positions != {p.pk for p in found_positions}:
                fields["positions"] = [
                    _named(list(existing.positions.all()), key=lambda p: p.code),
                    _named(found_positions, key=lambda p: p.code),
                ]
            if fields:
                plan.items.append((existing, values, found_stages, found_positions))
            count("update" if fields else "unchanged", row.number, key, fields)

    # 关键动作
    action_codes = set(state.actions)
    actions = sheets.get(SHEET_ACTIONS)
    listed_actions: list[str] = []
    if actions is not None:
        dup = _duplicates(actions, "code", report, "动作编码", "action code")
        next_order: dict[str, int] = {}
        for row in actions.rows:
            v = row.values
            if v.get("code"):
                action_codes.add(v["code"])
                listed_actions.append(v["code"])
            if row.number in dup:
                row.bad = True
            if v.get("item") and v["item"] not in item_codes:
                bad(
                    row,
                    actions,
                    "item",
                    f"工作编码 {v['item']} 不在「工作内容」表中，也不在地图中",
                    f"work item code {v['item']} is neither on the 工作内容 sheet nor in the map",
                )
            if row.bad:
                continue
            order = v.get("order")
            if order is None:
                order = next_order.get(v["item"], 1)
            next_order[v["item"]] = order + 1
            values = {
                "code": v["code"],
                "order": order,
                "name": v["name"],
                "standard": v["standard"],
                "mistakes": v.get("mistakes") or "",
                "study_modes": v.get("study_modes") or [],
                "checks": v.get("checks") or [],
            }
            old_action = state.actions.get(v["code"])
            key = f"{SHEET_ACTIONS} {v['code']}"
            if old_action is None:
                plan.actions.append((None, v["item"], values))
                count("create", row.number, key, {})
                continue
            fields = {}
            for name, new in values.items():
                old = getattr(old_action, name)
                same = (
                    (set(old) == set(new))
                    if isinstance(new, list)
                    else (_same_text(old, new) if isinstance(new, str) else old == new)
                )
                if not same:
                    fields[name] = [old, new]
            if old_action.work_item.code != v["item"]:
                fields["work_item"] = [old_action.work_item.code, v["item"]]
            if fields:
                plan.actions.append((old_action, v["item"], values))
            count("update" if fields else "unchanged", row.number, key, fields)

    # 动作技能
    skills_sheet = sheets.get(SHEET_SKILLS)
    if skills_sheet is not None:
        wanted: dict[str, dict[str, int]] = {code: {} for code in listed_actions}
        rows_of: dict[tuple, int] = {}
        for row in skills_sheet.rows:
            v = row.values
            if v.get("action") and v["action"] not in action_codes:
                bad(
                    row,
                    skills_sheet,
                    "action",
                    f"动作编码 {v['action']} 不在「关键动作」表中，也不在地图中",
                    f"action code {v['action']} is neither on the 关键动作 sheet nor in the map",
                )
            if v.get("dimension") and v["dimension"] not in dimensions:
                bad(row, skills_sheet, "dimension", *unknown_dimension(v["dimension"]))
            pair = (v.get("action"), v.get("dimension"))
            if None not in pair and pair in rows_of:
                bad(
                    row,
                    skills_sheet,
                    "dimension",
                    f"动作 {pair[0]} 的维度 {pair[1]} 与第 {rows_of[pair]} 行重复",
                    f"dimension {pair[1]} of action {pair[0]} repeats row {rows_of[pair]}",
                )
            if row.bad:
                continue
            rows_of[pair] = row.number
            wanted.setdefault(v["action"], {})[v["dimension"]] = v["level"]
            old = state.action_skills.get(v["action"], {}).get(v["dimension"])
            key = f"{SHEET_SKILLS} {v['action']} {v['dimension']}"
            if old is None:
                count("create", row.number, key, {})
            else:
                count(
                    "update" if old != v["level"] else "unchanged",
                    row.number,
                    key,
                    {"level": [old, v["level"]]},
                )
        for code, skills in wanted.items():
            old_skills = state.action_skills.get(code, {})
            if old_skills != skills:
                plan.skills[code] = skills
            removed = sorted(set(old_skills) - set(skills))
            if removed:
                report.updated += 1
                report.add_change(
                    Change(
                        row=0,
                        key=f"{SHEET_SKILLS} {code}",
                        action="update",
                        fields={"removed": ["；".join(removed), ""]},
                    )
                )

    # 学习资源
    resources = sheets.get(SHEET_RESOURCES)
    if resources is not None:
        dup = _duplicates(resources, "code", report, "资源编码", "resource code")
        for row in resources.rows:
            v = row.values
            if row.number in dup:
                row.bad = True
            old_res = state.resources.get(v.get("code") or "")
            if v.get("kind") == ResourceKind.QA_CARD:
                bad(
                    row,
                    resources,
                    "kind",
                    "问答卡请用问答卡导入（qa-cards）",
                    "import Q&A cards with qa-cards",
                )
            elif old_res is not None and old_res.kind == ResourceKind.QA_CARD:
                bad(
                    row,
                    resources,
                    "code",
                    f"资源编码 {old_res.code} 已被一张问答卡使用",
                    f"resource code {old_res.code} is used by a Q&A card",
                )
            elif v.get("kind") == ResourceKind.WORK_GUIDE and (old_res is None or old_res.kind != v["kind"]):
                bad(
                    row,
                    resources,
                    "kind",
                    "工作指引请在「工作指引」页面建立（含步骤和图片）",
                    "a work guide is made on the work guides page, with its steps and images",
                )
            elif old_res is not None and v.get("kind") and v["kind"] != old_res.kind and (
                old_res.kind == ResourceKind.WORK_GUIDE or (old_res.kind in MEDIA_KINDS and old_res.media)
            ):
                bad(
                    row,
                    resources,
                    "kind",
                    f"{old_res.code} 是{KIND_ZH[old_res.kind]}，不能改变类型"
                    "（工作指引有其步骤，音视频有其文件）",
                    f"{old_res.code} is a {old_res.kind} and cannot change its kind (a work guide has its "
                    "steps, a video or audio its file)",
                )
            for dim in v.get("skills") or {}:
                if dim not in dimensions:
                    bad(row, resources, "skills", *unknown_dimension(dim))
            for code in v.get("work_items") or []:
                if code not in item_codes:
                    bad(
                        row,
                        resources,
                        "work_items",
                        f"工作编码 {code} 不在「工作内容」表中，也不在地图中",
                        f"work item code {code} is neither on the 工作内容 sheet nor in the map",
                    )
            for code in v.get("actions") or []:
                if code not in action_codes:
                    bad(
                        row,
                        resources,
                        "actions",
                        f"动作编码 {code} 不在「关键动作」表中，也不在地图中",
                        f"action code {code} is neither on the 关键动作 sheet nor in the map",
                    )
            has_file = old_res is not None and bool(old_res.media)
            media_duration = bool(has_file and old_res is not None and v.get("kind") in MEDIA_KINDS
                                  and old_res.media_seconds)
            if v.get("duration") is None and not media_duration and not row.bad and v.get("kind"):
                bad(
                    row,
                    resources,
                    "duration",
                    "必填，不能为空（音视频上传文件后以文件时长为准）",
                    "required: may not be empty (a video's or audio's is its file's, once uploaded)",
                    "",
                )
            if row.bad:
                continue
            res_values: dict[str, Any] = {
                "code": v["code"],
                "kind": v["kind"],
                "title": v["title"],
                "summary": v.get("summary") or "",
                "devices": v.get("devices") or [],
                "study_modes": v.get("study_modes") or [],
            }
            if media_duration:
                assert old_res is not None
                if v.get("duration") is not None and v["duration"] != old_res.duration_minutes:
                    where, code, minutes = resources.where("duration"), v["code"], old_res.duration_minutes
                    report.warnings.append(
                        ImportWarning(
                            f"{where} 第 {row.number} 行：{code} 的时长取自已上传的媒体文件"
                            f"（{minutes} 分钟），表中的 {v['duration']} 未采用",
                            f"{where} row {row.number}: the duration of {code} is its "
                            f"uploaded file's ({minutes} min); {v['duration']} was not used",
                        )
                    )
            else:
                res_values["duration_minutes"] = v["duration"]
            status = v.get("status") or (old_res.status if old_res is not None else ResourceStatus.DRAFT)
            if status == ResourceStatus.PUBLISHED and v["kind"] in MEDIA_KINDS and not has_file:
                where, code = resources.where("status"), v["code"]
                report.warnings.append(
                    ImportWarning(
                        f"{where} 第 {row.number} 行：{code} 是{KIND_ZH[v['kind']]}，"
                        "媒体文件不在工作簿中；请在资源库页面上传文件后再发布，现为草稿",
                        f"{where} row {row.number}: {code} is a {v['kind']} whose media file is not in "
                        "the workbook; it stays a draft until its file is uploaded on the library page",
                    )
                )
                keep = old_res.status if old_res is not None else ResourceStatus.DRAFT
                status = ResourceStatus.DRAFT if keep == ResourceStatus.PUBLISHED else keep
            res_values["status"] = status
            # A column the sheet lacks leaves that part as it is; an empty cell empties it.
            present = resources.present
            res_skills = (v.get("skills") or {}) if "skills" in present else None
            links_items = (v.get("work_items") or []) if "work_items" in present else None
            links_actions = (v.get("actions") or []) if "actions" in present else None
            key = f"{SHEET_RESOURCES} {v['code']}"
            if old_res is None:
                plan.resources.append((None, res_values, res_skills, links_items, links_actions))
                count("create", row.number, key, {})
                continue
            fields = {}
            for name, new in res_values.items():
                old = getattr(old_res, name)
                same = (
                    (set(old) == set(new))
                    if isinstance(new, list)
                    else (_same_text(old, new) if isinstance(new, str) else old == new)
                )
                if not same:
                    fields[name] = [old, new]
            if res_skills is not None and res_skills != state.resource_skills.get(v["code"], {}):
                fields["skills"] = [
                    shown_skills(state.resource_skills.get(v["code"], {})),
                    shown_skills(res_skills),
                ]
            else:
                res_skills = None
            if links_items is not None and set(links_items) != state.resource_items.get(v["code"], set()):
                fields["work_items"] = [
                    "；".join(sorted(state.resource_items[v["code"]])),
                    "；".join(links_items),
                ]
            else:
                links_items = None
            if links_actions is not None and set(links_actions) != state.resource_actions.get(
                v["code"], set()
            ):
                fields["actions"] = [
                    "；".join(sorted(state.resource_actions[v["code"]])),
                    "；".join(links_actions),
                ]
            else:
                links_actions = None
            if fields:
                plan.resources.append((old_res, res_values, res_skills, links_items, links_actions))
            count("update" if fields else "unchanged", row.number, key, fields)

    if target.cass_map is None:
        report.add_change(
            Change(
                row=0,
                key=target.default_name,
                action="create",
                text_zh=f"新建 {target.unit.name}（{target.unit.code}）的 CASS 地图（模型 {target.family}）",
                text_en=f"a new CASS map of {target.unit.name} ({target.unit.code}), model {target.family}",
            )
        )
    elif not plan.changes and not errors:
        report.add_change(
            Change(
                row=0,
                key=target.cass_map.name,
                action="unchanged",
                text_zh="与现有地图完全相同，不做任何更改",
                text_en="identical to the map as it is: nothing changes",
            )
        )
    return plan


# --- the write --------------------------------------------------------------------------


def _checked(obj, exclude: list[str]) -> None:
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _write(model, rows: list, fields: list[str]) -> None:
    """New rows in one INSERT per batch, changed ones in one UPDATE per batch."""
    changed = [r for r in rows if r.pk is not None]  # read before the insert gives the new ones ids
    model.objects.bulk_create([r for r in rows if r.pk is None], batch_size=500)
    if changed:
        model.objects.bulk_update(changed, fields, batch_size=500)


def _relink(through, owner_field: str, other_field: str, links: dict[int, list[int]]) -> None:
    """Replace the many-to-many links of each owner id in `links` (its whole new list)."""
    if not links:
        return
    owners = list(links)
    for start in range(0, len(owners), 500):
        through.objects.filter(**{f"{owner_field}__in": owners[start:start + 500]}).delete()
    through.objects.bulk_create(
        [through(**{owner_field: owner, other_field: other}) for owner, others in links.items()
         for other in others], batch_size=1000)


def apply_plan(plan: Plan, acting_user) -> CassMap:
    """Write the plan (inside the run's transaction), set-based: a few statements per sheet
    whatever its size. Returns the map."""
    target = plan.target
    cass_map = target.cass_map or do_create_map(org_unit=target.unit, model_family=target.family,
                                                name=target.default_name, acting_user=acting_user)
    now = timezone.now()
    item_rows = []
    for existing, values, _stages, _positions in plan.items:
        item = existing or WorkItem(cass_map=cass_map)
        for name, value in values.items():
            setattr(item, name, value)
        _checked(item, ["cass_map"])
        item_rows.append(item)
    _write(WorkItem, item_rows, list(plan.items[0][1]) if plan.items else [])
    items = {item.code: item for item in WorkItem.objects.filter(cass_map=cass_map)}
    stage_links = {items[v["code"]].pk: [st.pk for st in stages] for _e, v, stages, _p in plan.items}
    position_links = {items[v["code"]].pk: [po.pk for po in positions] for _e, v, _s, positions in plan.items}
    _relink(WorkItem.stages.through, "workitem_id", "stage_id", stage_links)
    _relink(WorkItem.positions.through, "workitem_id", "position_id", position_links)

    action_rows = []
    for existing_action, item_code, values in plan.actions:
        action = existing_action or KeyAction(cass_map=cass_map)
        action.work_item = items[item_code]
        for name, value in values.items():
            setattr(action, name, value)
        _checked(action, ["cass_map", "work_item"])
        action_rows.append(action)
    _write(KeyAction, action_rows, [*ACTION_WRITE_FIELDS, "work_item"])
    actions = {a.code: a for a in KeyAction.objects.filter(cass_map=cass_map)}
    if plan.skills:
        ids = [actions[code].pk for code in plan.skills]
        for start in range(0, len(ids), 500):
            ActionSkill.objects.filter(action_id__in=ids[start:start + 500]).delete()
        ActionSkill.objects.bulk_create([
            ActionSkill(action=actions[code], dimension_code=dim, level=level)
            for code, skills in plan.skills.items() for dim, level in sorted(skills.items())],
            batch_size=1000)

    resource_rows = []
    for existing_resource, values, _skills, _items, _actions in plan.resources:
        resource = existing_resource or Resource(cass_map=cass_map, created_at=now)
        was_published = resource.pk is not None and resource.status == ResourceStatus.PUBLISHED
        for name, value in values.items():
            setattr(resource, name, value)
        resource.updated_at = now
        if resource.status == ResourceStatus.PUBLISHED and not was_published:
            resource.published_at = now
        _checked(resource, ["cass_map", "media", "poster"])
        resource_rows.append(resource)
    _write(Resource, resource_rows, RESOURCE_WRITE_FIELDS)
    resources = {r.code: r.pk for r in Resource.objects.filter(cass_map=cass_map).only("id", "code")}
    new_skills = {resources[v["code"]]: skills
                  for _r, v, skills, _i, _a in plan.resources if skills is not None}
    if new_skills:
        owners = list(new_skills)
        for start in range(0, len(owners), 500):
            ResourceSkill.objects.filter(resource_id__in=owners[start:start + 500]).delete()
        ResourceSkill.objects.bulk_create([
            ResourceSkill(resource_id=pk, dimension_code=d, level=lv)
            for pk, skills in new_skills.items() for d, lv in sorted(skills.items())], batch_size=1000)
    _relink(Resource.work_items.through, "resource_id", "workitem_id",
            {resources[v["code"]]: [items[c].pk for c in links]
             for _r, v, _s, links, _a in plan.resources if links is not None})
    _relink(Resource.key_actions.through, "resource_id", "keyaction_id",
            {resources[v["code"]]: [actions[c].pk for c in links]
             for _r, v, _s, _i, links in plan.resources if links is not None})
    if plan.changes:
        cass_map.updated_at = now
        cass_map.save(update_fields=["updated_at"])
    return cass_map


ACTION_WRITE_FIELDS = ["code", "order", "name", "standard", "mistakes", "study_modes", "checks"]
RESOURCE_WRITE_FIELDS = ["code", "kind", "title", "summary", "duration_minutes", "devices", "study_modes",
                         "status", "updated_at", "published_at"]


# The fields a change of the preview names, as the run page shows them (imports/views.py
# reads an importer's `columns` for the headers): one name per field across the sheets.
PREVIEW_FIELDS = tuple(
    Column(key, zh, en)
    for key, zh, en in (
        ("name", "名称", "name"), ("description", "描述", "description"),
        ("importance", "重要性", "importance"), ("frequency", "频率", "frequency"),
        ("stages", "适用阶段", "stages"), ("positions", "适用岗位", "positions"),
        ("order", "序号", "order"), ("standard", "完成标准", "completion standard"),
        ("mistakes", "常见错误", "common mistakes"), ("study_modes", "学习模式", "study modes"),
        ("checks", "检验方式", "checks"), ("work_item", "工作编码", "work item"), ("level", "等级", "level"),
        ("kind", "类型", "kind"), ("title", "标题", "title"), ("summary", "简介", "summary"),
        ("duration_minutes", "时长(分钟)", "duration (minutes)"), ("devices", "适用设备", "devices"),
        ("status", "状态", "status"), ("skills", "维度与等级", "dimensions and levels"),
        ("work_items", "工作编码", "work items"), ("actions", "动作编码", "key actions"),
        ("removed", "移除的维度", "dimensions removed"),
    )
)


class CassImporter(Importer):
    kind = "cass"
    label = _("CASS map")
    scope = scopes.PermScope(scopes.Perm.EDIT_MODELS)
    can_export = True
    audit_verb = CassVerb.IMPORT_MAP
    export_verb = CassVerb.EXPORT_MAP
    options = MAP_OPTIONS
    columns = PREVIEW_FIELDS

    def template(self) -> bytes:
        return workbook_xlsx(None)

    def template_filename(self) -> str:
        return "casspath-cass-map.xlsx"

    def lock_units(self, ctx: RunContext) -> list[list[int]] | None:
        """The map's owner unit, whoever imports (two imports of one unit's map take turns)."""
        unit = ctx.cache.get("owner_unit")
        return [unit.ancestor_ids()] if unit is not None else None

    def run(self, data: bytes, ctx: RunContext) -> ImportReport:
        report = self.new_report(ctx)
        ctx.progress("reading", 0, 1)
        sheets = parse_workbook(data, ctx.filename, report)
        ctx.progress("validating", 1, 1)
        target = resolve_target(ctx.acting_user, ctx.options)
        ctx.cache["owner_unit"] = target.unit
        if ctx.dry_run or report.errors:
            make_plan(target, sheets, report)
            report.ok = not report.errors
            return report

        def write() -> None:
            # Under the lock: the map as it is now (another import may have just written it).
            now_target = resolve_target(ctx.acting_user, ctx.options)
            ctx.progress("planning", 0, report.total)
            plan = make_plan(now_target, sheets, report)
            if report.errors:
                return
            ctx.progress("writing", 0, report.total)
            cass_map = apply_plan(plan, ctx.acting_user)
            audit.record(
                ctx.acting_user,
                self.audit_verb,
                cass_map,
                summary=f"{ctx.filename}: +{report.created} ~{report.updated}",
                changes={
                    "filename": ctx.filename,
                    "sha256": ctx.sha256,
                    "rows": report.total,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                },
                unit=cass_map.org_unit,
            )
            report.ok = report.applied = True
            if ctx.before_commit is not None:
                ctx.before_commit(report)

        self.run_locked(ctx, write)
        report.ok = not report.errors
        return report

    def export(
        self, acting_user, filename: str, out: BinaryIO, filters: Mapping[str, str] | None = None
    ) -> int:
        """The map named by the filters `unit` and `family` (as the import's options), as the
        import's workbook; rows counted over its four sheets."""
        if PurePath(filename).suffix.lower() != ".xlsx":
            raise ImportFileError("CASS 地图只能导出为 .xlsx 文件", "a CASS map exports to .xlsx only")
        scopes.require_perm(acting_user, scopes.Perm.EDIT_MODELS)
        data, rows = workbook_xlsx(existing_map(acting_user, filters or {}), counted=True)
        out.write(data)
        return rows


TEMPLATE_NOTES = (
    "CASS 地图：工作内容 → 关键动作 → 动作技能 → 学习资源，编码是各表的主键。",
    "The CASS map: work items, key actions, action skills, resources; codes are each sheet's keys.",
    "工作内容：重要性、频率为 1–5；适用阶段、适用岗位写编码或名称，用；分隔。",
    "关键动作：工作编码须在「工作内容」表或地图中；"
    "学习模式写 班前学、途中学、闲暇学、面授、班组学习、行动学习；"
    "检验方式写 学前测、学后测、随机测、绩效测、主管观察。",
    "动作技能：每行一个动作的一个维度及所需等级（1–5）；本表给出所列动作的全部技能。",
    "学习资源：类型写 微视频、音频、文章、案例、产品卡、工作指引、测验、课程（问答卡请用问答卡导入）；"
    "适用设备写 手机、电脑、打印；维度与等级写 D01:3；D05:2；状态写 草稿、已发布、已停用。",
    "音视频文件不在工作簿中：上传文件前保持草稿，上传后以文件时长为准。",
    "导入时用选项 unit（所属单位编码）和 family（技能模型编码）指明地图；地图不存在时自动新建。",
)


def workbook_xlsx(cass_map: CassMap | None, *, counted: bool = False) -> Any:
    """The map's four sheets (empty sheets with their headers for the template)."""
    book = new_workbook()
    book.remove(book.active)
    sheets = {}
    for name, columns in COLUMNS.items():
        ws = book.create_sheet(name)
        append_row(ws, [column.header_zh for column in columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for index in range(len(columns)):
            ws.column_dimensions[ws.cell(1, index + 1).column_letter].width = 28 if index else 14
        sheets[name] = ws
    rows = 0
    if cass_map is None:  # the template: how to fill it in
        notes = book.create_sheet("说明")
        for line in TEMPLATE_NOTES:
            append_row(notes, [line])
        notes.column_dimensions["A"].width = 120
    if cass_map is not None:
        items = list(
            WorkItem.objects.filter(cass_map=cass_map)
            .prefetch_related("stages", "positions")
            .order_by("code")
        )
        for item in items:
            append_row(
                sheets[SHEET_ITEMS],
                [
                    item.code,
                    item.name,
                    item.description,
                    item.importance,
                    item.frequency,
                    "；".join(s.code for s in sorted(item.stages.all(), key=lambda s: (s.min_years, s.pk))),
                    "；".join(p.code for p in sorted(item.positions.all(), key=lambda p: (p.order, p.pk))),
                ],
            )
        actions = list(
            KeyAction.objects.filter(cass_map=cass_map)
            .select_related("work_item")
            .order_by("work_item__code", "order", "code")
        )
        for action in actions:
            append_row(
                sheets[SHEET_ACTIONS],
                [
                    action.code,
                    action.work_item.code,
                    action.order,
                    action.name,
                    action.standard,
                    action.mistakes,
                    shown_list(_ordered(action.study_modes, STUDY_MODE_ZH), STUDY_MODE_ZH),
                    shown_list(_ordered(action.checks, CHECK_ZH), CHECK_ZH),
                ],
            )
        order = {a.pk: i for i, a in enumerate(actions)}
        skills = sorted(
            ActionSkill.objects.filter(action__cass_map=cass_map).values_list(
                "action_id", "action__code", "dimension_code", "level"
            ),
            key=lambda s: (order[s[0]], s[2]),
        )
        for _pk, code, dim, level in skills:
            append_row(sheets[SHEET_SKILLS], [code, dim, level])
        resources = list(
            Resource.objects.filter(cass_map=cass_map)
            .exclude(kind=ResourceKind.QA_CARD)
            .prefetch_related("skills", "work_items", "key_actions")
            .order_by("code")
        )
        for resource in resources:
            append_row(
                sheets[SHEET_RESOURCES],
                [
                    resource.code,
                    KIND_ZH.get(resource.kind, resource.kind),
                    resource.title,
                    resource.summary,
                    resource.duration_minutes,
                    shown_list(_ordered(resource.devices, DEVICE_ZH), DEVICE_ZH),
                    shown_list(_ordered(resource.study_modes, STUDY_MODE_ZH), STUDY_MODE_ZH),
                    shown_skills({s.dimension_code: s.level for s in resource.skills.all()}),
                    "；".join(sorted(i.code for i in resource.work_items.all())),
                    "；".join(sorted(a.code for a in resource.key_actions.all())),
                    STATUS_ZH.get(resource.status, resource.status),
                ],
            )
        rows = len(items) + len(actions) + len(skills) + len(resources)
    data = xlsx_bytes(book)
    return (data, rows) if counted else data


def _ordered(values: list[str], zh: Mapping) -> list[str]:
    return [v for v in zh if v in values]


register(CassImporter())
