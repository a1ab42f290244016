"""The process map pages (流程地图): the menu's entry (the map one reads, or the maps to
pick), a map's process map, and the editors' forms to add, change, move and remove its
phases, steps and sub-steps. Thin: parse, access, act, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casspath.cass.access import access_map_by_id, may_edit_map
from casspath.cass.models import WorkItem
from casspath.cass.queries import map_dimensions, maps_for
from casspath.core.forms import REFUSED, run_action
from casspath.knowledge import queries
from casspath.knowledge.access import access_process_step_in_map
from casspath.knowledge.actions.process import (
    do_move_process_step,
    do_remove_process_step,
    do_save_process_step,
)
from casspath.knowledge.forms import ProcessStepForm
from casspath.knowledge.models import PROCESS_DEPTH


def _map_url(cass_map, anchor: str = "") -> str:
    url = reverse("knowledge:process_map", args=[cass_map.pk])
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_GET
def process_home(request):
    """The menu's 流程地图: the process map of the one map the user reads, or the maps to pick."""
    maps = list(maps_for(request.user))
    if len(maps) == 1:
        return redirect("knowledge:process_map", maps[0].pk)
    return render(request, "knowledge/process_home.html", {"maps": maps})


@login_required
@require_GET
def process_map(request, map_id: int):
    """The map's phases (columns on a wide screen, stacked on a phone), each with its steps
    and sub-steps: purpose, key techniques, tools, dimensions, work items, published cases."""
    cass_map = access_map_by_id(request.user, map_id)
    phases = queries.process_tree(cass_map)
    queries.attach_cases(cass_map, phases)
    return render(
        request,
        "knowledge/process_map.html",
        {
            "cass_map": cass_map,
            "phases": phases,
            "step_count": sum(len(phase.steps) + sum(len(s.steps) for s in phase.steps) for phase in phases),
            "may_edit": may_edit_map(request.user, cass_map),
        },
    )


def _level_names() -> dict[int, str]:
    return {1: _("phase"), 2: _("step"), 3: _("sub-step")}


def _depth_of(step) -> int:
    depth = 0
    while step is not None:
        depth += 1
        step = step.parent
    return depth


@login_required
@require_http_methods(["GET", "POST"])
def process_step_edit(request, map_id: int, step_id: int | None = None):
    """Add a phase (no parent), a step under a phase or a sub-step under a step (?parent=),
    or change one (step_id)."""
    user = request.user
    cass_map = access_map_by_id(user, map_id, for_edit=True)
    current = access_process_step_in_map(cass_map, step_id) if step_id is not None else None
    parent = None
    if current is None and request.GET.get("parent"):
        parent = access_process_step_in_map(cass_map, request.GET["parent"])
    elif current is not None:
        parent = current.parent
    depth = _depth_of(parent) + 1
    if depth > PROCESS_DEPTH:
        raise Http404("a sub-step has no steps")
    initial = {}
    if current is not None:
        initial = {
            name: getattr(current, name) for name in ("code", "name", "purpose", "techniques", "tools")
        }
        initial["dimension_codes"] = " ".join(current.dimension_codes)
        initial["work_items"] = list(current.work_items.values_list("pk", flat=True))
    items = WorkItem.objects.filter(cass_map=cass_map).order_by("code")
    form = ProcessStepForm(items, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_action(
            form,
            do_save_process_step,
            cass_map,
            form.values(),
            step=current,
            parent=parent,
            work_items=form.cleaned_data["work_items"],
            acting_user=user,
        )
        if saved is not REFUSED:
            messages.success(request, _("The process step was saved."))
            return redirect(_map_url(cass_map, f"ps-{saved.code}"))
    return render(
        request,
        "knowledge/process_step_form.html",
        {
            "cass_map": cass_map,
            "current": current,
            "parent": parent,
            "level": _level_names()[depth],
            "form": form,
            "dimensions": map_dimensions(cass_map),
        },
    )


@login_required
@require_POST
def process_step_move(request, map_id: int, step_id: int):
    user = request.user
    cass_map = access_map_by_id(user, map_id, for_edit=True)
    current = access_process_step_in_map(cass_map, step_id)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        raise Http404("no such direction")
    do_move_process_step(current, offset, acting_user=user)
    return redirect(_map_url(cass_map, f"ps-{current.code}"))


@login_required
@require_POST
def process_step_remove(request, map_id: int, step_id: int):
    """Remove a phase or step with everything under it."""
    user = request.user
    cass_map = access_map_by_id(user, map_id, for_edit=True)
    do_remove_process_step(access_process_step_in_map(cass_map, step_id), acting_user=user)
    messages.success(request, _("The process step was removed."))
    return redirect(_map_url(cass_map))
