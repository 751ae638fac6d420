"""Recognition: the sending institution records what it recognised, then completes recognition."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from accord.core.concurrency import bump, require_version
from accord.core.errors import Conflict, ValidationFailed
from accord.mobilities.choices import EventKind, MobilityStatus
from accord.mobilities.models import Mobility, RecognisedComponent, TranscriptEntry
from accord.mobilities.querysets import MobilityAction
from accord.mobilities.selectors import settings_for
from accord.mobilities.services._common import event, lock, move, require


@transaction.atomic
def recognition_record(
    *,
    actor,
    mobility: Mobility,
    items: list[dict],
    complete: bool = False,
    expected_version: int | None = None,
) -> Mobility:
    """Replace the recognised components (``[{title, code, credits, home_grade, entry_id,
    component_ref}]``) and, with ``complete``, move the mobility to recognised. A write of the
    mobility: refused when it is no longer at ``expected_version``, the version the person read."""
    lock(mobility)
    require(actor, MobilityAction.MANAGE, mobility)
    require_version(mobility, expected_version)
    if mobility.status != MobilityStatus.COMPLETED:
        raise Conflict(
            _("Recognition is recorded once the mobility is completed and before it is recognised."),
            code="not_completed",
        )
    if not hasattr(mobility, "transcript"):
        raise Conflict(_("Wait for the transcript of records."), code="no_transcript")
    entries = {entry.pk: entry for entry in mobility.transcript.entries.all()}
    home_scale = settings_for(mobility.sending_organisation).home_scale
    errors: dict[str, str] = {}
    rows = []
    for index, item in enumerate(items):
        prefix = f"items[{index}]"
        title = str(item.get("title") or "").strip()
        if not title:
            errors[f"{prefix}.title"] = _("The title is required.")
        try:
            credits = Decimal(str(item.get("credits")).replace(",", "."))
            if not credits.is_finite() or credits < 0:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors[f"{prefix}.credits"] = _("Credits must be a number of zero or more.")
            credits = Decimal(0)
        grade = str(item.get("home_grade") or "").strip()
        if grade and home_scale is not None and grade not in home_scale.grades:
            errors[f"{prefix}.home_grade"] = _("'%(grade)s' is not a grade of %(scale)s.") % {
                "grade": grade,
                "scale": home_scale.name,
            }
        entry_id = item.get("entry_id")
        entry: TranscriptEntry | None = None
        if entry_id:
            entry = entries.get(int(entry_id))
            if entry is None:
                errors[f"{prefix}.entry_id"] = _("No such component on this mobility's transcript.")
        rows.append(
            RecognisedComponent(
                mobility=mobility,
                entry=entry,
                component_ref=str(item.get("component_ref") or "")[:32],
                code=str(item.get("code") or "").strip(),
                title=title,
                credits=credits,
                home_grade=grade,
                recognised_by=actor,
            )
        )
    if complete and not rows:
        errors["items"] = _("Recognise at least one component, or record zero credits with a title.")
    if errors:
        raise ValidationFailed(errors)
    mobility.recognised_components.all().delete()
    RecognisedComponent.objects.bulk_create(rows)
    total = sum((row.credits for row in rows), Decimal(0))
    event(mobility, EventKind.RECOGNISED, actor, _("%(credits)s ECTS recognised.") % {"credits": total})
    if complete:
        move(mobility, MobilityStatus.RECOGNISED, actor=actor)
    else:
        mobility.save(update_fields=bump(mobility, actor))
    return mobility
