"""Org pages: parse, access, act, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casspath.core.errors import InvalidTransition
from casspath.core.forms import REFUSED, run_action
from casspath.imports.errors import ImportFileError
from casspath.org import queries, scopes, search, tasks
from casspath.org.access import access_employee_by_no, access_login_batch_by_id, access_unit_by_code
from casspath.org.actions.employees import do_update_employee
from casspath.org.actions.login_files import LoginFileGone, do_download_login_batch
from casspath.org.actions.logins import do_cancel_login_batch, do_queue_issue_logins, login_batch_max
from casspath.org.actions.passwords import LoginRefused, NoLogin, do_reset_password, do_unlock_login
from casspath.org.actions.units import do_create_unit, do_update_unit
from casspath.org.downloads import roster_download
from casspath.org.forms import EmployeeForm, IssueLoginsForm, LoginUnitForm, UnitFilterForm, UnitForm
from casspath.org.models import LOGIN_FILE_TTL, OrgUnit
from casspath.org.scopes import Perm, ScopeRefused
from casspath.org.validators import EMPLOYEE_NO_MAX

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require(user, perm: Perm) -> None:
    """Refuse a page whose permission the user holds nowhere."""
    if not scopes.has_perm(user, perm):
        raise PermissionDenied


@login_required
@require_GET
def tree(request):
    """The scope roots and their children; `open` reveals one unit in its place, `q` finds
    units by name or code (the same results the search box fetches as one types)."""
    user = request.user
    _require(user, Perm.VIEW_EMPLOYEES)
    revealed = access_unit_by_code(user, request.GET["open"]) if request.GET.get("open") else None
    q = request.GET.get("q", "").strip()
    matches, more = _tree_matches(user, q)
    roots = queries.tree_revealing(user, revealed) if revealed else queries.tree_roots(user)
    return render(request, "org/tree.html", {
        "roots": roots,
        "example": _search_example(roots),
        "revealed": revealed,
        "q": q, "matches": matches, "more_matches": more,
        "can_edit": scopes.has_perm(user, Perm.IMPORT_DATA),
    })


def _search_example(roots) -> OrgUnit | None:
    """A unit the search box's placeholder names, one the user has: the first subunit shown,
    else the first root (a fixed example would name a unit most trees lack)."""
    if not roots:
        return None
    first = roots[0]
    return first.level.nodes[0].unit if first.level and first.level.nodes else first.unit


@login_required
@require_GET
def tree_children(request, code: str):
    """One page of a unit's children (an htmx fragment of the tree): the unit is loaded
    through its scope check, so another city's unit is the same 404 as none."""
    unit = access_unit_by_code(request.user, code)
    offset = request.GET.get("offset", "")
    # Only the tree's own "show more" buttons send it: anything else starts from the top.
    start = int(offset) if offset.isascii() and offset.isdigit() and len(offset) < 7 else 0
    level = queries.unit_children(unit, offset=start, earlier=request.GET.get("earlier") == "1")
    # Fetched by a "show more" button, which the units replace: the first takes the focus.
    return render(request, "org/partials/tree_level.html",
                  {"level": level, "focus_first": "offset" in request.GET})


@login_required
@require_GET
def tree_search(request):
    """Units matching what was typed in the tree's search box (an htmx fragment)."""
    _require(request.user, Perm.VIEW_EMPLOYEES)
    q = request.GET.get("q", "").strip()
    matches, more = _tree_matches(request.user, q)
    return render(request, "org/partials/tree_search.html",
                  {"q": q, "matches": matches, "more_matches": more})


def _tree_matches(user, q: str) -> tuple[list[queries.UnitPath], bool]:
    # The tree lists its units itself: its search box finds nothing until something is typed.
    return queries.search_units(user, Perm.VIEW_EMPLOYEES, q) if q else ([], False)


@login_required
@require_GET
def employee_list(request):
    """The list pages by employee number (`after` / `before` the number at a page's end),
    whatever the depth read from the index; its count is exact up to a cap (`core/paging.py`)."""
    user = request.user
    _require(user, Perm.VIEW_EMPLOYEES)
    filters, errors = queries.parse_employee_filters(user, request.GET)
    after, before = _page_key(request.GET.get("after")), _page_key(request.GET.get("before"))
    page = queries.employee_page(user, filters, after=after, before=None if after else before)
    params = filters.as_params()
    unit_text = filters.unit.code if filters.unit else request.GET.get("unit", "").strip()
    return render(request, "org/employee_list.html", {
        "page": page,
        "rows": queries.employee_rows(user, page.employees),
        "count": page.count,
        "filters": filters,
        "filter_errors": errors,
        "choices": queries.filter_choices(user),
        "unit_form": UnitFilterForm(user, initial={"unit": unit_text}),
        "query": urlencode(params),
        "next_query": urlencode({**params, "after": page.next_key}) if page.next_key else "",
        "previous_query": urlencode({**params, "before": page.previous_key}) if page.previous_key else "",
        "filtered": bool(params),
        "paged": bool(after or before),  # not the first page: "First page" is offered
        "can_export": scopes.has_perm(user, Perm.VIEW_PERSONAL_DATA),
        "names_from_start_only": search.names_matched_from_start_only(filters.q),
    })


def _page_key(value: str | None) -> str | None:
    """An employee number from a page link; anything longer than one is no key."""
    value = (value or "").strip()
    return value if value and len(value) <= EMPLOYEE_NO_MAX else None


@login_required
@require_GET
def unit_choices(request):
    """The units matching what was typed in a unit picker (htmx): of the user's scope for the
    picker's permission, at most `queries.UNIT_SEARCH_LIMIT`, each with its path."""
    user = request.user
    perm = PICKER_PERMS.get(request.GET.get("perm", ""))
    if perm is None:
        names = ", ".join(PICKER_PERMS)
        return HttpResponseBadRequest(f"perm 参数应为以下之一：{names} / perm must be one of: {names}",
                                      content_type="text/plain; charset=utf-8")
    _require(user, perm)
    not_under = None
    if request.GET.get("not_under"):
        try:
            not_under = access_unit_by_code(user, request.GET["not_under"], perm=perm)
        except Http404:
            not_under = None
    choices, more = queries.search_units(user, perm, request.GET.get("q", ""), not_under=not_under)
    return render(request, "org/partials/unit_choices.html", {
        "choices": choices, "more": more, "limit": queries.UNIT_SEARCH_LIMIT,
        "typed": request.GET.get("q", "").strip(),
    })


# The permissions a unit picker may search by: the pages that have one.
PICKER_PERMS = {perm.value: perm for perm in (Perm.VIEW_EMPLOYEES, Perm.IMPORT_DATA, Perm.ISSUE_LOGINS,
                                            Perm.SEE_REPORTS, Perm.EDIT_MODELS)}


@login_required
@require_GET
def employee_export(request):
    """The list's employees (its filters kept) as .xlsx or .csv, for those who may export
    personal data (CONTRACTS.md roles table); a bad filter goes back to the list, worded."""
    user = request.user
    _require(user, Perm.VIEW_PERSONAL_DATA)
    filters = {key: request.GET.get(key, "") for key in queries.FILTER_KEYS}
    try:
        return roster_download(user, request.GET.get("format", "xlsx"), filters)
    except ImportFileError as error:
        messages.error(request, str(error))
        params = urlencode({key: value for key, value in filters.items() if value})
        return redirect(reverse("org:employee_list") + (f"?{params}" if params else ""))


@login_required
@require_GET
def employee_detail(request, employee_no: str):
    user = request.user
    employee = access_employee_by_no(user, employee_no)
    lookup = queries.StageLookup()
    row = queries.employee_rows(user, [employee], lookup=lookup)[0]
    unit = employee.org_unit
    can_issue = scopes.unit_in_scope(user, Perm.ISSUE_LOGINS, unit)
    # A password reset's one-time password, shown on this page once, then gone (see
    # employee_login_action).
    waiting = request.session.get(ONE_TIME_PASSWORD_KEY)
    password = None
    if waiting and waiting.get("employee_no") == employee.employee_no:
        password = request.session.pop(ONE_TIME_PASSWORD_KEY)["password"]
    return render(request, "org/employee_detail.html", {
        "employee": employee,
        "row": row,
        "org_path": queries.unit_path_names(unit),
        "unit_visible": scopes.unit_in_scope(user, Perm.VIEW_EMPLOYEES, unit),
        "can_edit": scopes.employee_in_scope(user, Perm.IMPORT_DATA, employee),
        "can_issue": can_issue,
        "login": employee.user,
        "locked_out": can_issue and queries.login_locked_out(employee.user),
        "one_time_password": password,
    })


LOGIN_ACTIONS = {"reset-password": do_reset_password, "unlock": do_unlock_login}
ONE_TIME_PASSWORD_KEY = "casspath_one_time_password"  # noqa: S105 (a session key, not a password)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def employee_login_action(request, employee_no: str, action: str):
    """Reset one person's password or lift his lock-out: GET asks for confirmation, POST
    acts and goes back to the employee's page, which shows a new password once (it crosses
    the redirect in the session, so a refresh neither shows it again nor resets again)."""
    user = request.user
    employee = access_employee_by_no(user, employee_no, perm=Perm.ISSUE_LOGINS)
    if request.method == "POST":
        try:
            result = LOGIN_ACTIONS[action](employee, acting_user=user)
        except (LoginRefused, NoLogin, ScopeRefused) as refusal:
            messages.error(request, str(refusal))
        else:
            if action == "reset-password":
                request.session[ONE_TIME_PASSWORD_KEY] = {"employee_no": employee.employee_no,
                                                          "password": result}
            elif result:
                messages.success(request, _("The lock-out of %(no)s is lifted: he can log in again.")
                                 % {"no": employee.employee_no})
            else:
                messages.info(request, _("%(no)s was not locked out.") % {"no": employee.employee_no})
        return redirect("org:employee_detail", employee.employee_no)
    return render(request, "org/employee_login_confirm.html", {"employee": employee, "action": action})


@login_required
@require_http_methods(["GET", "POST"])
def employee_edit(request, employee_no: str):
    user = request.user
    employee = access_employee_by_no(user, employee_no, perm=Perm.IMPORT_DATA)
    form = EmployeeForm(user, request.POST if request.method == "POST" else None, employee=employee)
    if request.method == "POST" and form.is_valid():
        changes = run_action(form, do_update_employee, employee, form.values(), acting_user=user)
        if changes is not REFUSED:
            if changes:
                messages.success(request, _("Saved: %(fields)s.") % {"fields": ", ".join(
                    str(form.fields[f].label) for f in changes if f in form.fields)})
            else:
                messages.info(request, _("Nothing changed."))
            return redirect("org:employee_detail", employee.employee_no)
    return render(request, "org/employee_form.html", {"employee": employee, "form": form})


@login_required
@require_GET
def unit_detail(request, code: str):
    user = request.user
    unit = access_unit_by_code(user, code)
    children = queries.unit_children(unit)
    can_issue = scopes.unit_in_scope(user, Perm.ISSUE_LOGINS, unit)
    return render(request, "org/unit_detail.html", {
        "unit": unit,
        "org_path": queries.unit_path_names(unit),
        "headcount": queries.unit_headcount(unit),
        "children": children,
        "can_edit": scopes.unit_in_scope(user, Perm.IMPORT_DATA, unit),
        "can_issue": can_issue,
        "without_login": queries.employees_without_login(unit) if can_issue else None,
        "batches": queries.login_batches_of(user, unit)[:10] if can_issue else [],
    })


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request):
    user = request.user
    _require(user, Perm.IMPORT_DATA)
    initial = {}
    if request.GET.get("parent"):
        initial["parent"] = access_unit_by_code(user, request.GET["parent"], perm=Perm.IMPORT_DATA)
    form = UnitForm(user, request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = run_action(form, do_create_unit, code=data["code"], name=data["name"], kind=data["kind"],
                          parent=data["parent"], acting_user=user)
        if unit is not REFUSED:
            messages.success(request, _("Unit %(name)s created.") % {"name": unit.name})
            return redirect("org:unit_detail", unit.code)
    return render(request, "org/unit_form.html", {"form": form, "unit": None})


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request, code: str):
    user = request.user
    unit = access_unit_by_code(user, code, perm=Perm.IMPORT_DATA)
    form = UnitForm(user, request.POST if request.method == "POST" else None, unit=unit)
    if request.method == "POST" and form.is_valid():
        changes = run_action(form, do_update_unit, unit, form.values(), acting_user=user)
        if changes is not REFUSED:
            messages.success(request, _("Saved.") if changes else _("Nothing changed."))
            return redirect("org:unit_detail", unit.code)
    return render(request, "org/unit_form.html", {"form": form, "unit": unit})


@login_required
@require_http_methods(["GET", "POST"])
def issue_logins(request, code: str):
    """Queue a batch and hand it to a worker: hashing thousands of passwords would outlast
    the request. The batch page then shows its progress."""
    user = request.user
    unit = access_unit_by_code(user, code, perm=Perm.ISSUE_LOGINS)
    form = IssueLoginsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        batch = run_action(form, do_queue_issue_logins, unit, acting_user=user,
                           reissue=form.cleaned_data["reissue"])
        if batch is not REFUSED:  # refused: too many employees for one batch, say
            if batch.reused:  # a double click: the batch it queued already, not a copy
                messages.info(request, _("The same batch for this unit is already queued or running: "
                                         "here it is."))
            else:
                tasks.enqueue_issue_logins(batch)
            return redirect("org:login_batch", batch.pk)
    # The limit is said before the click, with what each choice would count against it.
    return render(request, "org/issue_logins.html", {
        "unit": unit,
        "unit_label": queries.unit_paths(user, Perm.ISSUE_LOGINS, [unit])[0].label,
        "form": form,
        "without_login": queries.employees_without_login(unit),
        "active": queries.unit_headcount(unit)["active"],
        "batch_max": login_batch_max(),
        "ttl_hours": int(LOGIN_FILE_TTL.total_seconds() // 3600),
    })


@login_required
@require_GET
def login_batch(request, batch_id: int):
    batch = access_login_batch_by_id(request.user, batch_id)
    (choice,) = queries.unit_paths(request.user, Perm.ISSUE_LOGINS, [batch.org_unit])
    return render(request, "org/login_batch.html", {"batch": batch, "unit_label": choice.label})


@login_required
@require_GET
def login_batch_progress(request, batch_id: int):
    """The batch's status fragment, polled by htmx every second until the batch finishes."""
    batch = access_login_batch_by_id(request.user, batch_id)
    return render(request, "org/partials/batch_progress.html", {"batch": batch, "job": batch})


@login_required
@require_POST
def login_batch_cancel(request, batch_id: int):
    """Stop a queued or running batch of the admin's own; none of its logins is issued."""
    batch = access_login_batch_by_id(request.user, batch_id)
    try:
        do_cancel_login_batch(batch, acting_user=request.user)
    except InvalidTransition:
        messages.error(request, _("This batch has finished already: it cannot be cancelled."))
    else:
        messages.success(request, _("Batch cancelled: none of its logins was issued."))
    return redirect("org:login_batch", batch.pk)


@login_required
@require_GET
def login_batches(request):
    user = request.user
    _require(user, Perm.ISSUE_LOGINS)
    # A GET writes nothing: expired files are purged by the hourly task (org/tasks.py),
    # and a download refuses an expired file on its own.
    # A unit picked on the page (GET, so that it also works as a plain form without
    # JavaScript) goes to its issue page; the picker's field resolves it within the scope.
    unit_form = LoginUnitForm(user, request.GET if "unit" in request.GET else None)
    if unit_form.is_bound and unit_form.is_valid():
        return redirect("org:issue_logins", unit_form.cleaned_data["unit"].code)
    return render(request, "org/login_batches.html", {
        "batches": queries.labelled_batches(queries.login_batches_of(user)[:50]),
        "units": scopes.scope_roots(user, Perm.ISSUE_LOGINS),
        "unit_form": unit_form,
        "ttl_hours": int(LOGIN_FILE_TTL.total_seconds() // 3600),
    })


@login_required
@require_POST
def login_batch_download(request, batch_id: int):
    """POST, not GET: a download destroys the file, so a link prefetch must not trigger it."""
    user = request.user
    batch = access_login_batch_by_id(user, batch_id)
    try:
        data = do_download_login_batch(batch, acting_user=user)
    except LoginFileGone:
        messages.error(request, _("This file was downloaded already or has expired, and was deleted. "
                                  "Issue the logins again to get new passwords."))
        return redirect("org:login_batches")
    response = HttpResponse(data, content_type=XLSX)
    filename = f"logins-{batch.org_unit.code}-{timezone.localtime(batch.created_at):%Y%m%d-%H%M}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
