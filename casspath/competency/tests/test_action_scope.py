"""Every competency action checks the actor's model-editing scope itself: a caller that
forgot to (a new page, a script) cannot edit another unit's model."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from casspath.competency.actions import edits
from casspath.competency.actions.loading import do_load_model_data
from casspath.competency.actions.versions import do_discard_draft, do_publish_model, do_start_new_version
from casspath.competency.models import CompetencyModel, Dimension, Module
from casspath.core.actors import SystemActor
from casspath.core.models import AuditEvent
from casspath.org.models import Stage


@pytest.fixture
def draft(world, model):
    return do_start_new_version(model, acting_user=SystemActor.cli())


def _edits(draft):
    module = Module.objects.filter(model=draft).first()
    dimension = Dimension.objects.filter(model=draft).first()
    assert module is not None and dimension is not None  # the small model has both
    return [
        lambda u: edits.do_update_model_info(draft, name="改", name_en="x", description="", acting_user=u),
        lambda u: edits.do_update_level_titles(draft, [], acting_user=u),
        lambda u: edits.do_add_module(draft, code="M9", name="新模块", acting_user=u),
        lambda u: edits.do_update_module(module, name="改", name_en="x", acting_user=u),
        lambda u: edits.do_move_module(module, offset=1, acting_user=u),
        lambda u: edits.do_remove_module(module, acting_user=u),
        lambda u: edits.do_add_dimension(module, code="D99", name="新维度", category="skill", acting_user=u),
        lambda u: edits.do_update_dimension(dimension, module=module, name="改", name_en="x",
                                            category="skill", description="", acting_user=u),
        lambda u: edits.do_remove_dimension(dimension, acting_user=u),
        lambda u: edits.do_set_indicators(dimension, {1: "新指标"}, acting_user=u),
        lambda u: edits.do_set_requirements(draft, stage=Stage.objects.first(), cells={}, acting_user=u),
        lambda u: do_publish_model(draft, acting_user=u, accept_weights=True),
        lambda u: do_discard_draft(draft, acting_user=u),
    ]


@pytest.mark.parametrize("index", range(13))
def test_it_refuses_each_edit_outside_the_actors_scope(world, draft, index):
    events = AuditEvent.objects.count()
    for user in (world.city_admin_a, world.team_lead, world.outsider):
        with pytest.raises(PermissionDenied):
            _edits(draft)[index](user)
    assert AuditEvent.objects.count() == events
    assert CompetencyModel.objects.filter(pk=draft.pk, status="draft").exists()


def test_it_refuses_starting_a_version_or_loading_outside_the_scope(world, model, model_data):
    for user in (world.city_admin_a, world.outsider):
        with pytest.raises(PermissionDenied):
            do_start_new_version(model, acting_user=user)
        # Loading into the province's family from the actor's own city is editing that family.
        model_data["name"] = "改过的模型"
        with pytest.raises(PermissionDenied):
            do_load_model_data(model_data, org_unit=world.city_a, acting_user=user)
    assert CompetencyModel.objects.filter(family=model.family).count() == 1


def test_it_lets_the_owner_units_admin_and_the_system_edit(world, model):
    draft = do_start_new_version(model, acting_user=world.province_admin)
    edits.do_add_module(draft, code="M9", name="新模块", acting_user=world.province_admin)
    edits.do_update_module(Module.objects.get(model=draft, code="M9"), name="改名", name_en="",
                           acting_user=SystemActor.cli())
    assert Module.objects.get(model=draft, code="M9").name == "改名"


@pytest.mark.django_db(transaction=True)
def test_it_gives_two_concurrent_starts_one_draft(world, model):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only observable on PostgreSQL")
    results, failures = [], []
    barrier = threading.Barrier(2)

    def start():
        try:
            barrier.wait()
            results.append(do_start_new_version(model, acting_user=world.province_admin).pk)
        except Exception as exc:  # noqa: BLE001 - the test reports any failure of a thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and len(set(results)) == 1
    assert CompetencyModel.objects.filter(family=model.family, status="draft").count() == 1
