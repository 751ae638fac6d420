from django.contrib import admin

from accord.bips.models import Bip, BipParticipant


@admin.register(Bip)
class BipAdmin(admin.ModelAdmin):
    """Read-only: programmes change through their services (the pages and the API)."""

    list_display = ("title", "coordinator", "host", "status", "capacity")
    list_filter = ("status",)
    search_fields = ("title",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BipParticipant)
class BipParticipantAdmin(BipAdmin):
    list_display = ("person", "bip", "partner", "kind", "status")
    search_fields = ("person__username", "person__last_name")
