"""casspath unlock EMPLOYEE_NO [--as USERNAME]: lift one login's lock-out."""

from casspath.org.actions.passwords import do_unlock_login
from casspath.org.management.login_command import OneLoginCommand


class Command(OneLoginCommand):
    help = "Lift one employee's lock-out after repeated wrong passwords (his failed logins are forgotten)."

    def act(self, employee, actor) -> str:
        cleared = do_unlock_login(employee, acting_user=actor)
        return f"已解除锁定 / unlocked {employee.employee_no} ({cleared} failed-login records removed)"
