from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "accord.partnerships"
    verbose_name = "Partnerships"

    def ready(self) -> None:
        from accord.core import dashboard
        from accord.partnerships.dashboard import panel

        dashboard.register("partnerships", panel)
