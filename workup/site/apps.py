from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "workup.site"
    label = "site"
    verbose_name = "Workup"
