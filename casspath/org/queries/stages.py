"""The growth stages: their bounds (the Stage table, else the settings default) and an
employee's stage and tenure on a day."""

from datetime import date

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from casspath.analytics.tenure import StageBounds, completed_years, stage_on, validate_bounds
from casspath.core import request_cache
from casspath.core.prepared import PreparedQuery
from casspath.org.models import Stage

STAGES_KEY = "org.stages"


def _stages() -> list[Stage]:
    """The stage table by lower bound, read once per request (core/request_cache.py): most
    pages show a tenure or a stage, some several times."""
    return request_cache.cached(STAGES_KEY, _stage_table)


# Compiled once per process (core/prepared.py); read afresh in each request.
_stage_table = PreparedQuery(lambda: Stage.objects.order_by("min_years"))


@receiver([post_save, post_delete], sender=Stage, dispatch_uid="org.queries.forget_stages")
def _forget_stages(**_kwargs) -> None:
    request_cache.forget(STAGES_KEY)


def stage_bounds() -> StageBounds:
    """Stage bounds as configured in the Stage table, else the settings default."""
    rows = [(stage.code, stage.min_years, stage.max_years) for stage in _stages()]
    bounds: StageBounds = rows or settings.CASSPATH["DEFAULT_STAGE_BOUNDS"]
    validate_bounds(bounds)
    return bounds


def stages_by_code() -> dict[str, Stage]:
    return {stage.code: stage for stage in _stages()}


def stage_of(hire_date: date, on: date, bounds: StageBounds | None = None) -> str | None:
    if hire_date > on:
        return None
    return stage_on(hire_date, on, bounds or stage_bounds())




def _today() -> date:
    from django.utils import timezone

    return timezone.localdate()


class StageLookup:
    """Stage and tenure of many employees with the stage table read once."""

    def __init__(self, today: date | None = None):
        self.today = today or _today()
        self.bounds = stage_bounds()
        self.stages = stages_by_code()

    def stage(self, hire: date) -> tuple[str | None, int | None]:
        if hire > self.today:
            return None, None
        years = completed_years(hire, self.today)
        for code, lower, upper in self.bounds:
            if lower <= years and (upper is None or years < upper):
                return code, years
        return None, years

    def name(self, code: str | None) -> str:
        """The stage's name in the active language."""
        if not code:
            return ""
        stage = self.stages.get(code)
        return stage.local_name if stage else code
