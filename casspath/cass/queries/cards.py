"""Reads of Q&A cards: a map's cards filtered, their tags, the map's dimensions and work items."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from casspath.cass.access import visible_resources_q
from casspath.cass.models import (
    CassMap,
    QACard,
    Resource,
    ResourceKind,
    WorkItem,
)

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


def map_work_item_choices(cass_map: CassMap) -> list[tuple[str, str]]:
    """(code, "code name") of the map's work items, by code: a card form's and filter's choices."""
    return [(code, f"{code} {name}") for code, name in
            WorkItem.objects.filter(cass_map=cass_map).order_by("code").values_list("code", "name")]


def map_work_items_by_code(cass_map: CassMap, codes: list[str]) -> list[WorkItem]:
    return list(WorkItem.objects.filter(cass_map=cass_map, code__in=codes).order_by("code"))
