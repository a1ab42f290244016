import pytest

from casspath.competency.actions.loading import do_load_default_model
from casspath.core.actors import SystemActor
from casspath.imports import registry
from casspath.imports.framework import run_import


@pytest.fixture
def model(world):
    """The default 18-dimension model, published for the province: it applies to every unit."""
    return do_load_default_model(org_unit=world.province, acting_user=SystemActor.cli())


def run_ratings(data: bytes, filename: str = "ratings.csv", *, user=None, dry_run: bool = False):
    return run_import(registry.get("ratings"), data, filename, acting_user=user or SystemActor.cli(),
                      dry_run=dry_run)
