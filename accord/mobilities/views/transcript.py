"""The transcript of records of a mobility and the conversion of its grades."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accord.algorithms.mobility.grade_conversion.conversion import convert, side_by_side
from accord.algorithms.mobility.learning_agreement import parse_components
from accord.core import errors
from accord.core.http import domain_errors_as_http
from accord.mobilities import forms, selectors, services
from accord.mobilities.models import GradingScale, TranscriptEntry
from accord.mobilities.querysets import MobilityAction
from accord.mobilities.views._common import attempt, back, mobility_for, on_rows


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def transcript(request: HttpRequest, pk: int) -> HttpResponse:
    mobility = mobility_for(request, pk, MobilityAction.RECEIVE)
    scales = GradingScale.objects.filter(organisation=mobility.receiving_organisation)
    existing = getattr(mobility, "transcript", None)
    initial_entries = (
        [
            {"code": e.code, "title": e.title, "credits": e.credits, "grade": e.grade, "term": e.term}
            for e in existing.entries.all()
        ]
        if existing
        else _planned_entries(mobility)
    )
    form = forms.TranscriptForm(
        request.POST or None,
        request.FILES or None,
        scales=scales,
        initial={"issued_on": timezone.localdate(), "scale": existing.scale_id if existing else None},
    )
    formset = forms.EntryFormSet(request.POST or None, initial=initial_entries, prefix="e")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        scale = scales.get(pk=data["scale"])
        upload = data.get("file")

        def action():
            if upload:
                services.transcript_import(
                    actor=request.user,
                    mobility=mobility,
                    scale=scale,
                    issued_on=data["issued_on"],
                    filename=upload.name,
                    data=upload.read(),
                )
            else:
                shown = [number for number, row in enumerate(formset) if row.cleaned_data.get("title")]
                try:
                    services.transcript_record(
                        actor=request.user,
                        mobility=mobility,
                        scale=scale,
                        issued_on=data["issued_on"],
                        entries=[formset[number].cleaned_data for number in shown],
                    )
                except errors.ValidationFailed as refused:
                    raise on_rows(formset, refused, dict(enumerate(shown)), "entries") from refused

        if attempt(request, form, action, _("Transcript recorded.")):
            return back(pk)
    return render(
        request,
        "mobilities/transcript.html",
        {"mobility": mobility, "form": form, "formset": formset, "scales": scales},
    )


def _planned_entries(mobility) -> list[dict]:
    agreement = getattr(mobility, "learning_agreement", None)
    version = agreement.approved_version if agreement else None
    if version is None:
        return []
    return [
        {"code": c.code, "title": c.title, "credits": c.credits, "term": c.term}
        for c in parse_components(version.components)
        if c.section.value in ("studied", "virtual", "blended", "doctoral")
    ]


@login_required
@domain_errors_as_http
@require_http_methods(["GET", "POST"])
def convert_grade(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    mobility = mobility_for(request, pk, MobilityAction.MANAGE)
    entry = (
        TranscriptEntry.objects.select_related("transcript__scale")
        .filter(transcript__mobility=mobility, pk=entry_id)
        .first()
    )
    if entry is None:
        raise errors.NotFound(_("No such transcript entry."))
    home = selectors.settings_for(mobility.sending_organisation)
    policy = request.POST.get("policy") or request.GET.get("policy") or home.conversion_policy
    choice = selectors.conversion_tables(mobility, entry.transcript.scale, home.home_scale)
    preview, rows, tables_used = None, (), ""
    if choice is not None and entry.passed:
        host, home_distribution = selectors.distribution(choice.host), selectors.distribution(choice.home)
        tables_used = selectors.table_note(choice)
        try:
            preview = convert(entry.grade, host, home_distribution, policy)
            rows = side_by_side(host, home_distribution, preview)
        except ValueError:
            messages.error(
                request,
                _("%(grade)s is not in the receiving institution's table; convert it by hand.")
                % {"grade": entry.grade},
            )
    no_table = (
        ""
        if choice is not None or not entry.passed
        else selectors.no_table_reason(mobility, entry.transcript.scale, home.home_scale)
    )
    form = forms.ConvertForm(request.POST or None, initial={"policy": policy})
    manual = forms.ManualConvertForm(
        request.POST if "manual" in request.POST else None,
        grades=home.home_scale.grades if home.home_scale else (),
    )
    if request.method == "POST":
        if "manual" in request.POST:
            if manual.is_valid() and attempt(
                request,
                manual,
                lambda: services.grade_convert_manual(actor=request.user, entry=entry, **manual.cleaned_data),
                _("Grade converted by hand."),
            ):
                return back(pk)
        elif form.is_valid() and attempt(
            request,
            form,
            lambda: services.grade_convert(actor=request.user, entry=entry, policy=policy),
            _("Grade converted."),
        ):
            return back(pk)
    return render(
        request,
        "mobilities/convert.html",
        {
            "mobility": mobility,
            "entry": entry,
            "preview": preview,
            "rows": rows,
            "form": form,
            "manual": manual,
            "tables_used": tables_used,
            "no_table": no_table,
        },
    )
