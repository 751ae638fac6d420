"""Writes to agreements. Every function is keyword-only, atomic, checks access and validates first.

The lifecycle (docs/decisions/0007-agreement-lifecycle.md): every change of content writes a new
version; sharing a version counts as the owner's approval of it; each other party approves the
version by number *and* by the hash of its cooperation conditions, so that an approval of anything
but the current text is refused; when every party has approved the current version it comes into
effect. Notifications leave only once the transaction commits.
"""

import uuid
from collections.abc import Mapping
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from accord.accounts.access import organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.agreements import notifications
from accord.agreements.choices import FINAL_STATUSES, AgreementStatus, EventKind, PartnerCopySource
from accord.agreements.content import (
    changes_as_json,
    content_ends_on,
    describe_changes,
    diff_documents_named,
    validated_content,
    with_directory_hei_ids,
)
from accord.agreements.models import (
    Agreement,
    AgreementApproval,
    AgreementAttachment,
    AgreementEvent,
    AgreementParty,
    AgreementVersion,
    ExpiryReminder,
    PartnerCopy,
)
from accord.agreements.querysets import AgreementAction, agreement_may, approving_organisation_ids
from accord.algorithms.agreement_content import (
    AgreementContentError,
    conditions_hash,
    content_from_dict,
    content_to_dict,
    parse_content,
    renew_content,
    terms_hash,
)
from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.core.validation import clean_or_fail
from accord.ewp import outbox as ewp_outbox
from accord.organisations.models import Organisation
from accord.partnerships.querysets import PartnershipAction, partnership_may

EDIT_REFUSED = "Only admins and coordinators of the organisation that owns this agreement can change it."
APPROVE_REFUSED = "Only admins and coordinators of a party to this agreement can approve it."
ALLOWED_ATTACHMENT_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/msword",
    "application/vnd.oasis.opendocument.text",
    "image/png",
    "image/jpeg",
    "text/plain",
}


def _require(actor, action: AgreementAction, agreement: Agreement) -> None:
    if not agreement_may(actor, action, agreement):
        raise PermissionDenied(EDIT_REFUSED if action == AgreementAction.EDIT else APPROVE_REFUSED)


def _lock(agreement: Agreement) -> Agreement:
    """The agreement re-read under a row lock, so that concurrent writes queue behind each other."""
    locked = (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("current_version")
        .get(pk=agreement.pk)
    )
    agreement.__dict__.update(locked.__dict__)
    agreement._state.fields_cache = locked._state.fields_cache
    return agreement


def _refuse_if_final(agreement: Agreement) -> None:
    if agreement.status in FINAL_STATUSES:
        raise Conflict(
            f"This agreement is {agreement.get_status_display().lower()}; it can no longer change. "
            "Draft a new agreement instead.",
            code="agreement_closed",
        )


def _event(agreement: Agreement, kind: str, *, actor=None, version=None, organisation=None, **extra) -> None:
    AgreementEvent.objects.create(
        agreement=agreement, kind=kind, actor=actor, version=version, organisation=organisation, **extra
    )


def _sync_parties(agreement: Agreement, organisation_ids: list[int]) -> None:
    existing = {link.organisation_id: link for link in AgreementParty.objects.filter(agreement=agreement)}
    AgreementParty.objects.filter(agreement=agreement).exclude(organisation_id__in=organisation_ids).delete()
    for position, organisation_id in enumerate(organisation_ids):
        link = existing.get(organisation_id)
        if link is None:
            AgreementParty.objects.create(
                agreement=agreement, organisation_id=organisation_id, position=position
            )
        elif link.position != position:
            link.position = position
            link.save(update_fields=["position"])


def _write_version(
    agreement: Agreement, document: dict[str, Any], *, actor, summary: str
) -> AgreementVersion:
    content, organisation_ids = validated_content(
        document, agreement.partnership, owner_id=agreement.owner_id
    )
    number = (agreement.current_version.number + 1) if agreement.current_version else 1
    version = AgreementVersion.objects.create(
        agreement=agreement,
        number=number,
        content=content_to_dict(content),
        conditions_hash=conditions_hash(content),
        terms_hash=terms_hash(content),
        summary=summary.strip(),
        created_by=actor,
    )
    agreement.current_version = version
    if agreement.approved_version_id is None:
        agreement.status = AgreementStatus.DRAFT
    agreement.save(update_fields=["current_version", "status", "updated_at"])
    _sync_parties(agreement, organisation_ids)
    return version


def _current_version(agreement: Agreement) -> AgreementVersion:
    """Never None: ``agreement_create`` writes the first version in the transaction that creates the row."""
    assert agreement.current_version is not None, f"agreement {agreement.pk} has no version"
    return agreement.current_version


def _check_base(agreement: Agreement, base_version: int | None) -> None:
    """Optimistic locking: refuse a write based on anything but the current version, saying what changed."""
    current = _current_version(agreement)
    if base_version is None or base_version == current.number:
        return
    try:
        base = agreement.versions.get(number=base_version)
    except AgreementVersion.DoesNotExist:
        raise ValidationFailed({"base_version": f"This agreement has no version {base_version}."}) from None
    changes = diff_documents_named(base.content, current.content)
    newer = agreement.versions.filter(number__gt=base_version).select_related("created_by").order_by("number")
    authors = sorted({str(version.created_by or "someone") for version in newer})
    raise Conflict(
        f"Someone changed this agreement while you were editing: you started from version {base_version}, "
        f"and version {current.number} was saved meanwhile by {', '.join(authors)}. "
        f"What changed: {describe_changes(changes)}. Reload it and make your change again.",
        code="stale_version",
        field="base_version",
    )


# --- creating and editing ---------------------------------------------------------------------------


@transaction.atomic
def agreement_create(
    *, actor, partnership, title: str, content: Mapping[str, Any], owner=None, contacts=(), summary: str = ""
) -> Agreement:
    """A new agreement in draft, owned by ``owner`` (by default the actor's one managed member)."""
    if not partnership_may(actor, PartnershipAction.CONTRIBUTE, partnership):
        raise PermissionDenied(
            "Only admins and coordinators of the partnership's members can draft agreements."
        )
    if partnership.status == "closed":
        raise Conflict("This partnership is closed; it takes no new agreements.", code="partnership_closed")
    owner = owner or _default_owner(actor, partnership)
    agreement = Agreement(partnership=partnership, owner=owner, title=title.strip(), created_by=actor)
    clean_or_fail(agreement, exclude=["current_version", "approved_version"])
    if not agreement_may(actor, AgreementAction.EDIT, agreement):
        raise PermissionDenied("You can only draft agreements for an organisation you manage.")
    agreement.save()
    version = _write_version(agreement, dict(content), actor=actor, summary=summary)
    _set_contacts(agreement, contacts)
    _event(agreement, EventKind.CREATED, actor=actor, version=version, organisation=owner)
    return agreement


@transaction.atomic
def agreement_receive(
    *, partnership, owner, title: str, content: Mapping[str, Any], source: str
) -> Agreement:
    """Our copy of an agreement a partner sent (EWP or a file), written by the system, not by a user:
    version 1 is the partner's content, in draft until the owner shares, that is approves, it."""
    agreement = Agreement.objects.create(partnership=partnership, owner=owner, title=title.strip()[:255])
    version = _write_version(
        agreement, dict(content), actor=None, summary=f"Received from a partner ({source})."
    )
    _event(agreement, EventKind.CREATED, version=version, organisation=owner, message=source)
    return agreement


def _default_owner(actor, partnership):
    managed = organisation_ids_with_roles(actor, MANAGING_ROLES)
    members = [
        member.organisation for member in partnership.members.all() if member.organisation_id in managed
    ]
    if len(members) != 1:
        raise ValidationFailed(
            {
                "owner": "Say which member organisation drafts this agreement."
                if members
                else "You manage none of this partnership's member organisations."
            }
        )
    return members[0]


def _set_contacts(agreement: Agreement, contacts) -> None:
    party_ids = set(agreement.party_links.values_list("organisation_id", flat=True))
    outside = [str(contact) for contact in contacts if contact.organisation_id not in party_ids]
    if outside:
        raise ValidationFailed(
            {"contacts": f"Not a contact at a party to this agreement: {', '.join(outside)}."}
        )
    agreement.contacts.set(contacts)


@transaction.atomic
def agreement_update(
    *,
    actor,
    agreement: Agreement,
    content: Mapping[str, Any] | None = None,
    base_version: int | None = None,
    title: str | None = None,
    contacts=None,
    summary: str = "",
) -> AgreementVersion | None:
    """Save ``content`` as a new version if it differs from the current one; return that version.

    ``base_version`` is the version the editor started from: when another version was saved since,
    the write is refused with what changed meanwhile. Title and contacts are record keeping, not
    content: they change without a new version.
    """
    _require(actor, AgreementAction.EDIT, agreement)
    _lock(agreement)
    _refuse_if_final(agreement)
    _check_base(agreement, base_version)
    if title is not None:
        agreement.title = title.strip()
        clean_or_fail(agreement, exclude=["current_version", "approved_version"])
        agreement.save(update_fields=["title", "updated_at"])
    if contacts is not None:
        _set_contacts(agreement, contacts)
    if content is None:
        return None
    current = _current_version(agreement)
    proposed, _ = validated_content(dict(content), agreement.partnership, owner_id=agreement.owner_id)
    changes = diff_documents_named(current.content, content_to_dict(proposed))
    if not changes:
        return None
    version = _write_version(agreement, content_to_dict(proposed), actor=actor, summary=summary)
    _event(agreement, EventKind.EDITED, actor=actor, version=version, changes=changes_as_json(changes))
    return version


def _edit_document(agreement: Agreement, edit) -> dict[str, Any]:
    document = dict(_current_version(agreement).content)
    edit(document)
    return document


def condition_save(
    *, actor, agreement: Agreement, condition: Mapping[str, Any], base_version: int, summary: str = ""
) -> AgreementVersion | None:
    """Add a cooperation condition, or replace the one with the same ``key``; a new key is made if absent."""
    condition = dict(condition)
    condition.setdefault("key", uuid.uuid4().hex)
    _require(actor, AgreementAction.EDIT, agreement)

    def edit(document):
        conditions = [c for c in document["conditions"]]
        positions = {c["key"]: i for i, c in enumerate(conditions)}
        if condition["key"] in positions:
            conditions[positions[condition["key"]]] = condition
        else:
            conditions.append(condition)
        document["conditions"] = conditions

    return agreement_update(
        actor=actor,
        agreement=agreement,
        content=_edit_document(agreement, edit),
        base_version=base_version,
        summary=summary,
    )


def condition_remove(
    *, actor, agreement: Agreement, key: str, base_version: int, summary: str = ""
) -> AgreementVersion | None:
    _require(actor, AgreementAction.EDIT, agreement)
    if key not in {c["key"] for c in _current_version(agreement).content["conditions"]}:
        raise ValidationFailed({"key": "This agreement has no such cooperation condition."})

    def edit(document):
        document["conditions"] = [c for c in document["conditions"] if c["key"] != key]

    return agreement_update(
        actor=actor,
        agreement=agreement,
        content=_edit_document(agreement, edit),
        base_version=base_version,
        summary=summary,
    )


@transaction.atomic
def agreement_renew(
    *, actor, agreement: Agreement, first_academic_year: str, last_academic_year: str, base_version: int
) -> AgreementVersion:
    """A new version whose every condition runs over the new range of years; everything else is kept."""
    _require(actor, AgreementAction.EDIT, agreement)
    _lock(agreement)
    if agreement.status == AgreementStatus.TERMINATED:
        _refuse_if_final(agreement)
    _check_base(agreement, base_version)
    previous = _current_version(agreement).content
    try:
        renewed = renew_content(
            content_from_dict(previous),
            first_academic_year,
            last_academic_year,
            new_key=lambda condition: uuid.uuid4().hex,
        )
    except AgreementContentError as error:
        raise ValidationFailed(error.errors) from None
    if agreement.status == AgreementStatus.EXPIRED:
        # A renewal brings an expired agreement back to negotiation rather than into effect.
        agreement.status = AgreementStatus.DRAFT
        agreement.approved_version = None
        agreement.save(update_fields=["status", "approved_version", "updated_at"])
    years = f"{first_academic_year.strip()}–{last_academic_year.strip()}"
    version = _write_version(
        agreement, content_to_dict(renewed), actor=actor, summary=f"Renewed for {years}."
    )
    changes = diff_documents_named(previous, version.content, match="content")
    _event(
        agreement,
        EventKind.RENEWED,
        actor=actor,
        version=version,
        message=years,
        changes=changes_as_json(changes),
    )
    return version


# --- sharing and approving --------------------------------------------------------------------------


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
        raise Conflict(f"Version {version.number} is already shared.", code="already_shared")
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
    ewp_outbox.enqueue_iia_cnr(agreement)
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
            raise ValidationFailed({"organisation": "Say for which party you approve."})
        organisation_id = next(iter(candidates))
    else:
        organisation_id = organisation.pk
        if organisation_id not in allowed:
            raise PermissionDenied(APPROVE_REFUSED)
    current = _current_version(agreement)
    if version_number != current.number:
        raise Conflict(
            f"Version {version_number} is not the current version of this agreement: "
            f"version {current.number} replaced it. Read the changes, then approve the current version.",
            code="stale_version",
            field="version_number",
        )
    if current.shared_at is None:
        raise Conflict(
            f"Version {current.number} has not been shared with the partners yet.", code="not_shared"
        )
    if conditions_hash.strip().lower() != current.conditions_hash:
        raise Conflict(
            "The hash you approve does not match the cooperation conditions of version "
            f"{current.number} ({current.conditions_hash}); you may have been shown a different text.",
            code="hash_mismatch",
            field="conditions_hash",
        )
    if current.approvals.filter(organisation_id=organisation_id).exists():
        raise Conflict("Your organisation has already approved this version.", code="already_approved")
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
        raise ValidationFailed({"organisation": f"{organisation} is not a party to this agreement."})
    current = _current_version(agreement)
    if version_number != current.number or current.shared_at is None:
        raise Conflict(
            f"The partner approved version {version_number}, which is not the shared current version "
            f"({current.number}).",
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
    if party_ids <= approved_ids:
        agreement.approved_version = version
        agreement.status = AgreementStatus.IN_EFFECT
        agreement.ends_on = content_ends_on(content_from_dict(version.content))
        agreement.save(update_fields=["approved_version", "status", "ends_on", "updated_at"])
        _event(agreement, EventKind.IN_EFFECT, actor=actor, version=version)
        ewp_outbox.enqueue_iia_cnr(agreement)  # partners' nodes see <in-effect> change
        transaction.on_commit(lambda: notifications.notify(agreement.pk, "in_effect", version.number))
    elif organisation.pk != agreement.owner_id:
        transaction.on_commit(
            lambda: notifications.notify(
                agreement.pk, "approved", version.number, organisation_id=organisation.pk
            )
        )
    return approval


# --- ending -----------------------------------------------------------------------------------------


@transaction.atomic
def agreement_terminate(*, actor, agreement: Agreement, reason: str) -> Agreement:
    _require(actor, AgreementAction.EDIT, agreement)
    _lock(agreement)
    _refuse_if_final(agreement)
    if not reason.strip():
        raise ValidationFailed({"reason": "Say why the agreement is terminated; the partners will read it."})
    agreement.status = AgreementStatus.TERMINATED
    agreement.terminated_at = timezone.now()
    agreement.termination_reason = reason.strip()
    agreement.save(update_fields=["status", "terminated_at", "termination_reason", "updated_at"])
    _event(agreement, EventKind.TERMINATED, actor=actor, message=agreement.termination_reason)
    ewp_outbox.enqueue_iia_cnr(agreement)
    if agreement.first_shared_at:
        transaction.on_commit(lambda: notifications.notify(agreement.pk, "terminated", None))
    return agreement


def agreements_expire(*, today: date) -> int:
    """Mark agreements in effect whose last academic year has ended as expired; return how many."""
    expired = 0
    for pk in Agreement.objects.filter(status=AgreementStatus.IN_EFFECT, ends_on__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            agreement = Agreement.objects.select_for_update().get(pk=pk)
            if agreement.status != AgreementStatus.IN_EFFECT or not agreement.ends_on < today:
                continue
            agreement.status = AgreementStatus.EXPIRED
            agreement.save(update_fields=["status", "updated_at"])
            _event(agreement, EventKind.EXPIRED, message=f"Ended on {agreement.ends_on:%Y-%m-%d}.")
            expired += 1
    return expired


def expiry_reminders_send(*, today: date) -> int:
    """Remind each agreement's contacts once per threshold before it ends; return how many were sent."""
    thresholds = sorted(settings.ACCORD_AGREEMENT_REMINDER_DAYS)
    if not thresholds:
        return 0
    horizon = today + timedelta(days=max(thresholds))
    sent = 0
    candidates = Agreement.objects.filter(
        status=AgreementStatus.IN_EFFECT, ends_on__gte=today, ends_on__lte=horizon
    ).values_list("pk", flat=True)
    for pk in candidates:
        with transaction.atomic():
            agreement = Agreement.objects.select_for_update().get(pk=pk)
            days_left = (agreement.ends_on - today).days
            already = set(
                ExpiryReminder.objects.filter(agreement=agreement, ends_on=agreement.ends_on).values_list(
                    "days_before", flat=True
                )
            )
            due = [days for days in thresholds if days_left <= days and days not in already]
            if not due:
                continue
            for days in due:
                ExpiryReminder.objects.create(
                    agreement=agreement, ends_on=agreement.ends_on, days_before=days
                )
            _event(
                agreement,
                EventKind.REMINDER_SENT,
                message=f"Ends on {date_format(agreement.ends_on)}, in {days_left} days.",
            )
            transaction.on_commit(partial(notifications.notify, pk, "expiring", None))
            sent += 1
    return sent


# --- partners' copies and attachments ---------------------------------------------------------------


@transaction.atomic
def partner_copy_record(
    *,
    actor,
    agreement: Agreement,
    organisation,
    content: Mapping[str, Any],
    source: str = PartnerCopySource.API,
    remote_id: str = "",
    remote_hash: str = "",
) -> PartnerCopy:
    """Keep a partner's copy of the agreement (replacing the one before) to compare it with ours."""
    if actor is not None:
        _require(actor, AgreementAction.EDIT, agreement)
    if not agreement.party_links.filter(organisation=organisation).exists():
        raise ValidationFailed({"organisation": f"{organisation} is not a party to this agreement."})
    try:
        parsed = with_directory_hei_ids(parse_content(dict(content)))
    except AgreementContentError as error:
        raise ValidationFailed(error.errors) from None
    copy, _ = PartnerCopy.objects.update_or_create(
        agreement=agreement,
        organisation=organisation,
        defaults={
            "content": content_to_dict(parsed),
            "conditions_hash": conditions_hash(parsed),
            "source": source,
            "remote_id": remote_id,
            "remote_hash": remote_hash,
            "received_at": timezone.now(),
        },
    )
    _event(agreement, EventKind.PARTNER_COPY_RECEIVED, actor=actor, organisation=organisation, message=source)
    return copy


@transaction.atomic
def partner_copy_approve(*, actor, copy: PartnerCopy, remote_hash: str) -> PartnerCopy:
    """Approve the partner's own copy of the agreement (EWP IIAs Approval API) by the partner's hash
    that the approver compared with ours; our node serves that hash back and notifies the partner."""
    agreement = copy.agreement
    _require(actor, AgreementAction.EDIT, agreement)
    _lock(agreement)
    _refuse_if_final(agreement)
    copy = PartnerCopy.objects.select_for_update().get(pk=copy.pk)
    if not copy.remote_id:
        raise Conflict(
            "The partner's copy does not give its own agreement id yet; EWP approvals need it.",
            code="not_mapped",
        )
    if not copy.remote_hash:
        raise Conflict(
            "The partner's copy has no hash that could be verified, so it cannot be approved.",
            code="no_hash",
        )
    if remote_hash.strip().lower() != copy.remote_hash:
        raise Conflict(
            f"The partner's copy changed: its hash is now {copy.remote_hash}. "
            "Compare it again, then approve.",
            code="hash_mismatch",
            field="remote_hash",
        )
    if copy.approved_hash == copy.remote_hash:
        raise Conflict("Your organisation has already approved this copy.", code="already_approved")
    copy.approved_hash, copy.approved_at, copy.approved_by = copy.remote_hash, timezone.now(), actor
    copy.save(update_fields=["approved_hash", "approved_at", "approved_by"])
    _event(
        agreement,
        EventKind.APPROVED,
        actor=actor,
        organisation=agreement.owner,
        message=f"Approved {copy.organisation}'s copy ({copy.remote_hash}).",
    )
    ewp_outbox.enqueue_iia_approval_cnr(copy)
    return copy


@transaction.atomic
def attachment_add(*, actor, agreement: Agreement, title: str, uploaded_file) -> AgreementAttachment:
    _require(actor, AgreementAction.EDIT, agreement)
    errors = {}
    if not title.strip():
        errors["title"] = "Give the attachment a title."
    if uploaded_file.size > settings.ACCORD_MAX_ATTACHMENT_BYTES:
        limit = settings.ACCORD_MAX_ATTACHMENT_BYTES // (1024 * 1024)
        errors["file"] = f"The file is larger than {limit} MB."
    content_type = (uploaded_file.content_type or "").split(";")[0].strip()
    if content_type not in ALLOWED_ATTACHMENT_TYPES:
        errors["file"] = "Attach a PDF, Word or OpenDocument text, PNG, JPEG or plain-text file."
    if errors:
        raise ValidationFailed(errors)
    attachment = AgreementAttachment.objects.create(
        agreement=agreement,
        title=title.strip(),
        file=uploaded_file,
        content_type=content_type,
        size=uploaded_file.size,
        uploaded_by=actor,
    )
    _event(agreement, EventKind.ATTACHMENT_ADDED, actor=actor, message=attachment.title)
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment: AgreementAttachment) -> None:
    _require(actor, AgreementAction.EDIT, attachment.agreement)
    _event(attachment.agreement, EventKind.ATTACHMENT_REMOVED, actor=actor, message=attachment.title)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
