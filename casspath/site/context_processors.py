from django.urls import reverse

from casspath.site.discovery import menu_entries


def navigation(request):
    """The menu entries the user may see; each app decides in its `site.py`, by scope."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "menu": [{"label": entry.label, "url": reverse(entry.url_name)}
                 for entry in menu_entries() if entry.visible(user)],
    }
