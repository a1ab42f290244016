"""What the knowledge app adds to the site: the work guides menu entry (see
casspath/core/parts.py), for everyone logged in (the list is scoped by the maps)."""

from django.utils.translation import pgettext_lazy

from casspath.core.parts import MenuEntry


def _logged_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


MENU = [MenuEntry(pgettext_lazy("work guide", "Work guides"), "knowledge:guides", _logged_in, order=45)]

HOME_CARDS: list = []
