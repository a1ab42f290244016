"""casspath reset_password EMPLOYEE_NO [--as USERNAME]: a one-time password for one login."""

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from casspath.core.cli_actor import acting_user_from_option
from casspath.core.errors import BilingualError
from casspath.org.access import access_employee_by_no
from casspath.org.actions.passwords import do_reset_password
from casspath.org.scopes import Perm


class Command(BaseCommand):
    help = ("Reset one employee's password: prints a one-time password he must change when he logs "
            "in; his API tokens are revoked and a lock-out is lifted.")

    def add_arguments(self, parser):
        parser.add_argument("employee_no", metavar="EMPLOYEE_NO", help="the employee's number (工号)")
        parser.add_argument("--as", dest="as_user", metavar="USERNAME",
                            help="act as this user, within his scope (default: the system actor)")

    def handle(self, *args, employee_no, as_user, **options):
        actor = acting_user_from_option(as_user)
        try:
            employee = access_employee_by_no(actor, employee_no, perm=Perm.ISSUE_LOGINS)
            password = do_reset_password(employee, acting_user=actor)
        except Http404:
            raise CommandError(f"没有这个员工，或不在您的范围内 / no such employee in your scope: "
                               f"{employee_no}") from None
        except BilingualError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{employee_no} 的一次性密码 / one-time password of {employee_no}: {password}")
