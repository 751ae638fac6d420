"""The one filter definition of the mobility list, used by the page, the API and the work queues."""

from dataclasses import dataclass

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accord.accounts.access import organisation_ids_with_roles
from accord.accounts.choices import STAFF_ROLES
from accord.mobilities.choices import MobilityStatus, MobilityType

DIRECTIONS = ("outgoing", "incoming", "mine")
ANY = [("", "—")]


@dataclass(frozen=True)
class MobilityFilter:
    """``direction`` is seen from the user: outgoing from, or incoming to, an institution where they
    work; ``mine`` is their own mobilities as a participant."""

    direction: str = ""
    status: str = ""
    academic_year: str = ""
    mobility_type: str = ""
    partner: int | None = None
    q: str = ""

    def apply(self, queryset: QuerySet, user) -> QuerySet:
        staff_of = organisation_ids_with_roles(user, STAFF_ROLES)
        if self.direction == "outgoing":
            queryset = queryset.filter(sending_organisation_id__in=staff_of)
        elif self.direction == "incoming":
            queryset = queryset.filter(receiving_organisation_id__in=staff_of)
        elif self.direction == "mine":
            queryset = queryset.filter(participant=user)
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.academic_year:
            queryset = queryset.filter(academic_year=self.academic_year)
        if self.mobility_type:
            queryset = queryset.filter(mobility_type=self.mobility_type)
        if self.partner:
            queryset = queryset.filter(
                Q(sending_organisation_id=self.partner) | Q(receiving_organisation_id=self.partner)
            )
        if self.q.strip():
            term = self.q.strip()
            queryset = queryset.filter(
                Q(participant__first_name__icontains=term)
                | Q(participant__last_name__icontains=term)
                | Q(participant__username__icontains=term)
                | Q(sending_organisation__name__icontains=term)
                | Q(receiving_organisation__name__icontains=term)
            )
        return queryset


class MobilityFilterForm(forms.Form):
    """The list page's filters, read into a ``MobilityFilter``."""

    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[
            ("", _("All")),
            ("outgoing", _("Outgoing")),
            ("incoming", _("Incoming")),
            ("mine", _("My own")),
        ],
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ANY + MobilityStatus.choices)
    mobility_type = forms.ChoiceField(label=_("Type"), required=False, choices=ANY + MobilityType.choices)
    academic_year = forms.CharField(label=_("Academic year"), required=False, max_length=9)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def to_filter(self) -> MobilityFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return MobilityFilter(
            direction=data.get("direction", ""),
            status=data.get("status", ""),
            mobility_type=data.get("mobility_type", ""),
            academic_year=data.get("academic_year", ""),
            q=data.get("q", ""),
        )
