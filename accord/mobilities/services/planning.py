"""Changing what was planned for a mobility: its dates, cycle, field and language of study."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.core.concurrency import require_version, save_changed
from accord.core.errors import Conflict, DomainError, ValidationFailed
from accord.core.events import publish
from accord.mobilities import events, remote
from accord.mobilities.choices import EventKind, MobilityStatus
from accord.mobilities.models import Mobility
from accord.mobilities.querysets import MobilityAction
from accord.mobilities.services._common import event, lock, require
from accord.mobilities.services.mobility import check_dates_in_agreement, check_studies, recompute_duration

PLANNED_FIELDS = ("planned_start", "planned_end", "eqf_level", "isced_code", "language", "cefr_level")
PLANNED_LABELS = {
    "planned_start": gettext_lazy("planned start"),
    "planned_end": gettext_lazy("planned end"),
    "eqf_level": gettext_lazy("EQF level"),
    "isced_code": gettext_lazy("ISCED-F field"),
    "language": gettext_lazy("language of instruction"),
    "cefr_level": gettext_lazy("language level (CEFR)"),
}
CLOSED_STATUSES = frozenset({MobilityStatus.COMPLETED, MobilityStatus.RECOGNISED, MobilityStatus.CANCELLED})


@transaction.atomic
def mobility_update(
    *,
    actor,
    mobility: Mobility,
    planned_start: date,
    planned_end: date,
    eqf_level: int | None,
    isced_code: str = "",
    language: str = "",
    cefr_level: str = "",
    expected_version: int | None = None,
) -> list[str]:
    """The sending institution corrects the planned fields; only the fields that differ are saved,
    with the next version. Refused (412) when the mobility is no longer at ``expected_version``, and
    when the new dates leave the academic years of the agreement's condition. Returns the names of
    the fields changed (none: nothing was written)."""
    lock(mobility)
    require(actor, MobilityAction.MANAGE, mobility)
    require_version(mobility, expected_version, PLANNED_FIELDS)
    if remote.is_copy(mobility):
        raise DomainError(
            _("The sending institution plans this mobility in its own system."), code="managed_remotely"
        )
    if mobility.status in CLOSED_STATUSES:
        raise Conflict(
            _("The mobility is %(status)s; what was planned for it no longer changes.")
            % {"status": MobilityStatus(mobility.status).label.lower()},
            code="mobility_closed",
        )
    errors: dict[str, str] = {}
    if planned_end < planned_start:
        errors["planned_end"] = _("The end must not be before the start.")
    check_studies(
        errors,
        mobility_type=mobility.mobility_type,
        eqf_level=eqf_level,
        isced_code=isced_code.strip(),
        language=language.strip(),
        cefr_level=cefr_level.strip(),
    )
    if not errors:
        errors.update(check_dates_in_agreement(mobility, planned_start, planned_end, prefix="planned_"))
    if errors:
        raise ValidationFailed(errors)
    before = {name: getattr(mobility, name) for name in (*PLANNED_FIELDS, "duration_days", "duration_months")}
    mobility.planned_start, mobility.planned_end = planned_start, planned_end
    mobility.eqf_level, mobility.isced_code = eqf_level, isced_code.strip()
    mobility.language, mobility.cefr_level = language.strip(), cefr_level.strip().upper()
    recompute_duration(mobility)
    changed = save_changed(mobility, before, actor=actor)
    if changed:
        labels = ", ".join(str(PLANNED_LABELS[name]) for name in changed if name in PLANNED_LABELS)
        event(mobility, EventKind.CHANGED, actor, _("Changed: %(fields)s.") % {"fields": labels})
        publish(events.MobilityPlanChanged(mobility))
    return changed
