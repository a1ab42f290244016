from django.apps import AppConfig


class CompetencyConfig(AppConfig):
    name = "casspath.competency"
    label = "competency"
