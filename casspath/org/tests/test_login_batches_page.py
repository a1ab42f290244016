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


def test_it_goes_to_the_issue_page_of_a_unit_picked_by_code_or_name(client, world):
    client.force_login(world.city_admin_a)
    page = client.get(reverse("org:login_batches")).content.decode()
    assert 'role="combobox"' in page and "perm=issue_logins" in page
    response = client.get(reverse("org:login_batches"), {"unit": "gz-th-01"})
    assert response.status_code == 302
    assert response["Location"] == reverse("org:issue_logins", args=["GZ-TH-01"])
    response = client.get(reverse("org:login_batches"), {"unit": "天河区"})
    assert response["Location"] == reverse("org:issue_logins", args=["GZ-TH"])


def test_it_refuses_a_picked_unit_outside_the_scope_on_the_page(client, world):
    client.force_login(world.city_admin_a)
    response = client.get(reverse("org:login_batches"), {"unit": "SZ-NS-01"})
    assert response.status_code == 200
    assert "不在您的范围内" in response.content.decode() and "深圳" not in response.content.decode()


def test_it_names_a_batchs_unit_by_the_path_that_tells_it_apart(client, world):
    from casspath.org.models import OrgUnit
    from casspath.testing import make_employee, make_unit

    yuexiu = make_unit("GZ-YX", "越秀区", OrgUnit.Kind.DISTRICT, world.city_a)
    team = make_unit("GZ-YX-02", "政企一班", OrgUnit.Kind.TEAM, yuexiu)
    make_employee("G0001", "新员工", team)
    batch = do_issue_logins(team, acting_user=world.city_admin_a)
    client.force_login(world.city_admin_a)
    page = client.get(reverse("org:login_batch", args=[batch.pk])).content.decode()
    assert "越秀区 / 政企一班" in page
    page = client.get(reverse("org:issue_logins", args=["GZ-YX-02"])).content.decode()
    assert "越秀区 / 政企一班" in page
