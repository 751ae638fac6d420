"""Read-only admin pages: every write goes through the services (and the transition log is
append-only), so platform staff inspect here and act through the API."""

from django.contrib import admin

from accord.partnerships.models import (
    ActionItem,
    Meeting,
    Objective,
    Partnership,
    PartnershipMember,
    PartnershipTransition,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MemberInline(ReadOnlyMixin, admin.TabularInline):
    model = PartnershipMember
    extra = 0


class TransitionInline(ReadOnlyMixin, admin.TabularInline):
    model = PartnershipTransition
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "model", "status", "start_date", "end_date"]
    list_filter = ["status", "model"]
    search_fields = ["title", "members__organisation__name"]
    inlines = [MemberInline, TransitionInline]


@admin.register(Objective)
class ObjectiveAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "partnership", "owner", "order"]
    search_fields = ["title", "partnership__title"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "partnership", "date", "mode"]
    search_fields = ["title", "partnership__title"]


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "partnership", "owner", "due_date", "status", "last_reminded_on"]
    list_filter = ["status"]
    search_fields = ["title", "partnership__title"]
