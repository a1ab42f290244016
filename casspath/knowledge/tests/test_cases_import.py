"""`casspath import cases FILE`: the case library from a table (knowledge/importers/cases.py)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casspath.cass.models import Resource, ResourceKind, ResourceStatus
from casspath.core.models import AuditEvent
from casspath.core.spreadsheets import csv_bytes
from casspath.imports.models import ImportRun
from casspath.imports.registry import get
from casspath.imports.report import ImportReport
from casspath.knowledge.actions.cases import do_submit_case
from casspath.knowledge.importers.cases import CaseImporter, case_code_of
from casspath.knowledge.models import Case, CaseStatus
from casspath.knowledge.tests.conftest import write_case

pytestmark = pytest.mark.django_db

HEADER = [
    "案例编号", "标题", "知识点", "故事", "背景", "挑战", "做法", "结果", "工具",
    "流程步骤", "维度", "产品", "行业", "客户类型", "客户规模", "作者工号", "状态",
]  # fmt: skip
STORY_A = "王经理在园区扫楼时看见七楼在装修，从施工许可上查到新入驻的企业，搬家前十天就开通了专线。"
STORY_B = "赵同事给一家培训机构打了十一次电话都被前台挡下，第十二次改说带工程师免费测速，约到了校长。"
ROW_A = [
    "AL-001", "七楼的装修噪音", "扫楼时留意正在装修的楼层", STORY_A, "写字楼名单过时", "新企业不在名单上",
    "从施工许可查到业主", "搬家前开通专线", "扫楼记录表", "P1-1；P1-1a", "D01, d04", "P01", "IND01",
    "企业", "中小", "E0001", "已发布",
]  # fmt: skip
ROW_B = [
    "", "第十二通电话", "预约时给对方一个他在乎的理由", STORY_B, "", "", "", "", "",
    "P2-1", "", "", "", "", "", "E0002", "草稿",
]  # fmt: skip


def table(*rows, header=HEADER) -> bytes:
    return csv_bytes([header, *rows])


def cli_import(
    tmp_path, data: bytes, *args: str, user: str = "consultant_a", name="cases.csv"
) -> ImportReport:
    path = tmp_path / name
    path.write_bytes(data)
    try:
        call_command(
            "import", "cases", str(path), "--as", user, *args, stdout=io.StringIO(), stderr=io.StringIO()
        )
    except CommandError:
        pass
    return ImportReport.from_dict(ImportRun.objects.latest("pk").report or {})


def test_it_imports_cases_with_their_tags_and_publishes_them_as_resources(world, tagged, tmp_path):
    report = cli_import(tmp_path, table(ROW_A, ROW_B))
    assert report.ok and report.applied and report.created == 2, report.errors
    case = Case.objects.get(code="AL-001")
    assert (case.title, case.knowledge_point, case.story) == (
        "七楼的装修噪音",
        "扫楼时留意正在装修的楼层",
        STORY_A,
    )
    assert (case.background, case.result, case.tools) == ("写字楼名单过时", "搬家前开通专线", "扫楼记录表")
    assert sorted(s.code for s in case.steps.all()) == ["P1-1", "P1-1a"]
    assert case.dimension_codes == ["D01", "D04"]
    assert [p.code for p in case.products.all()] == ["P01"] and [i.code for i in case.industries.all()] == [
        "IND01"
    ]
    assert (case.customer_type, case.customer_size) == ("enterprise", "small")
    assert case.author == world.manager_employee
    assert case.status == CaseStatus.PUBLISHED and case.published_at is not None
    resource = case.resource
    assert resource is not None
    assert resource.kind == ResourceKind.CASE and resource.status == ResourceStatus.PUBLISHED
    assert (
        resource.title == case.title and resource.summary == case.knowledge_point and STORY_A in resource.body
    )
    assert {s.dimension_code for s in resource.skills.all()} >= {"D01", "D04"}
    assert [i.code for i in resource.work_items.all()] == ["W01"]
    draft = Case.objects.get(title="第十二通电话")
    assert draft.code == case_code_of("第十二通电话", "预约时给对方一个他在乎的理由")
    assert draft.status == CaseStatus.DRAFT and draft.resource is None and draft.author == world.colleague
    assert AuditEvent.objects.filter(verb="knowledge.import_cases").count() == 1
    assert AuditEvent.objects.filter(verb="knowledge.publish_case").count() == 1


def test_it_reimports_the_same_file_with_no_change(world, tagged, tmp_path):
    data = table(ROW_A, ROW_B)
    cli_import(tmp_path, data)
    before = list(Case.objects.order_by("pk").values())
    resource = Resource.objects.get(kind=ResourceKind.CASE)
    audits = AuditEvent.objects.count()
    report = cli_import(tmp_path, data, name="again.csv")
    assert report.ok and (report.created, report.updated, report.unchanged) == (0, 0, 2), report.preview
    assert list(Case.objects.order_by("pk").values()) == before
    assert Resource.objects.filter(kind=ResourceKind.CASE).get().updated_at == resource.updated_at
    assert list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True)[audits:]) == [
        "import.upload",
        "knowledge.import_cases",
    ]  # the run and the import, no case written


def test_it_updates_a_published_case_and_its_resource(world, tagged, tmp_path):
    cli_import(tmp_path, table(ROW_A))
    changed = list(ROW_A)
    changed[7] = "搬家前十天开通 100M 专线"
    changed[12] = ""  # a blank tag cell: no industry
    report = cli_import(tmp_path, table(changed), name="changed.csv")
    assert report.ok and report.updated == 1, report.errors
    assert set(report.preview[0].fields) == {"result", "industries"}
    case = Case.objects.get(code="AL-001")
    assert case.result == "搬家前十天开通 100M 专线" and not case.industries.exists()
    assert case.resource is not None and "搬家前十天开通 100M 专线" in case.resource.body


@pytest.mark.parametrize(
    ("index", "value", "header", "zh", "en"),
    [
        (
            9,
            "P9-9",
            "流程步骤",
            "流程步骤编码 P9-9 不在本地图中",
            "process step code P9-9 is not in this map",
        ),
        (10, "D99", "维度", "维度编码 D99 不在", "dimension code D99 is not in"),
        (11, "P77", "产品", "产品编码 P77 不在本地图中", "product code P77 is not in this map"),
        (12, "IND42", "行业", "行业编码 IND42 不在本地图中", "industry code IND42 is not in this map"),
        (13, "外星人", "客户类型", "未知的客户类型“外星人”", "unknown customer type"),
        (14, "巨型", "客户规模", "未知的客户规模", "unknown customer size"),
        (15, "E9999", "作者工号", "工号 E9999 不存在", "no employee has the number E9999"),
        (16, "已退休", "状态", "未知的状态", "unknown status"),
    ],
)
def test_it_refuses_a_bad_value_naming_row_and_column_and_writes_nothing(
    world, tagged, tmp_path, index, value, header, zh, en
):
    bad = list(ROW_A)
    bad[index] = value
    report = cli_import(tmp_path, table(ROW_B, bad))
    assert not report.ok and not report.applied
    [error] = report.errors
    assert (error.row, error.column, error.value) == (3, header, value)
    assert zh in error.reason_zh and en in error.reason_en
    assert not Case.objects.exists() and not Resource.objects.filter(kind=ResourceKind.CASE).exists()


def test_it_requires_title_knowledge_point_and_story(world, tagged, tmp_path):
    report = cli_import(
        tmp_path, table(["AL-9", "", "知识点", ""], header=["案例编号", "标题", "知识点", "故事"])
    )
    assert not report.ok
    assert {(e.row, e.column) for e in report.errors} == {(2, "标题"), (2, "故事")}
    missing = cli_import(tmp_path, table(["标题"], header=["标题"]), name="missing.csv")
    assert missing.file_error is not None and "知识点" in missing.file_error["message_zh"]


def test_it_reads_english_headers_and_takes_only_the_required_columns(world, tagged, tmp_path):
    data = table(["Short title", "One point", STORY_A], header=["title", "knowledge_point", "story"])
    report = cli_import(tmp_path, data, user="gzadmin")
    assert report.ok and report.created == 1, report.errors
    case = Case.objects.get()
    # An admin with no employee record: no author; a new case without a status is published.
    assert case.author is None and case.status == CaseStatus.PUBLISHED and case.resource is not None
    assert not case.steps.exists() and case.dimension_codes == []


def test_it_refuses_a_code_twice_in_the_file_and_a_move_the_workflow_forbids(world, tagged, tmp_path):
    report = cli_import(tmp_path, table(ROW_A, ROW_A))
    assert [(e.row, e.column) for e in report.errors] == [(3, "案例编号")] and not Case.objects.exists()
    cli_import(tmp_path, table(ROW_A), name="once.csv")
    back = list(ROW_A)
    back[16] = "草稿"
    report = cli_import(tmp_path, table(back), name="back.csv")
    [error] = report.errors
    assert (
        error.column == "状态"
        and "不能改为「草稿」" in error.reason_zh
        and "cannot go to draft" in error.reason_en
    )
    assert Case.objects.get().status == CaseStatus.PUBLISHED


def test_it_publishes_a_managers_draft_in_review_and_keeps_its_author(world, tagged, tmp_path):
    case = write_case(tagged["gov"].cass_map, world.manager, title="七楼的装修噪音", code="AL-001")
    case = do_submit_case(case, acting_user=world.manager)
    assert case.status == CaseStatus.IN_REVIEW
    row = list(ROW_A)
    row[15] = ""  # blank author: an existing case keeps its own
    report = cli_import(tmp_path, table(row))
    assert report.ok and report.updated == 1, report.errors
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED and case.author == world.manager_employee
    assert case.resource is not None and case.resource.status == ResourceStatus.PUBLISHED


def test_it_refuses_to_publish_a_managers_draft_he_never_submitted(world, tagged, tmp_path):
    case = write_case(tagged["gov"].cass_map, world.manager, title="七楼的装修噪音", code="AL-001")
    report = cli_import(tmp_path, table(ROW_A))
    assert not report.ok and not report.applied
    [error] = report.errors
    assert (error.row, error.column, error.value) == (2, "状态", "已发布")
    assert "尚未提交审核的草稿" in error.reason_zh and "never submitted for review" in error.reason_en
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT and case.resource is None


@pytest.mark.parametrize("user", ["E0001", "T0001", "analyst_a", "lecturer_a", "outsider"])
def test_it_refuses_whoever_may_not_edit_the_map(world, tagged, tmp_path, user):
    path = tmp_path / "cases.csv"
    path.write_bytes(table(ROW_A))
    with pytest.raises(CommandError):
        call_command("import", "cases", str(path), "--as", user, stdout=io.StringIO(), stderr=io.StringIO())
    assert not Case.objects.exists()


def test_it_refuses_another_citys_map(world, tagged, tmp_path):
    report = cli_import(tmp_path, table(ROW_A), "--option", "unit=GZ", user="consultant_b")
    assert report.file_error is not None and "GZ" in report.file_error["message_zh"]
    assert not Case.objects.exists()


def test_it_dry_runs_without_writing(world, tagged, tmp_path):
    report = cli_import(tmp_path, table(ROW_A, ROW_B), "--dry-run")
    assert report.ok and not report.applied and report.created == 2
    assert not Case.objects.exists()


def test_it_offers_a_template_whose_example_imports_as_it_stands(world, tagged, client, tmp_path):
    from casspath.testing import log_in

    importer = get("cases")
    assert isinstance(importer, CaseImporter)
    response = log_in(client, world.consultant_a).get("/imports/cases/template.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert [column.header_zh for column in importer.columns][:3] == ["案例编号", "标题", "知识点"]
    [example] = importer.examples
    keys = [column.key for column in importer.columns]
    # The example names the demo's codes; on the test map, only what the fixture has.
    example = {**example, "steps": "P1-1", "dimensions": "D02；D05", "products": "P01", "industries": "IND02",
               "author_no": "E0001"}  # fmt: skip
    header = [column.header_zh for column in importer.columns]
    report = cli_import(tmp_path, table([example[k] for k in keys], header=header))
    assert report.ok and report.created == 1, report.errors


def test_it_runs_from_the_upload_page_for_a_consultant_and_refuses_a_manager(
    world, tagged, client, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casspath.testing import log_in

    assert log_in(client, world.manager).get("/imports/cases/").status_code == 403
    log_in(client, world.consultant_a)
    assert client.get("/imports/cases/").status_code == 200
    upload = SimpleUploadedFile("cases.csv", table(ROW_A), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/imports/cases/", {"file": upload})
    assert response.status_code == 302
    run = ImportRun.objects.latest("pk")
    assert run.status == "succeeded" and (run.report or {}).get("created") == 1, run.report
    assert Case.objects.get().status == CaseStatus.PUBLISHED


def test_it_refuses_a_story_or_part_past_the_case_s_cap_naming_row_and_column(world, tagged, tmp_path):
    # The caps are the case's own (Case.TEXT_LIMITS), as the form and the actions check them.
    long_story, long_result = list(ROW_A), list(ROW_B)
    long_story[3] = "故" * 20_001
    long_result[7] = "果" * 5_001
    report = cli_import(tmp_path, table(long_result, long_story))
    assert not report.ok and not report.applied
    assert [(e.row, e.column) for e in report.errors] == [(2, "结果"), (3, "故事")]
    assert "超过上限 5000" in report.errors[0].reason_zh and "limit of 20000" in report.errors[1].reason_en
    assert not Case.objects.exists()
    long_story[3] = "故" * 20_000
    assert cli_import(tmp_path, table(long_story), name="fits.csv").ok
