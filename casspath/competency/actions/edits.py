"""Edits of a draft version: model info, level titles, modules, dimensions, behavioural
indicators and requirements. Every edit refuses anything but a draft."""

from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from casspath.competency.actions.common import clean, require_editable
from casspath.competency.audit_verbs import CompetencyVerb
from casspath.competency.models import (
    LEVELS,
    BehaviourLevel,
    CompetencyModel,
    Dimension,
    LevelTitle,
    Module,
    Requirement,
)
from casspath.core import audit, validators
from casspath.core.errors import InvalidValue
from casspath.org.models import Grade, Stage


def _save_changes(obj, values: dict) -> dict:
    """Set `values` on a row, check and save the fields; returns the changes for the audit."""
    changes = audit.diff(obj, values)
    for key, value in values.items():
        setattr(obj, key, value)
    clean(obj)
    obj.save(update_fields=list(values))
    return changes


def _next_order(cls, model: CompetencyModel) -> int:
    """The order of a row added after the model's others of `cls`."""
    top = cls.objects.filter(model=model).aggregate(top=Max("order"))["top"]
    return 0 if top is None else top + 1


def _check_level(level) -> None:
    if level not in LEVELS:
        raise ValidationError({"level": f"等级应为 1–5，现为 {level} / level must be 1-5, got {level}"})


def _delete(obj, verb: CompetencyVerb, *, acting_user) -> None:
    """Delete a row of a draft, audited under its label (the row is gone afterwards)."""
    label, pk = f"{obj.model}: {obj}", obj.pk
    obj.delete()
    audit.record(acting_user, verb, object_type=obj._meta.label_lower, object_id=str(pk), summary=label,
        unit=obj.model.org_unit)


@transaction.atomic
def do_update_model_info(
    model: CompetencyModel, *, name: str, name_en: str, description: str, acting_user
) -> CompetencyModel:
    require_editable(model, acting_user)
    values = {"name": name.strip(), "name_en": name_en.strip(), "description": description.strip()}
    changes = _save_changes(model, values)
    audit.record(acting_user, CompetencyVerb.UPDATE_MODEL, model, summary=str(model), changes=changes,
        unit=model.org_unit)
    return model


@transaction.atomic
def do_update_level_titles(model: CompetencyModel, levels: list[dict], *, acting_user) -> None:
    """Set the titles of levels: each item {"level", "title", "title_en", "description"}."""
    require_editable(model, acting_user)
    existing = {row.level: row for row in LevelTitle.objects.filter(model=model)}
    changes = {}
    for item in levels:
        level = item["level"]
        _check_level(level)
        values = {key: (item.get(key) or "").strip() for key in ("title", "title_en", "description")}
        row = existing.get(level) or LevelTitle(model=model, level=level)
        changed = audit.diff(row, values) if row.pk else values
        for key, value in values.items():
            setattr(row, key, value)
        clean(row)
        if row.pk is None:
            row.save()
        elif changed:
            row.save(update_fields=list(values))
        if changed:
            changes[f"L{level}"] = changed
    audit.record(acting_user, CompetencyVerb.UPDATE_LEVELS, model, summary=str(model), changes=changes,
        unit=model.org_unit)


def _check_code(model: CompetencyModel, cls, code: str, label_zh: str, label_en: str) -> str:
    code = (code or "").strip()
    if not code:
        raise ValidationError({"code": f"缺少{label_zh} / {label_en} is missing"})
    try:
        validators.code(code)
    except InvalidValue as invalid:
        raise ValidationError(
            {"code": f"{label_zh}：{invalid.message_zh} / {label_en}: {invalid.message_en}"}
        ) from None
    if cls.objects.filter(model=model, code=code).exists():
        raise ValidationError(
            {"code": f"{label_zh} {code} 在本模型中已存在 / {label_en} {code} already exists in this model"}
        )
    return code


@transaction.atomic
def do_add_module(model: CompetencyModel, *, code: str, name: str, name_en: str = "", acting_user) -> Module:
    require_editable(model, acting_user)
    code = _check_code(model, Module, code, "模块编码", "module code")
    module = Module(
        model=model, code=code, name=name.strip(), name_en=name_en.strip(), order=_next_order(Module, model)
    )
    clean(module)
    module.save()
    audit.record(acting_user, CompetencyVerb.ADD_MODULE, module, summary=f"{model}: {module}",
        unit=model.org_unit)
    return module


@transaction.atomic
def do_update_module(module: Module, *, name: str, name_en: str, acting_user) -> Module:
    require_editable(module.model, acting_user)
    changes = _save_changes(module, {"name": name.strip(), "name_en": name_en.strip()})
    audit.record(
        acting_user, CompetencyVerb.UPDATE_MODULE, module, summary=f"{module.model}: {module}",
        changes=changes, unit=module.model.org_unit,
    )
    return module


@transaction.atomic
def do_move_module(module: Module, *, offset: int, acting_user) -> None:
    """Move a module up (offset -1) or down (+1) among the model's modules."""
    require_editable(module.model, acting_user)
    modules = list(Module.objects.filter(model=module.model).order_by("order", "code"))
    index = next(i for i, m in enumerate(modules) if m.pk == module.pk)
    target = min(max(index + offset, 0), len(modules) - 1)
    modules.insert(target, modules.pop(index))
    for order, item in enumerate(modules):
        item.order = order
    Module.objects.bulk_update(modules, ["order"])
    audit.record(
        acting_user,
        CompetencyVerb.MOVE_MODULE,
        module,
        summary=f"{module.model}: {module}",
        changes={"order": [m.code for m in modules]},
        unit=module.model.org_unit,
    )


@transaction.atomic
def do_remove_module(module: Module, *, acting_user) -> None:
    """Remove a module without dimensions (move or remove them first)."""
    require_editable(module.model, acting_user)
    codes = list(module.dimensions.values_list("code", flat=True))
    if codes:
        raise ValidationError(
            f"模块 {module.code} 还有维度 {'、'.join(codes)}，请先移走或删除这些维度 / "
            f"module {module.code} still holds dimensions {', '.join(codes)}: move or remove them first"
        )
    _delete(module, CompetencyVerb.REMOVE_MODULE, acting_user=acting_user)


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
    require_editable(model, acting_user)
    code = _check_code(model, Dimension, code, "维度编码", "dimension code")
    dimension = Dimension(
        model=model,
        module=module,
        code=code,
        name=name.strip(),
        name_en=name_en.strip(),
        category=category,
        description=description.strip(),
        order=_next_order(Dimension, model),
    )
    clean(dimension)
    dimension.save()
    audit.record(acting_user, CompetencyVerb.ADD_DIMENSION, dimension, summary=f"{model}: {dimension}",
        unit=model.org_unit)
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
    require_editable(dimension.model, acting_user)
    _check_module(module, dimension.model)
    values = {
        "module": module,
        "name": name.strip(),
        "name_en": name_en.strip(),
        "category": category,
        "description": description.strip(),
    }
    changes = _save_changes(dimension, values)
    audit.record(
        acting_user,
        CompetencyVerb.UPDATE_DIMENSION,
        dimension,
        summary=f"{dimension.model}: {dimension}",
        changes=changes,
        unit=dimension.model.org_unit,
    )
    return dimension


@transaction.atomic
def do_remove_dimension(dimension: Dimension, *, acting_user) -> None:
    """Remove a dimension with its indicators and requirements (from this draft only)."""
    require_editable(dimension.model, acting_user)
    _delete(dimension, CompetencyVerb.REMOVE_DIMENSION, acting_user=acting_user)


def _indicator_lines(value: str | list[str]) -> list[str]:
    lines = value.splitlines() if isinstance(value, str) else [p for line in value for p in line.splitlines()]
    return [line.strip() for line in lines if line.strip()]


@transaction.atomic
def do_set_indicators(dimension: Dimension, by_level: Mapping[int, str | list[str]], *, acting_user) -> None:
    """Set the behavioural indicators of a dimension per level (one per line); an empty
    value removes that level's indicators."""
    require_editable(dimension.model, acting_user)
    existing = {row.level: row for row in BehaviourLevel.objects.filter(dimension=dimension)}
    changes = {}
    for level, value in by_level.items():
        _check_level(level)
        text = "\n".join(_indicator_lines(value))
        row = existing.get(level)
        old = row.indicators if row else ""
        if text == old:
            continue
        changes[f"L{level}"] = [old, text]
        if not text:
            assert row is not None  # text differs from old, so old was not "": the row exists
            row.delete()
            continue
        row = row or BehaviourLevel(dimension=dimension, level=level)
        row.indicators = text
        clean(row)
        if row.pk is None:
            row.save()
        else:
            row.save(update_fields=["indicators"])
    audit.record(
        acting_user,
        CompetencyVerb.SET_INDICATORS,
        dimension,
        summary=f"{dimension.model}: {dimension}",
        changes=changes,
        unit=dimension.model.org_unit,
    )


@transaction.atomic
def do_set_requirements(
    model: CompetencyModel,
    *,
    stage: Stage | None = None,
    grade: Grade | None = None,
    cells: Mapping[str, tuple[int, Decimal | int] | None],
    acting_user,
) -> None:
    """Set the required level and weight of dimensions (by code) for one stage or one
    grade; a cell of None removes that requirement."""
    require_editable(model, acting_user)
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
        clean(row)
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
        CompetencyVerb.SET_REQUIREMENTS,
        model,
        summary=f"{model}: {stage or grade}",
        changes=changes,
        unit=model.org_unit,
    )
