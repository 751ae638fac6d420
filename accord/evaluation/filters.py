"""The dashboards' filters: the academic years, and the type and status filters of the mobility list
under the same names, so a dashboard links to the list of exactly the mobilities it counts."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accord.mobilities.filters import MobilityFilter, MobilityFilterForm

YEAR = {"min_value": 1950, "max_value": 2100, "required": False}


class DashboardFilterForm(forms.Form):
    from_year = forms.IntegerField(label=_("From academic year starting in"), **YEAR)
    to_year = forms.IntegerField(label=_("To academic year starting in"), **YEAR)
    mobility_type = MobilityFilterForm.base_fields["mobility_type"]
    status = MobilityFilterForm.base_fields["status"]

    def years(self) -> tuple[int | None, int | None]:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("from_year"), data.get("to_year")

    def to_filter(self) -> MobilityFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return MobilityFilter(mobility_type=data.get("mobility_type", ""), status=data.get("status", ""))

    def list_query(self) -> str:
        """The mobility list's query string for the same type and status."""
        data = self.cleaned_data if self.is_valid() else {}
        parts = [f"{name}={data[name]}" for name in ("mobility_type", "status") if data.get(name)]
        return "&".join(parts)
