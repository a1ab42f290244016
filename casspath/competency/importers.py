"""`casspath import competency FILE` and `casspath export competency FILE`: a competency
model as an Excel workbook (excel.py), through the import framework's registry.

The file makes the next version of its model code (family). Its owner unit: the owner of
the family's newest version when the family exists, else the unit code written in the 模型
sheet, else the actor's own scope root (the tree's root for the system actor).
"""

from collections.abc import Mapping
from pathlib import PurePath
from typing import BinaryIO

from django.utils.translation import gettext_lazy as _

from casspath.competency.actions.loading import ImportOutcome, do_import_model_data
from casspath.competency.audit_verbs import CompetencyVerb
from casspath.competency.diff import describe
from casspath.competency.errors import CompetencyError, CompetencyImportInvalid, ModelDataError
from casspath.competency.excel import export_model_xlsx, parse_model_file, template_xlsx
from casspath.competency.models import CompetencyModel
from casspath.competency.queries import models_for
from casspath.imports.errors import ImportFileError, RowError
from casspath.imports.framework import Importer, Option, RunContext
from casspath.imports.registry import register
from casspath.imports.report import Change, ImportReport
from casspath.org import scopes
from casspath.org.models import Grade, OrgUnit, Stage


def owner_unit(acting_user, family: str, written_code: str) -> OrgUnit:
    """The unit the file's model belongs to, refused unless the actor may edit its models.

    A unit outside his scope is answered exactly as one that does not exist, and the owner
    of a model code he may not edit is not named: a dry run must not reveal another city's
    units."""
    newest = (
        CompetencyModel.objects.filter(family=family).select_related("org_unit").order_by("-version").first()
    )
    if newest is not None:
        if not scopes.unit_in_scope(acting_user, scopes.Perm.EDIT_MODELS, newest.org_unit):
            raise ImportFileError(
                f"模型编码 {family} 属于您权限范围外的单位，您不能为它导入新版本（新模型请换一个模型编码）",
                f"model code {family} belongs to a unit outside your scope: you may not edit competency "
                "models there (use another model code for a new model)",
            )
        return newest.org_unit
    if written_code:
        unit = OrgUnit.objects.filter(code=written_code).first()
        if unit is None or not scopes.unit_in_scope(acting_user, scopes.Perm.EDIT_MODELS, unit):
            raise ImportFileError(
                f"「模型」表的所属单位编码 {written_code} 不存在或不在您的权限范围内",
                f"the owner unit code {written_code} on the 模型 sheet does not exist "
                "or is outside your scope",
            )
        return unit
    if scopes.is_unrestricted(acting_user):
        roots = list(OrgUnit.objects.filter(parent__isnull=True)[:2])
    else:
        roots = scopes.scope_roots(acting_user, scopes.Perm.EDIT_MODELS)
    if len(roots) != 1:
        raise ImportFileError(
            "请在「模型」表中填写所属单位编码", "write the owner unit code on the 模型 sheet"
        )
    return roots[0]


class CompetencyImporter(Importer):
    kind = "competency"
    label = _("Competency model")
    scope = scopes.PermScope(scopes.Perm.EDIT_MODELS)
    can_export = True
    audit_verb = CompetencyVerb.LOAD_MODEL
    export_verb = CompetencyVerb.EXPORT_MODEL
    options = (
        Option(
            "as_draft",
            _("Import as a draft version (publish it later on the model's page)"),
            "导入为草稿版本，检查后在模型页面发布。",
            "Import as a draft version, to check and publish on the model's page.",
        ),
    )

    def template(self) -> bytes:
        return template_xlsx()

    def lock_units(self, ctx: RunContext) -> list[list[int]] | None:
        """The model's owner unit, whoever imports: the import writes the models of that
        unit only (two imports of one unit's models take turns, other units' run beside)."""
        unit = ctx.cache.get("owner_unit")
        return [unit.ancestor_ids()] if unit is not None else None

    def template_filename(self) -> str:
        return "casspath-competency-model.xlsx"

    def run(self, data: bytes, ctx: RunContext) -> ImportReport:
        report = self.new_report(ctx)
        ctx.progress("reading", 0, 1)
        try:
            model_dict, written_owner = parse_model_file(data)
        except CompetencyImportInvalid as invalid:
            report.errors.extend(invalid.errors)
            return report
        report.total = sum(len(m["dimensions"]) for m in model_dict["modules"])
        ctx.progress("validating", 1, 1)
        unit = owner_unit(ctx.acting_user, model_dict["family"], written_owner)
        ctx.cache["owner_unit"] = unit

        def load() -> ImportOutcome:
            return do_import_model_data(
                model_dict, org_unit=unit, acting_user=ctx.acting_user, dry_run=ctx.dry_run,
                publish=not ctx.options.get("as_draft"),
            )

        try:
            # A real import writes under the lock of its owner unit (imports/locks.py).
            outcome = load() if ctx.dry_run else self.run_locked(ctx, load)
        except ModelDataError as invalid:
            report.errors.extend(RowError(0, where, "", zh, en) for where, zh, en in invalid.errors)
            return report
        except CompetencyError as refused:
            raise ImportFileError(refused.message_zh, refused.message_en) from refused
        if outcome.created:
            report.created = 1
        else:
            report.unchanged = 1
        for change in describe_outcome(outcome, unit, publish=not ctx.options.get("as_draft")):
            report.add_change(change)
        report.ok = True
        report.applied = not ctx.dry_run
        ctx.progress("writing", 1, 1)
        return report

    def export(self, acting_user, filename: str, out: BinaryIO,
               filters: Mapping[str, str] | None = None) -> int:
        """The model in use the actor may read (family "default" first, else the newest),
        written to `out`; one model, so its rows are counted as 1. No filters."""
        if PurePath(filename).suffix.lower() != ".xlsx":
            raise ImportFileError("技能模型只能导出为 .xlsx 文件", "a competency model exports to .xlsx only")
        visible = models_for(acting_user).filter(status=CompetencyModel.Status.PUBLISHED)
        model = visible.filter(family="default").first() or visible.order_by("-published_at").first()
        if model is None:
            raise ImportFileError(
                "没有可导出的已发布技能模型", "there is no published competency model to export"
            )
        out.write(export_model_xlsx(model))
        return 1


def describe_outcome(outcome: ImportOutcome, unit: OrgUnit, *, publish: bool) -> list[Change]:
    """The import's preview in a consultant's words: the version it makes (or that nothing
    changes), then each change against the newest version, one line each."""
    key = f"{outcome.family} v{outcome.version}"
    unit_zh, unit_en = f"{unit.name}（{unit.code}）", f"{unit.name} ({unit.code})"
    if not outcome.created:
        return [Change(row=0, key=key, action="unchanged",
                       text_zh=f"与现有 v{outcome.version} 完全相同，不做任何更改",
                       text_en=f"identical to the existing v{outcome.version}: nothing changes")]
    if publish:
        state_zh, state_en = "并发布（替换正在使用的版本）", "published (replacing the version in use)"
    else:
        state_zh, state_en = "（草稿，检查后在模型页面发布）", "as a draft (publish it on the model's page)"
    changes = [Change(row=0, key=key, action="create",
                      text_zh=f"新建版本 v{outcome.version}{state_zh}；所属单位 {unit_zh}",
                      text_en=f"new version v{outcome.version} {state_en}; owner unit {unit_en}")]
    if outcome.diff is not None:
        names = {"stages": {s.code: (s.name, s.name_en or s.name) for s in Stage.objects.all()},
                 "grades": {g.code: (g.name, g.name_en or g.name) for g in Grade.objects.all()}}
        changes += [Change(row=0, key=key, action="update", text_zh=zh, text_en=en)
                    for zh, en in describe(outcome.diff, names)]
    return changes


register(CompetencyImporter())
