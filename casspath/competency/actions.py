"""Every write to a competency model.

Versioning: a published version is in use (evidence points at it) and never changes in
place. Editing starts a draft copy (`do_start_new_version`), every edit refuses anything
but a draft, and `do_publish_model` puts the draft in use and archives the version before.
"""

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from casspath.competency.diff import ModelDiff, diff_model_data
from casspath.competency.errors import (
    CompetencyError,
    InvalidTransition,
    ModelDataError,
    ModelNotEditable,
)
from casspath.competency.models import (
    LEVELS,
    BehaviourLevel,
    CompetencyModel,
    Dimension,
    Grade,
    LevelTitle,
    Module,
    Requirement,
    Stage,
)
from casspath.competency.schema import content_key, model_data, validate_model_data
from casspath.core import audit
from casspath.org import scopes
from casspath.org.models import OrgUnit

Status = CompetencyModel.Status
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.PUBLISHED},
    Status.PUBLISHED: {Status.ARCHIVED},
    Status.ARCHIVED: set(),
}
DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "data" / "default_model.json"
# Fields that a foreign key points at: validated by construction, and checking each one
# in full_clean would cost a query per row.
FK_FIELDS = ["model", "module", "dimension", "stage", "grade", "org_unit", "derived_from"]


def _known_codes() -> tuple[set[str], set[str]]:
    return set(Stage.objects.values_list("code", flat=True)), set(
        Grade.objects.values_list("code", flat=True)
    )


def _clean(obj) -> None:
    obj.full_clean(exclude=FK_FIELDS, validate_unique=False, validate_constraints=False)


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


def _require_draft(model: CompetencyModel) -> None:
    if model.status != Status.DRAFT:
        raise ModelNotEditable(
            f"{model} 状态为「{Status(model.status).label}」，只能修改草稿版本；请先创建新版本",
            f"{model} is {model.status}: only a draft can be edited; start a new version first",
        )


def _next_version(family: str) -> int:
    return (CompetencyModel.objects.filter(family=family).aggregate(top=Max("version"))["top"] or 0) + 1


def _create_from_data(
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
    _clean(model)
    model.save()
    titles = [LevelTitle(model=model, **item) for item in data["levels"]]
    modules = [
        Module(model=model, code=m["code"], name=m["name"], name_en=m["name_en"], order=index)
        for index, m in enumerate(data["modules"])
    ]
    for obj in [*titles, *modules]:
        _clean(obj)
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
        _clean(obj)
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
        _clean(obj)
    BehaviourLevel.objects.bulk_create(behaviours)
    Requirement.objects.bulk_create(requirements)
    return model


def _publish(model: CompetencyModel) -> list[CompetencyModel]:
    """Publish a draft and archive the versions of its family in use; returns those."""
    stages, grades = _known_codes()
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
def do_load_model_data(
    data: dict, *, org_unit: OrgUnit, acting_user, publish: bool = True
) -> CompetencyModel:
    """Create the next version of `data["family"]` from a model dict (schema.py).

    Idempotent: when the newest version of the family has the same content, nothing is
    created and that version is returned. Refused (ModelDataError) when the data is
    invalid or when the family already has a different draft (finish that one first).
    """
    stages, grades = _known_codes()
    clean = validate_model_data(data, stage_codes=stages, grade_codes=grades)
    family = clean["family"]
    versions = CompetencyModel.objects.select_for_update().filter(family=family).order_by("-version")
    newest = versions.first()
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
    model = _create_from_data(clean, org_unit=org_unit, version=_next_version(family), derived_from=newest)
    archived = _publish(model) if publish else []
    audit.record(
        acting_user,
        "competency.load_model",
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
    )
    return model


def do_load_default_model(*, org_unit: OrgUnit, acting_user) -> CompetencyModel:
    """Load `competency/data/default_model.json` (the demo builder calls this)."""
    with DEFAULT_MODEL_PATH.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return do_load_model_data(data, org_unit=org_unit, acting_user=acting_user, publish=True)


@transaction.atomic
def do_start_new_version(model: CompetencyModel, *, acting_user) -> CompetencyModel:
    """A draft copy (version + 1) of a published model; the family's draft if one exists."""
    existing = (
        CompetencyModel.objects.select_for_update()
        .filter(family=model.family, status=Status.DRAFT)
        .order_by("-version")
        .first()
    )
    if existing is not None:
        return existing
    if model.status != Status.PUBLISHED:
        raise CompetencyError(
            f"只能从已发布的版本创建新版本；{model} 状态为「{Status(model.status).label}」",
            f"a new version can only start from the published version; {model} is {model.status}",
        )
    draft = _create_from_data(
        model_data(model), org_unit=model.org_unit, version=_next_version(model.family), derived_from=model
    )
    audit.record(
        acting_user,
        "competency.start_new_version",
        draft,
        summary=f"{draft} from v{model.version}",
        changes={"from_version": model.version},
    )
    return draft


@transaction.atomic
def do_publish_model(model: CompetencyModel, *, acting_user) -> CompetencyModel:
    """Draft → published; the family's version in use → archived. Refuses an incomplete
    model with ModelDataError naming what is missing."""
    if Status.PUBLISHED not in TRANSITIONS[model.status]:
        _set_status(model, Status.PUBLISHED)  # raises InvalidTransition with the reason
    archived = _publish(model)
    audit.record(
        acting_user,
        "competency.publish_model",
        model,
        summary=str(model),
        changes={"archived": [m.version for m in archived]},
    )
    return model


@transaction.atomic
def do_discard_draft(model: CompetencyModel, *, acting_user) -> None:
    """Delete a draft version (nothing can point at a draft: it was never in use)."""
    _require_draft(model)
    label, pk = str(model), model.pk
    model.delete()
    audit.record(
        acting_user,
        "competency.discard_draft",
        object_type="competency.competencymodel",
        object_id=str(pk),
        summary=label,
    )


# Edits of a draft ---------------------------------------------------------------------


@transaction.atomic
def do_update_model_info(
    model: CompetencyModel, *, name: str, name_en: str, description: str, acting_user
) -> CompetencyModel:
    _require_draft(model)
    values = {"name": name.strip(), "name_en": name_en.strip(), "description": description.strip()}
    changes = audit.diff(model, values)
    for key, value in values.items():
        setattr(model, key, value)
    _clean(model)
    model.save(update_fields=list(values))
    audit.record(acting_user, "competency.update_model", model, summary=str(model), changes=changes)
    return model


@transaction.atomic
def do_update_level_titles(model: CompetencyModel, levels: list[dict], *, acting_user) -> None:
    """Set the titles of levels: each item {"level", "title", "title_en", "description"}."""
    _require_draft(model)
    existing = {row.level: row for row in LevelTitle.objects.filter(model=model)}
    changes = {}
    for item in levels:
        level = item["level"]
        if level not in LEVELS:
            raise ValidationError({"level": f"等级应为 1–5，现为 {level} / level must be 1-5, got {level}"})
        values = {key: (item.get(key) or "").strip() for key in ("title", "title_en", "description")}
        row = existing.get(level) or LevelTitle(model=model, level=level)
        changed = audit.diff(row, values) if row.pk else values
        for key, value in values.items():
            setattr(row, key, value)
        _clean(row)
        if row.pk is None:
            row.save()
        elif changed:
            row.save(update_fields=list(values))
        if changed:
            changes[f"L{level}"] = changed
    audit.record(acting_user, "competency.update_levels", model, summary=str(model), changes=changes)


def _check_code(model: CompetencyModel, cls, code: str, label_zh: str, label_en: str) -> str:
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": f"缺少{label_zh} / {label_en} is missing"})
    if any(ch.isspace() for ch in code):
        raise ValidationError({"code": f"{label_zh}不能含空格 / {label_en} cannot contain spaces"})
    if cls.objects.filter(model=model, code=code).exists():
        raise ValidationError(
            {"code": f"{label_zh} {code} 在本模型中已存在 / {label_en} {code} already exists in this model"}
        )
    return code


@transaction.atomic
def do_add_module(model: CompetencyModel, *, code: str, name: str, name_en: str = "", acting_user) -> Module:
    _require_draft(model)
    code = _check_code(model, Module, code, "模块编码", "module code")
    top = Module.objects.filter(model=model).aggregate(top=Max("order"))["top"]
    module = Module(
        model=model,
        code=code,
        name=name.strip(),
        name_en=name_en.strip(),
        order=0 if top is None else top + 1,
    )
    _clean(module)
    module.save()
    audit.record(acting_user, "competency.add_module", module, summary=f"{model}: {module}")
    return module


@transaction.atomic
def do_update_module(module: Module, *, name: str, name_en: str, acting_user) -> Module:
    _require_draft(module.model)
    values = {"name": name.strip(), "name_en": name_en.strip()}
    changes = audit.diff(module, values)
    for key, value in values.items():
        setattr(module, key, value)
    _clean(module)
    module.save(update_fields=list(values))
    audit.record(
        acting_user, "competency.update_module", module, summary=f"{module.model}: {module}", changes=changes
    )
    return module


@transaction.atomic
def do_move_module(module: Module, *, offset: int, acting_user) -> None:
    """Move a module up (offset -1) or down (+1) among the model's modules."""
    _require_draft(module.model)
    modules = list(Module.objects.filter(model=module.model).order_by("order", "code"))
    index = next(i for i, m in enumerate(modules) if m.pk == module.pk)
    target = min(max(index + offset, 0), len(modules) - 1)
    modules.insert(target, modules.pop(index))
    for order, item in enumerate(modules):
        item.order = order
    Module.objects.bulk_update(modules, ["order"])
    audit.record(
        acting_user,
        "competency.move_module",
        module,
        summary=f"{module.model}: {module}",
        changes={"order": [m.code for m in modules]},
    )


@transaction.atomic
def do_remove_module(module: Module, *, acting_user) -> None:
    """Remove a module without dimensions (move or remove them first)."""
    _require_draft(module.model)
    codes = list(module.dimensions.values_list("code", flat=True))
    if codes:
        raise ValidationError(
            f"模块 {module.code} 还有维度 {'、'.join(codes)}，请先移走或删除这些维度 / "
            f"module {module.code} still holds dimensions {', '.join(codes)}: move or remove them first"
        )
    label, pk = f"{module.model}: {module}", module.pk
    module.delete()
    audit.record(
        acting_user,
        "competency.remove_module",
        object_type="competency.module",
        object_id=str(pk),
        summary=label,
    )


def _check_module(module: Module, model: CompetencyModel) -> None:
    if module.model_id != model.pk:
        raise ValidationError({"module": "模块不属于本模型 / the module belongs to another model"})


@transaction.atomic
def do_add_dimension(
    module: Module,
    *,
    code: str,
    name: str,
    name_en: str = "",
    category: str,
    description: str = "",
    acting_user,
) -> Dimension:
    model = module.model
    _require_draft(model)
    code = _check_code(model, Dimension, code, "维度编码", "dimension code")
    top = Dimension.objects.filter(model=model).aggregate(top=Max("order"))["top"]
    dimension = Dimension(
        model=model,
        module=module,
        code=code,
        name=name.strip(),
        name_en=name_en.strip(),
        category=category,
        description=description.strip(),
        order=0 if top is None else top + 1,
    )
    _clean(dimension)
    dimension.save()
    audit.record(acting_user, "competency.add_dimension", dimension, summary=f"{model}: {dimension}")
    return dimension


@transaction.atomic
def do_update_dimension(
    dimension: Dimension,
    *,
    module: Module,
    name: str,
    name_en: str,
    category: str,
    description: str,
    acting_user,
) -> Dimension:
    """Edit a dimension. Its code is kept: it names the dimension across versions."""
    _require_draft(dimension.model)
    _check_module(module, dimension.model)
    values = {
        "module": module,
        "name": name.strip(),
        "name_en": name_en.strip(),
        "category": category,
        "description": description.strip(),
    }
    changes = audit.diff(dimension, values)
    for key, value in values.items():
        setattr(dimension, key, value)
    _clean(dimension)
    dimension.save(update_fields=list(values))
    audit.record(
        acting_user,
        "competency.update_dimension",
        dimension,
        summary=f"{dimension.model}: {dimension}",
        changes=changes,
    )
    return dimension


@transaction.atomic
def do_remove_dimension(dimension: Dimension, *, acting_user) -> None:
    """Remove a dimension with its indicators and requirements (from this draft only)."""
    _require_draft(dimension.model)
    label, pk = f"{dimension.model}: {dimension}", dimension.pk
    dimension.delete()
    audit.record(
        acting_user,
        "competency.remove_dimension",
        object_type="competency.dimension",
        object_id=str(pk),
        summary=label,
    )


def _indicator_lines(value: str | list[str]) -> list[str]:
    lines = value.splitlines() if isinstance(value, str) else [p for line in value for p in line.splitlines()]
    return [line.strip() for line in lines if line.strip()]


@transaction.atomic
def do_set_indicators(dimension: Dimension, by_level: dict[int, str | list[str]], *, acting_user) -> None:
    """Set the behavioural indicators of a dimension per level (one per line); an empty
    value removes that level's indicators."""
    _require_draft(dimension.model)
    existing = {row.level: row for row in BehaviourLevel.objects.filter(dimension=dimension)}
    changes = {}
    for level, value in by_level.items():
        if level not in LEVELS:
            raise ValidationError({"level": f"等级应为 1–5，现为 {level} / level must be 1-5, got {level}"})
        text = "\n".join(_indicator_lines(value))
        row = existing.get(level)
        old = row.indicators if row else ""
        if text == old:
            continue
        changes[f"L{level}"] = [old, text]
        if not text:
            row.delete()
            continue
        row = row or BehaviourLevel(dimension=dimension, level=level)
        row.indicators = text
        _clean(row)
        if row.pk is None:
            row.save()
        else:
            row.save(update_fields=["indicators"])
    audit.record(
        acting_user,
        "competency.set_indicators",
        dimension,
        summary=f"{dimension.model}: {dimension}",
        changes=changes,
    )


@transaction.atomic
def do_set_requirements(
    model: CompetencyModel,
    *,
    stage: Stage | None = None,
    grade: Grade | None = None,
    cells: dict[str, tuple[int, Decimal] | None],
    acting_user,
) -> None:
    """Set the required level and weight of dimensions (by code) for one stage or one
    grade; a cell of None removes that requirement."""
    _require_draft(model)
    if (stage is None) == (grade is None):
        raise ValueError("give exactly one of stage and grade")
    target = {"stage": stage} if stage is not None else {"grade": grade}
    dimensions = {dim.code: dim for dim in Dimension.objects.filter(model=model)}
    existing = {row.dimension_id: row for row in Requirement.objects.filter(model=model, **target)}
    changes = {}
    for code, cell in cells.items():
        dimension = dimensions.get(code)
        if dimension is None:
            raise ValidationError(f"维度编码 {code} 不在模型中 / dimension code {code} is not in the model")
        row = existing.get(dimension.pk)
        old = [row.level, str(row.weight)] if row else None
        if cell is None:
            if row is not None:
                row.delete()
                changes[code] = [old, None]
            continue
        level, weight = cell
        row = row or Requirement(model=model, dimension=dimension, **target)
        row.level, row.weight = level, Decimal(str(weight))
        _clean(row)
        new = [row.level, str(row.weight.quantize(Decimal("0.01")))]
        if old == new:
            continue
        changes[code] = [old, new]
        if row.pk is None:
            row.save()
        else:
            row.save(update_fields=["level", "weight"])
    audit.record(
        acting_user,
        "competency.set_requirements",
        model,
        summary=f"{model}: {stage or grade}",
        changes=changes,
    )


# Excel import ------------------------------------------------------------------------


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


def do_import_model_xlsx(
    data: bytes, *, org_unit: OrgUnit, acting_user, dry_run: bool = False, publish: bool = True
) -> ImportOutcome:
    """Import an Excel model file (excel.py). Raises ImportFileError (or its subclass
    CompetencyImportInvalid listing bad cells), ModelDataError or CompetencyError."""
    from casspath.competency.excel import parse_model_xlsx

    return do_import_model_data(
        parse_model_xlsx(data), org_unit=org_unit, acting_user=acting_user, dry_run=dry_run, publish=publish
    )
