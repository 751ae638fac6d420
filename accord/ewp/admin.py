from django.contrib import admin

from accord.ewp.models import OutgoingNotification, ServedInstitution


@admin.register(ServedInstitution)
class ServedInstitutionAdmin(admin.ModelAdmin):
    list_display = ["organisation", "hei_id", "created_at"]
    search_fields = ["organisation__name", "organisation__schac_code"]
    autocomplete_fields = ["organisation"]

    @admin.display(description="hei_id", ordering="organisation__schac_code")
    def hei_id(self, served: ServedInstitution) -> str:
        return served.organisation.schac_code or ""


@admin.register(OutgoingNotification)
class OutgoingNotificationAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by the services and drained by the sender."""

    list_display = ["kind", "iia_id", "partner_hei_id", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status", "kind"]
    search_fields = ["iia_id", "partner_hei_id"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
