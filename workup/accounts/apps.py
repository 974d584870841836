from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "workup.accounts"
    verbose_name = "Practices and users"
