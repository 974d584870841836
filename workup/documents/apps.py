from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "workup.documents"
    verbose_name = "Printed documents"
