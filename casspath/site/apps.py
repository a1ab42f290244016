from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The roof: the home page, the menu and the demo, gathered from every app."""

    name = "casspath.site"
    label = "site"
    verbose_name = "casspath site"
