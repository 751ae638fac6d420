from django.contrib import admin

from accord.funding.models import Budget, Funder, Grant, Payment, RuleSetVersion


class _ReadOnly(admin.ModelAdmin):
    """Read-only: funding changes through its services (the pages and the API)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Funder)
class FunderAdmin(_ReadOnly):
    list_display = ("name", "kind", "organisation")
    search_fields = ("name",)


@admin.register(Budget)
class BudgetAdmin(_ReadOnly):
    list_display = ("name", "funder", "year", "amount", "currency")
    list_filter = ("year", "currency")


@admin.register(RuleSetVersion)
class RuleSetVersionAdmin(_ReadOnly):
    list_display = ("rule_set", "number", "status")
    list_filter = ("status",)


@admin.register(Grant)
class GrantAdmin(_ReadOnly):
    list_display = ("mobility", "activity", "total", "currency", "status")
    list_filter = ("status", "activity")


@admin.register(Payment)
class PaymentAdmin(_ReadOnly):
    list_display = ("grant", "label", "amount", "paid_on")
