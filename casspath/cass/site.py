"""What cass adds to the site: its menu entries and home cards (see casspath/core/parts.py)."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from casspath.cass.learning_map import my_home_summary
from casspath.cass.queries import editable_maps
from casspath.core.parts import HomeCard, MenuEntry
from casspath.org import scopes
from casspath.org.models import Role
from casspath.org.queries import my_employee

# Maps shown on the home card before "all maps".
HOME_MAPS = 5


def my_maps(user, today: date) -> dict | None:
    """For those who may edit CASS maps: the maps they edit, with their counts."""
    if not scopes.has_perm(user, scopes.Perm.EDIT_MODELS):
        return None
    maps = list(editable_maps(user)[:HOME_MAPS + 1])
    return {"maps": maps[:HOME_MAPS], "more": len(maps) > HOME_MAPS}


def _reads_maps(user) -> bool:
    """Those whose roles reach beyond themselves (admins, consultants, leads, analysts)."""
    if scopes.is_unrestricted(user):
        return True
    return bool(scopes.roles_of(user)) and not scopes.reaches_only_self(user)


def _has_own_map(user) -> bool:
    """Account managers and team leads (from the roles the request holds: no query; the page
    itself answers 404 to a login without an employee record)."""
    return bool(scopes.roles_of(user) & {Role.ACCOUNT_MANAGER, Role.TEAM_LEAD})


def my_learning_map_card(user, today: date) -> dict | None:
    """A manager's learning map in short: his three heaviest required dimensions, each with
    its first resources; left out when no map applies to him."""
    employee = my_employee(user)
    if employee is None:
        return None
    dimensions = my_home_summary(employee, today)
    return None if dimensions is None else {"dimensions": dimensions}


MENU = [
    MenuEntry(_("My learning map"), "cass:my_learning_map", _has_own_map, order=44, group="learning"),
    MenuEntry(_("CASS map"), "cass:map_list", lambda user: True, order=45, group="maps"),
    MenuEntry(_("Learning maps"), "cass:learning_map_index", _reads_maps, order=46, group="learning"),
    MenuEntry(_("Learning resources"), "cass:library_home", lambda user: True, order=47, group="learning"),
    MenuEntry(_("Q&A cards"), "cass:cards_home", lambda user: True, order=48, group="learning"),
]

HOME_CARDS = [
    HomeCard("my_learning_map", "cass/home/my_learning_map.html", my_learning_map_card, order=25),
    HomeCard("cass_maps", "cass/home/maps.html", my_maps, order=62),
]
