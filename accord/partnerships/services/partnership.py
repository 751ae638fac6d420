"""A partnership: setting it up, editing it, its members and its lifecycle."""

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.accounts.access import Action, may
from accord.core.concurrency import require_version
from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.core.validation import clean_or_fail
from accord.partnerships.choices import ALLOWED_TRANSITIONS, REASON_REQUIRED, MemberRole, PartnershipStatus
from accord.partnerships.models import IndicatorTarget, Partnership, PartnershipMember, PartnershipTransition
from accord.partnerships.querysets import PartnershipAction
from accord.partnerships.services._common import (
    apply,
    assign,
    locked,
    mark_written,
    member_organisation_ids,
    require,
    save_written,
    values,
    year_range,
)


def _refuse_if_closed(partnership: Partnership) -> None:
    if partnership.status == PartnershipStatus.CLOSED:
        raise Conflict(_("This partnership is closed; its record and members can no longer be changed."))


def _check_contacts(contacts: Sequence, member_ids: set[int]) -> None:
    for contact in contacts:
        if contact.organisation_id not in member_ids:
            raise ValidationFailed(
                {
                    "responsible_contacts": _(
                        "%(contact)s works at %(organisation)s, which is not a member of this partnership."
                    )
                    % {"contact": contact, "organisation": contact.organisation}
                }
            )


def _check_dates(partnership: Partnership) -> None:
    start, end = partnership.start_date, partnership.end_date
    if start and end and end < start:
        raise ValidationFailed({"end_date": _("The end date cannot be before the start date.")})


PARTNERSHIP_FIELDS = ("title", "model", "description", "start_date", "end_date")


def _check_members(members: Sequence[tuple[Any, str]]) -> Any:
    """Refuse a member list that is not a partnership; return the coordinating organisation."""
    seen: set[int] = set()
    for organisation, role in members:
        if role not in MemberRole.values:
            raise ValidationFailed(
                {
                    "members": _("'%(role)s' is not a member role; choose one of: %(items)s.")
                    % {"role": role, "items": ", ".join(MemberRole.values)}
                }
            )
        if organisation.pk in seen:
            raise ValidationFailed(
                {
                    "members": _(
                        "%(organisation)s is listed twice: an organisation cannot partner with itself."
                    )
                    % {"organisation": organisation}
                }
            )
        seen.add(organisation.pk)
    if len(seen) < 2:
        raise ValidationFailed({"members": _("A partnership needs at least two different organisations.")})
    coordinators = [organisation for organisation, role in members if role == MemberRole.COORDINATOR]
    if len(coordinators) != 1:
        raise ValidationFailed(
            {
                "members": _("A partnership needs exactly one coordinator; %(count)s were given.")
                % {"count": len(coordinators)}
            }
        )
    return coordinators[0]


@transaction.atomic
def partnership_create(
    *,
    actor,
    members: Sequence[tuple[Any, str]],
    responsible_contacts: Sequence = (),
    **data: Any,
) -> Partnership:
    """Set up a partnership with its members (``(organisation, role)`` pairs) in status exploring.

    The coordinating organisation's admins and coordinators (or platform staff) set it up, since
    that organisation will own the record.
    """
    members = list(members)
    coordinator = _check_members(members)
    if not may(actor, Action.MANAGE, coordinator.pk):
        raise PermissionDenied(
            _("Only admins and coordinators of %(coordinator)s can set up a partnership it coordinates.")
            % {"coordinator": coordinator}
        )
    contacts = list(responsible_contacts)
    _check_contacts(contacts, {organisation.pk for organisation, _role in members})
    partnership = Partnership(created_by=actor)
    assign(partnership, data, PARTNERSHIP_FIELDS)
    _check_dates(partnership)
    clean_or_fail(partnership)
    partnership.save()
    PartnershipMember.objects.bulk_create(
        PartnershipMember(partnership=partnership, organisation=organisation, role=role)
        for organisation, role in members
    )
    partnership.responsible_contacts.set(contacts)
    PartnershipTransition.objects.create(
        partnership=partnership, from_status="", to_status=partnership.status, actor=actor
    )
    return partnership


def _check_target_years(partnership: Partnership) -> None:
    first, last = year_range(partnership)
    years = set(
        IndicatorTarget.objects.filter(indicator__objective__partnership=partnership).values_list(
            "year", flat=True
        )
    )
    if first is not None and (before := sorted(y for y in years if y < first)):
        raise ValidationFailed(
            {
                "start_date": _("Targets exist for %(before)s, before the new start date.")
                % {"before": before[0]}
            }
        )
    if last is not None and (after := sorted(y for y in years if y > last)):
        raise ValidationFailed(
            {"end_date": _("Targets exist for %(after)s, after the new end date.") % {"after": after[-1]}}
        )


@transaction.atomic
def partnership_update(
    *, actor, partnership: Partnership, expected_version: int | None = None, **data: Any
) -> Partnership:
    """Change the fields ``data`` names (and the responsible contacts), if the partnership is still at
    ``expected_version``; only what differs is written."""
    partnership = locked(partnership)
    require(actor, PartnershipAction.CHANGE, partnership)
    _refuse_if_closed(partnership)
    fields = values(data, PARTNERSHIP_FIELDS)
    require_version(partnership, expected_version, fields)
    changed = apply(partnership, fields)
    _check_dates(partnership)
    if {"start_date", "end_date"} & set(changed):
        _check_target_years(partnership)
    clean_or_fail(partnership)
    save_written(partnership, changed, actor)
    if "responsible_contacts" in data:
        contacts = list(data["responsible_contacts"])
        _check_contacts(contacts, member_organisation_ids(partnership))
        current = set(partnership.responsible_contacts.values_list("pk", flat=True))
        if {contact.pk for contact in contacts} != current:
            partnership.responsible_contacts.set(contacts)
            if not changed:
                mark_written(partnership, actor)
    return partnership


@transaction.atomic
def partnership_member_add(
    *, actor, partnership: Partnership, organisation, role: str = MemberRole.PARTNER
) -> PartnershipMember:
    locked_partnership = locked(partnership)
    require(actor, PartnershipAction.CHANGE, locked_partnership)
    _refuse_if_closed(locked_partnership)
    if role == MemberRole.COORDINATOR:
        raise ValidationFailed(
            {
                "role": _(
                    "A partnership has one coordinator; hand coordination over by changing a member's role."
                )
            }
        )
    if organisation.pk in member_organisation_ids(locked_partnership):
        raise ValidationFailed(
            {
                "organisation": _("%(organisation)s is already a member of this partnership.")
                % {"organisation": organisation}
            }
        )
    member = PartnershipMember(
        partnership=locked_partnership, organisation=organisation, role=role, updated_by=actor
    )
    clean_or_fail(member)
    member.save()
    return member


def _locked_member(member: PartnershipMember) -> tuple[Partnership, PartnershipMember]:
    """The partnership locked, then the member as it is now: every change of members takes the
    partnership's lock first, so the rules below decide on roles no one else is changing."""
    partnership = locked(Partnership(pk=member.partnership_id))
    current = PartnershipMember.objects.filter(pk=member.pk, partnership=partnership).first()
    if current is None:
        raise Conflict(
            _("%(organisation)s was removed from this partnership meanwhile; nothing was saved.")
            % {"organisation": member.organisation}
        )
    return partnership, current


@transaction.atomic
def partnership_member_update(
    *, actor, member: PartnershipMember, role: str, expected_version: int | None = None
) -> PartnershipMember:
    """Change a member's role. Making a member the coordinator hands coordination (and with it the
    ownership of the record) over: the previous coordinator becomes a partner."""
    partnership, member = _locked_member(member)
    require(actor, PartnershipAction.CHANGE, partnership)
    _refuse_if_closed(partnership)
    if role not in MemberRole.values:
        raise ValidationFailed({"role": _("'%(role)s' is not a member role.") % {"role": role}})
    require_version(member, expected_version, ["role"])
    if member.role == MemberRole.COORDINATOR and role != MemberRole.COORDINATOR:
        raise ValidationFailed(
            {
                "role": _("%(organisation)s coordinates this partnership; make another member coordinator.")
                % {"organisation": member.organisation}
            }
        )
    if role == MemberRole.COORDINATOR and member.role != MemberRole.COORDINATOR:
        # The previous coordinator steps down first: the database allows only one at a time.
        partnership.members.filter(role=MemberRole.COORDINATOR).update(
            role=MemberRole.PARTNER, version=F("version") + 1, updated_by=actor, updated_at=timezone.now()
        )
    changed = apply(member, {"role": role})
    clean_or_fail(member)
    save_written(member, changed, actor)
    return member


@transaction.atomic
def partnership_member_remove(
    *, actor, member: PartnershipMember, expected_version: int | None = None
) -> None:
    """Remove a member; its people stop being the partnership's responsible contacts."""
    partnership, member = _locked_member(member)
    require(actor, PartnershipAction.CHANGE, partnership)
    _refuse_if_closed(partnership)
    require_version(member, expected_version)
    if member.role == MemberRole.COORDINATOR:
        raise ValidationFailed(
            {"member": _("The coordinator cannot be removed; hand coordination over first.")}
        )
    if partnership.members.count() <= 2:
        raise ValidationFailed(
            {
                "member": _("A partnership needs at least two organisations; %(organisation)s is needed.")
                % {"organisation": member.organisation}
            }
        )
    partnership.responsible_contacts.remove(
        *partnership.responsible_contacts.filter(organisation_id=member.organisation_id)
    )
    member.delete()


@transaction.atomic
def partnership_transition(
    *, actor, partnership: Partnership, to_status: str, reason: str = ""
) -> PartnershipTransition:
    """Move the partnership to ``to_status`` if the lifecycle allows it, and record the step.

    The row is locked so that two people moving the same partnership at once cannot both succeed
    from the same starting status.
    """
    locked_partnership = locked(partnership)
    require(actor, PartnershipAction.CHANGE, locked_partnership)
    if to_status not in PartnershipStatus.values:
        statuses = ", ".join(PartnershipStatus.values)
        raise ValidationFailed(
            {
                "to_status": _("'%(to_status)s' is not a status; the statuses are %(statuses)s.")
                % {"to_status": to_status, "statuses": statuses}
            }
        )
    ALLOWED_TRANSITIONS.require(locked_partnership.status, to_status, field="to_status")
    reason = (reason or "").strip()
    if to_status in REASON_REQUIRED and not reason:
        raise ValidationFailed(
            {
                "reason": _("Give a reason for moving the partnership to %(to_status)s.")
                % {"to_status": to_status}
            }
        )
    transition = PartnershipTransition.objects.create(
        partnership=locked_partnership,
        from_status=locked_partnership.status,
        to_status=to_status,
        actor=actor,
        reason=reason,
    )
    save_written(locked_partnership, apply(locked_partnership, {"status": to_status}), actor)
    return transition
