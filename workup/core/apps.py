from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "workup.core"
    verbose_name = "Workup"
