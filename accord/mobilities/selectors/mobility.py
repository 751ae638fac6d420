"""Reads of mobilities themselves, their learning agreements, work queues and recognition rates."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES, STAFF_ROLES
from accord.algorithms.mobility.learning_agreement import (
    Component,
    DiffLine,
    RuleResult,
    Section,
    check_credit_rules,
    diff_components,
    parse_components,
    totals,
)
from accord.algorithms.mobility.learning_agreement import CreditRule as PureCreditRule
from accord.algorithms.mobility.learning_agreement import CreditRuleKind as PureCreditRuleKind
from accord.algorithms.mobility.recognition import RecognitionFigures, recognition_by_group
from accord.core.errors import NotFound, PermissionDenied
from accord.mobilities.choices import MobilityStatus, RuleScope, SignerRole, VersionStatus
from accord.mobilities.filters import MobilityFilter
from accord.mobilities.models import (
    DEFAULT_TRANSCRIPT_DAYS,
    AgreementVersion,
    CreditRule,
    LearningAgreement,
    Mobility,
    MobilitySettings,
    Signature,
    SigningDelegation,
)
from accord.mobilities.querysets import PREFETCHED_DELEGATIONS, MobilityAction, mobility_may, signing_roles

# 404 for invisible, 403 for visible but not allowed; messages per action.
_FORBIDDEN = {
    MobilityAction.MANAGE: gettext_lazy(
        "Only admins and coordinators of the sending institution can do this."
    ),
    MobilityAction.RECEIVE: gettext_lazy(
        "Only admins and coordinators of the receiving institution can do this."
    ),
}


def _base():
    return Mobility.objects.select_related(
        "participant",
        "sending_organisation",
        "receiving_organisation",
        "sending_unit",
        "receiving_unit",
        "agreement",
    )


def get_mobility_for_user(*, user, pk: int, action: str = MobilityAction.VIEW) -> Mobility:
    mobility = _base().for_user(user).filter(pk=pk).first()
    if mobility is None:
        raise NotFound(_("No such mobility."))
    if action != MobilityAction.VIEW and not mobility_may(user, action, mobility):
        raise PermissionDenied(_FORBIDDEN[MobilityAction(action)])
    return mobility


def mobility_list(*, user, filters: MobilityFilter):
    return filters.apply(_base().for_user(user), user).order_by("-planned_start", "pk")


def settings_for(organisation) -> MobilitySettings:
    """The institution's settings, or the defaults (unsaved) when it has none."""
    found = MobilitySettings.objects.select_related("home_scale").filter(organisation=organisation).first()
    return found or MobilitySettings(organisation=organisation)


def rules_for(mobility: Mobility) -> list[PureCreditRule]:
    scope = RuleScope.STAFF if mobility.is_staff_mobility else RuleScope.STUDENTS
    return [
        PureCreditRule(PureCreditRuleKind(rule.kind), rule.value, rule.blocking)
        for rule in CreditRule.objects.filter(organisation_id=mobility.sending_organisation_id, scope=scope)
    ]


# --- learning agreements ------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionView:
    version: AgreementVersion
    components: tuple[Component, ...]
    signatures: dict[str, Signature]
    totals: dict[Section, Decimal]

    @property
    def by_section(self) -> list[tuple[str, list[Component]]]:
        grouped: dict[str, list[Component]] = {}
        for component in self.components:
            grouped.setdefault(component.section.value, []).append(component)
        return list(grouped.items())


@dataclass(frozen=True)
class AgreementOverview:
    agreement: LearningAgreement | None
    versions: list[VersionView]
    current: VersionView | None
    approved: VersionView | None
    checks: tuple[RuleResult, ...]
    my_roles: list[str]
    awaiting: list[str]

    @property
    def can_sign(self) -> list[str]:
        """The awaited roles the user signs now; the receiving side waits for the other two."""
        others_pending = SignerRole.STUDENT in self.awaiting or SignerRole.SENDING in self.awaiting
        return [
            role
            for role in self.my_roles
            if role in self.awaiting and not (role == SignerRole.RECEIVING and others_pending)
        ]


def agreement_overview(*, user, mobility: Mobility) -> AgreementOverview:
    agreement = (
        LearningAgreement.objects.filter(mobility=mobility)
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=AgreementVersion.objects.prefetch_related(
                    Prefetch("signatures", queryset=Signature.objects.select_related("signer", "delegation")),
                    "comments__author",
                ).select_related("created_by"),
            ),
            "delegations__delegate",
        )
        .first()
    )
    views = []
    if agreement is not None:
        for version in agreement.versions.all():
            components = parse_components(version.components)
            views.append(
                VersionView(
                    version=version,
                    components=components,
                    signatures={signature.role: signature for signature in version.signatures.all()},
                    totals=totals(components),
                )
            )
    current = next(
        (view for view in views if agreement and view.version.pk == agreement.current_version_id), None
    )
    approved = next(
        (view for view in views if agreement and view.version.pk == agreement.approved_version_id), None
    )
    checks = check_credit_rules(current.components, rules_for(mobility)) if current else ()
    awaiting = []
    if current is not None and current.version.status == VersionStatus.PROPOSED:
        awaiting = [role for role in SignerRole.values if role not in current.signatures]
    return AgreementOverview(
        agreement=agreement,
        versions=views,
        current=current,
        approved=approved,
        checks=checks,
        my_roles=list(signing_roles(user, mobility)) if mobility.status != MobilityStatus.CANCELLED else [],
        awaiting=awaiting,
    )


def version_diff(*, agreement: LearningAgreement, old: int, new: int) -> tuple[DiffLine, ...]:
    versions = {v.number: v for v in agreement.versions.filter(number__in=[old, new])}
    if old not in versions or new not in versions:
        raise NotFound(_("No such version."))
    return diff_components(
        parse_components(versions[old].components), parse_components(versions[new].components)
    )


# --- work queues --------------------------------------------------------------------------------


def delegations_of(user) -> Prefetch:
    """The user's active delegations on each mobility's learning agreement (see ``active_delegation``)."""
    return Prefetch(
        "learning_agreement__delegations",
        queryset=SigningDelegation.objects.filter(delegate=user, revoked_at__isnull=True),
        to_attr=PREFETCHED_DELEGATIONS,
    )


def awaiting_my_signature(*, user) -> list[tuple[Mobility, AgreementVersion, list[str]]]:
    """Proposed versions with a role the user signs still unsigned (participant, own institution,
    or delegation)."""
    managing = organisation_ids_with_roles(user, MANAGING_ROLES)
    delegated = LearningAgreement.objects.filter(
        delegations__delegate=user, delegations__revoked_at__isnull=True
    ).values("mobility_id")
    candidates = (
        _base()
        .filter(learning_agreement__current_version__status=VersionStatus.PROPOSED)
        .filter(
            Q(participant=user)
            | Q(sending_organisation_id__in=managing)
            | Q(receiving_organisation_id__in=managing)
            | Q(pk__in=delegated)
        )
        .select_related("learning_agreement__current_version")
        .prefetch_related("learning_agreement__current_version__signatures", delegations_of(user))
    )
    queue = []
    for mobility in candidates:
        version = mobility.learning_agreement.current_version
        signed = {signature.role for signature in version.signatures.all()}
        roles = [role for role in signing_roles(user, mobility) if role not in signed]
        # The receiving side waits until the other two have signed.
        if SignerRole.RECEIVING in roles and not {SignerRole.STUDENT, SignerRole.SENDING} <= signed:
            roles.remove(SignerRole.RECEIVING)
        if roles:
            queue.append((mobility, version, roles))
    return queue


@dataclass(frozen=True)
class OverdueTranscript:
    mobility: Mobility
    due: date
    days_late: int


def transcripts_overdue(*, user, today: date) -> list[OverdueTranscript]:
    """Completed mobilities without a transcript past the receiving institution's deadline
    (its ``transcript_days`` after departure), for staff of either side."""
    staff_of = organisation_ids_with_roles(user, STAFF_ROLES)
    queryset = _base().filter(
        status=MobilityStatus.COMPLETED, transcript__isnull=True, actual_end__isnull=False
    )
    if not is_platform_staff(user):
        queryset = queryset.filter(
            Q(sending_organisation_id__in=staff_of) | Q(receiving_organisation_id__in=staff_of)
        )
    days = dict(MobilitySettings.objects.values_list("organisation_id", "transcript_days"))
    overdue = []
    for mobility in queryset:
        due = mobility.actual_end + timedelta(
            days=days.get(mobility.receiving_organisation_id, DEFAULT_TRANSCRIPT_DAYS)
        )
        if due < today:
            overdue.append(OverdueTranscript(mobility, due, (today - due).days))
    return overdue


# --- recognition --------------------------------------------------------------------------------

GROUPINGS = ("mobility", "partner", "agreement")


@dataclass(frozen=True)
class RecognitionRow:
    key: object
    label: str
    figures: RecognitionFigures


def recognition_rates(*, user, by: str) -> list[RecognitionRow]:
    """Credits recognised against credits planned, for the user's outgoing mobilities that have an
    approved agreement, grouped by mobility, partner (receiving institution) or agreement."""
    managing = organisation_ids_with_roles(user, STAFF_ROLES)
    queryset = _base().filter(
        status__in=[MobilityStatus.COMPLETED, MobilityStatus.RECOGNISED],
        learning_agreement__approved_version__isnull=False,
    )
    if not is_platform_staff(user):
        queryset = queryset.filter(sending_organisation_id__in=managing)
    queryset = queryset.annotate(recognised=Sum("recognised_components__credits"))
    labels: dict[object, str] = {}
    rows = []
    for mobility in queryset:
        if by == "partner":
            key, label = mobility.receiving_organisation_id, mobility.receiving_organisation.name
        elif by == "agreement":
            key = mobility.agreement_id
            label = mobility.agreement.title if mobility.agreement else _("No agreement")
        else:
            key, label = mobility.pk, f"{mobility.participant} → {mobility.receiving_organisation.name}"
        labels[key] = label
        rows.append((key, mobility.planned_credits, mobility.recognised or Decimal(0)))
    figures = recognition_by_group(rows)
    return sorted(
        (RecognitionRow(key, labels[key], value) for key, value in figures.items()), key=lambda row: row.label
    )
