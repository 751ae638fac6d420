from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "accord.funding"
    verbose_name = "Funding"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accord.core import dashboard
        from accord.core.events import subscribe
        from accord.funding.dashboard import panel
        from accord.funding.handlers import on_mobility_changed
        from accord.mobilities.events import MobilityDatesRecorded, MobilityPlanChanged, MobilityStatusChanged

        dashboard.register("funding", panel)
        # Mobilities never import funding: a grant follows its mobility's dates and status from here.
        for event in (MobilityDatesRecorded, MobilityPlanChanged, MobilityStatusChanged):
            subscribe(event, on_mobility_changed)
