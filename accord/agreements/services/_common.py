"""Helpers every agreement service uses: access checks, the row lock, versions and the event log."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.agreements.choices import FINAL_STATUSES, AgreementStatus
from accord.agreements.content import (
    describe_changes,
    diff_documents_named,
    validated_content,
)
from accord.agreements.models import (
    Agreement,
    AgreementEvent,
    AgreementParty,
    AgreementVersion,
)
from accord.agreements.querysets import AgreementAction, agreement_may
from accord.algorithms.agreements.content import (
    conditions_hash,
    content_to_dict,
    terms_hash,
)
from accord.core.concurrency import lock
from accord.core.errors import Conflict, PermissionDenied, ValidationFailed

EDIT_REFUSED = gettext_lazy(
    "Only admins and coordinators of the organisation that owns this agreement can change it."
)


APPROVE_REFUSED = gettext_lazy("Only admins and coordinators of a party to this agreement can approve it.")


def _require(actor, action: AgreementAction, agreement: Agreement) -> None:
    if not agreement_may(actor, action, agreement):
        raise PermissionDenied(EDIT_REFUSED if action == AgreementAction.EDIT else APPROVE_REFUSED)


def _lock(agreement: Agreement) -> Agreement:
    """The agreement re-read under a lock of its row alone, so that concurrent writes queue behind
    each other; its current version is read afterwards, when first used.

    Never join the version into the locking query: when the lock waits on a transaction that saved a
    new version, PostgreSQL re-checks only the locked row, and the joined version comes back empty."""
    return lock(agreement)


def _refuse_if_final(agreement: Agreement) -> None:
    if agreement.status in FINAL_STATUSES:
        raise Conflict(
            _("This agreement is %(status)s; it can no longer change. Draft a new agreement instead.")
            % {"status": agreement.get_status_display().lower()},
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
        raise ValidationFailed(
            {
                "base_version": _("This agreement has no version %(base_version)s.")
                % {"base_version": base_version}
            }
        ) from None
    changes = diff_documents_named(base.content, current.content)
    newer = agreement.versions.filter(number__gt=base_version).select_related("created_by").order_by("number")
    authors = sorted({str(version.created_by or "someone") for version in newer})
    raise Conflict(
        _(
            "Someone changed this agreement while you were editing: you started "
            "from version %(base_version)s, and version %(number)s was saved "
            "meanwhile by %(items)s. What changed: %(changes)s. Reload it and make "
            "your change again."
        )
        % {
            "base_version": base_version,
            "number": current.number,
            "items": ", ".join(authors),
            "changes": describe_changes(changes),
        },
        code="stale_version",
        field="base_version",
    )
