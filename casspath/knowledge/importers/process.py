"""`casspath import process FILE` and `casspath export process FILE`: a CASS map's process
map (流程地图) as one table, sheet 流程地图 (.xlsx or .csv).

Columns: 步骤编码 code (the natural key), 上级编码 parent code (blank: a phase), 序号 order
among its siblings, 名称 name, 目的 purpose, 关键技巧 key techniques and 工具 tools (one point
a line), 维度 dimension codes of the map's competency model (separated by ；/,/、 or spaces),
工作编码 the map's work item codes. English headers are accepted too.

Which map: the options `unit` and `family`, as the `cass` import (cass/importers/common.py);
the map must exist. Parents may come after their children: the tree is resolved in memory
with the steps the map holds, and every value is checked by the same checks as the step
form's (knowledge/actions/process.py: dimensions, work items, place in the tree). Each row
upserts its step by code; steps absent from the file are left as they are (their siblings
renumbered 1, 2, 3… around the file's), unless the option `remove_missing` is given: then
they are removed with the steps below them, and a dry run's warnings list them first. A
column the file lacks keeps each existing step's value. Re-importing an export changes
nothing.
"""

from collections.abc import Callable, Mapping
from pathlib import PurePath
from typing import Any, BinaryIO

from django.utils.translation import gettext_lazy as _

from casspath.cass.actions.common import require_editable, touch
from casspath.cass.importers.common import (
    MAP_OPTIONS,
    existing_map,
    parse_code,
    parse_code_list,
    parse_text,
    parse_whole,
)
from casspath.cass.models import CassMap, WorkItem
from casspath.cass.queries import map_dimensions
from casspath.core.spreadsheets import (
    write_table,
)
from casspath.core.validators import InvalidValue, text_limit
from casspath.imports.columns import Column
from casspath.imports.errors import ImportFileError, ImportWarning, RowError
from casspath.imports.framework import Option, RunContext, Table, TabularImporter
from casspath.imports.limits import budget_of
from casspath.imports.reader import Sheet, read_sheets
from casspath.imports.registry import register
from casspath.imports.report import Change, ImportReport
from casspath.knowledge.actions.process import (
    check_dimension_codes,
    check_place,
    check_work_item_codes,
    split_dimension_codes,
)
from casspath.knowledge.audit_verbs import KnowledgeVerb
from casspath.knowledge.models import PROCESS_DEPTH, ProcessStep
from casspath.knowledge.queries import process_tree
from casspath.org import scopes

SHEET = "流程地图"
TEXTS = ("name", "purpose", "techniques", "tools")
LAST = 10**6  # the place of a step the file gives no order: after the numbered ones
COLUMN_OF = {"dimension_codes": "dimensions"}  # a change named as the file's column


def lines_text(value: str | None) -> str:
    """Text of one point a line as stored: LF, each line trimmed, blank lines dropped (the
    form's and the file's ways of writing the same points compare equal)."""
    return "\n".join(line.strip() for line in (value or "").splitlines() if line.strip())


def _lines(field: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        return lines_text(parse_text(text_limit(ProcessStep, field))(value))

    return parse


PROCESS_COLUMNS = (
    Column(
        "code",
        "步骤编码",
        "step code",
        ("编码", "流程编码"),
        required=True,
        blank_ok=False,
        parse=parse_code(20),
        note_zh="本地图内唯一",
        note_en="unique in the map",
    ),
    Column(
        "parent",
        "上级编码",
        "parent code",
        ("上级", "上级步骤", "parent"),
        parse=parse_code(20),
        note_zh="阶段不填；上级可写在本行之后，也可是地图中已有的步骤",
        note_en="blank for a phase; the parent may come later in the file or be a step the map holds",
    ),
    Column(
        "order",
        "序号",
        "order",
        ("顺序",),
        parse=parse_whole(1, 999, "序号", "order"),
        note_zh="同一上级下的先后；不填则排在后面",
        note_en="the place among its siblings; blank: last",
    ),
    Column("name", "名称", "name", ("步骤名称",), required=True, blank_ok=False, parse=parse_text(200)),
    Column("purpose", "目的", "purpose", (), parse=parse_text(text_limit(ProcessStep, "purpose"))),
    Column(
        "techniques",
        "关键技巧",
        "key techniques",
        ("技巧", "techniques"),
        parse=_lines("techniques"),
        note_zh="一行一条",
        note_en="one point a line",
    ),
    Column(
        "tools", "工具", "tools", (), parse=_lines("tools"), note_zh="一行一条", note_en="one point a line"
    ),
    Column(
        "dimensions",
        "维度",
        "dimensions",
        ("维度编码", "dimension codes"),
        parse=split_dimension_codes,
        note_zh="技能模型的维度编码，用；或 , 分隔，如 D01；D04",
        note_en="dimension codes of the competency model, separated by ； or , e.g. D01；D04",
    ),
    Column(
        "work_items",
        "工作编码",
        "work item codes",
        ("工作内容编码", "work items"),
        parse=parse_code_list(20),
        note_zh="本地图的工作编码，用；分隔",
        note_en="the map's work item codes",
    ),
)


def _shown(value: Any) -> Any:
    return "；".join(value) if isinstance(value, list) else value


class ProcessMapImporter(TabularImporter):
    kind = "process"
    label = _("Process map")
    scope = scopes.PermScope(scopes.Perm.EDIT_MODELS)
    can_export = True
    audit_verb = KnowledgeVerb.IMPORT_PROCESS_MAP
    export_verb = KnowledgeVerb.EXPORT_PROCESS_MAP
    options = (
        *MAP_OPTIONS,
        Option(
            "remove_missing",
            _("Remove the steps missing from the file"),
            "删除地图中有、文件里没有的阶段和步骤（连同其下的步骤）；请先试运行，警告中列出将删除的步骤。",
            "Remove the map's phases and steps that are not in the file (with the steps below them); "
            "do a dry run first: its warnings list them.",
        ),
    )
    columns = PROCESS_COLUMNS
    sheet_name = SHEET
    instructions_zh = (
        "每行一个阶段、步骤或子步骤：阶段的上级编码不填，步骤的上级是阶段，子步骤的上级是步骤（最多三层）。",
        "文件中没有的步骤保持不变；再次导入导出的文件不做任何更改。",
        "导入时用选项 unit / family 指明地图；不填则为您唯一的权限范围根单位。",
    )
    instructions_en = (
        "One phase, step or sub-step a row: a phase has no parent code, a step's parent is a phase, "
        "a sub-step's a step (three levels at most).",
        "Steps not in the file stay as they are; re-importing an export changes nothing.",
        "Name the map with the options unit / family; blank: your one scope root.",
    )
    # The template's example sheet (main's imports/template.py `examples`, never the data
    # sheet): a phase and one of its steps, as the demo's map holds them.
    examples = (
        {
            "code": "PM01",
            "order": 1,
            "name": "熟悉业务",
            "purpose": "上岗前把产品、政策、系统和片区摸清楚",
            "techniques": "跟一位老客户经理跑满一周",
            "tools": "产品手册与资费表",
            "dimensions": "D07；D18",
        },
        {
            "code": "PM01-1",
            "parent": "PM01",
            "order": 1,
            "name": "吃透主推产品与资费",
            "purpose": "能用一句话说清每个主推产品",
            "techniques": "每个产品背一句价值话术\n资费按三档记",
            "tools": "产品资费速查表\n产品问答卡",
            "dimensions": "D07",
            "work_items": "W15；W16",
        },
    )

    def template_filename(self) -> str:
        return "casspath-process-map.xlsx"

    def lock_units(self, ctx: RunContext) -> list[list[int]] | None:
        unit = ctx.cache.get("owner_unit")
        return [unit.ancestor_ids()] if unit is not None else None

    def run(self, data: bytes, ctx: RunContext) -> ImportReport:
        ctx.cache["owner_unit"] = existing_map(ctx.acting_user, ctx.options).org_unit
        return super().run(data, ctx)

    def read(self, data: bytes, ctx: RunContext) -> Sheet:
        """The sheet 流程地图, else the first that holds any value (a CSV's one)."""
        ctx.progress("reading", 0, 0)
        with budget_of(self.kind):
            sheets = read_sheets(data, ctx.filename)
        for sheet in sheets:
            if sheet.name.strip() == SHEET:
                return sheet
        for sheet in sheets:
            if any(any(row) for row in sheet.rows):
                return sheet
        raise ImportFileError("文件中没有任何数据。", "The file holds no data.")

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
                        f"步骤编码“{code}”与第 {seen[code]} 行重复",
                        f"step code '{code}' repeats row {seen[code]}",
                    )
                )
                table.bad.add(i)
            else:
                seen[code] = table.numbers[i]

    def plan(self, ctx: RunContext, table: Table, report: ImportReport) -> dict:
        cass_map = existing_map(ctx.acting_user, ctx.options)
        steps = list(
            ProcessStep.objects.filter(cass_map=cass_map)
            .select_related("parent")
            .prefetch_related("work_items")
            .order_by("order", "id")
        )
        have = {step.code: step for step in steps}
        dimensions = map_dimensions(cass_map)
        items = {item.code: item for item in WorkItem.objects.filter(cass_map=cass_map)}
        col, headers, present = table.columns, table.headers, table.present
        n = len(table)

        def cells(key: str) -> list:
            return col.get(key, [None] * n)

        def bad(i: int, key: str, value: str, zh: str, en: str) -> None:
            report.errors.append(RowError(table.numbers[i], headers.get(key, key), value, zh, en))
            table.bad.add(i)

        rows: dict[str, int] = {}  # code -> index of its (first) row
        for i, code in enumerate(col["code"]):
            if code is not None and code not in rows:
                rows[code] = i
        # With remove_missing, the map's steps the file lacks go (the steps below them too).
        missing = [s for s in steps if s.code not in rows] if ctx.options.get("remove_missing") else []
        gone = {s.code for s in missing}
        for lost in missing:
            report.warnings.append(
                ImportWarning(
                    f"将删除文件中没有的步骤 {lost.code} {lost.name}（连同其下的步骤）",
                    f"the step {lost.code} {lost.name}, not in the file, will be removed "
                    "(with the steps below it)",
                )
            )
        parent_of: dict[str, str | None] = {
            s.code: s.parent.code if s.parent else None for s in steps if s.code not in gone
        }
        parents = cells("parent")
        for code, i in rows.items():
            if "parent" in present:
                parent_of[code] = parents[i]
            else:
                parent_of.setdefault(code, None)
        for code, i in rows.items():
            parent = parent_of[code]
            if parent is not None and parent in gone:
                bad(
                    i,
                    "parent",
                    parent,
                    f"上级 {parent} 不在文件中，将作为文件中没有的步骤被删除",
                    f"the parent {parent} is not in the file, so it would be removed as missing",
                )
            elif parent is not None and parent not in rows and parent not in have:
                bad(
                    i,
                    "parent",
                    parent,
                    f"上级编码 {parent} 既不在文件中也不在地图中",
                    f"the parent code {parent} is neither in the file nor in the map",
                )
            else:
                try:
                    check_place(code, parent, parent_of)
                except InvalidValue as invalid:
                    bad(i, "parent", parent or "", invalid.message_zh, invalid.message_en)
            codes = cells("dimensions")[i]
            if codes:
                try:
                    check_dimension_codes(codes, dimensions)
                except InvalidValue as invalid:
                    bad(i, "dimensions", "；".join(codes), invalid.message_zh, invalid.message_en)
            for item in cells("work_items")[i] or []:
                try:
                    check_work_item_codes([item], items)
                except InvalidValue as invalid:
                    bad(i, "work_items", item, invalid.message_zh, invalid.message_en)

        # The order among siblings: the file's numbers, the steps it does not name kept in place.
        orders = cells("order")
        places: dict[str | None, list[tuple[tuple, str]]] = {}
        for code, parent in parent_of.items():
            at = rows.get(code)
            held = have.get(code)
            if at is None:
                place: tuple = (held.order if held else LAST, 1, 0)
            else:
                given = orders[at]
                if (
                    given is None
                    and held is not None
                    and held.parent_id == (have[parent].pk if parent in have else None)
                ):
                    given = held.order
                place = (given or LAST, 0, table.numbers[at])
            places.setdefault(parent, []).append((place, code))
        order_of = {
            code: number
            for siblings in places.values()
            for number, (_key, code) in enumerate(sorted(siblings), start=1)
        }

        creates: list[dict] = []
        updates: list[tuple[ProcessStep, dict]] = []
        for code, i in rows.items():
            step = have.get(code)
            wanted: dict[str, Any] = {"code": code, "parent": parent_of[code], "order": order_of[code]}
            for key in TEXTS:
                if key in present or step is None:
                    wanted[key] = col[key][i] or "" if key in col else ""
                else:
                    wanted[key] = getattr(step, key)
            wanted["dimension_codes"] = (
                (cells("dimensions")[i] or [])
                if "dimensions" in present or step is None
                else list(step.dimension_codes)
            )
            wanted["work_items"] = (
                sorted(cells("work_items")[i] or [])
                if "work_items" in present or step is None
                else sorted(w.code for w in step.work_items.all())
            )
            if i in table.bad:
                continue
            if step is None:
                creates.append(wanted)
                report.created += 1
                report.add_change(Change(row=table.numbers[i], key=code, action="create"))
                continue
            old = {
                "parent": step.parent.code if step.parent else None,
                "order": step.order,
                "name": step.name,
                "purpose": step.purpose.strip(),
                "techniques": lines_text(step.techniques),
                "tools": lines_text(step.tools),
                "dimension_codes": list(step.dimension_codes),
                "work_items": sorted(w.code for w in step.work_items.all()),
            }
            fields = {
                COLUMN_OF.get(key, key): [_shown(before), _shown(wanted[key])]
                for key, before in old.items()
                if before != (wanted[key].strip() if isinstance(wanted[key], str) else wanted[key])
            }
            if fields:
                updates.append((step, wanted))
                report.updated += 1
                report.add_change(Change(row=table.numbers[i], key=code, action="update", fields=fields))
            else:
                report.unchanged += 1
        # Steps not in the file whose place number moves (their siblings changed around them).
        renumbered = [
            (have[code], number)
            for code, number in order_of.items()
            if code not in rows and code in have and have[code].order != number
        ]
        return {
            "map": cass_map,
            "creates": creates,
            "updates": updates,
            "renumbered": renumbered,
            "remove": [step.pk for step in missing],
        }

    def apply(self, ctx: RunContext, plan: dict, report: ImportReport) -> None:
        cass_map: CassMap = plan["map"]
        require_editable(cass_map, ctx.acting_user)  # the map's row locked, as the step form's writes
        by_code = {s.code: s for s in ProcessStep.objects.filter(cass_map=cass_map)}
        items = {item.code: item for item in WorkItem.objects.filter(cass_map=cass_map)}
        parent_of = {w["code"]: w["parent"] for w in plan["creates"]}

        def depth(code: str) -> int:
            level = 0
            while code in parent_of and level <= PROCESS_DEPTH:
                code, level = parent_of[code], level + 1
            return level

        writes: list[tuple[ProcessStep, dict, bool]] = [
            (ProcessStep(cass_map=cass_map), wanted, True)
            for wanted in sorted(plan["creates"], key=lambda w: depth(w["code"]))
        ]
        writes += [(by_code[step.code], wanted, False) for step, wanted in plan["updates"]]
        for step, wanted, creating in writes:  # new parents before their children
            if creating:
                step.code = wanted["code"]
                by_code[step.code] = step
            for key in (*TEXTS, "dimension_codes", "order"):
                setattr(step, key, wanted[key])
            step.cass_map = cass_map
            step.parent = by_code[wanted["parent"]] if wanted["parent"] else None
            step.full_clean(exclude=["cass_map", "parent"], validate_unique=False, validate_constraints=False)
            step.save()
        for step, wanted, _creating in writes:
            step.work_items.set([items[code] for code in wanted["work_items"]])
        for step, number in plan["renumbered"]:
            ProcessStep.objects.filter(pk=step.pk).update(order=number)
        if plan["remove"]:  # after the moves: a step moved out of a removed one stays
            ProcessStep.objects.filter(cass_map=cass_map, pk__in=plan["remove"]).delete()
        ctx.cache["removed"] = len(plan["remove"])
        if writes or plan["renumbered"] or plan["remove"]:
            touch(cass_map)

    def audit_changes(self, ctx: RunContext, report: ImportReport) -> dict:
        return {
            **super().audit_changes(ctx, report),
            "remove_missing": bool(ctx.options.get("remove_missing")),
            "removed": ctx.cache.get("removed", 0),
        }

    def export(
        self, acting_user, filename: str, out: BinaryIO, filters: Mapping[str, str] | None = None
    ) -> int:
        """The map's steps in tree order (each phase, then its steps, each with its sub-steps),
        filters unit and family as the import's options."""
        suffix = PurePath(filename).suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            raise ImportFileError(
                "流程地图可导出为 .xlsx 或 .csv 文件", "a process map exports to .xlsx or .csv"
            )
        scopes.require_perm(acting_user, scopes.Perm.EDIT_MODELS)
        cass_map = existing_map(acting_user, filters or {})
        rows: list[list[Any]] = [[c.header_zh for c in PROCESS_COLUMNS]]

        def walk(step: ProcessStep, parent: ProcessStep | None) -> None:
            rows.append(
                [
                    step.code,
                    parent.code if parent else "",
                    step.order,
                    step.name,
                    step.purpose,
                    step.techniques,
                    step.tools,
                    "；".join(step.dimension_codes),
                    "；".join(item.code for item in step.work_items.all()),
                ]
            )
            for child in step.steps:
                walk(child, step)

        for phase in process_tree(cass_map):
            walk(phase, None)
        return write_table(suffix, out, SHEET, rows[0], rows[1:])


register(ProcessMapImporter())
