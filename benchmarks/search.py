"""Search benchmark (run by `make bench`): full-text search over 100,000 generated cases,
through casspath's search interface (casspath.search.queries.search: query terms, the scope
join, ranking, marked snippets of the page's hits) against the same full-text queries run
bare against the index (casspath.search.ranking.bare_matches: the same tiers' SQL, their
MATCH / @@, candidates and ranking, for the first 20, without kinds, scope, tags, stored
columns or snippets), in the same run.

Builds, in a scratch database, a province with its training admin (who reviews, so sees,
every case of the province's map) and an account manager (who sees the published cases of
the map and his own), both through knowledge.access.visible_cases_q, one CASS map and
--cases cases (100,000 by default) of about 300 characters each, written by bulk insert
(no signals) from the words of the demo's own Chinese text (Q&A cards, work guides, the
process map) drawn with Zipf-like weights, so that a few words are in many cases and most
in few; 9 in 10 published. Then it times the
index build (`casspath search --rebuild`'s index.rebuild) and runs 250 queries: 200 single
terms of 2–4 characters drawn from the index's words, 50 of two or three terms; each query
bare, as the admin and as the manager, interleaved, after one warm-up pass. It reports p50
and p95 per query and the ratio of p95 to the bare query's p95. Targets: p95 under 50 ms,
within 1.5× of the bare query.

    python benchmarks/search.py [--database-url postgres://.../casspath_bench] [--cases 100000]
"""

import argparse
import itertools
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import Result, bench_main, check, database_label, django_in_scratch, machine  # noqa: E402

TARGET_MS = 50.0
TARGET_RATIO = "≤ 1.5×"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=250, help="of which one in five of 2–3 terms")


def vocabulary() -> list[str]:
    """The words of the demo's own text, most frequent first."""
    from collections import Counter

    from casspath.cass.demo_data.qa_cards import QA_CARDS
    from casspath.knowledge.demo_guides import GUIDES
    from casspath.knowledge.demo_process import all_steps
    from casspath.search import tokens

    texts = [f"{card[0]} {card[1]}" for card in QA_CARDS]
    texts += [str(guide) for guide in GUIDES]
    texts += [f"{step.name} {step.purpose} {step.techniques} {step.tools}" for step in all_steps()]
    counts = Counter(
        word for text in texts for word in tokens.query_terms(text) if len(word) >= 2 and not word.isascii()
    )
    return [word for word, _n in counts.most_common()]


def run(args: argparse.Namespace) -> list[Result]:
    info = machine()
    django_in_scratch(args.database_url, "casspath-bench-search-")
    from django.db import connection

    from casspath.cass.actions.maps import do_create_map
    from casspath.core.actors import SystemActor
    from casspath.core.demo import insert_rows
    from casspath.knowledge.models import Case
    from casspath.org.models import OrgUnit, Role
    from casspath.search import index, ranking, tokens
    from casspath.search.queries import search
    from casspath.testing import make_employee, make_unit, make_user

    engine = database_label(connection)
    info["database"] = engine
    province = make_unit("GD", "广东公司", OrgUnit.Kind.PROVINCE)
    team = make_unit("GD-T1", "政企一班", OrgUnit.Kind.TEAM, province)
    admin = make_user("gdadmin", role=Role.TRAINING_ADMIN, unit=province, name="省管理员")
    manager = make_user("E0001", role=Role.ACCOUNT_MANAGER, unit=team, name="王经理")
    author = make_employee("E0001", "王经理", team, user=manager)
    cass_map = do_create_map(
        org_unit=province, model_family="default", name="广东 CASS 地图", acting_user=SystemActor.cli()
    )

    words = vocabulary()
    cumulative = list(itertools.accumulate(1.0 / (rank + 20) for rank in range(len(words))))
    rng = random.Random(20261203)
    punctuation = "，，，。；！？"

    def text(chars: int) -> str:
        out, length = [], 0
        while length < chars:
            sentence = "".join(rng.choices(words, cum_weights=cumulative, k=rng.randint(3, 7)))
            out.append(sentence + rng.choice(punctuation))
            length += len(sentence) + 1
        return "".join(out)[:chars]

    started = time.perf_counter()
    rows = []
    for n in range(args.cases):
        status = "published" if n % 10 else "in_review"
        rows.append(
            (
                cass_map.pk,
                f"C{n:06d}",
                text(rng.randint(10, 18)),
                text(rng.randint(12, 20)),
                text(rng.randint(240, 300)),
                status,
                author.pk if n % 1000 == 0 else None,
                "[]",
            )
        )
    insert_rows(
        Case,
        [
            "cass_map_id",
            "code",
            "title",
            "knowledge_point",
            "story",
            "status",
            "author_id",
            "dimension_codes",
        ],
        rows,
    )
    del rows
    generated = time.perf_counter() - started
    chars = (
        Case.objects.count()
        and sum(
            len(t) + len(k) + len(s)
            for t, k, s in Case.objects.values_list("title", "knowledge_point", "story").order_by("pk")[:1000]
        )
        / 1000
    )
    print(f"{args.cases:,} cases generated in {generated:.0f} s (~{chars:.0f} characters each)", flush=True)

    started = time.perf_counter()
    counts = index.rebuild()
    build_s = time.perf_counter() - started
    print(f"index built in {build_s:.1f} s: {counts}", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # Queries: terms the index holds (words of 2–4 characters of the corpus), drawn by frequency.
    indexed = [word for word in words if 2 <= len(word) <= 4 and tokens.query_terms(word) == [word]]
    qrng = random.Random(7)
    multi = args.queries // 5
    queries = [qrng.choice(indexed) for _ in range(args.queries - multi)]
    queries += [" ".join(qrng.sample(indexed[:400], qrng.choice([2, 3]))) for _ in range(multi)]

    def bare(query: str):
        return ranking.bare_matches(tokens.query_terms(query), 20)

    variants = {
        "bare": bare,
        "admin": lambda query: search(admin, query, kinds=["case"], limit=20),
        "manager": lambda query: search(manager, query, kinds=["case"], limit=20),
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    found: dict[str, int] = {name: 0 for name in variants}
    for query in queries:  # warm-up: the pages the queries read, in the database's cache
        for call in variants.values():
            call(query)
    for query in queries:
        for name, call in variants.items():
            start = time.perf_counter()
            hits = call(query)
            times[name].append((time.perf_counter() - start) * 1000)
            found[name] += bool(hits)

    def p(values: list[float], q: float) -> float:
        return (
            statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]
        )

    size = f"{args.cases:,} cases (~{chars:.0f} characters), {len(queries)} queries ({multi} of 2–3 terms)"
    common = dict(benchmark="Search", database=engine, size=size, machine=info)
    bare_p50, bare_p95 = p(times["bare"], 50), p(times["bare"], 95)
    results = [
        Result(
            case="index build (index.rebuild: rjieba words, then the index's rows)",
            figure=f"{build_s:.1f} s ({counts.get('case', 0) / build_s:,.0f} cases/s)",
            value=build_s,
            numbers={"build_s": build_s},
            **common,
        )
    ]
    for name, label in (
        ("admin", "province training admin (sees every case; scope checked)"),
        ("manager", "account manager (published cases and his own; scope checked)"),
    ):
        p50, p95 = p(times[name], 50), p(times[name], 95)
        ratio = p95 / bare_p95
        met = check(ratio, TARGET_RATIO)
        results.append(
            Result(
                case=f"search(), {label}",
                figure=f"p50 {p50:.1f} ms · p95 {p95:.1f} ms · max {max(times[name]):.1f} ms "
                f"({found[name]} of {len(queries)} queries found something)",
                value=p95,
                baseline=f"the bare full-text query p50 {bare_p50:.1f} ms · p95 {bare_p95:.1f} ms",
                ratio=ratio,
                target=f"p95 < {TARGET_MS:.0f} ms, {TARGET_RATIO}",
                met=bool(met) and p95 < TARGET_MS,
                numbers={"p50_ms": p50, "p95_ms": p95, "bare_p50_ms": bare_p50, "bare_p95_ms": bare_p95},
                **common,
            )
        )
        print(
            f"  {name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms; bare p50 {bare_p50:.1f}, p95 {bare_p95:.1f} ms",
            flush=True,
        )
    return results


if __name__ == "__main__":
    sys.exit(bench_main(run, __doc__, configure))
