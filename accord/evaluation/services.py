"""Every write of the evaluation app: binding an objective's indicator to the library (and its target
period), and the evidence behind a figure entered by hand. Versioned: each edit names the version it
was read at and a stale one is refused (docs/decisions/0011-concurrent-edits.md)."""

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accord.core.concurrency import lock, require_version, save_changes
from accord.core.errors import PermissionDenied, ValidationFailed
from accord.core.validation import clean_or_fail
from accord.evaluation.library import get
from accord.evaluation.models import ActualEvidence, IndicatorBinding
from accord.partnerships.models import Indicator, IndicatorActual
from accord.partnerships.querysets import PartnershipAction, partnership_may

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


def _require(actor, action: PartnershipAction, partnership) -> None:
    if not partnership_may(actor, action, partnership):
        if action == PartnershipAction.CHANGE:
            raise PermissionDenied(
                _(
                    "Only admins and coordinators of the coordinating organisation can change how it is "
                    "measured."
                )
            )
        raise PermissionDenied(
            _(
                "Only admins and coordinators of the member organisations can add evidence to this "
                "partnership."
            )
        )


def _check_binding(definition: str, first_year: Any, last_year: Any) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if definition:
        found = get(definition)
        if found is None:
            errors["definition"] = _("There is no indicator %(key)s in the library.") % {"key": definition}
        elif not found.bindable:
            errors["definition"] = _(
                "%(name)s is a breakdown, not one figure a year; choose an indicator with a single figure."
            ) % {"name": found.name}
    try:
        first, last = int(first_year), int(last_year)
    except (TypeError, ValueError):
        errors["first_year"] = _("Give the period as two years, such as 2024 and 2028.")
        raise ValidationFailed(errors) from None
    if last < first:
        errors["last_year"] = _("The target period ends in %(last)s, before it starts in %(first)s.") % {
            "last": last,
            "first": first,
        }
    if errors:
        raise ValidationFailed(errors)
    return {"definition": definition, "first_year": first, "last_year": last}


@transaction.atomic
def indicator_binding_save(
    *,
    actor,
    indicator: Indicator,
    definition: str,
    first_year: Any,
    last_year: Any,
    expected_version: int | None = None,
) -> IndicatorBinding:
    """Bind the indicator to a library definition ("" for hand entry) over a target period; creates
    the binding, or edits it at ``expected_version`` (0: "there was none when I opened the page")."""
    partnership = indicator.objective.partnership
    _require(actor, PartnershipAction.CHANGE, partnership)
    data = _check_binding(definition, first_year, last_year)
    lock(indicator)
    binding = IndicatorBinding.objects.filter(indicator=indicator).first()
    if binding is None:
        if expected_version not in (None, 0):
            raise ValidationFailed(
                {"definition": _("This binding was removed meanwhile; nothing was saved.")}
            )
        binding = IndicatorBinding(indicator=indicator, updated_by=actor, **data)
        clean_or_fail(binding, exclude=["indicator"])
        binding.save()
        return binding
    if expected_version == 0:
        require_version(binding, expected_version, data)
    save_changes(binding, data, actor=actor, expected_version=expected_version)
    return binding


@transaction.atomic
def indicator_binding_delete(
    *, actor, binding: IndicatorBinding, expected_version: int | None = None
) -> None:
    _require(actor, PartnershipAction.CHANGE, binding.indicator.objective.partnership)
    lock(binding)
    require_version(binding, expected_version)
    binding.delete()


def _check_evidence(link: str, file: UploadedFile | None) -> None:
    if file is not None and file.size and file.size > MAX_EVIDENCE_BYTES:
        raise ValidationFailed({"file": _("The file is larger than 10 MB; link to it instead.")})


@transaction.atomic
def actual_evidence_save(
    *,
    actor,
    actual: IndicatorActual,
    link: str = "",
    description: str = "",
    file: UploadedFile | None = None,
    expected_version: int | None = None,
) -> ActualEvidence:
    """Attach (or change) the evidence of a figure entered by hand; a figure needs a link or a file."""
    _require(actor, PartnershipAction.CONTRIBUTE, actual.indicator.objective.partnership)
    _check_evidence(link, file)
    lock(actual)
    evidence = ActualEvidence.objects.filter(actual=actual).first()
    if evidence is None:
        if not link and file is None:
            raise ValidationFailed(
                {"link": _("Give a link or a file that shows where the figure comes from.")}
            )
        evidence = ActualEvidence(actual=actual, link=link, description=description, updated_by=actor)
        if file is not None:
            evidence.file = file
        clean_or_fail(evidence, exclude=["actual", "file"])
        evidence.save()
        return evidence
    if not link and file is None and not evidence.file:
        raise ValidationFailed({"link": _("Give a link or a file that shows where the figure comes from.")})
    data: dict[str, Any] = {"link": link, "description": description}
    if file is not None:
        data["file"] = file
    save_changes(evidence, data, actor=actor, expected_version=expected_version)
    clean_or_fail(evidence, exclude=["actual", "file"])
    return evidence
