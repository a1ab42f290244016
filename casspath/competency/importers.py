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

from casspath.competency.actions.loading import do_import_model_data
from casspath.competency.errors import CompetencyError, CompetencyImportInvalid, ModelDataError
from casspath.competency.excel import export_model_xlsx, parse_model_file, template_xlsx
from casspath.competency.models import CompetencyModel
from casspath.competency.queries import models_for
from casspath.imports.errors import ImportFileError, RowError
from casspath.imports.framework import Importer, Option, RunContext
from casspath.imports.registry import register
from casspath.imports.report import Change, ImportReport
from casspath.org import scopes
from casspath.org.models import OrgUnit


def owner_unit(acting_user, family: str, written_code: str) -> OrgUnit:
    newest = (
        CompetencyModel.objects.filter(family=family).select_related("org_unit").order_by("-version").first()
    )
    if newest is not None:
        return newest.org_unit
    if written_code:
        unit = OrgUnit.objects.filter(code=written_code).first()
        if unit is None:
            raise ImportFileError(
                f"「模型」表的所属单位编码 {written_code} 不存在",
                f"the owner unit code {written_code} on the 模型 sheet does not exist",
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
    audit_verb = "competency.load_model"
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
        try:
            outcome = do_import_model_data(
                model_dict, org_unit=unit, acting_user=ctx.acting_user, dry_run=ctx.dry_run,
                publish=not ctx.options.get("as_draft"),
            )
        except ModelDataError as invalid:
            report.errors.extend(RowError(0, where, "", zh, en) for where, zh, en in invalid.errors)
            return report
        except CompetencyError as refused:
            raise ImportFileError(refused.message_zh, refused.message_en) from refused
        if outcome.created:
            report.created = 1
        else:
            report.unchanged = 1
        key = f"{outcome.family} v{outcome.version}"
        report.add_change(
            Change(
                row=0,
                key=key,
                action="create" if outcome.created else "unchanged",
                fields={"owner": [None, unit.code]},
            )
        )
        if outcome.diff is not None:
            for name, count in outcome.diff.counts().items():
                if count:
                    report.add_change(Change(row=0, key=key, action="update", fields={name: [None, count]}))
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


register(CompetencyImporter())
