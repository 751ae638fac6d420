"""Drafting and editing agreements: creation, received copies, content and conditions, renewal.

Every change of content writes a new immutable version; ``base_version`` refuses a write based on
anything but the current version, saying what changed meanwhile.
"""

import uuid
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from accord.accounts.access import organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.agreements.choices import AgreementStatus, EventKind
from accord.agreements.content import (
    changes_as_json,
    diff_documents_named,
    validated_content,
)
from accord.agreements.models import (
    Agreement,
    AgreementVersion,
)
from accord.agreements.querysets import AgreementAction, agreement_may
from accord.agreements.services._common import (
    _check_base,
    _current_version,
    _event,
    _lock,
    _refuse_if_final,
    _require,
    _write_version,
)
from accord.algorithms.agreements.content import (
    AgreementContentError,
    content_from_dict,
    content_to_dict,
    renew_content,
)
from accord.core.errors import Conflict, PermissionDenied, ValidationFailed
from accord.core.validation import clean_or_fail
from accord.partnerships.querysets import PartnershipAction, partnership_may


@transaction.atomic
def agreement_create(
    *, actor, partnership, title: str, content: Mapping[str, Any], owner=None, contacts=(), summary: str = ""
) -> Agreement:
    """A new agreement in draft, owned by ``owner`` (by default the actor's one managed member)."""
    if not partnership_may(actor, PartnershipAction.CONTRIBUTE, partnership):
        raise PermissionDenied(
            gettext("Only admins and coordinators of the partnership's members can draft agreements.")
        )
    if partnership.status == "closed":
        raise Conflict(
            gettext("This partnership is closed; it takes no new agreements."), code="partnership_closed"
        )
    owner = owner or _default_owner(actor, partnership)
    agreement = Agreement(partnership=partnership, owner=owner, title=title.strip(), created_by=actor)
    clean_or_fail(agreement, exclude=["current_version", "approved_version"])
    if not agreement_may(actor, AgreementAction.EDIT, agreement):
        raise PermissionDenied(gettext("You can only draft agreements for an organisation you manage."))
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
                "owner": gettext("Say which member organisation drafts this agreement.")
                if members
                else gettext("You manage none of this partnership's member organisations.")
            }
        )
    return members[0]


def _set_contacts(agreement: Agreement, contacts) -> None:
    party_ids = set(agreement.party_links.values_list("organisation_id", flat=True))
    outside = [str(contact) for contact in contacts if contact.organisation_id not in party_ids]
    if outside:
        raise ValidationFailed(
            {
                "contacts": gettext("Not a contact at a party to this agreement: %(items)s.")
                % {"items": ", ".join(outside)}
            }
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
        raise ValidationFailed({"key": gettext("This agreement has no such cooperation condition.")})

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
