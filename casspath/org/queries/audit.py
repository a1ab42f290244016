"""The audit log as a user may read it: the rows about units of his READ_AUDIT scope,
filtered, by keyset pages."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from casspath.core import audit
from casspath.core.models import AuditEvent
from casspath.org import scopes
from casspath.org.models import OrgUnit
from casspath.org.queries.employees import FilterError
from casspath.org.scopes import Perm
from casspath.org.tree import subtree_end

AUDIT_PAGE_SIZE = 50
AUDIT_FILTER_KEYS = ("actor", "verb", "object_type", "object_id", "since", "until")


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""  # the actor's label: his username, or "cli:root"
    verb: str = ""
    object_type: str = ""
    object_id: str = ""
    since: date | None = None  # local dates, both ends included
    until: date | None = None

    def as_params(self) -> dict[str, str]:
        params = {key: getattr(self, key) for key in AUDIT_FILTER_KEYS}
        return {key: str(value) for key, value in params.items() if value}


def parse_audit_filters(params: Mapping[str, str]) -> tuple[AuditFilters, list[FilterError]]:
    """Filters of the audit page from URL parameters; a bad date is reported and ignored.
    Texts match exactly: each is an indexed column, and a substring search would read every
    row of a log that grows by millions."""
    errors: list[FilterError] = []
    raw = {key: (params.get(key) or "").strip()[:150] for key in AUDIT_FILTER_KEYS}
    values: dict = {key: raw[key] for key in ("actor", "verb", "object_type", "object_id")}
    for key, zh, en in (("since", "起始日期", "from date"), ("until", "截止日期", "to date")):
        if not raw[key]:
            continue
        try:
            values[key] = date.fromisoformat(raw[key])
        except ValueError:
            errors.append(FilterError(
                key, raw[key], f"{zh}“{raw[key]}”不是 YYYY-MM-DD 格式的日期",
                f"{en} '{raw[key]}' is not a date as YYYY-MM-DD"))
    return AuditFilters(**values), errors


def audit_filter_choices(filters: AuditFilters) -> dict[str, list[tuple[str, str]]]:
    """The options of the audit page's selects, (stored value, label in the reader's language)
    by label: every declared verb and object type, and a value from an older link that is
    no longer one of them (kept, so the filter shown is the filter applied)."""
    verbs = [(value, str(verb.label)) for value, verb in audit.declared_verbs().items()]
    types = [(value, str(audit.object_type_label(value))) for value in audit.audited_object_types()]
    for options, current in ((verbs, filters.verb), (types, filters.object_type)):
        if current and current not in {value for value, _label in options}:
            options.append((current, current))
    return {"verbs": sorted(verbs, key=lambda option: option[1]),
            "object_types": sorted(types, key=lambda option: option[1])}


def audit_scope_q(user) -> Q:
    """The audit rows `user` may read: those about a unit in his READ_AUDIT scope. A row
    about no unit (a password change, a purge) only unrestricted users see."""
    if scopes.is_unrestricted(user):
        return Q()
    q = Q(pk__in=[])
    for root in scopes.scope_roots(user, Perm.READ_AUDIT):
        q |= Q(org_unit_path__gte=root.path, org_unit_path__lt=subtree_end(root.path))
    return q


def audit_events_for(user, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """The rows `user` may read that match `filters`, newest first."""
    rows = AuditEvent.objects.filter(audit_scope_q(user))
    for key in ("actor", "verb", "object_type", "object_id"):
        value = getattr(filters, key)
        if value:
            rows = rows.filter(**{"actor_label" if key == "actor" else key: value})
    zone = timezone.get_current_timezone()
    if filters.since:
        rows = rows.filter(created_at__gte=datetime.combine(filters.since, time.min, tzinfo=zone))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time.min, tzinfo=zone)
        rows = rows.filter(created_at__lt=end)
    return rows.order_by("-created_at", "-id")


@dataclass
class AuditPage:
    rows: list[AuditEvent]
    units: dict[int, OrgUnit]  # the units the rows name, by id (units since deleted are absent)
    next_cursor: int | None  # the id to pass as `before` for the next (older) page
    first: bool


def audit_page(user, filters: AuditFilters, *, before: str | None = None,
               size: int = AUDIT_PAGE_SIZE) -> AuditPage:
    """One page of the audit log by keyset (older than the row `before`), never a COUNT or
    an OFFSET: the page costs the same on the first page of millions of rows as on the last."""
    rows = audit_events_for(user, filters)
    cursor = None
    if before and before.isdigit():
        cursor = rows.filter(pk=int(before)).values_list("created_at", "pk").first()
    if cursor is not None:
        at, pk = cursor
        rows = rows.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk))
    found = list(rows[: size + 1])
    shown = found[:size]
    unit_ids = {row.org_unit_id for row in shown if row.org_unit_id}
    return AuditPage(
        rows=shown,
        units=OrgUnit.objects.in_bulk(unit_ids) if unit_ids else {},
        next_cursor=shown[-1].pk if len(found) > size else None,
        first=cursor is None,
    )
