from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from casspath.analytics.requirements import Required, effective
from casspath.competency.access import visible_models_q
from casspath.competency.diff import ModelDiff, diff_model_data
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
from casspath.competency.schema import content_key, model_data, validate_model_data
from casspath.org.models import Grade, Stage, local_name


def current_model(family: str = "default") -> CompetencyModel | None:
    """The published version of a model family, if any."""
    return (
        CompetencyModel.objects.filter(family=family, status=CompetencyModel.Status.PUBLISHED)
        .order_by("-version")
        .first()
    )


def published_models_applying(paths) -> dict[str, CompetencyModel | None]:
    """For each unit path ("/1/7/42/"), the published model that applies to the unit: the
    one owned by the nearest unit at or above it (a city's own model before the
    province's); of several families owned by that unit, the one published last. One query."""
    paths = set(paths)
    owners = {int(part) for path in paths for part in path.strip("/").split("/") if part}
    published = (CompetencyModel.objects
                 .filter(status=CompetencyModel.Status.PUBLISHED, org_unit_id__in=owners)
                 .select_related("org_unit").order_by("published_at", "pk"))
    by_owner = {model.org_unit_id: model for model in published}  # the last published wins
    found: dict[str, CompetencyModel | None] = {}
    for path in paths:
        ids = [int(part) for part in path.strip("/").split("/") if part]
        found[path] = next((by_owner[pk] for pk in reversed(ids) if pk in by_owner), None)
    return found


def model_applying(unit) -> CompetencyModel | None:
    """The published model that applies to `unit` (published_models_applying)."""
    return published_models_applying([unit.path])[unit.path]


def family_model_applying(unit, family: str) -> CompetencyModel | None:
    """The published model of `family` owned nearest up `unit`'s path (its own unit's first;
    of two published by one owner, the last): the model whose dimension codes a CASS map of
    that family names. One query."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    published = (CompetencyModel.objects
                 .filter(status=CompetencyModel.Status.PUBLISHED, family=family, org_unit_id__in=ids)
                 .select_related("org_unit").order_by("published_at", "pk"))
    by_owner = {model.org_unit_id: model for model in published}  # the last published wins
    return next((by_owner[pk] for pk in reversed(ids) if pk in by_owner), None)


def dimension_names(model: CompetencyModel | None) -> dict[str, tuple[str, str]]:
    """{code: (name, name_en)} of a model's dimensions, in model order; {} without a model."""
    if model is None:
        return {}
    rows = (Dimension.objects.filter(model=model)
            .order_by("module__order", "module__code", "order", "code")
            .values_list("code", "name", "name_en"))
    return {code: (name, name_en) for code, name, name_en in rows}


# Models, their content, and the requirement matrix -----------------------------------

HUNDRED = Decimal(100)


def percent_text(value: Decimal) -> str:
    """45.50 → "45.5", 40.00 → "40": a weight as people write it."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def models_for(user) -> QuerySet[CompetencyModel]:
    """Every version of the models `user` may read (access.py), newest first per family."""
    return (
        CompetencyModel.objects.filter(visible_models_q(user))
        .select_related("org_unit")
        .order_by("family", "-version")
    )


def family_versions(model: CompetencyModel) -> list[CompetencyModel]:
    """All versions of the model's family, newest first (the same owner scope applies)."""
    return list(
        CompetencyModel.objects.filter(family=model.family).select_related("org_unit").order_by("-version")
    )


def previous_version(model: CompetencyModel) -> CompetencyModel | None:
    """The version this one was made from, else the next lower version of the family."""
    if model.derived_from_id is not None:
        return CompetencyModel.objects.filter(pk=model.derived_from_id).first()
    return (
        CompetencyModel.objects.filter(family=model.family, version__lt=model.version)
        .order_by("-version")
        .first()
    )


def diff_against_previous(model: CompetencyModel) -> tuple[CompetencyModel | None, ModelDiff | None]:
    previous = previous_version(model)
    if previous is None:
        return None, None
    return previous, diff_model_data(model_data(previous), model_data(model))


@dataclass
class DimensionView:
    dimension: Dimension
    behaviours: dict[int, list[str]]  # level -> indicators
    titles: dict[int, LevelTitle]

    @property
    def behaviour_rows(self) -> list[tuple[int, LevelTitle | None, list[str]]]:
        """Every level 1–5 with its title and indicators (empty where none are written)."""
        return [(level, self.titles.get(level), self.behaviours.get(level, [])) for level in LEVELS]


@dataclass
class ModuleView:
    module: Module
    dimensions: list[DimensionView]


@dataclass
class ModelTree:
    levels: list[LevelTitle]
    modules: list[ModuleView]

    @property
    def dimension_count(self) -> int:
        return sum(len(m.dimensions) for m in self.modules)


def level_titles(model: CompetencyModel) -> dict[int, LevelTitle]:
    """The titles of a model's levels, by level."""
    return {row.level: row for row in LevelTitle.objects.filter(model=model)}


def requirement_target(kind: str, code: str) -> Stage | Grade | None:
    """The stage or grade a requirement column names ("stage"/"grade" and its code)."""
    lists: dict[str, type[Stage] | type[Grade]] = {"stage": Stage, "grade": Grade}
    if kind not in lists:
        return None
    return lists[kind].objects.filter(code=code).first()


def requirement_rows(model: CompetencyModel):
    """(dimension, stage, grade codes, level, weight) of each requirement, in matrix order."""
    return (
        Requirement.objects.filter(model=model)
        .values_list("dimension__code", "stage__code", "grade__code", "level", "weight")
        .order_by("dimension__order", "dimension__code", "stage__order", "grade__order")
    )


def model_tree(model: CompetencyModel) -> ModelTree:
    """Modules → dimensions → levels with indicators, in four queries."""
    titles = list(LevelTitle.objects.filter(model=model).order_by("level"))
    by_level = {title.level: title for title in titles}
    behaviours: dict[int, dict[int, list[str]]] = {}
    for row in BehaviourLevel.objects.filter(dimension__model=model):
        behaviours.setdefault(row.dimension_id, {})[row.level] = row.indicator_list()
    by_module: dict[int, list[DimensionView]] = {}
    for dim in Dimension.objects.filter(model=model).order_by("order", "code"):
        by_module.setdefault(dim.module_id, []).append(
            DimensionView(dim, behaviours.get(dim.pk, {}), by_level)
        )
    modules = [
        ModuleView(module, by_module.get(module.pk, []))
        for module in Module.objects.filter(model=model).order_by("order", "code")
    ]
    for view in modules:
        for dim_view in view.dimensions:
            dim_view.dimension.module = view.module  # saves a query per dimension in templates
    return ModelTree(titles, modules)


@dataclass(frozen=True)
class MatrixCell:
    level: int
    weight: Decimal

    @property
    def weight_text(self) -> str:
        return percent_text(self.weight)


@dataclass
class MatrixColumn:
    kind: str  # "stage" or "grade"
    code: str
    name: str
    name_en: str
    weight_sum: Decimal = Decimal(0)
    count: int = 0

    @property
    def label(self) -> str:
        """The stage's or grade's name in the page's language."""
        return local_name(self.name, self.name_en)

    @property
    def sum_text(self) -> str:
        return percent_text(self.weight_sum)

    @property
    def sums_to_100(self) -> bool:
        return self.weight_sum == HUNDRED

    @property
    def warning(self) -> bool:
        """A column with requirements whose weights do not add up to 100 %."""
        return self.count > 0 and self.weight_sum != HUNDRED


@dataclass
class MatrixRow:
    dimension: Dimension
    cells: list[MatrixCell | None]

    @property
    def stage_cells(self) -> list[MatrixCell | None]:
        return self.cells[: self._stages]

    @property
    def grade_cells(self) -> list[MatrixCell | None]:
        return self.cells[self._stages :]

    _stages: int = 0


@dataclass
class RequirementMatrix:
    stages: list[MatrixColumn]
    grades: list[MatrixColumn]
    rows: list[MatrixRow]

    @property
    def columns(self) -> list[MatrixColumn]:
        return [*self.stages, *self.grades]

    @property
    def warnings(self) -> list[MatrixColumn]:
        return [column for column in self.columns if column.warning]

    def column(self, kind: str, code: str) -> MatrixColumn | None:
        return next((c for c in self.columns if c.kind == kind and c.code == code), None)


def requirement_matrix(model: CompetencyModel) -> RequirementMatrix:
    """Dimensions × stages and × grades: level and weight per cell, weight sums per
    column. Four queries, whatever the size of the model."""
    stages = [MatrixColumn("stage", s.code, s.name, s.name_en) for s in Stage.objects.order_by("min_years")]
    grades = [MatrixColumn("grade", g.code, g.name, g.name_en) for g in Grade.objects.order_by("order", "id")]
    columns = [*stages, *grades]
    index = {(c.kind, c.code): i for i, c in enumerate(columns)}
    dimensions = list(
        Dimension.objects.filter(model=model)
        .select_related("module")
        .order_by("module__order", "module__code", "order", "code")
    )
    rows = {dim.pk: MatrixRow(dim, [None] * len(columns), len(stages)) for dim in dimensions}
    requirements = Requirement.objects.filter(model=model).values_list(
        "dimension_id", "stage__code", "grade__code", "level", "weight"
    )
    for dimension_id, stage_code, grade_code, level, weight in requirements:
        key = ("stage", stage_code) if stage_code else ("grade", grade_code)
        if key not in index or dimension_id not in rows:
            continue
        column = columns[index[key]]
        rows[dimension_id].cells[index[key]] = MatrixCell(level, weight)
        column.weight_sum += weight
        column.count += 1
    return RequirementMatrix(stages, grades, list(rows.values()))


@dataclass(frozen=True)
class EffectiveRequirement:
    """A person's requirement for one dimension: the higher level and the larger weight
    of his stage's and his grade's (analytics.requirements.effective)."""

    code: str
    name: str
    name_en: str
    level: int
    weight: Decimal
    stage: Required | None
    grade: Required | None


def effective_requirements(
    model: CompetencyModel, stage_code: str | None, grade_code: str | None
) -> list[EffectiveRequirement]:
    """The effective requirement of every dimension that has one, in model order (one query:
    the home page of every employee asks)."""
    by_dimension: dict[int, dict[str, Required]] = {}
    dimensions: dict[int, tuple] = {}
    rows = (
        Requirement.objects.filter(model=model)
        .filter(
            Q(stage__code=stage_code, stage__isnull=False) | Q(grade__code=grade_code, grade__isnull=False)
        )
        .values_list(
            "dimension_id", "stage_id", "level", "weight",
            "dimension__module__order", "dimension__module__code", "dimension__order", "dimension__code",
            "dimension__name", "dimension__name_en",
        )
    )
    for dimension_id, stage_id, level, weight, *dimension in rows:
        by_dimension.setdefault(dimension_id, {})["stage" if stage_id else "grade"] = Required(level, weight)
        dimensions[dimension_id] = tuple(dimension)
    result = []
    for dimension_id, (_module_order, _module_code, _order, code, name, name_en) in sorted(
        dimensions.items(), key=lambda item: item[1][:4]
    ):
        parts = by_dimension[dimension_id]
        combined = effective(parts.get("stage"), parts.get("grade"))
        if combined is None:
            continue
        result.append(
            EffectiveRequirement(
                code, name, name_en, combined.level, combined.weight, parts.get("stage"), parts.get("grade"),
            )
        )
    return result


@dataclass
class PublishCheck:
    """What publishing a draft would do, for the publish page: whether its data passes
    validation (every problem, bilingual), which stage or grade weights do not add up to
    100 %, and how it differs from the version in use (which publishing archives)."""

    model: CompetencyModel
    errors: list[tuple[str, str, str]]  # (where, reason zh, reason en)
    weight_warnings: list[MatrixColumn]
    in_use: CompetencyModel | None
    diff: ModelDiff | None  # against `in_use`
    identical: bool  # to `in_use`: nothing to publish

    @property
    def may_publish(self) -> bool:
        return self.model.is_editable and not self.errors and not self.identical


def publish_check(model: CompetencyModel) -> PublishCheck:
    data = model_data(model)
    try:
        validate_model_data(
            data,
            stage_codes=set(Stage.objects.values_list("code", flat=True)),
            grade_codes=set(Grade.objects.values_list("code", flat=True)),
        )
        errors: list[tuple[str, str, str]] = []
    except ModelDataError as invalid:
        errors = invalid.errors
    in_use = current_model(model.family)
    in_use_data = model_data(in_use) if in_use is not None and in_use.pk != model.pk else None
    return PublishCheck(
        model=model,
        errors=errors,
        weight_warnings=requirement_matrix(model).warnings,
        in_use=in_use if in_use_data is not None else None,
        diff=diff_model_data(in_use_data, data) if in_use_data is not None else None,
        identical=in_use_data is not None and content_key(in_use_data) == content_key(data),
    )
