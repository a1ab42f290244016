"""/performance/diagnoses/ID/report.pdf (and its prepare/progress): the PDF is printed in the
background once per diagnosis and kept, never within a request; the page offers to prepare
it, shows its progress, then its download (audited); asking twice queues once; refused
outside the scope and to those who may not see reports."""

import io

import pytest
from pypdf import PdfReader

from casspath.core import jobs
from casspath.core.models import AuditEvent
from casspath.performance.actions import do_diagnose, do_render_report
from casspath.performance.audit_verbs import PerformanceVerb
from casspath.performance.diagnosis import parse_period
from casspath.performance.models import DiagnosisReport
from casspath.performance.report import document
from casspath.testing import log_in


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path / "private"


@pytest.fixture
def no_worker(monkeypatch):
    """No worker takes a job, and printing within a request would fail the test."""
    monkeypatch.setattr(jobs, "on_commit", lambda callback: None)

    def refuse(_text):
        raise AssertionError("a PDF was printed inside the request")

    printer = document.print_pdf
    monkeypatch.setattr(document, "print_pdf", refuse)
    return printer


def _diagnosis(world):
    return do_diagnose(world.city_a, parse_period(world.city_a, "2026-01", "2026-05"),
                       acting_user=world.city_admin_a)


def _url(snapshot, rest=""):
    return f"/performance/diagnoses/{snapshot.pk}/report.pdf{rest}"


def test_it_offers_to_prepare_the_pdf_and_prints_it_in_the_background_once(client, world, diagnosable,
                                                                           no_worker, monkeypatch):
    snapshot = _diagnosis(world)
    log_in(client, world.consultant_a)
    page = client.get(f"/performance/diagnoses/{snapshot.pk}/").content.decode()
    assert _url(snapshot, "/prepare/") in page and f'href="{_url(snapshot)}"' not in page
    early = client.get(_url(snapshot))  # before it is prepared: sent to the button, nothing printed
    assert early.status_code == 302
    assert early["Location"].endswith(f"/performance/diagnoses/{snapshot.pk}/#pdf")
    for _twice in range(2):
        assert client.post(_url(snapshot, "/prepare/")).status_code == 302
    job = DiagnosisReport.objects.get()
    assert job.status == "queued" and job.created_by == world.consultant_a
    queued = AuditEvent.objects.filter(verb=PerformanceVerb.QUEUE_REPORT, object_id=str(snapshot.pk))
    assert queued.count() == 1
    polling = client.get(f"/performance/diagnoses/{snapshot.pk}/").content.decode()
    assert f'hx-get="{_url(snapshot, "/progress/")}"' in polling
    monkeypatch.setattr(document, "print_pdf", no_worker)  # the worker prints
    printed = do_render_report(job.pk)
    assert printed is not None and printed.status == "succeeded"
    assert do_render_report(job.pk) is None  # a second message does nothing
    done = client.get(_url(snapshot, "/progress/")).content.decode()
    assert f'href="{_url(snapshot)}"' in done and "hx-get" not in done
    answer = client.get(_url(snapshot))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert "绩效诊断报告" in PdfReader(io.BytesIO(answer.content)).pages[0].extract_text()
    exports = AuditEvent.objects.filter(verb=PerformanceVerb.EXPORT_DIAGNOSIS, object_id=str(snapshot.pk))
    assert list(exports.values_list("actor_label", flat=True)) == [world.consultant_a.username]
    log_in(client, world.city_admin_a)  # another viewer gets the file kept, printed once
    assert client.get(_url(snapshot)).content == answer.content
    assert client.post(_url(snapshot, "/prepare/")).status_code == 302
    assert DiagnosisReport.objects.count() == 1


def test_it_shows_a_failed_printing_and_prints_it_again_when_asked(client, world, diagnosable, monkeypatch):
    snapshot = _diagnosis(world)

    def broken(_text):
        raise RuntimeError("no fonts")

    printer = document.print_pdf
    monkeypatch.setattr(document, "print_pdf", broken)
    log_in(client, world.city_admin_a)
    client.post(_url(snapshot, "/prepare/"))  # the tests' worker runs it at once, and it fails
    failed = DiagnosisReport.objects.get()
    assert failed.status == "failed" and not failed.file
    page = client.get(f"/performance/diagnoses/{snapshot.pk}/").content.decode()
    assert "生成 PDF 报告时发生内部错误" in page and _url(snapshot, "/prepare/") in page
    monkeypatch.setattr(document, "print_pdf", printer)
    client.post(_url(snapshot, "/prepare/"))
    statuses = list(DiagnosisReport.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["failed", "succeeded"]
    assert client.get(_url(snapshot)).status_code == 200


def test_it_refuses_another_citys_admin_a_team_lead_and_a_manager(client, world, diagnosable, no_worker):
    snapshot = _diagnosis(world)
    urls = [_url(snapshot), _url(snapshot, "/progress/")]
    log_in(client, world.city_admin_b)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    assert client.post(_url(snapshot, "/prepare/")).status_code == 404
    log_in(client, world.team_lead)  # his team's reports only, not the city's
    assert client.post(_url(snapshot, "/prepare/")).status_code == 404
    log_in(client, world.manager)
    assert [client.get(url).status_code for url in urls] == [403, 403]
    assert client.post(_url(snapshot, "/prepare/")).status_code == 403
    assert not DiagnosisReport.objects.exists()
    assert not AuditEvent.objects.filter(verb__in=[PerformanceVerb.QUEUE_REPORT,
                                                   PerformanceVerb.EXPORT_DIAGNOSIS]).exists()


def test_it_offers_to_print_the_pdf_again_when_its_kept_file_is_gone(client, world, diagnosable):
    snapshot = _diagnosis(world)
    log_in(client, world.consultant_a)
    client.post(_url(snapshot, "/prepare/"))  # the tests' worker prints it at once
    kept = DiagnosisReport.objects.get()
    assert kept.status == "succeeded" and client.get(_url(snapshot)).status_code == 200
    kept.file.storage.delete(str(kept.file.name))
    lost = client.get(_url(snapshot))
    assert lost.status_code == 302 and lost["Location"].endswith(f"/performance/diagnoses/{snapshot.pk}/#pdf")
    kept.refresh_from_db()
    assert kept.status == "failed" and kept.retryable
    page = client.get(f"/performance/diagnoses/{snapshot.pk}/").content.decode()
    assert "PDF 文件已不在" in page and _url(snapshot, "/prepare/") in page
    client.post(_url(snapshot, "/prepare/"))
    assert client.get(_url(snapshot)).status_code == 200
