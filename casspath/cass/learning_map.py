"""The learning map (学习地图): derived from a CASS map and the competency model that applies
to its unit, never typed twice.

For a view (a stage, a grade, or both as for one person, whose effective requirement is the
higher of the two: CONTRACTS.md): the dimensions required and at what level; the work items
and key actions that use each dimension, in rank order (work items applying to the stage:
none listed means all stages); and the published resources that teach each dimension,
ordered by level, then code, with their duration, kind, study modes and devices.

A fixed number of queries whatever the map's size: the rows come as values lists and are
grouped here (the rules in casspath/analytics/learning_map.py); the resources shown on a
page are the first few of each (dimension, level), cut in the database by a window function,
with the count of all of them beside. `learning_map(..., resources_per_level=None)` reads
every resource (the Excel export).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Subquery, Window
from django.db.models.functions import RowNumber

from casspath.analytics import learning_map as rules
from casspath.analytics.cass import rank_work_items
from casspath.analytics.requirements import Required, effective
from casspath.cass.models import (
    ActionSkill,
    CassMap,
    Device,
    KeyAction,
    Resource,
    ResourceKind,
    ResourceSkill,
    ResourceStatus,
    StudyMode,
    WorkItem,
)
from casspath.cass.queries import competency_model_for, map_applying
from casspath.competency.models import CompetencyModel, Requirement
from casspath.competency.queries import model_applying
from casspath.org.models import Grade, Stage, local_name

# What a page shows of each dimension; the Excel export and the counts hold all of them.
WORK_ITEMS_PER_DIMENSION = 8
RESOURCES_PER_LEVEL = 5


@dataclass(frozen=True)
class ResourceEntry:
    id: int
    code: str
    title: str
    kind: str
    duration_minutes: int
    devices: list[str]
    study_modes: list[str]
    level: int

    @property
    def kind_label(self) -> str:
        return str(ResourceKind(self.kind).label) if self.kind in ResourceKind.values else self.kind

    @property
    def device_labels(self) -> list[str]:
        return [str(Device(d).label) for d in self.devices if d in Device.values]

    @property
    def mode_labels(self) -> list[str]:
        return [str(StudyMode(m).label) for m in self.study_modes if m in StudyMode.values]


@dataclass
class LevelGroup:
    level: int
    resources: list[ResourceEntry]
    total: int
    required: bool = False  # the level the view requires

    @property
    def more(self) -> int:
        return self.total - len(self.resources)


@dataclass(frozen=True)
class ActionEntry:
    id: int
    code: str
    name: str
    level: int  # the level of the dimension the action needs


@dataclass
class WorkItemEntry:
    id: int
    code: str
    name: str
    rank: int
    actions: list[ActionEntry]


@dataclass
class DimensionEntry:
    code: str
    name: str
    name_en: str
    module: str
    level: int
    weight: Decimal
    stage_level: int | None
    grade_level: int | None
    work_items: list[WorkItemEntry]
    work_items_total: int
    levels: list[LevelGroup]

    @property
    def label(self) -> str:
        return local_name(self.name, self.name_en)

    @property
    def resources_total(self) -> int:
        return sum(group.total for group in self.levels)

    @property
    def resources(self) -> list[ResourceEntry]:
        """The resources shown, in level order."""
        return [r for group in self.levels for r in group.resources]

    @property
    def work_items_more(self) -> int:
        return self.work_items_total - len(self.work_items)


@dataclass
class LearningMapView:
    """One view of the learning map: a stage, a grade, or both (one person's)."""

    stage: Stage | None
    grade: Grade | None
    dimensions: list[DimensionEntry]

    @property
    def key(self) -> str:
        return "&".join(part for part in (f"stage={self.stage.code}" if self.stage else "",
                                          f"grade={self.grade.code}" if self.grade else "") if part)

    @property
    def label(self) -> str:
        return " · ".join(x.local_name for x in (self.stage, self.grade) if x is not None)


@dataclass
class LearningMap:
    cass_map: CassMap
    model: CompetencyModel | None
    views: list[LearningMapView] = field(default_factory=list)


def _stages() -> list[Stage]:
    return list(Stage.objects.order_by("min_years"))


def _grades() -> list[Grade]:
    return list(Grade.objects.order_by("order", "id"))


@dataclass
class _Rows:
    """What one map and model hold, read once for every view asked of them."""

    dimensions: list[tuple]  # (code, name, name_en, module name), in model order
    requirements: dict[tuple[str, str], dict[str, Required]]  # ("stage"|"grade", code) -> dim -> req
    items: dict[int, tuple[str, str, int]]  # id -> (code, name, rank)
    item_stages: dict[int, set[str]]
    uses: dict[str, list[tuple[int, rules.ActionUse, int, str]]]  # dim -> (item id, use, action id, name)
    resources: dict[str, list[ResourceEntry]]  # dim -> in level order (cut per level on pages)
    counts: dict[tuple[str, int], int]  # (dim, level) -> published resources


def _read(cass_map: CassMap, model: CompetencyModel | None, resources_per_level: int | None) -> _Rows:
    dimensions: dict[str, tuple] = {}
    requirements: dict[tuple[str, str], dict[str, Required]] = defaultdict(dict)
    if model is not None:
        rows = (Requirement.objects.filter(model=model)
                .values_list("dimension__code", "dimension__name", "dimension__name_en",
                             "dimension__module__name", "stage__code", "grade__code", "level", "weight")
                .order_by("dimension__module__order", "dimension__module__code", "dimension__order",
                          "dimension__code"))
        for code, name, name_en, module, stage, grade, level, weight in rows:
            dimensions.setdefault(code, (code, name, name_en, module))
            key = ("stage", stage) if stage else ("grade", grade)
            requirements[key][code] = Required(level, weight)
    item_rows = list(WorkItem.objects.filter(cass_map=cass_map)
                     .values_list("id", "code", "name", "importance", "frequency"))
    ranks = rank_work_items([(code, importance, frequency) for _id, code, _n, importance, frequency
                             in item_rows])
    items = {pk: (code, name, ranks[code]) for pk, code, name, _i, _f in item_rows}
    item_stages: dict[int, set[str]] = defaultdict(set)
    for item_id, stage_code in (WorkItem.stages.through.objects.filter(workitem__cass_map=cass_map)
                                .values_list("workitem_id", "stage__code")):
        item_stages[item_id].add(stage_code)
    actions = {pk: (item_id, code, order, name) for pk, item_id, code, order, name in
               KeyAction.objects.filter(cass_map=cass_map)
               .values_list("id", "work_item_id", "code", "order", "name")}
    uses: dict[str, list] = defaultdict(list)
    for action_id, code, level in (ActionSkill.objects.filter(action__cass_map=cass_map)
                                   .values_list("action_id", "dimension_code", "level")):
        item_id, action_code, order, name = actions[action_id]
        use = rules.ActionUse(items[item_id][0], order, action_code, level)
        uses[code].append((item_id, use, action_id, name))
    for found in uses.values():
        ordered = rules.in_rank_order([u for _i, u, _a, _n in found], ranks)
        position = {u: i for i, u in enumerate(ordered)}
        found.sort(key=lambda row: position[row[1]])
    published = ResourceSkill.objects.filter(resource__cass_map=cass_map,
                                             resource__status=ResourceStatus.PUBLISHED)
    # The (dimension, level, resource) links to show, then the few resources they name: the
    # window runs over narrow rows (the links of 20,000 resources), the details come for the
    # few hundred kept.
    if resources_per_level is None:
        links = list(published.values_list("dimension_code", "level", "resource_id"))
    else:
        window = Window(RowNumber(), partition_by=[F("dimension_code"), F("level")],
                       order_by=[F("resource__code").asc()])
        links = list(published.annotate(place=window).filter(place__lte=resources_per_level)
                     .values_list("dimension_code", "level", "resource_id"))
    details = {pk: row for pk, *row in Resource.objects.filter(pk__in={pk for _c, _l, pk in links})
               .values_list("id", "code", "title", "kind", "duration_minutes", "devices", "study_modes")}
    picked = [(code, level, pk, *details[pk]) for code, level, pk in links if pk in details]
    resources: dict[str, list[ResourceEntry]] = defaultdict(list)
    for code, level, pk, rcode, title, kind, minutes, devices, modes in picked:
        resources[code].append(ResourceEntry(pk, rcode, title, kind, minutes, list(devices or []),
                                             list(modes or []), level))
    for entries in resources.values():
        ordered_taught = rules.by_level(rules.Taught(e.level, e.code) for e in entries)
        place = {t: i for i, t in enumerate(ordered_taught)}
        entries.sort(key=lambda e: place[rules.Taught(e.level, e.code)])
    counts = {(code, level): n for code, level, n in
              published.values("dimension_code", "level").annotate(n=Count("id"))
              .values_list("dimension_code", "level", "n")}
    return _Rows(list(dimensions.values()), dict(requirements), items, dict(item_stages), dict(uses),
                 dict(resources), counts)


def _view(data: _Rows, stage: Stage | None, grade: Grade | None, *, work_items_per_dimension: int | None,
          resources_per_level: int | None) -> LearningMapView:
    stage_reqs = data.requirements.get(("stage", stage.code), {}) if stage else {}
    grade_reqs = data.requirements.get(("grade", grade.code), {}) if grade else {}
    stage_code = stage.code if stage else None
    dimensions = []
    for code, name, name_en, module in data.dimensions:
        combined = effective(stage_reqs.get(code), grade_reqs.get(code))
        if combined is None:
            continue
        applying = [row for row in data.uses.get(code, [])
                    if rules.applies_to_stage(data.item_stages.get(row[0], set()), stage_code)]
        grouped = rules.grouped_by_item([use for _i, use, _a, _n in applying])
        by_use = {use: (item_id, action_id, action_name) for item_id, use, action_id, action_name in applying}
        items = []
        for _item_code, item_uses in grouped[:work_items_per_dimension]:
            item_id = by_use[item_uses[0]][0]
            item_code, item_name, rank = data.items[item_id]
            items.append(WorkItemEntry(item_id, item_code, item_name, rank, [
                ActionEntry(by_use[u][1], u.action_code, by_use[u][2], u.level) for u in item_uses]))
        entries = data.resources.get(code, [])
        if resources_per_level is not None:
            entries = rules.first_of_each_level(entries, lambda e: e.level, resources_per_level)
        groups: dict[int, list[ResourceEntry]] = defaultdict(list)
        for entry in entries:
            groups[entry.level].append(entry)
        levels = [LevelGroup(level, groups.get(level, []), data.counts.get((code, level), 0),
                             required=level == combined.level)
                  for level in range(1, 6) if data.counts.get((code, level), 0)]
        s, g = stage_reqs.get(code), grade_reqs.get(code)
        dimensions.append(DimensionEntry(
            code, name, name_en, module, combined.level, combined.weight, s.level if s else None,
            g.level if g else None, items, len(grouped), levels))
    return LearningMapView(stage, grade, dimensions)


def learning_map(cass_map: CassMap, targets: list[tuple[Stage | None, Grade | None]] | None = None, *,
                 model: CompetencyModel | None = None, paged: bool = True) -> LearningMap:
    """The learning map of `cass_map` for each (stage, grade) of `targets`; by default one view
    per stage, then one per grade that has requirements. `paged`: a page's share of each
    dimension (WORK_ITEMS_PER_DIMENSION, RESOURCES_PER_LEVEL); else everything (Excel)."""
    model = model if model is not None else competency_model_for(cass_map)
    per_level = RESOURCES_PER_LEVEL if paged else None
    data = _read(cass_map, model, per_level)
    if targets is None:
        targets = [(s, None) for s in _stages()]
        targets += [(None, g) for g in _grades() if ("grade", g.code) in data.requirements]
    views = [_view(data, stage, grade, work_items_per_dimension=WORK_ITEMS_PER_DIMENSION if paged else None,
                   resources_per_level=per_level) for stage, grade in targets]
    return LearningMap(cass_map, model, views)


def view_targets(stage_code: str | None, grade_code: str | None) -> tuple[Stage | None, Grade | None] | None:
    """The stage and grade named by their codes; None when a code names neither."""
    stage = Stage.objects.filter(code=stage_code).first() if stage_code else None
    grade = Grade.objects.filter(code=grade_code).first() if grade_code else None
    if (stage_code and stage is None) or (grade_code and grade is None):
        return None
    return stage, grade


def view_choices() -> tuple[list[Stage], list[Grade]]:
    """The stages and grades a page offers as tabs."""
    return _stages(), _grades()


# A manager's own map -------------------------------------------------------------------


@dataclass
class MyLearningMap:
    employee: object
    stage_code: str | None
    years: int | None
    grade: Grade | None
    learning: LearningMap | None  # None: no model, or no map, applies to him
    stage: Stage | None = None

    @property
    def view(self) -> LearningMapView | None:
        return self.learning.views[0] if self.learning and self.learning.views else None


def my_learning_map(employee, today) -> MyLearningMap:
    """The learning map of one person: his stage on `today` (by tenure) and his grade, in the
    map of the model that applies to his unit."""
    from casspath.org.queries import StageLookup

    lookup = StageLookup(today)
    stage_code, years = lookup.stage(employee.hire_date)
    stage = lookup.stages.get(stage_code) if stage_code else None
    grade = employee.grade
    model = model_applying(employee.org_unit)
    cass_map = map_applying(employee.org_unit, model.family) if model is not None else None
    if model is None or cass_map is None:
        return MyLearningMap(employee, stage_code, years, grade, None, stage)
    return MyLearningMap(employee, stage_code, years, grade,
                         learning_map(cass_map, [(stage, grade)], model=model), stage)


def _home_key(employee, stage_code: str | None) -> str | None:
    """What a person's home card depends on, in one query: the nearest map up his unit's
    path whose family has a published model on that path, its `updated_at` (every write of
    the map or its resources moves it: actions/common.touch) and the newest publication of
    that family on the path (a new version moves it). None when no such map exists."""
    ids = [int(part) for part in employee.org_unit.path.strip("/").split("/") if part]
    newest = (CompetencyModel.objects
              .filter(status=CompetencyModel.Status.PUBLISHED, family=OuterRef("model_family"),
                      org_unit_id__in=ids)
              .order_by("-published_at", "-pk"))
    rows = (CassMap.objects.filter(org_unit_id__in=ids)
            .annotate(model_pk=Subquery(newest.values("pk")[:1]),
                      model_published=Subquery(newest.values("published_at")[:1]))
            .filter(model_pk__isnull=False)
            .values_list("org_unit_id", "pk", "updated_at", "model_pk", "model_published"))
    by_unit = {row[0]: row[1:] for row in rows}
    found = next((by_unit[pk] for pk in reversed(ids) if pk in by_unit), None)
    if found is None:
        return None
    map_pk, updated, model_pk, published = found
    grade = employee.grade.code if employee.grade else ""
    published_text = published.isoformat() if published else ""
    return (f"cass.learning_map.home:{map_pk}:{updated.isoformat()}:{model_pk}:{published_text}:"
            f"{stage_code}:{grade}")


def my_home_summary(employee, today) -> list[DimensionEntry] | None:
    """`home_summary` of a person's map, kept between requests (every manager of a stage and
    grade asks the same of one map), under `_home_key`: one query when kept. None when no
    map applies to him."""
    from django.core.cache import cache

    from casspath.org.queries import StageLookup

    stage_code, _years = StageLookup(today).stage(employee.hire_date)
    key = _home_key(employee, stage_code)
    if key is None:
        return None

    def build() -> list[DimensionEntry] | None:
        mine = my_learning_map(employee, today)
        return home_summary(mine) if mine.learning is not None else None

    return cache.get_or_set(key, build, HOME_KEPT_SECONDS)


HOME_KEPT_SECONDS = 3600


def home_summary(mine: MyLearningMap, dimensions: int = 3, resources: int = 2) -> list[DimensionEntry]:
    """The home card: his `dimensions` heaviest required dimensions, each with its first
    `resources` resources (by level, then code)."""
    view = mine.view
    if view is None:
        return []
    codes = rules.top_dimensions([(d.code, float(d.weight)) for d in view.dimensions], dimensions)
    by_code = {d.code: d for d in view.dimensions}
    picked = []
    for code in codes:
        entry = by_code[code]
        picked.append(DimensionEntry(entry.code, entry.name, entry.name_en, entry.module, entry.level,
                                     entry.weight, entry.stage_level, entry.grade_level, [], 0,
                                     [LevelGroup(0, entry.resources[:resources], entry.resources_total)]))
    return picked
