"""The CASS map's pages: the maps one may read, a map (work items in rank order, their key
actions, skills, study modes and checks), and its editing. Parse, access, act, render."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casspath.cass.access import (
    access_action_in_map,
    access_map_by_id,
    access_work_item_in_map,
    may_edit_map,
)
from casspath.cass.actions.maps import (
    do_create_map,
    do_move_key_action,
    do_remove_key_action,
    do_remove_work_item,
    do_save_key_action,
    do_save_work_item,
    do_update_map,
)
from casspath.cass.forms import KeyActionForm, MapCreateForm, MapInfoForm, WorkItemForm
from casspath.cass.models import CassMap
from casspath.cass.queries import (
    competency_model_for,
    map_view,
    maps_with_counts,
    model_families_for,
)
from casspath.competency.queries import dimension_names
from casspath.core.forms import REFUSED, run_action
from casspath.imports.actions import do_export
from casspath.org import scopes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FORM = "cass/map_form.html"


def _map_page(cass_map: CassMap, anchor: str = ""):
    url = reverse("cass:map_detail", args=[cass_map.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def map_edit_view(view):
    """Load the map for editing: 404 for a map one may not read, 403 for one one may read
    but not edit (access.py)."""

    @login_required
    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        return view(request, access_map_by_id(request.user, pk, for_edit=True), *args, **kwargs)

    return wrapper


# Reading ------------------------------------------------------------------------------


@login_required
@require_GET
def map_list(request):
    user = request.user
    maps = list(maps_with_counts(user))
    return render(request, "cass/map_list.html", {
        "maps": maps,
        "may_create": scopes.has_perm(user, scopes.Perm.EDIT_MODELS),
    })


@login_required
@require_GET
def map_detail(request, pk):
    cass_map = access_map_by_id(request.user, pk)
    view = map_view(cass_map)
    return render(request, "cass/map_detail.html", {
        "cass_map": cass_map, "view": view, "may_edit": may_edit_map(request.user, cass_map),
    })


@login_required
@require_GET
def map_export(request, pk):
    """The map as the import's workbook (the CLI's `casspath export cass`), for its editors:
    edit it in Excel and bring it back through 导入 (dry run first)."""
    cass_map = access_map_by_id(request.user, pk, for_edit=True)
    filename = f"cass-{cass_map.org_unit.code}-{cass_map.model_family}.xlsx"
    data = do_export("cass", filename, acting_user=request.user,
                     filters={"unit": cass_map.org_unit.code, "family": cass_map.model_family})
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Editing ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def map_create(request):
    user = request.user
    scopes.require_perm(user, scopes.Perm.EDIT_MODELS)
    form = MapCreateForm(request.POST or None, user=user, families=model_families_for(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cass_map = run_action(form, do_create_map, org_unit=data["org_unit"],
                              model_family=data["model_family"], name=data["name"],
                              description=data["description"], acting_user=user)
        if cass_map is not REFUSED:
            messages.success(request, _("CASS map created: now add its work items."))
            return _map_page(cass_map)
    return render(request, FORM, {"form": form, "title": _("Create a CASS map"),
                                  "cancel": reverse("cass:map_list")})


def _edit_page(request, cass_map, form, act, *, title, anchor="", done=None, template=FORM, **context):
    """A valid POST runs `act` (its refusal goes onto the form) and goes back to the map;
    else the form, with its errors."""
    if request.method == "POST" and form.is_valid() and run_action(form, act) is not REFUSED:
        messages.success(request, done or _("Saved."))
        return _map_page(cass_map, anchor)
    cancel = reverse("cass:map_detail", args=[cass_map.pk]) + (f"#{anchor}" if anchor else "")
    return render(request, template, {"cass_map": cass_map, "form": form, "title": title,
                                      "cancel": cancel, **context},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@map_edit_view
def map_edit(request, cass_map):
    form = MapInfoForm(request.POST or None,
                       initial={"name": cass_map.name, "description": cass_map.description})
    return _edit_page(request, cass_map, form,
                      lambda: do_update_map(cass_map, **form.cleaned_data, acting_user=request.user),
                      title=_("Name and description"))


@require_http_methods(["GET", "POST"])
@map_edit_view
def work_item_add(request, cass_map):
    form = WorkItemForm(request.POST or None, adding=True, initial={"importance": "3", "frequency": "3"})

    def act():
        return do_save_work_item(cass_map, form.values(), stages=form.cleaned_data["stages"],
                                 positions=form.cleaned_data["positions"], acting_user=request.user)

    if request.method == "POST" and form.is_valid():
        item = run_action(form, act)
        if item is not REFUSED:
            messages.success(request, _("Work item added: now add its key actions."))
            return _map_page(cass_map, f"wi-{item.code}")
    return _edit_page(request, cass_map, form, act, title=_("Add a work item"))


@require_http_methods(["GET", "POST"])
@map_edit_view
def work_item_edit(request, cass_map, item_id):
    item = access_work_item_in_map(cass_map, item_id)
    form = WorkItemForm(request.POST or None, adding=False, initial={
        "name": item.name, "description": item.description, "importance": str(item.importance),
        "frequency": str(item.frequency), "stages": list(item.stages.all()),
        "positions": list(item.positions.all()),
    })
    return _edit_page(
        request, cass_map, form,
        lambda: do_save_work_item(cass_map, form.values(), item=item, stages=form.cleaned_data["stages"],
                                  positions=form.cleaned_data["positions"], acting_user=request.user),
        title=_("Work item %(code)s") % {"code": item.code}, anchor=f"wi-{item.code}",
        remove=reverse("cass:work_item_remove", args=[cass_map.pk, item.pk]))


@require_http_methods(["GET", "POST"])
@map_edit_view
def work_item_remove(request, cass_map, item_id):
    """GET asks to confirm (the item's key actions go with it); POST removes."""
    item = access_work_item_in_map(cass_map, item_id)
    if request.method == "POST":
        do_remove_work_item(item, acting_user=request.user)
        messages.success(request, _("Work item %(code)s removed.") % {"code": item.code})
        return _map_page(cass_map)
    return render(request, "cass/confirm_remove.html", {
        "cass_map": cass_map, "thing": item, "actions": list(item.actions.order_by("order", "code")),
        "cancel": reverse("cass:map_detail", args=[cass_map.pk]) + f"#wi-{item.code}"})


def _action_form(request, cass_map, *, adding: bool, skills=None, initial=None) -> KeyActionForm:
    model = competency_model_for(cass_map)
    return KeyActionForm(request.POST or None, adding=adding, dimensions=dimension_names(model),
                         model_label=f"{model.name} v{model.version}" if model else "—",
                         skills=skills, initial=initial)


@require_http_methods(["GET", "POST"])
@map_edit_view
def key_action_add(request, cass_map, item_id):
    item = access_work_item_in_map(cass_map, item_id)
    form = _action_form(request, cass_map, adding=True)
    if request.method == "POST" and form.is_valid():
        action = run_action(form, do_save_key_action, item, form.values(), skills=form.skills(),
                            acting_user=request.user)
        if action is not REFUSED:
            messages.success(request, _("Key action added."))
            return _map_page(cass_map, f"ka-{action.code}")
    return _edit_page(request, cass_map, form, None,
                      title=_("Add a key action to %(item)s") % {"item": item},
                      anchor=f"wi-{item.code}", template="cass/action_form.html")


@require_http_methods(["GET", "POST"])
@map_edit_view
def key_action_edit(request, cass_map, action_id):
    action = access_action_in_map(cass_map, action_id)
    item = action.work_item
    item.cass_map = cass_map
    skills = {s.dimension_code: s.level for s in action.skills.all()}
    form = _action_form(request, cass_map, adding=False, skills=skills, initial={
        "name": action.name, "standard": action.standard, "mistakes": action.mistakes,
        "study_modes": action.study_modes, "checks": action.checks})
    return _edit_page(
        request, cass_map, form,
        lambda: do_save_key_action(item, form.values(), action=action, skills=form.skills(),
                                   acting_user=request.user),
        title=_("Key action %(code)s") % {"code": action.code}, anchor=f"ka-{action.code}",
        template="cass/action_form.html", item=item,
        remove=reverse("cass:key_action_remove", args=[cass_map.pk, action.pk]))


@require_http_methods(["GET", "POST"])
@map_edit_view
def key_action_remove(request, cass_map, action_id):
    action = access_action_in_map(cass_map, action_id)
    if request.method == "POST":
        do_remove_key_action(action, acting_user=request.user)
        messages.success(request, _("Key action %(code)s removed.") % {"code": action.code})
        return _map_page(cass_map, f"wi-{action.work_item.code}")
    return render(request, "cass/confirm_remove.html", {
        "cass_map": cass_map, "thing": action,
        "cancel": reverse("cass:map_detail", args=[cass_map.pk]) + f"#ka-{action.code}"})


@require_POST
@map_edit_view
def key_action_move(request, cass_map, action_id, direction):
    if direction not in ("up", "down"):
        raise Http404("no such direction")
    action = access_action_in_map(cass_map, action_id)
    do_move_key_action(action, offset=-1 if direction == "up" else 1, acting_user=request.user)
    return _map_page(cass_map, f"ka-{action.code}")
