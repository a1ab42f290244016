"""The audit page: a training admin reads and exports the audit rows about his units.

It lives in org, not core: core keeps the log but cannot know scopes (org/queries/audit.py reads
core's AuditEvent through the viewer's scope)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from casspath.core import audit
from casspath.org import queries, scopes
from casspath.org.actions.audit import AuditExportRefused, do_export_audit
from casspath.org.scopes import Perm

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class AuditRow:
    """A row as the page shows it: action, object type and summary in the reader's language."""

    def __init__(self, event, unit):
        self.event, self.unit = event, unit
        self.verb_label = audit.verb_label(event.verb)
        self.object_type_label = audit.object_type_label(event.object_type) if event.object_type else ""
        self.summary = audit.shown_summary(event.summary, event.summary_i18n)


def _require_audit(user) -> None:
    if not scopes.has_perm(user, Perm.READ_AUDIT):
        raise PermissionDenied


@login_required
@require_GET
def audit_log(request):
    _require_audit(request.user)
    filters, errors = queries.parse_audit_filters(request.GET)
    page = queries.audit_page(request.user, filters, before=request.GET.get("before"))
    params = filters.as_params()
    return render(request, "org/audit_log.html", {
        "page": page,
        "rows": [AuditRow(row, page.units.get(row.org_unit_id) if row.org_unit_id is not None else None)
                 for row in page.rows],
        "filters": filters,
        "choices": queries.audit_filter_choices(filters),
        "filter_errors": errors,
        "query": urlencode(params),
        "filtered": bool(params),
    })


@login_required
@require_GET
def audit_export(request, fmt: str):
    _require_audit(request.user)
    if fmt not in CONTENT_TYPES:
        raise Http404("no such format")
    filters, _errors = queries.parse_audit_filters(request.GET)
    filename = f"casspath-audit-{timezone.localdate():%Y%m%d}.{fmt}"
    try:
        data = do_export_audit(filters, filename, acting_user=request.user)
    except AuditExportRefused as refused:
        messages.error(request, refused.both())
        query = urlencode(filters.as_params())
        return redirect(reverse("org:audit_log") + (f"?{query}" if query else ""))
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
