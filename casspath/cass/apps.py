from django.apps import AppConfig


class CassConfig(AppConfig):
    name = "casspath.cass"
    verbose_name = "CASS map"

    def ready(self) -> None:
        # Q&A cards are found by the site's search (casspath/search/registry.py).
        from casspath.cass.search_kinds import register_kinds

        register_kinds()
