"""Reads of staff mobilities: the programme's rule breaches, the next step of each party."""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.algorithms.mobility.staff import (
    ERASMUS_PLUS_2021,
    Breach,
    BreachKind,
    StaffActivity,
    check_attendance,
)
from accord.mobilities.choices import STAFF_TYPES, MobilityStatus, SignerRole, VersionStatus
from accord.mobilities.models import (
    AgreementVersion,
    Mobility,
    StaffCertificate,
    StaffProgramme,
)
from accord.mobilities.querysets import MobilityAction, mobility_may, signing_roles
from accord.mobilities.selectors.mobility import (
    AgreementOverview,
    VersionView,
    _base,
    agreement_overview,
    delegations_of,
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
        .prefetch_related("learning_agreement__current_version__signatures", delegations_of(user))
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
