"""Loading model data: from a dict (validated by schema.py), the default model, or an Excel
file imported by a user in his scope (with a dry run)."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from casspath.competency.actions.common import Status, known_codes
from casspath.competency.actions.versions import create_from_data, next_version, publish_draft
from casspath.competency.audit_verbs import CompetencyVerb
from casspath.competency.diff import ModelDiff, diff_model_data
from casspath.competency.errors import CompetencyError, ModelDataError
from casspath.competency.models import CompetencyModel
from casspath.competency.schema import content_key, model_data, validate_model_data
from casspath.core import audit
from casspath.org import scopes
from casspath.org.models import OrgUnit
from casspath.org.scopes import Perm

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "default_model.json"


@transaction.atomic
def do_load_model_data(
    data: dict, *, org_unit: OrgUnit, acting_user, publish: bool = True
) -> CompetencyModel:
    """Create the next version of `data["family"]` from a model dict (schema.py).

    Idempotent: when the newest version of the family has the same content, nothing is
    created and that version is returned. Refused (ModelDataError) when the data is
    invalid or when the family already has a different draft (finish that one first).
    """
    scopes.require_scope(acting_user, Perm.EDIT_MODELS, org_unit)
    stages, grades = known_codes()
    clean = validate_model_data(data, stage_codes=stages, grade_codes=grades)
    family = clean["family"]
    versions = CompetencyModel.objects.select_for_update().filter(family=family).order_by("-version")
    newest = versions.first()
    if newest is not None:
        # A family belongs to the unit that owns it: loading into it is editing it.
        scopes.require_scope(acting_user, Perm.EDIT_MODELS, newest.org_unit)
    if newest is not None and content_key(model_data(newest)) == content_key(clean):
        return newest
    draft = versions.filter(status=Status.DRAFT).first()
    if draft is not None:
        raise ModelDataError(
            [
                (
                    "model.family",
                    f"模型 {family} 已有草稿版本 v{draft.version}，请先发布或删除该草稿再导入",
                    f"model {family} already has a draft v{draft.version}: "
                    "publish or discard it before loading",
                )
            ]
        )
    model = create_from_data(clean, org_unit=org_unit, version=next_version(family), derived_from=newest)
    archived = publish_draft(model) if publish else []
    audit.record(
        acting_user,
        CompetencyVerb.LOAD_MODEL,
        model,
        summary=f"{model} ({model.get_status_display()}) @ {org_unit.code}",
        changes={
            "family": family,
            "version": model.version,
            "status": model.status,
            "org_unit": org_unit.code,
            "archived": [m.version for m in archived],
            "dimensions": sum(len(m["dimensions"]) for m in clean["modules"]),
        },
        unit=org_unit,
    )
    return model


def do_load_default_model(*, org_unit: OrgUnit, acting_user) -> CompetencyModel:
    """Load `competency/data/default_model.json` (the demo builder calls this)."""
    with DEFAULT_MODEL_PATH.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return do_load_model_data(data, org_unit=org_unit, acting_user=acting_user, publish=True)


@dataclass
class ImportOutcome:
    """What an import did, or would do in a dry run."""

    model: CompetencyModel | None  # None after a dry run that would create a version
    family: str
    version: int  # the version created, reused, or that would be created
    created: bool
    dry_run: bool
    diff: ModelDiff | None  # against the newest version before the import


def _check_may_edit(acting_user, unit: OrgUnit) -> None:
    if not scopes.unit_in_scope(acting_user, scopes.Perm.EDIT_MODELS, unit):
        raise CompetencyError(
            f"您无权编辑「{unit.name}」（{unit.code}）的技能模型",
            f"you may not edit competency models of {unit.name} ({unit.code})",
        )


def do_import_model_data(
    data: dict, *, org_unit: OrgUnit, acting_user, dry_run: bool = False, publish: bool = True
) -> ImportOutcome:
    """Load a model dict for a user: his scope must hold the unit and the family's owner.
    A dry run does everything, then rolls it back."""
    _check_may_edit(acting_user, org_unit)
    family = data.get("family") if isinstance(data, dict) else None
    newest = (
        CompetencyModel.objects.filter(family=family).select_related("org_unit").order_by("-version").first()
        if isinstance(family, str)
        else None
    )
    if newest is not None:
        _check_may_edit(acting_user, newest.org_unit)
    before = model_data(newest) if newest is not None else None
    with transaction.atomic():
        model = do_load_model_data(data, org_unit=org_unit, acting_user=acting_user, publish=publish)
        created = newest is None or model.pk != newest.pk
        outcome = ImportOutcome(
            model=model,
            family=model.family,
            version=model.version,
            created=created,
            dry_run=dry_run,
            diff=diff_model_data(before, model_data(model)) if before is not None else None,
        )
        if dry_run:
            transaction.set_rollback(True)
            if created:
                outcome.model = None
    return outcome
