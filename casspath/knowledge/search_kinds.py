"""knowledge's kinds of search documents (casspath/search/registry.py): cases, products and
work guides, registered from KnowledgeConfig.ready.

Each builder is one function over a list of ids (one query per table), which a later field
extends in one place. A hit links to the object's page (knowledge:case, knowledge:product,
knowledge:guide), which checks access again.
"""

from django.db.models import Q
from django.utils.translation import pgettext_lazy

from casspath.cass.access import visible_maps_q
from casspath.competency.access import visible_models_q
from casspath.competency.models import CompetencyModel, Dimension
from casspath.knowledge.access import visible_cases_q, visible_guides_q
from casspath.knowledge.models import (
    Case,
    GuideStep,
    Industry,
    ProcessStep,
    Product,
    ProductTariff,
    WorkGuide,
)
from casspath.org.models import local_name
from casspath.search.registry import Document, Kind, id_url, register, register_filter_names, tag


def _join(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def case_documents(ids: list[int]) -> list[Document]:
    """One query per table (the tags read from the through tables: a rebuild of 100,000
    cases builds no related managers)."""
    tags: dict[int, set[str]] = {pk: set() for pk in ids}
    # The industries' names go into the body: a manager searches for his customer's
    # industry (酒店餐饮) by its name, as a product's industries are found.
    industry_names: dict[int, list[str]] = {pk: [] for pk in ids}
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
    for case_id, code, name in (
        Case.industries.through.objects.filter(case_id__in=ids)
        .order_by("industry__code")
        .values_list("case_id", "industry__code", "industry__name")
    ):
        tags[case_id].add(tag("industry", code))
        industry_names[case_id].append(name)
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
                body=_join(story, background, challenge, actions, result, tools, *industry_names[pk]),
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


def _named(rows) -> dict[str, str]:
    """{code: name} of (code, name) rows, the first of a code kept (maps may share codes)."""
    names: dict[str, str] = {}
    for code, name in rows:
        names.setdefault(code, name)
    return names


def _names_in_visible_maps(model):
    """(user, codes) → {code: name} of `model`'s rows in the maps the user may read."""

    def names(user, codes: list[str]) -> dict[str, str]:
        return _named(
            model.objects.filter(visible_maps_q(user, "cass_map__"), code__in=codes)
            .order_by("cass_map_id", "code")
            .values_list("code", "name")
        )

    return names


def dimension_names(user, codes: list[str]) -> dict[str, str]:
    """In the newest published competency model `user` may read that names the code (its
    codes are stable across versions and models: D01 is 目标客户寻找 in each); another
    city's model does not name his chips."""
    readable = CompetencyModel.objects.filter(visible_models_q(user), status=CompetencyModel.Status.PUBLISHED)
    rows = (
        Dimension.objects.filter(code__in=codes, model__in=readable)
        .order_by("code", "-model__version", "-model_id")
        .values_list("code", "name", "name_en")
    )
    return _named((code, local_name(name, name_en)) for code, name, name_en in rows)


def _industry_cases(industry: Industry) -> list[int]:
    """The cases an industry tags: its code is their filter tag, its name in their body (the
    industries page changes both; removing one is refused while anything names it)."""
    return list(
        Case.industries.through.objects.filter(industry_id=industry.pk).values_list("case_id", flat=True)
    )


def _product_cases(product: Product) -> list[int]:
    """The cases a product tags: its code is their filter tag (its card's edit may change it)."""
    return list(Case.products.through.objects.filter(product_id=product.pk).values_list("case_id", flat=True))


def _step_cases(step: ProcessStep) -> list[int]:
    """The cases a process step tags, its sub-steps' with them: its code is their tag, and a
    phase's code is its steps' cases' tag too (a phase's filter finds them)."""
    return list(
        Case.steps.through.objects.filter(Q(processstep_id=step.pk) | Q(processstep__parent_id=step.pk))
        .values_list("case_id", flat=True)
        .distinct()
    )


def _industry_products(industry: Industry) -> list[int]:
    return list(
        Product.industries.through.objects.filter(industry_id=industry.pk).values_list(
            "product_id", flat=True
        )
    )


def register_kinds() -> None:
    for filter_name, names in (
        ("step", _names_in_visible_maps(ProcessStep)),
        ("product", _names_in_visible_maps(Product)),
        ("industry", _names_in_visible_maps(Industry)),
        ("dimension", dimension_names),
    ):
        register_filter_names(filter_name, names)
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
            watch={
                Case: lambda case: [case.pk],
                Industry: _industry_cases,
                Product: _product_cases,
                ProcessStep: _step_cases,
            },
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
            watch={
                Product: lambda product: [product.pk],
                ProductTariff: lambda plan: [plan.product_id],
                Industry: _industry_products,
            },
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
