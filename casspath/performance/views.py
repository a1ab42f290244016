"""The diagnosis pages (issue 7): a unit's diagnoses with a form to run one, a diagnosis
(its progress while it runs, its figures, charts, findings and files once done), two
compared side by side, and the people of a tier."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casspath.core import jobs
from casspath.core.errors import InvalidTransition
from casspath.core.forms import REFUSED, run_action
from casspath.org import queries as org_queries
from casspath.org import scopes
from casspath.org.scopes import Perm
from casspath.performance import cass_links, display, report
from casspath.performance.access import (
    access_diagnosis,
    access_diagnosis_member,
    access_unit_performance,
    diagnoses_in_scope,
    may_cancel_diagnosis,
    unit_diagnoses,
)
from casspath.performance.actions import (
    BACKGROUND_FORMATS,
    ReportNotReady,
    do_cancel_diagnosis,
    do_export_diagnosis,
    do_queue_diagnosis,
    do_request_report,
    latest_report,
)
from casspath.performance.diagnosis import DiagnosisError, Period, parse_period
from casspath.performance.forms import CompareForm, DiagnosisForm
from casspath.performance.models import DiagnosisMember
from casspath.performance.queries import member_profile, newest_first_page, tier_members

SUCCEEDED = jobs.JobStatus.SUCCEEDED
# Snapshots the comparison offers to choose from, newest first.
COMPARE_CHOICES = 200
# Diagnoses a page of a unit's list shows.
LIST_PAGE_SIZE = 50


def _require_reports(user) -> None:
    if not scopes.has_perm(user, Perm.SEE_REPORTS):
        raise PermissionDenied


def _unit_label(user, unit) -> str:
    return org_queries.unit_paths(user, Perm.SEE_REPORTS, [unit])[0].label


def _default_months(unit) -> dict:
    """The last 12 months with data, for the form's first showing (blank without data)."""
    try:
        period = parse_period(unit, None, None)
    except DiagnosisError:
        return {}
    return {"first": f"{period.first:%Y-%m}", "last": f"{period.last:%Y-%m}"}


@login_required
@require_http_methods(["GET", "POST"])
def diagnoses(request):
    """A unit's diagnoses (?unit=CODE; the first unit of the user's scope by default) and the
    form that queues a new one, for the unit picked (POST)."""
    user = request.user
    _require_reports(user)
    if request.method == "POST":
        form = DiagnosisForm(user, request.POST)
        if form.is_valid():
            snapshot = run_action(form, do_queue_diagnosis, form.cleaned_data["unit"],
                                  form.cleaned_data["period"], acting_user=user)
            if snapshot is not REFUSED:
                jobs.enqueue(snapshot)
                return redirect("performance:diagnosis", snapshot.pk)
        unit = form.cleaned_data.get("unit")
    else:
        code = request.GET.get("unit", "").strip()
        if code:
            unit = access_unit_performance(user, code)
        else:
            roots = scopes.scope_roots(user, Perm.SEE_REPORTS)
            unit = roots[0] if roots else None
        initial = {"unit": unit.code, **_default_months(unit)} if unit else {}
        form = DiagnosisForm(user, initial=initial)
    context: dict = {"form": form, "unit": unit, "unit_label": _unit_label(user, unit) if unit else "",
                     "snapshots": [], "rows": []}
    if unit:
        after, before = _page_key(request.GET.get("after")), _page_key(request.GET.get("before"))
        page = newest_first_page(unit_diagnoses(user, unit), size=LIST_PAGE_SIZE,
                                 after=after, before=None if after else before)
        paths = org_queries.unit_paths(user, Perm.SEE_REPORTS, [s.org_unit for s in page.rows])
        keep = {"unit": unit.code}
        context.update({
            "snapshots": page.rows,
            "rows": [(s, path.label, display.run_by(s.created_by, s.created_by_label))
                     for s, path in zip(page.rows, paths, strict=True)],
            "next_query": urlencode({**keep, "after": page.next_key}) if page.next_key else "",
            "previous_query": urlencode({**keep, "before": page.previous_key}) if page.previous_key else "",
            "first_query": urlencode(keep) if after or before else "",
        })
    return render(request, "performance/diagnoses.html", context)


def _diagnosis_context(user, snapshot) -> dict:
    figures = snapshot.figures
    about = report.about_snapshot(snapshot)
    context = {"snapshot": snapshot, "job": snapshot, "unit_label": _unit_label(user, snapshot.org_unit),
               "may_cancel": may_cancel_diagnosis(user, snapshot),
               # The report's title page gives the same (display.header_facts).
               "facts": display.header_facts(figures or display.heading_of(snapshot),
                                             created_at=about.created_at, snapshot_id=about.snapshot_id,
                                             run_by=about.run_by)}
    if snapshot.status == SUCCEEDED and figures:
        cass_map, tier_links = cass_links.links_of(figures, snapshot.org_unit)
        context.update({
            "figures": figures,
            "cards": display.key_figures(figures),
            "charts": display.chart_options(figures),
            "histogram_note": display.histogram_note(figures.get("histogram")),
            "tiers": display.tiers(figures, tier_links),
            "cass_map": cass_map,
            "small_unit": display.unit_caution(display.small_sample(figures)),
            "correlations": display.correlations(figures),
            "notes": [display.bilingual(note) for note in figures.get("method_notes", [])],
            "regression": display.regression(figures),
            "formats": [fmt for fmt in report.FORMATS if fmt not in BACKGROUND_FORMATS],
            "pdf_report": latest_report(snapshot, "pdf"),
            "others": list(diagnoses_in_scope(user).exclude(pk=snapshot.pk)[:1]),
        })
    return context


@login_required
@require_GET
def diagnosis(request, snapshot_id: int):
    user = request.user
    _require_reports(user)
    snapshot = access_diagnosis(user, snapshot_id)
    return render(request, "performance/diagnosis.html", _diagnosis_context(user, snapshot))


@login_required
@require_GET
def diagnosis_progress(request, snapshot_id: int):
    """The job's fragment, polled every second while it runs; once it has succeeded the
    page reloads itself (htmx's HX-Refresh) to show the figures."""
    user = request.user
    _require_reports(user)
    snapshot = access_diagnosis(user, snapshot_id)
    response = render(request, "performance/partials/diagnosis_progress.html",
                      {"snapshot": snapshot, "job": snapshot,
                       "may_cancel": may_cancel_diagnosis(user, snapshot)})
    if snapshot.status == SUCCEEDED and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def diagnosis_cancel(request, snapshot_id: int):
    user = request.user
    _require_reports(user)
    snapshot = access_diagnosis(user, snapshot_id)
    try:
        do_cancel_diagnosis(snapshot, acting_user=user)
    except InvalidTransition:
        messages.error(request, _("This diagnosis has finished already: it cannot be cancelled."))
    else:
        messages.success(request, _("Diagnosis cancelled: nothing of it was stored."))
    return redirect("performance:diagnosis", snapshot.pk)


def _succeeded(user, snapshot_id: int):
    _require_reports(user)
    snapshot = access_diagnosis(user, snapshot_id)
    if snapshot.status != SUCCEEDED or not snapshot.figures:
        raise Http404("no such file")
    return snapshot


@login_required
@require_GET
def diagnosis_download(request, snapshot_id: int, fmt: str):
    """A diagnosis as a file. The PDF is the one printed in the background: until it is,
    this sends the viewer to the page's "prepare" button rather than print it here."""
    user = request.user
    snapshot = _succeeded(user, snapshot_id)
    if fmt not in report.FORMATS:
        raise Http404("no such file")
    try:
        data = do_export_diagnosis(snapshot, fmt, acting_user=user)
    except ReportNotReady:
        messages.info(request, _("The PDF has not been prepared yet: prepare it, then download it."))
        return redirect(reverse("performance:diagnosis", args=[snapshot.pk]) + "#pdf")
    content_type = report.CONTENT_TYPES[fmt]
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{report.snapshot_filename(snapshot, fmt)}"'
    return response


@login_required
@require_POST
def diagnosis_prepare_pdf(request, snapshot_id: int):
    """Queue the PDF's printing (once: asking again while it is queued, running or done
    changes nothing) and return to the page, which shows its progress, then the download."""
    user = request.user
    snapshot = _succeeded(user, snapshot_id)
    do_request_report(snapshot, "pdf", acting_user=user)
    return redirect(reverse("performance:diagnosis", args=[snapshot.pk]) + "#pdf")


@login_required
@require_GET
def diagnosis_pdf_progress(request, snapshot_id: int):
    """The PDF job's fragment, polled every second while it runs; once done it offers the
    download in place."""
    user = request.user
    snapshot = _succeeded(user, snapshot_id)
    return render(request, "performance/partials/pdf_report.html",
                  {"snapshot": snapshot, "pdf_report": latest_report(snapshot, "pdf")})


def _page_key(value: str | None) -> int | None:
    try:
        key = int(value or "")
    except ValueError:
        return None
    return key if key > 0 else None


@login_required
@require_GET
def tier_members_page(request, snapshot_id: int, tier: str):
    """A tier's people the viewer may see (org/scopes.py), highest output first, paged by key;
    phones masked for those who may not see personal data, as on the employee list."""
    user = request.user
    _require_reports(user)
    snapshot = access_diagnosis(user, snapshot_id)
    if tier not in DiagnosisMember.Tier.values or snapshot.status != SUCCEEDED:
        raise Http404("no such tier")
    after, before = _page_key(request.GET.get("after")), _page_key(request.GET.get("before"))
    page = tier_members(user, snapshot, tier, after=after, before=None if after else before)
    rows = org_queries.employee_rows(user, [member.employee for member in page.members])
    tier_view = next((t for t in display.tiers(snapshot.figures or {}) if t.code == tier), None)
    return render(request, "performance/tier_members.html", {
        "snapshot": snapshot,
        "unit_label": _unit_label(user, snapshot.org_unit),
        "tier": tier_view,
        "tier_name": display.tier_name(tier),
        "rows": list(zip(page.members, rows, strict=True)),
        "count": page.count,
        "next_query": urlencode({"after": page.next_key}) if page.next_key else "",
        "previous_query": urlencode({"before": page.previous_key}) if page.previous_key else "",
        "paged": bool(after or before),
    })


@login_required
@require_GET
def member_page(request, snapshot_id: int, employee_no: str):
    """One member of a diagnosis: his tier, his monthly output over the period, and his level
    per dimension against his tier's mean and his requirement (stage and grade on the
    period's last day). Scope as on the tier's page; phone masked as on the employee list."""
    user = request.user
    _require_reports(user)
    snapshot = access_diagnosis(user, snapshot_id)
    if snapshot.status != SUCCEEDED or not snapshot.figures:
        raise Http404("no such member")
    member = access_diagnosis_member(user, snapshot, employee_no)
    period = Period(snapshot.first_month, snapshot.last_month)
    profile = member_profile(snapshot, member, period.end)
    view = display.member_view(snapshot.figures, member.tier, profile)
    tier_view = next((t for t in display.tiers(snapshot.figures) if t.code == member.tier), None)
    return render(request, "performance/member.html", {
        "snapshot": snapshot, "member": member, "row": org_queries.employee_rows(user, [member.employee])[0],
        "unit_label": _unit_label(user, snapshot.org_unit), "tier": tier_view,
        "tier_name": display.tier_name(member.tier), "profile": profile, "view": view,
        "charts": view.charts, "period_end": period.end,
        "records_changed": display.records_changed(view, member.period_output),
        "small_unit": display.unit_caution(display.small_sample(snapshot.figures)),
    })


def _snapshot_label(user, snapshot) -> str:
    return (f"{snapshot.org_unit.name} · {snapshot.first_month:%Y-%m}–{snapshot.last_month:%Y-%m} · "
            f"#{snapshot.pk} ({timezone.localtime(snapshot.created_at):%Y-%m-%d})")


def _different_models(a: dict, b: dict) -> tuple[dict, dict] | None:
    """The two models when the diagnoses were measured against different ones (or versions):
    their gaps then stand on different levels, which the page says."""
    model_a, model_b = a.get("model") or {}, b.get("model") or {}
    same = (model_a.get("family"), model_a.get("version")) == (model_b.get("family"), model_b.get("version"))
    return None if same else (model_a, model_b)


@login_required
@require_GET
def compare(request):
    """Two stored diagnoses of the user's scope side by side (?a=ID&b=ID): the key figures and
    each tier's leading bottlenecks, with their differences (b − a)."""
    user = request.user
    _require_reports(user)
    choices = list(diagnoses_in_scope(user)[:COMPARE_CHOICES])
    form = CompareForm(request.GET if "a" in request.GET or "b" in request.GET else None)
    context: dict = {"choices": [(s.pk, _snapshot_label(user, s)) for s in choices], "form": form}
    if form.is_bound and form.is_valid():
        a = access_diagnosis(user, form.cleaned_data["a"])
        b = access_diagnosis(user, form.cleaned_data["b"])
        if a.status != SUCCEEDED or b.status != SUCCEEDED:
            raise Http404("no such diagnosis")
        context.update({
            "a": a, "b": b, "a_label": _snapshot_label(user, a), "b_label": _snapshot_label(user, b),
            "figures": display.compared_figures(a.figures or {}, b.figures or {}),
            "tiers": display.compared_tiers(a.figures or {}, b.figures or {}),
            "selected": (a.pk, b.pk),
            "models": _different_models(a.figures or {}, b.figures or {}),
        })
    elif len(choices) >= 2:
        context["selected"] = (choices[1].pk, choices[0].pk)
    context["index_url"] = reverse("performance:diagnoses")
    return render(request, "performance/compare.html", context)
