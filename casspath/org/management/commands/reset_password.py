"""casspath reset_password EMPLOYEE_NO [--as USERNAME]: a one-time password for one login."""

from casspath.org.actions.passwords import do_reset_password
from casspath.org.management.login_command import OneLoginCommand


class Command(OneLoginCommand):
    help = ("Reset one employee's password: prints a one-time password he must change when he logs "
            "in; his API tokens are revoked and a lock-out is lifted.")

    def act(self, employee, actor) -> str:
        password = do_reset_password(employee, acting_user=actor)
        no = employee.employee_no
        return f"{no} 的一次性密码 / one-time password of {no}: {password}"
