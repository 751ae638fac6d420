"""The learning agreement of a mobility copy: recording what the sending institution's node serves.

A copy (``source="ewp"``, see :mod:`accord.mobilities.remote`) is the receiving institution's record
of a mobility another node owns. Its learning agreement is written here from the sending node's
``la`` (:func:`la_copy_receive`), as Accord versions with their signatures, so that the receiving
coordinators read, sign and comment it like any other; their acts go to the sending node first
(:mod:`accord.mobilities.services.learning_agreements`).

* *first-version* and *approved-changes* become approved versions (``first_approved_version`` and
  ``approved_version``) through the same approval step as a local third signature, so the copy moves
  accepted → la_approved exactly as a local mobility does. *changes-proposal* becomes the current
  proposed version; a newer one supersedes it, and one the sender no longer serves is superseded.
* The copy's planned dates, language of instruction and CEFR level follow the learning agreement,
  the only EWP document that carries them.
* A version is recognised by its content: a proposal we already hold (the one our coordinator just
  signed, say) is approved in place rather than copied again, so receiving the same document twice
  changes nothing.
* A proposal keeps the sender's version number and components hash when its id is Accord's
  ``<version>-<hash>`` (:func:`accord.algorithms.ewp.learning_agreement.proposal_digest`), so that our
  copy names it exactly as the sender does; any other id is stood for by the hash of the components.
* Signatures keep the signer's name, position, e-mail and time as EWP gives them. The participant's is
  recorded for the copy's participant, the sending institution's for the account of the sending node
  (``sending_signer``). A receiving signature the sender reports that we did not record ourselves (the
  receiving institution signed elsewhere, or our own act is still finishing) is recorded for that
  account too: the sending node is our source for it.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from accord.algorithms.ewp.learning_agreement import (
    EwpComponentList,
    EwpLearningAgreement,
    EwpLearningAgreementError,
    EwpSignature,
    full_components,
    proposal_digest,
)
from accord.algorithms.mobility.learning_agreement import (
    Component,
    ComponentChange,
    LearningAgreementError,
    components_hash,
    components_to_dicts,
    parse_components,
)
from accord.core.errors import Conflict, DomainError, ValidationFailed
from accord.mobilities import remote
from accord.mobilities.choices import EventKind, SignerRole, VersionStatus
from accord.mobilities.models import AgreementVersion, LearningAgreement, Mobility, Signature
from accord.mobilities.services._common import event, lock, notify_on_commit
from accord.mobilities.services.learning_agreements import _approve, learning_agreement_of
from accord.mobilities.services.mobility import recompute_duration

_SIGNATURE_FIELDS = {"student_signature": SignerRole.STUDENT, "sending_signature": SignerRole.SENDING}


@dataclass
class LaCopyUpdate:
    """What receiving the sender's document changed on the copy (all empty: nothing)."""

    created: list[int] = field(default_factory=list)
    signed: list[str] = field(default_factory=list)
    approved: list[int] = field(default_factory=list)
    superseded: list[int] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    """The mobility's fields the learning agreement changed (planned dates, language, level)."""

    @property
    def changed(self) -> bool:
        return bool(self.created or self.signed or self.approved or self.superseded or self.details)


@dataclass(frozen=True)
class _Received:
    """One list of the sender's document as Accord stores it."""

    components: list[dict]
    changes: list[dict]
    signatures: EwpComponentList
    number: int | None = None
    digest: str = ""


@transaction.atomic
def la_copy_receive(*, mobility: Mobility, received: EwpLearningAgreement, sending_signer) -> LaCopyUpdate:
    """Record on the copy ``mobility`` the learning agreement its sending node serves (``received``).

    ``sending_signer`` is the account the sending institution's signatures are recorded for. Raises
    ``ValidationFailed`` for a document Accord cannot hold and ``Conflict`` when the sender's first
    version differs from the one the copy recorded; nothing is written then.
    """
    lock(mobility)
    _check_belongs(mobility, received)
    first, approved, proposal = _lists(received)
    agreement = learning_agreement_of(mobility)
    update = LaCopyUpdate(details=_follow_details(mobility, received, sending_signer))
    context = _Context(mobility, agreement, sending_signer, update)
    if first is not None:
        recorded = agreement.first_approved_version
        if recorded is not None and recorded.components != first.components:
            raise Conflict(
                _("The sending institution now serves another first version than the one recorded."),
                code="history_changed",
            )
        context.approve(recorded or context.find_or_create(first), first)
    if approved is not None:
        current = agreement.approved_version
        if current is None or current.components != approved.components:
            context.approve(context.find_or_create(approved), approved)
        else:
            context.sign(current, approved.signatures)
    if proposal is not None:
        context.propose(proposal)
    else:
        context.withdraw_proposal()
    return update


@transaction.atomic
def la_copy_unserved(*, mobility: Mobility, sending_signer) -> LaCopyUpdate:
    """The sending node serves no learning agreement for the copy ``mobility`` (a first proposal it
    withdrew or that was returned with comments): a proposal we hold as pending no longer awaits us."""
    lock(mobility)
    if not remote.is_copy(mobility):
        raise DomainError(_("Only a copy of a partner's mobility receives its learning agreement."))
    update = LaCopyUpdate()
    agreement = getattr(mobility, "learning_agreement", None)
    if agreement is not None:
        _Context(mobility, agreement, sending_signer, update).withdraw_proposal()
    return update


def received_proposal(received: EwpLearningAgreement) -> tuple[int | None, str] | None:
    """The version number (None: the sender's id is not Accord's) and components hash that stand for
    the proposal ``received`` serves, exactly as :func:`la_copy_receive` records them; None without one."""
    _first, _approved, proposal = _lists(received)
    return None if proposal is None else (proposal.number, proposal.digest)


def _check_belongs(mobility: Mobility, received: EwpLearningAgreement) -> None:
    if not remote.is_copy(mobility):
        raise DomainError(_("Only a copy of a partner's mobility receives its learning agreement."))
    if mobility.is_staff_mobility:
        raise DomainError(_("Staff mobility agreements are not exchanged over EWP."))
    expected = (
        (mobility.sending_organisation.schac_code or "").lower(),
        (mobility.receiving_organisation.schac_code or "").lower(),
    )
    if (received.sending.hei_id.lower(), received.receiving.hei_id.lower()) != expected:
        raise DomainError(
            _("The learning agreement is between %(s)s and %(r)s, not the copy's institutions.")
            % {"s": received.sending.hei_id, "r": received.receiving.hei_id}
        )


def _follow_details(mobility: Mobility, received: EwpLearningAgreement, actor) -> list[str]:
    """The planned dates, language and level the learning agreement gives (the Outgoing Mobilities API
    carries none of them): the copy follows them."""
    wanted = {
        "planned_start": received.start_date,
        "planned_end": received.end_date,
        "language": received.language[: Mobility._meta.get_field("language").max_length],
        "cefr_level": received.cefr_level[: Mobility._meta.get_field("cefr_level").max_length],
    }
    changed = [name for name, value in wanted.items() if getattr(mobility, name) != value]
    if not changed:
        return []
    if received.end_date < received.start_date:
        raise ValidationFailed({"end_date": _("The learning agreement ends before it starts.")})
    for name in changed:
        setattr(mobility, name, wanted[name])
    recompute_duration(mobility)
    mobility.save(update_fields=[*changed, "duration_days", "duration_months", "updated_at"])
    event(
        mobility,
        EventKind.CHANGED,
        actor,
        _("Planned dates and language taken from the sending institution's learning agreement."),
    )
    return changed


def _stored(components: tuple[Component, ...]) -> list[dict]:
    """The components as a version stores them, refused when Accord cannot hold them."""
    try:
        parsed = parse_components(components_to_dicts(components))
    except LearningAgreementError as error:
        raise ValidationFailed(error.errors) from error
    if not parsed:
        raise ValidationFailed({"components": _("The sending institution's list has no components.")})
    return components_to_dicts(parsed)


def _changes(changes: tuple[ComponentChange, ...]) -> list[dict]:
    return [
        {
            "ref": change.ref,
            "status": change.status.value,
            "reason_code": change.reason_code.value if change.reason_code else "",
            "reason_text": change.reason_text,
        }
        for change in changes
    ]


def _lists(received: EwpLearningAgreement) -> tuple[_Received | None, _Received | None, _Received | None]:
    first = approved = proposal = None
    try:
        if received.first_version is not None:
            components, _none = full_components(None, received.first_version)
            first = _Received(_stored(components), [], received.first_version)
        if received.approved_changes is not None:
            components, changes = full_components(received.first_version, received.approved_changes)
            approved = _Received(_stored(components), _changes(changes), received.approved_changes)
        if received.changes_proposal is not None:
            listed = received.changes_proposal.components
            components, changes = full_components(received.first_version, listed)
            stored = _stored(components)
            number, digest = proposal_digest(received.changes_proposal.proposal_id, parse_components(stored))
            proposal = _Received(stored, _changes(changes), listed, number, digest)
    except EwpLearningAgreementError as error:
        raise ValidationFailed({"learning_agreement": str(error)}) from error
    return first, approved, proposal


class _Context:
    """The copy being written: its agreement, its versions and what changed."""

    def __init__(
        self, mobility: Mobility, agreement: LearningAgreement, sending_signer, update: LaCopyUpdate
    ):
        self.mobility = mobility
        self.agreement = agreement
        self.sending_signer = sending_signer
        self.update = update
        self.versions = list(agreement.versions.order_by("number"))

    def _create(self, received: _Received, *, status: str, number: int | None = None) -> AgreementVersion:
        taken = {version.number for version in self.versions}
        if number is None or number in taken:
            number = max(taken, default=0) + 1
        version = AgreementVersion.objects.create(
            learning_agreement=self.agreement,
            number=number,
            components=received.components,
            components_hash=received.digest or components_hash(parse_components(received.components)),
            changes=received.changes,
            status=status,
            created_by=self.sending_signer,
        )
        self.versions.append(version)
        self.update.created.append(version.number)
        event(
            self.mobility,
            EventKind.PROPOSED,
            self.sending_signer,
            _("Version %(n)s received from the sending institution.") % {"n": version.number},
        )
        return version

    def find_or_create(self, received: _Received) -> AgreementVersion:
        """The version holding exactly these components (newest first), else a new one, approved next."""
        for version in reversed(self.versions):
            if version.components == received.components:
                return version
        return self._create(received, status=VersionStatus.PROPOSED)

    def sign(self, version: AgreementVersion, listed: EwpComponentList) -> None:
        present = set(version.signatures.values_list("role", flat=True))
        wanted = [(getattr(listed, name), role) for name, role in _SIGNATURE_FIELDS.items()]
        if listed.receiving_signature is not None:
            wanted.append((listed.receiving_signature, SignerRole.RECEIVING))
        for signature, role in wanted:
            if role not in present:
                self._record(version, role, signature)

    def _record(self, version: AgreementVersion, role: str, signature: EwpSignature) -> None:
        signer = self.mobility.participant if role == SignerRole.STUDENT else self.sending_signer
        Signature.objects.create(
            version=version,
            role=role,
            signer=signer,
            signer_name=(signature.signer_name or str(signer))[:255],
            signer_position=signature.signer_position[:255],
            signer_email=(signature.signer_email or signer.email)[:254],
            components_hash=version.components_hash,
            signed_at=signature.timestamp,
        )
        self.update.signed.append(f"{version.number}:{role}")
        event(
            self.mobility,
            EventKind.SIGNED,
            self.sending_signer,
            _("Version %(n)s signed as %(role)s, as the sending institution reports.")
            % {"n": version.number, "role": SignerRole(role).label.lower()},
        )

    def approve(self, version: AgreementVersion, received: _Received) -> None:
        self.sign(version, received.signatures)
        if version.status == VersionStatus.APPROVED:
            return
        # Older pending versions are settled by the sender's approval of this one.
        self._supersede(before=version.number)
        self.agreement.current_version = self._newest(version)
        self.agreement.save(update_fields=["current_version"])
        _approve(self.agreement, version, self.mobility, self.sending_signer)
        self.update.approved.append(version.number)

    def _newest(self, version: AgreementVersion) -> AgreementVersion:
        current = self.agreement.current_version
        return current if current is not None and current.number > version.number else version

    def _supersede(self, *, before: int | None = None) -> None:
        for version in self.versions:
            if version.status == VersionStatus.PROPOSED and (before is None or version.number < before):
                version.status = VersionStatus.SUPERSEDED
                version.save(update_fields=["status"])
                self.update.superseded.append(version.number)

    def propose(self, received: _Received) -> None:
        version = next(
            (
                version
                for version in reversed(self.versions)
                if version.components_hash == received.digest
                and (received.number is None or version.number == received.number)
                and version.status in (VersionStatus.PROPOSED, VersionStatus.COMMENTED)
            ),
            None,
        )
        if version is None:
            self._supersede()
            version = self._create(received, status=VersionStatus.PROPOSED, number=received.number)
            self.agreement.current_version = version
            self.agreement.save(update_fields=["current_version"])
            notify_on_commit(self.mobility.pk, "proposed", version=version.number)
        self.sign(version, received.signatures)

    def withdraw_proposal(self) -> None:
        """The sender serves no proposal: one we hold as pending is no longer awaiting us."""
        current = self.agreement.current_version
        if current is None or current.status != VersionStatus.PROPOSED:
            return
        self._supersede()
        if self.agreement.approved_version is not None:
            self.agreement.current_version = self.agreement.approved_version
            self.agreement.save(update_fields=["current_version"])
