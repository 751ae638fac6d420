from django.apps import AppConfig


class BipsConfig(AppConfig):
    name = "accord.bips"
    verbose_name = "Blended intensive programmes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accord.bips.dashboard import panel
        from accord.core import dashboard

        dashboard.register("bips", panel)
