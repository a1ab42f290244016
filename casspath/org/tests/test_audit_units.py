"""Audit rows carry the org unit they concern (AuditEvent.org_unit_path / org_unit_id), so
that the audit page can show each admin the rows about his units."""

import copy

from casspath.competency.actions.edits import do_update_model_info
from casspath.competency.actions.loading import do_load_model_data
from casspath.competency.actions.versions import do_start_new_version
from casspath.competency.tests.conftest import SMALL_MODEL
from casspath.core.models import AuditEvent
from casspath.imports.actions import do_create_import_run, do_export
from casspath.org.actions.roles import do_grant_role
from casspath.org.actions.units import do_create_unit
from casspath.org.models import OrgUnit, Role


def _last(verb: str) -> AuditEvent:
    return AuditEvent.objects.filter(verb=verb).latest("id")


def test_it_records_the_unit_of_a_unit_created(world):
    unit = do_create_unit(code="GZ-TH-02", name="政企二班", kind=OrgUnit.Kind.TEAM,
                          parent=world.district_a, acting_user=world.city_admin_a)
    row = _last("org_unit.create")
    assert (row.org_unit_path, row.org_unit_id) == (unit.path, unit.pk)


def test_it_records_the_unit_of_a_role_granted(world):
    do_grant_role(world.outsider, Role.LECTURER, world.team_a, acting_user=world.city_admin_a)
    assert _last("org.grant_role").org_unit_path == world.team_a.path


def test_it_records_the_owner_unit_of_a_competency_model_edit(world):
    model = do_load_model_data(copy.deepcopy(SMALL_MODEL), org_unit=world.city_a,
                               acting_user=world.city_admin_a)
    assert _last("competency.load_model").org_unit_path == world.city_a.path
    draft = do_start_new_version(model, acting_user=world.city_admin_a)
    do_update_model_info(draft, name="新名字", name_en="", description="", acting_user=world.city_admin_a)
    assert _last("competency.update_model").org_unit_path == model.org_unit.path
    assert _last("competency.start_new_version").org_unit_path == model.org_unit.path


def test_it_records_the_importing_admins_scope_root_on_imports_and_exports(world, settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path
    do_create_import_run("roster", "r.csv", b"x", acting_user=world.city_admin_a)
    assert _last("import.upload").org_unit_path == world.city_a.path
    do_export("roster", "r.csv", acting_user=world.city_admin_a)
    assert _last("export.roster").org_unit_path == world.city_a.path


def test_it_records_no_unit_for_an_unrestricted_actor(world, settings, tmp_path):
    from casspath.core.actors import SystemActor

    settings.PRIVATE_FILES_DIR = tmp_path
    do_create_import_run("roster", "r.csv", b"x", acting_user=SystemActor.cli())
    assert _last("import.upload").org_unit_path == ""

