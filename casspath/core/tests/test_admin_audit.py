"""Writes made in the Django admin leave audit rows, like every other write."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from casspath.core.models import AuditEvent, User
from casspath.org.actions.roles import do_grant_role, do_revoke_role
from casspath.org.models import Grade, Position, Role, RoleAssignment
from casspath.testing import PASSWORD


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", "root@example.com", PASSWORD)


def test_it_audits_granting_and_revoking_a_role_in_the_admin(client, world, root):
    client.force_login(root)
    response = client.post(reverse("admin:org_roleassignment_add"), {
        "user": world.outsider.pk, "role": Role.TRAINING_ADMIN, "org_unit": world.city_b.pk})
    assert response.status_code == 302, response.content
    binding = RoleAssignment.objects.get(user=world.outsider)
    event = AuditEvent.objects.get(verb="org.grant_role")
    assert (event.actor, event.object_id) == (root, str(binding.pk))
    assert event.changes == {"user": "outsider", "role": Role.TRAINING_ADMIN, "org_unit": "SZ"}
    response = client.post(reverse("admin:org_roleassignment_delete", args=[binding.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=binding.pk).exists()
    assert AuditEvent.objects.filter(verb="org.revoke_role", actor=root, object_id=str(binding.pk)).exists()


def test_it_audits_user_changes_without_their_secrets(client, world, root):
    client.force_login(root)
    target = world.outsider
    url = reverse("admin:core_user_change", args=[target.pk])
    form = client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None and key != "password"}
    data.update(first_name="新名字", is_active="", last_login_0="", last_login_1="",
                date_joined_0="2024-01-01", date_joined_1="00:00:00", groups=[], user_permissions=[])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    target.refresh_from_db()
    assert target.first_name == "新名字" and not target.is_active
    event = AuditEvent.objects.get(verb="admin.change", object_id=str(target.pk))
    assert event.actor == root and event.changes["first_name"][1] == "新名字"
    assert event.changes["is_active"] == [True, False]

    response = client.post(reverse("admin:auth_user_password_change", args=[target.pk]),
                           {"password1": "An0ther-long-pass", "password2": "An0ther-long-pass",
                            "usable_password": "true"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(verb="admin.set_password", object_id=str(target.pk))
    assert event.changes == {"password": "changed"}
    target.refresh_from_db()
    assert target.check_password("An0ther-long-pass")
    assert "An0ther" not in str(AuditEvent.objects.values_list("changes", flat=True))


def test_it_audits_value_list_edits(client, world, root):
    client.force_login(root)
    grade = Grade.objects.get(code="senior")
    response = client.post(reverse("admin:org_grade_change", args=[grade.pk]),
                           {"code": "senior", "name": "高级经理", "name_en": grade.name_en,
                            "order": grade.order})
    assert response.status_code == 302
    grade.refresh_from_db()
    assert grade.name == "高级经理"
    event = AuditEvent.objects.get(verb="admin.change", object_type="org.grade")
    assert event.changes == {"name": ["高级", "高级经理"]}
    position = Position.objects.create(code="tmp", name="临时", order=99)
    response = client.post(reverse("admin:org_position_delete", args=[position.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Position.objects.filter(pk=position.pk).exists()
    assert AuditEvent.objects.filter(verb="admin.delete", object_type="org.position",
                                     object_id=str(position.pk)).exists()


def test_it_refuses_role_grants_outside_the_actors_scope(world):
    with pytest.raises(PermissionDenied):
        do_grant_role(world.outsider, Role.TRAINING_ADMIN, world.city_b, acting_user=world.city_admin_a)
    binding = do_grant_role(world.outsider, Role.ANALYST, world.team_a, acting_user=world.city_admin_a)
    again = do_grant_role(world.outsider, Role.ANALYST, world.team_a, acting_user=world.city_admin_a)
    assert again == binding
    assert AuditEvent.objects.filter(verb="org.grant_role").count() == 1
    with pytest.raises(PermissionDenied):
        do_revoke_role(binding, acting_user=world.city_admin_b)
    with pytest.raises(PermissionDenied):
        do_grant_role(world.outsider, Role.ANALYST, world.team_a, acting_user=world.team_lead)
    do_revoke_role(binding, acting_user=world.province_admin)
    assert not RoleAssignment.objects.filter(user=world.outsider).exists()


def test_it_keeps_non_staff_out_of_the_admin(client, world):
    client.force_login(world.city_admin_a)
    assert client.get(reverse("admin:org_roleassignment_add")).status_code == 302
