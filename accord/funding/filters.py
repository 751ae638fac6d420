"""The one filter definition of the grant list, used by the page and the API."""

from dataclasses import dataclass

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accord.funding.choices import GrantStatus

ANY = [("", "—")]


@dataclass(frozen=True)
class GrantFilter:
    status: str = ""
    q: str = ""

    def apply(self, queryset: QuerySet) -> QuerySet:
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.q.strip():
            term = self.q.strip()
            queryset = queryset.filter(
                Q(mobility__participant__last_name__icontains=term)
                | Q(mobility__participant__first_name__icontains=term)
                | Q(mobility__participant__username__icontains=term)
                | Q(mobility__receiving_organisation__name__icontains=term)
            )
        return queryset


class GrantFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ANY + GrantStatus.choices)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def to_filter(self) -> GrantFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return GrantFilter(status=data.get("status", ""), q=data.get("q", ""))
