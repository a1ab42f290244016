"""The home page's figures, per role. Each figure is read through the user's scope."""

from django.utils import timezone
from django.utils.translation import gettext as _

from casspath.analytics.charts import bar_chart
from casspath.analytics.roster import stage_counts
from casspath.competency.models import CompetencyModel
from casspath.competency.queries import stage_bounds, stages_by_code
from casspath.core.actors import SystemActor
from casspath.org import scopes
from casspath.org.models import Employee


def home_context(user) -> dict:
    today = timezone.localdate()
    context: dict = {"today": today}
    employee = Employee.objects.filter(user_id=user.pk).select_related(
        "org_unit", "position", "grade"
    ).first() if not isinstance(user, SystemActor) else None
    context["me"] = employee
    if scopes.has_perm(user, scopes.Perm.VIEW_EMPLOYEES):
        visible = scopes.employees_for(user, scopes.Perm.VIEW_EMPLOYEES)
        active = visible.filter(status=Employee.Status.ACTIVE)
        hire_dates = list(active.values_list("hire_date", flat=True))
        bounds = stage_bounds()
        counts = stage_counts(hire_dates, today, bounds)
        names = stages_by_code()
        labels = [names[code].name if code in names else code for code in counts]
        context["roster"] = {
            "active": len(hire_dates),
            "left": visible.filter(status=Employee.Status.LEFT).count(),
            "units": scopes.units_for(user, scopes.Perm.VIEW_EMPLOYEES).count()
            if scopes.scope_roots(user, scopes.Perm.VIEW_EMPLOYEES) or scopes.is_unrestricted(user)
            else 0,
            "by_stage": list(zip(labels, counts.values(), strict=True)),
            "stage_chart": bar_chart(labels, list(counts.values()), series_name=_("Headcount")),
        }
    context["models"] = CompetencyModel.objects.filter(
        status__in=[CompetencyModel.Status.PUBLISHED, CompetencyModel.Status.DRAFT]
    ).select_related("org_unit")[:5]
    context["roles"] = sorted(scopes.roles_of(user))
    return context
