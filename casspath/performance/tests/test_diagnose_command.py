"""`casspath diagnose`: a unit's diagnosis written to .json (issue 7's keys), .xlsx, or the
client's report as .html or .pdf, with bilingual refusals."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from casspath.performance.models import DiagnosisSnapshot

KEYS = {"headcount", "output_per_head", "distribution", "gini", "tiers", "correlations", "period", "unit",
        "model", "method_notes"}


def test_it_writes_issue_sevens_json_and_stores_the_snapshot(world, diagnosable, tmp_path):
    path = tmp_path / "d.json"
    out = io.StringIO()
    call_command("diagnose", "--from", "2026-01", "--to", "2026-05", "--org", "GZ", "--out", str(path),
                 stdout=out)
    figures = json.loads(path.read_text(encoding="utf-8"))
    assert KEYS <= set(figures)
    assert figures["headcount"] == 12
    assert {"mean", "median", "mean_excluding_big_deals"} <= set(figures["output_per_head"])
    assert {"zero_share", "below_500_share", "buckets"} <= set(figures["distribution"])
    assert {"tier", "count", "bottlenecks"} <= set(figures["tiers"][0])
    assert ({"dimension", "name", "rho", "ci_low", "ci_high", "p", "q", "pearson_r"}
            <= set(figures["correlations"][0]))
    assert "NaN" not in path.read_text(encoding="utf-8")  # NaN is null
    snapshot = DiagnosisSnapshot.objects.get()
    assert snapshot.figures == figures and snapshot.created_by_label.startswith("cli:")
    assert f"snapshot {snapshot.pk}" in out.getvalue()


def test_it_defaults_to_the_top_unit_and_the_last_twelve_months_with_data(world, diagnosable, tmp_path):
    path = tmp_path / "d.json"
    call_command("diagnose", "--out", str(path), stdout=io.StringIO())
    figures = json.loads(path.read_text(encoding="utf-8"))
    assert figures["unit"]["code"] == "GD" and figures["period"]["to"] == "2026-05"
    # The records begin in 2026-01: the months before are not months of zero sales.
    assert figures["period"]["from"] == "2026-01" and figures["period"]["months"] == 5


def test_it_writes_an_xlsx_workbook(world, diagnosable, tmp_path):
    path = tmp_path / "d.xlsx"
    call_command("diagnose", "--from", "2026-01", "--to", "2026-05", "--org", "GZ", "--out", str(path),
                 stdout=io.StringIO())
    book = load_workbook(path)
    assert book.sheetnames[0] == "概览 Summary"
    summary = {row[0]: row[1] for row in book["概览 Summary"].iter_rows(values_only=True)}
    assert summary["人数 Headcount"] == 12


def test_it_cautions_in_the_workbook_when_too_few_are_counted(world, diagnosable, tmp_path):
    path = tmp_path / "d.xlsx"
    call_command("diagnose", "--from", "2026-01", "--to", "2026-05", "--org", "GZ", "--out", str(path),
                 stdout=io.StringIO())
    rows = {row[0]: row[1:] for row in load_workbook(path)["概览 Summary"].iter_rows(values_only=True)}
    zh, en = rows["人数较少 Few people"][:2]
    assert "只计入 12 名客户经理，不足 30 人" in zh and "counts 12 managers, fewer than 30" in en


@pytest.mark.parametrize(("args", "zh", "en"), [
    (["--from", "2026-13", "--to", "2026-05", "--org", "GZ"], "起始月份", "from month"),
    (["--from", "2026-05", "--to", "2026-01", "--org", "GZ"], "晚于", "after"),
    (["--from", "2026-01", "--org", "GZ"], "同时", "both"),
    (["--from", "2026-01", "--to", "2026-05", "--org", "NOPE"], "没有这个单位", "no such unit"),
    (["--from", "2024-01", "--to", "2024-05", "--org", "GZ"], "只有 2026-01 至 2026-05",
     "from 2026-01 to 2026-05 only"),
    (["--from", "2026-01", "--to", "2027-05", "--org", "GZ"], "请在此范围内", "within them"),
    (["--org", "GZ", "--as", "szadmin"], "无权", "may not"),
    (["--org", "GZ", "--as", "E0001"], "无权", "may not"),
])
def test_it_refuses_in_both_languages(world, diagnosable, tmp_path, args, zh, en):
    with pytest.raises(CommandError) as refused:
        call_command("diagnose", *args, "--out", str(tmp_path / "d.json"), stdout=io.StringIO())
    assert zh in str(refused.value) and en in str(refused.value)
    assert not (tmp_path / "d.json").exists()


def test_it_refuses_an_output_it_cannot_write(world, diagnosable, tmp_path):
    with pytest.raises(CommandError, match="must end in one of .json / .xlsx / .html / .pdf") as refused:
        call_command("diagnose", "--org", "GZ", "--out", str(tmp_path / "d.docx"))
    assert "输出文件须为" in str(refused.value)
    assert not DiagnosisSnapshot.objects.exists()


def test_it_says_the_same_of_a_unit_outside_the_actors_scope_as_of_one_that_does_not_exist(world, diagnosable,
                                                                                          tmp_path):
    said = []
    for code in ("NOPE", "GZ"):  # szadmin's scope is city B: GZ exists, but not for him
        with pytest.raises(CommandError) as refused:
            call_command("diagnose", "--org", code, "--as", "szadmin", "--out", str(tmp_path / "d.json"),
                         stdout=io.StringIO())
        said.append(str(refused.value).replace(code, "CODE"))
    assert said[0] == said[1]


def test_it_formats_the_workbooks_numbers_and_names_its_model_and_leading_bottlenecks(world, diagnosable,
                                                                                     tmp_path):
    path = tmp_path / "d.xlsx"
    call_command("diagnose", "--from", "2026-01", "--to", "2026-05", "--org", "GZ", "--out", str(path),
                 stdout=io.StringIO())
    figures = DiagnosisSnapshot.objects.latest("pk").figures
    assert figures is not None
    book = load_workbook(path)
    summary = {row[0].value: row[1] for row in book["概览 Summary"].iter_rows()}
    assert summary["模型 Model"].value == "集团客户经理技能模型（第 1 版）"
    assert summary["人数 Headcount"].number_format == "#,##0"
    assert summary["人均月产出 Output per head (mean)"].number_format == "#,##0.00"
    assert summary["零产出占比 Zero share"].number_format == "0.0%"
    assert summary["基尼系数 Gini"].number_format == "0.000"
    assert book["概览 Summary"].column_dimensions["A"].width > 30
    distribution = list(book["分布 Distribution"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in distribution][0] == 0  # no empty row below 0
    assert len(distribution) == len([b for b in figures["distribution"]["buckets"] if b["lower"] is not None])
    tiers = {row[0]: row[2] for row in book["分层 Tiers"].iter_rows(min_row=2, values_only=True)}
    names = {row["dimension"]: row["name"] for row in figures["correlations"]}
    for tier in figures["tiers"]:
        shown = tiers[{"high": "绩优 high", "middle": "绩中 middle", "low": "绩差 low"}[tier["tier"]]] or ""
        assert shown == "、".join(f"{code} {names[code]}" for code in tier["leading"])
    correlations = book["相关 Correlations"]
    header = [cell.value for cell in correlations[1]]
    q = correlations.cell(row=2, column=header.index("q") + 1)
    rho = correlations.cell(row=2, column=header.index("rho") + 1)
    assert q.number_format == '[<0.001]"< 0.001";0.000' and rho.number_format == "0.00"


def test_it_writes_several_files_from_one_computation(world, diagnosable, tmp_path):
    out = io.StringIO()
    call_command("diagnose", "--org", "GZ", "--out", str(tmp_path / "d.json"),
                 "--out", str(tmp_path / "d.xlsx"), "--out", str(tmp_path / "d.html"), stdout=out)
    snapshot = DiagnosisSnapshot.objects.get()  # one snapshot for the three files
    assert json.loads((tmp_path / "d.json").read_text(encoding="utf-8")) == snapshot.figures
    assert load_workbook(tmp_path / "d.xlsx").sheetnames[0] == "概览 Summary"
    assert "<html" in (tmp_path / "d.html").read_text(encoding="utf-8")
    assert "d.xlsx" in out.getvalue()


def test_it_refuses_every_output_before_computing_when_one_is_wrong(world, diagnosable, tmp_path):
    with pytest.raises(CommandError, match="输出文件须为"):
        call_command("diagnose", "--org", "GZ", "--out", str(tmp_path / "d.json"),
                     "--out", str(tmp_path / "d.doc"))
    assert not DiagnosisSnapshot.objects.exists() and not (tmp_path / "d.json").exists()


def test_it_writes_a_stored_snapshot_without_computing_and_audits_the_export(world, diagnosable, tmp_path):
    from casspath.core.models import AuditEvent
    from casspath.performance.audit_verbs import PerformanceVerb
    call_command("diagnose", "--org", "GZ", "--out", str(tmp_path / "first.json"), stdout=io.StringIO())
    snapshot = DiagnosisSnapshot.objects.get()
    out = io.StringIO()
    call_command("diagnose", "--snapshot", str(snapshot.pk), "--as", "gzadmin",
                 "--out", str(tmp_path / "again.json"), "--out", str(tmp_path / "again.xlsx"), stdout=out)
    assert DiagnosisSnapshot.objects.count() == 1
    assert json.loads((tmp_path / "again.json").read_text(encoding="utf-8")) == snapshot.figures
    assert (tmp_path / "again.xlsx").exists() and f"snapshot {snapshot.pk}" in out.getvalue()
    exports = AuditEvent.objects.filter(verb=PerformanceVerb.EXPORT_DIAGNOSIS, object_id=str(snapshot.pk))
    assert exports.count() == 2


def test_it_says_the_same_of_a_stored_snapshot_outside_the_scope_as_of_none(world, diagnosable, tmp_path):
    call_command("diagnose", "--org", "GZ", "--out", str(tmp_path / "d.json"), stdout=io.StringIO())
    snapshot = DiagnosisSnapshot.objects.get()
    said = []
    for pk in (snapshot.pk + 1000, snapshot.pk):  # szadmin's scope is city B
        with pytest.raises(CommandError) as refused:
            call_command("diagnose", "--snapshot", str(pk), "--as", "szadmin",
                         "--out", str(tmp_path / "x.json"), stdout=io.StringIO())
        said.append(str(refused.value).replace(str(pk), "ID"))
    assert said[0] == said[1] and "没有这个诊断" in said[0] and "no such diagnosis" in said[0]
    assert not (tmp_path / "x.json").exists()
    with pytest.raises(CommandError, match="--snapshot goes without"):
        call_command("diagnose", "--snapshot", str(snapshot.pk), "--org", "GZ",
                     "--out", str(tmp_path / "x.json"))
