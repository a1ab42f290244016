"""A diagnosis's figures as a file: `render(figures, fmt)` for the command line, the API and
the page's downloads, in one of FORMATS.

- json: the figures as stored (issue 7's keys);
- xlsx: one sheet per part (report/xlsx.py, through core/spreadsheets.py, the one xlsx writer);
- html: the report for a client, one self-contained file (report/document.py says why);
- pdf: that same HTML printed by WeasyPrint, charts as static SVG (report/charts.py).
`snapshot_file` names and types a stored snapshot's file, with the title page's who and when.
"""

import json

from casspath.performance import display
from casspath.performance.report import document
from casspath.performance.report.document import About
from casspath.performance.report.xlsx import write_xlsx, xlsx_bytes

FORMATS = ("json", "xlsx", "html", "pdf")
CONTENT_TYPES = {"json": "application/json",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "html": "text/html; charset=utf-8",
                 "pdf": "application/pdf"}


def render(figures: dict, fmt: str, about: About | None = None, language: str = "zh-hans") -> bytes:
    """The figures as a file of format `fmt` (one of FORMATS); `about` fills the report's
    title page (who ran it, when), `language` the report's words (Chinese by default)."""
    if fmt == "json":
        return json.dumps(figures, ensure_ascii=False, indent=2).encode("utf-8")
    if fmt == "xlsx":
        return xlsx_bytes(figures)
    if fmt == "html":
        return document.html(figures, about, language).encode("utf-8")
    if fmt == "pdf":
        return document.pdf(figures, about, language)
    raise ValueError(f"unknown report format {fmt!r}")


def about_snapshot(snapshot) -> About:
    """Who ran it (display.run_by: his name, or the command line), and when."""
    return About(run_by=display.run_by(snapshot.created_by, snapshot.created_by_label),
                 created_at=snapshot.created_at, snapshot_id=snapshot.pk)


def snapshot_filename(snapshot, fmt: str) -> str:
    """e.g. diagnosis-GZ-2026-01-2026-05-17.pdf (ASCII: a unit code is)."""
    return (f"diagnosis-{snapshot.org_unit.code}-{snapshot.first_month:%Y-%m}-{snapshot.last_month:%Y-%m}"
            f"-{snapshot.pk}.{fmt}")


__all__ = ["CONTENT_TYPES", "FORMATS", "About", "about_snapshot", "render", "snapshot_filename", "write_xlsx"]
