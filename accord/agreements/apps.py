from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "accord.agreements"
    verbose_name = "Agreements"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accord.agreements.dashboard import panel
        from accord.core import dashboard

        dashboard.register("agreements", panel)
