"""What a pocket book (口袋书) may hold and what a preset means: reads only, through the
access rules (knowledge/access.py, cass/access.py). A pocket book holds published things
only (work guides, products on sale, Q&A cards) of its one map that the asker may read, even
when he may edit the map and see its drafts.

The presets (models/pocketbooks.py, as data):
- "new_manager" (新人口袋书): the map's first published work guides by work item code (the
  map's order: W01 the first visit … the ordering events last), the category leaders (the
  first product on sale of each category, by code), and the published Q&A cards about those
  products (product_code), by code; when none is about them, the map's first published cards.
- "family:<name>": the products on sale of that family, by code, and the published Q&A cards
  about them; no work guides.
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from casspath.cass.access import visible_maps_q, visible_resources_q
from casspath.cass.models import CassMap, Resource, ResourceKind, ResourceStatus
from casspath.core.errors import BilingualError
from casspath.core.forms import MAX_ROW_ID
from casspath.knowledge.access import visible_guides_q
from casspath.knowledge.models import (
    DEFAULT_PRESET,
    FAMILY_CARDS,
    FAMILY_PRESET,
    POCKETBOOK_PRESETS,
    PocketBook,
    Product,
    WorkGuide,
)


class PocketBookError(BilingualError):
    """A pocket book refused for what it asks for (both languages, naming each bad value)."""


@dataclass
class Selection:
    """What a pocket book holds, in order; `title` and `preset` when a preset chose it."""

    guides: list[WorkGuide] = field(default_factory=list)
    products: list[Product] = field(default_factory=list)
    cards: list[Resource] = field(default_factory=list)
    title: str = ""
    preset: str = ""

    @property
    def count(self) -> int:
        return len(self.guides) + len(self.products) + len(self.cards)


# --- what the asker may put in a map's pocket book ------------------------------------------


def readable_guides(cass_map: CassMap, user) -> QuerySet[WorkGuide]:
    return (
        WorkGuide.objects.filter(
            visible_guides_q(user), resource__cass_map=cass_map, resource__status=ResourceStatus.PUBLISHED
        )
        .select_related("resource__cass_map", "work_item")
        .order_by("work_item__code", "id")
    )


def readable_products(cass_map: CassMap, user) -> QuerySet[Product]:
    return Product.objects.filter(
        visible_maps_q(user, "cass_map__"), cass_map=cass_map, active=True
    ).order_by("code")


def readable_cards(cass_map: CassMap, user) -> QuerySet[Resource]:
    return (
        Resource.objects.filter(
            visible_resources_q(user),
            cass_map=cass_map,
            kind=ResourceKind.QA_CARD,
            status=ResourceStatus.PUBLISHED,
            qa_card__isnull=False,
        )
        .select_related("qa_card")
        .order_by("code", "id")
    )


def families_of(cass_map: CassMap, user) -> list[str]:
    """The product families of the map's products on sale (the "family:<name>" presets)."""
    names = readable_products(cass_map, user).exclude(family="").values_list("family", flat=True)
    return sorted(set(names))


def preset_choices(cass_map: CassMap, user) -> list[tuple[str, str]]:
    """(name, label) of every preset of the map, new_manager first."""
    choices = [(name, preset.title) for name, preset in POCKETBOOK_PRESETS.items()]
    choices += [(f"{FAMILY_PRESET}{family}", f"{family}产品口袋书") for family in families_of(cass_map, user)]
    return choices


# --- presets --------------------------------------------------------------------------------


def _cards_about(cass_map: CassMap, user, products: list[Product], limit: int) -> list[Resource]:
    cards = readable_cards(cass_map, user)
    about = list(cards.filter(qa_card__product_code__in=[p.code for p in products])[:limit])
    return about


def resolve_preset(cass_map: CassMap, name: str, user) -> Selection:
    """The selection preset `name` makes of the map for `user`; refused when there is no
    such preset or it finds nothing."""
    if name.startswith(FAMILY_PRESET):
        family = name[len(FAMILY_PRESET) :]
        products = list(readable_products(cass_map, user).filter(family=family)) if family else []
        if not products:
            raise PocketBookError(
                f"没有名为“{family}”的在售产品系列：{name}",
                f"No product family on sale named '{family}': {name}",
            )
        cards = _cards_about(cass_map, user, products, FAMILY_CARDS)
        return Selection([], products, cards, title=f"{family}产品口袋书", preset=name)
    preset = POCKETBOOK_PRESETS.get(name)
    if preset is None:
        known = "、".join(n for n, _label in preset_choices(cass_map, user))
        raise PocketBookError(
            f"没有这个预设：{name}（可选：{known}）",
            f"No such preset: {name} (one of: {known.replace('、', ', ')})",
        )
    guides = list(readable_guides(cass_map, user)[: preset.guides]) if preset.guides else []
    products = []
    if preset.products == "category_leaders":
        seen: set[str] = set()
        for product in readable_products(cass_map, user).order_by("category", "code"):
            if product.category not in seen:
                seen.add(product.category)
                products.append(product)
        products.sort(key=lambda p: p.code)
    cards = _cards_about(cass_map, user, products, preset.cards)
    if not cards:
        cards = list(readable_cards(cass_map, user)[: preset.cards])
    selection = Selection(guides, products, cards, title=preset.title, preset=name)
    if not selection.count:
        raise PocketBookError(
            f"地图“{cass_map.name}”中还没有已发布的内容可放入{preset.title}",
            f"The map '{cass_map.name}' has nothing published yet for the {preset.title_en}",
        )
    return selection


# --- a hand-picked selection -----------------------------------------------------------------


def _ids(values, bad: list[tuple[str, str]], what_zh: str, what_en: str) -> list[int]:
    found = []
    for value in values:
        try:
            number = int(str(value).strip())
        except ValueError:
            bad.append((f"{what_zh}编号“{value}”不是数字", f"the {what_en} id '{value}' is not a number"))
            continue
        if abs(number) > MAX_ROW_ID:  # no row's, and SQLite cannot compare it: named absent
            bad.append(
                (
                    f"没有编号为 {number} 的{what_zh}，或您无权查看",
                    f"no {what_en} {number}, or not one you may read",
                )
            )
            continue
        found.append(number)
    return found


def check_selection(cass_map: CassMap, user, guide_ids=(), product_codes=(), card_ids=()) -> Selection:
    """The chosen guides (ids), products (codes) and Q&A cards (resource ids), in the order
    given, each once; refused naming every value that is unknown, of another map, not
    published (or not on sale), or not for `user` to read, or when nothing is chosen."""
    bad: list[tuple[str, str]] = []
    guide_pks = _ids(guide_ids, bad, "工作指引", "work guide")
    card_pks = _ids(card_ids, bad, "问答卡", "Q&A card")
    codes = [str(code).strip() for code in product_codes if str(code).strip()]
    if not (guide_pks or card_pks or codes) and not bad:
        raise PocketBookError(
            "没有选择任何内容：请选择一个预设，或勾选工作指引、产品或问答卡",
            "Nothing chosen: pick a preset, or tick work guides, products or Q&A cards",
        )
    guides = {g.pk: g for g in readable_guides(cass_map, user).filter(pk__in=guide_pks)}
    products = {p.code: p for p in readable_products(cass_map, user).filter(code__in=codes)}
    cards = {c.pk: c for c in readable_cards(cass_map, user).filter(pk__in=card_pks)}
    # What the asker sees but may not print (a draft he may edit, a product off sale): named so.
    draft_guides = set(
        WorkGuide.objects.filter(visible_guides_q(user), resource__cass_map=cass_map, pk__in=guide_pks)
        .exclude(resource__status=ResourceStatus.PUBLISHED)
        .values_list("pk", flat=True)
    )
    off_sale = set(
        Product.objects.filter(
            visible_maps_q(user, "cass_map__"), cass_map=cass_map, code__in=codes, active=False
        ).values_list("code", flat=True)
    )
    draft_cards = set(
        Resource.objects.filter(
            visible_resources_q(user), cass_map=cass_map, kind=ResourceKind.QA_CARD, pk__in=card_pks
        )
        .exclude(status=ResourceStatus.PUBLISHED)
        .values_list("pk", flat=True)
    )
    for pk in guide_pks:
        if pk in draft_guides:
            bad.append((f"工作指引 {pk} 尚未发布", f"work guide {pk} is not published"))
        elif pk not in guides:
            bad.append(
                (f"没有编号为 {pk} 的工作指引，或您无权查看", f"no work guide {pk}, or not one you may read")
            )
    for code in codes:
        if code in off_sale:
            bad.append((f"产品 {code} 已停售", f"product {code} is not on sale"))
        elif code not in products:
            bad.append(
                (
                    f"本地图没有产品 {code}，或您无权查看",
                    f"no product {code} in this map, or not one you may read",
                )
            )
    for pk in card_pks:
        if pk in draft_cards:
            bad.append((f"问答卡 {pk} 尚未发布", f"Q&A card {pk} is not published"))
        elif pk not in cards:
            bad.append(
                (f"没有编号为 {pk} 的问答卡，或您无权查看", f"no Q&A card {pk}, or not one you may read")
            )
    if bad:
        raise PocketBookError(
            "口袋书不能包含：" + "；".join(zh for zh, _en in bad),
            "The pocket book cannot hold: " + "; ".join(en for _zh, en in bad),
        )
    return Selection(
        [guides[pk] for pk in dict.fromkeys(guide_pks)],
        [products[code] for code in dict.fromkeys(codes)],
        [cards[pk] for pk in dict.fromkeys(card_pks)],
    )


def choose(
    cass_map: CassMap, user, *, preset: str = "", guide_ids=(), product_codes=(), card_ids=(), picked=None
) -> Selection:
    """A preset's selection, or the hand-picked one (`picked`: the asker chose to pick by
    hand, so picking nothing is refused; None: he did when he named any item). Neither a
    preset nor items: the default preset."""
    if picked is None:
        picked = bool(guide_ids or product_codes or card_ids)
    if preset and picked:
        raise PocketBookError(
            "请选择一个预设，或勾选内容，不能两者都选", "Pick a preset or tick items, not both"
        )
    if picked:
        return check_selection(cass_map, user, guide_ids, product_codes, card_ids)
    return resolve_preset(cass_map, preset or DEFAULT_PRESET, user)


def default_map(user) -> CassMap | None:
    """The map a pocket book is of when none is named: of the maps `user` reads (the top of
    the tree first), the first with published work guides or products on sale, else the first."""
    maps = list(
        CassMap.objects.filter(visible_maps_q(user))
        .select_related("org_unit")
        .order_by("org_unit__path", "id")
    )
    for cass_map in maps:
        if readable_guides(cass_map, user).exists() or readable_products(cass_map, user).exists():
            return cass_map
    return maps[0] if maps else None


def recent_pocketbooks(user, limit: int = 10) -> list[PocketBook]:
    """The pocket books `user` asked for, newest first."""
    if not getattr(user, "pk", None):
        return []
    return list(
        PocketBook.objects.filter(created_by=user)
        .select_related("cass_map")
        .order_by("-created_at", "-id")[:limit]
    )


def picker_groups(cass_map: CassMap, user) -> dict:
    """What the picker offers of the map: its published guides, products on sale by category,
    and published Q&A cards, with their counts."""
    guides = list(readable_guides(cass_map, user))
    products = list(readable_products(cass_map, user).order_by("category", "code"))
    by_category: dict[str, list[Product]] = {}
    for product in products:
        by_category.setdefault(product.category or "—", []).append(product)
    cards = list(readable_cards(cass_map, user))
    return {"guides": guides, "categories": by_category, "product_count": len(products), "cards": cards}
