"""The demo orchestrator: runs every app's demo part (`<app>/demo.py`, a `part`) in
INSTALLED_APPS order, from one seed, in one transaction.

Idempotent: what exists is left as it is, what is missing is created; a run that creates
nothing writes nothing, not even an audit row. The seed and size of the demo in a database
are read back from its audit row; another seed or size is refused unless `replace` (build
this one instead) or `reset` (build it again, even the same one).

Replacing empties the database first, as `manage.py flush` does, and forgets the files its
rows owned (login files, uploaded imports): once people have used the demo, its data is held
by import runs, audit rows, tokens, login batches and whatever the next apps add, and
deleting the demo's rows one model at a time would break on each new one. Only a database
that holds a demo is emptied; one with data the demo did not make is refused before.
"""

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from casspath.core import audit
from casspath.core.demo import DemoError, DemoPart, DemoRun, ShowcaseLogin
from casspath.core.models import AuditEvent
from casspath.site.audit_verbs import SiteVerb
from casspath.site.discovery import app_modules


@dataclass
class DemoSummary:
    seed: int
    managers: int
    password: str
    built: bool  # False when everything already existed
    created: dict[str, int] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)  # each part's description, in order
    logins: list[ShowcaseLogin] = field(default_factory=list)
    replaced: dict | None = None  # the previous demo's seed and size, after a replace or reset


def demo_parts() -> list[tuple[str, DemoPart]]:
    parts = [(label, module.part) for label, module in app_modules("demo") if hasattr(module, "part")]
    return sorted(parts, key=lambda labelled: labelled[1].runs_last)  # stable: app order otherwise


def demo_in_database() -> dict | None:
    """The seed and size of the demo this database holds, from its audit row, if any."""
    event = AuditEvent.objects.filter(verb=SiteVerb.BUILD_DEMO).order_by("-created_at", "-id").first()
    if event is None:
        return None
    return {"seed": event.changes["seed"], "managers": event.changes["managers"]}


def _empty_database() -> None:
    """Every table emptied (the migrations' rows too: the parts build them again)."""
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        # PostgreSQL refuses to TRUNCATE a table with foreign-key checks still deferred in
        # this transaction (rows written earlier in it): run them now, defer again after.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if postgresql:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    transaction.on_commit(_forget_files)


def _forget_files() -> None:
    """The files the emptied rows owned; after the commit, so a failed build keeps them."""
    for folder in (Path(settings.PRIVATE_FILES_DIR), Path(settings.MEDIA_ROOT)):
        if folder.is_dir():
            for child in folder.iterdir():
                shutil.rmtree(child) if child.is_dir() else child.unlink()


def refresh_planner_statistics() -> None:
    """After a build: PostgreSQL plans from statistics that a load of 100,000s of rows leaves
    stale until autovacuum's next pass (a minute or more, the first pages meanwhile read the
    whole company); its documentation says to ANALYZE after a bulk load. SQLite keeps none
    unless asked, and the plans here are written for it without them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


@transaction.atomic
def do_build_demo(*, managers: int = 400, seed: int = 1, acting_user, reset: bool = False,
                  replace: bool = False,
                  on_progress: Callable[[str], None] | None = None) -> DemoSummary:
    """Build the demo in this database. Refused (DemoError) when the database holds a demo
    of another seed or size, unless `replace` or `reset` (which empty the database first);
    and when the demo's codes or usernames are taken by data the demo did not make."""
    run = DemoRun(managers=managers, seed=seed, acting_user=acting_user, on_progress=on_progress)
    parts = demo_parts()
    previous = demo_in_database()
    replaced = None
    if previous is not None and (reset or previous != {"seed": seed, "managers": managers}):
        if not (reset or replace):
            raise DemoError(
                f"数据库中已有种子 {previous['seed']}、{previous['managers']} 名客户经理的演示数据；"
                "如要替换，请加 --replace（或运行 make demo-reset）",
                f"this database holds the demo of seed {previous['seed']} with {previous['managers']} "
                "managers; add --replace to replace it (or run make demo-reset)",
            )
        if getattr(acting_user, "pk", None) is not None:
            raise DemoError(
                "替换演示会清空数据库，包括 --as 指定的用户：请不带 --as 运行",
                "replacing the demo empties the database, the --as user too: run it without --as",
            )
        _empty_database()
        replaced = previous
    elif previous is None:
        taken = [found for _label, part in parts for found in part.conflicts(run)]
        if taken:
            raise DemoError(
                f"数据库中已有非演示生成的数据使用了演示的编码或用户名：{'、'.join(taken)}；请使用空数据库",
                f"data not made by the demo already uses the demo's codes or usernames: {', '.join(taken)}; "
                "use an empty database",
            )

    created: dict[str, int] = {}
    for label, part in parts:
        run.progress(label)
        created |= part.build(run)
    built = any(created.values()) or replaced is not None
    if built:
        audit.record(
            acting_user, SiteVerb.BUILD_DEMO, run.shared.get("root"),
            summary=f"demo seed {seed}, {managers} managers"
                    + (f" (replaced seed {replaced['seed']})" if replaced else ""),
            changes={"seed": seed, "managers": managers, "created": created, "replaced": replaced},
        )
    run.progress("committing")
    return DemoSummary(
        seed=seed, managers=managers, password=settings.CASSPATH["DEMO_PASSWORD"], built=built,
        created=created, replaced=replaced,
        lines=[line for _label, part in parts for line in part.describe(run)],
        logins=[login for _label, part in parts for login in part.logins(run)],
    )
