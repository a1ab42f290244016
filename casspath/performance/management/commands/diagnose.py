"""casspath diagnose [--from 2026-01 --to 2026-05] [--org CODE] [--as USERNAME] --out FILE [--out FILE ...]
casspath diagnose --snapshot ID [--as USERNAME] --out FILE [--out FILE ...]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from casspath.core.cli_actor import acting_user_from_option
from casspath.org import scopes
from casspath.org.models import OrgUnit
from casspath.org.scopes import Perm
from casspath.org.validators import unit_code_key
from casspath.performance.access import access_diagnosis
from casspath.performance.actions import do_diagnose, do_export_diagnosis
from casspath.performance.diagnosis import DiagnosisError, parse_period
from casspath.performance.models import DiagnosisSnapshot
from casspath.performance.report import FORMATS, about_snapshot, render

WRITTEN = tuple(f".{fmt}" for fmt in FORMATS)
NAMED = " / ".join(WRITTEN)


class Command(BaseCommand):
    help = ("诊断一个单位某段月份的绩效（默认：有数据的最近 12 个月），存为快照，"
            "写成 .json、.xlsx 或给客户的报告 .html / .pdf；--out 可给多次（一次计算，多个文件）；"
            "--snapshot 写出已存的快照，不再计算。 "
            "Diagnose a unit's performance over a month range (default: the last 12 months with data), "
            "store it as a snapshot and write it to .json, .xlsx, or a report for the client: .html or .pdf; "
            "--out may be given several times (one computation, several files); --snapshot writes a stored "
            "snapshot without computing.")

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first", metavar="YYYY-MM", help="起始月份 (first month)")
        parser.add_argument("--to", dest="last", metavar="YYYY-MM", help="结束月份 (last month)")
        parser.add_argument("--org", metavar="CODE",
                            help="单位编码，默认最上级单位 (the unit's code; default: the top unit)")
        parser.add_argument("--snapshot", type=int, metavar="ID",
                            help="写出这个已存的诊断快照，不再计算 "
                                 "(write this stored snapshot, without computing)")
        parser.add_argument("--as", dest="as_user", metavar="USERNAME",
                            help="以此用户身份、在其范围内操作 (act as this user, within his scope; "
                                 "default: the system actor)")
        parser.add_argument("--out", required=True, action="append", metavar="FILE",
                            help="要写的文件：.json、.xlsx、.html 或 .pdf（客户报告），可给多次 "
                                 "(the file to write: .json, .xlsx, .html or .pdf, the client's report; "
                                 "may be given several times)")

    def handle(self, *args, first, last, org, snapshot, as_user, out, **options):
        actor = acting_user_from_option(as_user)
        paths = [self._checked(name) for name in out]
        if snapshot is not None:
            if first or last or org:
                raise CommandError("--snapshot 不能与 --from、--to、--org 同用 / "
                                   "--snapshot goes without --from, --to and --org")
            self._write_stored(snapshot, paths, actor)
            return
        unit = self._unit(org, actor)
        try:
            period = parse_period(unit, first, last)
            stored = do_diagnose(unit, period, acting_user=actor)
        except DiagnosisError as refused:
            raise CommandError(refused.both()) from None
        except scopes.ScopeRefused as refused:
            raise CommandError(refused.both()) from None
        if stored.figures is None:
            raise CommandError(f"{stored.error_zh} / {stored.error_en}")
        about = about_snapshot(stored)
        for path in paths:
            path.write_bytes(render(stored.figures, path.suffix.lower()[1:], about))
        headcount = stored.figures["headcount"]
        span = f"{unit.code} {period.first:%Y-%m}–{period.last:%Y-%m}"
        self.stdout.write(f"{span}：{headcount} 人，诊断已写入 / {headcount} managers, diagnosis written to "
                          f"{', '.join(map(str, paths))} (snapshot {stored.pk})")

    def _checked(self, out: str) -> Path:
        path = Path(out)
        if path.suffix.lower() not in WRITTEN:
            raise CommandError(f"输出文件须为 {NAMED} 之一 / the output file must end in one of {NAMED}: "
                               f"{out}")
        if not path.parent.is_dir():
            raise CommandError(f"目录不存在 / no such folder: {path.parent}")
        return path

    def _write_stored(self, snapshot_id: int, paths: list[Path], actor) -> None:
        """A stored diagnosis written to the files, audited as an export; one answer for absent
        and out of the actor's scope, as on the pages."""
        try:
            snapshot = access_diagnosis(actor, snapshot_id)
        except Http404:
            raise CommandError(f"没有这个诊断，或无权查看 / no such diagnosis, or one you may not see: "
                               f"{snapshot_id}") from None
        if snapshot.status != DiagnosisSnapshot.Status.SUCCEEDED or snapshot.figures is None:
            raise CommandError(f"诊断 {snapshot_id} 没有成功完成，没有可写的结果 / "
                               f"diagnosis {snapshot_id} did not succeed: it has no figures to write")
        for path in paths:
            path.write_bytes(do_export_diagnosis(snapshot, path.suffix.lower()[1:], acting_user=actor,
                                                 print_now=True))
        span = f"{snapshot.org_unit.code} {snapshot.first_month:%Y-%m}–{snapshot.last_month:%Y-%m}"
        self.stdout.write(f"{span}：快照 {snapshot.pk} 已写入 / snapshot {snapshot.pk} written to "
                          f"{', '.join(map(str, paths))}")

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
