from django.apps import AppConfig


class AssessConfig(AppConfig):
    name = "casspath.assess"
    label = "assess"
