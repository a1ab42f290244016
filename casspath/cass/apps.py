from django.apps import AppConfig


class CassConfig(AppConfig):
    name = "casspath.cass"
    verbose_name = "CASS map"
