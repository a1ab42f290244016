from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "casspath.imports"
    label = "imports"
