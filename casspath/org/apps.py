from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "casspath.org"
    label = "org"

    def ready(self) -> None:
        # Connects the signals that replace the roster's version on every write (figures.py).
        from casspath.org import figures  # noqa: F401
