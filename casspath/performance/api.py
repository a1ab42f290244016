"""The diagnosis API: POST /api/v1/performance/diagnoses {unit, from, to} queues a diagnosis
of a unit (a background job); GET .../diagnoses/{id} follows it and gives the figures when
done; GET .../diagnoses/{id}/report?format=pdf downloads it as a file (report.FORMATS: the
client's report as .pdf or .html, the figures as .xlsx or .json; the PDF is printed in the
background once per diagnosis and kept: 202 with its job's status until it is, then 200 with
the file; POST .../report?format=pdf prepares it again after a failure); GET .../diagnoses?unit=CODE
lists a unit's stored snapshots; POST .../{id}/cancel stops one; GET .../{id}/tiers/{tier}/members
pages through a tier's people as the tier's page does. The same 404 for a unit or diagnosis
that is absent and one that is not the caller's."""

from datetime import date, datetime

from django.http import Http404, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from casspath.api.auth import api_user
from casspath.api.cursors import cursor_field, cursor_keys
from casspath.api.errors import ApiError, ErrorOut
from casspath.api.schemas import JobOut, job_fields
from casspath.core import jobs, paging
from casspath.core.errors import InvalidTransition
from casspath.org import queries as org_queries
from casspath.org.scopes import Perm, has_perm
from casspath.performance import display
from casspath.performance.access import access_diagnosis, access_unit_performance, unit_diagnoses
from casspath.performance.actions import (
    BACKGROUND_FORMATS,
    ReportNotReady,
    do_cancel_diagnosis,
    do_export_diagnosis,
    do_queue_diagnosis,
    do_request_report,
    latest_report,
)
from casspath.performance.diagnosis import DiagnosisError, parse_period
from casspath.performance.models import DiagnosisMember, DiagnosisReport, DiagnosisSnapshot
from casspath.performance.queries import MEMBER_PAGE_SIZE, newest_first_page, tier_members
from casspath.performance.report import CONTENT_TYPES, FORMATS, snapshot_filename

router = Router(tags=["performance"])


class DiagnosisIn(Schema):
    unit: str
    first: str | None = Field(None, alias="from", description="First month, YYYY-MM")
    last: str | None = Field(None, alias="to", description="Last month, YYYY-MM")


class DiagnosisOut(JobOut):
    unit: str
    first_month: date
    last_month: date
    model_version: int | None
    created_at: datetime
    created_by: str = Field(description="Who ran it, by name as the page names him ('command line' for a "
                                        "command-line run)")
    created_by_username: str | None = Field(description="His login; null for a command-line run or a "
                                                        "deleted login")
    figures: dict | None


def _run_by(snapshot: DiagnosisSnapshot) -> dict:
    user = snapshot.created_by
    return {"created_by": str(display.run_by(user, snapshot.created_by_label)),
            "created_by_username": user.get_username() if user is not None else None}


def _out(snapshot: DiagnosisSnapshot) -> dict:
    return {
        **job_fields(snapshot), "unit": snapshot.org_unit.code, "first_month": snapshot.first_month,
        "last_month": snapshot.last_month, "model_version": snapshot.model_version,
        "created_at": snapshot.created_at, **_run_by(snapshot),
        "figures": snapshot.figures,
    }


def _may_diagnose(user) -> None:
    if not has_perm(user, Perm.SEE_REPORTS):
        raise ApiError(403, "您无权运行诊断或查看报表", "You may not run diagnoses or see reports")


def _unit(user, code: str):
    _may_diagnose(user)
    try:
        return access_unit_performance(user, code)
    except Http404:
        raise ApiError(404, f"未找到单位 {code}", f"No such unit: {code}") from None


def _diagnosis(user, diagnosis_id: int) -> DiagnosisSnapshot:
    _may_diagnose(user)
    try:
        return access_diagnosis(user, diagnosis_id)
    except Http404:
        raise ApiError(404, "未找到该诊断", "No such diagnosis") from None


def _cursor(salt: str, cursor: str | None) -> tuple[int | None, int | None]:
    after, before = cursor_keys(salt, cursor)
    # Signed by this site with this salt: an id, as handed out.
    return (None if after is None else int(after)), (None if before is None else int(before))


@router.post("/diagnoses", response={201: DiagnosisOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def queue_diagnosis(request, body: DiagnosisIn):
    """Queue a diagnosis of a unit over a month range (without from/to: the last 12 months
    that have data); follow it with GET /diagnoses/{id}."""
    user = api_user(request)
    unit = _unit(user, body.unit)
    try:
        period = parse_period(unit, body.first, body.last)
        snapshot = do_queue_diagnosis(unit, period, acting_user=user)
    except DiagnosisError as refused:
        raise ApiError(422, refused.message_zh, refused.message_en) from None
    jobs.enqueue(snapshot)
    snapshot.refresh_from_db()
    return Status(201, _out(snapshot))


class DiagnosisListedOut(Schema):
    id: int
    unit: str
    unit_name: str
    first_month: date
    last_month: date
    model_version: int | None
    status: str
    percent: int
    headcount: int | None = Field(description="Managers counted; null until it has succeeded")
    gini: float | None
    created_at: datetime
    created_by: str = Field(description="Who ran it, by name as the page names him ('command line' for a "
                                        "command-line run)")
    created_by_username: str | None = Field(description="His login; null for a command-line run or a "
                                                        "deleted login")
    finished_at: datetime | None


class DiagnosisPageOut(Schema):
    page_size: int
    next_cursor: str | None = Field(description="Pass as cursor for the next (older) page; null on the last")
    previous_cursor: str | None = Field(description="Pass as cursor for the previous page; null on the first")
    items: list[DiagnosisListedOut]


MAX_DIAGNOSIS_PAGE_SIZE = 100
DIAGNOSES_CURSOR_SALT = "casspath.performance.api.diagnoses"


class DiagnosesIn(Schema):
    unit: str
    cursor: str | None = cursor_field()
    page_size: int = Field(50, ge=1, le=MAX_DIAGNOSIS_PAGE_SIZE)


@router.get("/diagnoses", response={200: DiagnosisPageOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                                    422: ErrorOut})
def list_diagnoses(request, params: Query[DiagnosesIn]):
    """The diagnoses of a unit and of the units below it whose reports you may see, whatever
    their status, newest first, `page_size` at a time (follow `next_cursor`): the list the
    unit's page shows. Without the figures (tens of kilobytes each): GET /diagnoses/{id}."""
    user = api_user(request)
    unit = _unit(user, params.unit)
    after, before = _cursor(DIAGNOSES_CURSOR_SALT, params.cursor)
    page = newest_first_page(unit_diagnoses(user, unit), size=params.page_size, after=after,
                             before=None if after else before)
    return {
        "page_size": params.page_size,
        **paging.cursor_links(DIAGNOSES_CURSOR_SALT, page.next_key, page.previous_key),
        "items": [{"id": s.pk, "unit": s.org_unit.code, "unit_name": s.org_unit.name,
                   "first_month": s.first_month, "last_month": s.last_month, "model_version": s.model_version,
                   "status": s.status, "percent": s.percent, "headcount": s.headcount, "gini": s.gini,
                   "created_at": s.created_at, **_run_by(s), "finished_at": s.finished_at}
                  for s in page.rows],
    }


@router.get("/diagnoses/{int:diagnosis_id}", response={200: DiagnosisOut, 403: ErrorOut, 404: ErrorOut})
def get_diagnosis(request, diagnosis_id: int):
    """A diagnosis's status and progress, and its figures once it has succeeded."""
    return _out(_diagnosis(api_user(request), diagnosis_id))


class ReportOut(JobOut):
    """A report printed in the background (the PDF): poll `url` until `status` is succeeded.
    Its `phase` is drawing, printing or storing while it runs."""

    diagnosis: int
    format: str
    created_at: datetime
    url: str = Field(description="Where to GET the file: 200 with it once printed, 202 with this until then")


# Seconds a client waits before asking again for a report being printed (Retry-After).
REPORT_RETRY_AFTER = 2


def _report_out(request, job: DiagnosisReport) -> dict:
    url = request.build_absolute_uri(request.path) + f"?format={job.format}"
    return {**job_fields(job), "diagnosis": job.snapshot_id, "format": job.format,
            "created_at": job.created_at, "url": url}


def _accepted(request, response, job: DiagnosisReport):
    response["Retry-After"] = str(REPORT_RETRY_AFTER)
    return Status(202, _report_out(request, job))


def _succeeded_snapshot(user, diagnosis_id: int, format: str) -> DiagnosisSnapshot:  # noqa: A002
    snapshot = _diagnosis(user, diagnosis_id)
    if format not in FORMATS:
        raise ApiError(422, f"格式须为 {'、'.join(FORMATS)} 之一",
                       f"The format must be one of {', '.join(FORMATS)}")
    if snapshot.figures is None:
        raise ApiError(409, "该诊断尚未完成或已失败，没有可下载的报告。",
                       "The diagnosis has not succeeded (yet): there is no report to download.")
    return snapshot


@router.get("/diagnoses/{int:diagnosis_id}/report",
            response={200: None, 202: ReportOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut})
def diagnosis_report(request, response: HttpResponse, diagnosis_id: int,
                     format: str = "pdf"):  # noqa: A002 (the query's name)
    """A succeeded diagnosis as a file: format=pdf (default) or html, the report for the client
    in Chinese (one self-contained file); xlsx or json, the figures.

    The PDF is printed in the background, once per diagnosis, and kept. The first GET queues
    its printing; until the file is ready the answer is **202** with the job's status
    (ReportOut: status, phase, percent) and a Retry-After header: GET again until the answer
    is **200** with the file. Asking again, or many clients at once, queues one job. When
    the printing failed the answer is **409** with its reason: POST to the same URL prints it
    again. Every file sent is audited as an export."""
    user = api_user(request)
    snapshot = _succeeded_snapshot(user, diagnosis_id, format)
    if format in BACKGROUND_FORMATS:
        job = latest_report(snapshot, format)
        if job is None:
            job = do_request_report(snapshot, format, acting_user=user)
            job.refresh_from_db()  # a worker may have printed it already
        if job.status == DiagnosisReport.Status.FAILED:
            raise ApiError(409, f"PDF 报告生成失败：{job.error_zh} 请用 POST 重新生成。",
                           f"The PDF report could not be printed: {job.error_en} POST to this URL to print "
                           "it again.")
        if job.status != DiagnosisReport.Status.SUCCEEDED:
            return _accepted(request, response, job)
    try:
        # Through the action, as the page's downloads: an export of figures is audited.
        data = do_export_diagnosis(snapshot, format, acting_user=user)
    except ReportNotReady:  # printed and gone meanwhile: cannot happen but by a race
        return _accepted(request, response, do_request_report(snapshot, format, acting_user=user))
    answer = HttpResponse(data, content_type=CONTENT_TYPES[format])
    answer["Content-Disposition"] = f'attachment; filename="{snapshot_filename(snapshot, format)}"'
    return answer


@router.post("/diagnoses/{int:diagnosis_id}/report",
             response={202: ReportOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut})
def prepare_diagnosis_report(request, response: HttpResponse, diagnosis_id: int,
                             format: str = "pdf"):  # noqa: A002 (the query's name)
    """Print a diagnosis's PDF in the background (format=pdf, the one format printed so): the
    job queued, running or done already, else a new one (after a failure, a retry). 202 with
    its status; GET the same URL for the file."""
    user = api_user(request)
    snapshot = _succeeded_snapshot(user, diagnosis_id, format)
    if format not in BACKGROUND_FORMATS:
        raise ApiError(422, "只有 PDF 在后台生成；其他格式可直接下载。",
                       "Only the PDF is printed in the background: GET the other formats directly.")
    job = do_request_report(snapshot, format, acting_user=user)
    job.refresh_from_db()
    return _accepted(request, response, job)


@router.post("/diagnoses/{int:diagnosis_id}/cancel",
             response={200: DiagnosisOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def cancel_diagnosis(request, diagnosis_id: int):
    """Stop a queued or running diagnosis: nothing of it is stored."""
    user = api_user(request)
    snapshot = _diagnosis(user, diagnosis_id)
    try:
        cancelled = do_cancel_diagnosis(snapshot, acting_user=user)
    except InvalidTransition as finished:
        raise ApiError(409, finished.message_zh, finished.message_en) from None
    cancelled.org_unit = snapshot.org_unit
    return _out(cancelled)


class TierMemberOut(Schema):
    employee_no: str
    name: str
    org_unit_code: str
    org_unit_name: str
    tier: str
    period_output: float = Field(description="Mean output a month over the period, excluding big deals "
                                             "(what the tiers are cut by), yuan")
    phone: str = Field(description="Masked (139****5678) unless you may read personal data")
    personal_data_masked: bool


class TierMemberPageOut(Schema):
    count: int = Field(description=f"Members you may see: exact when count_exact, else {paging.COUNT_CAP}")
    count_exact: bool
    page_size: int
    next_cursor: str | None = Field(description="Pass as cursor for the next page; null on the last")
    previous_cursor: str | None = Field(description="Pass as cursor for the previous page; null on the first")
    items: list[TierMemberOut]


MAX_MEMBER_PAGE_SIZE = 200
MEMBERS_CURSOR_SALT = "casspath.performance.api.tier_members"


class TierMembersIn(Schema):
    cursor: str | None = cursor_field()
    page_size: int = Field(MEMBER_PAGE_SIZE, ge=1, le=MAX_MEMBER_PAGE_SIZE)


@router.get("/diagnoses/{int:diagnosis_id}/tiers/{tier}/members",
            response={200: TierMemberPageOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                      422: ErrorOut})
def list_tier_members(request, diagnosis_id: int, tier: str, params: Query[TierMembersIn]):
    """The people of a tier (high, middle, low) of a succeeded diagnosis whom you may see as
    employees, highest output first, `page_size` at a time: follow `next_cursor` (keyset, the
    same cost at any depth). The same query and scope as the tier's page; phones masked unless
    you may read personal data."""
    user = api_user(request)
    snapshot = _diagnosis(user, diagnosis_id)
    if tier not in DiagnosisMember.Tier.values:
        raise ApiError(404, f"没有层级 {tier}：应为 high、middle 或 low",
                       f"No tier {tier}: it is high, middle or low")
    if snapshot.figures is None:
        raise ApiError(409, "该诊断尚未完成或已失败，没有分层。",
                       "The diagnosis has not succeeded (yet): it has no tiers.")
    after, before = _cursor(MEMBERS_CURSOR_SALT, params.cursor)
    page = tier_members(user, snapshot, tier, after=after, before=None if after else before,
                        size=params.page_size)
    rows = org_queries.employee_rows(user, [member.employee for member in page.members])
    return {
        "count": page.count.value, "count_exact": page.count.exact, "page_size": params.page_size,
        **paging.cursor_links(MEMBERS_CURSOR_SALT, page.next_key, page.previous_key),
        "items": [{"employee_no": row.employee.employee_no, "name": row.employee.name,
                   "org_unit_code": row.employee.org_unit.code, "org_unit_name": row.employee.org_unit.name,
                   "tier": member.tier, "period_output": member.period_output, "phone": row.phone,
                   "personal_data_masked": not row.personal_visible}
                  for member, row in zip(page.members, rows, strict=True)],
    }
