from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "casspath.api"
    label = "api"
