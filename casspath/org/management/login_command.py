"""The shape of a command that acts on one employee's login (reset_password, unlock):
EMPLOYEE_NO and --as, loaded through access.py with the actor's ISSUE_LOGINS scope, refusals
printed in both languages."""

from abc import ABC, abstractmethod

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from casspath.core.cli_actor import acting_user_from_option
from casspath.core.errors import BilingualError
from casspath.org.access import access_employee_by_no
from casspath.org.models import Employee
from casspath.org.scopes import Perm


class OneLoginCommand(BaseCommand, ABC):
    def add_arguments(self, parser):
        parser.add_argument("employee_no", metavar="EMPLOYEE_NO", help="the employee's number (工号)")
        parser.add_argument("--as", dest="as_user", metavar="USERNAME",
                            help="act as this user, within his scope (default: the system actor)")

    @abstractmethod
    def act(self, employee: Employee, actor) -> str:
        """Do the action; the line to print."""

    def handle(self, *args, employee_no, as_user, **options):
        actor = acting_user_from_option(as_user)
        try:
            employee = access_employee_by_no(actor, employee_no, perm=Perm.ISSUE_LOGINS)
            line = self.act(employee, actor)
        except Http404:
            raise CommandError(f"没有这个员工，或不在您的范围内 / no such employee in your scope: "
                               f"{employee_no}") from None
        except BilingualError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(line)
