"""competency's part of the demo: the default competency model, published for the top of
the tree org's part made (the province, or the national company, whose model applies to
every unit below it)."""

from casspath.competency.actions.loading import do_load_default_model
from casspath.competency.models import CompetencyModel
from casspath.core.demo import DemoPart, DemoRun


def _province_model(run: DemoRun) -> CompetencyModel | None:
    return (CompetencyModel.objects.filter(org_unit=run.shared["root"])
            .order_by("family", "-version").first())


class CompetencyDemo(DemoPart):
    def build(self, run: DemoRun) -> dict[str, int]:
        if _province_model(run) is not None:
            return {"competency_models": 0}
        do_load_default_model(org_unit=run.shared["root"], acting_user=run.acting_user)
        return {"competency_models": 1}

    def describe(self, run: DemoRun) -> list[str]:
        return [f"competency model: {_province_model(run)}"]


part = CompetencyDemo()
