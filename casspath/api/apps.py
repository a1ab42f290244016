from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "casspath.api"
    label = "api"

    def ready(self):
        from casspath.api import receivers  # noqa: F401 (connects the receivers)
