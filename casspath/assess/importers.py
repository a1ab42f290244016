"""`casspath import ratings FILE`: ratings and the consultant's survey as evidence
(CONTRACTS.md, "Evidence"): 工号, 维度编码 or 维度名称, 等级 1–5 or 分数 0–100, 来源, 日期.

Each row is measured against the published competency model that applies to the employee's
unit (the nearest owner at or above it, `competency.queries.published_models_applying`);
its dimension is named by code or by name within that model. Evidence is upserted by its
natural key (employee + dimension code + source + date): the same file twice changes
nothing; a new level or score for a key replaces the old one. A training admin imports
only his scope's employees: another's 工号 is a row error, worded as an unknown one.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import PurePath
from typing import BinaryIO

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casspath.analytics.evidence import level_of_score
from casspath.assess import validators
from casspath.assess.audit_verbs import AssessVerb
from casspath.assess.models import Evidence
from casspath.competency.models import Dimension
from casspath.competency.queries import published_models_applying
from casspath.core.actors import SystemActor, actor_label
from casspath.core.spreadsheets import (
    write_table,
)
from casspath.imports import columns as col
from casspath.imports.columns import Column, cached
from casspath.imports.errors import ImportFileError, RowError
from casspath.imports.framework import RunContext, Table, TabularImporter
from casspath.imports.registry import register
from casspath.imports.report import PREVIEW_LIMIT, Change, ImportReport
from casspath.org import scopes
from casspath.org.models import Employee
from casspath.org.validators import EMPLOYEE_NO_MAX

S = Evidence.Source
# The sources a file may give (exam results come from exams), in any of these words.
SOURCE_OPTIONS: dict[str, str] = {
    "上级": S.SUPERVISOR, "上级评价": S.SUPERVISOR, "上级评分": S.SUPERVISOR, "领导评价": S.SUPERVISOR,
    "supervisor": S.SUPERVISOR,
    "同事": S.PEER, "同级": S.PEER, "互评": S.PEER, "同事评价": S.PEER, "peer": S.PEER,
    "自评": S.SELF, "本人": S.SELF, "自我评价": S.SELF, "self": S.SELF,
    "调研": S.SURVEY, "问卷": S.SURVEY, "顾问调研": S.SURVEY, "调研问卷": S.SURVEY, "测评": S.SURVEY,
    "survey": S.SURVEY,
}
SOURCE_SHOWN = ["上级", "同事", "自评", "调研", "supervisor", "peer", "self", "survey"]
SOURCE_LABELS_ZH: dict[str, str] = {S.SUPERVISOR: "上级", S.PEER: "同事", S.SELF: "自评", S.SURVEY: "调研"}
BATCH = 2000
UNKNOWN_EMPLOYEE = (
    "工号不存在，或该员工不在您的导入范围内。",
    "No such employee number, or the employee is outside your import scope.",
)
NO_MODEL = (
    "该员工的单位没有适用的已发布能力模型。",
    "No published competency model applies to the employee's unit.",
)


def _key_text(number: str, code: str, source: str, day: date) -> str:
    return f"{number} {code} {source} {day.isoformat()}"


class RatingsImporter(TabularImporter):
    kind = "ratings"
    label = _("Ratings (evidence)")
    scope = scopes.PermScope(scopes.Perm.IMPORT_DATA)
    sheet_name = "评分 ratings"
    examples = (
        {"employee_no": "GD00123", "dimension_code": "D01", "level": 3, "source": "上级",
         "date": "2026-05-20"},
        {"employee_no": "GD00123", "dimension_name": "需求挖掘", "score": 72, "source": "调研",
         "date": "2026-05-20"},
    )
    audit_verb = AssessVerb.IMPORT_RATINGS
    can_export = True
    export_verb = AssessVerb.EXPORT_RATINGS
    value_labels = {"source": dict(S.choices)}
    columns = (
        Column("employee_no", "工号", "employee no", ("员工编号", "员工号", "职工号", "employee number",
                                                    "employee id", "staff no"),
               required=True, blank_ok=False, parse=col.code(EMPLOYEE_NO_MAX)),
        Column("dimension_code", "维度编码", "dimension code", ("维度代码", "能力维度编码", "dimension"),
               parse=col.code(10, upper=True),
               note_zh="能力模型中的维度编码，如 D01；与“维度名称”至少填一个。",
               note_en="The dimension's code in the competency model, e.g. D01; this or the name."),
        Column("dimension_name", "维度名称", "dimension name", ("维度", "能力维度", "能力项"),
               parse=col.text(40),
               note_zh="维度名称，如“目标客户寻找”；同时填写编码时须一致。",
               note_en="The dimension's name; when the code is given too they must agree."),
        Column("level", "等级", "level", ("能力等级", "评级", "评定等级", "rating"),
               parse=validators.level,
               note_zh="1 至 5 级；与“分数”二选一。", note_en="1 to 5; this or a score."),
        Column("score", "分数", "score", ("得分", "评分", "成绩", "分值"),
               parse=validators.score,
               note_zh="0 至 100 分，折算为等级 1 + 4 × 分数 / 100；与“等级”二选一。",
               note_en="0 to 100, meaning the level 1 + 4 × score / 100; this or a level."),
        Column("source", "来源", "source", ("评价来源", "评价方式", "评价人", "rater"),
               choices=lambda: SOURCE_SHOWN[:4],
               note_zh="上级、同事、自评或调研；留空为调研（顾问的调研问卷）。",
               note_en="supervisor, peer, self or survey; empty: survey (the consultant's)."),
        Column("date", "日期", "date", ("评价日期", "评估日期", "测评日期", "调研日期", "rated on"),
               required=True, blank_ok=False,
               note_zh="评价的日期：Excel 日期或 YYYY-MM-DD；不能晚于今天。",
               note_en="The day of the rating: an Excel date or YYYY-MM-DD; not in the future."),
    )
    instructions_zh = (
        "每行为一名员工在一个维度上的一条评价（证据），按 工号 + 维度编码 + 来源 + 日期 新增或更新；"
        "再次导入同一文件不会产生任何变化。",
        "维度在员工所在单位适用的已发布能力模型中查找（按编码或名称）；该模型版本随证据一起保存。",
        "有任何一行错误时不会写入任何数据；报告列出每个错误的行、列、值和原因。",
    )
    instructions_en = (
        "One rating (evidence) of one employee on one dimension per row, created or updated by "
        "employee number + dimension code + source + date; importing the same file again changes nothing.",
        "The dimension is looked up (by code or name) in the published competency model that applies "
        "to the employee's unit; that model version is kept with the evidence.",
        "If any row is bad nothing is written; the report names every bad row, column, value and reason.",
    )

    def parsers(self, ctx: RunContext) -> dict:
        parsers = super().parsers(ctx)
        parsers["source"] = cached(col.choice(SOURCE_OPTIONS, SOURCE_SHOWN))
        parsers["date"] = cached(col.past_date(timezone.localdate()))
        return parsers

    # --- checks (under the import lock: employees, scope and models as they are now) ----

    def check(self, ctx: RunContext, table: Table, report: ImportReport) -> None:
        if not {"dimension_code", "dimension_name"} & table.present:
            raise ImportFileError("缺少列：维度编码 或 维度名称。",
                                  "Missing column: dimension code or dimension name.")
        if not {"level", "score"} & table.present:
            raise ImportFileError("缺少列：等级 或 分数。", "Missing column: level or score.")
        n = len(table)
        blank = [None] * n
        numbers = table.columns["employee_no"]
        codes = table.columns.get("dimension_code", blank)
        names = table.columns.get("dimension_name", blank)
        levels = table.columns.get("level", blank)
        scores = table.columns.get("score", blank)
        sources = [source or S.SURVEY for source in table.columns.get("source", blank)]
        days = table.columns["date"]
        header = table.headers

        def error(i: int, key: str, value, zh: str, en: str) -> None:
            report.errors.append(RowError(table.numbers[i], header.get(key, key), value, zh, en))
            table.bad.add(i)

        employees = _employees(sorted({number for number in numbers if number is not None}))
        allowed = ctx.allowed_unit_ids()
        models = published_models_applying({path for _pk, _unit, path in employees.values()})
        dimensions = _dimensions({model.pk for model in models.values() if model is not None})
        resolved: list[tuple | None] = [None] * n
        first_of: dict[tuple, int] = {}
        for i in range(n):
            number = numbers[i]
            if number is None:
                continue
            found = employees.get(number)
            if found is None or (allowed is not None and found[1] not in allowed):
                error(i, "employee_no", number, *UNKNOWN_EMPLOYEE)
                continue
            if (levels[i] is None) == (scores[i] is None) and i not in table.bad:
                key = "level" if "level" in table.present else "score"
                error(i, key, "", "等级与分数须填且只填一个。",
                      "Give either a level or a score, not both or neither.")
            model = models[found[2]]
            if model is None:
                error(i, "employee_no", number, *NO_MODEL)
                continue
            by_code, by_name = dimensions.get(model.pk, ({}, {}))
            code, name = codes[i], names[i]
            dimension = None
            if code is not None:
                dimension = by_code.get(code.casefold())
                if dimension is None:
                    error(i, "dimension_code", code, f"能力模型“{model}”中没有该维度编码。",
                          f"The competency model '{model}' has no dimension of this code.")
                    continue
                if name is not None and name != dimension[2]:
                    error(i, "dimension_name", name,
                          f"与维度编码 {dimension[1]} 的名称“{dimension[2]}”不一致。",
                          f"Does not match the name of dimension {dimension[1]} ('{dimension[2]}').")
                    continue
            elif name is not None:
                matches = by_name.get(name, [])
                if len(matches) != 1:
                    error(i, "dimension_name", name,
                          f"能力模型“{model}”中没有该名称的维度。" if not matches
                          else f"能力模型“{model}”中有多个同名维度，请填写维度编码。",
                          f"The competency model '{model}' has no dimension of this name." if not matches
                          else f"The competency model '{model}' has several dimensions of this name: "
                          "give the code.")
                    continue
                dimension = matches[0]
            else:
                if i not in table.bad:
                    error(i, "dimension_code" if "dimension_code" in table.present else "dimension_name", "",
                          "维度编码与维度名称至少填一个。", "Give the dimension's code or its name.")
                continue
            if days[i] is None:
                continue
            natural = (found[0], dimension[1], sources[i], days[i])
            if natural in first_of:
                row = table.numbers[first_of[natural]]
                error(i, "date", days[i].isoformat(), f"与第 {row} 行重复（同一员工、维度、来源和日期）。",
                      f"The same employee, dimension, source and date as row {row}.")
                continue
            first_of[natural] = i
            resolved[i] = (found[0], model.pk, dimension[0], dimension[1], sources[i])
        ctx.cache["resolved"] = resolved

    # --- plan and write -----------------------------------------------------------------

    def plan(self, ctx: RunContext, table: Table, report: ImportReport) -> dict | None:
        if table.bad:
            return None
        n = len(table)
        resolved: list = ctx.cache["resolved"]
        levels = table.columns.get("level", [None] * n)
        scores = table.columns.get("score", [None] * n)
        days = table.columns["date"]
        existing = _existing({r[0] for r in resolved})
        numbers = table.columns["employee_no"]
        creates, updates = [], []
        for i in range(n):
            employee_id, model_id, dimension_id, code, source = resolved[i]
            given, score = levels[i], scores[i]
            old = existing.get((employee_id, code, source, days[i]))
            if old is None:
                creates.append((i, model_id, dimension_id))
                if len(report.preview) < PREVIEW_LIMIT:
                    report.add_change(Change(table.numbers[i], _key_text(numbers[i], code, source, days[i]),
                                             "create", {"level": [None, given],
                                                        "score": [None, _num(score)]}))
                continue
            pk, old_given, old_score = old
            if old_given == given and old_score == score:
                continue
            updates.append((i, pk))
            if len(report.preview) < PREVIEW_LIMIT:
                report.add_change(Change(table.numbers[i], _key_text(numbers[i], code, source, days[i]),
                                         "update", {"level": [old_given, given],
                                                    "score": [_num(old_score), _num(score)]}))
        report.created, report.updated = len(creates), len(updates)
        report.unchanged = n - len(creates) - len(updates)
        return {"creates": creates, "updates": updates, "levels": levels, "scores": scores, "days": days}

    def apply(self, ctx: RunContext, plan: dict, report: ImportReport) -> None:
        now = timezone.now()
        user = None if isinstance(ctx.acting_user, SystemActor) else ctx.acting_user
        label = actor_label(ctx.acting_user)
        resolved = ctx.cache["resolved"]
        levels, scores, days = plan["levels"], plan["scores"], plan["days"]
        total = len(plan["creates"]) + len(plan["updates"])

        def meant(i: int) -> float:
            return float(levels[i]) if levels[i] is not None else float(level_of_score(float(scores[i])))

        done = 0
        rows = []
        for i, model_id, dimension_id in plan["creates"]:
            employee_id, _m, _d, code, source = resolved[i]
            rows.append(Evidence(
                employee_id=employee_id, model_id=model_id, dimension_id=dimension_id, dimension_code=code,
                source=source, observed_on=days[i], given_level=levels[i], score=scores[i],
                level=meant(i), recorded_by=user, recorded_by_label=label, file_sha256=ctx.sha256,
                created_at=now, updated_at=now))
        for start in range(0, len(rows), BATCH):
            Evidence.objects.bulk_create(rows[start : start + BATCH])
            done += len(rows[start : start + BATCH])
            ctx.progress("writing", done, total)
        changed = [
            Evidence(pk=pk, given_level=levels[i], score=scores[i], level=meant(i), recorded_by=user,
                     recorded_by_label=label, file_sha256=ctx.sha256, updated_at=now)
            for i, pk in plan["updates"]
        ]
        Evidence.objects.bulk_update(changed, ["given_level", "score", "level", "recorded_by",
                                               "recorded_by_label", "file_sha256", "updated_at"],
                                     batch_size=BATCH)
        ctx.progress("writing", total, total)

    # --- export -------------------------------------------------------------------------

    def export(self, acting_user, filename: str, out: BinaryIO,
               filters: Mapping[str, str] | None = None) -> int:
        """The evidence of the employees the actor may import for, in the import's columns
        (exam results left out: they are not imported), so that the file re-imports unchanged."""
        scopes.require_perm(acting_user, scopes.Perm.IMPORT_DATA)
        suffix = PurePath(filename).suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise ImportFileError("导出文件须以 .xlsx 或 .csv 结尾。",
                                  "The export file must end in .xlsx or .csv.")
        rows = (
            Evidence.objects.filter(employee__in=scopes.employees_for(acting_user, scopes.Perm.IMPORT_DATA))
            .exclude(source=S.EXAM)
            .order_by("employee__employee_no", "dimension_code", "source", "observed_on")
            .values_list("employee__employee_no", "dimension_code", "dimension__name", "given_level", "score",
                         "source", "observed_on")
        )
        headers = [column.header_zh for column in self.columns]

        def lines():
            for number, code, name, given, score, source, day in rows.iterator(chunk_size=BATCH):
                yield [number, code, name, given if given is not None else "",
                       _num(score) if score is not None else "", SOURCE_LABELS_ZH.get(source, source), day]

        return write_table(suffix, out, self.sheet_name, headers, lines())


def _num(value: Decimal | None):
    """A score as people write it: 87.50 → "87.5", 80.00 → "80"."""
    if value is None:
        return None
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _employees(numbers: list[str]) -> dict[str, tuple[int, int, str]]:
    """(id, unit id, unit path) of the given employee numbers, by number."""
    found: dict[str, tuple[int, int, str]] = {}
    for start in range(0, len(numbers), 5000):
        rows = Employee.objects.filter(employee_no__in=numbers[start : start + 5000]).values_list(
            "employee_no", "id", "org_unit_id", "org_unit__path")
        found.update({number: (pk, unit, path) for number, pk, unit, path in rows})
    return found


def _dimensions(model_ids: set[int]) -> dict[int, tuple[dict, dict]]:
    """Per model: its dimensions by code (case folded) and by name, as (id, code, name)."""
    found: dict[int, tuple[dict, dict]] = {}
    for pk, model_id, code, name in Dimension.objects.filter(model_id__in=model_ids).values_list(
            "id", "model_id", "code", "name"):
        by_code, by_name = found.setdefault(model_id, ({}, {}))
        by_code[code.casefold()] = (pk, code, name)
        by_name.setdefault(name, []).append((pk, code, name))
    return found


def _existing(employee_ids: set[int]) -> dict[tuple, tuple]:
    """The evidence of these employees by natural key: (id, level given, score)."""
    ids = sorted(employee_ids)
    found: dict[tuple, tuple] = {}
    for start in range(0, len(ids), 5000):
        rows = Evidence.objects.filter(employee_id__in=ids[start : start + 5000]).values_list(
            "employee_id", "dimension_code", "source", "observed_on", "id", "given_level", "score")
        found.update({(e, c, s, d): (pk, g, sc) for e, c, s, d, pk, g, sc in rows})
    return found


register(RatingsImporter())
