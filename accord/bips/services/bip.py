"""Creating and editing a BIP, its partners and components, and moving it along its lifecycle."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.algorithms.bips import BipDesign, DesignProblem, bip_design_problems, physical_days
from accord.bips import events
from accord.bips.choices import (
    ACTIVE_PARTICIPANT_STATUSES,
    ALLOWED_TRANSITIONS,
    EDITABLE_STATUSES,
    BipStatus,
    ComponentKind,
    ComponentTiming,
    ParticipantStatus,
)
from accord.bips.models import Bip, BipComponent, BipPartner, BipTransition
from accord.bips.services._common import RULES, lock_bip, require_manage
from accord.core.concurrency import bump, lock, require_version, save_changes
from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.core.events import publish
from accord.reference.isced import is_isced
from accord.reference.languages import is_language

BIP_FIELDS = ("title", "description", "host", "isced_code", "language", "ects", "capacity")


def _check_fields(values: dict) -> dict[str, str]:
    errors = {}
    if "title" in values and not str(values["title"]).strip():
        errors["title"] = _("Give the programme a title.")
    if values.get("isced_code") and not is_isced(values["isced_code"]):
        errors["isced_code"] = _("'%(code)s' is not an ISCED-F 2013 field.") % {"code": values["isced_code"]}
    if values.get("language") and not is_language(values["language"]):
        errors["language"] = _("'%(code)s' is not a language code.") % {"code": values["language"]}
    if "ects" in values and Decimal(values["ects"]) < RULES.minimum_ects:
        errors["ects"] = _("A blended intensive programme awards at least %(ects)s ECTS credits.") % {
            "ects": RULES.minimum_ects
        }
    if "capacity" in values and int(values["capacity"]) < 1:
        errors["capacity"] = _("Offer at least one place.")
    return errors


@transaction.atomic
def bip_create(
    *,
    actor,
    coordinator,
    title: str,
    ects: Decimal,
    capacity: int,
    host=None,
    partners=(),
    description: str = "",
    isced_code: str = "",
    language: str = "",
) -> Bip:
    """Draft a BIP coordinated by ``coordinator``; the coordinator, the host (the coordinator unless
    said) and ``partners`` become its institutions."""
    if not (is_platform_staff(actor) or coordinator.pk in organisation_ids_with_roles(actor, MANAGING_ROLES)):
        raise PermissionDenied(
            _("Only admins and coordinators of the coordinating institution can set up its programmes.")
        )
    host = host or coordinator
    errors = _check_fields(
        {"title": title, "isced_code": isced_code, "language": language, "ects": ects, "capacity": capacity}
    )
    if errors:
        raise ValidationFailed(errors)
    bip = Bip.objects.create(
        title=title.strip(),
        description=description,
        coordinator=coordinator,
        host=host,
        isced_code=isced_code,
        language=language,
        ects=ects,
        capacity=capacity,
        created_by=actor,
        updated_by=actor if actor.is_authenticated else None,
    )
    organisations = {coordinator.pk: coordinator, host.pk: host} | {p.pk: p for p in partners}
    BipPartner.objects.bulk_create([BipPartner(bip=bip, organisation=o) for o in organisations.values()])
    BipTransition.objects.create(bip=bip, from_status="", to_status=BipStatus.DRAFT, actor=actor)
    return bip


def _active_count(bip: Bip, **filters) -> int:
    return bip.participants.filter(status__in=ACTIVE_PARTICIPANT_STATUSES, **filters).count()


@transaction.atomic
def bip_update(*, actor, bip: Bip, expected_version: int | None = None, **values) -> Bip:
    """Change the BIP's description, host, credits or places while it is a draft or open."""
    require_manage(actor, bip)
    errors = _check_fields(values)
    if errors:
        raise ValidationFailed(errors)
    lock_bip(bip)
    require_version(bip, expected_version, values)
    if bip.status not in EDITABLE_STATUSES:
        raise Conflict(_("A programme that is running, completed or cancelled can no longer be edited."))
    if "host" in values and not bip.partners.filter(organisation=values["host"]).exists():
        raise ValidationFailed(
            {"host": _("The hosting institution must be one of the programme's partners.")}
        )
    if (
        "host" in values
        and values["host"] != bip.host
        and _active_count(bip, status=ParticipantStatus.ACCEPTED)
    ):
        raise ValidationFailed(
            {"host": _("Participants are accepted and their mobilities go to the current host: keep it.")}
        )
    if "capacity" in values and int(values["capacity"]) < (taken := _active_count(bip)):
        raise ValidationFailed(
            {"capacity": _("%(count)s places are already taken by nominations.") % {"count": taken}}
        )
    save_changes(bip, values, actor=actor, expected_version=expected_version, editable=BIP_FIELDS)
    return bip


def design_of(bip: Bip) -> BipDesign:
    components = list(bip.components.all())
    physical = next((c for c in components if c.kind == ComponentKind.PHYSICAL), None)
    return BipDesign(
        partner_countries=[p.organisation.country_code for p in bip.partners.select_related("organisation")],
        ects=bip.ects,
        virtual_components=sum(1 for c in components if c.kind == ComponentKind.VIRTUAL),
        physical=(physical.start, physical.end) if physical else None,
    )


def problem_message(problem: DesignProblem) -> str:
    """A sentence for one broken design rule."""
    if problem.code == "partners":
        return _("It needs at least %(needed)s institutions, the coordinator included; it has %(found)s.") % {
            "needed": problem.needed,
            "found": problem.found,
        }
    if problem.code == "countries":
        return _(
            "Its institutions must come from at least %(needed)s countries; they come from %(found)s."
        ) % {
            "needed": problem.needed,
            "found": problem.found,
        }
    if problem.code == "ects":
        return _("It must award at least %(needed)s ECTS credits.") % {"needed": problem.needed}
    if problem.code == "virtual":
        return _("It needs a virtual component, before, during or after the physical part.")
    low, high = problem.needed if isinstance(problem.needed, tuple) else (0, 0)
    if problem.code == "physical":
        return _("It needs a physical component of %(low)s to %(high)s days.") % {"low": low, "high": high}
    return _("Its physical part must last %(low)s to %(high)s days; it lasts %(found)s.") % {
        "low": low,
        "high": high,
        "found": problem.found,
    }


@transaction.atomic
def bip_transition(
    *, actor, bip: Bip, to_status: str, reason: str = "", expected_version: int | None = None
) -> Bip:
    """Open the BIP for nominations (its design checked against the rules under the lock), start it,
    complete it, or cancel it with a reason."""
    require_manage(actor, bip)
    if to_status == BipStatus.CANCELLED and not reason.strip():
        raise ValidationFailed({"reason": _("Say why the programme is cancelled.")})
    lock_bip(bip)
    require_version(bip, expected_version)
    ALLOWED_TRANSITIONS.require(bip.status, to_status, code="invalid_transition", field="to_status")
    if to_status == BipStatus.OPEN:
        problems = bip_design_problems(design_of(bip), RULES)
        if problems:
            raise ValidationFailed(
                {"to_status": [problem_message(p) for p in problems]},
                message=_("The programme cannot open yet: %(reason)s")
                % {"reason": " ".join(problem_message(p) for p in problems)},
            )
    from_status = bip.status
    bip.status = to_status
    bip.save(update_fields=["status", *bump(bip, actor)])
    BipTransition.objects.create(
        bip=bip, from_status=from_status, to_status=to_status, actor=actor, reason=reason.strip()
    )
    event_type: type[events.BipStatusChanged] = {
        BipStatus.OPEN: events.BipOpened,
        BipStatus.COMPLETED: events.BipCompleted,
        BipStatus.CANCELLED: events.BipCancelled,
    }.get(BipStatus(to_status), events.BipStatusChanged)
    publish(event_type(bip, from_status=from_status, to_status=to_status))
    return bip


def _require_editable(bip: Bip) -> None:
    if bip.status not in EDITABLE_STATUSES:
        raise Conflict(_("A programme that is running, completed or cancelled can no longer be edited."))


@transaction.atomic
def bip_partner_add(*, actor, bip: Bip, organisation, quota: int | None = None) -> BipPartner:
    require_manage(actor, bip)
    lock_bip(bip)
    _require_editable(bip)
    if bip.partners.filter(organisation=organisation).exists():
        raise ValidationFailed({"organisation": _("This institution already takes part.")})
    partner = BipPartner.objects.create(
        bip=bip, organisation=organisation, quota=quota, updated_by=actor if actor.is_authenticated else None
    )
    bip.save(update_fields=bump(bip, actor))
    return partner


@transaction.atomic
def bip_partner_update(
    *, actor, partner: BipPartner, quota: int | None, expected_version: int | None = None
) -> BipPartner:
    """Set (or lift, with None) a partner's quota; never below the places its nominations hold."""
    bip = partner.bip
    require_manage(actor, bip)
    lock_bip(bip)
    _require_editable(bip)
    if quota is not None and quota < (taken := _active_count(bip, partner=partner)):
        raise ValidationFailed(
            {"quota": _("This partner's nominations already hold %(count)s places.") % {"count": taken}}
        )
    save_changes(partner, {"quota": quota}, actor=actor, expected_version=expected_version)
    return partner


@transaction.atomic
def bip_partner_remove(*, actor, partner: BipPartner, expected_version: int | None = None) -> None:
    bip = partner.bip
    require_manage(actor, bip)
    lock_bip(bip)
    lock(partner)
    require_version(partner, expected_version)
    if bip.status != BipStatus.DRAFT:
        raise Conflict(_("Partners can be removed only while the programme is a draft."))
    if partner.organisation_id in (bip.coordinator_id, bip.host_id):
        raise ValidationFailed({"organisation": _("The coordinating and hosting institutions stay.")})
    if partner.participants.exists():
        raise ValidationFailed({"organisation": _("This partner has nominated participants.")})
    partner.delete()
    bip.save(update_fields=bump(bip, actor))


def _check_component(bip: Bip, component: BipComponent) -> dict[str, str]:
    errors: dict[str, str] = {}
    if component.end < component.start:
        return {"end": _("The end must not be before the start.")}
    if component.kind == ComponentKind.PHYSICAL:
        days = physical_days(component.start, component.end)
        if not RULES.physical_days_min <= days <= RULES.physical_days_max:
            errors["end"] = _(
                "The physical part must last %(low)s to %(high)s days; this one lasts %(days)s."
            ) % {
                "low": RULES.physical_days_min,
                "high": RULES.physical_days_max,
                "days": days,
            }
        others = bip.components.filter(kind=ComponentKind.PHYSICAL).exclude(pk=component.pk)
        if others.exists():
            errors["kind"] = _("A programme has one physical component; change its dates instead.")
        return errors
    if component.timing not in ComponentTiming.values:
        return {"timing": _("Say whether the virtual part comes before, during or after the physical part.")}
    physical = bip.components.filter(kind=ComponentKind.PHYSICAL).first()
    if physical is not None:
        fits = {
            ComponentTiming.BEFORE: component.end <= physical.start,
            ComponentTiming.DURING: physical.start <= component.start and component.end <= physical.end,
            ComponentTiming.AFTER: component.start >= physical.end,
        }[ComponentTiming(component.timing)]
        if not fits:
            errors["start"] = _("These dates are not %(timing)s (%(start)s to %(end)s).") % {
                "timing": ComponentTiming(component.timing).label.lower(),
                "start": physical.start.isoformat(),
                "end": physical.end.isoformat(),
            }
    return errors


@transaction.atomic
def bip_component_save(
    *,
    actor,
    bip: Bip,
    kind: str,
    start: date,
    end: date,
    timing: str = "",
    title: str = "",
    component: BipComponent | None = None,
    expected_version: int | None = None,
) -> BipComponent:
    """Add a component, or change ``component``. The physical part's dates are the accepted
    participants' mobility dates, so they are fixed once someone is accepted."""
    require_manage(actor, bip)
    lock_bip(bip)
    _require_editable(bip)
    if kind not in ComponentKind.values:
        raise ValidationFailed({"kind": _("Choose a virtual or a physical component.")})
    timing = "" if kind == ComponentKind.PHYSICAL else timing
    values = {"kind": kind, "start": start, "end": end, "timing": timing, "title": title.strip()}
    if component is not None:
        lock(component)
        require_version(component, expected_version, values)
        touches_physical = ComponentKind.PHYSICAL in (component.kind, kind)
    else:
        touches_physical = kind == ComponentKind.PHYSICAL
    if touches_physical and _active_count(bip, status=ParticipantStatus.ACCEPTED):
        raise Conflict(
            _(
                "Participants are accepted with mobilities on the physical part's dates: "
                "they can no longer change."
            ),
            field="start",
        )
    candidate = BipComponent(bip=bip, pk=component.pk if component else None, **values)
    errors = _check_component(bip, candidate)
    if errors:
        raise ValidationFailed(errors)
    if component is None:
        component = BipComponent.objects.create(
            bip=bip, updated_by=actor if actor.is_authenticated else None, **values
        )
    else:
        save_changes(component, values, actor=actor)
    bip.save(update_fields=bump(bip, actor))
    return component


@transaction.atomic
def bip_component_delete(*, actor, component: BipComponent, expected_version: int | None = None) -> None:
    bip = component.bip
    require_manage(actor, bip)
    lock_bip(bip)
    _require_editable(bip)
    lock(component)
    require_version(component, expected_version)
    if component.kind == ComponentKind.PHYSICAL and _active_count(bip, status=ParticipantStatus.ACCEPTED):
        raise Conflict(_("Participants are accepted with mobilities on the physical part's dates."))
    if component.attendance.exists():
        raise Conflict(_("Attendance is recorded for this component."))
    component.delete()
    bip.save(update_fields=bump(bip, actor))
