"""Sharing, approving and terminating: the lifecycle that brings a version into effect.

Sharing a version counts as the owner's approval of it; each other party approves the version by
number *and* by the hash of its cooperation conditions; when every party has approved the current
version it comes into effect. Each step publishes a domain event (``accord.agreements.events``).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.agreements import events, notifications
from accord.agreements.choices import AgreementStatus, EventKind
from accord.agreements.content import (
    content_ends_on,
)
from accord.agreements.models import (
    Agreement,
    AgreementApproval,
    AgreementVersion,
)
from accord.agreements.querysets import AgreementAction, approving_organisation_ids
from accord.agreements.services._common import (
    APPROVE_REFUSED,
    _check_base,
    _current_version,
    _event,
    _lock,
    _refuse_if_final,
    _require,
)
from accord.algorithms.agreements.content import (
    content_from_dict,
)
from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.core.events import publish
from accord.organisations.models import Organisation


@transaction.atomic
def agreement_share(*, actor, agreement: Agreement, version_number: int) -> AgreementVersion:
    """Share the current version with the partners; it counts as the owner's approval of that version."""
    _require(actor, AgreementAction.EDIT, agreement)
    _lock(agreement)
    _refuse_if_final(agreement)
    version = _current_version(agreement)
    if version_number != version.number:
        _check_base(agreement, version_number)
    if version.shared_at is not None:
        raise Conflict(
            _("Version %(number)s is already shared.") % {"number": version.number}, code="already_shared"
        )
    now = timezone.now()
    version.shared_at, version.shared_by = now, actor
    version.save(update_fields=["shared_at", "shared_by"])
    amendment = agreement.approved_version_id is not None
    agreement.first_shared_at = agreement.first_shared_at or now
    if not amendment:
        agreement.status = AgreementStatus.SHARED
    agreement.save(update_fields=["first_shared_at", "status", "updated_at"])
    _event(agreement, EventKind.SHARED, actor=actor, version=version, organisation=agreement.owner)
    _approve(agreement, version, agreement.owner, actor)
    publish(events.AgreementVersionShared(agreement, version=version))
    if agreement.status != AgreementStatus.IN_EFFECT or agreement.approved_version_id != version.pk:
        kind = "amended" if amendment else "shared"
        transaction.on_commit(lambda: notifications.notify(agreement.pk, kind, version.number))
    return version


@transaction.atomic
def agreement_approve(
    *, actor, agreement: Agreement, version_number: int, conditions_hash: str, organisation=None
) -> AgreementApproval:
    """Approve version ``version_number`` for ``organisation``; by default the one party the actor
    manages, or, for someone at the owner and a partner alike, the partner."""
    _require(actor, AgreementAction.APPROVE, agreement)
    _lock(agreement)
    _refuse_if_final(agreement)
    allowed = approving_organisation_ids(actor, agreement)
    if organisation is None:
        candidates = allowed - {agreement.owner_id} if len(allowed) > 1 else allowed
        if len(candidates) != 1:
            raise ValidationFailed({"organisation": _("Say for which party you approve.")})
        organisation_id = next(iter(candidates))
    else:
        organisation_id = organisation.pk
        if organisation_id not in allowed:
            raise PermissionDenied(APPROVE_REFUSED)
    current = _current_version(agreement)
    if version_number != current.number:
        raise Conflict(
            _(
                "Version %(version_number)s is not the current version of this "
                "agreement: version %(number)s replaced it. Read the changes, then "
                "approve the current version."
            )
            % {"version_number": version_number, "number": current.number},
            code="stale_version",
            field="version_number",
        )
    if current.shared_at is None:
        raise Conflict(
            _("Version %(number)s has not been shared with the partners yet.") % {"number": current.number},
            code="not_shared",
        )
    if conditions_hash.strip().lower() != current.conditions_hash:
        raise Conflict(
            _(
                "The hash you approve does not match the cooperation conditions of "
                "version %(number)s (%(conditions_hash)s); you may have been shown a "
                "different text."
            )
            % {"number": current.number, "conditions_hash": current.conditions_hash},
            code="hash_mismatch",
            field="conditions_hash",
        )
    if current.approvals.filter(organisation_id=organisation_id).exists():
        raise Conflict(_("Your organisation has already approved this version."), code="already_approved")
    return _approve(agreement, current, Organisation.objects.get(pk=organisation_id), actor)


@transaction.atomic
def agreement_approval_receive(
    *, agreement: Agreement, organisation, version_number: int
) -> AgreementApproval | None:
    """A partner's approval of version ``version_number``, received from its own system (EWP), which
    checked the hash: written by the system, not by a user. Receiving it again changes nothing."""
    _lock(agreement)
    _refuse_if_final(agreement)
    if not agreement.party_links.filter(organisation=organisation).exists():
        raise ValidationFailed(
            {
                "organisation": _("%(organisation)s is not a party to this agreement.")
                % {"organisation": organisation}
            }
        )
    current = _current_version(agreement)
    if version_number != current.number or current.shared_at is None:
        raise Conflict(
            _(
                "The partner approved version %(version_number)s, which is not the "
                "shared current version (%(number)s)."
            )
            % {"version_number": version_number, "number": current.number},
            code="stale_version",
        )
    if current.approvals.filter(organisation=organisation).exists():
        return None
    return _approve(agreement, current, organisation, None)


def _approve(agreement: Agreement, version: AgreementVersion, organisation, actor) -> AgreementApproval:
    approval = AgreementApproval.objects.create(
        agreement=agreement,
        version=version,
        organisation=organisation,
        conditions_hash=version.conditions_hash,
        approved_by=actor,
    )
    _event(agreement, EventKind.APPROVED, actor=actor, version=version, organisation=organisation)
    party_ids = set(agreement.party_links.values_list("organisation_id", flat=True))
    approved_ids = set(version.approvals.values_list("organisation_id", flat=True))
    came_into_effect = party_ids <= approved_ids
    if came_into_effect:
        agreement.approved_version = version
        agreement.status = AgreementStatus.IN_EFFECT
        agreement.ends_on = content_ends_on(content_from_dict(version.content))
        agreement.save(update_fields=["approved_version", "status", "ends_on", "updated_at"])
        _event(agreement, EventKind.IN_EFFECT, actor=actor, version=version)
        transaction.on_commit(lambda: notifications.notify(agreement.pk, "in_effect", version.number))
    elif organisation.pk != agreement.owner_id:
        transaction.on_commit(
            lambda: notifications.notify(
                agreement.pk, "approved", version.number, organisation_id=organisation.pk
            )
        )
    publish(
        events.AgreementVersionApproved(
            agreement, version=version, organisation=organisation, came_into_effect=came_into_effect
        )
    )
    return approval


@transaction.atomic
def agreement_terminate(*, actor, agreement: Agreement, reason: str) -> Agreement:
    _require(actor, AgreementAction.EDIT, agreement)
    _lock(agreement)
    _refuse_if_final(agreement)
    if not reason.strip():
        raise ValidationFailed(
            {"reason": _("Say why the agreement is terminated; the partners will read it.")}
        )
    agreement.status = AgreementStatus.TERMINATED
    agreement.terminated_at = timezone.now()
    agreement.termination_reason = reason.strip()
    agreement.save(update_fields=["status", "terminated_at", "termination_reason", "updated_at"])
    _event(agreement, EventKind.TERMINATED, actor=actor, message=agreement.termination_reason)
    publish(events.AgreementTerminated(agreement))
    if agreement.first_shared_at:
        transaction.on_commit(lambda: notifications.notify(agreement.pk, "terminated", None))
    return agreement
