"""The demo orchestrator: runs every app's demo part (`<app>/demo.py`, a `part`) in
INSTALLED_APPS order, from one seed, in one transaction.

Idempotent: what exists is left as it is, what is missing is created; a run that creates
nothing writes nothing, not even an audit row. The seed and size of the demo in a database
are read back from its audit row; another seed or size is refused unless `reset`, which
first removes the previous demo (each part, in reverse order, regenerated from that seed).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import ProtectedError

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
    replaced: dict | None = None  # the previous demo's seed and size, after a reset


def demo_parts() -> list[tuple[str, DemoPart]]:
    return [(label, module.part) for label, module in app_modules("demo") if hasattr(module, "part")]


def demo_in_database() -> dict | None:
    """The seed and size of the demo this database holds, from its audit row, if any."""
    event = AuditEvent.objects.filter(verb=SiteVerb.BUILD_DEMO).order_by("-created_at", "-id").first()
    if event is None:
        return None
    return {"seed": event.changes["seed"], "managers": event.changes["managers"]}


def _remove_previous(previous: dict, parts, acting_user) -> dict[str, int]:
    old = DemoRun(managers=previous["managers"], seed=previous["seed"], acting_user=acting_user)
    removed: dict[str, int] = {}
    try:
        for _label, part in reversed(parts):  # later parts hang on earlier ones' data
            removed |= part.remove(old)
    except ProtectedError as exc:
        holders = ", ".join(sorted({str(obj._meta.verbose_name) for obj in exc.protected_objects}))
        raise DemoError(
            f"无法删除先前的演示数据：仍有其他数据引用它（{holders}）",
            f"cannot remove the previous demo: other data still points at it ({holders})",
        ) from exc
    return removed


@transaction.atomic
def do_build_demo(*, managers: int = 400, seed: int = 1, acting_user, reset: bool = False) -> DemoSummary:
    """Build the demo in this database. Refused (DemoError) when the database holds a demo
    of another seed or size, unless `reset`; and when the demo's codes or usernames are
    taken by data the demo did not make."""
    run = DemoRun(managers=managers, seed=seed, acting_user=acting_user)
    parts = demo_parts()
    previous = demo_in_database()
    replaced = None
    if previous is not None and (reset or previous != {"seed": seed, "managers": managers}):
        if not reset:
            raise DemoError(
                f"数据库中已有种子 {previous['seed']}、{previous['managers']} 名客户经理的演示数据；"
                "如要替换，请加 --reset",
                f"this database holds the demo of seed {previous['seed']} with {previous['managers']} "
                "managers; add --reset to replace it",
            )
        replaced = {**previous, "removed": _remove_previous(previous, parts, acting_user)}
    elif previous is None:
        taken = [found for _label, part in parts for found in part.conflicts(run)]
        if taken:
            raise DemoError(
                f"数据库中已有非演示生成的数据使用了演示的编码或用户名：{'、'.join(taken)}；请使用空数据库",
                f"data not made by the demo already uses the demo's codes or usernames: {', '.join(taken)}; "
                "use an empty database",
            )

    created: dict[str, int] = {}
    for _label, part in parts:
        created |= part.build(run)
    built = any(created.values()) or replaced is not None
    if built:
        audit.record(
            acting_user, SiteVerb.BUILD_DEMO, run.shared.get("province"),
            summary=f"demo seed {seed}, {managers} managers"
                    + (f" (replaced seed {replaced['seed']})" if replaced else ""),
            changes={"seed": seed, "managers": managers, "created": created, "replaced": replaced},
        )
    return DemoSummary(
        seed=seed, managers=managers, password=settings.CASSPATH["DEMO_PASSWORD"], built=built,
        created=created, replaced=replaced,
        lines=[line for _label, part in parts for line in part.describe(run)],
        logins=[login for _label, part in parts for login in part.logins(run)],
    )
