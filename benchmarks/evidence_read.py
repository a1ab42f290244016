"""Evidence read benchmark (run by `make bench`): the current level of every manager of a
province in every dimension, from the database to the arrays the diagnosis takes.

Builds N managers (default 100,000) in 200 teams of one province, the default competency
model, and `--records` records of evidence per manager × dimension (default 3, over two
years, random sources), then times `assess.queries.unit_current_levels` for the province
(read + the rule, as the diagnosis calls it) against the baseline: the bare read of the
same rows' columns with one cursor `fetchall`. Target: the whole path within 10 s (issue
7's budget for the whole diagnosis holds this part too) and within 3× the bare read.

    python benchmarks/evidence_read.py [--managers 100000] [--records 3] [--database-url postgres://...]
"""

import argparse
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
    bench_main,
    best_of,
    check,
    database_label,
    django_in_scratch,
    machine,
)

AS_OF = date(2026, 6, 30)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--managers", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=3)


def run(args: argparse.Namespace) -> list[Result]:
    info = machine()
    django_in_scratch(args.database_url, "casspath-bench-")
    from django.db import connection

    from casspath.assess.models import Evidence
    from casspath.assess.queries import unit_current_levels
    from casspath.competency.actions.loading import do_load_default_model
    from casspath.competency.models import Dimension
    from casspath.core.actors import SystemActor
    from casspath.core.demo import insert_rows
    from casspath.org.models import Employee, OrgUnit, Position
    from casspath.testing import make_unit

    actor = SystemActor.cli()
    province = make_unit("GD", "广东公司", OrgUnit.Kind.PROVINCE)
    team_ids = [make_unit(f"T{i:03d}", f"班组{i}", OrgUnit.Kind.TEAM, province).pk for i in range(200)]
    position = Position.objects.get(code="account_manager").pk
    insert_rows(Employee, ["employee_no", "name", "org_unit_id", "position_id", "hire_date"],
                [(f"E{i:06d}", f"员工{i}", team_ids[i % len(team_ids)], position, date(2020, 1, 1))
                 for i in range(args.managers)])
    model = do_load_default_model(org_unit=province, acting_user=actor)
    dimensions = list(Dimension.objects.filter(model=model).values_list("id", "code"))
    codes = [code for _pk, code in dimensions]
    rng = random.Random(20260701)
    sources = ["survey", "supervisor", "peer", "self"]
    employee_ids = list(Employee.objects.values_list("id", flat=True))
    started = time.perf_counter()
    for start in range(0, len(employee_ids), 5000):  # in slices: 5.4 million tuples at once would not fit
        rows = []
        for employee_id in employee_ids[start : start + 5000]:
            for dimension_id, code in dimensions:
                for k in range(args.records):
                    level = rng.randint(1, 5)
                    day = AS_OF - timedelta(days=rng.randint(0, 730) // args.records * args.records + k)
                    rows.append((employee_id, model.pk, dimension_id, code, sources[k % 4], day,
                                 level, None, float(level), "bench"))
        insert_rows(Evidence, ["employee_id", "model_id", "dimension_id", "dimension_code", "source",
                               "observed_on", "given_level", "score", "level", "recorded_by_label"], rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    built = time.perf_counter() - started
    total = Evidence.objects.count()

    def bare_read() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.employee_id, e.dimension_code, e.source, e.observed_on, e.level "
                "FROM assess_evidence e JOIN org_employee p ON p.id = e.employee_id "
                "JOIN org_orgunit u ON u.id = p.org_unit_id WHERE u.path LIKE %s AND e.observed_on <= %s",
                [province_path + "%", AS_OF])
            return len(cursor.fetchall())

    province_path = province.path

    bare_s, bare_cpu, read = best_of(3, bare_read)
    whole_s, whole_cpu, levels = best_of(3, lambda: unit_current_levels(actor, province, codes, as_of=AS_OF))
    assert read == total and levels.current.count.sum() == total, (read, total)
    ratio = whole_s / bare_s
    size = f"{args.managers:,} managers × {len(codes)} dimensions × {args.records} = {total:,} records"
    common = dict(benchmark="Evidence read", database=database_label(connection), size=size, machine=info)
    return [
        Result(case="current levels of a province (read + rule, best of 3)",
               figure=f"{whole_s:.2f} s wall · {whole_cpu:.2f} s CPU", value=whole_s,
               baseline=f"bare fetchall of the same rows {bare_s:.2f} s ({bare_cpu:.2f} s CPU)",
               ratio=ratio, target="≤ 3×", met=check(ratio, "≤ 3×") and whole_s <= 10,
               detail=f"build {built:.0f} s; target also ≤ 10 s wall",
               numbers={"wall_s": whole_s, "cpu_s": whole_cpu, "bare_s": bare_s, "bare_cpu_s": bare_cpu},
               **common),
    ]


if __name__ == "__main__":
    sys.exit(bench_main(run, __doc__, configure))
