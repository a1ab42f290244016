"""What an app adds to the site's pages: menu entries and home cards.

An app declares them in its own `site.py` (`MENU` and `HOME_CARDS`, lists of the classes
below); the site app (casspath/site/) finds those modules in INSTALLED_APPS order and shows
what each user may see. The types live here, on the floor, because every app uses them
and none may import the site.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class MenuEntry:
    """A link in the main menu, shown when `visible(user)` holds. `group` names the menu's
    drop-down it sits in (the site app's MENU_GROUPS: "maps", "learning", "org"); blank, it
    stands on its own."""

    label: Any  # a lazy translation
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 100  # entries of all apps are shown by order, then by app order
    group: str = ""


@dataclass(frozen=True)
class HomeCard:
    """A card on the home page. `figures(user, today)` gives the template's `card`, or
    None when the user has nothing to see on it (the card is then left out)."""

    name: str  # unique on the page: the card's id in HTML and its key in the page context
    template: str
    figures: Callable[[Any, date], dict | None]
    order: int = 100
