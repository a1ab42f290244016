from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The search engine: the apps above register their kinds (search/registry.py)."""

    name = "casspath.search"
    verbose_name = "Search"
