"""The files of a diagnosis's printed reports (DiagnosisReport, private storage): deleted
with their rows once the deletion commits, and never left behind by a worker killed
between saving its file and committing: the job's next attempt, or the retry asked after
it failed for good, clears it."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from casspath.core import jobs
from casspath.performance.actions import do_diagnose, do_render_report, do_request_report
from casspath.performance.diagnosis import parse_period
from casspath.performance.models import DiagnosisReport
from casspath.performance.report import document

PDF = b"%PDF-1.7 a report"


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path, monkeypatch):
    settings.PRIVATE_FILES_DIR = tmp_path / "private"
    monkeypatch.setattr(document, "print_pdf", lambda _text: PDF)  # the files matter here, not the print


def _files(settings) -> list[str]:
    root = Path(settings.PRIVATE_FILES_DIR)
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def _diagnosis(world):
    return do_diagnose(world.city_a, parse_period(world.city_a, "2026-01", "2026-05"),
                       acting_user=world.city_admin_a)


def _printed(world):
    snapshot = _diagnosis(world)
    report = do_request_report(snapshot, "pdf", acting_user=world.city_admin_a)  # run at once (conftest)
    report.refresh_from_db()
    assert report.status == "succeeded" and report.file
    return snapshot, report


def _save(job: DiagnosisReport) -> str:
    """What a worker killed between saving its file and committing leaves."""
    return job.file.storage.save(job.attempt_file_name(job.attempt), ContentFile(b"%PDF- half"))


def test_it_deletes_the_file_with_its_diagnosis_once_the_deletion_commits(world, diagnosable, settings,
                                                                         django_capture_on_commit_callbacks):
    snapshot, report = _printed(world)
    assert _files(settings) == [report.file.name]
    with django_capture_on_commit_callbacks(execute=True):
        snapshot.delete()
        assert _files(settings) == [report.file.name]  # not before the commit
    assert _files(settings) == [] and not DiagnosisReport.objects.exists()


def test_it_keeps_the_file_when_the_deletion_is_rolled_back(world, diagnosable, settings,
                                                           django_capture_on_commit_callbacks):
    snapshot, report = _printed(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            snapshot.delete()
            raise RuntimeError("changed my mind")
    assert callbacks == [] and _files(settings) == [report.file.name]
    with report.file.open("rb") as kept:
        assert kept.read() == PDF


def test_it_deletes_a_report_row_with_a_killed_attempts_file_too(world, diagnosable, settings, monkeypatch,
                                                                django_capture_on_commit_callbacks):
    snapshot = _diagnosis(world)
    monkeypatch.setattr(jobs, "on_commit", lambda callback: None)  # no worker takes it
    report = do_request_report(snapshot, "pdf", acting_user=world.city_admin_a)
    left = _save(jobs.claim(DiagnosisReport, report.pk) or pytest.fail("not claimed"))
    assert _files(settings) == [left]
    with django_capture_on_commit_callbacks(execute=True):
        DiagnosisReport.objects.filter(pk=report.pk).delete()
    assert _files(settings) == []


def test_it_clears_a_killed_attempts_file_when_the_job_runs_again(world, diagnosable, settings, monkeypatch):
    snapshot = _diagnosis(world)
    monkeypatch.setattr(jobs, "on_commit", lambda callback: None)  # no worker takes it yet
    report = do_request_report(snapshot, "pdf", acting_user=world.city_admin_a)
    left = _save(jobs.claim(DiagnosisReport, report.pk) or pytest.fail("not claimed"))
    DiagnosisReport.objects.filter(pk=report.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    assert jobs.sweep()["requeued"] == 1
    printed = do_render_report(report.pk)  # the second attempt
    assert printed is not None and printed.status == "succeeded" and printed.attempt == 2
    assert printed.file.name == printed.attempt_file_name(2) != left
    assert _files(settings) == [printed.file.name]


def test_it_clears_the_file_of_a_job_failed_for_good_when_asked_again(
        world, diagnosable, settings, monkeypatch, django_capture_on_commit_callbacks):
    snapshot = _diagnosis(world)
    monkeypatch.setattr(jobs, "on_commit", lambda callback: None)
    report = do_request_report(snapshot, "pdf", acting_user=world.city_admin_a)
    DiagnosisReport.objects.filter(pk=report.pk).update(attempt=settings.JOB_MAX_ATTEMPTS - 1)
    left = _save(jobs.claim(DiagnosisReport, report.pk) or pytest.fail("not claimed"))
    DiagnosisReport.objects.filter(pk=report.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    assert jobs.sweep()["failed"] == 1
    assert _files(settings) == [left]
    monkeypatch.setattr(jobs, "on_commit", lambda callback: callback())  # the worker runs the retry
    with django_capture_on_commit_callbacks(execute=True):
        retry = do_request_report(snapshot, "pdf", acting_user=world.city_admin_a)
        assert left in _files(settings)  # until the retry is queued for good
    retry.refresh_from_db()
    assert retry.pk != report.pk and retry.status == "succeeded"
    assert _files(settings) == [retry.file.name]
