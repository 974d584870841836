from django.apps import AppConfig


class WorklistConfig(AppConfig):
    name = "workup.worklist"
    verbose_name = "The practice's worklist"
