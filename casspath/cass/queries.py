"""Reads of CASS maps: the maps a user may read, the map that applies to a unit, a map's
work items in rank order."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from casspath.analytics.cass import priority, rank_work_items
from casspath.cass.access import editable_maps_q, visible_maps_q, visible_resources_q
from casspath.cass.models import (
    ActionSkill,
    CassMap,
    Check,
    KeyAction,
    QACard,
    Resource,
    ResourceKind,
    ResourceSkill,
    ResourceStatus,
    StudyMode,
    WorkItem,
)
from casspath.competency.models import CompetencyModel, Dimension
from casspath.competency.queries import dimension_names, family_model_applying, models_for
from casspath.org.models import local_name


def maps_for(user) -> QuerySet[CassMap]:
    """The maps `user` may read (access.py), the top of the tree first."""
    return CassMap.objects.filter(visible_maps_q(user)).select_related("org_unit")


def map_applying(unit, model_family: str | None = None) -> CassMap | None:
    """The map nearest up `unit`'s path (its own unit's first, then each unit above)."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    maps = CassMap.objects.filter(org_unit_id__in=ids).select_related("org_unit")
    if model_family is not None:
        maps = maps.filter(model_family=model_family)
    by_unit = {m.org_unit_id: m for m in maps}
    for unit_id in reversed(ids):
        if unit_id in by_unit:
            return by_unit[unit_id]
    return None


def ranked_work_items(cass_map: CassMap) -> list[WorkItem]:
    """The map's work items in rank order, each with `rank` set and its actions (with their
    skills) prefetched, in order."""
    items = list(
        WorkItem.objects.filter(cass_map=cass_map).prefetch_related(
            "stages", "positions",
            Prefetch("actions", queryset=KeyAction.objects.order_by("order", "code").prefetch_related(
                Prefetch("skills", queryset=ActionSkill.objects.order_by("dimension_code")))),
        )
    )
    ranks = rank_work_items([(i.code, i.importance, i.frequency) for i in items])
    for item in items:
        item.rank = ranks[item.code]
    return sorted(items, key=lambda i: i.rank)


# The map's pages and API ----------------------------------------------------------------


def competency_model_for(cass_map: CassMap) -> CompetencyModel | None:
    """The published competency model whose dimensions the map's actions name: of the map's
    family, owned nearest up the map's unit (competency.queries.family_model_applying)."""
    return family_model_applying(cass_map.org_unit, cass_map.model_family)


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
# Q&A cards ------------------------------------------------------------------------------

CARD_TITLE_CHARS = 60


def card_title(question: str) -> str:
    """A card's resource title: its question's first line, shortened to CARD_TITLE_CHARS."""
    line = (question or "").strip().splitlines()[0].strip() if (question or "").strip() else ""
    return line if len(line) <= CARD_TITLE_CHARS else line[: CARD_TITLE_CHARS - 1] + "…"


@dataclass(frozen=True)
class CardFilters:
    q: str = ""
    dimension: str = ""
    work_item: str = ""
    tag: str = ""

    def as_params(self) -> dict[str, str]:
        return {k: v for k, v in (("q", self.q), ("dimension", self.dimension), ("item", self.work_item),
                                  ("tag", self.tag)) if v}


def parse_card_filters(params) -> CardFilters:
    def value(name: str, limit: int) -> str:
        return (params.get(name) or "").strip()[:limit]

    return CardFilters(q=value("q", 100), dimension=value("dimension", 10), work_item=value("item", 20),
                       tag=value("tag", 30))


CARD_PAGE_SIZE = 50


def cards_of_map(user, cass_map: CassMap, filters: CardFilters) -> QuerySet[Resource]:
    """The map's Q&A cards `user` may see (learners: published only), matching the filters:
    text in the question, answer, code or product code; a dimension; a work item by code; a tag."""
    cards = (Resource.objects.filter(visible_resources_q(user), cass_map=cass_map, kind=ResourceKind.QA_CARD)
             .select_related("qa_card").prefetch_related("skills", "work_items").order_by("code"))
    if filters.q:
        q = filters.q
        cards = cards.filter(Q(qa_card__question__icontains=q) | Q(qa_card__answer__icontains=q)
                             | Q(code__icontains=q) | Q(qa_card__product_code__icontains=q))
    if filters.dimension:
        cards = cards.filter(skills__dimension_code=filters.dimension)
    if filters.work_item:
        cards = cards.filter(work_items__code=filters.work_item)
    if filters.tag:
        # Tags are a JSON list: matched in Python on the (already narrowed) rows, the same on
        # SQLite and PostgreSQL.
        ids = [pk for pk, tags in cards.values_list("pk", "qa_card__tags") if filters.tag in (tags or [])]
        cards = cards.filter(pk__in=ids)
    return cards.distinct()


def card_tags(cass_map: CassMap) -> list[str]:
    """Every tag used by the map's cards, sorted."""
    tags: set[str] = set()
    for row in QACard.objects.filter(resource__cass_map=cass_map).values_list("tags", flat=True):
        tags.update(row or [])
    return sorted(tags)


def map_dimensions(cass_map: CassMap) -> dict[str, str]:
    """Dimension code → name in the published model of the map's family applying to its unit."""
    ids = cass_map.org_unit.ancestor_ids()
    models = {m.org_unit_id: m for m in CompetencyModel.objects.filter(
        family=cass_map.model_family, org_unit_id__in=ids,
        status=CompetencyModel.Status.PUBLISHED).order_by("published_at", "pk")}
    model = next((models[pk] for pk in reversed(ids) if pk in models), None)
    if model is None:
        return {}
    return dict(Dimension.objects.filter(model=model).order_by("order", "code").values_list("code", "name"))


def map_work_item_choices(cass_map: CassMap) -> list[tuple[str, str]]:
    """(code, "code name") of the map's work items, by code: a card form's and filter's choices."""
    return [(code, f"{code} {name}") for code, name in
            WorkItem.objects.filter(cass_map=cass_map).order_by("code").values_list("code", "name")]


def map_work_items_by_code(cass_map: CassMap, codes: list[str]) -> list[WorkItem]:
    return list(WorkItem.objects.filter(cass_map=cass_map, code__in=codes).order_by("code"))
