from functools import lru_cache

from django.templatetags.static import static
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from casspath.site.discovery import menu_entries


@lru_cache(maxsize=256)
def _menu_url(url_name: str, script_prefix: str, urlconf: str | None) -> str:
    return reverse(url_name, urlconf=urlconf)


def menu_url(url_name: str) -> str:
    """A menu entry's URL, reversed once per process (for each script prefix and urlconf it
    is served under): the menu is on every page."""
    return _menu_url(url_name, get_script_prefix(), get_urlconf())


# What base.html links to on every page, by the names its template uses.
BASE_URLS = {"home": "home", "password_change": "password_change", "logout": "logout",
             "set_language": "set_language", "api_tokens": "api_tokens:list",
             "search": "search:results"}
BASE_STATIC = {"favicon": "favicon.svg", "bootstrap_css": "vendor/bootstrap/bootstrap.min.css",
               "casspath_css": "casspath.css", "htmx_js": "vendor/htmx/htmx.min.js",
               "bootstrap_js": "vendor/bootstrap/bootstrap.bundle.min.js", "casspath_js": "casspath.js"}


@lru_cache(maxsize=16)
def _base_urls(script_prefix: str, urlconf: str | None) -> dict[str, str]:
    urls = {name: static(path) for name, path in BASE_STATIC.items()}
    for name, url_name in BASE_URLS.items():
        try:
            urls[name] = reverse(url_name, urlconf=urlconf)
        except NoReverseMatch:  # an app left out of the URLs: its link is left out
            urls[name] = ""
    return urls


# The menu's drop-downs, by the key an app's MenuEntry names in `group`, each shown at its
# order among the entries that stand alone: who sees a dozen entries reads three words.
MENU_GROUPS = {
    "org": (_("Organisation"), 10),
    "maps": (_("Maps"), 45),
    "learning": (_("Learning"), 47),
}


def menu_for(user) -> list[dict]:
    """The menu `user` sees: entries standing alone ({"label", "url"}) and drop-downs
    ({"label", "entries"}); a drop-down of one entry stands alone."""
    grouped: dict[str, list[dict]] = {}
    items: list[tuple[int, dict]] = []
    for entry in menu_entries():
        if not entry.visible(user):
            continue
        link = {"label": entry.label, "url": menu_url(entry.url_name)}
        if entry.group:
            if entry.group not in grouped:
                label, order = MENU_GROUPS[entry.group]
                grouped[entry.group] = []
                items.append((order, {"label": label, "key": entry.group, "entries": grouped[entry.group]}))
            grouped[entry.group].append(link)
        else:
            items.append((entry.order, link))
    items.sort(key=lambda item: item[0])  # stable: entries of one order keep the apps' order
    return [item["entries"][0] if len(item.get("entries", ())) == 1 else item for _order, item in items]


def navigation(request):
    """The menu entries the user may see (each app decides in its `site.py`, by scope), and
    the links of every page (`base_urls`), both worked out once per process rather than by a
    `{% url %}` or `{% static %}` tag per link per page."""
    base = {"base_urls": _base_urls(get_script_prefix(), get_urlconf())}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return base
    return {
        **base,
        "menu": menu_for(user),
    }
