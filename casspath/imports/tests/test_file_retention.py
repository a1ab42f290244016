"""Uploaded import files are deleted after their retention period by a periodic task."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from huey.api import PeriodicTask

from casspath.core.actors import SystemActor
from casspath.core.models import AuditEvent
from casspath.imports.actions import do_purge_import_files, files_dir, stored_path
from casspath.imports.models import ImportRun
from casspath.imports.tests.helpers import csv_bytes, roster_rows

SYSTEM = SystemActor(label="test")


def _dry_run(client, world, days_ago: int) -> ImportRun:
    client.force_login(world.city_admin_a)
    upload = SimpleUploadedFile("roster.csv", csv_bytes(roster_rows()), content_type="text/csv")
    client.post(reverse("imports:kind", args=["roster"]), {"file": upload, "dry_run": "on"})
    run = ImportRun.objects.latest("id")
    ImportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    run.refresh_from_db()
    return run


def test_it_a_dry_run_never_applied_loses_its_file_after_two_days(world, client, settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path
    fresh, old = _dry_run(client, world, 1), _dry_run(client, world, 3)
    assert do_purge_import_files(acting_user=SYSTEM) == 1
    assert stored_path(fresh).is_file() and not stored_path(old).exists()
    event = AuditEvent.objects.get(verb="import.purge_files")
    assert event.changes["runs"] == [old.pk]
    assert do_purge_import_files(acting_user=SYSTEM) == 0
    assert AuditEvent.objects.filter(verb="import.purge_files").count() == 1


def test_it_an_applied_import_keeps_its_file_for_thirty_days(world, client, settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path
    run = _dry_run(client, world, 5)
    client.post(reverse("imports:apply", args=[run.pk]))
    applied = ImportRun.objects.get(source_run=run)
    assert do_purge_import_files(acting_user=SYSTEM) == 0 and stored_path(run).is_file()
    month_ago = timezone.now() - timedelta(days=31)
    ImportRun.objects.filter(pk__in=[run.pk, applied.pk]).update(created_at=month_ago)
    assert do_purge_import_files(acting_user=SYSTEM) == 1 and not stored_path(applied).exists()


def test_it_the_retention_periods_are_settings(world, client, settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_DRY_RUN_FILE_RETENTION_DAYS": 10}
    run = _dry_run(client, world, 3)
    assert do_purge_import_files(acting_user=SYSTEM) == 0 and stored_path(run).is_file()


def test_it_a_run_whose_file_is_gone_says_so_and_cannot_be_applied(world, client, settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path
    run = _dry_run(client, world, 3)
    do_purge_import_files(acting_user=SYSTEM)
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert 'id="file-gone"' in page and "retention" in page
    assert reverse("imports:apply", args=[run.pk]) not in page
    assert reverse("imports:download", args=[run.pk]) not in page
    assert client.post(reverse("imports:apply", args=[run.pk])).status_code == 404
    response = client.post(f"/api/v1/imports/runs/{run.pk}/apply")
    assert response.status_code == 409 and "retention" in response.json()["detail_en"]
    assert client.get(reverse("imports:download", args=[run.pk])).status_code == 404
    assert ImportRun.objects.count() == 1


def test_it_stray_files_no_run_names_are_deleted_too(world, settings, tmp_path):
    import os

    settings.PRIVATE_FILES_DIR = tmp_path
    stray = files_dir() / "leftover.csv"
    stray.write_bytes(b"x")
    old = (timezone.now() - timedelta(days=3)).timestamp()
    os.utime(stray, (old, old))
    assert do_purge_import_files(acting_user=SYSTEM) == 1 and not stray.exists()


def test_it_the_purge_runs_from_a_periodic_task():
    from casspath.imports.tasks import purge_import_files

    assert isinstance(purge_import_files.task_class(), PeriodicTask)
