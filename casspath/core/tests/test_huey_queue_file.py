"""Without REDIS_URL, each database has its own Huey queue file: two demos on different
databases do not take each other's jobs."""

import json
import os
import subprocess
import sys

from django.conf import settings


def _huey_file(tmp_path, **env) -> str:
    environment = {**os.environ, "CASSPATH_VAR_DIR": str(tmp_path), **env}
    environment.pop("REDIS_URL", None)
    for name, value in env.items():
        if value is None:
            environment.pop(name)
    code = ("import json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'casspath.settings'; "
            "from django.conf import settings; print(json.dumps(settings.HUEY))")
    out = subprocess.run([sys.executable, "-c", code], env=environment, cwd=str(settings.BASE_DIR),  # noqa: S603
                         capture_output=True, text=True, check=True).stdout
    huey = json.loads(out)
    assert huey["huey_class"] == "huey.SqliteHuey"
    return huey["filename"]


def test_it_gives_each_database_its_own_queue_file(tmp_path):
    first = _huey_file(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/one/demo.sqlite3", HUEY_FILENAME=None)
    again = _huey_file(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/one/demo.sqlite3", HUEY_FILENAME=None)
    same_name_elsewhere = _huey_file(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/two/demo.sqlite3",
                                     HUEY_FILENAME=None)
    postgres = _huey_file(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:5432/demo",
                          HUEY_FILENAME=None)
    assert first == again
    assert len({first, same_name_elsewhere, postgres}) == 3
    for path in (first, same_name_elsewhere, postgres):
        assert os.path.dirname(path) == str(tmp_path)
        assert os.path.basename(path).startswith("huey-demo-")


def test_it_takes_the_queue_file_named_in_the_environment(tmp_path):
    named = str(tmp_path / "queue.sqlite3")
    found = _huey_file(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/demo.sqlite3", HUEY_FILENAME=named)
    assert found == named
