"""An import whose COMMIT fails (a deferred foreign key: a row it refers to was deleted by
another transaction meanwhile) fails visibly: nothing written, the run failed, not a success
that was rolled back with the rows while the run stayed running."""

import pytest

from casspath.imports.actions import do_execute_import_run
from casspath.imports.models import ImportRun
from casspath.imports.tests.test_jobs import NEW, _run
from casspath.org.models import Employee

pytestmark = pytest.mark.django_db(transaction=True)  # the import's transaction commits for real


def test_it_fails_the_run_when_its_commit_is_refused(world):
    run = _run(world)

    def spoil(phase, done, total):
        if phase == "writing" and done == 0:
            # (in the import's transaction: a key checked only at COMMIT, as a row deleted
            # by another transaction between the import's checks and its commit)
            Employee.objects.filter(pk=world.manager_employee.pk).update(grade_id=10**9)

    finished = do_execute_import_run(run.pk, progress=spoil)
    assert finished is not None and finished.status == "failed" and finished.retryable
    run.refresh_from_db()
    assert (run.status, run.retryable) == (ImportRun.Status.FAILED, True)
    assert run.report is not None and not run.report["ok"]
    assert not Employee.objects.filter(employee_no__in=NEW).exists()
    assert Employee.objects.get(pk=world.manager_employee.pk).grade_id != 10**9
