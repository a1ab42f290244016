"""One person's login, by a training admin in scope (Perm.ISSUE_LOGINS): a new one-time
password, or the lifting of a lock-out after repeated wrong passwords (django-axes). The
same rule as login issuing (`logins._refusal`): never the admin's own login, a staff or
superuser login, nor one holding roles outside his scope."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_noop

from casspath.api.actions import REVOKED_PASSWORD_RESET, do_revoke_tokens_of
from casspath.core import audit
from casspath.core.errors import BilingualError
from casspath.core.models import User
from casspath.org import scopes
from casspath.org.actions.logins import _logins_with_foreign_roles, one_time_password
from casspath.org.audit_verbs import OrgVerb
from casspath.org.models import Employee
from casspath.org.scopes import Perm, require_scope


class LoginRefused(BilingualError, PermissionDenied):
    """This login is not the admin's to reset or unlock (a 403 on pages and in the API)."""


class NoLogin(BilingualError):
    """The employee has no working login to reset or unlock."""


def _login_to_act_on(employee: Employee, acting_user, zh_verb: str, en_verb: str) -> User:
    require_scope(acting_user, Perm.ISSUE_LOGINS, employee.org_unit)
    no = employee.employee_no
    user = User.objects.select_for_update().filter(pk=employee.user_id).first() if employee.user_id else None
    if user is None or not user.is_active or employee.status != Employee.Status.ACTIVE:
        raise NoLogin(
            f"{no} 没有可用的登录账号：请在所属单位页面为其签发登录。",
            f"{no} has no working login: issue one from his unit's page.",
        )
    if acting_user.pk is not None and user.pk == acting_user.pk:
        raise LoginRefused(
            f"不能{zh_verb}您自己的登录账号：请在“修改密码”页面修改自己的密码。",
            f"You cannot {en_verb} your own login: change your password on the password page.",
        )
    if not scopes.is_unrestricted(acting_user) and (user.is_staff or user.is_superuser):
        raise LoginRefused(
            f"{no} 的登录账号是系统管理员账号，只有系统管理员可以{zh_verb}。",
            f"The login of {no} is a system administrator's: only a system administrator can {en_verb} it.",
        )
    if _logins_with_foreign_roles([user.pk], acting_user):
        raise LoginRefused(
            f"{no} 的登录账号拥有您权限范围外的角色：只有范围涵盖这些角色的培训管理员可以{zh_verb}。",
            f"The login of {no} holds roles outside your scope: only a training admin whose scope "
            f"holds them can {en_verb} it.",
        )
    return user


def _clear_lockout(username: str) -> int:
    """Failed-login records of the username (django-axes), removed; how many."""
    from axes.utils import reset  # axes reads its settings on import

    return reset(username=username)


@transaction.atomic
def do_reset_password(employee: Employee, *, acting_user) -> str:
    """A new one-time password for the employee's login, returned to be shown once to the
    admin: to be changed at the first log-in; his API tokens end, his sessions with them
    (Django ends a session whose password changed), and a lock-out is lifted so that he can
    log in with it at once."""
    user = _login_to_act_on(employee, acting_user, "重置密码", "reset the password of")
    password = one_time_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    revoked = do_revoke_tokens_of([user.pk], reason=REVOKED_PASSWORD_RESET, acting_user=acting_user)
    cleared = _clear_lockout(user.username)
    audit.record(acting_user, OrgVerb.RESET_PASSWORD, employee, unit=employee.org_unit,
                 summary=audit.phrase(gettext_noop("%(no)s: one-time password issued"),
                                      no=employee.employee_no),
                 changes={"username": user.username, "tokens_revoked": revoked,
                          "failed_logins_cleared": cleared})
    return password


@transaction.atomic
def do_unlock_login(employee: Employee, *, acting_user) -> int:
    """Lift the lock-out of the employee's login (every failed-login record of his username,
    from any address); returns how many records were removed (0: he was not locked out)."""
    user = _login_to_act_on(employee, acting_user, "解除锁定", "unlock")
    cleared = _clear_lockout(user.username)
    audit.record(acting_user, OrgVerb.UNLOCK_LOGIN, employee, unit=employee.org_unit,
                 summary=audit.phrase(
                     gettext_noop("%(no)s: lock-out lifted (%(cleared)s failed-login records)"),
                     no=employee.employee_no, cleared=cleared),
                 changes={"username": user.username, "failed_logins_cleared": cleared})
    return cleared
