"""The recognition of a mobility's components at the sending institution."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accord.algorithms.mobility.learning_agreement import parse_components
from accord.core.http import domain_errors_as_http
from accord.mobilities import forms, services
from accord.mobilities.querysets import MobilityAction
from accord.mobilities.views._common import attempt, back, mobility_for


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def recognition(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = mobility_for(request, pk, MobilityAction.MANAGE)
    existing = list(mobility.recognised_components.all())
    if existing:
        initial = [
            {
                "entry_id": r.entry_id,
                "component_ref": r.component_ref,
                "code": r.code,
                "title": r.title,
                "credits": r.credits,
                "home_grade": r.home_grade,
            }
            for r in existing
        ]
    else:
        initial = _recognition_proposal(mobility)
    formset = forms.RecognitionFormSet(request.POST or None, initial=initial, prefix="r")
    form = forms.ProposeForm()
    if request.method == "POST" and formset.is_valid():
        items = [row.cleaned_data for row in formset if row.cleaned_data.get("title")]
        if attempt(
            request,
            form,
            lambda: services.recognition_record(
                actor=request.user, mobility=mobility, items=items, complete="complete" in request.POST
            ),
            _("Recognition recorded."),
        ):
            return back(pk)
    return render(
        request, "mobilities/recognition.html", {"mobility": mobility, "formset": formset, "form": form}
    )


def _recognition_proposal(mobility) -> list[dict]:
    """Table B of the approved agreement, with a converted grade when exactly one conversion exists."""
    agreement = getattr(mobility, "learning_agreement", None)
    version = agreement.approved_version if agreement else None
    if version is None:
        return []
    transcript = getattr(mobility, "transcript", None)
    grades = (
        [
            e.conversion.home_grade
            for e in transcript.entries.select_related("conversion")
            if hasattr(e, "conversion")
        ]
        if transcript
        else []
    )
    return [
        {
            "component_ref": c.ref,
            "code": c.code,
            "title": c.title,
            "credits": c.credits,
            "home_grade": grades[0] if len(grades) == 1 else "",
        }
        for c in parse_components(version.components)
        if c.section.value == "recognised"
    ]
