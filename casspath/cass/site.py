"""What the CASS app adds to the site: menu entries (see casspath/core/parts.py)."""

from django.utils.translation import gettext_lazy as _

from casspath.core.parts import MenuEntry

MENU = [
    MenuEntry(_("Q&A cards"), "cass:cards_home", lambda user: True, order=55),
]
