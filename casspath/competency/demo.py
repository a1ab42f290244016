"""competency's part of the demo: the default competency model, published for the
province org's part made (it stays through a reset: it belongs to the province)."""

from casspath.competency.actions.loading import do_load_default_model
from casspath.competency.models import CompetencyModel
from casspath.core.demo import DemoPart, DemoRun


def _province_model(run: DemoRun) -> CompetencyModel | None:
    return (CompetencyModel.objects.filter(org_unit=run.shared["province"])
            .order_by("family", "-version").first())


class CompetencyDemo(DemoPart):
    def build(self, run: DemoRun) -> dict[str, int]:
        if _province_model(run) is not None:
            return {"competency_models": 0}
        do_load_default_model(org_unit=run.shared["province"], acting_user=run.acting_user)
        return {"competency_models": 1}

    def describe(self, run: DemoRun) -> list[str]:
        return [f"competency model: {_province_model(run)}"]


part = CompetencyDemo()
