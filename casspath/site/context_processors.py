from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

from casspath.site.discovery import menu_entries


@lru_cache(maxsize=256)
def _menu_url(url_name: str, script_prefix: str, urlconf: str | None) -> str:
    return reverse(url_name, urlconf=urlconf)


def menu_url(url_name: str) -> str:
    """A menu entry's URL, reversed once per process (for each script prefix and urlconf it
    is served under): the menu is on every page."""
    return _menu_url(url_name, get_script_prefix(), get_urlconf())


def navigation(request):
    """The menu entries the user may see; each app decides in its `site.py`, by scope."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "menu": [{"label": entry.label, "url": menu_url(entry.url_name)}
                 for entry in menu_entries() if entry.visible(user)],
    }
