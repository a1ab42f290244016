"""What the knowledge app adds to the site: the work guides, process map, product map, product
courses and pocket book menu entries (see casspath/core/parts.py), for everyone logged in (all
are scoped by the maps)."""

from django.utils.translation import pgettext_lazy

from casspath.core.parts import MenuEntry


def _logged_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


MENU = [
    MenuEntry(pgettext_lazy("work guide", "Work guides"), "knowledge:guides", _logged_in, order=45),
    MenuEntry(pgettext_lazy("process map", "Process map"), "knowledge:process_home", _logged_in, order=46),
    MenuEntry(pgettext_lazy("course", "Product courses"), "knowledge:courses", _logged_in, order=48),
    MenuEntry(pgettext_lazy("pocket book", "Pocket book"), "knowledge:pocketbooks", _logged_in, order=49),
    MenuEntry(pgettext_lazy("product map", "Product map"), "knowledge:products_home", _logged_in, order=47),
]

HOME_CARDS: list = []
