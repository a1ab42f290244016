"""The case library's pages (案例地图): the library (filters, a reviewer's queue), "my
cases", the case form, the case page with its moves, comments, useful mark, attachments.
Thin: parse, access, act, render."""

from collections.abc import Callable
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casspath.cass.access import access_map_by_id
from casspath.cass.queries import maps_for
from casspath.core.errors import BilingualError
from casspath.core.forms import REFUSED, run_action
from casspath.core.ranges import stored_file_response
from casspath.knowledge import queries
from casspath.knowledge.access import (
    access_attachment_in_case,
    access_case_by_id,
    case_roles,
    is_case_author,
    may_edit_case,
    may_review_case,
)
from casspath.knowledge.actions.case_files import do_add_case_attachment, do_remove_case_attachment
from casspath.knowledge.actions.cases import (
    PARTS,
    do_comment_case,
    do_discard_case,
    do_mark_case_useful,
    do_pick_case,
    do_publish_case,
    do_record_case_read,
    do_request_changes,
    do_retire_case,
    do_save_case,
    do_submit_case,
    do_unmark_case_useful,
)
from casspath.knowledge.case_forms import AttachmentForm, CaseForm, CommentForm, MoveForm
from casspath.knowledge.models import Case, CaseStatus, CustomerSize, may_discard, may_move
from casspath.org.queries import my_employee

MOVE_ACTIONS: dict[str, tuple[str, Callable[..., Case]]] = {
    "submit": (CaseStatus.IN_REVIEW, do_submit_case),
    "request_changes": (CaseStatus.CHANGES_REQUESTED, do_request_changes),
    "publish": (CaseStatus.PUBLISHED, do_publish_case),
    "retire": (CaseStatus.RETIRED, do_retire_case),
}


def _case_url(case, anchor: str = "") -> str:
    url = reverse("knowledge:case", args=[case.pk])
    return f"{url}#{anchor}" if anchor else url


def _pick_map(request):
    """The map the library shows: ?map= (accessed), else the first the user reads."""
    if request.GET.get("map"):
        return access_map_by_id(request.user, request.GET["map"])
    return maps_for(request.user).first()


def _choice(rows, value):
    """The row a filter names, by id (the library's own form) or by code (links from the
    product map and its matrix)."""
    if not value:
        return None
    return next((row for row in rows if str(row.pk) == value or row.code == value), None)


# A phone screen of short cards a few times over; the filters narrow a big library.
CASES_PER_PAGE = 30


@login_required
@require_GET
def case_library(request):
    """Published cases best first, filtered by step, dimension, product, industry; for a
    reviewer, the cases waiting for him with the counts of each status."""
    user = request.user
    cass_map = _pick_map(request)
    tags = queries.case_filters(cass_map) if cass_map is not None else {}
    chosen = {}
    if cass_map is not None:
        chosen = {
            "step": _choice(tags["steps"], request.GET.get("step", "")),
            "product": _choice(tags["products"], request.GET.get("product", "")),
            "industry": _choice(tags["industries"], request.GET.get("industry", "")),
            "dimension": request.GET.get("dimension", "")
            if request.GET.get("dimension") in tags["dimensions"]
            else "",
            "size": request.GET.get("size", "") if request.GET.get("size") in CustomerSize.values else "",
        }
    ranked = queries.case_library(user, cass_map=cass_map, **chosen) if cass_map is not None else []
    page = Paginator(ranked, CASES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    queue = list(queries.review_queue(user))
    counts = queries.review_counts(user)
    return render(
        request,
        "knowledge/case_library.html",
        {
            "cass_map": cass_map,
            "maps": list(maps_for(user)),
            "tags": tags,
            "size_choices": CustomerSize.choices,
            "chosen": chosen,
            "cases": queries.in_order(list(page.object_list)),
            "page": page,
            "query": query.urlencode(),
            "queue": queue,
            "counts": [(status, counts.get(status, 0)) for status in CaseStatus] if counts else [],
            "reviewer": bool(counts) or bool(queue),
        },
    )


@login_required
@require_GET
def my_cases(request):
    """The manager's own cases in any status, with the reviewers' comments."""
    return render(request, "knowledge/my_cases.html", {"cases": queries.my_cases(request.user)})


def _initial(case) -> dict:
    initial = {name: getattr(case, name) for name in ("title", "knowledge_point", "story", *PARTS)}
    initial.update(
        dimension_codes=case.dimension_codes,
        customer_type=case.customer_type,
        customer_size=case.customer_size,
        steps=list(case.steps.values_list("pk", flat=True)),
        products=list(case.products.values_list("pk", flat=True)),
        industries=list(case.industries.values_list("pk", flat=True)),
    )
    return initial


def _save(request, cass_map, case=None):
    user = request.user
    if case is None and request.method == "GET" and my_employee(user) is None:
        # Said before he writes a story the save would refuse (a training admin's login).
        messages.error(request, _("Only an employee writes a case: your login has no employee record."))
        return redirect(reverse("knowledge:cases") + f"?map={cass_map.pk}")
    tags = queries.case_form_tags(cass_map)
    form = CaseForm(tags, request.POST or None, initial=_initial(case) if case is not None else {})
    if request.method == "POST" and form.is_valid():
        saved = run_action(
            form,
            do_save_case,
            cass_map,
            form.values(),
            case=case,
            steps=form.cleaned_data["steps"],
            products=form.cleaned_data["products"],
            industries=form.cleaned_data["industries"],
            acting_user=user,
        )
        if saved is not REFUSED:
            upload = request.FILES.get("file")
            if upload is not None:
                try:
                    do_add_case_attachment(saved, upload, acting_user=user)
                except BilingualError as refused:
                    messages.error(request, refused.both())
                    # The case itself is kept: say so, or he writes it again from the start.
                    messages.info(
                        request,
                        _("The case was saved without that file, and not sent for review.")
                        if request.POST.get("then") == "submit" and saved.status != CaseStatus.IN_REVIEW
                        else _("The case was saved without that file."),
                    )
                    return redirect(reverse("knowledge:case_edit", args=[saved.pk]))
            if request.POST.get("then") == "submit" and case is None and saved.status == CaseStatus.IN_REVIEW:
                messages.success(request, _("The case was sent for review."))  # the form sent twice
            elif request.POST.get("then") == "submit" and is_case_author(user, saved):
                try:
                    do_submit_case(saved, acting_user=user)
                    messages.success(request, _("The case was sent for review."))
                except BilingualError as refused:
                    messages.error(request, refused.both())
            else:
                messages.success(request, _("The case was saved."))
            return redirect(_case_url(saved))
    return render(
        request,
        "knowledge/case_form.html",
        {
            "cass_map": cass_map,
            "case": case,
            "form": form,
            "attachment_form": AttachmentForm(use_required_attribute=False),
            "attachments": list(case.attachments.all()) if case is not None else [],
            "may_submit": case is None
            or (
                is_case_author(user, case) and case.status in (CaseStatus.DRAFT, CaseStatus.CHANGES_REQUESTED)
            ),
        },
    )


@login_required
@require_GET
def case_start(request):
    """The menu's "write a case": the form of the one map he reads, or the maps to pick."""
    maps = list(maps_for(request.user))
    if len(maps) == 1:
        return redirect("knowledge:case_new", maps[0].pk)
    return render(request, "knowledge/case_start.html", {"maps": maps})


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request, map_id: int):
    return _save(request, access_map_by_id(request.user, map_id))


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request, case_id: int):
    case = access_case_by_id(request.user, case_id, for_edit=True)
    return _save(request, case.cass_map, case)


def _moves_for(user, case) -> list[str]:
    """The moves the viewer may make on the case now (its buttons)."""
    roles = case_roles(user, case)
    return [name for name, (to, _action) in MOVE_ACTIONS.items() if may_move(roles, case.status, to)]


@login_required
@require_GET
def case_page(request, case_id: int):
    """The story first, then its parts; its author; its steps on the process map; the
    comments; the moves the viewer may make; the useful mark."""
    user = request.user
    case = access_case_by_id(user, case_id)
    do_record_case_read(case, acting_user=user)
    author, reviewer = is_case_author(user, case), may_review_case(user, case)
    detail = queries.case_detail(case, user)
    return render(
        request,
        "knowledge/case.html",
        {
            "case": case,
            **detail,
            "parts": [(name, getattr(case, name)) for name in PARTS if getattr(case, name)],
            "moves": _moves_for(user, case),
            "is_author": author,
            "is_reviewer": reviewer,
            "may_edit": may_edit_case(user, case),
            "may_discard": may_discard(case_roles(user, case), case.status),
            "may_mark": case.status == CaseStatus.PUBLISHED and not author,
            "comment_form": CommentForm() if (author or reviewer) else None,
        },
    )


def _run(request, action, *args, **kwargs) -> bool:
    try:
        action(*args, **kwargs)
    except BilingualError as refused:
        messages.error(request, refused.both())
        return False
    return True


@login_required
@require_POST
def case_move(request, case_id: int):
    user = request.user
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise Http404("no such move")
    move, comment = form.cleaned_data["move"], form.cleaned_data["comment"]
    case = access_case_by_id(user, case_id, for_review=move != "submit")
    if move == "submit" and not is_case_author(user, case):
        raise PermissionDenied("only its author submits a case")
    _to, action = MOVE_ACTIONS[move]
    if _run(request, action, case, comment=comment, acting_user=user):
        messages.success(request, _("The case is now: %(status)s.") % {"status": CaseStatus(_to).label})
    return redirect(_case_url(case))


@login_required
@require_POST
def case_discard(request, case_id: int):
    """Delete a case never published (CASE_DISCARDS); back to the author's cases or the
    reviewer's library. A second press finds it gone and says so."""
    user = request.user
    try:
        case = access_case_by_id(user, case_id)
    except Http404:
        messages.info(request, _("That case is no longer there."))
        return redirect("knowledge:my_cases")
    if _run(request, do_discard_case, case, acting_user=user):
        messages.success(request, _("The case “%(title)s” was deleted.") % {"title": case.title})
        return redirect("knowledge:my_cases" if is_case_author(user, case) else "knowledge:cases")
    return redirect(_case_url(case))


@login_required
@require_POST
def case_comment(request, case_id: int):
    user = request.user
    case = access_case_by_id(user, case_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        _run(request, do_comment_case, case, form.cleaned_data["text"], acting_user=user)
    else:
        messages.error(request, _("Write the comment first."))
    return redirect(_case_url(case, "comments"))


@login_required
@require_POST
def case_useful(request, case_id: int):
    user = request.user
    case = access_case_by_id(user, case_id)
    action = do_unmark_case_useful if request.POST.get("on") == "0" else do_mark_case_useful
    _run(request, action, case, acting_user=user)
    return redirect(_case_url(case, "useful"))


@login_required
@require_POST
def case_pick(request, case_id: int):
    user = request.user
    case = access_case_by_id(user, case_id, for_review=True)
    _run(request, do_pick_case, case, request.POST.get("on") != "0", acting_user=user)
    return redirect(_case_url(case))


@login_required
@require_POST
def attachment_add(request, case_id: int):
    """Upload an attachment (multipart); a refused file is named with the reason and nothing
    is stored."""
    user = request.user
    case = access_case_by_id(user, case_id, for_edit=True)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        if _run(request, do_add_case_attachment, case, form.cleaned_data["file"], acting_user=user):
            messages.success(request, _("The attachment was added."))
    else:
        messages.error(request, _("Choose a file first."))
    return redirect(reverse("knowledge:case_edit", args=[case.pk]) + "#attachments")


@login_required
@require_POST
def attachment_remove(request, case_id: int, attachment_id: int):
    user = request.user
    case = access_case_by_id(user, case_id, for_edit=True)
    found = access_attachment_in_case(case, attachment_id)
    _run(request, do_remove_case_attachment, found, acting_user=user)
    return redirect(reverse("knowledge:case_edit", args=[case.pk]) + "#attachments")


@login_required
@require_GET
def attachment(request, case_id: int, attachment_id: int):
    """An attachment, to those who may see the case (one in review stays private)."""
    found = access_attachment_in_case(access_case_by_id(request.user, case_id), attachment_id)
    response = stored_file_response(request, found.file, found.content_type, size=found.size)
    response["Content-Disposition"] = _disposition(found)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _disposition(found) -> str:
    """Images shown in the page; documents downloaded (never rendered as our origin's)."""
    kind = "inline" if found.content_type.startswith("image/") else "attachment"
    return f"{kind}; filename*=UTF-8''{quote(found.name)}"
