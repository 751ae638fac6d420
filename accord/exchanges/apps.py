from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "accord.exchanges"
    verbose_name = "Exchanges"

    def ready(self) -> None:
        from accord.agreements.usage import register_usage_provider
        from accord.core import dashboard
        from accord.exchanges import tasks  # noqa: F401  (registers the allocation job handler)
        from accord.exchanges.dashboard import panel
        from accord.exchanges.usage import nominations_usage

        register_usage_provider(nominations_usage)
        dashboard.register("exchanges", panel)
