"""Rebuilding the demo once people have used it: `--replace` (what `make demo` passes) builds
another seed or size in place of the old one, `--reset` builds the same one again, whatever
the demo's users wrote meanwhile (imports, login batches, tokens, audit rows, files)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from casspath.api.actions import do_create_token
from casspath.api.models import ApiToken
from casspath.core.models import AuditEvent, User
from casspath.imports.actions import do_create_import_run, do_execute_import_run
from casspath.imports.models import ImportRun
from casspath.imports.tests.helpers import ROSTER_HEADERS_ZH, csv_bytes
from casspath.org.actions.logins import do_queue_issue_logins
from casspath.org.models import Employee, LoginBatch, OrgUnit, Role, RoleAssignment

pytestmark = pytest.mark.django_db


def demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def use_the_demo(settings) -> User:
    """What a training admin does in his first hour with the demo."""
    admin = RoleAssignment.objects.filter(role=Role.TRAINING_ADMIN).select_related("user", "org_unit").first()
    assert admin is not None, "the demo has a training admin"
    team = OrgUnit.objects.filter(kind=OrgUnit.Kind.TEAM, path__startswith=admin.org_unit.path).first()
    assert team is not None, "the demo's training admin has a team in his scope"
    data = csv_bytes([ROSTER_HEADERS_ZH, ["X0001", "新员工", "13800138009", "", team.code, "客户经理",
                                          "2023-05-06", "初级", "在职"]])
    run = do_create_import_run("roster", "roster.csv", data, dry_run=False, acting_user=admin.user)
    done = do_execute_import_run(run.pk)
    assert done is not None and done.ok
    do_queue_issue_logins(team, acting_user=admin.user)
    do_create_token(admin.user, "script", acting_user=admin.user)
    (settings.PRIVATE_FILES_DIR / "logins.xlsx").parent.mkdir(parents=True, exist_ok=True)
    (settings.PRIVATE_FILES_DIR / "logins.xlsx").write_bytes(b"passwords")
    assert ImportRun.objects.exists() and LoginBatch.objects.exists() and ApiToken.objects.exists()
    return admin.user


def test_it_replaces_a_used_demo_with_another_seed_and_size(settings, django_capture_on_commit_callbacks):
    demo("--managers", "30", "--seed", "1")
    use_the_demo(settings)
    with django_capture_on_commit_callbacks(execute=True):
        output = demo("--managers", "40", "--seed", "7", "--replace")
    assert not any(settings.PRIVATE_FILES_DIR.iterdir())  # the files the rows owned
    assert "seed 1" in output and "seed 7" in output
    assert not ImportRun.objects.exists() and not LoginBatch.objects.exists()
    assert not ApiToken.objects.exists() and not Employee.objects.filter(employee_no="X0001").exists()
    (event,) = AuditEvent.objects.filter(verb="demo.build")
    assert event.changes["seed"] == 7
    assert not AuditEvent.objects.filter(verb__startswith="import.").exists()
    assert Employee.objects.exclude(position__code="team_lead").count() == 40


def test_it_resets_a_used_demo_of_the_same_seed(settings):
    demo("--managers", "30", "--seed", "3")
    units = set(OrgUnit.objects.values_list("code", flat=True))
    use_the_demo(settings)
    demo("--managers", "30", "--seed", "3", "--reset")
    assert set(OrgUnit.objects.values_list("code", flat=True)) == units
    assert not ImportRun.objects.exists() and not Employee.objects.filter(employee_no="X0001").exists()


def test_it_leaves_the_same_demo_as_it_is_when_asked_to_replace(settings):
    demo("--managers", "30", "--seed", "3")
    use_the_demo(settings)
    assert "nothing changed" in demo("--managers", "30", "--seed", "3", "--replace")
    assert Employee.objects.filter(employee_no="X0001").exists() and ImportRun.objects.exists()


def test_it_refuses_to_replace_acting_as_a_user_it_would_delete(settings):
    demo("--managers", "30", "--seed", "1")
    admin = use_the_demo(settings)
    with pytest.raises(CommandError, match="--as"):
        demo("--managers", "40", "--seed", "2", "--replace", "--as", admin.username)
    assert Employee.objects.filter(employee_no="X0001").exists()


def test_it_refuses_to_empty_a_database_that_holds_no_demo(world):
    with pytest.raises(CommandError):
        demo("--managers", "20", "--replace")
    assert Employee.objects.filter(pk=world.manager_employee.pk).exists()
