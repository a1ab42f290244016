"""Writes of a CASS map's product map (产品图谱): industries, products with their tariff plans
and activation steps (screenshots checked as guide images are), and integrated solutions
with their bundled products and comparison rows. Each locks the map's row, checks the actor
may edit it (EDIT_MODELS over its owner unit) and writes one audit row when something
changed: a retry of the same save changes nothing and records nothing."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from casspath.cass.actions.common import require_editable
from casspath.cass.models import CassMap
from casspath.core import audit
from casspath.core.filetypes import check_image
from casspath.core.validators import InvalidValue, parse_money
from casspath.core.validators import code as normal_code
from casspath.knowledge.actions.guides import EXTENSIONS, KnowledgeError, _digest
from casspath.knowledge.audit_verbs import KnowledgeVerb
from casspath.knowledge.models import (
    Case,
    CustomerSize,
    CustomerType,
    Industry,
    Product,
    ProductActivationStep,
    ProductTariff,
    Solution,
    SolutionComparison,
    SolutionProduct,
)

INDUSTRY_FIELDS = ("code", "name", "order")
PRODUCT_FIELDS = (
    "code",
    "name",
    "category",
    "family",
    "explanation",
    "selling_points",
    "tariff",
    "how_it_works",
    "promotion",
    "informatization_level",
    "customer_sizes",
    "customer_types",
    "active",
)
SOLUTION_FIELDS = ("code", "name", "value_proposition", "competitor", "active")
MAX_ACTIVATION_STEPS = 20


@dataclass(frozen=True)
class Tariff:
    """A plan as written: name, monthly price in yuan (None: 面议), what it includes."""

    name: str
    monthly_price: Decimal | None = None
    includes: str = ""


@dataclass(frozen=True)
class Comparison:
    aspect: str
    ours: str
    theirs: str


QUOTED = ("面议", "按需报价", "quoted", "-", "—")


def parse_price(value: str) -> Decimal | None:
    """A plan's monthly price in yuan ("2,000", "¥2000", "2000元", "0.2万"); None for blank or
    面议 (quoted case by case). A negative price is refused (InvalidValue, both languages)."""
    text = (value or "").strip()
    if not text or text.lower() in QUOTED:
        return None
    if text.endswith("/月") or text.endswith("元/月"):
        text = text.removesuffix("/月")
    price = parse_money(text)
    if price < 0:
        raise InvalidValue("月费不能为负数。", "A monthly price cannot be negative.")
    return price


def _text(value):
    # A browser's textarea sends CRLF: stored as LF, so saving a form unchanged changes nothing.
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _ordered_choices(values, choices) -> list[str]:
    """The values in the order of the choices (an unknown one kept last, for full_clean to name)."""
    values = [str(v).strip() for v in values or [] if str(v).strip()]
    order = list(choices.values)
    return [v for v in order if v in values] + [v for v in dict.fromkeys(values) if v not in order]


def _clean(values: dict, fields: Sequence[str], what: str) -> dict:
    unknown = set(values) - set(fields)
    if unknown:
        raise ValueError(f"not {what} fields: {sorted(unknown)}")
    cleaned = {key: _text(value) for key, value in values.items()}
    if "code" in cleaned:
        try:
            cleaned["code"] = normal_code(cleaned["code"])
        except InvalidValue:
            pass  # full_clean names what is wrong with it, in both languages
    if "customer_sizes" in cleaned:
        cleaned["customer_sizes"] = _ordered_choices(cleaned["customer_sizes"], CustomerSize)
    if "customer_types" in cleaned:
        cleaned["customer_types"] = _ordered_choices(cleaned["customer_types"], CustomerType)
    if "informatization_level" in cleaned and isinstance(cleaned["informatization_level"], str):
        level = cleaned["informatization_level"]
        cleaned["informatization_level"] = int(level) if level.isdigit() else level
    return cleaned


def _full_clean(obj, exclude: list[str]) -> None:
    obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _in_map(cass_map: CassMap, obj, what_zh: str, what_en: str) -> None:
    if obj.cass_map_id != cass_map.pk:
        raise KnowledgeError(f"该{what_zh}不属于本 CASS 地图", f"This {what_en} is in another CASS map")


# --- industries -----------------------------------------------------------------------------


@transaction.atomic
def do_save_industry(
    cass_map: CassMap, values: dict, *, industry: Industry | None = None, acting_user
) -> Industry:
    """Add an industry (last, unless `order` is given) or change one; adding a code the map
    holds with the same values is a retry."""
    require_editable(cass_map, acting_user)
    values = _clean(values, INDUSTRY_FIELDS, "industry")
    if industry is None:
        existing = Industry.objects.filter(cass_map=cass_map, code=values.get("code", "")).first()
        if existing is not None:
            if not audit.diff(existing, {k: v for k, v in values.items() if k != "order"}):
                return existing
            raise _taken("行业编码", "industry code", values["code"])
        last = Industry.objects.filter(cass_map=cass_map).aggregate(last=Max("order"))["last"] or 0
        industry, changes, creating = Industry(cass_map=cass_map, order=last + 1), {}, True
    else:
        _in_map(cass_map, industry, "行业", "industry")
        changes, creating = audit.diff(industry, values), False
    for field in ("code", "name"):
        if (
            field in values
            and Industry.objects.filter(cass_map=cass_map, **{field: values[field]})
            .exclude(pk=industry.pk)
            .exists()
        ):
            raise _taken("行业" + ("编码" if field == "code" else "名称"), f"industry {field}", values[field])
    for key, value in values.items():
        setattr(industry, key, value)
    _full_clean(industry, ["cass_map"])
    if creating or changes:
        industry.save()
        industry.cass_map = cass_map
        audit.record(
            acting_user,
            KnowledgeVerb.SAVE_INDUSTRY,
            industry,
            summary=f"{cass_map.name} · {industry.code} {industry.name}",
            changes=changes,
            unit=cass_map.org_unit,
        )
    return industry


@transaction.atomic
def do_remove_industry(industry: Industry, *, acting_user) -> None:
    """Remove an industry no product, case or solution names (removing one they name would
    drop their tags unseen: its editor retags them first); removing one already gone is a
    retry."""
    cass_map = industry.cass_map
    require_editable(cass_map, acting_user)
    current = Industry.objects.select_for_update().filter(pk=industry.pk, cass_map=cass_map).first()
    if current is None:
        return
    used = {
        "products": Product.objects.filter(industries=current).count(),
        "cases": Case.objects.filter(industries=current).count(),
        "solutions": Solution.objects.filter(industry=current).count(),
    }
    if any(used.values()):
        raise KnowledgeError(
            f"行业“{current.name}”仍被 {used['products']} 个产品、{used['cases']} 个案例、"
            f"{used['solutions']} 个方案使用，请先改掉它们的行业再删除",
            f"The industry '{current.name}' is still named by {used['products']} products, "
            f"{used['cases']} cases and {used['solutions']} solutions: change theirs first",
        )
    _delete_recorded(
        current,
        KnowledgeVerb.REMOVE_INDUSTRY,
        "knowledge.industry",
        f"{cass_map.name} · {current.code} {current.name}",
        cass_map,
        acting_user,
    )


def _delete_recorded(
    current, verb: KnowledgeVerb, object_type: str, label: str, cass_map: CassMap, acting_user
) -> None:
    """Delete a row of a map's product map and record it (its id and label: it is gone)."""
    pk = current.pk
    current.delete()
    audit.record(
        acting_user,
        verb,
        object_type=object_type,
        object_id=str(pk),
        summary=label,
        unit=cass_map.org_unit,
    )


def _taken(what_zh: str, what_en: str, code: str) -> KnowledgeError:
    return KnowledgeError(
        f"{what_zh}“{code}”在本地图中已被使用", f"The {what_en} '{code}' is already used in this map"
    )


# --- products -------------------------------------------------------------------------------


def _foreign(cass_map: CassMap, objects: Iterable, what_zh: str, what_en: str) -> list:
    objects = list(objects)
    for obj in objects:
        if obj.cass_map_id != cass_map.pk:
            raise KnowledgeError(
                f"{what_zh} {obj.code} 不属于本 CASS 地图", f"The {what_en} {obj.code} is in another CASS map"
            )
    return objects


@transaction.atomic
def do_save_product(
    cass_map: CassMap,
    values: dict,
    *,
    product: Product | None = None,
    industries: Iterable[Industry] | None = None,
    acting_user,
) -> Product:
    """Add a product (product None) or change one; `values` holds PRODUCT_FIELDS,
    `industries` (when given) replaces its target industries. Adding a code the map holds
    with the same values is a retry: the product as it is, nothing written."""
    require_editable(cass_map, acting_user)
    values = _clean(values, PRODUCT_FIELDS, "product")
    chosen = _foreign(cass_map, industries, "行业", "industry") if industries is not None else None
    if product is None:
        existing = Product.objects.filter(cass_map=cass_map, code=values.get("code", "")).first()
        if existing is not None:
            same = chosen is None or {i.pk for i in chosen} == set(
                existing.industries.values_list("pk", flat=True)
            )
            if same and not audit.diff(existing, values):
                existing.cass_map = cass_map
                return existing
            raise _taken("产品编码", "product code", values["code"])
        product, creating = Product(cass_map=cass_map), True
    else:
        _in_map(cass_map, product, "产品", "product")
        if not Product.objects.filter(pk=product.pk).exists():
            raise KnowledgeError("该产品已被删除", "This product no longer exists")
        creating = False
        if (
            "code" in values
            and values["code"] != product.code
            and Product.objects.filter(cass_map=cass_map, code=values["code"]).exclude(pk=product.pk).exists()
        ):
            raise _taken("产品编码", "product code", values["code"])
    changes = {} if creating else audit.diff(product, values)
    for key, value in values.items():
        setattr(product, key, value)
    _full_clean(product, ["cass_map"])
    if creating or changes:
        product.updated_at = timezone.now()
        product.save()
    if chosen is not None:
        before = set() if creating else set(product.industries.values_list("pk", flat=True))
        after = {i.pk for i in chosen}
        if before != after:
            product.industries.set(chosen)
            if not creating:
                old = Industry.objects.filter(pk__in=before).values_list("code", flat=True)
                changes["industries"] = [", ".join(sorted(old)), ", ".join(sorted(i.code for i in chosen))]
                _touch(product)
    product.cass_map = cass_map
    if creating or changes:
        audit.record(
            acting_user,
            KnowledgeVerb.SAVE_PRODUCT,
            product,
            summary=f"{cass_map.name} · {product}",
            changes=changes,
            unit=cass_map.org_unit,
        )
    return product


def _touch(product: Product) -> None:
    product.updated_at = timezone.now()
    product.save(update_fields=["updated_at"])


def _current(product: Product) -> Product:
    current = Product.objects.filter(pk=product.pk, cass_map_id=product.cass_map_id).first()
    if current is None:
        raise KnowledgeError("该产品已被删除", "This product no longer exists")
    current.cass_map = product.cass_map
    return current


@transaction.atomic
def do_remove_product(product: Product, *, acting_user) -> None:
    """Remove a product with its tariff plans and activation steps; cases and solutions
    lose the tag (their other products stay)."""
    cass_map = product.cass_map
    require_editable(cass_map, acting_user)
    current = _current(product)
    _delete_recorded(
        current,
        KnowledgeVerb.REMOVE_PRODUCT,
        "knowledge.product",
        f"{cass_map.name} · {current}",
        cass_map,
        acting_user,
    )


@transaction.atomic
def do_save_tariffs(product: Product, plans: Sequence[Tariff], *, acting_user) -> bool:
    """Replace the product's tariff plans with `plans` (in that order); True when something
    changed. Two plans of one name are refused."""
    cass_map = product.cass_map
    require_editable(cass_map, acting_user)
    current = _current(product)
    cleaned = [Tariff(_text(p.name), p.monthly_price, _text(p.includes or "")) for p in plans]
    names = [p.name for p in cleaned]
    doubled = sorted({n for n in names if names.count(n) > 1})
    if doubled:
        raise KnowledgeError(
            f"资费套餐 {'、'.join(doubled)} 写了两次", f"The plan {', '.join(doubled)} is listed twice"
        )
    before = [
        Tariff(t.name, t.monthly_price, t.includes) for t in ProductTariff.objects.filter(product=current)
    ]
    if before == cleaned:
        return False
    rows = []
    for number, plan in enumerate(cleaned, start=1):
        row = ProductTariff(
            product=current,
            order=number,
            name=plan.name,
            monthly_price=plan.monthly_price,
            includes=plan.includes,
        )
        _full_clean(row, ["product"])
        rows.append(row)
    ProductTariff.objects.filter(product=current).delete()
    ProductTariff.objects.bulk_create(rows)
    _touch(current)
    audit.record(
        acting_user,
        KnowledgeVerb.SAVE_TARIFFS,
        current,
        summary=f"{cass_map.name} · {current}",
        changes={"tariffs": [_shown_plans(before), _shown_plans(cleaned)]},
        unit=cass_map.org_unit,
    )
    return True


def _shown_plans(plans: Sequence[Tariff]) -> str:
    return "；".join(f"{p.name} {p.monthly_price if p.monthly_price is not None else '面议'}" for p in plans)


@transaction.atomic
def do_save_activation_steps(product: Product, texts: Sequence[str], *, acting_user) -> bool:
    """The product's activation process as `texts`, one a step, in order: step n takes the
    n-th text and keeps its screenshot; steps past the end go (with theirs). True when
    something changed."""
    cass_map = product.cass_map
    require_editable(cass_map, acting_user)
    current = _current(product)
    cleaned = [t for t in (_text(t) for t in texts) if t]
    if len(cleaned) > MAX_ACTIVATION_STEPS:
        raise KnowledgeError(
            f"开通流程最多 {MAX_ACTIVATION_STEPS} 步",
            f"An activation process has at most {MAX_ACTIVATION_STEPS} steps",
        )
    steps = list(ProductActivationStep.objects.filter(product=current).order_by("order", "id"))
    before = [s.text for s in steps]
    if before == cleaned and [s.order for s in steps] == list(range(1, len(steps) + 1)):
        return False
    for number, text in enumerate(cleaned, start=1):
        step = steps[number - 1] if number <= len(steps) else ProductActivationStep(product=current)
        step.order, step.text = number, text
        _full_clean(step, ["product", "image"])
        step.save()
    for extra in steps[len(cleaned) :]:
        extra.delete()
    _touch(current)
    audit.record(
        acting_user,
        KnowledgeVerb.SAVE_ACTIVATION,
        current,
        summary=f"{cass_map.name} · {current}",
        changes={"steps": [len(before), len(cleaned)]},
        unit=cass_map.org_unit,
    )
    return True


def do_set_activation_image(step: ProductActivationStep, upload: UploadedFile | None, *, acting_user) -> None:
    """Put a screenshot on an activation step (replacing its one), or take it off (None).
    The file is checked by its content first (core.filetypes.check_image): a refused one
    stores nothing."""
    product = step.product
    cass_map = product.cass_map
    info = check_image(upload) if upload is not None else None
    with transaction.atomic():
        require_editable(cass_map, acting_user)
        current = ProductActivationStep.objects.filter(pk=step.pk, product_id=product.pk).first()
        if current is None:
            raise KnowledgeError("该开通步骤已被删除", "This activation step no longer exists")
        old_name = current.image.name
        if info is None and not old_name:
            return
    stored = ""
    if upload is not None and info is not None:
        current.image.save(f"{_digest(upload)}.{EXTENSIONS[info.content_type]}", upload, save=False)
        stored = current.image.name or ""
    storage = current.image.storage
    try:
        with transaction.atomic():
            require_editable(cass_map, acting_user)
            if info is None:
                current.image.name = ""
            current.content_type = info.content_type if info else ""
            current.width = info.width if info else 0
            current.height = info.height if info else 0
            current.save(update_fields=["image", "content_type", "width", "height"])
            _touch(product)
            audit.record(
                acting_user,
                KnowledgeVerb.SET_ACTIVATION_IMAGE,
                current,
                summary=f"{cass_map.name} · {product} #{current.order}",
                changes={"image": [old_name, stored]},
                unit=cass_map.org_unit,
            )
    except BaseException:
        # Files are not transactional: whatever fails after the file is stored removes it.
        if stored and stored != old_name:
            storage.delete(stored)
        raise
    if old_name and old_name != stored:
        transaction.on_commit(lambda: storage.delete(old_name))


# --- solutions ------------------------------------------------------------------------------


@transaction.atomic
def do_save_solution(
    cass_map: CassMap,
    values: dict,
    *,
    solution: Solution | None = None,
    industry: Industry | None = None,
    products: Sequence[Product] = (),
    comparisons: Sequence[Comparison] = (),
    acting_user,
) -> Solution:
    """Add or change a solution: its fields, its industry, its products in order and its
    comparison rows in order (both replaced as wholes). Saving it as it is changes nothing."""
    require_editable(cass_map, acting_user)
    values = _clean(values, SOLUTION_FIELDS, "solution")
    if industry is not None:
        _in_map(cass_map, industry, "行业", "industry")
    bundle = _foreign(cass_map, products, "产品", "product")
    codes = [p.code for p in bundle]
    doubled = sorted({c for c in codes if codes.count(c) > 1})
    if doubled:
        raise KnowledgeError(
            f"产品 {'、'.join(doubled)} 写了两次", f"The product {', '.join(doubled)} is listed twice"
        )
    rows = [Comparison(_text(c.aspect), _text(c.ours), _text(c.theirs)) for c in comparisons]
    values["industry"] = industry
    if solution is None:
        solution = Solution.objects.filter(cass_map=cass_map, code=values.get("code", "")).first()
        if solution is not None and (
            audit.diff(solution, values) or _bundle(solution) != codes or _rows(solution) != rows
        ):
            raise _taken("方案编码", "solution code", values["code"])
        creating = solution is None
        if solution is None:
            solution = Solution(cass_map=cass_map)
    else:
        _in_map(cass_map, solution, "方案", "solution")
        creating = False
        if (
            "code" in values
            and Solution.objects.filter(cass_map=cass_map, code=values["code"])
            .exclude(pk=solution.pk)
            .exists()
        ):
            raise _taken("方案编码", "solution code", values["code"])
    changes = {} if creating else audit.diff(solution, values)
    for key, value in values.items():
        setattr(solution, key, value)
    _full_clean(solution, ["cass_map", "industry"])
    old_bundle = [] if creating else _bundle(solution)
    old_rows = [] if creating else _rows(solution)
    comparison_rows = []
    for number, row in enumerate(rows, start=1):
        comparison = SolutionComparison(order=number, aspect=row.aspect, ours=row.ours, theirs=row.theirs)
        _full_clean(comparison, ["solution"])
        comparison_rows.append(comparison)
    if not (creating or changes or old_bundle != codes or old_rows != rows):
        solution.cass_map = cass_map
        return solution
    solution.updated_at = timezone.now()
    solution.save()
    if old_bundle != codes:
        SolutionProduct.objects.filter(solution=solution).delete()
        SolutionProduct.objects.bulk_create(
            [SolutionProduct(solution=solution, product=p, order=n) for n, p in enumerate(bundle, start=1)]
        )
        if not creating:
            changes["products"] = [" ".join(old_bundle), " ".join(codes)]
    if old_rows != rows:
        SolutionComparison.objects.filter(solution=solution).delete()
        for comparison in comparison_rows:
            comparison.solution = solution
        SolutionComparison.objects.bulk_create(comparison_rows)
        if not creating:
            changes["comparisons"] = [len(old_rows), len(rows)]
    solution.cass_map = cass_map
    audit.record(
        acting_user,
        KnowledgeVerb.SAVE_SOLUTION,
        solution,
        summary=f"{cass_map.name} · {solution}",
        changes=changes,
        unit=cass_map.org_unit,
    )
    return solution


def _bundle(solution: Solution) -> list[str]:
    return list(
        SolutionProduct.objects.filter(solution=solution)
        .order_by("order", "id")
        .values_list("product__code", flat=True)
    )


def _rows(solution: Solution) -> list[Comparison]:
    return [
        Comparison(*row)
        for row in SolutionComparison.objects.filter(solution=solution)
        .order_by("order", "id")
        .values_list("aspect", "ours", "theirs")
    ]


@transaction.atomic
def do_remove_solution(solution: Solution, *, acting_user) -> None:
    cass_map = solution.cass_map
    require_editable(cass_map, acting_user)
    current = Solution.objects.filter(pk=solution.pk, cass_map=cass_map).first()
    if current is None:
        raise KnowledgeError("该方案已被删除", "This solution no longer exists")
    _delete_recorded(
        current,
        KnowledgeVerb.REMOVE_SOLUTION,
        "knowledge.solution",
        f"{cass_map.name} · {current}",
        cass_map,
        acting_user,
    )


@transaction.atomic
def do_save_product_card(
    cass_map: CassMap,
    values: dict,
    *,
    product: Product | None = None,
    industries: Iterable[Industry] | None = None,
    tariffs: Sequence[Tariff] | None = None,
    steps: Sequence[str] | None = None,
    acting_user,
) -> Product:
    """A product with its tariff plans and activation steps (each when given) in one
    transaction: the edit page's save, and the import's row."""
    saved = do_save_product(cass_map, values, product=product, industries=industries, acting_user=acting_user)
    if tariffs is not None:
        do_save_tariffs(saved, tariffs, acting_user=acting_user)
    if steps is not None:
        do_save_activation_steps(saved, steps, acting_user=acting_user)
    return saved
