"""What a user's roles reach. The one place that decides it (CONTRACTS.md, roles table).

Every role is bound to an org unit; its reach for a permission is one of:
- SELF: only the user's own employee record;
- TEAM / SCOPE: the subtree of the bound unit (a team lead's unit is his team);
- ATTENDEES: the attendees of the lecturer's own sessions.
The table below is data: a permission absent for a role is refused.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from casspath.core.actors import SystemActor, actor_label
from casspath.core.errors import BilingualError
from casspath.core.prepared import PreparedQuery
from casspath.org.models import Employee, OrgUnit, Role, RoleAssignment
from casspath.org.tree import subtree_q


class Reach(StrEnum):
    SELF = "self"
    TEAM = "team"
    ATTENDEES = "attendees"
    SCOPE = "scope"


class Perm(StrEnum):
    VIEW_EMPLOYEES = "view_employees"
    VIEW_PERSONAL_DATA = "view_personal_data"  # unmasked phone, export personal data
    IMPORT_DATA = "import_data"  # roster, performance, ratings
    EDIT_MODELS = "edit_models"  # competency model, CASS map, process map, products
    REVIEW_CASES = "review_cases"
    AUTHOR_QUESTIONS = "author_questions"
    SEE_REPORTS = "see_reports"  # run diagnosis, see reports
    BUILD_PLANS = "build_plans"
    ISSUE_LOGINS = "issue_logins"
    READ_AUDIT = "read_audit"  # the audit log's rows about units in scope
    READ_MANUALS = "read_manuals"  # lecturer manuals of the product courses (run team sessions)


M, TL, LE, TA, CO, AN = (
    Role.ACCOUNT_MANAGER, Role.TEAM_LEAD, Role.LECTURER,
    Role.TRAINING_ADMIN, Role.CONSULTANT, Role.ANALYST,
)

PERMISSIONS: dict[Perm, dict[Role, Reach]] = {
    Perm.VIEW_EMPLOYEES: {
        M: Reach.SELF, TL: Reach.TEAM, LE: Reach.ATTENDEES,
        TA: Reach.SCOPE, CO: Reach.SCOPE, AN: Reach.SCOPE,
    },
    Perm.VIEW_PERSONAL_DATA: {M: Reach.SELF, TL: Reach.TEAM, TA: Reach.SCOPE},
    Perm.IMPORT_DATA: {TA: Reach.SCOPE},
    Perm.EDIT_MODELS: {TA: Reach.SCOPE, CO: Reach.SCOPE},
    Perm.REVIEW_CASES: {TA: Reach.SCOPE, CO: Reach.SCOPE},
    Perm.AUTHOR_QUESTIONS: {LE: Reach.SELF, TA: Reach.SCOPE, CO: Reach.SCOPE},
    Perm.SEE_REPORTS: {TL: Reach.TEAM, TA: Reach.SCOPE, CO: Reach.SCOPE, AN: Reach.SCOPE},
    Perm.BUILD_PLANS: {M: Reach.SELF, TL: Reach.TEAM, TA: Reach.SCOPE},
    Perm.ISSUE_LOGINS: {TA: Reach.SCOPE},
    Perm.READ_AUDIT: {TA: Reach.SCOPE},
    Perm.READ_MANUALS: {TL: Reach.TEAM, LE: Reach.SCOPE, TA: Reach.SCOPE, CO: Reach.SCOPE},
}

SUBTREE_REACHES = {Reach.TEAM, Reach.SCOPE}


def is_unrestricted(user) -> bool:
    """The system actor (CLI, demo build) and superusers reach the whole tree."""
    return isinstance(user, SystemActor) or bool(getattr(user, "is_superuser", False))


# Read on nearly every request: compiled once per process (core/prepared.py).
_user_bindings = PreparedQuery(
    lambda user_id: RoleAssignment.objects.filter(user_id=user_id).select_related("org_unit").order_by("pk"),
    int)


def _bindings(user) -> list[RoleAssignment]:
    """The user's role bindings with their units, read once per request (kept on the
    request's user object, never beyond: a role taken away counts at the next request)."""
    if not getattr(user, "is_authenticated", False) or isinstance(user, SystemActor):
        return []
    cached = getattr(user, "_casspath_bindings", None)
    if cached is None:
        cached = _user_bindings(user.pk)
        user._casspath_bindings = cached
    return cached


def roles_of(user) -> set[Role]:
    return {Role(binding.role) for binding in _bindings(user)}


def _derived(user, bindings: list[RoleAssignment]) -> dict:
    """What is worked out from the bindings (reaches and roots per permission), kept on the
    user beside them: a page asks several times (its menu, its checks, each row of a list)."""
    memo = getattr(user, "_casspath_derived", None)
    if memo is None or memo[0] is not bindings:
        memo = (bindings, {})
        if getattr(user, "_casspath_bindings", None) is bindings:  # kept on a logged-in user only
            user._casspath_derived = memo
    return memo[1]


def reaches(user, perm: Perm) -> set[Reach]:
    bindings = _bindings(user)
    derived = _derived(user, bindings)
    key = ("reaches", perm)
    if key not in derived:
        table = PERMISSIONS[perm]
        derived[key] = frozenset(table[Role(b.role)] for b in bindings if Role(b.role) in table)
    return set(derived[key])


def has_perm(user, perm: Perm) -> bool:
    """Whether the user holds the permission anywhere (for showing a menu, say)."""
    return is_unrestricted(user) or bool(reaches(user, perm))


def reaches_only_self(user) -> bool:
    """Whether every permission the user's roles grant reaches himself alone: no role reaches
    a team, a scope or attendees (in PERMISSIONS above only the account manager's does; a
    login with no role reaches nobody). Staff and superusers never qualify.

    The rule for long sessions ("keep me signed in on this phone", casspath/site/login.py):
    a phone left signed in for weeks then opens one person's own record, never other
    people's records or personal data. A team lead (his team's phones), a lecturer (his
    attendees), training admins, consultants and analysts (their scope) keep the default
    session age."""
    if not getattr(user, "is_authenticated", False) or is_unrestricted(user):
        return False
    if getattr(user, "is_staff", False):
        return False
    return all(reach == Reach.SELF for perm in Perm for reach in reaches(user, perm))


def bound_units(user) -> list[OrgUnit]:
    """The units the user's roles are bound to (one per binding), from the bindings already
    read for his scopes."""
    return [binding.org_unit for binding in _bindings(user)]


def scope_roots(user, perm: Perm) -> list[OrgUnit]:
    """The units whose subtrees the permission reaches, overlaps removed."""
    bindings = _bindings(user)
    derived = _derived(user, bindings)
    key = ("roots", perm)
    if key not in derived:
        derived[key] = tuple(_roots(bindings, perm))
    return list(derived[key])


def _roots(bindings: list[RoleAssignment], perm: Perm) -> list[OrgUnit]:
    table = PERMISSIONS[perm]
    roots = [b.org_unit for b in bindings if table.get(Role(b.role)) in SUBTREE_REACHES]
    roots.sort(key=lambda unit: len(unit.path))
    kept: list[OrgUnit] = []
    for unit in roots:
        if not any(unit.is_within(outer) for outer in kept):
            kept.append(unit)
    return kept


def _subtree_q(roots: list[OrgUnit], prefix: str = "") -> Q:
    q = Q(pk__in=[])
    for unit in roots:
        q |= subtree_q(unit.path, f"{prefix}path")
    return q


def units_for(user, perm: Perm) -> QuerySet[OrgUnit]:
    """Org units the permission reaches."""
    if is_unrestricted(user):
        return OrgUnit.objects.all()
    return OrgUnit.objects.filter(_subtree_q(scope_roots(user, perm)))


def employees_q(user, perm: Perm) -> Q:
    """The condition on an employee row that the permission reaches him: for a query that
    asks it of the rows it reads already (searching phones among those whose phones the
    user may read) rather than of a subquery listing every such employee."""
    if is_unrestricted(user):
        return Q()
    q = _subtree_q(scope_roots(user, perm), prefix="org_unit__")
    granted = reaches(user, perm)
    if Reach.SELF in granted:
        q |= Q(user_id=user.pk)
    if Reach.ATTENDEES in granted:
        q |= Q(pk__in=attendee_ids(user))
    return q


def employees_for(user, perm: Perm) -> QuerySet[Employee]:
    """Employees the permission reaches: subtrees, plus himself where the reach is SELF."""
    return Employee.objects.filter(employees_q(user, perm))


def attendee_ids(user) -> list[int]:
    """Employees attending the lecturer's own sessions.

    Sessions arrive with the programs app; until then a lecturer has no attendees.
    """
    return []


def unit_in_scope(user, perm: Perm, unit: OrgUnit) -> bool:
    if is_unrestricted(user):
        return True
    return any(unit.is_within(root) for root in scope_roots(user, perm))


def employee_in_scope(user, perm: Perm, employee: Employee) -> bool:
    if is_unrestricted(user):
        return True
    granted = reaches(user, perm)
    if Reach.SELF in granted and employee.user_id is not None and employee.user_id == user.pk:
        return True
    if Reach.ATTENDEES in granted and employee.pk in attendee_ids(user):
        return True
    return unit_in_scope(user, perm, employee.org_unit)


# --- refusals: what every action calls before it writes --------------------------------


class ScopeRefused(BilingualError, PermissionDenied):
    """An action refused for want of a permission or of scope. A PermissionDenied, so pages
    answer 403 and the API its JSON 403; bilingual, so a form shows why."""


PERM_LABELS = {  # (zh, en) of what the permission lets one do, for refusals
    Perm.VIEW_EMPLOYEES: ("查看员工", "view employees"),
    Perm.VIEW_PERSONAL_DATA: ("查看或导出个人信息", "see or export personal data"),
    Perm.IMPORT_DATA: ("导入和修改数据", "import and change data"),
    Perm.EDIT_MODELS: ("编辑技能模型", "edit competency models"),
    Perm.REVIEW_CASES: ("审核案例", "review cases"),
    Perm.AUTHOR_QUESTIONS: ("编写试题", "write questions"),
    Perm.SEE_REPORTS: ("查看报告", "see reports"),
    Perm.BUILD_PLANS: ("制定学习计划", "build learning plans"),
    Perm.ISSUE_LOGINS: ("开通登录账号", "issue logins"),
    Perm.READ_AUDIT: ("查看审计日志", "read the audit log"),
    Perm.READ_MANUALS: ("查看讲师手册", "read lecturer manuals"),
}


def require_perm(acting_user, perm: Perm) -> None:
    """Refuse (ScopeRefused) unless the actor holds `perm` somewhere."""
    if not has_perm(acting_user, perm):
        zh, en = PERM_LABELS[perm]
        raise ScopeRefused(f"{actor_label(acting_user)} 无权{zh}", f"{actor_label(acting_user)} may not {en}")


def require_scope(acting_user, perm: Perm, unit: OrgUnit) -> None:
    """Refuse (ScopeRefused) unless `unit` is within the actor's scope for `perm`: actions
    check it themselves rather than trust every caller (the system actor passes). The
    message names the unit by its code only, which the caller gave: never the name of a
    unit he may not see."""
    if not unit_in_scope(acting_user, perm, unit):
        zh, en = PERM_LABELS[perm]
        raise ScopeRefused(
            f"{unit.code} 不在 {actor_label(acting_user)} {zh}的范围内",
            f"{unit.code} is outside the scope in which {actor_label(acting_user)} may {en}",
        )


@dataclass(frozen=True)
class PermScope:
    """One permission's scope as an object: what a framework below org (the import
    framework's `ImportScope`) is handed, so that it checks scope here without importing org."""

    perm: Perm

    def allows(self, user) -> bool:
        return has_perm(user, self.perm)

    def require(self, user) -> None:
        require_perm(user, self.perm)

    def unrestricted(self, user) -> bool:
        return is_unrestricted(user)

    def reaches_units(self, user, unit_ids: Iterable[int]) -> set[int]:
        """Those of `unit_ids` whose units the permission reaches (one query)."""
        ids = list(unit_ids)
        if is_unrestricted(user):
            return set(ids)
        roots = scope_roots(user, self.perm)
        units = OrgUnit.objects.filter(pk__in=ids).only("id", "path")
        return {unit.pk for unit in units if any(unit.is_within(root) for root in roots)}

    def unit_ids(self, user) -> set[int]:
        return set(units_for(user, self.perm).values_list("id", flat=True))

    def roots(self, user) -> list[dict]:
        return [{"id": unit.pk, "code": unit.code, "name": unit.name, "path": unit.path}
                for unit in scope_roots(user, self.perm)]

    def root_lines(self, user) -> list[list[int]]:
        """Each scope root as the ids from the top of the tree down to it (its path)."""
        return [unit.ancestor_ids() for unit in scope_roots(user, self.perm)]
