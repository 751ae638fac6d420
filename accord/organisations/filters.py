"""The one filter definition for organisation lists: the directory page, the API and the exports."""

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accord.core.filters import valid_filter_values
from accord.organisations.choices import OrganisationKind
from accord.organisations.models import Organisation, OrganisationField, OrganisationLanguage
from accord.reference.countries import all_countries
from accord.reference.isced import all_isced, isced_label
from accord.reference.languages import all_languages

ORDERINGS = {
    "name": ("name",),
    "-name": ("-name",),
    "country": ("country_code", "name"),
    "newest": ("-created_at",),
}


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    field = forms.ChoiceField(label=_("Field of strength"), required=False)
    language = forms.ChoiceField(label=_("Language of instruction"), required=False)
    network = forms.IntegerField(label=_("Network"), required=False, widget=forms.HiddenInput)
    ordering = forms.ChoiceField(
        label=_("Order by"), required=False, choices=[(key, key) for key in ORDERINGS]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["kind"].choices = anything + list(OrganisationKind.choices)
        self.fields["country"].choices = anything + [(c.code, c.name) for c in all_countries()]
        self.fields["field"].choices = anything + [(f.code, isced_label(f.code)) for f in all_isced()]
        self.fields["language"].choices = anything + [(lang.code, lang.name) for lang in all_languages()]

    def filter_queryset(self, queryset: QuerySet[Organisation]) -> QuerySet[Organisation]:
        """Apply the valid filters; an invalid one is ignored and reported through ``errors``."""
        data = valid_filter_values(self)
        if query := (data.get("q") or "").strip():
            queryset = queryset.filter(
                Q(name__icontains=query)
                | Q(abbreviation__icontains=query)
                | Q(translations__name__icontains=query)
                | Q(city_name__icontains=query)
                | Q(schac_code__icontains=query)
                | Q(erasmus_code__icontains=query)
            ).distinct()
        if kind := data.get("kind"):
            queryset = queryset.filter(kind=kind)
        if country := data.get("country"):
            queryset = queryset.filter(country_code=country)
        if field := data.get("field"):
            # A broad or narrow field also matches organisations strong in one of its sub-fields.
            queryset = queryset.filter(
                Exists(
                    OrganisationField.objects.filter(
                        organisation=OuterRef("pk"), isced_code__startswith=field
                    )
                )
            )
        if language := data.get("language"):
            queryset = queryset.filter(
                Exists(
                    OrganisationLanguage.objects.filter(organisation=OuterRef("pk"), language_code=language)
                )
            )
        if network := data.get("network"):
            queryset = queryset.filter(networks__pk=network)
        return queryset.order_by(*ORDERINGS.get(data.get("ordering") or "name", ORDERINGS["name"]))
