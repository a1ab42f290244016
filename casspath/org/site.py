"""What org adds to the site: its menu entries and home cards (see casspath/core/parts.py)."""

from django.utils.translation import gettext_lazy as _

from casspath.core.parts import HomeCard, MenuEntry
from casspath.org import home, scopes
from casspath.org.scopes import Perm


def _sees_employees(user) -> bool:
    return scopes.has_perm(user, Perm.VIEW_EMPLOYEES)


def _issues_logins(user) -> bool:
    return scopes.has_perm(user, Perm.ISSUE_LOGINS)


def _reads_audit(user) -> bool:
    return scopes.has_perm(user, Perm.READ_AUDIT)


MENU = [
    MenuEntry(_("Org tree"), "org:tree", _sees_employees, order=10, group="org"),
    MenuEntry(_("Employees"), "org:employee_list", _sees_employees, order=20, group="org"),
    MenuEntry(_("Logins"), "org:login_batches", _issues_logins, order=90, group="org"),
    MenuEntry(_("Audit log"), "org:audit_log", _reads_audit, order=95, group="org"),
]

HOME_CARDS = [
    HomeCard("me", "org/home/me.html", home.me, order=10),
    HomeCard("team", "org/home/team.html", home.team, order=30),
    HomeCard("roster", "org/home/roster.html", home.roster, order=40),
]
