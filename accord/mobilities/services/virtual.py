"""Virtual mobilities recorded when a virtual exchange is completed (the virtual exchange app calls
this; mobilities does not know it)."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import STAFF_ROLES
from accord.core.errors import PermissionDenied, ValidationFailed
from accord.core.events import publish
from accord.mobilities import events
from accord.mobilities.choices import EventKind, MobilitySource, MobilityStatus, MobilityType
from accord.mobilities.models import Mobility, MobilityTransition
from accord.mobilities.services._common import event
from accord.mobilities.services.mobility import _check_participant, check_studies, recompute_duration
from accord.reference.academic_years import current_academic_year


@transaction.atomic
def virtual_mobility_record(
    *,
    actor,
    participant,
    sending_organisation,
    receiving_organisation,
    start: date,
    end: date,
    hours: Decimal,
    source_id: int,
    ects: Decimal | None = None,
    certificate: str = "",
    eqf_level: int | None = None,
    isced_code: str = "",
    language: str = "",
) -> Mobility:
    """Record a completed virtual mobility of a student of ``sending_organisation`` who learnt with a
    class of ``receiving_organisation`` from ``start`` to ``end``: it counts in the student's record
    at once (status completed), with its hours and, where given, credits and a badge or certificate.

    A teacher or coordinator of either institution may record it: the two teachers ran the exchange
    and its completion is their word. Recorded once per ``source_id`` (the exchange's student)."""
    staff_of = organisation_ids_with_roles(actor, STAFF_ROLES)
    if not (
        is_platform_staff(actor)
        or sending_organisation.pk in staff_of
        or receiving_organisation.pk in staff_of
    ):
        raise PermissionDenied(_("Only staff of the two institutions can record a virtual mobility."))
    errors: dict[str, str] = {}
    if sending_organisation.pk == receiving_organisation.pk:
        errors["receiving_organisation_id"] = _("The receiving institution must differ from the sending one.")
    if end < start:
        errors["end"] = _("The end must not be before the start.")
    if hours <= 0:
        errors["hours"] = _("Give the hours of work the exchange asked of each student.")
    if ects is not None and ects < 0:
        errors["ects"] = _("Credits cannot be negative.")
    check_studies(
        errors,
        mobility_type=MobilityType.VIRTUAL,
        eqf_level=eqf_level,
        isced_code=isced_code,
        language=language,
        cefr_level="",
    )
    _check_participant(errors, participant, sending_organisation, MobilityType.VIRTUAL)
    source = MobilitySource.VIRTUAL_EXCHANGE
    if Mobility.objects.filter(source=source, source_id=source_id).exists():
        errors["source_id"] = _("A mobility was already recorded for this participant of the exchange.")
    if errors:
        raise ValidationFailed(errors)
    mobility = Mobility(
        participant=participant,
        mobility_type=MobilityType.VIRTUAL,
        sending_organisation=sending_organisation,
        receiving_organisation=receiving_organisation,
        academic_year=current_academic_year(start, settings.ACCORD_ACADEMIC_YEAR_START_MONTH).label,
        planned_start=start,
        planned_end=end,
        actual_start=start,
        actual_end=end,
        eqf_level=eqf_level,
        isced_code=isced_code,
        language=language,
        status=MobilityStatus.COMPLETED,
        source=source,
        source_id=source_id,
        virtual_hours=hours,
        virtual_ects=ects,
        certificate=certificate,
        created_by=actor,
        updated_by=actor,
    )
    recompute_duration(mobility)
    mobility.save()
    MobilityTransition.objects.create(
        mobility=mobility,
        from_status="",
        to_status=MobilityStatus.COMPLETED,
        actor=actor,
        reason=_("Recorded on completion of a virtual exchange."),
    )
    event(mobility, EventKind.CREATED, actor)
    publish(events.MobilityCreated(mobility))
    return mobility
