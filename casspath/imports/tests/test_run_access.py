"""Import runs, their files and reports open by the scope of the roles held today."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casspath.imports.models import ImportRun
from casspath.imports.tests.helpers import csv_bytes, roster_rows
from casspath.org.models import Role, RoleAssignment


def _upload_as(client, user) -> ImportRun:
    client.force_login(user)
    upload = SimpleUploadedFile("roster.csv", csv_bytes(roster_rows()), content_type="text/csv")
    client.post(reverse("imports:kind", args=["roster"]), {"file": upload, "dry_run": "on"})
    return ImportRun.objects.latest("id")


def _answers(client, user, run) -> list[int]:
    client.force_login(user)
    return [
        client.get(reverse("imports:run", args=[run.pk])).status_code,
        client.get(reverse("imports:run_status", args=[run.pk])).status_code,
        client.get(reverse("imports:download", args=[run.pk])).status_code,
        client.get(f"/api/v1/imports/runs/{run.pk}").status_code,
    ]


def test_it_opens_a_run_to_its_uploader_and_to_an_admin_whose_scope_holds_it(world, client):
    run = _upload_as(client, world.city_admin_a)
    assert _answers(client, world.city_admin_a, run) == [200, 200, 200, 200]
    assert _answers(client, world.province_admin, run) == [200, 200, 200, 200]
    assert _answers(client, world.city_admin_b, run) == [404, 404, 404, 404]


def test_it_an_admin_made_consultant_no_longer_opens_his_old_upload(world, client):
    run = _upload_as(client, world.city_admin_a)
    RoleAssignment.objects.filter(user=world.city_admin_a).update(role=Role.CONSULTANT)
    client.force_login(world.city_admin_a)
    assert client.get(reverse("imports:run", args=[run.pk])).status_code in (403, 404)
    assert client.get(reverse("imports:download", args=[run.pk])).status_code in (403, 404)
    assert client.get(f"/api/v1/imports/runs/{run.pk}").status_code in (403, 404)
    assert client.post(reverse("imports:apply", args=[run.pk])).status_code in (403, 404)
    assert ImportRun.objects.count() == 1


def test_it_an_admin_moved_to_another_city_no_longer_opens_his_old_upload(world, client):
    run = _upload_as(client, world.city_admin_a)
    RoleAssignment.objects.filter(user=world.city_admin_a).update(org_unit=world.city_b)
    assert _answers(client, world.city_admin_a, run) == [404, 404, 404, 404]
    client.force_login(world.city_admin_a)
    assert client.post(reverse("imports:apply", args=[run.pk])).status_code == 404
    assert "roster.csv" not in client.get(reverse("imports:index")).content.decode()
    assert ImportRun.objects.count() == 1
