"""Every read of mobilities, taking the acting user; ``get_mobility_for_user`` answers "not found"
for what the user may not see and "forbidden" for what they see but may not do."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES, STAFF_ROLES
from accord.algorithms.mobility.grade_conversion.distribution import GradeDistribution
from accord.algorithms.mobility.grade_conversion.reference_group import (
    Breadth,
    ReferenceGroup,
    TableChoice,
    choose_tables,
    group_of,
    reference_groups,
)
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
from accord.algorithms.mobility.staff import (
    ERASMUS_PLUS_2021,
    Breach,
    BreachKind,
    StaffActivity,
    check_attendance,
)
from accord.core.errors import NotFound, PermissionDenied
from accord.mobilities.choices import STAFF_TYPES, MobilityStatus, RuleScope, SignerRole, VersionStatus
from accord.mobilities.filters import MobilityFilter
from accord.mobilities.models import (
    DEFAULT_TRANSCRIPT_DAYS,
    AgreementVersion,
    CreditRule,
    GradeDistributionTable,
    LearningAgreement,
    Mobility,
    MobilitySettings,
    Signature,
    StaffCertificate,
    StaffProgramme,
)
from accord.mobilities.querysets import MobilityAction, mobility_may, signing_roles
from accord.reference.isced import isced_label

BREADTH_WORDS = {
    Breadth.DETAILED: gettext_lazy("detailed"),
    Breadth.NARROW: gettext_lazy("narrow"),
    Breadth.BROAD: gettext_lazy("broad"),
}
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


def _tables(organisation, scale) -> list[tuple[str, int | None, GradeDistributionTable]]:
    if scale is None:
        return []
    found = GradeDistributionTable.objects.filter(organisation=organisation, scale=scale).select_related(
        "scale"
    )
    return [(table.isced_code, table.eqf_level, table) for table in found]


def find_table(organisation, scale, mobility: Mobility) -> GradeDistributionTable | None:
    """The organisation's table for ``scale`` that fits the mobility best on its own, in the order of
    :func:`~accord.algorithms.mobility.grade_conversion.reference_group.reference_groups`."""
    tables = {group_of(code, level): table for code, level, table in _tables(organisation, scale)}
    groups = reference_groups(mobility.isced_code, mobility.eqf_level)
    return next((tables[group] for group in groups if group in tables), None)


def conversion_tables(
    mobility: Mobility, host_scale, home_scale
) -> TableChoice[GradeDistributionTable] | None:
    """The receiving institution's table for ``host_scale`` and the sending institution's for
    ``home_scale`` that convert this mobility's grades: the same reference group on both sides,
    as close to the mobility's field and cycle as both have (EGRACONS practice)."""
    return choose_tables(
        mobility.isced_code,
        mobility.eqf_level,
        _tables(mobility.receiving_organisation, host_scale),
        _tables(mobility.sending_organisation, home_scale),
    )


def _group_text(group: ReferenceGroup) -> str:
    if group.breadth is Breadth.ALL_FIELDS:
        field = _("all fields")
    else:
        field = _("%(breadth)s field %(label)s") % {
            "breadth": BREADTH_WORDS[group.breadth],
            "label": isced_label(group.isced_code),
        }
    cycle = _("EQF %(level)s") % {"level": group.eqf_level} if group.eqf_level else _("every cycle")
    return f"{field}, {cycle}"


def _missing_text(group: ReferenceGroup, wanted: ReferenceGroup) -> str:
    parts = []
    if wanted.isced_code and group.isced_code != wanted.isced_code:
        parts.append(wanted.isced_code)
    if wanted.eqf_level and group.eqf_level != wanted.eqf_level:
        parts.append(_("EQF %(level)s") % {"level": wanted.eqf_level})
    return _(" (no table for %(wanted)s)") % {"wanted": _(" at ").join(parts)} if parts else ""


def table_note(choice: TableChoice) -> str:
    """Which tables a conversion used, in words, such as "Converted with the tables for broad field
    04 Business, administration and law, EQF 6 (no table for 0413)"."""
    if choice.same_group:
        return _("Converted with the tables for %(group)s%(missing)s.") % {
            "group": _group_text(choice.host_group),
            "missing": _missing_text(choice.host_group, choice.wanted),
        }
    return _(
        "Converted with the receiving institution's table for %(host)s and the sending institution's "
        "table for %(home)s: the two institutions have no tables for the same group."
    ) % {"host": _group_text(choice.host_group), "home": _group_text(choice.home_group)}


def no_table_reason(mobility: Mobility, host_scale, home_scale) -> str:
    """Why no table converts this mobility's grades, naming the side that lacks one."""
    wanted = _group_text(reference_groups(mobility.isced_code, mobility.eqf_level)[0])
    if home_scale is None:
        return _(
            "The sending institution has no home scale yet (set it on the grading page); convert the "
            "grade by hand with a reason."
        )
    sides = [
        side
        for side, organisation, scale in (
            (_("the receiving institution"), mobility.receiving_organisation, host_scale),
            (_("the sending institution"), mobility.sending_organisation, home_scale),
        )
        if find_table(organisation, scale, mobility) is None
    ]
    return _(
        "No grade distribution table of %(side)s fits %(wanted)s, nor a broader field or cycle; "
        "convert the grade by hand with a reason."
    ) % {"side": _(" or of ").join(sides) or _("either institution"), "wanted": wanted}


def distribution(table: GradeDistributionTable) -> GradeDistribution:
    return GradeDistribution.from_counts(
        table.scale.name,
        [(grade, count) for grade, count in table.counts],
        isced_code=table.isced_code,
        eqf_level=table.eqf_level,
        reference_period=table.reference_period,
    )


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
        .prefetch_related("learning_agreement__current_version__signatures")
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


# --- staff mobility -----------------------------------------------------------------------------


STAFF_RULES = ERASMUS_PLUS_2021


def breach_message(breach: Breach, *, certified: bool = False) -> str:
    """The sentence a person reads for a rule the programme or the attendance does not meet."""
    values = {name: format(getattr(breach, name).normalize(), "f") for name in ("required", "found")}
    messages = {
        BreachKind.END_BEFORE_START: _("The end must not be before the start."),
        BreachKind.TOO_SHORT: _(
            "A staff mobility lasts at least %(required)s days, travel excluded; this is %(found)s."
        ),
        BreachKind.TOO_LONG: _(
            "A staff mobility lasts at most %(required)s days, travel excluded; this is %(found)s."
        ),
        BreachKind.TEACHING_HOURS_MISSING: _(
            "Teaching needs at least %(required)s teaching hours over these dates: say how many are planned."
        ),
        BreachKind.TOO_FEW_TEACHING_HOURS: _(
            "Erasmus+ asks for at least %(required)s teaching hours over these dates; %(found)s are planned."
        ),
    }
    if certified and breach.kind == BreachKind.TOO_FEW_TEACHING_HOURS:
        return (
            _(
                "Erasmus+ asks for at least %(required)s teaching hours over these days and %(found)s were "
                "taught: the sending institution may have to reduce the grant."
            )
            % values
        )
    return messages[breach.kind] % values


def certificate_breaches(mobility: Mobility, certificate: StaffCertificate, programme: StaffProgramme | None):
    """What the certified attendance falls short of, in sentences (empty when it meets the rules)."""
    activity = StaffActivity(programme.activity) if programme else StaffActivity.TRAINING
    found = check_attendance(
        activity, certificate.actual_start, certificate.actual_end, certificate.teaching_hours, STAFF_RULES
    )
    return [breach_message(breach, certified=True) for breach in found]


@dataclass(frozen=True)
class NextStep:
    """What a staff mobility waits for, and whether the person reading is the one to do it."""

    text: str
    yours: bool


@dataclass(frozen=True)
class StaffOverview:
    mobility: Mobility
    agreement: AgreementOverview
    programmes: dict[int, StaffProgramme]
    certificate: StaffCertificate | None
    certificate_breaches: list[str]
    next_step: NextStep

    def programme(self, view: VersionView | None) -> StaffProgramme | None:
        return self.programmes.get(view.version.pk) if view else None

    @property
    def current_programme(self) -> StaffProgramme | None:
        return self.programme(self.agreement.current)

    @property
    def approved_programme(self) -> StaffProgramme | None:
        return self.programme(self.agreement.approved)


def _parties(user, mobility: Mobility) -> set[str]:
    """The sides ``user`` acts for on this mobility (as signer, or as its coordinator)."""
    parties = set(signing_roles(user, mobility))
    if mobility_may(user, MobilityAction.MANAGE, mobility) and not is_platform_staff(user):
        parties.add(SignerRole.SENDING)
    if mobility_may(user, MobilityAction.RECEIVE, mobility) and not is_platform_staff(user):
        parties.add(SignerRole.RECEIVING)
    return parties


def staff_next_step(
    mobility: Mobility,
    version: AgreementVersion | None,
    signed: set[str],
    certified: bool,
    parties: set[str],
) -> NextStep:
    """The one thing a staff mobility waits for, from the first draft to the certificate."""
    status = mobility.status
    labels = {role: str(label).lower() for role, label in SignerRole.choices}
    if status == MobilityStatus.CANCELLED:
        return NextStep(_("Cancelled: nothing more to do."), False)
    if status in (MobilityStatus.COMPLETED, MobilityStatus.RECOGNISED):
        if certified:
            return NextStep(_("Completed: the certificate of attendance can be downloaded."), False)
        return NextStep(
            _("The receiving institution issues the certificate of attendance."),
            SignerRole.RECEIVING in parties,
        )
    drafters = bool(parties & {SignerRole.STUDENT, SignerRole.SENDING})
    if version is None:
        return NextStep(
            _("Draft the mobility agreement: objectives, activities, outcomes and dates."), drafters
        )
    if version.status == VersionStatus.COMMENTED:
        return NextStep(
            _("Version %(n)s was returned with comments: propose a new version.") % {"n": version.number},
            drafters,
        )
    if version.status == VersionStatus.PROPOSED:
        waiting = [role for role in (SignerRole.STUDENT, SignerRole.SENDING) if role not in signed]
        if not waiting and status == MobilityStatus.NOMINATED:
            return NextStep(
                _("The receiving institution accepts the staff member, then signs version %(n)s.")
                % {"n": version.number},
                SignerRole.RECEIVING in parties,
            )
        waiting = waiting or [SignerRole.RECEIVING]
        return NextStep(
            _("Version %(n)s awaits the signature of the %(who)s.")
            % {"n": version.number, "who": _(" and the ").join(labels[role] for role in waiting)},
            bool(parties & set(waiting)),
        )
    if status == MobilityStatus.NOMINATED:
        return NextStep(
            _("The receiving institution accepts the staff member."), SignerRole.RECEIVING in parties
        )
    if status == MobilityStatus.LA_APPROVED:
        return NextStep(
            _("Signed by all three: the receiving institution confirms the arrival."),
            SignerRole.RECEIVING in parties,
        )
    return NextStep(
        _("Under way: the receiving institution certifies the attendance at the end of the stay."),
        SignerRole.RECEIVING in parties,
    )


def staff_overview(*, user, mobility: Mobility) -> StaffOverview:
    """The staff mobility agreement's versions with their programmes, the certificate and the next step."""
    agreement = agreement_overview(user=user, mobility=mobility)
    programmes = {
        programme.version_id: programme
        for programme in StaffProgramme.objects.filter(
            version__in=[view.version for view in agreement.versions]
        )
    }
    certificate = StaffCertificate.objects.filter(mobility=mobility).first()
    approved = programmes.get(agreement.approved.version.pk) if agreement.approved else None
    current = agreement.current
    return StaffOverview(
        mobility=mobility,
        agreement=agreement,
        programmes=programmes,
        certificate=certificate,
        certificate_breaches=certificate_breaches(mobility, certificate, approved) if certificate else [],
        next_step=staff_next_step(
            mobility,
            current.version if current else None,
            set(current.signatures) if current else set(),
            certificate is not None,
            _parties(user, mobility),
        ),
    )


def staff_mobilities(*, user) -> list[tuple[Mobility, NextStep]]:
    """The user's own staff mobilities and those of the institutions they coordinate, each with its
    next step; a bounded number of queries however many there are."""
    managing = organisation_ids_with_roles(user, MANAGING_ROLES)
    queryset = (
        _base()
        .filter(mobility_type__in=STAFF_TYPES)
        .filter(
            Q(participant=user)
            | Q(sending_organisation_id__in=managing)
            | Q(receiving_organisation_id__in=managing)
        )
        .select_related("learning_agreement__current_version", "staff_certificate")
        .prefetch_related("learning_agreement__current_version__signatures")
        .order_by("-planned_start", "pk")
    )
    rows = []
    for mobility in queryset:
        agreement = getattr(mobility, "learning_agreement", None)
        version = agreement.current_version if agreement else None
        signed = {signature.role for signature in version.signatures.all()} if version else set()
        certified = hasattr(mobility, "staff_certificate")
        rows.append(
            (mobility, staff_next_step(mobility, version, signed, certified, _parties(user, mobility)))
        )
    return rows


def may_invite_staff(user) -> bool:
    return is_platform_staff(user) or bool(organisation_ids_with_roles(user, MANAGING_ROLES))
