"""A case's attachments: uploaded through the content check (a file that is not what it
claims, one too large, a zip bomb are refused, bilingual, with nothing stored), downloaded
by those who may see the case only."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casspath.knowledge.actions.cases import do_submit_case
from casspath.knowledge.models import CaseAttachment
from casspath.knowledge.tests.conftest import png, write_case
from casspath.testing import log_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def office(
    name: str, folder: str = "word/", filler: bytes = b"<w:document/>", extra: str = ""
) -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", filler)
        if extra:
            archive.writestr(extra, b"\xd0\xcf\x11\xe0")
    return SimpleUploadedFile(name, out.getvalue())


def upload(client, user, case, file):
    log_in(client, user)
    url = reverse("knowledge:case_attachment_add", args=[case.pk])
    return client.post(url, {"file": file}, follow=True)


def stored_files(settings) -> list:
    root = settings.PRIVATE_FILES_DIR
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    "file, content_type",
    [
        (lambda: SimpleUploadedFile("方案.pdf", PDF), "application/pdf"),
        (
            lambda: office("方案.docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            lambda: office("报价.xlsx", "xl/"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (lambda: png("现场.png"), "image/png"),
    ],
)
def test_it_takes_a_pdf_an_office_file_and_an_image(client, world, draft_case, settings, file, content_type):
    upload(client, world.manager, draft_case, file())
    attachment = CaseAttachment.objects.get()
    assert attachment.content_type == content_type and len(stored_files(settings)) == 1


@pytest.mark.parametrize(
    "file, said",
    [
        (lambda: SimpleUploadedFile("方案.pdf", png().read()), "与文件名不符"),  # a PNG named .pdf
        (lambda: SimpleUploadedFile("方案.docx", b"MZ\x90\x00" + b"\0" * 100), "不是可接受的附件格式"),
        (lambda: office("方案.docx", "other/"), "压缩包"),  # a zip, not an Office file
        (lambda: SimpleUploadedFile("大.pdf", PDF + b"\0" * (20 * 2**20)), "过大"),
        (lambda: office("炸弹.docx", filler=b"\0" * (20 * 2**20)), "压缩炸弹"),
        (lambda: office("宏.docx", extra="word/vbaProject.bin"), "含有宏"),  # a .docm renamed
        (lambda: office("控件.xlsx", "xl/", extra="xl/activeX/activeX1.bin"), "含有宏或 ActiveX"),
        (lambda: SimpleUploadedFile("断.pdf", b"%PDF-1.4\n" + b"x" * 2000), "不是完整的 PDF"),
    ],
)
def test_it_refuses_a_file_that_is_not_what_it_claims_too_large_or_a_zip_bomb(
    client, world, draft_case, settings, file, said
):
    response = upload(client, world.manager, draft_case, file())
    assert said in response.content.decode()
    assert not CaseAttachment.objects.exists() and stored_files(settings) == []


def test_it_refuses_an_upload_by_someone_who_may_not_change_the_case(client, world, published_case, settings):
    response = upload(client, world.team_lead, published_case, SimpleUploadedFile("方案.pdf", PDF))
    assert response.status_code == 403
    assert not CaseAttachment.objects.exists() and stored_files(settings) == []


def test_it_serves_an_attachment_of_a_case_in_review_to_its_author_and_reviewer_only(
    client, world, draft_case, other_manager
):
    upload(client, world.manager, draft_case, SimpleUploadedFile("方案.pdf", PDF))
    review_case = do_submit_case(draft_case, acting_user=world.manager)
    attachment = CaseAttachment.objects.get()
    url = reverse("knowledge:case_attachment", args=[review_case.pk, attachment.pk])
    for user, status in (
        (world.manager, 200),
        (world.consultant_a, 200),
        (other_manager, 404),
        (world.team_lead, 404),
        (world.city_admin_b, 404),
    ):
        assert log_in(client, user).get(url).status_code == status
    response = log_in(client, world.manager).get(url)
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_it_answers_404_for_an_attachment_of_another_case(client, world, draft_case, process):
    upload(client, world.manager, draft_case, SimpleUploadedFile("方案.pdf", PDF))
    other = write_case(process, world.manager, title="另一个案例")
    url = reverse("knowledge:case_attachment", args=[other.pk, CaseAttachment.objects.get().pk])
    assert log_in(client, world.manager).get(url).status_code == 404


def test_it_removes_an_attachment_and_its_file(
    client, world, draft_case, settings, django_capture_on_commit_callbacks
):
    upload(client, world.manager, draft_case, SimpleUploadedFile("方案.pdf", PDF))
    attachment = CaseAttachment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("knowledge:case_attachment_remove", args=[draft_case.pk, attachment.pk]))
    assert not CaseAttachment.objects.exists() and stored_files(settings) == []


def test_it_serves_an_attachment_of_a_published_case_to_its_readers(client, world, draft_case, other_manager):
    from casspath.knowledge.actions.cases import do_publish_case, do_submit_case

    upload(client, world.manager, draft_case, png("现场.png"))
    submitted = do_submit_case(draft_case, acting_user=world.manager)
    published = do_publish_case(submitted, acting_user=world.consultant_a)
    url = reverse("knowledge:case_attachment", args=[published.pk, CaseAttachment.objects.get().pk])
    response = log_in(client, other_manager).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert log_in(client, world.city_admin_b).get(url).status_code == 404
