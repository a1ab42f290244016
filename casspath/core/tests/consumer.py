"""Real Huey consumers for tests: `casspath run_huey` in another process, sharing the test
database (a file on SQLite, the test database on PostgreSQL) and a queue file, so that a
test can kill one with SIGKILL in the middle of a job (settings.JOB_TEST_PAUSE)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection
from huey.storage import SqliteStorage

# Generous: a consumer boots Django first. Only a bound for waiting, never asserted on.
DEADLINE = 120


def database_url() -> str:
    """The URL of the database the tests use right now (the test database)."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    auth = quote(db["USER"] or "", safe="") + (f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Consumers:
    """Starts consumers against `var_dir` (their VAR_DIR: queue, private files) and kills them."""

    def __init__(self, var_dir: Path, huey):
        self.var_dir = var_dir
        self.huey = huey
        self.processes: list[subprocess.Popen] = []
        self.saved = (huey.immediate, huey.storage)
        # This process sends to the queue file the consumers read (their settings.HUEY).
        huey.immediate = False
        huey.storage = SqliteStorage(name="casspath", filename=str(var_dir / "huey.sqlite3"))
        self.paused = var_dir / "job-paused"

    def start(self, *, pause: str = "") -> subprocess.Popen:
        env = {**os.environ, "CASSPATH_VAR_DIR": str(self.var_dir), "DATABASE_URL": database_url(),
               "HUEY_IMMEDIATE": "0", "CASSPATH_JOB_TEST_PAUSE": pause,
               "HUEY_FILENAME": str(self.var_dir / "huey.sqlite3")}
        env.pop("REDIS_URL", None)
        process = subprocess.Popen(  # noqa: S603 - our own command line, no user input
            [sys.executable, "-m", "casspath.cli", "run_huey", "--workers", "1", "--skip-checks"],
            env=env, cwd=str(settings.BASE_DIR), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self.processes.append(process)
        return process

    def wait_until_paused(self, process: subprocess.Popen) -> str:
        """Wait for the job to reach its pause point; returns the point's name."""
        deadline = time.monotonic() + DEADLINE
        while not self.paused.exists():
            assert process.poll() is None, "the consumer exited before the job paused"
            assert time.monotonic() < deadline, "the job never reached its pause point"
            time.sleep(0.2)
        point = self.paused.read_text()
        self.paused.unlink()
        return point

    def wait_until(self, done, process: subprocess.Popen) -> None:
        deadline = time.monotonic() + DEADLINE
        while not done():
            assert process.poll() is None, "the consumer exited"
            assert time.monotonic() < deadline, "the consumer did not finish the job"
            time.sleep(0.3)

    def kill(self, process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=30)
        self.huey.immediate, self.huey.storage = self.saved
