from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "casspath.core"
    label = "core"
    verbose_name = "casspath core"
