"""`casspath import KIND FILE`: what it prints. A run refused for a bad row wrote nothing, so
it prints no counts of what its good rows would have done: only the failure and its reasons."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casspath.imports.tests.helpers import roster_csv
from casspath.org.models import Employee

pytestmark = pytest.mark.django_db


def run(tmp_path, data: bytes, *args: str) -> tuple[str, CommandError | None]:
    path = tmp_path / "roster.csv"
    path.write_bytes(data)
    out = io.StringIO()
    try:
        call_command("import", "roster", str(path), "--as", "padmin", *args, stdout=out, stderr=io.StringIO())
    except CommandError as failed:
        return out.getvalue(), failed
    return out.getvalue(), None


@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry-run"])
def test_it_prints_only_the_failure_and_its_reasons_for_a_refused_file(world, tmp_path, dry_run):
    data = roster_csv(("E0101", "钱新人", "GZ-TH-01"), ("E0102", "孙新人", "NO-SUCH-UNIT"))
    out, failed = run(tmp_path, data, *(["--dry-run"] if dry_run else []))
    assert failed is not None and "import failed, nothing written (1 errors" in str(failed)
    assert "created" not in out and "updated" not in out and "unchanged" not in out
    assert "failed; rows 2, errors 1" in out
    assert "第 3 行 / row 3" in out and "NO-SUCH-UNIT" in out
    assert not Employee.objects.filter(employee_no__in=["E0101", "E0102"]).exists()


def test_it_prints_the_counts_of_an_import_that_succeeds(world, tmp_path):
    out, failed = run(tmp_path, roster_csv(("E0101", "钱新人", "GZ-TH-01")))
    assert failed is None and "rows 1, created 1, updated 0" in out and "import done" in out
    assert Employee.objects.filter(employee_no="E0101").exists()
