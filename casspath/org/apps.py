from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "casspath.org"
    label = "org"
