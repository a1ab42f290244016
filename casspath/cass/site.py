"""What the CASS app adds to the site: its menu entries (see casspath/core/parts.py)."""

from django.utils.translation import gettext_lazy as _

from casspath.core.parts import MenuEntry

MENU = [
    MenuEntry(_("Learning resources"), "cass:library_home", lambda user: True, order=46),
]
