from django.urls import reverse

from casspath.core.models import User


def test_it_opens_the_admin_lists_for_a_superuser(client, world):
    admin = User.objects.create_superuser("root", password="x-very-long-pass", email="")
    client.force_login(admin)
    for name in ("core_user", "core_auditevent", "org_orgunit", "org_employee", "org_position",
                 "org_roleassignment", "org_loginbatch"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    body = client.get(reverse("admin:org_employee_change", args=[world.colleague.pk])).content.decode()
    assert "13700001111" not in body


def test_it_keeps_the_roster_read_only_in_the_admin(client, world):
    admin = User.objects.create_superuser("root", password="x-very-long-pass", email="")
    client.force_login(admin)
    assert client.get(reverse("admin:org_employee_add")).status_code == 403
    assert client.get(reverse("admin:org_orgunit_add")).status_code == 403
