"""Learning agreements: proposals, signatures bound to a version, comments, delegation of signing.

Every proposal writes a new immutable version and supersedes a pending one. Each party signs a
version by number *and* by the hash of its components; anything else than the current proposed
version is refused. The participant and the sending institution sign first, the receiving
institution last, as in EWP, where a proposal reaches the receiver already signed by the other two.
When all three signed, the version is approved; changes after that are proposals of insertions and
deletions with the standard reasons, counted from the first approved version.

On a copy of a partner's mobility (:mod:`accord.mobilities.remote`) the sending institution's node is
the master: the participant and the sending institution propose and sign there (their acts arrive
through :mod:`accord.mobilities.services.learning_agreement_copies`), and the receiving institution's
signature or comment is recorded here only once that node accepted it. The node is asked with no
lock held and no transaction open: accepting may make it notify us at once, and the refresh that
follows must not wait for this act. A refresh that already recorded the sender's report of the act
meanwhile is the act's record.
"""

from decimal import Decimal
from typing import TypedDict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES, STAFF_ROLES
from accord.algorithms.mobility.learning_agreement import (
    EARNED_SECTIONS,
    ChangeReason,
    LearningAgreementError,
    Section,
    changes_between,
    check_credit_rules,
    components_hash,
    components_to_dicts,
    credit_total,
    parse_changes,
    parse_components,
)
from accord.core.errors import Conflict, DomainError, PermissionDenied, ValidationFailed
from accord.core.events import publish
from accord.mobilities import events, remote, wording
from accord.mobilities.choices import (
    LA_OPEN_STATUSES,
    AgreementKind,
    EventKind,
    MobilityStatus,
    MobilityType,
    SignerRole,
    VersionStatus,
)
from accord.mobilities.models import (
    AgreementVersion,
    LearningAgreement,
    Mobility,
    Signature,
    SigningDelegation,
    VersionComment,
)
from accord.mobilities.querysets import (
    MobilityAction,
    active_delegation,
    mobility_may,
    side_organisation_id,
    signing_roles,
)
from accord.mobilities.selectors import rules_for
from accord.mobilities.services._common import event, lock, move, notify_on_commit
from accord.mobilities.wording import refuse_components, section_problem

# EWP: these mobilities must not change their agreement once the first version is agreed.
NO_CHANGES_AFTER_APPROVAL = frozenset({MobilityType.BLENDED, MobilityType.SHORT_TERM_DOCTORAL})
SIGNING_ORDER = (SignerRole.STUDENT, SignerRole.SENDING, SignerRole.RECEIVING)


def learning_agreement_of(mobility: Mobility) -> LearningAgreement:
    agreement, _created = LearningAgreement.objects.get_or_create(
        mobility=mobility,
        defaults={"kind": AgreementKind.STAFF if mobility.is_staff_mobility else AgreementKind.LEARNING},
    )
    return agreement


def _may_propose(actor, mobility: Mobility) -> bool:
    return mobility.participant_id == actor.pk or mobility_may(actor, MobilityAction.MANAGE, mobility)


def _check_sections(mobility: Mobility, components, given: list[dict]) -> None:
    if mobility.is_staff_mobility:
        # Its agreement is a programme (services.staff), whose hash the signatures bind instead.
        raise ValidationFailed(
            {
                "components": _(
                    "A staff mobility agreement is a programme: draft it on the staff mobility page."
                )
            }
        )
    problems = [
        section_problem(index, _("Activities belong to staff mobility agreements."))
        for index, component in enumerate(components)
        if component.section is Section.ACTIVITY
    ]
    if problems:
        raise refuse_components(problems, given)
    if not components:
        raise ValidationFailed({"components": _("Add at least one component.")})


def _stored_reasons(version: AgreementVersion | None) -> dict[str, tuple[ChangeReason | None, str]]:
    if version is None:
        return {}
    return {
        change["ref"]: (
            ChangeReason(change["reason_code"]) if change.get("reason_code") else None,
            change.get("reason_text", ""),
        )
        for change in version.changes
    }


@transaction.atomic
def la_propose(
    *,
    actor,
    mobility: Mobility,
    components: list[dict],
    reasons: list[dict] | None = None,
    summary: str = "",
    base_version: int | None = None,
) -> AgreementVersion:
    """Write a new version of the components. ``base_version`` is the version the proposer started
    from: a different current version is refused (409 ``stale_version``) so that nobody overwrites a
    proposal they have not read. After the first approval, every insertion and deletion since the
    first approved version needs a standard reason or a text (``reasons``: ``[{ref, reason_code,
    reason_text}]``); reasons given for earlier approved changes are kept."""
    lock(mobility)
    if remote.is_copy(mobility):
        raise DomainError(
            _("The sending institution proposes this learning agreement in its own system."),
            code="managed_remotely",
        )
    if not _may_propose(actor, mobility):
        raise PermissionDenied(
            _("Only the participant and the sending institution's coordinators propose versions.")
        )
    if mobility.status not in LA_OPEN_STATUSES:
        raise Conflict(
            _("The mobility is %(status)s; its agreement can no longer change.")
            % {"status": MobilityStatus(mobility.status).label.lower()},
            code="mobility_closed",
        )
    try:
        parsed = parse_components(components)
        given_reasons = parse_changes(reasons)
    except LearningAgreementError as error:
        raise wording.from_core(error, components) from error
    _check_sections(mobility, parsed, components)
    agreement = learning_agreement_of(mobility)
    current = agreement.current_version
    if base_version is not None and (current.number if current else 0) != base_version:
        raise Conflict(
            _(
                "Version %(current)s was written since you started from version %(base)s; "
                "reload and start again."
            )
            % {"current": current.number if current else 0, "base": base_version},
            code="stale_version",
        )
    digest = components_hash(parsed)
    if current is not None and current.components_hash == digest and current.status == VersionStatus.PROPOSED:
        raise ValidationFailed(
            {"components": _("Nothing changed from version %(n)s.") % {"n": current.number}}
        )
    changes: list[dict] = []
    first = agreement.first_approved_version
    if first is not None:
        if mobility.mobility_type in NO_CHANGES_AFTER_APPROVAL:
            raise Conflict(
                _("Blended and short-term doctoral mobilities cannot change an approved agreement."),
                code="no_changes_allowed",
            )
        # Reasons already given carry over: those of the approved changes and of the proposal this
        # one replaces, so that answering a comment does not mean typing every reason again.
        merged = {**_stored_reasons(agreement.approved_version), **_stored_reasons(current), **given_reasons}
        approved = parse_components(first.components)
        try:
            found = changes_between(approved, parsed, merged)
        except LearningAgreementError as error:
            labels = {component.ref: component.label for component in (*approved, *parsed)}
            raise wording.from_core(error, components, labels) from error
        assert agreement.approved_version is not None, "set whenever first_approved_version is"
        if not found and agreement.approved_version.components_hash == digest:
            raise ValidationFailed({"components": _("Nothing changed from the approved version.")})
        changes = [
            {
                "ref": change.ref,
                "status": change.status.value,
                "reason_code": change.reason_code.value if change.reason_code else "",
                "reason_text": change.reason_text,
            }
            for change in found
        ]
    agreement.versions.filter(status=VersionStatus.PROPOSED).update(status=VersionStatus.SUPERSEDED)
    version = AgreementVersion.objects.create(
        learning_agreement=agreement,
        number=(current.number + 1) if current else 1,
        components=components_to_dicts(parsed),
        components_hash=digest,
        changes=changes,
        summary=summary.strip(),
        created_by=actor,
    )
    agreement.current_version = version
    agreement.save(update_fields=["current_version"])
    event(mobility, EventKind.PROPOSED, actor, _("Version %(n)s proposed.") % {"n": version.number})
    publish(events.LearningAgreementProposed(mobility, version_number=version.number))
    notify_on_commit(mobility.pk, "proposed", version=version.number)
    return version


def credit_check(mobility: Mobility, version: AgreementVersion):
    """The sending institution's credit rules evaluated on ``version``."""
    return check_credit_rules(parse_components(version.components), rules_for(mobility))


class _SignRequest(TypedDict):
    """What the signer names: the version, by number and by the hash of its components, and the role."""

    version_number: int
    components_hash: str
    role: str | None


def la_sign(
    *,
    actor,
    mobility: Mobility,
    version_number: int,
    components_hash: str,
    role: str | None = None,
    position: str = "",
    signer_name: str = "",
    signer_email: str = "",
) -> Signature:
    """Sign the current proposed version as ``role`` (inferred when the signer holds only one).

    ``signer_name`` and ``signer_email`` name the person who signed when the actor is a partner
    node's system account (EWP); blank, they are the actor's."""
    request: _SignRequest = {
        "version_number": version_number,
        "components_hash": components_hash,
        "role": role,
    }
    if not remote.is_copy(mobility):
        who = {"position": position, "signer_name": signer_name, "signer_email": signer_email}
        return _sign(actor=actor, mobility=mobility, **who, **request)
    with transaction.atomic():
        lock(mobility)
        version, role, _delegation = _check_signing(actor, mobility, **request)
        if role != SignerRole.RECEIVING:
            raise PermissionDenied(
                _("The participant and the sending institution sign in the sending institution's system.")
            )
    remote.forward(mobility, "la_sign", actor=actor, version=version, position=position)
    return _sign(actor=actor, mobility=mobility, position=position, forwarded=True, **request)


@transaction.atomic
def _sign(
    *,
    actor,
    mobility,
    version_number: int,
    components_hash: str,
    role,
    position: str,
    signer_name: str = "",
    signer_email: str = "",
    forwarded=False,
) -> Signature:
    lock(mobility)
    if forwarded:
        recorded = Signature.objects.filter(
            version__learning_agreement__mobility=mobility,
            version__number=version_number,
            role=SignerRole.RECEIVING,
        ).first()
        if recorded is not None:
            return recorded  # a refresh recorded the sending node's report of this very act
    version, role, delegation = _check_signing(
        actor, mobility, version_number=version_number, components_hash=components_hash, role=role
    )
    agreement = learning_agreement_of(mobility)
    signature = Signature.objects.create(
        version=version,
        role=role,
        signer=actor,
        delegation=delegation,
        signer_name=(signer_name.strip() or str(actor))[:255],
        signer_position=position.strip() or str(SignerRole(role).label),
        signer_email=(signer_email.strip() or actor.email)[:254],
        components_hash=version.components_hash,
    )
    delegated = (
        _(" on behalf of %(grantor)s (delegation)") % {"grantor": delegation.granted_by} if delegation else ""
    )
    event(
        mobility,
        EventKind.SIGNED,
        actor,
        _("Version %(n)s signed as %(role)s%(delegated)s.")
        % {"n": version.number, "role": SignerRole(role).label.lower(), "delegated": delegated},
    )
    publish(events.LearningAgreementSigned(mobility, version_number=version.number, role=role))
    if all(_signed(version, r) for r in SIGNING_ORDER):
        _approve(agreement, version, mobility, actor)
    else:
        notify_on_commit(mobility.pk, "signed", version=version.number)
    return signature


def _check_signing(actor, mobility: Mobility, *, version_number: int, components_hash: str, role):
    """The version to sign, the role and the delegation relied on, or the refusal (caller holds the lock)."""
    agreement = learning_agreement_of(mobility)
    roles = signing_roles(actor, mobility)
    if not roles:
        raise PermissionDenied(_("You hold no role that signs this agreement."))
    if role is None:
        unsigned = [r for r in roles if not _signed(agreement.current_version, r)]
        if len(unsigned) == 1 or len(roles) == 1:
            role = unsigned[0] if len(unsigned) == 1 else next(iter(roles))
        else:
            raise ValidationFailed({"role": _("Say in which role you sign.")})
    if role not in SignerRole.values:
        raise ValidationFailed({"role": _("Unknown signing role.")})
    if role not in roles:
        raise PermissionDenied(
            _("Only %(who)s signs as %(role)s.")
            % {
                "who": _("the participant")
                if role == SignerRole.STUDENT
                else _("an admin or coordinator of that institution, or their delegate"),
                "role": SignerRole(role).label.lower(),
            }
        )
    version = _signable(agreement, version_number, components_hash)
    if _signed(version, role):
        raise Conflict(
            _("Version %(n)s is already signed in this role.") % {"n": version.number}, code="already_signed"
        )
    if role == SignerRole.RECEIVING and not (
        _signed(version, SignerRole.STUDENT) and _signed(version, SignerRole.SENDING)
    ):
        raise Conflict(
            _("The receiving institution signs after the participant and the sending institution."),
            code="signing_order",
        )
    if role == SignerRole.RECEIVING and mobility.status == MobilityStatus.NOMINATED:
        raise Conflict(_("Accept the participant before signing the agreement."), code="not_accepted")
    if role == SignerRole.SENDING:
        failing = [
            result.detail
            for result in credit_check(mobility, version)
            if not result.met and result.rule.blocking
        ]
        if failing:
            raise ValidationFailed({"credit_rules": failing})
    return version, role, roles[role]


def _signed(version: AgreementVersion | None, role: str) -> bool:
    return version is not None and version.signatures.filter(role=role).exists()


def _signable(agreement: LearningAgreement, number: int, digest: str) -> AgreementVersion:
    current = agreement.current_version
    if current is None:
        raise Conflict(_("Nothing has been proposed yet."), code="no_version")
    if number != current.number:
        raise Conflict(
            _("Version %(n)s was superseded by version %(current)s; read and sign the current one.")
            % {"n": number, "current": current.number},
            code="stale_version",
        )
    if digest != current.components_hash:
        raise Conflict(
            _("The components you read differ from version %(n)s; reload it before signing.") % {"n": number},
            code="hash_mismatch",
        )
    if current.status != VersionStatus.PROPOSED:
        raise Conflict(
            _("Version %(n)s is %(status)s; it cannot be signed.")
            % {"n": number, "status": VersionStatus(current.status).label.lower()},
            code="not_signable",
        )
    return current


def _approve(agreement: LearningAgreement, version: AgreementVersion, mobility: Mobility, actor) -> None:
    version.status = VersionStatus.APPROVED
    version.save(update_fields=["status"])
    agreement.approved_version = version
    if agreement.first_approved_version_id is None:
        agreement.first_approved_version = version
    agreement.save(update_fields=["approved_version", "first_approved_version"])
    mobility.planned_credits = credit_total(parse_components(version.components), EARNED_SECTIONS) or Decimal(
        0
    )
    mobility.save(update_fields=["planned_credits", "updated_at"])
    event(
        mobility, EventKind.APPROVED, actor, _("Version %(n)s approved by all three.") % {"n": version.number}
    )
    if mobility.status == MobilityStatus.ACCEPTED:
        move(mobility, MobilityStatus.LA_APPROVED, actor=actor)
    notify_on_commit(mobility.pk, "approved", version=version.number)


def la_comment(*, actor, mobility: Mobility, version_number: int, text: str) -> VersionComment:
    """Return the current proposal with a comment: it can no longer be signed, and the proposer
    answers with a new version. Any signing party may comment."""
    if not remote.is_copy(mobility):
        return _comment(actor=actor, mobility=mobility, version_number=version_number, text=text)
    with transaction.atomic():
        lock(mobility)
        version, role = _check_comment(actor, mobility, version_number, text)
        if role != SignerRole.RECEIVING:
            raise PermissionDenied(
                _("The participant and the sending institution comment in the sending institution's system.")
            )
    remote.forward(mobility, "la_comment", actor=actor, version=version, text=text.strip())
    return _comment(actor=actor, mobility=mobility, version_number=version_number, text=text, forwarded=True)


def _check_comment(actor, mobility: Mobility, version_number: int, text: str, *, forwarded: bool = False):
    agreement = learning_agreement_of(mobility)
    roles = signing_roles(actor, mobility)
    if not roles:
        raise PermissionDenied(_("Only the parties who sign this agreement can comment on it."))
    if not text.strip():
        raise ValidationFailed({"text": _("Write the comment.")})
    if forwarded:
        # The sending node accepted the comment and may have withdrawn the proposal from what it
        # serves, which a refresh meanwhile recorded as superseded: the comment still belongs to it.
        version = agreement.versions.filter(number=version_number).first()
        if version is not None and version.status in (VersionStatus.PROPOSED, VersionStatus.SUPERSEDED):
            return version, next(iter(roles))
    current = agreement.current_version
    if current is None or current.number != version_number:
        raise Conflict(_("Only the current version can be commented on."), code="stale_version")
    if current.status != VersionStatus.PROPOSED:
        raise Conflict(_("Only a proposed version can be commented on."), code="not_signable")
    return current, next(iter(roles))


@transaction.atomic
def _comment(*, actor, mobility: Mobility, version_number: int, text: str, forwarded=False) -> VersionComment:
    lock(mobility)
    version, role = _check_comment(actor, mobility, version_number, text, forwarded=forwarded)
    agreement = learning_agreement_of(mobility)
    comment = VersionComment.objects.create(version=version, role=role, author=actor, text=text.strip())
    version.status = VersionStatus.COMMENTED
    version.save(update_fields=["status"])
    if agreement.current_version_id != version.pk:
        agreement.current_version = version
        agreement.save(update_fields=["current_version"])
    event(mobility, EventKind.COMMENTED, actor, text.strip())
    publish(events.LearningAgreementCommented(mobility, version_number=version.number))
    notify_on_commit(mobility.pk, "commented", version=version.number)
    return comment


@transaction.atomic
def delegation_grant(*, actor, mobility: Mobility, role: str, delegate) -> SigningDelegation:
    """An admin or coordinator of one side lets a colleague of the same institution sign for it."""
    if role not in (SignerRole.SENDING, SignerRole.RECEIVING):
        raise ValidationFailed({"role": _("Only an institution's signature can be delegated.")})
    organisation_id = side_organisation_id(mobility, role)
    if not (
        is_platform_staff(actor) or organisation_id in organisation_ids_with_roles(actor, MANAGING_ROLES)
    ):
        raise PermissionDenied(
            _("Only admins and coordinators of that institution can delegate its signature.")
        )
    if organisation_id not in organisation_ids_with_roles(delegate, STAFF_ROLES):
        raise ValidationFailed({"delegate_id": _("The delegate must be on the staff of that institution.")})
    agreement = learning_agreement_of(mobility)
    if active_delegation(agreement, role, delegate) is not None:
        raise Conflict(_("This person already signs for that side."), code="already_delegated")
    delegation = SigningDelegation.objects.create(
        learning_agreement=agreement, role=role, delegate=delegate, granted_by=actor
    )
    event(
        mobility,
        EventKind.DELEGATED,
        actor,
        _("%(delegate)s may sign for the %(role)s.")
        % {"delegate": delegate, "role": SignerRole(role).label.lower()},
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, actor, delegation: SigningDelegation) -> SigningDelegation:
    mobility = delegation.learning_agreement.mobility
    organisation_id = side_organisation_id(mobility, delegation.role)
    if not (
        is_platform_staff(actor) or organisation_id in organisation_ids_with_roles(actor, MANAGING_ROLES)
    ):
        raise PermissionDenied(
            _("Only admins and coordinators of that institution can revoke its delegations.")
        )
    if delegation.revoked_at is not None:
        raise Conflict(_("This delegation was already revoked."), code="already_revoked")
    delegation.revoked_at, delegation.revoked_by = timezone.now(), actor
    delegation.save(update_fields=["revoked_at", "revoked_by"])
    event(
        mobility,
        EventKind.DELEGATION_REVOKED,
        actor,
        _("Delegation to %(d)s revoked.") % {"d": delegation.delegate},
    )
    return delegation
