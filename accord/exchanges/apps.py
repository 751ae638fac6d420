from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "accord.exchanges"
    verbose_name = "Exchanges"
