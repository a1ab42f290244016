"""casspath issue_logins UNIT_CODE [--reissue] [--as USERNAME] --out FILE"""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from casspath.core.cli_actor import acting_user_from_option
from casspath.org import scopes
from casspath.org.actions.logins import LoginBatchError, do_issue_logins
from casspath.org.models import LoginBatch, OrgUnit
from casspath.org.scopes import Perm


class Command(BaseCommand):
    help = ("Issue logins (one-time passwords) for the active employees of a unit and its subunits "
            "who have none, and write the passwords to an .xlsx file. Runs here, with progress.")

    def add_arguments(self, parser):
        parser.add_argument("unit_code", metavar="UNIT_CODE", help="the unit's code (单位编码)")
        parser.add_argument("--reissue", action="store_true",
                            help="also reset the passwords of employees who have a login")
        parser.add_argument("--as", dest="as_user", metavar="USERNAME",
                            help="act as this user, within his scope (default: the system actor)")
        parser.add_argument("--out", required=True, metavar="FILE",
                            help="the .xlsx to write the passwords to (must not exist yet)")

    def handle(self, *args, unit_code, reissue, as_user, out, **options):
        actor = acting_user_from_option(as_user)
        unit = OrgUnit.objects.filter(code=unit_code).first()
        if unit is None:
            raise CommandError(f"没有这个单位 / no such unit: {unit_code}")
        if not scopes.unit_in_scope(actor, Perm.ISSUE_LOGINS, unit):
            raise CommandError(f"{as_user} 无权为 {unit_code} 签发登录 / "
                               f"{as_user} may not issue logins for {unit_code}")
        path = Path(out)
        if path.suffix.lower() != ".xlsx":
            raise CommandError(f"输出文件须为 .xlsx / the output file must end in .xlsx: {out}")
        if path.exists():
            raise CommandError(f"文件已存在，不会覆盖 / the file exists already, not overwritten: {out}")
        if not path.parent.is_dir():
            raise CommandError(f"目录不存在 / no such folder: {path.parent}")
        verbosity = options.get("verbosity", 1)
        # One line rewritten in place on a terminal; a line per chunk in a log.
        ending = "\r" if self.stdout.isatty() else "\n"

        def progress(done: int, total: int) -> None:
            if verbosity >= 1:
                self.stdout.write(f"签发登录 / issuing logins {unit.code}: {done} / {total}", ending=ending)
                self.stdout.flush()

        try:
            batch = do_issue_logins(unit, acting_user=actor, reissue=reissue, out_path=path,
                                    progress=progress)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except LoginBatchError as refused:  # too many employees for one batch
            raise CommandError(refused.both()) from None
        if ending == "\r" and verbosity >= 1:
            self.stdout.write("")
        if batch.reused and batch.status in LoginBatch.CANCELLABLE:
            raise CommandError(f"同一单位的相同批次（{batch.pk}）正在运行，未再签发 / the same batch for "
                               f"{unit.code} (batch {batch.pk}) is already running; nothing issued again")
        if batch.status != LoginBatch.Status.SUCCEEDED:
            raise CommandError(f"{batch.error_zh} / {batch.error_en}")
        self.stdout.write(f"{batch.count} 个登录已签发，密码已写入 / logins issued, passwords written to "
                          f"{path} (batch {batch.pk})")
        if batch.count:
            self.stderr.write("该文件含有密码：分发后请删除 / The file holds passwords: delete it once they "
                              "are handed out.")
