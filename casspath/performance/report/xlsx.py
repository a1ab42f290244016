"""A diagnosis's figures as an .xlsx workbook (Chinese headers first), one sheet per part,
written with casspath/core/spreadsheets.py, the house's one xlsx writer."""

import io
from pathlib import Path

from django.utils import translation

from casspath.core.spreadsheets import append_row, new_workbook, save_xlsx
from casspath.performance.display import small_sample, unit_caution

TIER_NAMES = {"high": "绩优 high", "middle": "绩中 middle", "low": "绩差 low"}


def xlsx_bytes(figures: dict) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(figures, buffer)
    return buffer.getvalue()


def _in(language: str, words, *args) -> str:
    with translation.override(language):
        return words(*args)


def write_xlsx(figures: dict, path: Path | io.BytesIO) -> None:
    workbook = new_workbook()
    summary = workbook.active
    summary.title = "概览 Summary"
    per_head = figures["output_per_head"]
    distribution = figures["distribution"]
    for row in (
        ["项目 Item", "值 Value"],
        ["单位 Unit", f"{figures['unit']['name']} ({figures['unit']['code']})"],
        ["期间 Period", f"{figures['period']['from']} – {figures['period']['to']}"],
        ["模型 Model", f"{figures['model']['family']} v{figures['model']['version']}"],
        ["人数 Headcount", figures["headcount"]],
        ["人均月产出 Output per head (mean)", per_head["mean"]],
        ["人均月产出中位数 Output per head (median)", per_head["median"]],
        ["剔除大单人均 Mean excluding big deals", per_head["mean_excluding_big_deals"]],
        ["零产出占比 Zero share", distribution["zero_share"]],
        ["低于 500 元占比 Below 500 share", distribution["below_500_share"]],
        ["基尼系数 Gini", figures["gini"]],
    ):
        append_row(summary, row)
    # The page's and the report's caution, in both languages (display.unit_caution).
    caution = small_sample(figures)
    if caution.small_unit:
        append_row(summary, ["人数较少 Few people",
                             *(_in(language, unit_caution, caution) for language in ("zh-hans", "en"))])
    buckets = workbook.create_sheet("分布 Distribution")
    append_row(buckets, ["下限 From", "上限 To", "人数 Count", "占比 Share"])
    for bucket in distribution["buckets"]:
        append_row(buckets, [bucket["lower"], bucket["upper"], bucket["count"], bucket["share"]])
    tiers = workbook.create_sheet("分层 Tiers")
    append_row(tiers, ["层级 Tier", "人数 Count", "瓶颈（由重到轻） Bottlenecks, first is largest"])
    for tier in figures["tiers"]:
        name = TIER_NAMES.get(tier["tier"], tier["tier"])
        append_row(tiers, [name, tier["count"], "、".join(tier["bottlenecks"])])
    correlations = workbook.create_sheet("相关 Correlations")
    keys = ["dimension", "name", "n", "rho", "ci_low", "ci_high", "p", "q", "pearson_r"]
    append_row(correlations, ["维度编码 dimension", "名称 name", "n", "rho", "ci_low", "ci_high", "p", "q",
                              "pearson_r"])
    for correlation in figures["correlations"]:
        append_row(correlations, [correlation.get(key) for key in keys])
    notes = workbook.create_sheet("方法说明 Method")
    append_row(notes, ["说明", "Note"])
    for note in figures["method_notes"]:
        append_row(notes, [note["zh"], note["en"]])
    save_xlsx(workbook, path)
