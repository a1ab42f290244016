"""A login batch has a limit (LOGIN_BATCH_MAX): reissuing a whole province's passwords at
once would hash for hours and hold every write to the end. Refused on the page, the API
and the command line, naming the limit and advising a smaller unit."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from casspath.api.actions import do_create_token
from casspath.org.actions.logins import do_queue_issue_logins, do_run_login_batch
from casspath.org.models import LoginBatch
from casspath.testing import make_employee


@pytest.fixture(autouse=True)
def _small_limit(settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path / "private"
    settings.CASSPATH = {**settings.CASSPATH, "LOGIN_BATCH_MAX": 2}


def test_it_refuses_on_the_page_a_batch_past_the_limit_naming_it(client, world):
    # Reissuing Guangzhou: T0001, E0001, E0002 (the admin's own login is never reset).
    client.force_login(world.city_admin_a)
    page = client.post(reverse("org:issue_logins", args=["GZ"]), {"reissue": "on"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "A batch issues at most 2 logins" in body and "Choose a smaller unit" in body
    assert "一个批次最多开通 2 个账号" in body and "请选择更小的单位" in body
    assert not LoginBatch.objects.exists()
    # A unit within the limit is issued as before.
    assert client.post(reverse("org:issue_logins", args=["GZ-TH-01"]), {}).status_code == 302


def test_it_refuses_by_api_a_batch_past_the_limit(client, world):
    _token, secret = do_create_token(world.city_admin_a, "test", acting_user=world.city_admin_a)
    response = client.post("/api/v1/org/units/GZ/logins", {"reissue": True}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 422
    assert "at most 2 logins" in response.json()["detail_en"]
    assert "最多开通 2 个账号" in response.json()["detail_zh"]
    assert not LoginBatch.objects.exists()


def test_it_refuses_on_the_command_line_a_batch_past_the_limit(world, tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("issue_logins", "GZ", "--reissue", "--out", str(tmp_path / "logins.xlsx"))
    assert "at most 2 logins" in str(refused.value)
    assert not Path(tmp_path / "logins.xlsx").exists() and not LoginBatch.objects.exists()


def test_it_a_batch_whose_unit_grew_past_the_limit_after_it_was_queued_fails_saying_why(world):
    batch = do_queue_issue_logins(world.team_a, acting_user=world.city_admin_a)  # E0002 only
    for number in ("E0003", "E0004"):
        make_employee(number, "新人", world.team_a)
    do_run_login_batch(batch.pk)
    batch.refresh_from_db()
    assert batch.status == "failed" and "at most 2 logins" in batch.error_en
    assert not batch.count


def test_it_says_the_limit_on_the_form_before_anything_is_submitted(client, world, settings):
    settings.CASSPATH = {**settings.CASSPATH, "LOGIN_BATCH_MAX": 20_000}
    client.force_login(world.city_admin_a)
    url = reverse("org:issue_logins", args=["GZ"])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "A batch issues at most 20,000 logins" in english
    assert 'id="batch-too-big"' not in english and "disabled" not in english
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "一个批次最多开通 20,000 个账号" in chinese


def test_it_warns_before_submitting_when_the_unit_has_more_employees_without_a_login_than_a_batch(
        client, world):
    for number in ("E0003", "E0004"):
        make_employee(number, "新人", world.team_a)
    client.force_login(world.city_admin_a)
    page = client.get(reverse("org:issue_logins", args=["GZ"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="batch-too-big"' in page and "One batch issues at most 2 logins" in page
    assert '<button class="btn btn-primary" type="submit" disabled>' in page
