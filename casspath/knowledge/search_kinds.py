"""knowledge's kinds of search documents (casspath/search/registry.py): cases, products and
work guides, registered from KnowledgeConfig.ready.

Each builder is one function over a list of ids (one query per table), which a later field
extends in one place. A hit links to the object's page (knowledge:case, knowledge:product,
knowledge:guide), which checks access again.
"""

from django.db.models import Q
from django.utils.translation import pgettext_lazy

from casspath.cass.access import visible_maps_q
from casspath.knowledge.access import visible_cases_q, visible_guides_q
from casspath.knowledge.models import Case, GuideStep, Product, ProductTariff, WorkGuide
from casspath.search.registry import Document, Kind, id_url, register, tag


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def case_documents(ids: list[int]) -> list[Document]:
    """One query per table (the tags read from the through tables: a rebuild of 100,000
    cases builds no related managers)."""
    tags: dict[int, set[str]] = {pk: set() for pk in ids}
    for case_id, code, parent in Case.steps.through.objects.filter(case_id__in=ids).values_list(
        "case_id", "processstep__code", "processstep__parent__code"
    ):
        tags[case_id].add(tag("step", code))
        if parent:  # a phase's filter finds its steps' cases
            tags[case_id].add(tag("step", parent))
    for case_id, code in Case.products.through.objects.filter(case_id__in=ids).values_list(
        "case_id", "product__code"
    ):
        tags[case_id].add(tag("product", code))
    for case_id, code in Case.industries.through.objects.filter(case_id__in=ids).values_list(
        "case_id", "industry__code"
    ):
        tags[case_id].add(tag("industry", code))
    rows = (
        Case.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list(
            "pk",
            "code",
            "title",
            "knowledge_point",
            "story",
            "background",
            "challenge",
            "actions",
            "result",
            "tools",
            "dimension_codes",
        )
    )
    docs = []
    for pk, code, title, point, story, background, challenge, actions, result, tools, dimensions in rows:
        docs.append(
            Document(
                obj_id=pk,
                code=code,
                title=title,
                head=point,
                body=_join(story, background, challenge, actions, result, tools),
                tags=tags[pk] | {tag("dimension", dimension) for dimension in dimensions or []},
            )
        )
    return docs


def product_documents(ids: list[int]) -> list[Document]:
    # What a manager asks of a product: what it is, why buy it, what it costs, how it works,
    # how to sell it; its plans by name and content; the industries it suits.
    products = Product.objects.filter(pk__in=ids).order_by("pk").prefetch_related("industries", "tariffs")
    return [
        Document(
            obj_id=product.pk,
            code=product.code,
            title=product.name,
            head=_join(product.category, product.family, product.explanation, product.selling_points),
            body=_join(
                product.tariff,
                product.how_it_works,
                product.promotion,
                *(_join(plan.name, plan.includes) for plan in product.tariffs.all()),
                *(industry.name for industry in product.industries.all()),
            ),
            tags={tag("product", product.code)}
            | {tag("industry", industry.code) for industry in product.industries.all()},
        )
        for product in products
    ]


def guide_documents(ids: list[int]) -> list[Document]:
    guides = WorkGuide.objects.filter(pk__in=ids).order_by("pk").select_related("work_item")
    steps: dict[int, list[str]] = {}
    for step in GuideStep.objects.filter(guide_id__in=ids).order_by("guide_id", "order", "id"):
        steps.setdefault(step.guide_id, []).append(_join(step.title, step.text, step.tips, step.mistakes))
    return [
        Document(
            obj_id=guide.pk,
            code=guide.work_item.code,
            title=guide.title,
            head=guide.intro,
            body=_join(*steps.get(guide.pk, [])),
        )
        for guide in guides
    ]


def _visible_products_q(user) -> Q:
    """Products are read as their map (knowledge/access.py)."""
    return visible_maps_q(user, "cass_map__")


def _m2m_cases(instance, pk_set, reverse: bool) -> list[int]:
    # Forward (case.products.add(...)): the case; reverse (product.cases.add(...)): the cases.
    return list(pk_set or []) if reverse else [instance.pk]


def register_kinds() -> None:
    register(
        Kind(
            name="case",
            key=1,
            label=pgettext_lazy("search", "Cases"),
            model=Case,
            build=case_documents,
            visible_q=visible_cases_q,
            url=id_url("knowledge:case"),
            order=10,
            watch={Case: lambda case: [case.pk]},
            watch_m2m={
                Case.steps.through: _m2m_cases,
                Case.products.through: _m2m_cases,
                Case.industries.through: _m2m_cases,
            },
        )
    )
    register(
        Kind(
            name="product",
            key=2,
            label=pgettext_lazy("search", "Products"),
            model=Product,
            build=product_documents,
            visible_q=_visible_products_q,
            url=id_url("knowledge:product"),
            order=20,
            watch={Product: lambda product: [product.pk], ProductTariff: lambda plan: [plan.product_id]},
            watch_m2m={Product.industries.through: _m2m_cases},
        )
    )
    register(
        Kind(
            name="guide",
            key=3,
            label=pgettext_lazy("search", "Work guides"),
            model=WorkGuide,
            build=guide_documents,
            visible_q=visible_guides_q,
            url=id_url("knowledge:guide"),
            order=30,
            watch={WorkGuide: lambda guide: [guide.pk], GuideStep: lambda step: [step.guide_id]},
        )
    )
