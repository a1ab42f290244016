from datetime import date

from django.conf import settings

from casspath.analytics.tenure import StageBounds, stage_on, validate_bounds
from casspath.competency.models import CompetencyModel, Stage


def stage_bounds() -> StageBounds:
    """Stage bounds as configured in the Stage table, else the settings default."""
    rows = list(Stage.objects.order_by("min_years").values_list("code", "min_years", "max_years"))
    bounds = rows or settings.CASSPATH["DEFAULT_STAGE_BOUNDS"]
    validate_bounds(bounds)
    return bounds


def stages_by_code() -> dict[str, Stage]:
    return {stage.code: stage for stage in Stage.objects.all()}


def stage_of(hire_date: date, on: date, bounds: StageBounds | None = None) -> str | None:
    if hire_date > on:
        return None
    return stage_on(hire_date, on, bounds or stage_bounds())


def current_model(family: str = "default") -> CompetencyModel | None:
    """The published version of a model family, if any."""
    return (
        CompetencyModel.objects.filter(family=family, status=CompetencyModel.Status.PUBLISHED)
        .order_by("-version")
        .first()
    )
