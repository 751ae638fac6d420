"""The one filter definition of the class list, used by the page and the API."""

from dataclasses import dataclass

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accord.virtual_exchange.choices import Mode

ANY = [("", "—")]


@dataclass(frozen=True)
class ClassFilter:
    q: str = ""
    mode: str = ""
    isced: str = ""

    def apply(self, queryset: QuerySet) -> QuerySet:
        if self.mode:
            queryset = queryset.filter(mode=self.mode)
        if self.isced.strip():
            queryset = queryset.filter(isced_code__startswith=self.isced.strip())
        if self.q.strip():
            term = self.q.strip()
            queryset = queryset.filter(
                Q(title__icontains=term) | Q(subject__icontains=term) | Q(organisation__name__icontains=term)
            )
        return queryset


class ClassFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    mode = forms.ChoiceField(label=_("Mode"), required=False, choices=ANY + Mode.choices)
    isced = forms.CharField(label=_("Field (ISCED-F code)"), required=False, max_length=4)

    def to_filter(self) -> ClassFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return ClassFilter(q=data.get("q", ""), mode=data.get("mode", ""), isced=data.get("isced", ""))
