from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "workup.core"
    verbose_name = "Workup"

    def ready(self):
        from workup.core import checks  # noqa: F401  (registers the knowledge-base check)
