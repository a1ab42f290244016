"""`casspath import products FILE`: the plan (each row checked against the map as it is, the
writes it needs), its application through the product map's actions, and the importer that
the framework runs and exports with. The workbook's sheets and columns: sheets.py."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any, BinaryIO

from django.utils.translation import gettext_lazy as _

from casspath.cass.importers.common import MAP_OPTIONS, SheetRows
from casspath.cass.models import CassMap
from casspath.core import audit
from casspath.imports.columns import Column
from casspath.imports.errors import ImportFileError, RowError
from casspath.imports.framework import Importer, RunContext
from casspath.imports.registry import register
from casspath.imports.report import Change, ImportReport
from casspath.knowledge import queries
from casspath.knowledge.actions.products import (
    Comparison,
    Tariff,
    do_save_industry,
    do_save_product_card,
    do_save_solution,
)
from casspath.knowledge.audit_verbs import KnowledgeVerb
from casspath.knowledge.importers.sheets import (
    COLUMNS,
    SHEET_COMPARISONS,
    SHEET_INDUSTRIES,
    SHEET_PRODUCTS,
    SHEET_SOLUTIONS,
    SHEET_STEPS,
    SHEET_TARIFFS,
    parse_workbook,
    target_map,
    workbook_xlsx,
)
from casspath.knowledge.models import (
    InformatizationLevel,
    Product,
    ProductActivationStep,
    ProductTariff,
    Solution,
    SolutionComparison,
)
from casspath.org import scopes


@dataclass
class Plan:
    cass_map: CassMap
    industries: list[dict] = field(default_factory=list)
    # (existing or None, values, industry codes or None, tariffs or None, steps or None)
    products: list[tuple[Product | None, dict, list[str] | None, list[Tariff] | None, list[str] | None]] = (
        field(default_factory=list)
    )
    solutions: list[tuple[Solution | None, dict, str | None, list[str], list[Comparison]]] = field(
        default_factory=list
    )


PRODUCT_KEYS = tuple(c.key for c in COLUMNS[SHEET_PRODUCTS] if c.key != "industries")


def make_plan(cass_map: CassMap, sheets: dict[str, SheetRows], report: ImportReport) -> Plan:
    """Every row checked against the map as it is; the writes it needs, counts and preview."""
    plan = Plan(cass_map)
    errors = report.errors

    def bad(row, rows: SheetRows, key: str, zh: str, en: str, value: str | None = None) -> None:
        errors.append(
            RowError(row.number, rows.where(key), row.raw.get(key, "") if value is None else value, zh, en)
        )
        row.bad = True

    def count(action: str, row_number: int, key: str, fields: dict) -> None:
        if action == "unchanged":
            report.unchanged += 1
            return
        if action == "create":
            report.created += 1
        else:
            report.updated += 1
        report.add_change(Change(row=row_number, key=key, action=action, fields=fields))

    def unique(rows: SheetRows, key: str, what_zh: str, what_en: str) -> None:
        seen: dict = {}
        for row in rows.rows:
            value = row.values.get(key)
            if value is None:
                continue
            if value in seen:
                bad(
                    row,
                    rows,
                    key,
                    f"{what_zh}“{value}”与第 {seen[value]} 行重复",
                    f"{what_en} '{value}' repeats row {seen[value]}",
                )
            else:
                seen[value] = row.number

    # 行业
    industries = {i.code: i for i in queries.industries_of(cass_map)}
    by_name = {i.name: i.code for i in industries.values()}
    sheet = sheets.get(SHEET_INDUSTRIES)
    if sheet is not None:
        unique(sheet, "code", "行业编码", "industry code")
        unique(sheet, "name", "行业名称", "industry name")
        for row in sheet.rows:
            v = row.values
            if row.bad:
                continue
            holder = by_name.get(v["name"])
            if holder is not None and holder != v["code"]:
                bad(
                    row,
                    sheet,
                    "name",
                    f"行业名称“{v['name']}”已属于 {holder}",
                    f"the industry name '{v['name']}' belongs to {holder}",
                )
                continue
            old_industry = industries.get(v["code"])
            if old_industry is not None and old_industry.name == v["name"]:
                count("unchanged", row.number, f"{SHEET_INDUSTRIES} {v['code']}", {})
                continue
            plan.industries.append({"code": v["code"], "name": v["name"]})
            count(
                "update" if old_industry else "create",
                row.number,
                f"{SHEET_INDUSTRIES} {v['code']}",
                {"name": [old_industry.name, v["name"]]} if old_industry else {},
            )
    known_industries = set(industries) | {d["code"] for d in plan.industries}
    names = {**by_name, **{d["name"]: d["code"] for d in plan.industries}}

    def industry_code(word: str) -> str | None:
        upper = word.strip().upper()
        if upper in known_industries:
            return upper
        return names.get(word.strip())

    # the map's products as they are, with their industries, plans and steps (four queries)
    existing = {p.code: p for p in queries.products_of(cass_map, include_inactive=True)}
    old_tariffs: dict[str, list[Tariff]] = {}
    for t in (
        ProductTariff.objects.filter(product__cass_map=cass_map)
        .order_by("order", "id")
        .values_list("product__code", "name", "monthly_price", "includes")
    ):
        old_tariffs.setdefault(t[0], []).append(Tariff(t[1], t[2], t[3]))
    old_steps: dict[str, list[str]] = {}
    for code, text in (
        ProductActivationStep.objects.filter(product__cass_map=cass_map)
        .order_by("order", "id")
        .values_list("product__code", "text")
    ):
        old_steps.setdefault(code, []).append(text)

    sheet = sheets.get(SHEET_PRODUCTS)
    product_rows: dict[str, Any] = {}
    if sheet is not None:
        unique(sheet, "code", "产品编码", "product code")
        for row in sheet.rows:
            codes = []
            for word in row.values.get("industries") or []:
                found = industry_code(word)
                if found is None:
                    bad(
                        row,
                        sheet,
                        "industries",
                        f"未知的行业“{word}”（应为本地图的行业编码或名称）",
                        f"unknown industry '{word}' (a code or name of the map's industries)",
                        word,
                    )
                elif found not in codes:
                    codes.append(found)
            if not row.bad:
                product_rows[row.values["code"]] = (row, codes)
    known_products = set(existing) | set(product_rows)

    def grouped(sheet_name: str, key: str) -> dict[str, list]:
        rows = sheets.get(sheet_name)
        groups: dict[str, list] = {}
        if rows is None:
            return groups
        for row in rows.rows:
            owner = row.values.get(key)
            if owner is None:
                continue
            if sheet_name in (SHEET_TARIFFS, SHEET_STEPS) and owner not in known_products:
                bad(
                    row,
                    rows,
                    key,
                    f"产品编码 {owner} 不在「产品」表或本地图中",
                    f"the product code {owner} is neither in sheet 产品 nor in the map",
                )
            groups.setdefault(owner, []).append(row)
        return groups

    tariffs_by = grouped(SHEET_TARIFFS, "product")
    steps_by = grouped(SHEET_STEPS, "product")
    new_tariffs: dict[str, list[Tariff]] = {}
    for owner, rows in tariffs_by.items():
        seen: dict[str, int] = {}
        for row in rows:
            name = row.values.get("name")
            if name in seen:
                bad(
                    row,
                    sheets[SHEET_TARIFFS],
                    "name",
                    f"套餐“{name}”与第 {seen[name]} 行重复",
                    f"the plan '{name}' repeats row {seen[name]}",
                )
            elif name is not None:
                seen[name] = row.number
        if not any(r.bad for r in rows):
            new_tariffs[owner] = [
                Tariff(r.values["name"], r.values.get("price"), r.values.get("includes") or "") for r in rows
            ]
    new_steps: dict[str, list[str]] = {}
    for owner, rows in steps_by.items():
        seen_order: dict[int, int] = {}
        for row in rows:
            number = row.values.get("order")
            if number in seen_order:
                bad(
                    row,
                    sheets[SHEET_STEPS],
                    "order",
                    f"序号 {number} 与第 {seen_order[number]} 行重复",
                    f"order {number} repeats row {seen_order[number]}",
                )
            elif number is not None:
                seen_order[number] = row.number
        if not any(r.bad for r in rows):
            new_steps[owner] = [r.values["text"] for r in sorted(rows, key=lambda r: r.values["order"])]

    def product_values(row) -> dict:
        v = row.values
        return {
            "code": v["code"],
            "name": v["name"],
            **{
                k: v.get(k) or ""
                for k in (
                    "category",
                    "family",
                    "explanation",
                    "selling_points",
                    "tariff",
                    "how_it_works",
                    "promotion",
                )
            },
            "informatization_level": v.get("informatization_level") or InformatizationLevel.BASIC,
            "customer_sizes": v.get("customer_sizes") or [],
            "customer_types": v.get("customer_types") or [],
            "active": True if v.get("active") is None else v["active"],
        }

    for code in list(dict.fromkeys([*product_rows, *new_tariffs, *new_steps])):
        old_product = existing.get(code)
        key = f"{SHEET_PRODUCTS} {code}"
        row_number = product_rows[code][0].number if code in product_rows else 0
        values = product_values(product_rows[code][0]) if code in product_rows else None
        industry_codes = product_rows[code][1] if code in product_rows else None
        tariffs = new_tariffs.get(code)
        steps = new_steps.get(code)
        if old_product is None:
            if values is None:
                continue  # a row error names it already
            plan.products.append((None, values, industry_codes, tariffs, steps))
            count("create", row_number, key, {})
            continue
        fields: dict = {}
        if values is not None:
            for name, new in values.items():
                before = getattr(old_product, name)
                if (before.strip() if isinstance(before, str) else before) != new:
                    fields[name] = [before, new]
            before_codes = [i.code for i in old_product.industries.all()]
            if industry_codes is not None and sorted(industry_codes) != sorted(before_codes):
                fields["industries"] = ["；".join(before_codes), "；".join(industry_codes)]
        if tariffs is not None and tariffs != old_tariffs.get(code, []):
            fields["tariffs"] = [len(old_tariffs.get(code, [])), len(tariffs)]
        else:
            tariffs = None
        if steps is not None and steps != old_steps.get(code, []):
            fields["steps"] = [len(old_steps.get(code, [])), len(steps)]
        else:
            steps = None
        if fields:
            plan.products.append(
                (
                    old_product,
                    values or {},
                    industry_codes if "industries" in fields else None,
                    tariffs,
                    steps,
                )
            )
        count("update" if fields else "unchanged", row_number, key, {k: v for k, v in fields.items()})

    # 方案 and 方案对比
    solutions = {s.code: s for s in queries.solutions_of(cass_map, include_inactive=True)}
    old_rows: dict[str, list[Comparison]] = {}
    for code, aspect, ours, theirs in (
        SolutionComparison.objects.filter(solution__cass_map=cass_map)
        .order_by("order", "id")
        .values_list("solution__code", "aspect", "ours", "theirs")
    ):
        old_rows.setdefault(code, []).append(Comparison(aspect, ours, theirs))
    sheet = sheets.get(SHEET_SOLUTIONS)
    solution_rows: dict[str, Any] = {}
    if sheet is not None:
        unique(sheet, "code", "方案编码", "solution code")
        for row in sheet.rows:
            v = row.values
            industry = None
            if v.get("industry"):
                industry = industry_code(v["industry"])
                if industry is None:
                    bad(
                        row,
                        sheet,
                        "industry",
                        f"未知的行业“{v['industry']}”",
                        f"unknown industry '{v['industry']}'",
                    )
            for code in v.get("products") or []:
                if code not in known_products:
                    bad(
                        row,
                        sheet,
                        "products",
                        f"产品编码 {code} 不在「产品」表或本地图中",
                        f"the product code {code} is neither in sheet 产品 nor in the map",
                        code,
                    )
            if not row.bad:
                solution_rows[v["code"]] = (row, industry)
    comparisons_by = grouped(SHEET_COMPARISONS, "solution")
    for owner, rows in comparisons_by.items():
        if owner not in solutions and owner not in solution_rows:
            for row in rows:
                if not row.bad:
                    bad(
                        row,
                        sheets[SHEET_COMPARISONS],
                        "solution",
                        f"方案编码 {owner} 不在「方案」表或本地图中",
                        f"the solution code {owner} is neither in sheet 方案 nor in the map",
                    )
    for code in list(dict.fromkeys([*solution_rows, *comparisons_by])):
        if code not in solution_rows and code not in solutions:
            continue
        given = comparisons_by.get(code)
        if given is not None and any(r.bad for r in given):
            continue
        old_solution = solutions.get(code)
        new_rows = (
            [Comparison(r.values["aspect"], r.values["ours"], r.values["theirs"]) for r in given]
            if given
            else None
        )
        if code in solution_rows:
            row, industry = solution_rows[code]
            v = row.values
            values = {
                "code": code,
                "name": v["name"],
                "value_proposition": v.get("value_proposition") or "",
                "competitor": v.get("competitor") or "",
                "active": True if v.get("active") is None else v["active"],
            }
            bundle = v.get("products") or []
            number = row.number
        else:
            assert old_solution is not None
            values = {
                k: getattr(old_solution, k)
                for k in ("code", "name", "value_proposition", "competitor", "active")
            }
            industry = old_solution.industry.code if old_solution.industry else None
            bundle = [item.product.code for item in old_solution.items.all()]
            number = 0
        comparisons = new_rows if new_rows is not None else (old_rows.get(code, []) if old_solution else [])
        key = f"{SHEET_SOLUTIONS} {code}"
        if old_solution is None:
            plan.solutions.append((None, values, industry, bundle, comparisons))
            count("create", number, key, {})
            continue
        fields = {
            name: [getattr(old_solution, name), new]
            for name, new in values.items()
            if getattr(old_solution, name) != new
        }
        if (old_solution.industry.code if old_solution.industry else None) != industry:
            fields["industry"] = [old_solution.industry.code if old_solution.industry else "", industry or ""]
        old_bundle = [item.product.code for item in old_solution.items.all()]
        if old_bundle != bundle:
            fields["products"] = ["；".join(old_bundle), "；".join(bundle)]
        if comparisons != old_rows.get(code, []):
            fields["comparisons"] = [len(old_rows.get(code, [])), len(comparisons)]
        if fields:
            plan.solutions.append((old_solution, values, industry, bundle, comparisons))
        count("update" if fields else "unchanged", number, key, fields)
    if not (plan.industries or plan.products or plan.solutions) and not errors:
        report.add_change(
            Change(
                row=0,
                key=cass_map.name,
                action="unchanged",
                text_zh="与现有产品图谱完全相同，不做任何更改",
                text_en="identical to the product map as it is: nothing changes",
            )
        )
    return plan


def apply_plan(plan: Plan, acting_user) -> None:
    cass_map = plan.cass_map
    for values in plan.industries:
        old_industry = next((i for i in queries.industries_of(cass_map) if i.code == values["code"]), None)
        do_save_industry(cass_map, values, industry=old_industry, acting_user=acting_user)
    industries = {i.code: i for i in queries.industries_of(cass_map)}
    for old_product, values, codes, tariffs, steps in plan.products:
        do_save_product_card(
            cass_map,
            values,
            product=old_product,
            industries=[industries[c] for c in codes] if codes is not None else None,
            tariffs=tariffs,
            steps=steps,
            acting_user=acting_user,
        )
    products = {p.code: p for p in queries.products_of(cass_map, include_inactive=True)}
    for old_solution, values, industry, bundle, comparisons in plan.solutions:
        do_save_solution(
            cass_map,
            values,
            solution=old_solution,
            industry=industries.get(industry) if industry else None,
            products=[products[c] for c in bundle],
            comparisons=comparisons,
            acting_user=acting_user,
        )


PREVIEW_FIELDS = tuple(
    Column(key, zh, en)
    for key, zh, en in (
        ("name", "名称", "name"),
        ("category", "类别", "category"),
        ("family", "系列", "family"),
        ("explanation", "说明", "explanation"),
        ("selling_points", "卖点", "selling points"),
        ("tariff", "资费说明", "tariff"),
        ("how_it_works", "实现原理", "how it works"),
        ("promotion", "推广策略", "promotion strategy"),
        ("informatization_level", "信息化程度", "informatization level"),
        ("industries", "适用行业", "industries"),
        ("customer_sizes", "客户规模", "customer sizes"),
        ("customer_types", "客户类型", "customer types"),
        ("active", "状态", "status"),
        ("tariffs", "资费套餐数", "tariff plans"),
        ("steps", "开通步骤数", "activation steps"),
        ("industry", "行业", "industry"),
        ("products", "产品", "products"),
        ("value_proposition", "价值主张", "value proposition"),
        ("competitor", "竞品捆绑", "competitor's bundle"),
        ("comparisons", "对比项数", "comparison rows"),
    )
)


class ProductsImporter(Importer):
    kind = "products"
    label = _("Product map")
    scope = scopes.PermScope(scopes.Perm.EDIT_MODELS)
    can_export = True
    audit_verb = KnowledgeVerb.IMPORT_PRODUCTS
    export_verb = KnowledgeVerb.EXPORT_PRODUCTS
    options = MAP_OPTIONS
    columns = PREVIEW_FIELDS

    def template(self) -> bytes:
        return workbook_xlsx(None)

    def template_filename(self) -> str:
        return "casspath-products.xlsx"

    def lock_units(self, ctx: RunContext) -> list[list[int]] | None:
        unit = ctx.cache.get("owner_unit")
        return [unit.ancestor_ids()] if unit is not None else None

    def run(self, data: bytes, ctx: RunContext) -> ImportReport:
        report = self.new_report(ctx)
        ctx.progress("reading", 0, 1)
        sheets = parse_workbook(data, ctx.filename, report)
        ctx.progress("validating", 1, 1)
        cass_map = target_map(ctx.acting_user, ctx.options)
        ctx.cache["owner_unit"] = cass_map.org_unit
        if ctx.dry_run or report.errors:
            make_plan(cass_map, sheets, report)
            report.ok = not report.errors
            return report

        def write() -> None:
            now_map = target_map(ctx.acting_user, ctx.options)
            ctx.progress("planning", 0, report.total)
            plan = make_plan(now_map, sheets, report)
            if report.errors:
                return
            ctx.progress("writing", 0, report.total)
            apply_plan(plan, ctx.acting_user)
            audit.record(
                ctx.acting_user,
                self.audit_verb,
                now_map,
                summary=f"{ctx.filename}: +{report.created} ~{report.updated}",
                changes={
                    "filename": ctx.filename,
                    "sha256": ctx.sha256,
                    "rows": report.total,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                },
                unit=now_map.org_unit,
            )
            report.ok = report.applied = True
            if ctx.before_commit is not None:
                ctx.before_commit(report)

        self.run_locked(ctx, write)
        report.ok = not report.errors
        return report

    def export(
        self, acting_user, filename: str, out: BinaryIO, filters: Mapping[str, str] | None = None
    ) -> int:
        """The map named by the filters `unit` and `family` (as the import's options), as the
        import's workbook; rows counted over its sheets."""
        if PurePath(filename).suffix.lower() != ".xlsx":
            raise ImportFileError("产品图谱只能导出为 .xlsx 文件", "a product map exports to .xlsx only")
        scopes.require_perm(acting_user, scopes.Perm.EDIT_MODELS)
        data, rows = workbook_xlsx(target_map(acting_user, filters or {}), counted=True)
        out.write(data)
        return rows


register(ProductsImporter())
