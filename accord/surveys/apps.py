from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "accord.surveys"
    verbose_name = "Participant surveys"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accord.core import dashboard
        from accord.core.events import subscribe
        from accord.surveys.dashboard import panel
        from accord.surveys.subscribers import SUBSCRIPTIONS

        for event_type, handler in SUBSCRIPTIONS:
            subscribe(event_type, handler)
        dashboard.register("surveys", panel)
