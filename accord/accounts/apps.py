from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accord.accounts"
    verbose_name = "Accounts"
