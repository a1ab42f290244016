from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "casspath.performance"
    label = "performance"
