"""Roster import benchmark (run by `make bench`).

Generates a deterministic 100,000-row roster .xlsx (org units imported first), times
python-calamine's bare read of it (the baseline), then the whole import (read, validate,
write) into a fresh database, and reports rows/second and the ratio to the bare read.
Target: within 3x the bare read. The figures are printed and appended to docs/benchmarks.md.

    python benchmarks/roster_import.py [--rows 100000] [--database-url postgres://...]

The database (--database-url: SQLite by default, or a scratch PostgreSQL database dropped and
created afresh) and the other options every benchmark takes: benchmarks/_common.py.
"""

import argparse
import io
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import (  # noqa: E402 - after the path
    Result,
    bare_read_seconds,
    bench_main,
    django_in_scratch,
    import_results,
    machine,
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文斌辉鹏飞宇浩然子涵欣怡梓萱思远"
CITIES = [
    "广州",
    "深圳",
    "珠海",
    "汕头",
    "佛山",
    "韶关",
    "湛江",
    "肇庆",
    "江门",
    "茂名",
    "惠州",
    "梅州",
    "汕尾",
    "河源",
    "阳江",
    "清远",
    "东莞",
    "中山",
    "潮州",
    "揭阳",
    "云浮",
]
POSITIONS = ["客户经理", "集团客户经理", "行业经理", "产品经理", "班组长"]
GRADES = ["初级", "中级", "高级", "资深"]


def org_rows() -> tuple[list[list], list[str]]:
    """Province → 21 cities → 6 districts each → 16 teams each: 2,143 units, 2,016 teams."""
    rows = [["单位编码", "单位名称", "上级单位编码", "类型"], ["GD", "广东公司", "", "省公司"]]
    teams = []
    for c, city in enumerate(CITIES, start=1):
        city_code = f"C{c:02d}"
        rows.append([city_code, f"{city}分公司", "GD", "地市公司"])
        for d in range(1, 7):
            district_code = f"{city_code}-D{d}"
            rows.append([district_code, f"{city}第{d}区", city_code, "区县公司"])
            for t in range(1, 17):
                team_code = f"{district_code}-T{t:02d}"
                rows.append([team_code, f"政企{t}班", district_code, "班组"])
                teams.append(team_code)
    return rows, teams


def roster_xlsx(rows_wanted: int, teams: list[str], seed: int = 20260101) -> bytes:
    from openpyxl import Workbook

    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册 roster")
    sheet.append(["工号", "姓名", "手机号", "邮箱", "单位编码", "岗位", "入职日期", "职级", "状态"])
    start = date(2005, 1, 1)
    for i in range(rows_wanted):
        number = f"E{i + 1:06d}"
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
        phone = 13000000000 + rng.randrange(0, 999999999)  # stored as a number, as users do
        email = f"{number.lower()}@example.com" if rng.random() < 0.7 else None
        hired = start + timedelta(days=rng.randrange(0, 7000))
        sheet.append(
            [
                number,
                name,
                phone,
                email,
                rng.choice(teams),
                rng.choice(POSITIONS),
                hired,
                rng.choice(GRADES),
                "在职" if rng.random() < 0.95 else "离职",
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("单位 units")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def empty_employee_table() -> None:
    """Every employee deleted in one statement. The ORM's delete would collect each one's
    records and send a signal per row: 100,000 of them, in one transaction."""
    from django.db import connection, transaction

    from casspath.org.figures import roster_changed
    from casspath.org.models import Employee

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(Employee._meta.db_table)}")
        roster_changed()  # a write around the signals (org/figures.py)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rows", type=int, default=100_000)


def run(args: argparse.Namespace) -> list[Result]:
    info = machine()
    os.environ["IMPORT_MAX_ROWS"] = str(max(200_000, args.rows))  # read by the settings
    workdir = django_in_scratch(args.database_url, "casspath-bench-")
    from django.db import connection

    from casspath.core.actors import SystemActor
    from casspath.imports import registry
    from casspath.imports.framework import run_import
    from casspath.org.models import Employee

    actor = SystemActor.cli()
    units, teams = org_rows()
    org_report = run_import(registry.get("org"), to_xlsx(units), "org.xlsx", acting_user=actor, dry_run=False)
    assert org_report.ok, org_report.as_dict()

    print(f"generating a {args.rows:,}-row roster .xlsx ...", flush=True)
    data = roster_xlsx(args.rows, teams)

    bare = bare_read_seconds(data, 5)

    # Best of three, each into an empty employee table (the machine may be shared: the best
    # run is the one least disturbed, for the baseline and the import alike).
    full_times = []
    for _ in range(3):
        empty_employee_table()
        started = time.perf_counter()
        report = run_import(registry.get("roster"), data, "roster.xlsx", acting_user=actor, dry_run=False)
        full_times.append(time.perf_counter() - started)
        assert report.ok, report.as_dict()["errors"][:5]
        assert report.created == args.rows and Employee.objects.count() == args.rows
    full = min(full_times)

    started = time.perf_counter()
    again = run_import(registry.get("roster"), data, "roster.xlsx", acting_user=actor, dry_run=False)
    reimport = time.perf_counter() - started
    assert again.ok and again.unchanged == args.rows, (again.created, again.updated)

    size = f"{args.rows:,} rows ({len(data) / 1e6:.1f} MB .xlsx)"
    print(f"(work dir {workdir})")
    return import_results(
        "Roster import", connection, info, size=size, rows=args.rows, bare=bare, bare_runs=5, full=full,
        full_case="whole import (read, validate, write; best of 3 into an empty table)", reimport=reimport)


if __name__ == "__main__":
    sys.exit(bench_main(run, __doc__, configure))
