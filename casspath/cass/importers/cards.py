"""`casspath import qa-cards FILE` and `casspath export qa-cards FILE`: a map's Q&A cards
(问答卡, 短信i提升) as one table (.xlsx or .csv).

Columns (CONTRACTS.md): 卡片编码 code, 问题 question, 回答 answer, 维度 dimension code (with
an optional level, "D07:2"; a bare code teaches level 1), 工作编码 work item (codes of the
map), 产品编码 product, 标签 tags (separated by ；/,/、); optional 时长(分钟) (default 1: a
card is read in under a minute) and 状态 (草稿 / 已发布 / 已停用).

A card is a resource of kind qa_card (its code the resource code) with its QACard row; the
dimension is the resource's skill. A new card without a status is published (the importer
holds the right to edit the map, and a card reaches learners only once published); an
existing card without a status keeps its own. Which map: the options `unit` and `family`,
as the `cass` import (common.py). Re-importing a file changes nothing.
"""

from collections.abc import Mapping
from pathlib import PurePath
from typing import Any, BinaryIO

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casspath.cass.actions.cards import NEW_CARD_DEVICES, NEW_CARD_MODES
from casspath.cass.audit_verbs import CassVerb
from casspath.cass.importers.common import (
    MAP_OPTIONS,
    STATUS_ZH,
    Target,
    dimension_names,
    parse_code,
    parse_status,
    parse_text,
    parse_whole,
    resolve_target,
    split_list,
)
from casspath.cass.models import QACard, Resource, ResourceKind, ResourceSkill, ResourceStatus
from casspath.cass.queries import card_title
from casspath.core import validators
from casspath.core.spreadsheets import (
    write_table,
)
from casspath.imports.columns import Column
from casspath.imports.errors import ImportFileError, Invalid, RowError
from casspath.imports.framework import RunContext, Table, TabularImporter
from casspath.imports.registry import register
from casspath.imports.report import Change, ImportReport
from casspath.org import scopes

DEFAULT_MINUTES = 1
COLUMN_OF = {"duration_minutes": "duration", "product_code": "product"}


def parse_dimension(value: str) -> tuple[str, int]:
    code, _sep, level = value.replace("：", ":").partition(":")
    code = validators.code(code.strip(), 10)
    if not level.strip():
        return code, 1
    if not level.strip().isdigit() or not 1 <= int(level) <= 5:
        raise Invalid("等级应为 1–5，如 D07:2", "the level must be 1-5, e.g. D07:2")
    return code, int(level)


def parse_codes(value: str) -> list[str]:
    codes: list[str] = []
    for part in split_list(value):
        code = validators.code(part, 20)
        if code not in codes:
            codes.append(code)
    return codes


def parse_tags(value: str) -> list[str]:
    tags: list[str] = []
    for part in split_list(value):
        tag = validators.text(part, 30)
        if tag not in tags:
            tags.append(tag)
    return tags


CARD_COLUMNS = (
    Column(
        "code",
        "卡片编码",
        "card code",
        ("编码", "资源编码"),
        required=True,
        blank_ok=False,
        parse=parse_code(30),
    ),
    Column(
        "question", "问题", "question", ("客户问题",), required=True, blank_ok=False, parse=parse_text(1000)
    ),
    Column(
        "answer",
        "回答",
        "answer",
        ("答案", "回答话术"),
        required=True,
        blank_ok=False,
        parse=parse_text(2000),
    ),
    Column(
        "dimension",
        "维度",
        "dimension",
        ("维度编码",),
        parse=parse_dimension,
        note_zh="维度编码，可带等级：D07 或 D07:2（默认 1 级）",
        note_en="a dimension code, optionally with a level",
    ),
    Column("work_items", "工作编码", "work item", ("工作内容编码",), parse=parse_codes),
    Column("product", "产品编码", "product", ("产品",), parse=parse_text(30)),
    Column(
        "tags", "标签", "tags", (), parse=parse_tags, note_zh="用；或 , 分隔", note_en="separated by ； or ,"
    ),
    Column(
        "duration",
        "时长(分钟)",
        "duration (minutes)",
        ("时长", "时长（分钟）"),
        parse=parse_whole(1, 600, "时长", "duration"),
        note_zh="默认 1 分钟",
        note_en="default 1 minute",
    ),
    Column(
        "status",
        "状态",
        "status",
        (),
        parse=parse_status,
        choices=lambda: list(STATUS_ZH.values()),
        note_zh="新卡片默认已发布；已有卡片不填则保持原状态",
        note_en="a new card is published unless told; a blank keeps an existing card's",
    ),
)


def _cards(cass_map) -> dict[str, Resource]:
    if cass_map is None:
        return {}
    resources = (
        Resource.objects.filter(cass_map=cass_map)
        .select_related("qa_card")
        .prefetch_related("skills", "work_items")
    )
    return {r.code: r for r in resources}


class QACardImporter(TabularImporter):
    kind = "qa-cards"
    label = _("Q&A cards")
    scope = scopes.PermScope(scopes.Perm.EDIT_MODELS)
    can_export = True
    audit_verb = CassVerb.IMPORT_QA_CARDS
    export_verb = CassVerb.EXPORT_QA_CARDS
    options = MAP_OPTIONS
    columns = CARD_COLUMNS
    sheet_name = "问答卡"
    examples = (
        {"code": "QA-P01-01", "question": "客户问：专线比企业宽带贵那么多，到底贵在哪里？",
         "answer": "专线是独享带宽、上下行对等、有固定公网地址和 SLA 保障；宽带是共享出口，高峰期会慢。"
         "做视频会议、ERP 上云、门店收银联网的客户，用专线不掉线。",
         "dimension": "D07:2", "work_items": "W02", "product": "P01", "tags": "专线；价格异议",
         "duration": 2, "status": "已发布"},
    )
    instructions_zh = (
        "每行一张问答卡：客户的问题和客户经理可以直接说的回答。",
        "回答最好不超过一条短信（含中文 70 字）。",
        "导入时用选项 unit / family 指明地图；不填则为您唯一的权限范围根单位。",
    )
    instructions_en = (
        "One Q&A card a row: the customer's question and the plain answer a manager can say.",
        "Keep an answer within one SMS (70 characters with Chinese).",
        "Name the map with the options unit / family; blank: your one scope root.",
    )
    value_labels = {
        "status": {
            ResourceStatus.DRAFT: _("draft"),
            ResourceStatus.PUBLISHED: _("published"),
            ResourceStatus.RETIRED: _("retired"),
        }
    }

    def template_filename(self) -> str:
        return "casspath-qa-cards.xlsx"

    def lock_units(self, ctx: RunContext) -> list[list[int]] | None:
        unit = ctx.cache.get("owner_unit")
        return [unit.ancestor_ids()] if unit is not None else None

    def run(self, data: bytes, ctx: RunContext) -> ImportReport:
        ctx.cache["owner_unit"] = resolve_target(ctx.acting_user, ctx.options).unit
        return super().run(data, ctx)

    def check(self, ctx: RunContext, table: Table, report: ImportReport) -> None:
        seen: dict[str, int] = {}
        for i, code in enumerate(table.columns["code"]):
            if code is None:
                continue
            if code in seen:
                report.errors.append(
                    RowError(
                        table.numbers[i],
                        table.headers["code"],
                        code,
                        f"卡片编码“{code}”与第 {seen[code]} 行重复",
                        f"card code '{code}' repeats row {seen[code]}",
                    )
                )
                table.bad.add(i)
            else:
                seen[code] = table.numbers[i]

    def plan(self, ctx: RunContext, table: Table, report: ImportReport) -> dict:
        target = resolve_target(ctx.acting_user, ctx.options)
        ctx.cache["target"] = target
        dimensions = dimension_names(target.model)
        existing = _cards(target.cass_map)
        item_codes = (
            set(target.cass_map.work_items.values_list("code", flat=True)) if target.cass_map else set()
        )
        col = table.columns
        headers = table.headers
        writes: list[tuple[Resource | None, dict]] = []
        for i, number in enumerate(table.numbers):

            def bad(key: str, value: str, zh: str, en: str, i=i, number=number) -> None:
                report.errors.append(RowError(number, headers.get(key, key), value, zh, en))
                table.bad.add(i)

            code = col["code"][i]
            resource = existing.get(code) if code else None
            if resource is not None and resource.kind != ResourceKind.QA_CARD:
                bad(
                    "code",
                    code,
                    f"资源编码 {code} 已被另一种学习资源使用",
                    f"resource code {code} is used by another kind of learning resource",
                )
            dim = col.get("dimension", [None] * len(table))[i]
            if dim is not None and dim[0] not in dimensions:
                bad(
                    "dimension",
                    dim[0],
                    f"维度编码 {dim[0]} 不在适用的技能模型 {target.model.family} 中",
                    f"dimension code {dim[0]} is not in the applying competency model {target.model.family}",
                )
            items = col.get("work_items", [None] * len(table))[i] or []
            for item in items:
                if item not in item_codes:
                    bad(
                        "work_items",
                        item,
                        f"工作编码 {item} 不在地图中",
                        f"work item code {item} is not in the map",
                    )
            if i in table.bad:
                continue
            wanted = self._wanted(table, i, resource)
            key = code
            if resource is None:
                writes.append((None, wanted))
                report.created += 1
                report.add_change(Change(row=number, key=key, action="create"))
                continue
            fields = self._diff(resource, wanted)
            if fields:
                writes.append((resource, wanted))
                report.updated += 1
                report.add_change(Change(row=number, key=key, action="update", fields=fields))
            else:
                report.unchanged += 1
        if target.cass_map is None:
            report.add_change(
                Change(
                    row=0,
                    key=target.default_name,
                    action="create",
                    text_zh=f"新建 {target.unit.name}（{target.unit.code}）的 CASS 地图",
                    text_en=f"a new CASS map of {target.unit.name} ({target.unit.code})",
                )
            )
        elif not writes and not report.errors:
            report.add_change(
                Change(
                    row=0,
                    key=target.cass_map.name,
                    action="unchanged",
                    text_zh="所有卡片与现有的完全相同，不做任何更改",
                    text_en="every card is as it is: nothing changes",
                )
            )
        return {"target": target, "writes": writes}

    def _wanted(self, table: Table, i: int, resource: Resource | None) -> dict[str, Any]:
        col = table.columns

        def value(key: str):
            return col[key][i] if key in col else None

        status = value("status")
        if status is None:
            status = resource.status if resource is not None else ResourceStatus.PUBLISHED
        duration = value("duration")
        if duration is None:
            duration = (
                resource.duration_minutes
                if resource is not None and "duration" not in table.present
                else DEFAULT_MINUTES
            )
        card = getattr(resource, "qa_card", None) if resource is not None else None

        def kept(key: str, old, blank):
            """A column the file lacks keeps the card's value; a blank cell empties it."""
            if key not in table.present:
                return old if resource is not None else blank
            found = value(key)
            return blank if found is None else found

        return {
            "code": value("code"),
            "question": value("question"),
            "answer": value("answer"),
            "status": status,
            "duration_minutes": duration,
            "dimension": kept("dimension", _skill_of(resource), None),
            "work_items": kept(
                "work_items",
                sorted(w.code for w in resource.work_items.all()) if resource is not None else [],
                [],
            ),
            "product_code": kept("product", card.product_code if card else "", ""),
            "tags": kept("tags", list(card.tags) if card else [], []),
        }

    def _diff(self, resource: Resource, wanted: dict) -> dict:
        card = getattr(resource, "qa_card", None)
        old: dict[str, Any] = {
            "question": card.question if card else "",
            "answer": card.answer if card else "",
            "status": resource.status,
            "duration_minutes": resource.duration_minutes,
            "dimension": _skill_of(resource),
            "work_items": sorted(w.code for w in resource.work_items.all()),
            "product_code": card.product_code if card else "",
            "tags": list(card.tags) if card else [],
        }
        fields = {}
        for key, before in old.items():
            after = wanted[key]
            if key == "work_items":
                same = set(before) == set(after)
            elif isinstance(after, str):
                same = (before or "").strip() == after.strip()
            else:
                same = before == after
            if not same:
                # Named as the file's columns, which the run page shows by their headers.
                fields[COLUMN_OF.get(key, key)] = [_shown(before), _shown(after)]
        return fields

    def apply(self, ctx: RunContext, plan: dict, report: ImportReport) -> None:
        from casspath.cass.actions.maps import do_create_map  # an action, with its own audit row

        target: Target = plan["target"]
        cass_map = target.cass_map or do_create_map(
            org_unit=target.unit,
            model_family=target.family,
            name=target.default_name,
            acting_user=ctx.acting_user,
        )
        items = {w.code: w for w in cass_map.work_items.all()}
        now = timezone.now()
        for resource, wanted in plan["writes"]:
            creating = resource is None
            if resource is None:
                resource = Resource(
                    cass_map=cass_map,
                    kind=ResourceKind.QA_CARD,
                    devices=list(NEW_CARD_DEVICES),
                    study_modes=list(NEW_CARD_MODES),
                    created_at=now,
                )
            was_published = not creating and resource.status == ResourceStatus.PUBLISHED
            resource.code = wanted["code"]
            resource.title = card_title(wanted["question"])
            resource.status = wanted["status"]
            resource.duration_minutes = wanted["duration_minutes"]
            resource.updated_at = now
            if resource.status == ResourceStatus.PUBLISHED and not was_published:
                resource.published_at = now
            resource.full_clean(
                exclude=["cass_map", "media", "poster"], validate_unique=False, validate_constraints=False
            )
            resource.save()
            card = getattr(resource, "qa_card", None) if not creating else None
            card = card or QACard(resource=resource)
            card.question, card.answer = wanted["question"], wanted["answer"]
            card.product_code, card.tags = wanted["product_code"], wanted["tags"]
            card.full_clean(exclude=["resource"], validate_unique=False, validate_constraints=False)
            card.save()
            ResourceSkill.objects.filter(resource=resource).delete()
            if wanted["dimension"] is not None:
                code, level = wanted["dimension"]
                ResourceSkill.objects.create(resource=resource, dimension_code=code, level=level)
            resource.work_items.set([items[c] for c in wanted["work_items"]])
        if plan["writes"]:
            cass_map.updated_at = now
            cass_map.save(update_fields=["updated_at"])

    def export(
        self, acting_user, filename: str, out: BinaryIO, filters: Mapping[str, str] | None = None
    ) -> int:
        """The map's Q&A cards (filters unit and family, as the import's options)."""
        suffix = PurePath(filename).suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            raise ImportFileError("问答卡可导出为 .xlsx 或 .csv 文件", "Q&A cards export to .xlsx or .csv")
        scopes.require_perm(acting_user, scopes.Perm.EDIT_MODELS)
        target = resolve_target(acting_user, filters or {})
        rows: list[list[Any]] = [[c.header_zh for c in CARD_COLUMNS]]
        for resource in sorted(_cards(target.cass_map).values(), key=lambda r: r.code):
            if resource.kind != ResourceKind.QA_CARD:
                continue
            card = getattr(resource, "qa_card", None)
            skill = _skill_of(resource)
            rows.append(
                [
                    resource.code,
                    card.question if card else "",
                    card.answer if card else "",
                    "" if skill is None else (skill[0] if skill[1] == 1 else f"{skill[0]}:{skill[1]}"),
                    "；".join(sorted(w.code for w in resource.work_items.all())),
                    card.product_code if card else "",
                    "；".join(card.tags) if card else "",
                    resource.duration_minutes,
                    STATUS_ZH.get(resource.status, resource.status),
                ]
            )
        return write_table(suffix, out, self.sheet_name, rows[0], rows[1:])


def _skill_of(resource: Resource | None) -> tuple[str, int] | None:
    if resource is None:
        return None
    skills = sorted(resource.skills.all(), key=lambda s: s.dimension_code)
    return (skills[0].dimension_code, skills[0].level) if skills else None


def _shown(value) -> Any:
    if isinstance(value, tuple):
        return f"{value[0]}:{value[1]}"
    if isinstance(value, list):
        return "；".join(map(str, value))
    return value


register(QACardImporter())
