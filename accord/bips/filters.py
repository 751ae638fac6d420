"""The one filter definition of the BIP list, used by the page and the API."""

from dataclasses import dataclass

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accord.bips.choices import BipStatus

ANY = [("", "—")]


@dataclass(frozen=True)
class BipFilter:
    status: str = ""
    q: str = ""

    def apply(self, queryset: QuerySet) -> QuerySet:
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.q.strip():
            term = self.q.strip()
            queryset = queryset.filter(
                Q(title__icontains=term)
                | Q(coordinator__name__icontains=term)
                | Q(host__name__icontains=term)
            )
        return queryset


class BipFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ANY + BipStatus.choices)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def to_filter(self) -> BipFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return BipFilter(status=data.get("status", ""), q=data.get("q", ""))
