from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "casspath.knowledge"
    verbose_name = "Knowledge"
