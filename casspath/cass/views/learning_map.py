"""The learning map's pages: the whole map of a CASS map (a stage or a grade at a time, as
tabs), its Excel export, and a manager's own map. Parse, access, render."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from casspath.cass.access import access_map_by_id
from casspath.cass.learning_map import learning_map, my_learning_map, view_choices, view_targets
from casspath.cass.learning_map_xlsx import learning_map_xlsx
from casspath.cass.queries import maps_for, media_progress_states
from casspath.org.queries import my_employee

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _target(request, default_stage):
    """The stage and grade the query string names (?stage=growth, ?grade=senior, or both);
    the first stage when it names neither; 404 for a code that names nothing."""
    stage_code, grade_code = request.GET.get("stage") or None, request.GET.get("grade") or None
    if stage_code is None and grade_code is None:
        return default_stage, None
    target = view_targets(stage_code, grade_code)
    if target is None:
        raise Http404("no such stage or grade")
    return target


@login_required
def learning_map_index(request):
    """The maps the user may read; straight to the learning map when there is one."""
    maps = list(maps_for(request.user))
    if len(maps) == 1:
        return redirect("cass:learning_map", maps[0].pk)
    return render(request, "cass/learning_map_index.html", {"maps": maps})


@login_required
def learning_map_page(request, pk):
    cass_map = access_map_by_id(request.user, pk)
    stages, grades = view_choices()
    stage, grade = _target(request, stages[0] if stages else None)
    learning = learning_map(cass_map, [(stage, grade)])
    return render(request, "cass/learning_map.html", {
        "cass_map": cass_map, "learning": learning, "view": learning.views[0], "stages": stages,
        "grades": grades, "stage": stage, "grade": grade,
    })


@login_required
def learning_map_export(request, pk):
    cass_map = access_map_by_id(request.user, pk)
    learning = learning_map(cass_map, paged=False)
    response = HttpResponse(learning_map_xlsx(learning), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="learning-map-{cass_map.pk}.xlsx"'
    return response


@login_required
def my_learning_map_page(request):
    employee = my_employee(request.user)
    if employee is None:
        raise Http404("no employee record")
    mine = my_learning_map(employee, timezone.localdate())
    shown = [r.id for d in (mine.view.dimensions if mine.view else []) for g in d.levels for r in g.resources]
    completed, started = media_progress_states(employee, shown)
    return render(request, "cass/my_learning_map.html", {"mine": mine, "view": mine.view,
                                                          "completed": completed, "started": started})
