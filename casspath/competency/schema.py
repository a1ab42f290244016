"""A competency model as plain data: the schema of `data/default_model.json`, of the Excel
file once parsed, and of a stored version read back (`model_data`).

```
{"family", "name", "name_en", "description",
 "levels": [{"level", "title", "title_en", "description"}, ...5],
 "modules": [{"code", "name", "name_en",
              "dimensions": [{"code", "name", "name_en", "category", "description",
                              "levels": [{"level", "indicators": [str, ...]}, ...5]}]}],
 "requirements": {"stages": {stage_code: {dimension_code: [level, weight]}},
                  "grades": {grade_code: {dimension_code: [level, weight]}}}}
```

`validate_model_data` checks a dict with the pydantic models below and returns it normalised
(stripped texts, sorted levels, weights rounded to 2 decimals), so two dicts with the same
content compare equal. Pydantic's errors become `ModelDataError` entries (where, reason_zh,
reason_en) in `_problem`, `where` naming the place by codes and levels ("dimensions[D03].
levels[L3].indicators"), as an admin reads the model.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal, TypeAlias, get_args

from annotated_types import GroupedMetadata, Interval
from django.db.models import CharField, Model
from pydantic import (
    AfterValidator,
    AllowInfNan,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    Strict,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    field_validator,
)
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError
from pydantic_core.core_schema import ErrorType

from casspath.competency.errors import ModelDataError
from casspath.competency.models import (
    LEVELS,
    BehaviourLevel,
    CompetencyModel,
    Dimension,
    LevelTitle,
    Module,
    Requirement,
)
from casspath.core import validators
from casspath.core.errors import InvalidValue

CENT = Decimal("0.01")


def _max_length(model: type[Model], field: str) -> int:
    # Taken from the models, so a too-long text is named here, not by the database.
    found = model._meta.get_field(field)
    assert isinstance(found, CharField) and found.max_length is not None  # asked of CharFields only
    return found.max_length


def _rule(kind: str, zh: str, en: str) -> PydanticCustomError:
    """A broken rule of ours, with its message in both languages."""
    return PydanticCustomError(kind, en, {"zh": zh})


_Problems: TypeAlias = list[tuple[tuple[int, ...], PydanticCustomError]]


def _fail(problems: _Problems, value: object, also: ValidationError | None = None) -> None:
    """Report several broken rules at once, each at its place (`loc`) below the value's, and
    with them the errors pydantic found in the value itself (`also`)."""
    details = [InitErrorDetails(type=error, loc=loc, input=value) for loc, error in problems]
    if also is not None:
        details = [*map(_as_raised, also.errors()), *details]
    if details:
        raise ValidationError.from_exception_data("model data", details)


_PYDANTIC_ERRORS = frozenset(get_args(ErrorType))


def _as_raised(error: ErrorDetails) -> InitErrorDetails:
    """A reported error, as it can be raised again."""
    if error["type"] in _PYDANTIC_ERRORS:
        return InitErrorDetails(
            type=error["type"], loc=error["loc"], input=error["input"], ctx=error.get("ctx", {})
        )
    kind = PydanticCustomError(error["type"], error["msg"], error.get("ctx"))
    return InitErrorDetails(type=kind, loc=error["loc"], input=error["input"])


# --- value types -----------------------------------------------------------------------


def _blank_if_none(value):
    return "" if value is None else value


def _core_rule(check: Callable[[str], str]) -> AfterValidator:
    """A `casspath.core.validators` check as a pydantic validator: its refusal, in both
    languages, is the error pydantic reports."""

    def validate(value: str) -> str:
        try:
            return check(value)
        except InvalidValue as invalid:
            raise _rule("core_rule", invalid.message_zh, invalid.message_en) from None

    return AfterValidator(validate)


@dataclass(frozen=True)
class _Rules(GroupedMetadata):
    """Several pieces of pydantic metadata as one, in order: `Annotated[str, _text(...)]` is
    `Annotated[str, *pieces]` to pydantic, and a plain `str` to a type checker."""

    pieces: tuple[object, ...]

    def __iter__(self) -> Iterator[object]:
        return iter(self.pieces)


def _text(*, required: bool = False, max_length: int | None = None) -> _Rules:
    """Text, stripped, without NUL; None reads as empty."""
    return _Rules(
        (
            StringConstraints(
                strip_whitespace=True, min_length=1 if required else None, max_length=max_length
            ),
            BeforeValidator(_blank_if_none),
            _core_rule(validators.no_nul),
        )
    )


def _code(model: type[Model]) -> _Rules:
    """A code: required, within the model field's length, and one a web address can carry."""
    return _Rules((*_text(required=True, max_length=_max_length(model, "code")), _core_rule(validators.code)))


def _not_bool(value):
    if isinstance(value, bool):  # a bool is an int to Python, never a level to a person
        raise PydanticCustomError("bool_not_level", "a boolean is not a level")
    return value


def _to_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _percent(value: Decimal) -> Decimal:
    if not Decimal(0) <= value <= Decimal(100):
        raise PydanticCustomError("weight_range", "weight must be between 0 and 100")
    return value


Level: TypeAlias = Annotated[int, Interval(ge=1, le=5), BeforeValidator(_not_bool)]
WeightNumber: TypeAlias = Annotated[Decimal, AllowInfNan(False), AfterValidator(_to_cents)]
Weight: TypeAlias = Annotated[WeightNumber, AfterValidator(_percent)]
# Stored as [level, weight], the weight a float (JSON has no decimals).
Cell: TypeAlias = Annotated[tuple[Level, Weight], PlainSerializer(lambda cell: [cell[0], float(cell[1])])]
# Dimension.Category's values, spelled out for the type checker (test_load checks they agree).
Category: TypeAlias = Literal["knowledge", "quality", "skill"]

_LEVEL: TypeAdapter[int] = TypeAdapter(Level)
_WEIGHT_NUMBER: TypeAdapter[Decimal] = TypeAdapter(WeightNumber)


def level_value(value) -> int:
    """A level 1–5 from an int or an integral float/str; raises ValueError otherwise
    (pydantic's ValidationError is one)."""
    return _LEVEL.validate_python(value)


def weight_value(value) -> Decimal:
    """A weight as a Decimal with two places; raises ValueError when not a number."""
    return _WEIGHT_NUMBER.validate_python(value)


def _every_level_once(*, twice: tuple[str, str], missing: tuple[str, str]) -> WrapValidator:
    """A list of items with a level, sorted by level, each of 1-5 there exactly once. `twice`
    and `missing` are the messages (zh, en), formatted with {level} and {levels}.

    A wrap validator, so that it also runs when an item is bad (pydantic skips a list's after
    validators then) and one pass names every problem; it reads the raw items' levels.
    """

    def check(value: object, handler: ValidatorFunctionWrapHandler) -> list[Any]:
        problems: _Problems = []
        seen: set[int] = set()
        for index, item in enumerate(value if isinstance(value, list) else ()):
            try:
                level = level_value(item.get("level") if isinstance(item, dict) else None)
            except ValueError:
                continue  # reported on the item
            if level in seen:
                zh, en = (text.format(level=level) for text in twice)
                problems.append(((index,), _rule("duplicate_level", zh, en)))
            seen.add(level)
        absent = [str(level) for level in LEVELS if level not in seen]
        if absent and isinstance(value, list):
            zh, en = missing[0].format(levels="、".join(absent)), missing[1].format(levels=", ".join(absent))
            problems.append(((), _rule("missing_levels", zh, en)))
        try:
            items = handler(value)
        except ValidationError as exc:
            _fail(problems, value, also=exc)
            raise
        _fail(problems, value)
        return sorted(items, key=lambda item: item.level)

    return WrapValidator(check)


def _context(info: ValidationInfo) -> dict[str, Any]:
    """The context `validate_model_data` passes (the only caller, so always there)."""
    assert info.context is not None
    return info.context


def _first_use(info: ValidationInfo, kind: str, code: str) -> bool:
    """Whether `code` is new among the model's codes of `kind` so far.

    Codes are unique across the whole model, not per list, and the check must not wait for
    the other items to be valid (pydantic runs a list's own validators only then), so the
    codes met are kept in the validation's context, in document order.
    """
    seen = _context(info)["codes"].setdefault(kind, set())
    if code in seen:
        return False
    seen.add(code)
    return True


# --- the model -------------------------------------------------------------------------


class _In(BaseModel):
    # Absent fields get their defaults validated too: an absent required text is "missing",
    # and an absent level or list is reported from its None default (hence `type: ignore`s).
    model_config = ConfigDict(validate_default=True)


class BehaviourIn(_In):
    level: Level = None  # type: ignore[assignment]  # validated: absent is an error
    indicators: Annotated[list[str], Strict()] = None  # type: ignore[assignment]  # validated: absent is an error

    @field_validator("indicators")
    @classmethod
    def _one_per_line(cls, value: list[str], info: ValidationInfo) -> list[str]:
        # One indicator per line is how they are stored: a line break inside one splits it.
        lines = [part.strip() for line in value for part in line.splitlines() if part.strip()]
        level = info.data.get("level")
        if not lines and level is not None:
            raise _rule("no_indicators", f"等级 {level} 缺少行为指标", f"level {level} has no indicators")
        return lines


class DimensionIn(_In):
    code: Annotated[str, _code(Dimension)] = ""
    name: Annotated[str, _text(required=True, max_length=_max_length(Dimension, "name"))] = ""
    name_en: Annotated[str, _text(max_length=_max_length(Dimension, "name_en"))] = ""
    category: Category = None  # type: ignore[assignment]  # validated: absent is an error
    description: Annotated[str, _text()] = ""
    levels: Annotated[
        list[BehaviourIn],
        Strict(),
        _every_level_once(
            twice=("等级 {level} 的行为指标重复", "level {level} appears twice"),
            missing=(
                "缺少等级 {levels} 的行为指标（须有 1–5 级）",
                "indicators for levels {levels} are missing (1-5 are needed)",
            ),
        ),
    ] = None  # type: ignore[assignment]  # validated: absent is an error

    @field_validator("code")
    @classmethod
    def _unique_code(cls, code: str, info: ValidationInfo) -> str:
        if not _first_use(info, "dimension", code):
            raise _rule(
                "duplicate_code",
                f"维度编码 {code} 在模型中重复",
                f"dimension code {code} appears twice in the model",
            )
        return code


class ModuleIn(_In):
    code: Annotated[str, _code(Module)] = ""
    name: Annotated[str, _text(required=True, max_length=_max_length(Module, "name"))] = ""
    name_en: Annotated[str, _text(max_length=_max_length(Module, "name_en"))] = ""
    dimensions: Annotated[list[DimensionIn], Strict()] = None  # type: ignore[assignment]  # validated: absent is an error

    @field_validator("code")
    @classmethod
    def _unique_code(cls, code: str, info: ValidationInfo) -> str:
        if not _first_use(info, "module", code):
            raise _rule("duplicate_code", f"模块编码 {code} 重复", f"module code {code} appears twice")
        return code


class LevelIn(_In):
    level: Level = None  # type: ignore[assignment]  # validated: absent is an error
    title: Annotated[str, _text(required=True, max_length=_max_length(LevelTitle, "title"))] = ""
    title_en: Annotated[str, _text(max_length=_max_length(LevelTitle, "title_en"))] = ""
    description: Annotated[str, _text()] = ""


def _known(context_key: str, label_zh: str, label_en: str):
    def check(code, info: ValidationInfo):
        known = _context(info)[context_key]
        if code not in known:
            raise _rule(
                "unknown_target",
                f"未知的{label_zh}编码 {code!r}（已有：{'、'.join(sorted(known))}）",
                f"unknown {label_en} code {code!r} (known: {', '.join(sorted(known))})",
            )
        return code

    return AfterValidator(check)


def _in_model(code, info: ValidationInfo):
    if code not in _context(info)["codes"].get("dimension", ()):
        raise _rule(
            "unknown_dimension", f"维度编码 {code} 不在模型中", f"dimension code {code} is not in the model"
        )
    return code


def _empty_if_blank(value):
    return value or {}


def _empty_if_none(value):
    return {} if value is None else value


def _without_empty(targets: dict) -> dict:
    return {target: cells for target, cells in targets.items() if cells}


# Keys of any type: one that is no code (JSON keys are text, a Python dict's need not be) is
# named as an unknown code.
Cells = dict[Annotated[Any, AfterValidator(_in_model)], Cell]


class RequirementsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stages: Annotated[
        dict[Annotated[Any, _known("stage_codes", "阶段", "stage")], Cells],
        BeforeValidator(_empty_if_blank),
        AfterValidator(_without_empty),
    ] = {}
    grades: Annotated[
        dict[Annotated[Any, _known("grade_codes", "职级", "grade")], Cells],
        BeforeValidator(_empty_if_blank),
        AfterValidator(_without_empty),
    ] = {}


class ModelIn(_In):
    family: Annotated[
        str,
        _text(required=True, max_length=_max_length(CompetencyModel, "family")),
        _core_rule(validators.code),
    ] = ""
    name: Annotated[str, _text(required=True, max_length=_max_length(CompetencyModel, "name"))] = ""
    name_en: Annotated[str, _text(max_length=_max_length(CompetencyModel, "name_en"))] = ""
    description: Annotated[str, _text()] = ""
    levels: Annotated[
        list[LevelIn],
        Strict(),
        _every_level_once(
            twice=("等级 {level} 重复", "level {level} appears twice"),
            missing=("缺少等级 {levels}（须有 1–5 级）", "levels {levels} are missing (1-5 are needed)"),
        ),
    ] = None  # type: ignore[assignment]  # validated: absent is an error
    modules: Annotated[list[ModuleIn], Strict()] = None  # type: ignore[assignment]  # validated: absent is an error
    # After the modules: a requirement names a dimension met there (`_in_model`). The dict
    # default is validated into RequirementsIn (hence the `type: ignore`).
    requirements: Annotated[RequirementsIn, BeforeValidator(_empty_if_none)] = {}  # type: ignore[assignment]

    @field_validator("modules")
    @classmethod
    def _some_module(cls, modules: list[ModuleIn]) -> list[ModuleIn]:
        if not modules:
            raise _rule("no_modules", "模型至少要有一个模块", "a model needs at least one module")
        return modules


def validate_model_data(data, *, stage_codes: set[str], grade_codes: set[str]) -> dict:
    """The dict normalised, or ModelDataError listing every problem in it."""
    context = {"stage_codes": stage_codes, "grade_codes": grade_codes, "codes": {}}
    try:
        model = ModelIn.model_validate(data, context=context)
    except ValidationError as exc:
        raise ModelDataError([_problem(error, data) for error in exc.errors()]) from None
    return model.model_dump()


# --- pydantic's errors in the admin's words ----------------------------------------------

# Place kinds (see `_place`) → text fields → (label zh, label en).
TEXT_LABELS = {
    "model": {
        "family": ("模型编码", "model code (family)"),
        "name": ("模型名称", "model name"),
        "name_en": ("英文名称", "English name"),
        "description": ("说明", "description"),
    },
    "level": {
        "title": ("等级名称", "level title"),
        "title_en": ("等级英文名称", "English level title"),
        "description": ("等级说明", "level description"),
    },
    "module": {
        "code": ("模块编码", "module code"),
        "name": ("模块名称", "module name"),
        "name_en": ("模块英文名称", "English module name"),
    },
    "dimension": {
        "code": ("维度编码", "dimension code"),
        "name": ("维度名称", "dimension name"),
        "name_en": ("维度英文名称", "English dimension name"),
        "description": ("维度说明", "dimension description"),
    },
}
LIST_LABELS = {
    ("model", "levels"): ("等级列表", "levels"),
    ("model", "modules"): ("模块列表", "modules"),
    ("module", "dimensions"): ("维度列表", "dimensions"),
    ("dimension", "levels"): ("行为指标等级列表", "levels"),
}
NOT_AN_OBJECT = {
    "model": ("模型数据应为一个对象（字典）", "model data must be an object (dict)"),
    "level": ("等级应为对象", "a level must be an object"),
    "module": ("模块应为对象", "a module must be an object"),
    "dimension": ("维度应为对象", "a dimension must be an object"),
    "behaviour": ("行为指标等级应为对象", "a behaviour level must be an object"),
    "requirements": ("要求应为对象", "requirements must be an object"),
}
TARGET_LABELS = {"stages": ("阶段", "stage"), "grades": ("职级", "grade")}


def _problem(error: ErrorDetails, data: Any) -> tuple[str, str, str]:
    """One pydantic error as (where, reason_zh, reason_en)."""
    kind, where, field = _place(error["loc"], data)
    kind_of_error, value = error["type"], error["input"]
    if kind_of_error == "duplicate_code":
        where = where.removesuffix(f".{field}")  # the duplicate is the module or dimension
    if "zh" in error.get("ctx", {}):
        return where, error["ctx"]["zh"], error["msg"]
    if kind == "requirements":
        return (where, *_requirement_reason(error, field))
    if field is None:
        zh, en = NOT_AN_OBJECT[kind]
        return where, zh, en
    if (kind, field) in LIST_LABELS:
        zh, en = LIST_LABELS[kind, field]
        return where, f"{zh}应为列表", f"{en} must be a list"
    if field == "level":
        shown = value if kind_of_error != "missing" else None
        return (
            where,
            f"等级应为 1–5 的整数，现为 {shown!r}",
            f"level must be a whole number 1-5, got {shown!r}",
        )
    if field == "category":
        return (
            where,
            f"类别应为 knowledge（岗位知识）、quality（岗位素质）或 skill（岗位技能），现为 {value!r}",
            f"category must be knowledge, quality or skill, got {value!r}",
        )
    if field == "indicators":
        return where, "行为指标应为文本列表", "indicators must be a list of texts"
    zh, en = TEXT_LABELS.get(kind, {}).get(field, (field, field))
    if kind_of_error == "string_too_short":
        return where, f"缺少{zh}", f"{en} is missing"
    if kind_of_error == "string_too_long":
        limit, length = error["ctx"]["max_length"], len(str(value).strip())
        return (
            where,
            f"{zh}超过 {limit} 个字符（现 {length} 个）",
            f"{en} is longer than {limit} characters ({length})",
        )
    if kind_of_error == "string_type":
        return where, f"{zh}应为文本", f"{en} must be text"
    return where, f"{zh}无效：{error['msg']}", f"{en} is invalid: {error['msg']}"


def _requirement_reason(error: ErrorDetails, field: Any) -> tuple[str, str]:
    loc, kind_of_error, value = error["loc"], error["type"], error["input"]
    if kind_of_error in ("extra_forbidden", "invalid_key"):
        return (
            f"未知的要求类别 {field!r}（应为 stages 或 grades）",
            f"unknown requirement kind {field!r} (stages or grades expected)",
        )
    depth = len([part for part in loc if part != "[key]"])
    if depth == 1:
        return NOT_AN_OBJECT["requirements"]
    if depth == 2 and loc[1] in TARGET_LABELS:
        zh, en = TARGET_LABELS[loc[1]]
        return f"{zh}要求应为对象", f"{en} requirements must be an object"
    if depth == 3:
        return "应为 维度编码 → [等级, 权重] 的对象", "must be an object of dimension code -> [level, weight]"
    if depth == 5 and kind_of_error != "missing":
        if loc[-1] == 0:
            return (
                f"要求等级应为 1–5 的整数，现为 {value!r}",
                f"required level must be a whole number 1-5, got {value!r}",
            )
        if kind_of_error == "weight_range":
            return f"权重应在 0–100 之间，现为 {value!r}", f"weight must be between 0 and 100, got {value!r}"
        return f"权重应为数字，现为 {value!r}", f"weight must be a number, got {value!r}"
    return f"应为 [等级, 权重]，现为 {value!r}", f"must be [level, weight], got {value!r}"


def _place(loc: tuple, data) -> tuple[str, str, Any]:
    """(kind, where, field) of an error's `loc` in the raw `data`: objects are named by their
    code or level where they have a readable one ("modules[M1]", "levels[L3]"), else by
    their position ("modules[0]"), as the checks named them before pydantic."""
    if not loc:
        return "model", "$", None
    head, rest = loc[0], loc[1:]
    if head == "requirements":
        parts = [str(part) for part in loc if part != "[key]"][:4]  # a cell's level or weight: the cell
        return "requirements", ".".join(parts), (loc[1] if len(loc) > 1 else None)
    if head == "levels":
        return _in_list("levels", "levels", "level", rest, data.get("levels"), _level_name)
    if head == "modules":
        return _in_list("modules", "modules", "module", rest, data.get("modules"), _module_name)
    return "model", f"model.{head}", head


def _in_list(key: str, where: str, kind: str, rest: tuple, items, name) -> tuple[str, str, Any]:
    if not rest:
        return _parent_kind(kind), where, key
    index, rest = rest[0], rest[1:]
    item = items[index] if isinstance(items, list) and isinstance(index, int) and index < len(items) else None
    here = name(item, where, index)
    if not rest:
        return kind, here, None
    field, rest = rest[0], rest[1:]
    if kind == "module" and field == "dimensions":
        raw = item.get("dimensions") if isinstance(item, dict) else None
        return _in_list("dimensions", f"{here}.dimensions", "dimension", rest, raw, _dimension_name)
    if kind == "dimension" and field == "levels":
        raw = item.get("levels") if isinstance(item, dict) else None
        return _in_list("levels", f"{here}.levels", "behaviour", rest, raw, _level_name)
    return kind, f"{here}.{field}", field  # an indicator's own problem is its list's


def _parent_kind(kind: str) -> str:
    return {"level": "model", "module": "model", "dimension": "module", "behaviour": "dimension"}[kind]


def _code_of(item, model) -> str:
    """The item's code if it is a usable one, else ""."""
    code = item.get("code") if isinstance(item, dict) else None
    code = code.strip() if isinstance(code, str) else ""
    return code if len(code) <= _max_length(model, "code") else ""


def _module_name(item, where: str, index) -> str:
    code = _code_of(item, Module)
    return f"modules[{code}]" if code else f"{where}[{index}]"


def _dimension_name(item, where: str, index) -> str:
    code = _code_of(item, Dimension)
    return f"dimensions[{code}]" if code else f"{where}[{index}]"


def _level_name(item, where: str, index) -> str:
    try:
        return f"{where}[L{level_value(item.get('level'))}]"
    except (AttributeError, ValueError):
        return f"{where}[{index}]"


# --- a stored version as data ------------------------------------------------------------


def model_data(model: CompetencyModel) -> dict:
    """A stored version as plain data (the schema above), read with five queries."""
    levels = [
        {"level": row.level, "title": row.title, "title_en": row.title_en, "description": row.description}
        for row in LevelTitle.objects.filter(model=model).order_by("level")
    ]
    behaviours: dict[int, list[dict]] = {}
    for row in BehaviourLevel.objects.filter(dimension__model=model).order_by("dimension_id", "level"):
        behaviours.setdefault(row.dimension_id, []).append(
            {"level": row.level, "indicators": row.indicator_list()}
        )
    dimensions: dict[int, list[dict]] = {}
    for dim in Dimension.objects.filter(model=model).order_by("order", "code"):
        dimensions.setdefault(dim.module_id, []).append(
            {
                "code": dim.code,
                "name": dim.name,
                "name_en": dim.name_en,
                "category": dim.category,
                "description": dim.description,
                "levels": behaviours.get(dim.pk, []),
            }
        )
    modules = [
        {"code": m.code, "name": m.name, "name_en": m.name_en, "dimensions": dimensions.get(m.pk, [])}
        for m in Module.objects.filter(model=model).order_by("order", "code")
    ]
    requirements: dict = {"stages": {}, "grades": {}}
    rows = Requirement.objects.filter(model=model).values_list(
        "stage__code", "grade__code", "dimension__code", "level", "weight"
    )
    for stage_code, grade_code, dim_code, level, weight in rows.order_by(
        "stage__order", "grade__order", "dimension__order", "dimension__code"
    ):
        kind, target = ("stages", stage_code) if stage_code else ("grades", grade_code)
        requirements[kind].setdefault(target, {})[dim_code] = [level, float(weight)]
    return {
        "family": model.family,
        "name": model.name,
        "name_en": model.name_en,
        "description": model.description,
        "levels": levels,
        "modules": modules,
        "requirements": requirements,
    }


def content_key(data: dict) -> dict:
    """What "identical content" compares: everything but the family and the order of
    requirement cells (which has no meaning)."""
    key = {k: v for k, v in data.items() if k not in ("family", "requirements")}
    key["requirements"] = {
        kind: {target: dict(sorted(cells.items())) for target, cells in sorted(targets.items()) if cells}
        for kind, targets in data.get("requirements", {}).items()
    }
    return key
