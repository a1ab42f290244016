"""Versions of a competency model: a draft is created from model data or from the version
in use, published (archiving the version before), or discarded."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_noop

from casspath.competency.actions.common import Status, clean, known_codes, lock_model, require_editable
from casspath.competency.audit_verbs import CompetencyVerb
from casspath.competency.errors import CompetencyError, InvalidTransition, WeightsNotAcknowledged
from casspath.competency.models import (
    BehaviourLevel,
    CompetencyModel,
    Dimension,
    LevelTitle,
    Module,
    Requirement,
)
from casspath.competency.queries import requirement_matrix
from casspath.competency.schema import content_key, model_data, validate_model_data
from casspath.core import audit
from casspath.org import scopes
from casspath.org.models import Grade, OrgUnit, Stage
from casspath.org.scopes import Perm

TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.PUBLISHED},
    Status.PUBLISHED: {Status.ARCHIVED},
    Status.ARCHIVED: set(),
}


def _set_status(model: CompetencyModel, new: str) -> None:
    if new not in TRANSITIONS[model.status]:
        raise InvalidTransition(
            f"{model} 的状态不能从「{Status(model.status).label}」改为「{Status(new).label}」",
            f"{model} cannot go from {model.status} to {new}",
        )
    model.status = new
    fields = ["status"]
    if new == Status.PUBLISHED:
        model.published_at = timezone.now()
        fields.append("published_at")
    model.save(update_fields=fields)



def next_version(family: str) -> int:
    return (CompetencyModel.objects.filter(family=family).aggregate(top=Max("version"))["top"] or 0) + 1


def create_from_data(
    data: dict, *, org_unit: OrgUnit, version: int, derived_from: CompetencyModel | None
) -> CompetencyModel:
    """Write a validated model dict as a new draft version, with bulk inserts."""
    model = CompetencyModel(
        family=data["family"],
        version=version,
        name=data["name"],
        name_en=data["name_en"],
        description=data["description"],
        org_unit=org_unit,
        status=Status.DRAFT,
        derived_from=derived_from,
    )
    clean(model)
    model.save()
    titles = [LevelTitle(model=model, **item) for item in data["levels"]]
    modules = [
        Module(model=model, code=m["code"], name=m["name"], name_en=m["name_en"], order=index)
        for index, m in enumerate(data["modules"])
    ]
    for obj in [*titles, *modules]:
        clean(obj)
    LevelTitle.objects.bulk_create(titles)
    Module.objects.bulk_create(modules)
    dimensions = []
    order = 0
    for module, item in zip(modules, data["modules"], strict=True):
        for dim in item["dimensions"]:
            dimensions.append(
                Dimension(
                    model=model,
                    module=module,
                    code=dim["code"],
                    name=dim["name"],
                    name_en=dim["name_en"],
                    category=dim["category"],
                    description=dim["description"],
                    order=order,
                )
            )
            order += 1
    for obj in dimensions:
        clean(obj)
    Dimension.objects.bulk_create(dimensions)
    by_code = {dim.code: dim for dim in dimensions}
    behaviours = [
        BehaviourLevel(
            dimension=by_code[dim["code"]], level=entry["level"], indicators="\n".join(entry["indicators"])
        )
        for item in data["modules"]
        for dim in item["dimensions"]
        for entry in dim["levels"]
        if entry["indicators"]
    ]
    stages = {stage.code: stage for stage in Stage.objects.all()}
    grades = {grade.code: grade for grade in Grade.objects.all()}
    requirements = []
    for kind, lookup, attr in (("stages", stages, "stage"), ("grades", grades, "grade")):
        for target, cells in data["requirements"].get(kind, {}).items():
            for code, (level, weight) in cells.items():
                requirements.append(
                    Requirement(
                        model=model,
                        dimension=by_code[code],
                        level=level,
                        weight=Decimal(str(weight)),
                        **{attr: lookup[target]},
                    )
                )
    for obj in [*behaviours, *requirements]:
        clean(obj)
    BehaviourLevel.objects.bulk_create(behaviours)
    Requirement.objects.bulk_create(requirements)
    return model


def publish_draft(model: CompetencyModel) -> list[CompetencyModel]:
    """Publish a draft and archive the versions of its family in use; returns those."""
    stages, grades = known_codes()
    validate_model_data(model_data(model), stage_codes=stages, grade_codes=grades)
    archived = list(
        CompetencyModel.objects.select_for_update()
        .filter(family=model.family, status=Status.PUBLISHED)
        .exclude(pk=model.pk)
    )
    for old in archived:
        _set_status(old, Status.ARCHIVED)
    _set_status(model, Status.PUBLISHED)
    return archived


@transaction.atomic
def do_start_new_version(model: CompetencyModel, *, acting_user) -> CompetencyModel:
    """A draft copy (version + 1) of a published model; the family's draft if one exists."""
    # Lock every version of the family first: a second call waits here, then finds the
    # first one's draft, instead of computing the same next version (IntegrityError). The
    # draft is looked up by a new statement: the locking one's rows predate the wait.
    list(CompetencyModel.objects.select_for_update().filter(family=model.family).order_by("pk"))
    # Scope and status are checked on the row as it is now (it is locked above): the
    # version the page showed as published may have been archived meanwhile.
    model.refresh_from_db()
    scopes.require_scope(acting_user, Perm.EDIT_MODELS, model.org_unit)
    existing = (
        CompetencyModel.objects.filter(family=model.family, status=Status.DRAFT).order_by("-version").first()
    )
    if existing is not None:
        return existing
    if model.status != Status.PUBLISHED:
        raise CompetencyError(
            f"只能从已发布的版本创建新版本；{model} 状态为「{Status(model.status).label}」",
            f"a new version can only start from the published version; {model} is {model.status}",
        )
    draft = create_from_data(
        model_data(model), org_unit=model.org_unit, version=next_version(model.family), derived_from=model
    )
    audit.record(
        acting_user,
        CompetencyVerb.START_NEW_VERSION,
        draft,
        summary=audit.phrase(gettext_noop("%(draft)s from v%(version)s"), draft=str(draft),
                             version=model.version),
        changes={"from_version": model.version},
        unit=draft.org_unit,
    )
    return draft


@transaction.atomic
def do_publish_model(model: CompetencyModel, *, acting_user, accept_weights: bool = False) -> CompetencyModel:
    """Draft → published; the family's version in use → archived. Refuses an incomplete
    model with ModelDataError naming what is missing, and a model whose weights for a stage
    or grade do not add up to 100 % unless `accept_weights` (the publisher's explicit
    "publish anyway": a model may weigh some columns on purpose, but never by accident)."""
    lock_model(model)
    scopes.require_scope(acting_user, Perm.EDIT_MODELS, model.org_unit)
    if Status.PUBLISHED not in TRANSITIONS[model.status]:
        _set_status(model, Status.PUBLISHED)  # raises InvalidTransition with the reason
    in_use = CompetencyModel.objects.filter(family=model.family, status=Status.PUBLISHED).first()
    if in_use is not None and content_key(model_data(in_use)) == content_key(model_data(model)):
        # A version identical to the one in use would only make evidence point two ways.
        raise CompetencyError(
            f"草稿与正在使用的 {in_use} 没有任何差别，无需发布；可以继续编辑或放弃此草稿。",
            f"The draft is identical to {in_use}, the version in use: edit it or discard it.",
        )
    stages, grades = known_codes()
    validate_model_data(model_data(model), stage_codes=stages, grade_codes=grades)  # errors first
    unbalanced = [(c.name, c.name_en or c.name, c.sum_text) for c in requirement_matrix(model).warnings]
    if unbalanced and not accept_weights:
        raise WeightsNotAcknowledged(unbalanced)
    archived = publish_draft(model)
    changes: dict = {"archived": [m.version for m in archived]}
    if unbalanced:
        changes["weights_not_100"] = {name: total for name, _name_en, total in unbalanced}
    audit.record(
        acting_user,
        CompetencyVerb.PUBLISH_MODEL,
        model,
        summary=str(model),
        changes=changes,
        unit=model.org_unit,
    )
    return model


@transaction.atomic
def do_discard_draft(model: CompetencyModel, *, acting_user) -> None:
    """Delete a draft version (nothing can point at a draft: it was never in use)."""
    require_editable(model, acting_user)
    label, pk = str(model), model.pk
    model.delete()
    audit.record(
        acting_user,
        CompetencyVerb.DISCARD_DRAFT,
        object_type="competency.competencymodel",
        object_id=str(pk),
        summary=label,
        unit=model.org_unit,
    )


@transaction.atomic
def do_restore_version(archived: CompetencyModel, *, acting_user) -> CompetencyModel:
    """A new draft version (the next number) with the content of an archived version: the
    way back to an older model. It is published like any draft, after review; the archived
    version itself stays archived (evidence measured against it keeps pointing at it)."""
    scopes.require_scope(acting_user, Perm.EDIT_MODELS, archived.org_unit)
    list(CompetencyModel.objects.select_for_update().filter(family=archived.family).order_by("pk"))
    if archived.status != Status.ARCHIVED:
        raise CompetencyError(
            f"只能恢复已归档的版本；{archived} 状态为「{Status(archived.status).label}」",
            f"only an archived version can be restored; {archived} is {archived.status}",
        )
    draft = CompetencyModel.objects.filter(family=archived.family, status=Status.DRAFT).first()
    if draft is not None:
        raise CompetencyError(
            f"模型已有草稿版本 v{draft.version}：请先发布或放弃该草稿，再恢复 v{archived.version}",
            f"the model already has a draft v{draft.version}: publish or discard it before "
            f"restoring v{archived.version}",
        )
    restored = create_from_data(
        model_data(archived), org_unit=archived.org_unit, version=next_version(archived.family),
        derived_from=archived,
    )
    audit.record(
        acting_user,
        CompetencyVerb.RESTORE_VERSION,
        restored,
        summary=audit.phrase(gettext_noop("%(restored)s from archived v%(version)s"), restored=str(restored),
                             version=archived.version),
        changes={"from_version": archived.version},
        unit=archived.org_unit,
    )
    return restored
