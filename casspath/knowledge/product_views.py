"""The product map pages (产品图谱): the menu's entry, a map's products by category and family
(filtered by industry and customer size and type), a product's card for a phone, the matrix
(products × industries or × customer sizes, counting published cases), the solutions and a
solution's comparison, and the editors' pages. Thin: parse, access, act, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casspath.analytics.product_matrix import product_matrix
from casspath.cass.access import access_map_by_id, may_edit_map
from casspath.cass.queries import maps_for
from casspath.core.errors import BilingualError
from casspath.core.forms import REFUSED, add_action_error, run_action
from casspath.knowledge import queries
from casspath.knowledge.access import (
    access_activation_step_in_product,
    access_industry_in_map,
    access_product_by_id,
    access_solution_by_id,
)
from casspath.knowledge.actions.products import (
    do_remove_industry,
    do_remove_product,
    do_remove_solution,
    do_save_industry,
    do_save_product_card,
    do_save_solution,
    do_set_activation_image,
)
from casspath.knowledge.downloads import image_file_response
from casspath.knowledge.models import CustomerSize, CustomerType, Industry
from casspath.knowledge.product_forms import (
    IndustryForm,
    ProductForm,
    SolutionForm,
    StepImageForm,
    comparison_lines,
    tariff_lines,
)


def cases_url(cass_map, **filters) -> str:
    """The case library of the product's map, filtered by product and industry or size."""
    query = {"map": cass_map.pk, **{k: v for k, v in filters.items() if v}}
    return f"{reverse('knowledge:cases')}?{urlencode(query)}"


@login_required
@require_GET
def products_home(request):
    """The menu's 产品图谱: the product map of the one map the user reads, or the maps to pick."""
    maps = list(maps_for(request.user))
    if len(maps) == 1:
        return redirect("knowledge:product_map", maps[0].pk)
    return render(request, "knowledge/products_home.html", {"maps": maps})


def _filters(request, industries: list[Industry]) -> dict:
    code = request.GET.get("industry", "")
    industry = next((i for i in industries if i.code == code), None)
    size = request.GET.get("size", "")
    customer_type = request.GET.get("type", "")
    return {
        "industry": industry,
        "size": size if size in CustomerSize.values else "",
        "customer_type": customer_type if customer_type in CustomerType.values else "",
    }


@login_required
@require_GET
def product_map(request, map_id: int):
    cass_map = access_map_by_id(request.user, map_id)
    may_edit = may_edit_map(request.user, cass_map)
    industries = queries.industries_of(cass_map)
    chosen = _filters(request, industries)
    # Its editors see the products off sale too (marked so), as they see solutions no longer
    # offered: else one set off sale could not be found again to edit or put back on sale.
    products = queries.products_of(cass_map, include_inactive=may_edit, **chosen)
    groups: dict[str, dict[str, list]] = {}
    for product in products:
        groups.setdefault(product.category or "—", {}).setdefault(product.family or "—", []).append(product)
    return render(
        request,
        "knowledge/product_map.html",
        {
            "cass_map": cass_map,
            "groups": groups,
            "count": len(products),
            "industries": industries,
            "sizes": CustomerSize.choices,
            "types": CustomerType.choices,
            "chosen": chosen,
            "may_edit": may_edit,
        },
    )


@login_required
@require_GET
def product(request, product_id: int):
    """A product's card, for a phone: what it is, selling points, tariff, how it works, how
    to promote it, how to open it (with screenshots), and the published cases where it sold."""
    found = access_product_by_id(request.user, product_id)
    detail = queries.product_detail(found)
    cases = [(case, reverse("knowledge:case", args=[case.pk])) for case in detail.pop("cases")]
    return render(
        request,
        "knowledge/product.html",
        {
            "product": found,
            "cass_map": found.cass_map,
            "cases": cases,
            "cases_link": cases_url(found.cass_map, product=found.code),
            "may_edit": may_edit_map(request.user, found.cass_map),
            "size_labels": [label for value, label in CustomerSize.choices if value in found.customer_sizes],
            "type_labels": [label for value, label in CustomerType.choices if value in found.customer_types],
            **detail,
        },
    )


@login_required
@require_GET
def activation_image(request, product_id: int, step_id: int):
    step = access_activation_step_in_product(access_product_by_id(request.user, product_id), step_id)
    if not step.image.name:
        raise Http404("no screenshot")
    return image_file_response(step)


@login_required
@require_GET
def matrix(request, map_id: int):
    """Products × industries (?by=size: × customer sizes): each cell the published cases of
    that product in that industry, linked to the case list filtered so."""
    cass_map = access_map_by_id(request.user, map_id)
    by = "size" if request.GET.get("by") == "size" else "industry"
    products = queries.products_of(cass_map)
    columns: list[tuple[object, str, dict[str, str]]]
    if by == "industry":
        columns = [(i.pk, i.name, {"industry": i.code}) for i in queries.industries_of(cass_map)]
    else:
        columns = [(value, str(label), {"size": value}) for value, label in CustomerSize.choices]
    shape = product_matrix(
        [p.pk for p in products], [key for key, _label, _f in columns], queries.matrix_triples(cass_map, by)
    )
    rows = [
        {
            "product": p,
            "total": shape.row_totals[i],
            "cells": [
                {
                    "count": n,
                    "share": shape.shares[i][j],
                    "url": cases_url(cass_map, product=p.code, **columns[j][2]) if n else None,
                }
                for j, n in enumerate(shape.cells[i])
            ],
        }
        for i, p in enumerate(products)
    ]
    return render(
        request,
        "knowledge/product_matrix.html",
        {
            "cass_map": cass_map,
            "by": by,
            "columns": [(label, shape.column_totals[j]) for j, (_k, label, _f) in enumerate(columns)],
            "rows": rows,
            "total": shape.total,
        },
    )


@login_required
@require_GET
def solutions(request, map_id: int):
    cass_map = access_map_by_id(request.user, map_id)
    may_edit = may_edit_map(request.user, cass_map)
    return render(
        request,
        "knowledge/solutions.html",
        {
            "cass_map": cass_map,
            "solutions": queries.solutions_of(cass_map, include_inactive=may_edit),
            "may_edit": may_edit,
        },
    )


@login_required
@require_GET
def solution(request, solution_id: int):
    found = access_solution_by_id(request.user, solution_id)
    return render(
        request,
        "knowledge/solution.html",
        {
            "solution": found,
            "cass_map": found.cass_map,
            "may_edit": may_edit_map(request.user, found.cass_map),
            **queries.solution_detail(found),
        },
    )


# --- editors ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request, map_id: int, product_id: int | None = None):
    user = request.user
    cass_map = access_map_by_id(user, map_id, for_edit=True)
    current = access_product_by_id(user, product_id, for_edit=True) if product_id is not None else None
    if current is not None and current.cass_map_id != cass_map.pk:
        raise Http404("no such product in this map")
    initial: dict = {}
    steps: list = []
    if current is not None:
        detail = queries.product_detail(current)
        steps = detail["steps"]
        initial = {name: getattr(current, name) for name in ProductForm.FIELDS}
        initial["industries"] = [i.pk for i in detail["industries"]]
        initial["tariff_plans"] = tariff_lines(detail["tariffs"])
        initial["activation"] = "\n".join(step.text for step in steps)
    industries = queries.industry_choices(cass_map)
    form = ProductForm(industries, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_action(
            form,
            do_save_product_card,
            cass_map,
            form.values(),
            product=current,
            industries=form.cleaned_data["industries"],
            tariffs=form.cleaned_data["tariff_plans"],
            steps=form.cleaned_data["activation"],
            acting_user=user,
        )
        if saved is not REFUSED:
            messages.success(request, _("The product was saved."))
            return redirect("knowledge:product", saved.pk)
    return render(
        request,
        "knowledge/product_form.html",
        {
            "cass_map": cass_map,
            "current": current,
            "form": form,
            "steps": steps,
            "image_form": StepImageForm(),
        },
    )


@login_required
@require_POST
def product_remove(request, product_id: int):
    found = access_product_by_id(request.user, product_id, for_edit=True)
    do_remove_product(found, acting_user=request.user)
    messages.success(request, _("The product was removed."))
    return redirect("knowledge:product_map", found.cass_map_id)


@login_required
@require_POST
def activation_image_set(request, product_id: int, step_id: int):
    """Put a screenshot on an activation step (a file), or take it off (remove=1)."""
    found = access_product_by_id(request.user, product_id, for_edit=True)
    step = access_activation_step_in_product(found, step_id)
    form = StepImageForm(request.POST, request.FILES)
    upload = None
    if request.POST.get("remove") != "1":
        if not form.is_valid():
            messages.error(request, _("Choose an image file."))
            return redirect("knowledge:product_edit", found.cass_map_id, found.pk)
        upload = form.cleaned_data["image"]
    try:
        do_set_activation_image(step, upload, acting_user=request.user)
    except BilingualError as refused:
        add_action_error(form, refused)
        messages.error(request, refused.both())
    else:
        messages.success(
            request, _("The screenshot was saved.") if upload else _("The screenshot was removed.")
        )
    return redirect("knowledge:product_edit", found.cass_map_id, found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def solution_edit(request, map_id: int, solution_id: int | None = None):
    user = request.user
    cass_map = access_map_by_id(user, map_id, for_edit=True)
    current = access_solution_by_id(user, solution_id, for_edit=True) if solution_id is not None else None
    if current is not None and current.cass_map_id != cass_map.pk:
        raise Http404("no such solution in this map")
    initial: dict = {}
    if current is not None:
        detail = queries.solution_detail(current)
        initial = {
            name: getattr(current, name)
            for name in ("code", "name", "value_proposition", "competitor", "active")
        }
        initial["industry"] = current.industry_id
        initial["product_codes"] = " ".join(p.code for p in detail["products"])
        initial["comparisons"] = comparison_lines(detail["comparisons"])
    industries = queries.industry_choices(cass_map)
    form = SolutionForm(industries, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        codes = form.cleaned_data["product_codes"]
        known = {p.code: p for p in queries.products_of(cass_map, include_inactive=True)}
        missing = [c for c in codes if c not in known]
        if missing:
            form.add_error(
                "product_codes",
                f"本地图没有产品 {'、'.join(missing)} / no product {', '.join(missing)} in this map",
            )
        else:
            saved = run_action(
                form,
                do_save_solution,
                cass_map,
                form.values(),
                solution=current,
                industry=form.cleaned_data["industry"],
                products=[known[c] for c in codes],
                comparisons=form.cleaned_data["comparisons"],
                acting_user=user,
            )
            if saved is not REFUSED:
                messages.success(request, _("The solution was saved."))
                return redirect("knowledge:solution", saved.pk)
    return render(
        request, "knowledge/solution_form.html", {"cass_map": cass_map, "current": current, "form": form}
    )


@login_required
@require_POST
def solution_remove(request, solution_id: int):
    found = access_solution_by_id(request.user, solution_id, for_edit=True)
    do_remove_solution(found, acting_user=request.user)
    messages.success(request, _("The solution was removed."))
    return redirect("knowledge:solutions", found.cass_map_id)


@login_required
@require_http_methods(["GET", "POST"])
def industries(request, map_id: int, industry_id: int | None = None):
    """The map's industries (行业) with what names each; its editors add one here, or change
    the one `industry_id` names."""
    user = request.user
    cass_map = access_map_by_id(user, map_id, for_edit=request.method == "POST")
    may_edit = may_edit_map(user, cass_map)
    try:
        current = access_industry_in_map(cass_map, industry_id) if industry_id is not None else None
    except Http404:  # removed meanwhile (by another editor): his change has nothing to go to
        if not may_edit:
            raise
        messages.info(request, _("That industry is no longer on this map."))
        return redirect("knowledge:industries", cass_map.pk)
    if current is not None and not may_edit:
        raise PermissionDenied("not allowed to edit this map's industries")
    initial = {"code": current.code, "name": current.name, "order": current.order} if current else {}
    form = IndustryForm(request.POST or None, initial=initial) if may_edit else None
    if request.method == "POST" and form is not None and form.is_valid():
        saved = run_action(
            form, do_save_industry, cass_map, form.values(), industry=current, acting_user=user
        )
        if saved is not REFUSED:
            messages.success(request, _("The industry was saved."))
            return redirect("knowledge:industries", cass_map.pk)
    return render(
        request,
        "knowledge/industries.html",
        {
            "cass_map": cass_map,
            "industries": queries.industries_with_counts(cass_map),
            "may_edit": may_edit,
            "form": form,
            "current": current,
        },
    )


@login_required
@require_POST
def industry_remove(request, map_id: int, industry_id: int):
    cass_map = access_map_by_id(request.user, map_id, for_edit=True)
    try:
        found = access_industry_in_map(cass_map, industry_id)
    except Http404:  # a second press, or another editor was first: the list says it is gone
        messages.info(request, _("That industry is no longer on this map."))
        return redirect("knowledge:industries", cass_map.pk)
    try:
        do_remove_industry(found, acting_user=request.user)
    except BilingualError as refused:
        messages.error(request, refused.both())
    else:
        messages.success(request, _("The industry was removed."))
    return redirect("knowledge:industries", cass_map.pk)
