"""Headcounts of a unit's subtree and of a scope, counted by the database."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, IntegerField, Min, Q, QuerySet, Value, When

from casspath.analytics.tenure import completed_years, tenure_year_bounds
from casspath.org import scopes
from casspath.org.models import Employee, OrgUnit
from casspath.org.queries.tree import root_units
from casspath.org.scopes import Perm


def unit_headcount(unit: OrgUnit) -> dict[str, int]:
    """Active and left employees in the subtree of `unit`."""
    row = Employee.objects.filter(org_unit__path__startswith=unit.path).aggregate(
        active=Count("id", filter=Q(status=Employee.Status.ACTIVE)),
        left=Count("id", filter=Q(status=Employee.Status.LEFT)),
    )
    return {"active": row["active"], "left": row["left"]}


def employees_without_login(unit: OrgUnit) -> int:
    """Active employees in the subtree who have no working login."""
    return (
        Employee.objects.filter(org_unit__path__startswith=unit.path, status=Employee.Status.ACTIVE)
        .filter(Q(user__isnull=True) | Q(user__is_active=False))
        .count()
    )


# ---------------------------------------------------------------- roster figures


@dataclass(frozen=True)
class RosterCounts:
    """Headcounts of a set of employees, grouped by the database (home page figures)."""

    active: int
    left: int
    by_grade: dict[int | None, int]  # active employees per grade id, None for no grade
    by_position: dict[int | None, int]  # active employees per position id
    by_years: dict[int, int]  # active employees already started, per completed year of tenure


def employees_to_count(user, perm: Perm = Perm.VIEW_EMPLOYEES) -> QuerySet[Employee]:
    """`scopes.employees_for(user, perm)`, for grouped counts: the same people, without the
    subtree filter when the user's scope roots hold every root of the tree (the province's
    admin in a one-province company), so that counting them joins no one to his unit."""
    if not scopes.is_unrestricted(user):
        roots = {unit.pk for unit in scopes.scope_roots(user, perm)}
        if not roots or not roots.issuperset(root_units().values_list("pk", flat=True)):
            return scopes.employees_for(user, perm)
    return Employee.objects.all()


def roster_counts(employees: QuerySet[Employee], today: date) -> RosterCounts:
    """Two queries whatever the number of people, and no person's row leaves the database:
    the earliest hire date of the company (the hire_date index), then one grouped count by
    status, grade, position and completed year of tenure on `today`, each year a range of
    hire dates (`tenure_year_bounds`) in a CASE, so that no database computes anyone's
    tenure. The grouped count reads the index on (org_unit, status, hire_date, grade,
    position) only: a city's entries of it for a city's admin."""
    earliest = Employee.objects.aggregate(earliest=Min("hire_date"))["earliest"]
    longest = completed_years(earliest, today) if earliest is not None and earliest <= today else 0
    bounds = tenure_year_bounds(today, longest)
    year = Case(
        When(hire_date__gt=today, then=Value(NOT_STARTED)),  # not started yet: in no year
        *(When(hire_date__gt=bounds[years + 1], then=Value(years)) for years in range(longest)),
        default=Value(longest), output_field=IntegerField(),
    )
    groups = list(employees.order_by().annotate(tenure_year=year)
                  .values("status", "grade_id", "position_id", "tenure_year").annotate(n=Count("*"))
                  .values_list("status", "grade_id", "position_id", "tenure_year", "n"))
    active, left = 0, 0
    by_grade: dict[int | None, int] = {}
    by_position: dict[int | None, int] = {}
    by_years: dict[int, int] = {}
    for status, grade_id, position_id, tenure_year, n in groups:
        if status != Employee.Status.ACTIVE:
            left += n if status == Employee.Status.LEFT else 0
            continue
        active += n
        by_grade[grade_id] = by_grade.get(grade_id, 0) + n
        by_position[position_id] = by_position.get(position_id, 0) + n
        if tenure_year != NOT_STARTED:
            by_years[tenure_year] = by_years.get(tenure_year, 0) + n
    return RosterCounts(active=active, left=left, by_grade=by_grade, by_position=by_position,
                        by_years=by_years)


NOT_STARTED = -1  # the tenure year of someone whose hire date is still to come
