"""Reads of a CASS map's pages and API: the maps with their counts, a map's view, the
dimensions its actions use (the diagnosis's links)."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from casspath.analytics.cass import priority, rank_work_items
from casspath.cass.access import editable_maps_q
from casspath.cass.models import (
    ActionSkill,
    CassMap,
    Check,
    KeyAction,
    ResourceSkill,
    ResourceStatus,
    StudyMode,
    WorkItem,
)
from casspath.cass.queries.common import maps_for, ranked_work_items
from casspath.competency.models import CompetencyModel
from casspath.competency.queries import dimension_names, family_model_applying, models_for
from casspath.org.models import local_name

# The map's pages and API ----------------------------------------------------------------


def competency_model_for(cass_map: CassMap) -> CompetencyModel | None:
    """The published competency model whose dimensions the map's actions name: of the map's
    family, owned nearest up the map's unit (competency.queries.family_model_applying)."""
    return family_model_applying(cass_map.org_unit, cass_map.model_family)


def map_dimensions(cass_map: CassMap) -> dict[str, str]:
    """Dimension code → name (in the page's language) in the model `competency_model_for`
    gives the map, in model order; {} when none is published."""
    return {code: local_name(name, name_en)
            for code, (name, name_en) in dimension_names(competency_model_for(cass_map)).items()}


def maps_with_counts(user) -> QuerySet[CassMap]:
    """The maps `user` may read, each with `work_item_count` and `action_count`."""
    return maps_for(user).annotate(
        work_item_count=Count("work_items", distinct=True),
        action_count=Count("work_items__actions", distinct=True),
    )


def editable_maps(user) -> QuerySet[CassMap]:
    """The maps `user` may edit (EDIT_MODELS over the owner unit), with their counts."""
    return maps_with_counts(user).filter(editable_maps_q(user))


def model_families_for(user) -> list[tuple[str, str]]:
    """(family, name) of the published competency models `user` may read: the families a
    new map may be drawn for, each once (its newest published version's name)."""
    seen: dict[str, str] = {}
    for family, name in (models_for(user).filter(status=CompetencyModel.Status.PUBLISHED)
                         .values_list("family", "name")):
        seen.setdefault(family, name)
    return sorted(seen.items())


@dataclass(frozen=True)
class SkillView:
    code: str
    name: str  # the dimension's name in the applying model, "" when the model has no such code
    level: int


@dataclass(frozen=True)
class ActionView:
    action: KeyAction
    skills: list[SkillView]
    study_modes: list[str]  # labels, in the choices' order
    checks: list[str]


@dataclass(frozen=True)
class ItemView:
    item: WorkItem
    rank: int
    priority: int  # importance × frequency (analytics.cass.priority)
    stages: list[str]
    positions: list[str]
    actions: list[ActionView]


@dataclass
class MapView:
    """A map's page: its work items in rank order (actions and skills in order), the
    dimensions named by the competency model that applies to the map."""

    cass_map: CassMap
    model: CompetencyModel | None
    items: list[ItemView]

    @property
    def action_count(self) -> int:
        return sum(len(item.actions) for item in self.items)


def _labels(values: list[str], choices) -> list[str]:
    given = set(values)
    return [str(label) for value, label in choices.choices if value in given]


def map_view(cass_map: CassMap) -> MapView:
    """Everything the map page (and the API) shows, in a fixed number of queries whatever
    the map's size."""
    model = competency_model_for(cass_map)
    dimensions = dimension_names(model)
    views = []
    for item in ranked_work_items(cass_map):
        actions = []
        for action in item.actions.all():
            action.work_item = item  # no query per action where it is named
            skills = [SkillView(s.dimension_code,
                                local_name(*dimensions[s.dimension_code]) if s.dimension_code in dimensions
                                else "", s.level) for s in action.skills.all()]
            actions.append(ActionView(action, skills, _labels(action.study_modes, StudyMode),
                                      _labels(action.checks, Check)))
        views.append(ItemView(item, item.rank, priority(item.importance, item.frequency),
                              [s.local_name for s in item.stages.all()],
                              [p.local_name for p in item.positions.all()], actions))
    return MapView(cass_map, model, views)


@dataclass(frozen=True)
class DimensionUse:
    """What a map holds for one dimension: the work items (rank order) and key actions
    (in their work item's rank, then their order) that need it, and how many published
    resources teach it."""

    code: str
    work_items: list[tuple[str, str, int]]  # (code, name, rank)
    key_actions: list[tuple[str, str, str]]  # (code, name, work item code)
    published_resources: int


def dimension_uses(cass_map: CassMap, codes: list[str]) -> dict[str, DimensionUse]:
    """For each of `codes`, its DimensionUse in the map. Three queries, whatever the map's size."""
    codes = list(dict.fromkeys(codes))
    if not codes:
        return {}
    triples = list(WorkItem.objects.filter(cass_map=cass_map).values_list("code", "importance", "frequency"))
    ranks = rank_work_items(triples)
    skills = (ActionSkill.objects.filter(action__cass_map=cass_map, dimension_code__in=codes)
              .values_list("dimension_code", "action__code", "action__name", "action__order",
                           "action__work_item__code", "action__work_item__name"))
    actions: dict[str, list[tuple]] = {code: [] for code in codes}
    items: dict[str, dict[str, str]] = {code: {} for code in codes}
    for dim, a_code, a_name, a_order, w_code, w_name in skills:
        actions[dim].append((ranks.get(w_code, 0), a_order, a_code, a_name, w_code))
        items[dim][w_code] = w_name
    taught = dict(
        ResourceSkill.objects.filter(resource__cass_map=cass_map, resource__status=ResourceStatus.PUBLISHED,
                                     dimension_code__in=codes)
        .values("dimension_code").annotate(n=Count("resource", distinct=True))
        .values_list("dimension_code", "n")
    )
    return {
        code: DimensionUse(
            code=code,
            work_items=sorted(((w, n, ranks.get(w, 0)) for w, n in items[code].items()), key=lambda t: t[2]),
            key_actions=[(a, n, w) for _r, _o, a, n, w in sorted(actions[code])],
            published_resources=taught.get(code, 0),
        )
        for code in codes
    }
