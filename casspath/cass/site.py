"""What the CASS app adds to the site: its menu entry and home cards (see casspath/core/parts.py)."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from casspath.cass.queries import editable_maps
from casspath.core.parts import HomeCard, MenuEntry
from casspath.org import scopes

# Maps shown on the home card before "all maps".
HOME_MAPS = 5


def my_maps(user, today: date) -> dict | None:
    """For those who may edit CASS maps: the maps they edit, with their counts."""
    if not scopes.has_perm(user, scopes.Perm.EDIT_MODELS):
        return None
    maps = list(editable_maps(user)[:HOME_MAPS + 1])
    return {"maps": maps[:HOME_MAPS], "more": len(maps) > HOME_MAPS}


MENU = [MenuEntry(_("CASS map"), "cass:map_list", lambda user: True, order=45)]

HOME_CARDS = [
    HomeCard("cass_maps", "cass/home/maps.html", my_maps, order=62),
]
