"""What competency adds to the site: its menu entry and home cards (see casspath/core/parts.py)."""

from datetime import date
from decimal import Decimal

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from casspath.analytics.requirements import shares
from casspath.competency import queries
from casspath.competency.models import CompetencyModel
from casspath.core.parts import HomeCard, MenuEntry
from casspath.org.queries import StageLookup, my_employee


def my_requirements(user, today: date) -> dict | None:
    """What an employee's stage and grade require in the published model that applies to his
    unit (a city's own model before the province's, as his evidence is measured)."""
    employee = my_employee(user)
    model = queries.model_applying(employee.org_unit) if employee is not None else None
    if employee is None or model is None:
        return None
    stage_code, _years = StageLookup(today).stage(employee.hire_date)
    grade_code = employee.grade.code if employee.grade else None
    # Kept between requests: what a published model requires never changes (only a draft
    # can be edited, actions/common.py), and every manager of a stage and grade asks the same.
    # The publication time in the key too: an id alone may come again after a rollback.
    published = model.published_at.isoformat() if model.published_at else ""
    requirements: list = cache.get_or_set(
        f"competency.requirements:{model.pk}:{published}:{stage_code}:{grade_code}",
        lambda: queries.effective_requirements(model, stage_code, grade_code),
        REQUIREMENTS_KEPT_SECONDS) or []
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


REQUIREMENTS_KEPT_SECONDS = 3600


def recent_models(user, today: date) -> dict:
    """The models the user may read, newest version first per family, archived left out."""
    models = queries.models_for(user).exclude(status=CompetencyModel.Status.ARCHIVED)[:5]
    return {"models": list(models)}


MENU = [MenuEntry(_("Competency model"), "competency:model_list", lambda user: True, order=40)]

HOME_CARDS = [
    HomeCard("requirements", "competency/home/requirements.html", my_requirements, order=20),
    HomeCard("models", "competency/home/models.html", recent_models, order=60),
]
