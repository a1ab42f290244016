import pytest
from django.core.exceptions import PermissionDenied

from casspath.core.actors import SystemActor
from casspath.org import scopes
from casspath.org.scopes import Perm


def nos(qs):
    return set(qs.values_list("employee_no", flat=True))


def test_it_gives_a_city_admin_only_his_city(world):
    assert nos(scopes.employees_for(world.city_admin_a, Perm.VIEW_EMPLOYEES)) == {
        "T0001", "E0001", "E0002"}
    assert nos(scopes.employees_for(world.city_admin_b, Perm.VIEW_EMPLOYEES)) == {"E0100"}


def test_it_gives_the_province_admin_everyone(world):
    assert len(nos(scopes.employees_for(world.province_admin, Perm.VIEW_EMPLOYEES))) == 4


def test_it_gives_an_account_manager_only_himself(world):
    assert nos(scopes.employees_for(world.manager, Perm.VIEW_EMPLOYEES)) == {"E0001"}
    assert not scopes.employee_in_scope(world.manager, Perm.VIEW_EMPLOYEES, world.colleague)


def test_it_gives_a_team_lead_his_team(world):
    assert nos(scopes.employees_for(world.team_lead, Perm.VIEW_EMPLOYEES)) == {
        "T0001", "E0001", "E0002"}
    assert not scopes.has_perm(world.team_lead, Perm.IMPORT_DATA)


def test_it_gives_an_outsider_nothing(world):
    assert nos(scopes.employees_for(world.outsider, Perm.VIEW_EMPLOYEES)) == set()
    assert scopes.units_for(world.outsider, Perm.VIEW_EMPLOYEES).count() == 0


def test_it_refuses_imports_outside_the_admins_city(world):
    assert scopes.unit_in_scope(world.city_admin_a, Perm.IMPORT_DATA, world.team_a)
    assert not scopes.unit_in_scope(world.city_admin_a, Perm.IMPORT_DATA, world.team_b)
    assert not scopes.unit_in_scope(world.city_admin_a, Perm.IMPORT_DATA, world.province)


def test_it_lets_the_system_actor_reach_everything(world):
    assert scopes.unit_in_scope(SystemActor.cli(), Perm.IMPORT_DATA, world.province)


def test_it_names_every_permission_in_both_languages():
    assert set(scopes.PERM_LABELS) == set(Perm)


def test_it_refuses_every_action_outside_the_scope_with_one_bilingual_refusal(world):
    from casspath.competency.actions.loading import do_load_model_data
    from casspath.imports.actions import do_create_import_run, do_export
    from casspath.org.actions.units import do_update_unit

    refusals = []
    for attempt in (
        lambda: do_update_unit(world.team_b, {"name": "改名"}, acting_user=world.city_admin_a),
        lambda: do_load_model_data({"family": "x"}, org_unit=world.province, acting_user=world.city_admin_a),
        lambda: do_create_import_run("roster", "r.csv", b"x", acting_user=world.outsider),
        lambda: do_export("roster", "r.csv", acting_user=world.outsider),
    ):
        with pytest.raises(scopes.ScopeRefused) as refused:
            attempt()
        refusals.append(refused.value)
    assert all(isinstance(r, PermissionDenied) and r.message_zh and r.message_en for r in refusals)
    assert "SZ-NS-01" in refusals[0].message_zh and "gzadmin" in refusals[0].message_zh
    assert refusals[0].message_en == (
        "SZ-NS-01 is outside the scope in which gzadmin may import and change data")
    assert refusals[3].message_en.endswith("may not see or export personal data")
