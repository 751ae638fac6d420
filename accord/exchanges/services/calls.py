"""Calls and their places: creating, editing, opening and closing; places from agreements."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.algorithms.allocation.selection import SelectionError, Weights
from accord.core.concurrency import bump, require_version, save_changed
from accord.core.concurrency import lock as lock_row
from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.core.validation import clean_or_fail
from accord.exchanges.choices import ALLOWED_TRANSITIONS, CallStatus, EventKind
from accord.exchanges.models import Call, CallEvent, CallPlace
from accord.exchanges.querysets import ExchangeAction
from accord.exchanges.sources import offered_conditions
from accord.reference.academic_years import parse_academic_year
from accord.reference.cefr import is_cefr
from accord.reference.eqf import get_eqf
from accord.reference.isced import is_isced
from accord.reference.languages import is_language

CALL_FIELDS = (
    "title",
    "description",
    "academic_year",
    "term",
    "mobility_type",
    "opens_at",
    "closes_at",
    "max_choices",
    "required_documents",
    "weight_grade",
    "weight_language",
    "weight_motivation",
    "priority_bonus",
    "review_scale_max",
    "eqf_levels",
    "isced_codes",
    "min_cefr",
    "min_grade",
    "min_year_of_study",
    "tie_break_seed",
)
MAX_CHOICES_LIMIT = 20
EDITABLE_PLACES = frozenset({CallStatus.DRAFT, CallStatus.OPEN, CallStatus.CLOSED, CallStatus.ALLOCATED})


def event(call: Call, kind: str, actor, message: str = "") -> None:
    CallEvent.objects.create(call=call, kind=kind, actor=actor, message=message)


def require_manage(actor, call: Call) -> None:
    if not Call.objects.for_user(actor, ExchangeAction.MANAGE).filter(pk=call.pk).exists():
        raise PermissionDenied(
            _("Only the admins and coordinators of %(owner)s manage this call.") % {"owner": call.owner}
        )


def lock(call: Call) -> Call:
    """The call as committed now, read under a lock of its row alone."""
    return Call.objects.select_for_update().get(pk=call.pk)


def _check_rules(call: Call) -> None:
    errors: dict[str, list[str]] = {}
    try:
        call.academic_year = parse_academic_year(call.academic_year or "").label
    except ValueError as exc:
        errors["academic_year"] = [str(exc)]
    if call.opens_at and call.closes_at and call.closes_at <= call.opens_at:
        errors["closes_at"] = [_("The call must close after it opens.")]
    if not 1 <= (call.max_choices or 0) <= MAX_CHOICES_LIMIT:
        errors["max_choices"] = [_("Allow from 1 to %(limit)s choices.") % {"limit": MAX_CHOICES_LIMIT}]
    documents = call.required_documents
    if not isinstance(documents, list) or not all(isinstance(d, str) and d.strip() for d in documents):
        errors["required_documents"] = [_("List the required documents by name.")]
    else:
        call.required_documents = list(dict.fromkeys(d.strip() for d in documents))
    try:
        Weights(call.weight_grade, call.weight_language, call.weight_motivation, call.priority_bonus)
    except SelectionError as exc:
        errors["weight_grade"] = [str(exc)]
    if not call.review_scale_max:
        errors["review_scale_max"] = [_("The review scale needs a maximum of at least 1.")]
    if not isinstance(call.eqf_levels, list) or any(get_eqf(level) is None for level in call.eqf_levels):
        errors["eqf_levels"] = [_("EQF levels run from 1 to 8.")]
    if not isinstance(call.isced_codes, list) or not all(is_isced(code) for code in call.isced_codes):
        errors["isced_codes"] = [_("Use ISCED-F 2013 field codes such as 04 or 0413.")]
    if call.min_cefr and not is_cefr(call.min_cefr):
        errors["min_cefr"] = [_("Use a CEFR level: A1, A2, B1, B2, C1 or C2.")]
    call.min_cefr = call.min_cefr.upper()
    if call.min_grade is not None and not 0 <= call.min_grade <= 10:
        errors["min_grade"] = [_("The minimum grade is on the common 0-10 scale.")]
    if errors:
        raise ValidationFailed(errors)


@transaction.atomic
def call_create(*, actor, owner, **fields: Any) -> Call:
    if not (is_platform_staff(actor) or owner.pk in organisation_ids_with_roles(actor, MANAGING_ROLES)):
        raise PermissionDenied(
            _("Only the admins and coordinators of %(owner)s create its calls.") % {"owner": owner}
        )
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise ValidationFailed({name: [_("Unknown field.")] for name in sorted(unknown)})
    call = Call(owner=owner, created_by=actor, **fields)
    _check_rules(call)
    clean_or_fail(call, exclude=["created_by"])
    call.save()
    event(call, EventKind.CREATED, actor)
    return call


@transaction.atomic
def call_update(*, actor, call: Call, expected_version: int | None = None, **fields: Any) -> Call:
    """Change the call's fields that were sent; refused when the call is no longer at
    ``expected_version`` (the version the editor read), and only what changed is written."""
    call = lock(call)
    require_manage(actor, call)
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise ValidationFailed({name: [_("Unknown field.")] for name in sorted(unknown)})
    require_version(call, expected_version, fields)
    if call.status == CallStatus.PUBLISHED:
        raise Conflict(_("A published call can no longer be edited."), code="call_published", field="status")
    before = {name: getattr(call, name) for name in CALL_FIELDS}
    for name, value in fields.items():
        setattr(call, name, value)
    _check_rules(call)
    clean_or_fail(call, exclude=["created_by", "updated_by"])
    changed = save_changed(call, before, actor=actor)
    if changed:
        event(call, EventKind.EDITED, actor, ", ".join(sorted(changed)))
    return call


def _transition(call: Call, to: str) -> None:
    ALLOWED_TRANSITIONS.require(call.status, to, code="wrong_status", field="status")
    call.status = to


@transaction.atomic
def call_open(*, actor, call: Call, now: datetime | None = None) -> Call:
    """Open the call to applications; it needs places, and a closing date still ahead."""
    require_manage(actor, call)
    call = lock(call)
    _transition(call, CallStatus.OPEN)
    if not call.places.exists():
        raise ValidationFailed({"places": [_("Add places (from the agreements or by hand) before opening.")]})
    if call.closes_at <= (now or timezone.now()):
        raise ValidationFailed({"closes_at": [_("The closing date has passed: move it before opening.")]})
    call.save(update_fields=["status", *bump(call, actor)])
    event(call, EventKind.OPENED, actor)
    return call


@transaction.atomic
def call_close(*, actor, call: Call) -> Call:
    """Close the call (also before its closing date): no more applications; allocation may run."""
    require_manage(actor, call)
    call = lock(call)
    _transition(call, CallStatus.CLOSED)
    call.save(update_fields=["status", *bump(call, actor)])
    event(call, EventKind.CLOSED, actor)
    return call


def _check_place(place: CallPlace) -> None:
    errors: dict[str, list[str]] = {}
    if not (place.name or "").strip():
        errors["name"] = [_("Name the place.")]
    for name in ("capacity", "reserved"):
        if getattr(place, name) is None:
            errors[name] = [_("Give a number of seats (0 or more).")]
    if not errors and place.reserved > place.capacity:
        errors["reserved"] = [_("Reserved seats cannot exceed the capacity.")]
    if place.language and not is_language(place.language):
        errors["language"] = [_("Use an ISO 639-1 language code such as es.")]
    if place.min_cefr and not is_cefr(place.min_cefr):
        errors["min_cefr"] = [_("Use a CEFR level: A1, A2, B1, B2, C1 or C2.")]
    if errors:
        raise ValidationFailed(errors)
    place.min_cefr = place.min_cefr.upper()


def _require_editable_places(call: Call) -> None:
    if call.status not in EDITABLE_PLACES:
        raise Conflict(
            _("The places of a published call are fixed; re-allocate to use added seats."),
            code="wrong_status",
            field="status",
        )


@transaction.atomic
def places_generate(*, actor, call: Call) -> list[CallPlace]:
    """One place per outgoing condition in effect for the call's year and type not yet offered.

    Safe to repeat: conditions already turned into places are skipped, and edited places are kept.
    """
    require_manage(actor, call)
    call = lock(call)
    _require_editable_places(call)
    existing = set(call.places.exclude(agreement=None).values_list("agreement_id", "condition_key"))
    created = []
    for offered in offered_conditions(
        owner=call.owner, academic_year=call.academic_year, mobility_type=call.mobility_type
    ):
        if (offered.agreement.pk, offered.condition_key) in existing:
            continue
        created.append(
            CallPlace.objects.create(
                call=call,
                name=f"{offered.receiving.name} ({offered.agreement.title})",
                receiving_organisation=offered.receiving,
                agreement=offered.agreement,
                condition_key=offered.condition_key,
                capacity=offered.mobilities_per_year,
                shared_cap=offered.mobilities_per_year,
                language=offered.language,
                min_cefr=offered.min_cefr.upper(),
                isced_codes=list(offered.isced_codes),
                eqf_levels=list(offered.eqf_levels),
            )
        )
    event(call, EventKind.PLACES_GENERATED, actor, _("%(count)s new places") % {"count": len(created)})
    return created


PLACE_FIELDS = ("name", "capacity", "reserved", "language", "min_cefr", "isced_codes", "eqf_levels")


@transaction.atomic
def place_create(
    *, actor, call: Call, receiving_organisation, source: CallPlace | None = None, **fields
) -> CallPlace:
    """A place added by hand: a destination without agreement (a virtual exchange), or, with
    ``source``, a further place under the same agreement condition (such as a spring place beside an
    autumn one), which then shares the condition's yearly cap."""
    require_manage(actor, call)
    call = lock(call)
    _require_editable_places(call)
    if source is not None:
        if source.call_id != call.pk:
            raise ValidationFailed({"source": [_("Choose a place of this call.")]})
        inherited = {name: getattr(source, name) for name in PLACE_FIELDS if name not in fields}
        place = CallPlace(
            call=call,
            receiving_organisation=source.receiving_organisation,
            agreement=source.agreement,
            condition_key=source.condition_key,
            shared_cap=source.shared_cap,
            **{**inherited, **fields},
        )
    else:
        place = CallPlace(call=call, receiving_organisation=receiving_organisation, **fields)
    _check_place(place)
    clean_or_fail(place, exclude=["agreement"])
    place.save()
    return place


@transaction.atomic
def place_update(*, actor, place: CallPlace, expected_version: int | None = None, **fields) -> CallPlace:
    """Change the place's fields that were sent, refused when it is no longer at ``expected_version``;
    only what changed is written."""
    call = lock(place.call)
    require_manage(actor, call)
    _require_editable_places(call)
    unknown = set(fields) - set(PLACE_FIELDS)
    if unknown:
        raise ValidationFailed({name: [_("Unknown field.")] for name in sorted(unknown)})
    place = lock_row(place)
    require_version(place, expected_version, fields)
    before = {name: getattr(place, name) for name in PLACE_FIELDS}
    for name, value in fields.items():
        setattr(place, name, value)
    _check_place(place)
    clean_or_fail(place, exclude=["agreement", "updated_by"])
    save_changed(place, before, actor=actor)
    return place


@transaction.atomic
def place_delete(*, actor, place: CallPlace, expected_version: int | None = None) -> None:
    require_manage(actor, place.call)
    call = lock(place.call)
    place = lock_row(place)
    require_version(place, expected_version)
    if call.status != CallStatus.DRAFT or place.choices.exists():
        raise Conflict(
            _("Only places of a draft call that nobody chose can be removed; set the capacity to 0 instead."),
            code="place_in_use",
        )
    place.delete()
