from django.apps import AppConfig


class VirtualExchangeConfig(AppConfig):
    name = "accord.virtual_exchange"
    verbose_name = "Virtual exchange"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accord.core import dashboard
        from accord.virtual_exchange.dashboard import panel

        dashboard.register("virtual_exchange", panel)
