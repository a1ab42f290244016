"""GET /api/v1/performance/diagnoses/{id}/report?format=pdf|html|xlsx|json: a succeeded
diagnosis as a file, for one who may see the unit's reports; refused otherwise. The PDF is
printed in the background once and kept: 202 with its job's status until then (POST prints
it again after a failure)."""

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from casspath.core import jobs
from casspath.core.models import AuditEvent
from casspath.performance.actions import do_render_report
from casspath.performance.audit_verbs import PerformanceVerb
from casspath.performance.models import DiagnosisReport
from casspath.performance.report import document
from casspath.testing import ApiCaller


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path / "private"


def _diagnosis(client, user) -> int:
    queued = ApiCaller(client, user).post("/performance/diagnoses",
                                         {"unit": "GZ", "from": "2026-01", "to": "2026-05"})
    assert queued.status_code == 201, queued.json()
    return queued.json()["id"]  # the tests' worker ran it at once


def test_it_downloads_the_clients_report_as_pdf_by_default(client, world, diagnosable):
    pk = _diagnosis(client, world.city_admin_a)
    answer = ApiCaller(client, world.consultant_a, bearer=True).get(f"/performance/diagnoses/{pk}/report")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"] == f'attachment; filename="diagnosis-GZ-2026-01-2026-05-{pk}.pdf"'
    reader = PdfReader(io.BytesIO(answer.content))
    assert len(reader.pages) >= 4 and "绩效诊断报告" in reader.pages[0].extract_text()


def test_it_downloads_the_report_as_html_and_the_figures_as_xlsx_and_json(client, world, diagnosable):
    pk = _diagnosis(client, world.city_admin_a)
    api = ApiCaller(client, world.city_admin_a)
    page = api.get(f"/performance/diagnoses/{pk}/report?format=html")
    assert page.status_code == 200 and page["Content-Type"] == "text/html; charset=utf-8"
    text = page.content.decode("utf-8")
    figures = api.get(f"/performance/diagnoses/{pk}").json()["figures"]
    assert "广州分公司" in text and all(tier["finding"]["zh"] in text for tier in figures["tiers"])
    book = load_workbook(io.BytesIO(api.get(f"/performance/diagnoses/{pk}/report?format=xlsx").content))
    assert book.sheetnames[0] == "概览 Summary"
    assert api.get(f"/performance/diagnoses/{pk}/report?format=json").json() == figures


def test_it_refuses_another_citys_diagnosis_a_manager_and_an_unknown_format(client, world, diagnosable):
    pk = _diagnosis(client, world.city_admin_a)
    other = ApiCaller(client, world.city_admin_b).get(f"/performance/diagnoses/{pk}/report?format=pdf")
    assert other.status_code == 404 and other.json()["detail_en"] == "No such diagnosis"
    manager = ApiCaller(client, world.manager).get(f"/performance/diagnoses/{pk}/report")
    assert manager.status_code == 403 and manager.json()["detail_zh"]
    unknown = ApiCaller(client, world.city_admin_a).get(f"/performance/diagnoses/{pk}/report?format=docx")
    assert unknown.status_code == 422
    assert "pdf" in unknown.json()["detail_en"] and unknown.json()["detail_zh"]


def test_it_refuses_a_diagnosis_not_done_yet(client, world, diagnosable, monkeypatch):
    monkeypatch.setattr(jobs, "on_commit", lambda callback: None)  # no worker takes it
    pk = _diagnosis(client, world.city_admin_a)
    answer = ApiCaller(client, world.city_admin_a).get(f"/performance/diagnoses/{pk}/report?format=html")
    assert answer.status_code == 409
    assert "not succeeded" in answer.json()["detail_en"] and answer.json()["detail_zh"]


def test_it_answers_202_while_the_pdf_is_printed_in_the_background_then_the_file(client, world, diagnosable,
                                                                                monkeypatch):
    pk = _diagnosis(client, world.city_admin_a)
    monkeypatch.setattr(jobs, "on_commit", lambda callback: None)  # no worker takes it yet
    printer = document.print_pdf
    monkeypatch.setattr(document, "print_pdf", lambda _text: pytest.fail("printed inside the request"))
    api = ApiCaller(client, world.consultant_a)
    first, second = (api.get(f"/performance/diagnoses/{pk}/report?format=pdf") for _twice in range(2))
    assert first.status_code == second.status_code == 202 and first["Retry-After"] == "2"
    status = first.json()
    assert status["status"] == "queued" and status["diagnosis"] == pk and status["format"] == "pdf"
    assert status["url"].endswith(f"/api/v1/performance/diagnoses/{pk}/report?format=pdf")
    assert second.json()["id"] == status["id"] and DiagnosisReport.objects.count() == 1  # queued once
    assert AuditEvent.objects.filter(verb=PerformanceVerb.QUEUE_REPORT).count() == 1
    assert api.post(f"/performance/diagnoses/{pk}/report?format=pdf").json()["id"] == status["id"]
    monkeypatch.setattr(document, "print_pdf", printer)
    do_render_report(status["id"])  # the worker
    answer = api.get(f"/performance/diagnoses/{pk}/report?format=pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert "绩效诊断报告" in PdfReader(io.BytesIO(answer.content)).pages[0].extract_text()
    assert AuditEvent.objects.filter(verb=PerformanceVerb.EXPORT_DIAGNOSIS, object_id=str(pk)).count() == 1


def test_it_gives_a_failed_printings_reason_and_prints_it_again_on_post(client, world, diagnosable,
                                                                       monkeypatch):
    pk = _diagnosis(client, world.city_admin_a)
    printer = document.print_pdf

    def broken(_text):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(document, "print_pdf", broken)
    api = ApiCaller(client, world.city_admin_a)
    failed = api.get(f"/performance/diagnoses/{pk}/report")  # the tests' worker runs it at once
    assert failed.status_code == 409 and "POST" in failed.json()["detail_en"]
    assert "内部错误" in failed.json()["detail_zh"]
    assert api.get(f"/performance/diagnoses/{pk}/report").status_code == 409  # a GET does not retry
    monkeypatch.setattr(document, "print_pdf", printer)
    again = api.post(f"/performance/diagnoses/{pk}/report?format=pdf")
    assert again.status_code == 202 and again.json()["status"] == "succeeded"
    assert api.get(f"/performance/diagnoses/{pk}/report").status_code == 200
    assert api.post(f"/performance/diagnoses/{pk}/report?format=json").status_code == 422


def test_it_refuses_to_prepare_another_citys_pdf_or_a_managers(client, world, diagnosable):
    pk = _diagnosis(client, world.city_admin_a)
    other = ApiCaller(client, world.city_admin_b).post(f"/performance/diagnoses/{pk}/report?format=pdf")
    assert other.status_code == 404
    assert ApiCaller(client, world.manager).post(f"/performance/diagnoses/{pk}/report").status_code == 403
    assert not DiagnosisReport.objects.exists()


def test_it_audits_each_download_and_names_who_ran_the_diagnosis_in_the_report(client, world, diagnosable):
    pk = _diagnosis(client, world.city_admin_a)
    api = ApiCaller(client, world.consultant_a)
    text = api.get(f"/performance/diagnoses/{pk}/report?format=html").content.decode("utf-8")
    assert "广州管理员" in text  # who ran it by name, on the title page
    exports = AuditEvent.objects.filter(verb="export.diagnosis", object_id=str(pk))
    assert list(exports.values_list("actor_label", flat=True)) == [world.consultant_a.username]


def test_it_prints_the_pdf_again_when_its_kept_file_is_gone(client, world, diagnosable):
    # The storage wiped or restored without it, or a worker on another machine's disk: the
    # kept report must not answer 500 for ever, nor its POST return the lost one.
    pk = _diagnosis(client, world.city_admin_a)
    api = ApiCaller(client, world.city_admin_a)
    assert api.get(f"/performance/diagnoses/{pk}/report?format=pdf").status_code == 200  # printed at once
    kept = DiagnosisReport.objects.get()
    kept.file.storage.delete(str(kept.file.name))
    again = api.get(f"/performance/diagnoses/{pk}/report?format=pdf")
    assert again.status_code == 202 and again.json()["id"] != kept.pk
    kept.refresh_from_db()
    assert kept.status == "failed" and kept.retryable and "文件" in kept.error_zh and "file" in kept.error_en
    answer = api.get(f"/performance/diagnoses/{pk}/report?format=pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert list(DiagnosisReport.objects.order_by("pk").values_list("status", flat=True)) == ["failed",
                                                                                           "succeeded"]
