"""A guide's PDF: printed in the background (a GuidePdf job) with its Chinese text and the
Noto CJK font embedded, its images included; progress shown on the page, then the download,
to those who may read the guide only; asking twice queues once; a change to the guide makes
the next request print it again."""

import io

import pytest
from pypdf import PdfReader

from casspath.cass.models import ResourceStatus
from casspath.core.models import AuditEvent
from casspath.knowledge.actions.guides import do_save_step, do_set_guide_status
from casspath.knowledge.models import GuidePdf
from casspath.knowledge.tests.pdf_checks import fonts_of
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def _images(reader: PdfReader) -> int:
    """Distinct images (WeasyPrint may share one resource dictionary between pages)."""
    return len({image.data for page in reader.pages for image in page.images})


def test_it_prints_the_guide_in_the_background_with_chinese_text_and_embedded_fonts(
    client, world, guide, django_capture_on_commit_callbacks
):
    do_set_guide_status(guide, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)
    log_in(client, world.manager)
    page = client.get(f"/knowledge/guides/{guide.pk}/").content.decode()
    assert f"/knowledge/guides/{guide.pk}/pdf/prepare/" in page
    early = client.get(f"/knowledge/guides/{guide.pk}/guide.pdf")
    assert early.status_code == 302 and early["Location"].endswith(f"/knowledge/guides/{guide.pk}/#pdf")
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            client.post(f"/knowledge/guides/{guide.pk}/pdf/prepare/", {"page_size": "A5"}).status_code == 302
        )
    job = GuidePdf.objects.get()
    assert job.status == GuidePdf.Status.SUCCEEDED and job.created_by == world.manager
    assert job.progress_done == job.progress_total == 2 + 2
    fragment = client.get(f"/knowledge/guides/{guide.pk}/pdf/progress/").content.decode()
    assert f"/knowledge/guides/{guide.pk}/guide.pdf" in fragment
    response = client.get(f"/knowledge/guides/{guide.pk}/guide.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    reader = PdfReader(io.BytesIO(data))
    text = "".join(p.extract_text() for p in reader.pages)
    for words in (
        "集团专线开通申请指引",
        "资源预查",
        "先确认客户的详细地址",
        "地址写到门牌号",
        "要点",
        "易错点",
    ):
        assert words in text
    fonts = fonts_of(reader)
    assert fonts and all(f["embedded"] for f in fonts)
    # subset fonts are named "ABCDEF+Noto-Sans-CJK-SC"
    assert any(f["name"].endswith("+Noto-Sans-CJK-SC") for f in fonts), fonts
    assert _images(reader) == 1
    assert AuditEvent.objects.filter(verb="knowledge.queue_pdf").count() == 1
    # Asked again: the printed one serves; no second job.
    client.post(f"/knowledge/guides/{guide.pk}/pdf/prepare/", {"page_size": "A5"})
    assert GuidePdf.objects.count() == 1


def test_it_shows_the_progress_while_the_job_waits(client, world, guide, monkeypatch):
    from casspath.core import jobs

    monkeypatch.setattr(jobs, "on_commit", lambda callback: None)  # no worker takes it
    log_in(client, world.consultant_a)
    client.post(f"/knowledge/guides/{guide.pk}/pdf/prepare/", {"page_size": "A4"})
    job = GuidePdf.objects.get()
    assert job.status == "queued" and job.page_size == "A4"
    fragment = client.get(f"/knowledge/guides/{guide.pk}/pdf/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "job-progress" in fragment


def test_it_counts_the_guides_steps_while_laying_them_out(client, world, guide, monkeypatch):
    # The job counts steps and two more phases: "5 / 8" read as "step 5 of 8" of a 6-step guide.
    from casspath.core import jobs

    monkeypatch.setattr(jobs, "on_commit", lambda callback: None)  # no worker takes it
    log_in(client, world.consultant_a)
    client.post(f"/knowledge/guides/{guide.pk}/pdf/prepare/", {"page_size": "A5"})
    job = GuidePdf.objects.get()
    GuidePdf.objects.filter(pk=job.pk).update(status="running", phase="images", progress_done=1)
    fragment = client.get(f"/knowledge/guides/{guide.pk}/pdf/progress/").content.decode()
    assert "正在排版：已完成 1 / 2 步" in fragment and "1 / 4" not in fragment


def test_it_prints_again_once_the_guide_changed(client, world, guide, django_capture_on_commit_callbacks):
    log_in(client, world.consultant_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/knowledge/guides/{guide.pk}/pdf/prepare/", {"page_size": "A5"})
    do_save_step(guide, {"title": "提交工单"}, acting_user=world.consultant_a)
    stale = client.get(f"/knowledge/guides/{guide.pk}/guide.pdf")
    assert stale.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/knowledge/guides/{guide.pk}/pdf/prepare/", {"page_size": "A5"})
    assert GuidePdf.objects.filter(status="succeeded").count() == 2
    data = b"".join(client.get(f"/knowledge/guides/{guide.pk}/guide.pdf").streaming_content)
    assert "提交工单" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_it_refuses_the_pdf_outside_the_maps_scope(client, world, guide, django_capture_on_commit_callbacks):
    do_set_guide_status(guide, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)
    log_in(client, world.consultant_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/knowledge/guides/{guide.pk}/pdf/prepare/", {"page_size": "A5"})
    for user in (world.manager_b, world.consultant_b):
        log_in(client, user)
        assert client.get(f"/knowledge/guides/{guide.pk}/guide.pdf").status_code == 404
        assert client.post(f"/knowledge/guides/{guide.pk}/pdf/prepare/").status_code == 404
        assert client.get(f"/knowledge/guides/{guide.pk}/pdf/progress/").status_code == 404
    assert GuidePdf.objects.count() == 1


def test_it_prints_the_guide_without_an_image_whose_file_is_gone(
    client, world, guide, django_capture_on_commit_callbacks
):
    from casspath.knowledge.models import GuideImage

    image = GuideImage.objects.get()
    image.file.storage.delete(image.file.name or "")
    log_in(client, world.consultant_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/knowledge/guides/{guide.pk}/pdf/prepare/", {"page_size": "A5"})
    job = GuidePdf.objects.get()
    assert job.status == GuidePdf.Status.SUCCEEDED
    data = b"".join(client.get(f"/knowledge/guides/{guide.pk}/guide.pdf").streaming_content)
    reader = PdfReader(io.BytesIO(data))
    assert "资源预查界面" in "".join(p.extract_text() for p in reader.pages)  # the caption stays
    assert _images(reader) == 0
