from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "casspath.core"
    label = "core"
    verbose_name = "casspath core"

    def ready(self) -> None:
        from casspath.core import request_cache

        request_cache.connect()
