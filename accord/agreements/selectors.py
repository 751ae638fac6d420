"""Reads of agreements, always scoped to what the acting user may see (see ``querysets.py``)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.accounts.access import organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.agreements.choices import AgreementStatus
from accord.agreements.content import change_text, diff_documents_named, partner_names
from accord.agreements.models import (
    Agreement,
    AgreementApproval,
    AgreementAttachment,
    AgreementEvent,
    AgreementParty,
    AgreementVersion,
    PartnerCopy,
)
from accord.agreements.querysets import (
    AgreementAction,
    AgreementQuerySet,
    agreement_may,
    approving_organisation_ids,
    sees_drafts,
)
from accord.agreements.usage import Usage, usage_for
from accord.algorithms.agreements.content import Change, content_from_dict, quota_table
from accord.core.errors import NotFound, PermissionDenied, ValidationFailed

PARTIES = Prefetch("party_links", queryset=AgreementParty.objects.select_related("organisation"))

REFUSALS = {
    AgreementAction.EDIT: gettext_lazy("You may see this agreement but not change it."),
    AgreementAction.APPROVE: gettext_lazy("You may see this agreement but not approve it."),
}


def expiry_window() -> timedelta:
    """How far ahead an agreement counts as expiring soon: the earliest reminder sent before its end."""
    return timedelta(days=max(settings.ACCORD_AGREEMENT_REMINDER_DAYS, default=180))


def _needing(agreements: AgreementQuerySet, user, todo: str, today: date) -> AgreementQuerySet:
    """``approve``: a shared version not yet approved by an institution the user manages;
    ``expiring``: in effect and ending within the expiry window."""
    if todo == "expiring":
        return agreements.filter(
            status=AgreementStatus.IN_EFFECT, ends_on__gte=today, ends_on__lte=today + expiry_window()
        )
    unapproved = AgreementParty.objects.filter(
        agreement=OuterRef("pk"), organisation_id__in=organisation_ids_with_roles(user, MANAGING_ROLES)
    ).exclude(
        Exists(
            AgreementApproval.objects.filter(
                version_id=OuterRef(OuterRef("current_version_id")),
                organisation_id=OuterRef("organisation_id"),
            )
        )
    )
    return agreements.filter(
        Q(approved_version__isnull=True) | ~Q(approved_version=F("current_version")),
        Exists(unapproved),
        status__in=[AgreementStatus.SHARED, AgreementStatus.IN_EFFECT],
        current_version__shared_at__isnull=False,
    )


def agreement_list(
    *,
    user,
    partnership=None,
    status: str | None = None,
    query: str | None = None,
    todo: str | None = None,
    today: date | None = None,
) -> QuerySet[Agreement]:
    agreements = (
        Agreement.objects.for_user(user)
        .select_related("partnership", "owner", "current_version", "approved_version")
        .prefetch_related(PARTIES)
    )
    if partnership is not None:
        agreements = agreements.filter(partnership=partnership)
    if status:
        agreements = agreements.filter(status=status)
    if todo:
        agreements = _needing(agreements, user, todo, today or timezone.localdate())
    if query:
        agreements = agreements.filter(
            Q(title__icontains=query) | Q(party_links__organisation__name__icontains=query)
        ).distinct()
    return agreements


def get_agreement_for_user(*, user, pk: int, action: str = AgreementAction.VIEW) -> Agreement:
    """The agreement, or NotFound when the user may not see it, PermissionDenied when they may not act."""
    agreement = (
        Agreement.objects.for_user(user)
        .select_related("partnership", "owner", "current_version", "approved_version")
        .prefetch_related(PARTIES)
        .filter(pk=pk)
        .first()
    )
    if agreement is None:
        raise NotFound(_("No such agreement."))
    if action != AgreementAction.VIEW and not agreement_may(user, action, agreement):
        raise PermissionDenied(REFUSALS[AgreementAction(action)])
    return agreement


def agreement_permissions(*, user, agreement: Agreement) -> dict[str, Any]:
    return {
        "edit": agreement_may(user, AgreementAction.EDIT, agreement),
        "approve_for": sorted(approving_organisation_ids(user, agreement)),
        "sees_drafts": sees_drafts(user, agreement),
    }


def visible_versions(*, user, agreement: Agreement) -> QuerySet[AgreementVersion]:
    """Every version for the owner; only the shared ones for the other parties."""
    versions = agreement.versions.select_related("created_by", "shared_by").order_by("-number")
    return versions if sees_drafts(user, agreement) else versions.filter(shared_at__isnull=False)


def latest_visible_version(*, user, agreement: Agreement) -> AgreementVersion | None:
    return visible_versions(user=user, agreement=agreement).first()


def version_for(*, user, agreement: Agreement, number: int) -> AgreementVersion:
    version = visible_versions(user=user, agreement=agreement).filter(number=number).first()
    if version is None:
        raise NotFound(_("This agreement has no version %(number)s you may see.") % {"number": number})
    return version


@dataclass(frozen=True)
class PartyApproval:
    """Where one party stands on the current version (or the latest shared one, for a partner)."""

    organisation: Any
    approval: AgreementApproval | None
    """The party's latest approval of any version."""
    current: bool
    """Whether that approval is of the version shown."""

    @property
    def outdated(self) -> bool:
        return self.approval is not None and not self.current


def approval_state(*, agreement: Agreement, version: AgreementVersion | None) -> list[PartyApproval]:
    latest: dict[int, AgreementApproval] = {}
    for approval in agreement.approvals.select_related("version", "approved_by").order_by(
        "approved_at", "pk"
    ):
        latest[approval.organisation_id] = approval
    return [
        PartyApproval(
            organisation=link.organisation,
            approval=latest.get(link.organisation_id),
            current=version is not None
            and link.organisation_id in latest
            and latest[link.organisation_id].version_id == version.pk,
        )
        for link in agreement.party_links.all()
    ]


@dataclass(frozen=True)
class DiffLine:
    change: Change
    text: str


def _lines(changes: list[Change]) -> list[DiffLine]:
    return [DiffLine(change, change_text(change)) for change in changes]


def version_diff(*, user, agreement: Agreement, old: int, new: int) -> list[DiffLine]:
    """The field-level changes from version ``old`` to version ``new``, both of which the user may see."""
    if old == new:
        raise ValidationFailed({"new": _("Choose two different versions to compare.")})
    before = version_for(user=user, agreement=agreement, number=old)
    after = version_for(user=user, agreement=agreement, number=new)
    return _lines(diff_documents_named(before.content, after.content))


def partner_copies(*, agreement: Agreement) -> QuerySet[PartnerCopy]:
    return agreement.partner_copies.select_related("organisation")


@dataclass(frozen=True)
class CopyComparison:
    copy: PartnerCopy
    ours: AgreementVersion
    lines: list[DiffLine]

    @property
    def same_conditions(self) -> bool:
        return self.copy.conditions_hash == self.ours.conditions_hash


def partner_copy_comparison(*, user, agreement: Agreement, organisation_id: int) -> CopyComparison:
    """Our latest version the user may see against the partner's copy, conditions matched by content."""
    copy = partner_copies(agreement=agreement).filter(organisation_id=organisation_id).first()
    ours = latest_visible_version(user=user, agreement=agreement)
    if copy is None or ours is None:
        raise NotFound(_("There is no copy of this agreement from that partner."))
    return CopyComparison(
        copy, ours, _lines(diff_documents_named(ours.content, copy.content, match="content"))
    )


def timeline(*, user, agreement: Agreement) -> QuerySet[AgreementEvent]:
    """The audit trail, newest first; partners do not see the history of versions not shared with them."""
    events = agreement.events.select_related("actor", "organisation", "version")
    if sees_drafts(user, agreement):
        return events
    return events.filter(Q(version__isnull=True) | Q(version__shared_at__isnull=False))


def attachments(*, agreement: Agreement) -> QuerySet[AgreementAttachment]:
    return agreement.attachments.select_related("uploaded_by")


def attachment_for(*, agreement: Agreement, pk: int) -> AgreementAttachment:
    attachment = attachments(agreement=agreement).filter(pk=pk).first()
    if attachment is None:
        raise NotFound(_("No such attachment."))
    return attachment


@dataclass(frozen=True)
class QuotaLine:
    """One cooperation condition in one academic year: agreed against used."""

    condition_key: str
    condition_index: int
    mobility_type: str
    sending: str
    receiving: str
    academic_year: str
    agreed_mobilities: int
    agreed_months: Decimal | None
    agreed_days: Decimal | None
    used: Usage

    @property
    def remaining_mobilities(self) -> int:
        return self.agreed_mobilities - self.used.mobilities

    @property
    def over_quota(self) -> bool:
        months_over = self.agreed_months is not None and self.used.months > self.agreed_months
        days_over = self.agreed_days is not None and self.used.days > self.agreed_days
        return self.remaining_mobilities < 0 or months_over or days_over


def quota_view(
    *, agreement: Agreement, version: AgreementVersion | None = None, academic_year: str | None = None
) -> list[QuotaLine]:
    """For each condition and year of ``version`` (by default the one in effect, else the current one),
    the places and months or days agreed against what the registered usage providers count as used."""
    version = version or agreement.approved_version or agreement.current_version
    assert version is not None, "an agreement has a current version from its creation"
    content = content_from_dict(version.content)
    names = partner_names(content)
    index_of = {condition.key: index for index, condition in enumerate(content.conditions)}
    used = usage_for(agreement)
    lines = []
    for row in quota_table(content):
        if academic_year and row.academic_year != academic_year:
            continue
        condition = content.conditions[index_of[row.condition_key]]
        sending = content.partners[condition.sending_partner].organisation_ref
        receiving = content.partners[condition.receiving_partner].organisation_ref
        lines.append(
            QuotaLine(
                condition_key=row.condition_key,
                condition_index=index_of[row.condition_key],
                mobility_type=condition.mobility_type,
                sending=names.get(sending, sending),
                receiving=names.get(receiving, receiving),
                academic_year=row.academic_year,
                agreed_mobilities=row.mobilities,
                agreed_months=row.months,
                agreed_days=row.days,
                used=used.get((row.condition_key, row.academic_year), Usage()),
            )
        )
    return lines
