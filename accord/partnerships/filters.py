"""The one filter definition for partnership lists: the API now, the pages and exports later."""

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accord.core.filters import valid_filter_values
from accord.partnerships.choices import PartnershipModel, PartnershipStatus
from accord.partnerships.models import Partnership, PartnershipMember

ORDERINGS = {
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
    "start": ("start_date", "title"),
    "newest": ("-created_at", "-pk"),
}


class PartnershipFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)
    model = forms.ChoiceField(label=_("Model"), required=False)
    # Narrowed to by address (?organisation=<id>), as the API does; the page offers no picker for it.
    organisation = forms.IntegerField(
        label=_("Member organisation"), required=False, widget=forms.HiddenInput
    )
    ordering = forms.ChoiceField(
        label=_("Order by"), required=False, choices=[(key, key) for key in ORDERINGS]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["status"].choices = anything + list(PartnershipStatus.choices)
        self.fields["model"].choices = anything + list(PartnershipModel.choices)

    def filter_queryset(self, queryset: QuerySet[Partnership]) -> QuerySet[Partnership]:
        """Apply the valid filters; an invalid one is ignored and reported through ``errors``."""
        data = valid_filter_values(self)
        if query := (data.get("q") or "").strip():
            # Searching by a member's name finds "our partnerships with Madrid" without a join fan-out.
            by_member = PartnershipMember.objects.filter(
                partnership=OuterRef("pk"), organisation__name__icontains=query
            )
            queryset = queryset.filter(
                Q(title__icontains=query) | Q(description__icontains=query) | Exists(by_member)
            )
        if status := data.get("status"):
            queryset = queryset.filter(status=status)
        if model := data.get("model"):
            queryset = queryset.filter(model=model)
        if organisation := data.get("organisation"):
            queryset = queryset.filter(
                Exists(
                    PartnershipMember.objects.filter(partnership=OuterRef("pk"), organisation_id=organisation)
                )
            )
        return queryset.order_by(*ORDERINGS.get(data.get("ordering") or "title", ORDERINGS["title"]))
