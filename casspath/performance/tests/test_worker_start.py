"""A Huey worker loads the diagnosis's libraries as it starts (performance/tasks.py), so
the first diagnosis does not wait on them; the command line still starts without them."""

import json
import os
import subprocess  # noqa: S404 (the test's own interpreter)
import sys

from casspath.performance import tasks

PROBE = """
import json, sys, django
django.setup()
from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey import HUEY
autodiscover_modules("tasks")  # as run_huey does
before = [name in sys.modules for name in {modules!r}]
for hook in HUEY._startup.values():
    hook()
print(json.dumps({{"before": before, "after": [name in sys.modules for name in {modules!r}]}}))
"""


def test_it_loads_the_statistics_and_the_printer_when_a_worker_starts():
    code = PROBE.format(modules=list(tasks.WARM_MODULES))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "casspath.settings"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,  # noqa: S603
                          timeout=120, check=True)
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded["after"] == [True] * len(tasks.WARM_MODULES)
    # Importing the tasks (as the site does to enqueue them) loads none of them.
    assert loaded["before"] == [False] * len(tasks.WARM_MODULES)
