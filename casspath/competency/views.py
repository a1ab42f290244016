"""Competency model pages: parse, access, act, render."""

from dataclasses import replace
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casspath.analytics.charts import radar_chart
from casspath.competency.access import (
    access_dimension_in_model,
    access_model_by_id,
    access_module_in_model,
    may_edit_model,
)
from casspath.competency.actions.edits import (
    do_add_dimension,
    do_add_module,
    do_move_module,
    do_remove_dimension,
    do_remove_module,
    do_set_indicators,
    do_set_requirements,
    do_update_dimension,
    do_update_level_titles,
    do_update_model_info,
    do_update_module,
)
from casspath.competency.actions.versions import (
    do_discard_draft,
    do_publish_model,
    do_restore_version,
    do_start_new_version,
)
from casspath.competency.errors import CompetencyError, ModelNotEditable
from casspath.competency.excel import export_model_xlsx
from casspath.competency.forms import (
    DimensionForm,
    IndicatorsForm,
    LevelTitlesForm,
    ModelInfoForm,
    ModuleForm,
    PublishForm,
    RequirementColumnForm,
)
from casspath.competency.models import CompetencyModel, Dimension
from casspath.competency.queries import (
    diff_against_previous,
    level_titles,
    model_tree,
    models_for,
    publish_check,
    requirement_matrix,
    requirement_target,
)
from casspath.core.forms import REFUSED, run_action
from casspath.org import scopes
from casspath.org.models import Grade, Stage

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _detail(model: CompetencyModel):
    return redirect("competency:model_detail", model.pk)


def draft_edit(view):
    """Load the model for editing (404/403 through access.py); a version that is not a
    draft is refused with the reason, back on its page."""

    @login_required
    @wraps(view)
    def wrapper(request, pk, *args, **kwargs):
        model = access_model_by_id(request.user, pk, for_edit=True)
        if not model.is_editable:
            messages.error(
                request,
                ModelNotEditable(
                    f"{model} 不是草稿，不能修改；请先创建新版本",
                    f"{model} is not a draft and cannot be edited; start a new version first",
                ).both(),
            )
            return _detail(model)
        return view(request, model, *args, **kwargs)

    return wrapper


def _edit_page(request, model, form, act, *, template="competency/edit_form.html", done=None, **context):
    """The flow of a draft's edit pages: on a valid POST run `act` (its refusal goes
    onto the form) and go back to the model with `done` (default "Saved."); else the form."""
    if request.method == "POST" and form.is_valid() and run_action(form, act) is not REFUSED:
        messages.success(request, done or _("Saved."))
        return _detail(model)
    return render(request, template, {"model": model, "form": form, **context})


# Reading -----------------------------------------------------------------------------


@login_required
def model_list(request):
    models = list(models_for(request.user))
    families: dict[str, list[CompetencyModel]] = {}
    for model in models:
        families.setdefault(model.family, []).append(model)
    return render(
        request,
        "competency/model_list.html",
        {
            "families": families,
            "may_import": scopes.has_perm(request.user, scopes.Perm.EDIT_MODELS),
        },
    )


def _charts(tree, matrix) -> dict:
    axes = [view.dimension.name for module in tree.modules for view in module.dimensions]
    if not axes:
        return {}
    charts = {}
    for name, columns in (("stage_chart", matrix.stages), ("grade_chart", matrix.grades)):
        index = {c.code: i for i, c in enumerate(matrix.columns)}
        series = [
            (
                column.name,
                [
                    row.cells[index[column.code]].level if row.cells[index[column.code]] else None
                    for row in matrix.rows
                ],
            )
            for column in columns
            if column.count
        ]
        if series:
            charts[name] = radar_chart(axes, series)
    return charts


@login_required
def model_detail(request, pk):
    model = access_model_by_id(request.user, pk)
    tree = model_tree(model)
    matrix = requirement_matrix(model)
    versions = list(models_for(request.user).filter(family=model.family))
    previous, diff = diff_against_previous(model)
    return render(
        request,
        "competency/model_detail.html",
        {
            "model": model,
            "tree": tree,
            "titles": {title.level: title for title in tree.levels},
            "matrix": matrix,
            "charts": _charts(tree, matrix),
            "versions": versions,
            "draft": next((v for v in versions if v.status == CompetencyModel.Status.DRAFT), None),
            "previous": previous,
            "diff": diff,
            "may_edit": may_edit_model(request.user, model),
        },
    )


@login_required
def model_diff(request, pk):
    model = access_model_by_id(request.user, pk)
    previous, diff = diff_against_previous(model)
    if previous is None:
        raise Http404("no previous version")
    return render(request, "competency/model_diff.html",
                  {"model": model, "previous": previous, "diff": _labelled_diff(diff)})


def _labelled_diff(diff):
    """The diff names fields and stages/grades by their codes (name, growth); show their labels."""
    labels = {"name": _("Name"), "name_en": _("English name"), "description": _("Description"),
              "title": _("Title"), "title_en": _("English title"), "category": _("Category"),
              "module": _("Module")}
    categories = dict(Dimension.Category.choices)

    def field(change):
        old, new = change.old, change.new
        if change.field == "category":
            old, new = categories.get(old, old), categories.get(new, new)
        return replace(change, field=labels.get(change.field, change.field), old=old, new=new)

    targets = {"stages": {s.code: s.local_name for s in Stage.objects.all()},
               "grades": {g.code: g.local_name for g in Grade.objects.all()}}
    return replace(
        diff,
        model=[field(c) for c in diff.model],
        levels=[field(c) for c in diff.levels],
        modules_changed=[field(c) for c in diff.modules_changed],
        dimensions_changed=[field(c) for c in diff.dimensions_changed],
        requirements=[replace(c, target=targets.get(c.kind, {}).get(c.target, c.target))
                      for c in diff.requirements],
    )


@login_required
def model_export(request, pk):
    model = access_model_by_id(request.user, pk)
    response = HttpResponse(export_model_xlsx(model), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="competency-{model.family}-v{model.version}.xlsx"'
    )
    return response


# Versions ----------------------------------------------------------------------------


@login_required
@require_POST
def model_new_version(request, pk):
    model = access_model_by_id(request.user, pk, for_edit=True)
    try:
        draft = do_start_new_version(model, acting_user=request.user)
    except CompetencyError as exc:
        messages.error(request, exc.both())
        return _detail(model)
    messages.success(
        request, _("Draft version %(version)s is open for editing.") % {"version": draft.version}
    )
    return _detail(draft)


@require_http_methods(["GET", "POST"])
@draft_edit
def model_publish(request, model):
    """The publish page: the checks, the weight warnings and the changes against the version
    in use, then a confirmed POST (with "publish anyway" when weights do not add up)."""
    form = PublishForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_action(form, do_publish_model, model, accept_weights=form.cleaned_data["accept_weights"],
                       acting_user=request.user) is not REFUSED
    ):
        messages.success(request, _("Version %(version)s is published.") % {"version": model.version})
        return _detail(model)
    check = publish_check(model)
    return render(
        request,
        "competency/publish.html",
        {"model": model, "check": check, "form": form,
         "diff": _labelled_diff(check.diff) if check.diff is not None else None},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def model_restore(request, pk):
    model = access_model_by_id(request.user, pk, for_edit=True)
    try:
        draft = do_restore_version(model, acting_user=request.user)
    except CompetencyError as exc:
        messages.error(request, exc.both())
        return _detail(model)
    messages.success(
        request,
        _("Version %(old)s is restored as draft version %(version)s: check it, then publish it.")
        % {"old": model.version, "version": draft.version},
    )
    return _detail(draft)


@require_POST
@draft_edit
def model_discard(request, model):
    previous = model.derived_from
    do_discard_draft(model, acting_user=request.user)
    messages.success(request, _("The draft was discarded."))
    return _detail(previous) if previous else redirect("competency:model_list")


# Editing a draft ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@draft_edit
def model_edit(request, model):
    form = ModelInfoForm(
        request.POST or None,
        initial={"name": model.name, "name_en": model.name_en, "description": model.description},
    )
    return _edit_page(
        request,
        model,
        form,
        lambda: do_update_model_info(model, **form.cleaned_data, acting_user=request.user),
        title=_("Name and description"),
    )


@require_http_methods(["GET", "POST"])
@draft_edit
def levels_edit(request, model):
    titles = level_titles(model)
    form = LevelTitlesForm(request.POST or None, titles=titles)
    return _edit_page(
        request,
        model,
        form,
        lambda: do_update_level_titles(model, form.levels(), acting_user=request.user),
        template="competency/levels_form.html",
    )


@require_http_methods(["GET", "POST"])
@draft_edit
def module_add(request, model):
    form = ModuleForm(request.POST or None, adding=True)
    return _edit_page(
        request,
        model,
        form,
        lambda: do_add_module(model, **form.cleaned_data, acting_user=request.user),
        done=_("Module added."),
        title=_("Add a module"),
    )


@require_http_methods(["GET", "POST"])
@draft_edit
def module_edit(request, model, module_id):
    module = access_module_in_model(model, module_id)
    form = ModuleForm(
        request.POST or None, adding=False, initial={"name": module.name, "name_en": module.name_en}
    )
    return _edit_page(
        request,
        model,
        form,
        lambda: do_update_module(module, **form.cleaned_data, acting_user=request.user),
        title=_("Module %(code)s") % {"code": module.code},
        remove_url="competency:module_remove",
        remove_arg=module.pk,
    )


@require_POST
@draft_edit
def module_move(request, model, module_id, direction):
    if direction not in ("up", "down"):
        raise Http404("no such direction")
    module = access_module_in_model(model, module_id)
    do_move_module(module, offset=-1 if direction == "up" else 1, acting_user=request.user)
    return _detail(model)


@require_POST
@draft_edit
def module_remove(request, model, module_id):
    module = access_module_in_model(model, module_id)
    try:
        do_remove_module(module, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Module removed."))
    return _detail(model)


@require_http_methods(["GET", "POST"])
@draft_edit
def dimension_add(request, model):
    form = DimensionForm(
        request.POST or None, model=model, adding=True, initial={"module": request.GET.get("module")}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        module = data.pop("module")
        module.model = model
        if run_action(form, do_add_dimension, module, **data, acting_user=request.user) is not REFUSED:
            messages.success(request, _("Dimension added; now write its behavioural indicators."))
            return redirect("competency:dimension_indicators", model.pk, data["code"].strip())
    return render(
        request, "competency/edit_form.html", {"model": model, "form": form, "title": _("Add a dimension")}
    )


@require_http_methods(["GET", "POST"])
@draft_edit
def dimension_edit(request, model, code):
    dimension = access_dimension_in_model(model, code)
    form = DimensionForm(
        request.POST or None,
        model=model,
        adding=False,
        initial={
            "module": dimension.module_id,
            "name": dimension.name,
            "name_en": dimension.name_en,
            "category": dimension.category,
            "description": dimension.description,
        },
    )
    return _edit_page(
        request,
        model,
        form,
        lambda: do_update_dimension(dimension, **form.cleaned_data, acting_user=request.user),
        title=_("Dimension %(code)s") % {"code": dimension.code},
        remove_url="competency:dimension_remove",
        remove_arg=dimension.code,
    )


@require_http_methods(["GET", "POST"])
@draft_edit
def dimension_indicators(request, model, code):
    dimension = access_dimension_in_model(model, code)
    titles = level_titles(model)
    lines = {row.level: row.indicator_list() for row in dimension.behaviours.all()}
    form = IndicatorsForm(request.POST or None, titles=titles, initial_lines=lines)
    return _edit_page(
        request,
        model,
        form,
        lambda: do_set_indicators(dimension, form.by_level(), acting_user=request.user),
        title=_("Behavioural indicators of %(code)s %(name)s")
        % {"code": dimension.code, "name": dimension.name},
    )


@require_POST
@draft_edit
def dimension_remove(request, model, code):
    dimension = access_dimension_in_model(model, code)
    do_remove_dimension(dimension, acting_user=request.user)
    messages.success(request, _("Dimension %(code)s removed.") % {"code": code})
    return _detail(model)


@require_http_methods(["GET", "POST"])
@draft_edit
def requirements_edit(request, model, kind, code):
    target = requirement_target(kind, code)
    if target is None:
        raise Http404("no such stage or grade")
    matrix = requirement_matrix(model)
    column = matrix.column(kind, code)
    assert column is not None  # every stage and grade has its column
    position = matrix.columns.index(column)
    dimensions = [row.dimension for row in matrix.rows]
    cells = {
        row.dimension.code: (cell.level, cell.weight) for row in matrix.rows if (cell := row.cells[position])
    }
    form = RequirementColumnForm(request.POST or None, dimensions=dimensions, cells=cells)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_action(
            form, do_set_requirements, model, **{kind: target}, cells=form.cells(), acting_user=request.user
        )
        is not REFUSED
    ):
        total = form.weight_sum()
        if total != 100:
            messages.warning(
                request, _("Saved, but the weights add up to %(sum)s%%, not 100%%.") % {"sum": total}
            )
        else:
            messages.success(request, _("Saved."))
        return _detail(model)
    return render(
        request,
        "competency/requirements_form.html",
        {"model": model, "form": form, "target": target, "kind": kind, "column": column},
    )
