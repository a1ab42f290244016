"""`casspath import ratings FILE`: ratings as evidence, through the import framework."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from casspath.assess.models import Evidence
from casspath.assess.tests.conftest import run_ratings
from casspath.competency.actions.loading import DEFAULT_MODEL_PATH, do_load_model_data
from casspath.competency.models import CompetencyModel
from casspath.core.actors import SystemActor
from casspath.core.models import AuditEvent
from casspath.imports import registry
from casspath.imports.reader import read_table
from casspath.imports.tests.helpers import csv_bytes, xlsx_bytes

HEADERS = ["工号", "维度编码", "维度名称", "等级", "分数", "来源", "日期"]


def _file(*rows, headers=HEADERS) -> bytes:
    return csv_bytes([headers, *rows])


SURVEY = _file(
    ["E0001", "D01", "", "3", "", "调研", "2026-03-01"],
    ["E0001", "", "需求挖掘", "", "75", "上级", "2026-03-01"],
    ["E0002", "d03", "客户关系建立", "L2", "", "", "2026-03-02"],
)


def test_it_imports_levels_and_scores_with_the_model_version_they_were_measured_against(world, model):
    report = run_ratings(SURVEY)
    assert report.ok and report.applied and report.created == 3, report.as_dict()
    first = Evidence.objects.get(employee=world.manager_employee, dimension_code="D01")
    assert (first.given_level, first.score, first.level, first.source) == (3, None, 3.0, "survey")
    assert first.model == model and first.dimension.model == model and first.observed_on == date(2026, 3, 1)
    scored = Evidence.objects.get(employee=world.manager_employee, dimension_code="D05")
    assert (scored.given_level, scored.score, scored.level, scored.source) == (None, Decimal("75"), 4.0,
                                                                              "supervisor")
    blank_source = Evidence.objects.get(employee=world.colleague)
    assert (blank_source.dimension_code, blank_source.source, blank_source.level) == ("D03", "survey", 2.0)
    assert first.recorded_by_label.startswith("cli:") and first.file_sha256 == report.sha256
    audit = AuditEvent.objects.get(verb="import.ratings")
    assert audit.changes["created"] == 3


def test_it_changes_nothing_when_the_same_file_comes_twice_and_updates_a_corrected_value(world, model):
    assert run_ratings(SURVEY).created == 3
    again = run_ratings(SURVEY)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    corrected = _file(["E0001", "D01", "", "4", "", "调研", "2026-03-01"])
    report = run_ratings(corrected)
    assert (report.created, report.updated) == (0, 1)
    assert Evidence.objects.get(employee=world.manager_employee, dimension_code="D01").level == 4.0
    assert Evidence.objects.count() == 3


def test_it_previews_in_a_dry_run_and_writes_nothing(world, model):
    report = run_ratings(SURVEY, dry_run=True)
    assert report.ok and not report.applied and report.created == 3 and len(report.preview) == 3
    assert not Evidence.objects.exists()


def test_it_reads_xlsx_with_numbers_and_excel_dates_and_english_headers(world, model):
    data = xlsx_bytes([["employee no", "dimension code", "score", "source", "date"],
                       ["E0001", "D09", 87.5, "peer", date(2026, 1, 15)]])
    report = run_ratings(data, "ratings.xlsx")
    assert report.ok, report.as_dict()
    evidence = Evidence.objects.get()
    assert (evidence.score, evidence.level, evidence.source) == (Decimal("87.5"), 1 + 4 * 0.875, "peer")


def test_it_reads_the_day_of_an_excel_date_time_or_a_time_stamp(world, model):
    from datetime import datetime

    data = xlsx_bytes([["employee no", "dimension code", "level", "source", "date"],
                       ["E0001", "D09", 3, "peer", datetime(2026, 1, 15, 14, 30)],  # noqa: DTZ001 - Excel has no zones
                       ["E0001", "D10", 4, "peer", "2026/1/16 09:05:07"]])
    report = run_ratings(data, "ratings.xlsx")
    assert report.ok, report.as_dict()
    days = dict(Evidence.objects.values_list("dimension_code", "observed_on"))
    assert days == {"D09": date(2026, 1, 15), "D10": date(2026, 1, 16)}


def test_it_names_row_and_column_of_every_bad_value_in_both_languages_and_writes_nothing(world, model):
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    data = _file(
        ["E0001", "D01", "", "3", "", "调研", "2026-03-01"],  # good, but the file is refused
        ["E0001", "D01", "", "6", "", "调研", "2026-03-02"],  # level 6
        ["E0001", "D01", "", "", "101", "调研", "2026-03-03"],  # score 101
        ["E0001", "D01", "", "3", "80", "调研", "2026-03-04"],  # both
        ["E0001", "D99", "", "3", "", "调研", "2026-03-05"],  # no such code
        ["E0001", "", "不存在的维度", "3", "", "调研", "2026-03-06"],  # no such name
        ["E0001", "D01", "客户拜访", "3", "", "调研", "2026-03-07"],  # code and name disagree
        ["E0001", "D01", "", "3", "", "老板", "2026-03-08"],  # unknown source
        ["E0001", "D01", "", "3", "", "调研", future],  # future
        ["E9999", "D01", "", "3", "", "调研", "2026-03-09"],  # unknown employee
        ["E0001", "D01", "", "2", "", "调研", "2026-03-01"],  # duplicate of row 2
    )
    report = run_ratings(data)
    assert not report.ok and not report.applied
    errors = {(e.row, e.column) for e in report.errors}
    assert errors == {(3, "等级"), (4, "分数"), (5, "等级"), (6, "维度编码"), (7, "维度名称"),
                      (8, "维度名称"),
                      (9, "来源"), (10, "日期"), (11, "工号"), (12, "日期")}, report.as_dict()["errors"]
    assert all(e.reason_zh and e.reason_en for e in report.errors)
    assert not Evidence.objects.exists()


def test_it_refuses_a_file_without_a_dimension_or_a_level_column(world, model):
    report = run_ratings(_file(["E0001", "3", "2026-03-01"], headers=["工号", "等级", "日期"]))
    assert report.file_error is not None and "维度" in report.file_error["message_zh"]
    report = run_ratings(_file(["E0001", "D01", "2026-03-01"], headers=["工号", "维度编码", "日期"]))
    assert report.file_error is not None and "等级" in report.file_error["message_zh"]


def test_it_refuses_rows_when_no_published_model_applies(world):
    report = run_ratings(SURVEY)
    assert not report.ok and {e.column for e in report.errors} == {"工号"}
    assert "能力模型" in report.errors[0].reason_zh


def test_it_measures_against_the_nearest_model_and_keeps_the_old_version_after_a_new_one(world, model):
    data = json.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8"))
    city_model = do_load_model_data({**data, "family": "shenzhen"}, org_unit=world.city_b,
                                    acting_user=SystemActor.cli(), publish=True)
    report = run_ratings(_file(["E0001", "D01", "", "3", "", "", "2026-03-01"],
                               ["E0100", "D01", "", "3", "", "", "2026-03-01"]))
    assert report.ok, report.as_dict()
    assert Evidence.objects.get(employee=world.manager_employee).model == model
    assert Evidence.objects.get(employee=world.city_b_employee).model == city_model
    draft = do_load_model_data({**data, "description": "第二版"}, org_unit=world.province,
                               acting_user=SystemActor.cli(), publish=True)
    assert (draft.family, draft.version) == (model.family, 2)
    assert CompetencyModel.objects.get(pk=model.pk).status == CompetencyModel.Status.ARCHIVED
    run_ratings(_file(["E0001", "D01", "", "4", "", "", "2026-04-01"]))
    mine = Evidence.objects.filter(employee=world.manager_employee)
    versions = dict(mine.values_list("observed_on", "model"))
    assert versions == {date(2026, 3, 1): model.pk, date(2026, 4, 1): draft.pk}


def test_it_gives_a_city_admin_a_row_error_for_another_citys_employee(world, model):
    data = _file(["E0001", "D01", "", "3", "", "", "2026-03-01"],
                 ["E0100", "D01", "", "3", "", "", "2026-03-01"])
    report = run_ratings(data, user=world.city_admin_a)
    assert not report.ok and [(e.row, e.column, e.value) for e in report.errors] == [(3, "工号", "E0100")]
    # The same words as for a number nobody has: the other city's roster stays unsaid.
    unknown = run_ratings(_file(["E9999", "D01", "", "3", "", "", "2026-03-01"]), user=world.city_admin_a)
    assert unknown.errors[0].reason_zh == report.errors[0].reason_zh
    assert not Evidence.objects.exists()
    ok = run_ratings(data[: data.index(b"E0100")], user=world.city_admin_a)
    assert ok.ok and ok.applied and ok.created == 1


@pytest.mark.parametrize("who", ["manager", "team_lead", "analyst_a", "consultant_a", "lecturer_a",
                                 "outsider"])
def test_it_is_not_for_roles_that_do_not_import(world, model, who):
    importer = registry.get("ratings")
    assert not importer.scope.allows(getattr(world, who))
    assert importer.scope.allows(world.city_admin_a)


def test_it_runs_from_the_command_line(world, model, tmp_path, capsys):
    path = tmp_path / "ratings.csv"
    path.write_bytes(SURVEY)
    call_command("import", "ratings", str(path))
    assert Evidence.objects.count() == 3


def test_it_offers_a_template_and_an_export_that_re_imports_unchanged(world, model, tmp_path):
    importer = registry.get("ratings")
    template = read_table(importer.template(), "t.xlsx")
    assert template.rows[0][: len(HEADERS)] == HEADERS
    run_ratings(SURVEY)
    out = tmp_path / "ratings.xlsx"
    with out.open("wb") as handle:
        assert importer.export(world.city_admin_a, "ratings.xlsx", handle) == 3
    again = run_ratings(out.read_bytes(), "ratings.xlsx", user=world.city_admin_a)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 3), again.as_dict()
    with (tmp_path / "b.csv").open("wb") as handle:
        assert importer.export(world.city_admin_b, "b.csv", handle) == 0  # none of Shenzhen's
