from django.contrib import admin

from accord.organisations.models import (
    Contact,
    Organisation,
    OrganisationalUnit,
    OrganisationField,
    OrganisationLanguage,
    OrganisationName,
)


class NameInline(admin.TabularInline):
    model = OrganisationName
    extra = 0


class LanguageInline(admin.TabularInline):
    model = OrganisationLanguage
    extra = 0


class FieldInline(admin.TabularInline):
    model = OrganisationField
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country_code", "city_name", "schac_code", "erasmus_code"]
    list_filter = ["kind", "country_code"]
    search_fields = ["name", "abbreviation", "schac_code", "erasmus_code", "pic", "ror_id"]
    inlines = [NameInline, LanguageInline, FieldInline]
    filter_horizontal = ["networks"]


@admin.register(OrganisationalUnit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "parent", "code"]
    search_fields = ["name", "organisation__name", "code"]
    autocomplete_fields = ["organisation", "parent"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["family_name", "given_name", "organisation", "role", "email", "visibility"]
    list_filter = ["role", "visibility"]
    search_fields = ["family_name", "given_name", "email", "organisation__name"]
    autocomplete_fields = ["organisation", "unit"]
