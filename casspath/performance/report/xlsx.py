"""A diagnosis's figures as an .xlsx workbook (Chinese headers first), one sheet per part,
written with casspath/core/spreadsheets.py, the house's one xlsx writer.

The cells keep the stored numbers (a reader computes with them); Excel's number formats
show them as the page does: shares as percentages, yuan with thousands separators,
coefficients to two or three decimals, a q below 0.001 as "< 0.001"."""

import io
from pathlib import Path

from django.utils import translation
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from casspath.core.spreadsheets import append_row, new_workbook, save_xlsx
from casspath.performance.display import small_sample, unit_caution

TIER_NAMES = {"high": "绩优 high", "middle": "绩中 middle", "low": "绩差 low"}

COUNT, YUAN, SHARE, COEFFICIENT, GAP = "#,##0", "#,##0.00", "0.0%", "0.000", "0.00"
P = '[<0.001]"< 0.001";0.000'  # as display.p_text prints a p or q
# A column is as wide as its longest cell, within these (in characters; a Chinese one counts two).
WIDEST, NARROWEST = 60, 8


def xlsx_bytes(figures: dict) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(figures, buffer)
    return buffer.getvalue()


def _in(language: str, words, *args) -> str:
    with translation.override(language):
        return words(*args)


def _row(sheet, values: list, formats: list[str | None] | None = None) -> None:
    append_row(sheet, values)
    for cell, number_format in zip(sheet[sheet.max_row], formats or [], strict=False):
        if number_format and isinstance(cell.value, int | float):
            cell.number_format = number_format


def _width(value) -> int:
    text = value if isinstance(value, str) else f"{value:,.2f}" if isinstance(value, float) else str(
        value if value is not None else "")
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _fit_columns(workbook) -> None:
    for sheet in workbook.worksheets:
        for index, column in enumerate(sheet.iter_cols(values_only=True), start=1):
            wide = max((_width(value) for value in column), default=0) + 2
            sheet.column_dimensions[get_column_letter(index)].width = max(NARROWEST, min(WIDEST, wide))


def _model(model: dict) -> str:
    """As the page's heading names it: "集团客户经理技能模型（第 1 版）"."""
    with translation.override("zh-hans"):
        return translation.gettext("%(name)s, version %(v)s") % {
            "name": model.get("name") or model.get("family", ""), "v": model.get("version", "")}


def write_xlsx(figures: dict, path: Path | io.BytesIO) -> None:
    workbook = new_workbook()
    summary = workbook.active
    summary.title = "概览 Summary"
    per_head = figures["output_per_head"]
    distribution = figures["distribution"]
    for values, number_format in (
        (["项目 Item", "值 Value"], None),
        (["单位 Unit", f"{figures['unit']['name']} ({figures['unit']['code']})"], None),
        (["期间 Period", f"{figures['period']['from']} – {figures['period']['to']}"], None),
        (["模型 Model", _model(figures.get("model") or {})], None),
        (["人数 Headcount", figures["headcount"]], COUNT),
        (["人均月产出 Output per head (mean)", per_head["mean"]], YUAN),
        (["人均月产出中位数 Output per head (median)", per_head["median"]], YUAN),
        (["剔除大单人均 Mean excluding big deals", per_head["mean_excluding_big_deals"]], YUAN),
        (["零产出占比 Zero share", distribution["zero_share"]], SHARE),
        (["低于 500 元占比 Below 500 share", distribution["below_500_share"]], SHARE),
        (["基尼系数 Gini", figures["gini"]], COEFFICIENT),
    ):
        _row(summary, values, [None, number_format])
    # The page's and the report's caution, in both languages (display.unit_caution).
    caution = small_sample(figures)
    if caution.small_unit:
        append_row(summary, ["人数较少 Few people",
                             *(_in(language, unit_caution, caution) for language in ("zh-hans", "en"))])
    buckets = workbook.create_sheet("分布 Distribution")
    append_row(buckets, ["下限 From", "上限 To", "人数 Count", "占比 Share"])
    for bucket in distribution["buckets"]:
        if bucket["lower"] is None and not bucket["count"]:  # below 0: only when someone is in it
            continue
        _row(buckets, [bucket["lower"], bucket["upper"], bucket["count"], bucket["share"]],
             [COUNT, COUNT, COUNT, SHARE])
    names = {row["dimension"]: row.get("name") or "" for row in figures["correlations"]}
    tiers = workbook.create_sheet("分层 Tiers")
    append_row(tiers, ["层级 Tier", "人数 Count",
                       "主要瓶颈（由重到轻） Leading bottlenecks, first is largest"])
    for tier in figures["tiers"]:
        name = TIER_NAMES.get(tier["tier"], tier["tier"])
        # The leading bottlenecks the page names (tiers[].leading), not every positive gap.
        leading = [f"{code} {names.get(code, '')}".strip() for code in tier.get("leading") or []]
        _row(tiers, [name, tier["count"], "、".join(leading)], [None, COUNT])
    correlations = workbook.create_sheet("相关 Correlations")
    keys = ["dimension", "name", "n", "rho", "ci_low", "ci_high", "p", "q", "pearson_r"]
    append_row(correlations, ["维度编码 dimension", "名称 name", "n", "rho", "ci_low", "ci_high", "p", "q",
                              "pearson_r"])
    for correlation in figures["correlations"]:
        _row(correlations, [correlation.get(key) for key in keys],
             [None, None, COUNT, GAP, GAP, GAP, P, P, GAP])
    notes = workbook.create_sheet("方法说明 Method")
    append_row(notes, ["说明", "Note"])
    for note in figures["method_notes"]:
        append_row(notes, [note["zh"], note["en"]])
    _fit_columns(workbook)
    for column in ("A", "B"):  # long sentences: wrapped, not one wide line
        notes.column_dimensions[column].width = WIDEST
        for cell in notes[column]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    save_xlsx(workbook, path)
