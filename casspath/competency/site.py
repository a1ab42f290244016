"""What competency adds to the site: its menu entry and home cards (see casspath/core/parts.py)."""

from datetime import date

from django.utils.translation import gettext_lazy as _

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
    return {
        "model": model,
        "requirements": queries.effective_requirements(
            model, stage_code, employee.grade.code if employee.grade else None),
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
