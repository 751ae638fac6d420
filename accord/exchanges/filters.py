"""The one filter definition of each exchanges list: calls, and a call's applications (the
coordinator's page, the API and the exports)."""

from django import forms
from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accord.core.filters import valid_filter_values
from accord.exchanges.choices import ApplicationStatus, CallStatus


class CallFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any")), *CallStatus.choices]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        data = valid_filter_values(self)
        if query := (data.get("q") or "").strip():
            queryset = queryset.filter(Q(title__icontains=query) | Q(owner__name__icontains=query))
        if status := data.get("status"):
            queryset = queryset.filter(status=status)
        return queryset


ORDERINGS = {
    "name": ("student__last_name", "student__username"),
    "submitted": ("submitted_at", "pk"),
    "-review": ("-review_average", "pk"),
}


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)
    place = forms.TypedChoiceField(label=_("Chose place"), required=False, coerce=int, empty_value=None)
    reviewed = forms.ChoiceField(
        label=_("Reviews"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Reviewed")), ("no", _("Not reviewed"))],
    )
    priority = forms.ChoiceField(
        label=_("Priority group"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Yes")), ("no", _("No"))],
    )
    ordering = forms.ChoiceField(
        label=_("Order by"),
        required=False,
        choices=[("name", _("Name")), ("submitted", _("Submitted")), ("-review", _("Review score"))],
    )

    def __init__(self, *args, places=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any")), *ApplicationStatus.choices]
        self.fields["place"].choices = [("", _("Any"))] + [(place.pk, place.name) for place in places]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        data = valid_filter_values(self)
        queryset = queryset.annotate(
            review_count=Count("reviews", distinct=True), review_average=Avg("reviews__score")
        )
        if query := (data.get("q") or "").strip():
            queryset = queryset.filter(
                Q(student__username__icontains=query)
                | Q(student__first_name__icontains=query)
                | Q(student__last_name__icontains=query)
                | Q(student__email__icontains=query)
            )
        if status := data.get("status"):
            queryset = queryset.filter(status=status)
        if place := data.get("place"):
            queryset = queryset.filter(choices__place_id=place)
        if reviewed := data.get("reviewed"):
            queryset = (
                queryset.filter(review_count__gt=0) if reviewed == "yes" else queryset.filter(review_count=0)
            )
        if priority := data.get("priority"):
            queryset = queryset.filter(priority=priority == "yes")
        return queryset.order_by(*ORDERINGS.get(data.get("ordering") or "name", ORDERINGS["name"]))
