"""casspath demo [--managers N] [--seed S] [--replace | --reset] [--as USERNAME]

Builds the demo company in the current database and prints a login for every role. With
--replace, a demo of another seed or size is replaced (the database is emptied first); with
--reset, even the same one is built again from scratch."""

import time

from django.core.management.base import BaseCommand, CommandError

from casspath.core.cli_actor import acting_user_from_option
from casspath.core.demo import DemoError
from casspath.org.models import Role
from casspath.site.demo import do_build_demo, refresh_planner_statistics

ROLE_TEXT = {
    Role.TRAINING_ADMIN: "培训管理员 training admin",
    Role.CONSULTANT: "顾问（促动师）consultant (facilitator)",
    Role.ANALYST: "分析员（高管）analyst (executive)",
    Role.LECTURER: "内部讲师 internal lecturer",
    Role.TEAM_LEAD: "班组长 team lead",
    Role.ACCOUNT_MANAGER: "客户经理 account manager",
}


class Command(BaseCommand):
    help = "Build the demo company (org tree, account managers, a login per role, competency model)."

    def add_arguments(self, parser):
        parser.add_argument("--managers", type=int, default=400, help="account managers (default 400)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--replace", action="store_true",
                            help="replace a demo of another seed or size: empty the database, build this one")
        parser.add_argument("--reset", action="store_true",
                            help="empty the database and build the demo again, even the same one")
        parser.add_argument("--as", dest="as_user", default=None, help="act as this user (audit)")

    def handle(self, *args, managers: int, seed: int, reset: bool, replace: bool, as_user: str | None,
               **options):
        acting_user = acting_user_from_option(as_user)
        started = time.monotonic()
        try:
            summary = do_build_demo(managers=managers, seed=seed, reset=reset, replace=replace,
                                    acting_user=acting_user, on_progress=self._progress)
        except DemoError as exc:
            raise CommandError(f"{exc.message_zh}\n{exc.message_en}") from None
        if summary.built:
            refresh_planner_statistics()
        seconds = time.monotonic() - started
        out = self.stdout.write
        if summary.replaced:
            out(f"已清空数据库中先前的演示（种子 {summary.replaced['seed']}）/ emptied the database of the "
                f"previous demo (seed {summary.replaced['seed']}, {summary.replaced['managers']} managers)")
        if summary.built:
            out(self.style.SUCCESS(
                f"演示公司已建成 / Demo company built: seed {summary.seed}, {summary.managers} managers "
                f"in {seconds:.1f} s"))
        else:
            out(f"演示公司已存在，未做改动 / The demo (seed {summary.seed}) is already in place: "
                "nothing changed")
        for line in summary.lines:
            out(f"  {line}")
        out("")
        out(f"登录账号 / Logins (password 密码: {summary.password})")
        width = max(len(login.username) for login in summary.logins)
        for login in summary.logins:
            out(f"  {login.username.ljust(width)}  {login.name}  {login.unit}  {ROLE_TEXT[Role(login.role)]}")
        out("每位客户经理和班组长都以工号登录，密码相同 / Every account manager and team lead logs in "
            "with his employee number and the same password.")

    def _progress(self, line: str) -> None:
        # A big build says where it is every few seconds (casspath.core.demo.PROGRESS_EVERY).
        self.stdout.write(line)
        self.stdout.flush()
