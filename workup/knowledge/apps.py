from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "workup.knowledge"
    verbose_name = "Knowledge base"

    def ready(self):
        from workup.knowledge import checks  # noqa: F401  (registers the knowledge-base check)
