"""Templates and rounds, read-only. Responses and pair links are deliberately not in the back office:
the answers are seen as aggregates through the results pages only (decision 15)."""

from django.contrib import admin

from accord.surveys.models import Survey, SurveyTemplate


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SurveyTemplate)
class SurveyTemplateAdmin(_ReadOnly):
    list_display = ("name", "organisation", "audience", "phase", "is_active", "bank_version")
    list_filter = ("audience", "phase", "is_active")


@admin.register(Survey)
class SurveyAdmin(_ReadOnly):
    list_display = ("template", "organisation", "partnership", "period", "closes_on")
    list_filter = ("period",)
