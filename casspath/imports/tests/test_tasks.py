import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from casspath.core.errors import InvalidTransition
from casspath.core.jobs import set_status
from casspath.imports.actions import do_create_import_run
from casspath.imports.models import ImportRun
from casspath.imports.tasks import execute_run, run_import_task
from casspath.imports.tests.helpers import csv_bytes, roster_rows


def test_it_the_task_runs_a_queued_run_once(world):
    run = do_create_import_run(
        "roster", "r.csv", csv_bytes(roster_rows()), dry_run=False, acting_user=world.province_admin
    )
    run_import_task(run.pk)
    run.refresh_from_db()
    assert run.report is not None
    assert run.status == "succeeded" and run.report["created"] == 2 and run.finished_at
    assert execute_run(run.pk) == "skipped"  # finished: not run again
    run.refresh_from_db()
    assert run.report["created"] == 2


def test_it_status_transitions_are_data(world):
    run = do_create_import_run("roster", "r.csv", csv_bytes(roster_rows()), acting_user=world.province_admin)
    with pytest.raises(InvalidTransition) as refused:
        set_status(run, ImportRun.Status.SUCCEEDED)
    assert "排队中" in refused.value.message_zh and "queued to succeeded" in refused.value.message_en
    set_status(run, ImportRun.Status.RUNNING)
    set_status(run, ImportRun.Status.FAILED)
    with pytest.raises(InvalidTransition):
        set_status(run, ImportRun.Status.RUNNING)


def test_it_a_run_whose_actor_lost_the_permission_fails_cleanly(world):
    run = do_create_import_run("roster", "r.csv", csv_bytes(roster_rows()), acting_user=world.city_admin_a)
    world.city_admin_a.role_assignments.all().delete()
    execute_run(run.pk)
    run.refresh_from_db()
    assert run.report is not None
    assert run.status == "failed" and "permission" in run.report["file_error"]["message_en"]


def test_it_progress_is_recorded(world):
    rows = roster_rows()[:1] + [
        [f"E{i:05d}", "某", "", "", "GZ-TH-01", "", "2020-01-01", "", ""] for i in range(1000, 1300)
    ]
    run = do_create_import_run("roster", "r.csv", csv_bytes(rows), acting_user=world.province_admin)
    run_import_task(run.pk)
    run.refresh_from_db()
    assert (run.progress_done, run.progress_total, run.percent) == (300, 300, 100)


def _redis_up() -> bool:
    try:
        import redis

        return bool(redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001 - any failure means "no Redis here"
        return False


@pytest.mark.skipif(not _redis_up(), reason="Redis is not reachable on 127.0.0.1:6379")
def test_it_a_real_huey_consumer_on_redis_finishes_an_import(tmp_path):
    """The web process enqueues to Redis; a separate `casspath run_huey` process consumes
    the task; both see one file-backed SQLite database."""
    env = {
        **os.environ,
        "CASSPATH_VAR_DIR": str(tmp_path),
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "HUEY_NAME": f"casspath-test-{uuid.uuid4().hex}",
        "HUEY_IMMEDIATE": "0",
    }
    env.pop("DATABASE_URL", None)
    casspath = [sys.executable, "-m", "casspath.cli"]
    cwd = str(Path(django_settings.BASE_DIR))
    # One process migrates the fresh database and enqueues (each process start costs seconds).
    script = (
        "from django.core.management import call_command\n"
        "call_command('migrate', interactive=False, verbosity=0, skip_checks=True)\n"
        "from casspath.testing import build_world\n"
        "from casspath.imports.actions import do_create_import_run\n"
        "from casspath.imports.tasks import enqueue\n"
        "from casspath.imports.tests.helpers import csv_bytes, roster_rows\n"
        "world = build_world()\n"
        "run = do_create_import_run('roster', 'r.csv', csv_bytes(roster_rows()), dry_run=False,"
        " acting_user=world.province_admin)\n"
        "enqueue(run)\n"
        "print(run.pk)\n"
    )
    made = subprocess.run(  # noqa: S603
        [*casspath, "shell", "-c", script],
        env=env,
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    run_id = int(made.stdout.strip().splitlines()[-1])
    database = tmp_path / "casspath.sqlite3"

    def status() -> str:
        with sqlite3.connect(database) as conn:
            return conn.execute("SELECT status FROM imports_importrun WHERE id = ?", [run_id]).fetchone()[0]

    assert status() == "queued"
    consumer = subprocess.Popen(  # noqa: S603
        [*casspath, "run_huey", "--workers", "1", "--skip-checks"],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # A bound for waiting (the consumer boots Django first), never asserted on.
        deadline = time.monotonic() + 180
        while status() in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.3)
        assert status() == "succeeded"
        with sqlite3.connect(database) as conn:
            count = conn.execute("SELECT COUNT(*) FROM org_employee WHERE employee_no IN ('E0003', 'E0004')")
            assert count.fetchone()[0] == 2
    finally:
        consumer.terminate()
        consumer.wait(timeout=20)
        shutil.rmtree(tmp_path / "private", ignore_errors=True)
