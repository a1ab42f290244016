"""What competency adds to the site: its menu entry and home cards (see casspath/core/parts.py)."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from casspath.analytics.requirements import shares
from casspath.competency import queries
from casspath.competency.models import CompetencyModel
from casspath.core.parts import HomeCard, MenuEntry
from casspath.org.queries import StageLookup, my_employee


def my_requirements(user, today: date) -> dict | None:
    """What an employee's stage and grade require in the published model."""
    employee = my_employee(user)
    model = queries.current_model() if employee is not None else None
    if employee is None or model is None:
        return None
    stage_code, _years = StageLookup(today).stage(employee.hire_date)
    requirements = queries.effective_requirements(
        model, stage_code, employee.grade.code if employee.grade else None)
    weights = [r.weight for r in requirements]
    total = sum(weights, Decimal(0))
    return {
        "model": model,
        "requirements": requirements,
        # The larger of two weights per dimension (CONTRACTS.md) adds up past 100 % when both
        # the stage and the grade set one: the card then says why, with each one's share.
        "rows": list(zip(requirements, shares(weights), strict=True)),
        "total_weight": total,
        "weights_past_hundred": total > 100,
    }


def recent_models(user, today: date) -> dict:
    """The models the user may read, newest version first per family, archived left out."""
    models = queries.models_for(user).exclude(status=CompetencyModel.Status.ARCHIVED)[:5]
    return {"models": list(models)}


MENU = [MenuEntry(_("Competency model"), "competency:model_list", lambda user: True, order=40)]

HOME_CARDS = [
    HomeCard("requirements", "competency/home/requirements.html", my_requirements, order=20),
    HomeCard("models", "competency/home/models.html", recent_models, order=60),
]
