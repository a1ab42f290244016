from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from huey.api import PeriodicTask

from casspath.core.models import AuditEvent
from casspath.org.actions.logins import do_issue_logins
from casspath.org.models import LoginBatch


@pytest.fixture(autouse=True)
def _private_dir(settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path / "private"


def test_it_writes_nothing_on_a_get_of_the_batches_page(client, world, settings):
    batch = do_issue_logins(world.city_a, acting_user=world.city_admin_a)
    full = Path(settings.PRIVATE_FILES_DIR) / batch.file_name
    LoginBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timedelta(hours=25))
    events = AuditEvent.objects.count()
    client.force_login(world.city_admin_a)
    response = client.get(reverse("org:login_batches"))
    assert response.status_code == 200
    batch.refresh_from_db()
    # The expired file is left for the hourly task; the page only reads.
    assert full.exists() and batch.file_name and not batch.is_available
    assert AuditEvent.objects.count() == events


def test_it_purges_from_a_periodic_task_only():
    from casspath.org.tasks import purge_login_files

    assert isinstance(purge_login_files.task_class(), PeriodicTask)


def test_it_refuses_the_batches_page_to_others(client, world):
    assert client.get(reverse("org:login_batches")).status_code == 302
    client.force_login(world.manager)
    assert client.get(reverse("org:login_batches")).status_code == 403
