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


# What Word, Excel and PowerPoint write, to build real-looking packages: Office finds a part by
# its relationship and content type, so a macro project may be named anything.
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504  # an OLE compound file's header


def package(parts: dict, types: str = "", rels: str = "", main: str = "word/document.xml") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{TYPES}">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{types}</Types>',
        )
        folder, _, file = main.rpartition("/")
        archive.writestr(main, "<document/>")
        relationships = f'<Relationships xmlns="{RELS}">{rels}</Relationships>'
        archive.writestr(f"{folder}/_rels/{file}.rels", relationships)
        for part, content in parts.items():
            archive.writestr(part, content)
    return out.getvalue()


def ole_stream(stream: str) -> bytes:
    """An OLE object whose directory names `stream` (UTF-16, as a compound file stores it)."""
    return OLE + stream.encode("utf-16-le") + b"\0" * 128


WORKBOOK_WITH_MACROS = package({"xl/vbaProject.bin": OLE}, main="xl/workbook.xml")  # an .xlsm


@pytest.mark.parametrize(
    "file",
    [
        # vbaProject.bin renamed: the relationship and content type still make it the macros
        lambda: package(
            {"word/data.dat": OLE},
            '<Override PartName="/word/data.dat" ContentType="application/vnd.ms-office.vbaProject"/>',
            '<Relationship Id="rId9" Target="data.dat" '
            'Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"/>',
        ),
        # the content type behind a character reference, as an XML reader (and Office) reads it
        lambda: package(
            {"word/data.dat": OLE},
            '<Override PartName="/word/data.dat" ContentType="application/vnd.ms-office.vba&#x50;roject"/>',
        ),
        lambda: package({"word\\vbaProject.bin": OLE}),  # a Windows path in the zip
        lambda: package({"word/vba%50roject.bin": OLE}),  # a percent-encoded part name
        # a .docm's main part (macro-enabled) named .docx
        lambda: package(
            {},
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/>',
        ),
        # a macro-enabled workbook embedded in a document, opened by a double click
        lambda: package({"word/embeddings/Microsoft_Excel_Worksheet1.xlsx": WORKBOOK_WITH_MACROS}),
        # an OLE object (an old .doc or .xls) holding a VBA project
        lambda: package({"word/embeddings/oleObject1.bin": ole_stream("_VBA_PROJECT_CUR")}),
        # an OLE object packaging a whole .xlsm (its zip lies plain in the object's stream)
        lambda: package(
            {"word/embeddings/oleObject2.bin": ole_stream("\x01Ole10Native") + WORKBOOK_WITH_MACROS}
        ),
        # the override's part name percent-encoded, the zip's not
        lambda: package(
            {"word/data.dat": OLE},
            '<Override PartName="/word/data%2Edat" ContentType="application/vnd.ms-office.vbaProject"/>',
        ),
        # an ActiveX control, linked from the document under another folder's name
        lambda: package(
            {"word/ctl/c1.xml": "<ax:ocx/>"},
            '<Override PartName="/word/ctl/c1.xml" ContentType="application/vnd.ms-office.activeX+xml"/>',
            '<Relationship Id="rId5" Target="ctl/c1.xml" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/control"/>',
        ),
    ],
)
def test_it_refuses_macros_and_activex_however_they_are_packed(client, world, draft_case, settings, file):
    response = upload(client, world.manager, draft_case, SimpleUploadedFile("方案.docx", file()))
    assert "含有宏或 ActiveX 控件" in response.content.decode()
    assert not CaseAttachment.objects.exists() and stored_files(settings) == []


def test_it_refuses_an_excel_4_macro_sheet(client, world, draft_case, settings):
    workbook = package(
        {"xl/sheets/m1.xml": "<xm:macrosheet/>"},
        '<Override PartName="/xl/sheets/m1.xml" ContentType="application/vnd.ms-excel.macrosheet+xml"/>',
        main="xl/workbook.xml",
    )
    response = upload(client, world.manager, draft_case, SimpleUploadedFile("报价.xlsx", workbook))
    assert "含有宏或 ActiveX 控件" in response.content.decode() and not CaseAttachment.objects.exists()


def test_it_takes_office_files_with_embedded_workbooks_equations_and_form_controls(client, world, draft_case):
    """Only code is refused: a chart's workbook, an equation's OLE object, Excel's form
    controls and printer settings, a text that speaks of ActiveX are what ordinary files hold."""
    chart_workbook = package({}, main="xl/workbook.xml")
    document = package(
        {
            "word/embeddings/Microsoft_Excel_Worksheet.xlsx": chart_workbook,
            "word/embeddings/oleObject1.bin": ole_stream("Equation Native"),
            "word/media/image1.png": png().read(),
        },
        '<Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.oleObject"/>'
        '<Default Extension="xlsx" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"/>',
        '<Relationship Id="rId1" Target="http://example.com/activeX/vbaProject.bin" TargetMode="External" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"/>',
    )
    workbook = package(
        {
            "xl/ctrlProps/ctrlProp1.xml": "<formControlPr/>",
            "xl/printerSettings/printerSettings1.bin": b"\1" * 64,
        },
        '<Default Extension="bin" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.printerSettings"/>'
        '<Override PartName="/xl/ctrlProps/ctrlProp1.xml" '
        'ContentType="application/vnd.ms-excel.controlproperties+xml"/>',
        '<Relationship Id="rId2" Target="../ctrlProps/ctrlProp1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/ctrlProp"/>',
        main="xl/workbook.xml",
    )
    for name, content in (("方案.docx", document), ("报价.xlsx", workbook)):
        response = upload(client, world.manager, draft_case, SimpleUploadedFile(name, content))
        assert "已拒绝" not in response.content.decode()
    assert CaseAttachment.objects.count() == 2


def test_it_counts_the_parts_of_embedded_workbooks_against_the_file_s_limit(
    client, world, draft_case, settings, monkeypatch
):
    """Many small embedded packages are no way round the cap on parts (each one is unpacked)."""
    monkeypatch.setattr("casspath.core.filetypes.ZIP_MAX_PARTS", 6)
    workbook = package({}, main="xl/workbook.xml")  # three parts
    one = package({"word/embeddings/w1.xlsx": workbook})  # 4 + 3 parts
    two = package({"word/embeddings/w1.xlsx": workbook, "word/embeddings/w2.xlsx": workbook})  # 5 + 6
    response = upload(client, world.manager, draft_case, SimpleUploadedFile("两个.docx", two))
    assert "压缩炸弹" in response.content.decode() and stored_files(settings) == []
    monkeypatch.setattr("casspath.core.filetypes.ZIP_MAX_PARTS", 7)
    upload(client, world.manager, draft_case, SimpleUploadedFile("一个.docx", one))
    assert CaseAttachment.objects.get().name == "一个.docx"
