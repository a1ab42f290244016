"""What the import framework adds to the site: its menu entry and the recent-imports card."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from casspath.core.parts import HomeCard, MenuEntry
from casspath.imports.queries import importers_for, recent_runs


def my_recent_imports(user, today: date) -> dict | None:
    if not importers_for(user):
        return None
    return {"runs": recent_runs(user, limit=5)}


# Training admins import the roster; consultants the competency model.
MENU = [MenuEntry(_("Imports"), "imports:index", lambda user: bool(importers_for(user)), order=50)]

HOME_CARDS = [HomeCard("imports", "imports/home/recent.html", my_recent_imports, order=50)]
