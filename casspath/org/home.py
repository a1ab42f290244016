"""org's home cards: a person's own record, a team lead's team, and the roster figures of
an admin's (or analyst's) scope. Each reads through the user's scope; the numbers come from
`casspath.analytics` functions."""

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _

from casspath.analytics.charts import bar_chart, hbar_chart
from casspath.analytics.roster import (
    headcount_by_counts,
    rollup_counts,
    stage_counts_by_years,
    tenure_histogram_by_years,
    top_counts,
)
from casspath.org import figures as kept_figures
from casspath.org import queries as org_queries
from casspath.org import scopes
from casspath.org.models import Employee, Grade, Position, Role
from casspath.org.scopes import Perm
from casspath.org.tree import subtree_q

TOP_UNITS = 10
TEAM_LIST_LIMIT = 50


def me(user, today: date) -> dict | None:
    """An employee's own figures: stage, grade, tenure, position."""
    employee = org_queries.my_employee(user)
    if employee is None:
        return None
    lookup = org_queries.StageLookup(today)
    stage_code, years = lookup.stage(employee.hire_date)
    return {"employee": employee, "stage_code": stage_code, "stage": lookup.name(stage_code),
            "tenure_years": years}


def roster(user, today: date) -> dict | None:
    """Headcount of the user's scope by stage, grade, position, top unit and tenure year.

    Counted by the database, grouped (`org_queries.roster_counts`, `child_headcounts`), and
    kept under the roster's version (org/figures.py): counted again after any write to the
    roster or the tree, read from the cache while nothing changed, so that the page costs
    the same in a company of 100,000 as in a city. Stage, grade and position names after.
    """
    if not (scopes.is_unrestricted(user) or scopes.scope_roots(user, Perm.VIEW_EMPLOYEES)):
        return None
    lookup = org_queries.StageLookup(today)
    figures, (top, other_units), n_units = kept_figures.kept(
        "roster", user, today, lambda: _scope_figures(user, today))
    counts = stage_counts_by_years(figures.by_years, lookup.bounds)
    stage_labels = [lookup.name(code) for code in counts]

    grades = {grade.pk: grade.local_name for grade in Grade.objects.all()}
    by_grade = [(grades.get(key, _("No grade")) if key else _("No grade"), n)
                for key, n in headcount_by_counts(figures.by_grade, order=list(grades))]
    positions = {position.pk: position.local_name for position in Position.objects.all()}
    by_position = [(positions.get(key, "") if key else _("No position"), n)
                   for key, n in headcount_by_counts(figures.by_position, order=list(positions)) if n]

    units = org_queries.units_by_path(path for path, _n in top)
    by_unit = [(units[path], n) for path, n in top if path in units]
    histogram = tenure_histogram_by_years(figures.by_years)
    headcount = _("Headcount")
    return {
        "active": figures.active,
        "left": figures.left,
        "units": n_units,
        "by_stage": list(zip(stage_labels, counts.values(), strict=True)),
        "stage_chart": bar_chart(stage_labels, list(counts.values()), series_name=headcount),
        "by_grade": by_grade,
        "grade_chart": bar_chart([label for label, _n in by_grade], [n for _label, n in by_grade],
                                 series_name=headcount),
        "by_position": by_position,
        "by_unit": by_unit,
        "other_units": other_units,
        "unit_chart": hbar_chart([unit.name for unit, _n in by_unit], [n for _unit, n in by_unit],
                                 series_name=headcount) if by_unit else None,
        "tenure_chart": bar_chart(
            [_("%(years)s y") % {"years": year} for year in histogram], list(histogram.values()),
            series_name=headcount) if histogram else None,
    }


ScopeFigures = tuple[org_queries.RosterCounts, tuple[list[tuple[str, int]], int], int]


def _scope_figures(user, today: date) -> ScopeFigures:
    """What `roster` counts over the whole scope: the grouped headcounts, the top units by
    path (and the number of others) and the number of units."""
    return (org_queries.roster_counts(org_queries.employees_to_count(user), today), _by_top_unit(user),
            scopes.units_for(user, Perm.VIEW_EMPLOYEES).count())


def _by_top_unit(user) -> tuple[list[tuple[str, int]], int]:
    """Headcount per unit one level below the user's scope root (per root when he has
    several): a city admin sees his districts, the province its cities. One grouped query."""
    if scopes.is_unrestricted(user):
        roots = list(org_queries.root_units())
    else:
        roots = scopes.scope_roots(user, Perm.VIEW_EMPLOYEES)
    # Everyone in a scope root's subtree is in scope: the roots say whom to count.
    by_prefix = org_queries.child_headcounts(roots)
    counts: dict[str, int] = {}
    if len(roots) == 1:
        counts = rollup_counts(by_prefix, roots[0].path)
    else:
        for root in roots:
            total = sum(rollup_counts(by_prefix, root.path).values())
            if total:
                counts[root.path] = total
    return top_counts(counts, TOP_UNITS)


def team(user, today: date) -> dict | None:
    """A team lead's people: the units he leads, each member with stage and grade."""
    if Role.TEAM_LEAD not in scopes.roles_of(user):
        return None
    team_units = [b.org_unit for b in org_queries.role_bindings_of(user).filter(role=Role.TEAM_LEAD)]
    in_teams = Q(pk__in=[])
    for unit in team_units:
        in_teams |= subtree_q(unit.path, "org_unit__path")
    members = org_queries.employees_visible(user).filter(in_teams, status=Employee.Status.ACTIVE)
    rows = org_queries.employee_rows(user, members[:TEAM_LIST_LIMIT], lookup=org_queries.StageLookup(today))
    return {"units": team_units, "rows": rows, "count": members.count()}
