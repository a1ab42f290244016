"""A course's and its lecturer manual's PDFs: printed in the background through the guides'
PDF machinery (a CoursePdf job), A4, Chinese text with Noto CJK embedded; the manual's to
those who may read the manual only; a change to the course prints it again."""

import io

import pytest
from pypdf import PdfReader

from casspath.cass.models import ResourceStatus
from casspath.core.models import AuditEvent
from casspath.knowledge.actions.courses import do_save_segment, do_set_course_status
from casspath.knowledge.models import CoursePdf
from casspath.knowledge.tests.pdf_checks import fonts_of
from casspath.testing import log_in

pytestmark = pytest.mark.django_db

A4 = (595.28, 841.89)  # points


def _download(client, course, document) -> PdfReader:
    response = client.get(f"/knowledge/courses/{course.pk}/{document}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(b"".join(response.streaming_content)))


def _check_print(reader: PdfReader, words) -> None:
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 1), round(height, 1)) == (round(A4[0], 1), round(A4[1], 1))
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in words:
        assert expected in text, expected
    fonts = fonts_of(reader)
    assert fonts and all(f["embedded"] for f in fonts)
    assert any(f["name"].endswith("+Noto-Sans-CJK-SC") for f in fonts), fonts


def test_it_prints_the_course_on_a4_with_embedded_chinese_fonts(
    client, world, course, django_capture_on_commit_callbacks
):
    do_set_course_status(course, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)
    log_in(client, world.manager)
    assert client.get(f"/knowledge/courses/{course.pk}/course.pdf").status_code == 302  # not printed yet
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/knowledge/courses/{course.pk}/course/pdf/prepare/").status_code == 302
    job = CoursePdf.objects.get()
    assert (
        job.status == CoursePdf.Status.SUCCEEDED
        and job.document == "course"
        and job.created_by == world.manager
    )
    assert job.progress_done == job.progress_total == 3
    fragment = client.get(f"/knowledge/courses/{course.pk}/course/pdf/progress/").content.decode()
    assert f"/knowledge/courses/{course.pk}/course.pdf" in fragment
    _check_print(
        _download(client, course, "course"),
        (
            "互联网专线产品课程",
            "产品定义",
            "独享带宽",
            "产品卖点",
            "开通流程",
            "营销技巧",
            "课后检测",
            "开通互联网专线前必须先做哪一步",
            "补充材料",
            "100M 每月 2,000 元起",
        ),
    )
    assert AuditEvent.objects.filter(verb="knowledge.queue_course_pdf").count() == 1
    client.post(f"/knowledge/courses/{course.pk}/course/pdf/prepare/")
    assert CoursePdf.objects.count() == 1  # asked again: the printed one serves


def test_it_prints_the_lecturer_manual_with_its_clock(
    client, world, course, django_capture_on_commit_callbacks
):
    do_set_course_status(course, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)
    log_in(client, world.lecturer_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/knowledge/courses/{course.pk}/manual/pdf/prepare/")
    job = CoursePdf.objects.get()
    assert job.status == CoursePdf.Status.SUCCEEDED and job.document == "manual"
    _check_print(
        _download(client, course, "manual"),
        (
            "讲师手册",
            "全程共 17 分钟",
            "00:00–03:00",
            "12:00–17:00",
            "各位早上好",
            "客户说宽带够用",
            "问清业务系统",
        ),
    )
    # An account manager reads the course, not the manual or its PDF.
    log_in(client, world.manager)
    assert client.get(f"/knowledge/courses/{course.pk}/manual.pdf").status_code == 404
    assert client.get(f"/knowledge/courses/{course.pk}/manual/pdf/progress/").status_code == 404
    assert client.get(f"/knowledge/courses/{course.pk}/other.pdf").status_code == 404


def test_it_prints_again_once_the_course_changed(client, world, course, django_capture_on_commit_callbacks):
    log_in(client, world.consultant_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/knowledge/courses/{course.pk}/manual/pdf/prepare/")
    do_save_segment(
        course,
        {"minutes": 2, "kind": "say", "title": "总结与布置作业", "say": "今天回去每人约一家客户。"},
        acting_user=world.consultant_a,
    )
    assert client.get(f"/knowledge/courses/{course.pk}/manual.pdf").status_code == 302  # stale
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/knowledge/courses/{course.pk}/manual/pdf/prepare/")
    assert CoursePdf.objects.filter(status="succeeded").count() == 2
    text = "".join(p.extract_text() for p in _download(client, course, "manual").pages)
    assert "总结与布置作业" in text and "全程共 19 分钟" in text


def test_it_shows_the_progress_while_the_job_waits(client, world, course, monkeypatch):
    from casspath.core import jobs

    monkeypatch.setattr(jobs, "on_commit", lambda callback: None)  # no worker takes it
    log_in(client, world.consultant_a)
    client.post(f"/knowledge/courses/{course.pk}/course/pdf/prepare/")
    assert CoursePdf.objects.get().status == "queued"
    fragment = client.get(f"/knowledge/courses/{course.pk}/course/pdf/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "job-progress" in fragment
