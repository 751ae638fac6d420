from django.contrib import admin

from accord.agreements.models import Agreement, AgreementEvent, AgreementVersion


class VersionInline(admin.TabularInline):
    model = AgreementVersion
    fields = ["number", "conditions_hash", "created_by", "created_at", "shared_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "owner", "status", "ends_on"]
    list_filter = ["status"]
    search_fields = ["title", "partnership__title"]
    readonly_fields = ["status", "current_version", "approved_version", "first_shared_at", "ends_on"]
    inlines = [VersionInline]


@admin.register(AgreementEvent)
class AgreementEventAdmin(admin.ModelAdmin):
    list_display = ["agreement", "kind", "actor", "organisation", "at"]
    list_filter = ["kind"]
    readonly_fields = [field.name for field in AgreementEvent._meta.fields]
