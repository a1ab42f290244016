"""The product map API (mounted with knowledge/api.py at /api/v1/knowledge/):

- GET /maps/{map_id}/products: the map's products on sale by category, family and code,
  each with its industries and tariff plans; `industry` (id or code), `size` and
  `customer_type` narrow them as the product map page does.
- GET /products/{id}: a product's card: its fields, tariff plans, activation steps (with a
  link to each screenshot), industries, the solutions it is part of and its published cases.
- GET /maps/{map_id}/solutions, GET /solutions/{id}: solutions (综合解决方案) with their
  products and the comparison with a competitor's bundle.

Scoped as the pages: whoever reads the map reads its product map; a map, product or
solution one may not read answers 404, as an absent one.
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.urls import reverse
from ninja import Field, Query, Router, Schema

from casspath.api.auth import api_user
from casspath.api.errors import ErrorOut
from casspath.cass.access import access_map_by_id
from casspath.knowledge import queries
from casspath.knowledge.access import access_product_by_id, access_solution_by_id
from casspath.knowledge.models import Product, Solution

router = Router(tags=["knowledge"])


class RefOut(Schema):
    id: int
    code: str
    name: str


class TariffOut(Schema):
    name: str
    monthly_price: Decimal | None = Field(description="Yuan a month; null when priced case by case")
    includes: str


class ProductListedOut(Schema):
    id: int
    code: str
    name: str
    category: str
    family: str
    active: bool = Field(description="On sale")
    informatization_level: int | None
    customer_sizes: list[str]
    customer_types: list[str]
    industries: list[RefOut]
    tariffs: list[TariffOut]
    page_url: str


class ProductsOut(Schema):
    map_id: int
    items: list[ProductListedOut]


class ProductsIn(Schema):
    industry: str = Field("", description="An industry's id or code")
    size: Literal["", "micro", "small", "large"] = ""
    customer_type: str = Field("", max_length=30, description="A customer type, e.g. government")


class ActivationStepOut(Schema):
    number: int
    text: str
    image_url: str | None = Field(description="Its screenshot, if it has one")


class ProductCaseOut(Schema):
    id: int
    code: str
    title: str
    knowledge_point: str
    published_at: datetime | None
    page_url: str


class ProductOut(ProductListedOut):
    map_id: int
    explanation: str
    selling_points: list[str] = Field(description="One point an entry")
    tariff: str = Field(description="The tariff's terms, beside its plans")
    how_it_works: str
    promotion: str
    activation_steps: list[ActivationStepOut]
    solutions: list[RefOut]
    cases: list[ProductCaseOut] = Field(description="Its published cases, newest first (at most 50)")


class ComparisonOut(Schema):
    aspect: str
    ours: str
    theirs: str


class SolutionOut(Schema):
    id: int
    code: str
    name: str
    map_id: int
    industry: RefOut | None
    value_proposition: str
    competitor: str = Field(description="The competitor's typical bundle it is compared with")
    products: list[RefOut]
    comparisons: list[ComparisonOut]
    page_url: str


class SolutionsOut(Schema):
    map_id: int
    items: list[SolutionOut]


def _ref(row) -> dict:
    return {"id": row.pk, "code": row.code, "name": row.name}


def _listed(request, product: Product, industries, tariffs) -> dict:
    return {
        **_ref(product),
        "category": product.category,
        "family": product.family,
        "active": product.active,
        "informatization_level": product.informatization_level,
        "customer_sizes": product.customer_sizes,
        "customer_types": product.customer_types,
        "industries": [_ref(i) for i in industries],
        "tariffs": [
            {"name": t.name, "monthly_price": t.monthly_price, "includes": t.includes} for t in tariffs
        ],
        "page_url": request.build_absolute_uri(reverse("knowledge:product", args=[product.pk])),
    }


@router.get(
    "/maps/{map_id}/products",
    response={200: ProductsOut, 404: ErrorOut, 422: ErrorOut},
    summary="A CASS map's products on sale, with industries and tariff plans",
)
def list_products(request, map_id: int, params: Query[ProductsIn]):
    cass_map = access_map_by_id(api_user(request), map_id)
    industry = None
    if params.industry:
        industry = next(
            (
                i
                for i in queries.industries_of(cass_map)
                if str(i.pk) == params.industry or i.code == params.industry
            ),
            None,
        )
        if industry is None:  # an industry not of this map has no products here
            return {"map_id": cass_map.pk, "items": []}
    products = queries.products_of(
        cass_map, industry=industry, size=params.size, customer_type=params.customer_type
    )
    return {
        "map_id": cass_map.pk,
        "items": [_listed(request, p, p.industries.all(), p.tariffs.all()) for p in products],
    }


@router.get("/products/{product_id}", response={200: ProductOut, 404: ErrorOut}, summary="A product's card")
def get_product(request, product_id: int):
    product = access_product_by_id(api_user(request), product_id)
    detail = queries.product_detail(product)

    def image_url(step) -> str | None:
        if not step.image:
            return None
        return request.build_absolute_uri(reverse("knowledge:activation_image", args=[product.pk, step.pk]))

    return {
        **_listed(request, product, detail["industries"], detail["tariffs"]),
        "map_id": product.cass_map_id,
        "explanation": product.explanation,
        "selling_points": product.selling_point_lines,
        "tariff": product.tariff,
        "how_it_works": product.how_it_works,
        "promotion": product.promotion,
        "activation_steps": [
            {"number": n, "text": s.text, "image_url": image_url(s)}
            for n, s in enumerate(detail["steps"], start=1)
        ],
        "solutions": [_ref(s) for s in detail["solutions"]],
        "cases": [
            {
                "id": c.pk,
                "code": c.code,
                "title": c.title,
                "knowledge_point": c.knowledge_point,
                "published_at": c.published_at,
                "page_url": request.build_absolute_uri(reverse("knowledge:case", args=[c.pk])),
            }
            for c in detail["cases"]
        ],
    }


def _solution(request, solution: Solution, products, comparisons) -> dict:
    return {
        **_ref(solution),
        "map_id": solution.cass_map_id,
        "industry": _ref(solution.industry) if solution.industry is not None else None,
        "value_proposition": solution.value_proposition,
        "competitor": solution.competitor,
        "products": [_ref(p) for p in products],
        "comparisons": [{"aspect": c.aspect, "ours": c.ours, "theirs": c.theirs} for c in comparisons],
        "page_url": request.build_absolute_uri(reverse("knowledge:solution", args=[solution.pk])),
    }


@router.get(
    "/maps/{map_id}/solutions",
    response={200: SolutionsOut, 404: ErrorOut},
    summary="A CASS map's solutions (综合解决方案)",
)
def list_solutions(request, map_id: int):
    cass_map = access_map_by_id(api_user(request), map_id)
    solutions = queries.solutions_of(cass_map)
    comparisons = queries.comparisons_of(solutions)
    return {
        "map_id": cass_map.pk,
        "items": [
            _solution(request, s, [item.product for item in s.items.all()], comparisons.get(s.pk, []))
            for s in solutions
        ],
    }


@router.get(
    "/solutions/{solution_id}",
    response={200: SolutionOut, 404: ErrorOut},
    summary="A solution with its products and the competitor comparison",
)
def get_solution(request, solution_id: int):
    solution = access_solution_by_id(api_user(request), solution_id)
    detail = queries.solution_detail(solution)
    return _solution(request, solution, detail["products"], detail["comparisons"])
