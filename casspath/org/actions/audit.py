"""Exporting the audit log: the rows the actor may read, as .xlsx or .csv, itself audited."""

import json
from pathlib import PurePath

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from casspath.core import audit
from casspath.core.errors import BilingualError
from casspath.core.spreadsheets import append_row, csv_bytes, new_workbook, xlsx_bytes
from casspath.org import scopes
from casspath.org.audit_verbs import OrgVerb
from casspath.org.queries import AuditFilters, audit_events_for
from casspath.org.scopes import Perm

# An export is read into memory and sent in one response: past this, narrow the filters.
AUDIT_EXPORT_LIMIT = 100_000
HEADER = ["时间 time", "操作人 actor", "操作 action", "对象类型 object type", "对象 id object id",
          "单位 unit", "摘要 summary", "变更 changes"]


class AuditExportRefused(BilingualError):
    """An export of the audit log that cannot be made as asked."""


COLUMNS = ("created_at", "actor_label", "verb", "object_type", "object_id", "org_unit_id", "summary",
           "summary_i18n", "changes")


def _rows(events: list[tuple], units: dict[int, str]):
    """The header, then a row per event: action, object type and summary in the reader's
    language (as the page shows them), the stored codes beside the first two."""
    yield HEADER
    verbs: dict[str, str] = {}
    types: dict[str, str] = {}
    for at, actor, verb, object_type, object_id, unit_id, summary, summary_i18n, changes in events:
        if verb not in verbs:
            verbs[verb] = f"{audit.verb_label(verb)} ({verb})"
        if object_type and object_type not in types:
            types[object_type] = f"{audit.object_type_label(object_type)} ({object_type})"
        yield [f"{timezone.localtime(at):%Y-%m-%d %H:%M:%S}", actor, verbs[verb],
               types.get(object_type, ""), object_id, units.get(unit_id, ""),
               audit.shown_summary(summary, summary_i18n),
               json.dumps(changes, ensure_ascii=False) if changes else ""]


@transaction.atomic
def do_export_audit(filters: AuditFilters, filename: str, *, acting_user) -> bytes:
    """The audit rows `acting_user` may read that match `filters` (newest first, at most
    AUDIT_EXPORT_LIMIT), in the format of `filename`'s suffix; one audit row of its own.
    Phones and e-mails in `changes` were masked when the rows were written."""
    scopes.require_perm(acting_user, Perm.READ_AUDIT)
    suffix = PurePath(filename).suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise AuditExportRefused("审计日志只能导出为 .xlsx 或 .csv 文件",
                                 "the audit log exports to .xlsx or .csv only")
    # Tuples, not model instances: a hundred thousand rows stay a few dozen megabytes.
    events = list(audit_events_for(acting_user, filters).values_list(*COLUMNS)[:AUDIT_EXPORT_LIMIT + 1])
    if len(events) > AUDIT_EXPORT_LIMIT:
        raise AuditExportRefused(
            f"符合条件的审计记录超过 {AUDIT_EXPORT_LIMIT} 条，请缩小日期范围或增加筛选条件后再导出",
            f"more than {AUDIT_EXPORT_LIMIT} audit rows match: narrow the dates or add a filter to export",
        )
    units = {unit.pk: f"{unit.code} {unit.name}"
             for unit in scopes.units_for(acting_user, Perm.READ_AUDIT).filter(
                 pk__in={event[5] for event in events if event[5]})}
    if suffix == ".csv":
        data = csv_bytes(_rows(events, units))
    else:
        workbook = new_workbook(write_only=True)
        sheet = workbook.create_sheet("audit")
        for row in _rows(events, units):
            append_row(sheet, row)
        data = xlsx_bytes(workbook)
    roots = scopes.scope_roots(acting_user, Perm.READ_AUDIT)
    name = PurePath(filename).name
    audit.record(acting_user, OrgVerb.EXPORT_AUDIT,
                 summary=audit.phrase(gettext_noop("%(count)s rows → %(file)s"), count=len(events),
                                      file=name),
                 changes={"filters": filters.as_params(), "rows": len(events), "file": name},
                 unit=roots[0] if len(roots) == 1 else None)
    return data
