"""casspath diagnose [--from 2026-01 --to 2026-05] [--org CODE] [--as USERNAME] --out FILE"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casspath.core.cli_actor import acting_user_from_option
from casspath.org import scopes
from casspath.org.models import OrgUnit
from casspath.org.scopes import Perm
from casspath.org.validators import unit_code_key
from casspath.performance.actions import do_diagnose
from casspath.performance.diagnosis import DiagnosisError, parse_period
from casspath.performance.report import FORMATS, about_snapshot, render

WRITTEN = tuple(f".{fmt}" for fmt in FORMATS)
NAMED = " / ".join(WRITTEN)


class Command(BaseCommand):
    help = ("Diagnose a unit's performance over a month range (default: the last 12 months with data), "
            "store it as a snapshot and write it to .json, .xlsx, or a report for the client: .html or .pdf.")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", metavar="YYYY-MM", help="first month (起始月份)")
        parser.add_argument("--to", dest="last", metavar="YYYY-MM", help="last month (结束月份)")
        parser.add_argument("--org", metavar="CODE", help="the unit's code (单位编码); default: the top unit")
        parser.add_argument("--as", dest="as_user", metavar="USERNAME",
                            help="act as this user, within his scope (default: the system actor)")
        parser.add_argument("--out", required=True, metavar="FILE",
                            help="the file to write: .json, .xlsx, .html or .pdf (the client's report)")

    def handle(self, *args, first, last, org, as_user, out, **options):
        actor = acting_user_from_option(as_user)
        path = Path(out)
        suffix = path.suffix.lower()
        if suffix not in WRITTEN:
            raise CommandError(f"输出文件须为 {NAMED} 之一 / the output file must end in one of {NAMED}: "
                               f"{out}")
        if not path.parent.is_dir():
            raise CommandError(f"目录不存在 / no such folder: {path.parent}")
        unit = self._unit(org, actor)
        try:
            period = parse_period(unit, first, last)
            snapshot = do_diagnose(unit, period, acting_user=actor)
        except DiagnosisError as refused:
            raise CommandError(refused.both()) from None
        except scopes.ScopeRefused as refused:
            raise CommandError(refused.both()) from None
        if snapshot.figures is None:
            raise CommandError(f"{snapshot.error_zh} / {snapshot.error_en}")
        path.write_bytes(render(snapshot.figures, suffix[1:], about_snapshot(snapshot)))
        headcount = snapshot.figures["headcount"]
        span = f"{unit.code} {period.first:%Y-%m}–{period.last:%Y-%m}"
        self.stdout.write(f"{span}：{headcount} 人，诊断已写入 / {headcount} managers, diagnosis written to "
                          f"{path} (snapshot {snapshot.pk})")

    def _unit(self, code: str | None, actor) -> OrgUnit:
        if code:
            unit = OrgUnit.objects.filter(code=unit_code_key(code)).first()
            # One answer for absent and out of scope, as on the pages: --as tells nothing of
            # the units beyond the actor's scope.
            if unit is None or not scopes.unit_in_scope(actor, Perm.SEE_REPORTS, unit):
                raise CommandError(f"没有这个单位，或无权查看其报表 / "
                                   f"no such unit, or one whose reports you may not see: {code}")
        else:
            tops = list(OrgUnit.objects.filter(parent__isnull=True)[:2])
            if len(tops) != 1:
                raise CommandError("请用 --org 指定单位 / name the unit with --org" if tops
                                   else "还没有组织架构 / there is no org unit yet")
            unit = tops[0]
        if not scopes.unit_in_scope(actor, Perm.SEE_REPORTS, unit):
            raise CommandError(f"无权查看 {unit.code} 的报表 / may not see the reports of {unit.code}")
        return unit
