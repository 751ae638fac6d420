from django.apps import AppConfig


class MobilitiesConfig(AppConfig):
    name = "accord.mobilities"
    verbose_name = "Mobilities"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accord.agreements.usage import register_usage_provider
        from accord.core import dashboard
        from accord.mobilities.dashboard import panel
        from accord.mobilities.usage import mobilities_usage

        register_usage_provider(mobilities_usage)
        dashboard.register("mobilities", panel)
