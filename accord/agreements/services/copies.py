"""Partners' own copies of our agreements: kept to compare with ours, and approved by their hash."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accord.agreements import events
from accord.agreements.choices import EventKind, PartnerCopySource
from accord.agreements.content import (
    with_directory_hei_ids,
)
from accord.agreements.models import (
    Agreement,
    PartnerCopy,
)
from accord.agreements.querysets import AgreementAction
from accord.agreements.services._common import (
    _event,
    _lock,
    _refuse_if_final,
    _require,
)
from accord.algorithms.agreements.content import (
    AgreementContentError,
    conditions_hash,
    content_to_dict,
    parse_content,
)
from accord.core.errors import Conflict, ValidationFailed
from accord.core.events import publish


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
        raise ValidationFailed(
            {
                "organisation": gettext("%(organisation)s is not a party to this agreement.")
                % {"organisation": organisation}
            }
        )
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
            gettext("The partner's copy does not give its own agreement id yet; EWP approvals need it."),
            code="not_mapped",
        )
    if not copy.remote_hash:
        raise Conflict(
            gettext("The partner's copy has no hash that could be verified, so it cannot be approved."),
            code="no_hash",
        )
    if remote_hash.strip().lower() != copy.remote_hash:
        raise Conflict(
            gettext(
                "The partner's copy changed: its hash is now %(remote_hash)s. Compare it again, then approve."
            )
            % {"remote_hash": copy.remote_hash},
            code="hash_mismatch",
            field="remote_hash",
        )
    if copy.approved_hash == copy.remote_hash:
        raise Conflict(gettext("Your organisation has already approved this copy."), code="already_approved")
    copy.approved_hash, copy.approved_at, copy.approved_by = copy.remote_hash, timezone.now(), actor
    copy.save(update_fields=["approved_hash", "approved_at", "approved_by"])
    _event(
        agreement,
        EventKind.APPROVED,
        actor=actor,
        organisation=agreement.owner,
        message=f"Approved {copy.organisation}'s copy ({copy.remote_hash}).",
    )
    publish(events.PartnerCopyApproved(copy))
    return copy
