"""The steps of a mobility as its participant lives them (accepted → learning agreement → arrival →
transcript → recognition) and the next thing to do, for the participant's pages. The exchanges app
puts the steps before (application, nomination) in front of these."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from accord.mobilities.choices import MobilityStatus, SignerRole, VersionStatus
from accord.mobilities.models import Mobility
from accord.mobilities.selectors import AgreementOverview

AFTER_ACCEPTANCE = frozenset(
    {
        MobilityStatus.ACCEPTED,
        MobilityStatus.LA_APPROVED,
        MobilityStatus.ONGOING,
        MobilityStatus.COMPLETED,
        MobilityStatus.RECOGNISED,
    }
)
AFTER_APPROVAL = AFTER_ACCEPTANCE - {MobilityStatus.ACCEPTED}


@dataclass(frozen=True)
class Step:
    label: str
    done: bool
    detail: str = ""


@dataclass(frozen=True)
class NextStep:
    """What the participant must do now (``url`` set) or is waiting for (``url`` empty)."""

    text: str
    url: str = ""
    link: str = ""


def mobility_steps(mobility: Mobility) -> list[Step]:
    partner = mobility.receiving_organisation.name
    transcript = getattr(mobility, "transcript", None)
    arrival = ""
    if mobility.actual_start:
        arrival = mobility.actual_start.isoformat()
        if mobility.actual_end:
            arrival += " – " + mobility.actual_end.isoformat()
    return [
        Step(_("Accepted by %(partner)s") % {"partner": partner}, mobility.status in AFTER_ACCEPTANCE),
        Step(_("Learning agreement signed by all three"), mobility.status in AFTER_APPROVAL),
        Step(_("Arrival at %(partner)s") % {"partner": partner}, mobility.actual_start is not None, arrival),
        Step(_("Transcript of records"), transcript is not None),
        Step(_("Recognition at home"), mobility.status == MobilityStatus.RECOGNISED),
    ]


def _agreement_next(mobility: Mobility, overview: AgreementOverview, detail: str) -> NextStep:
    current = overview.current
    propose = reverse("mobilities:propose", args=[mobility.pk])
    if current is None or current.version.status == VersionStatus.COMMENTED:
        return NextStep(
            _("Propose your learning agreement: the courses you will take at %(partner)s.")
            % {"partner": mobility.receiving_organisation.name},
            propose,
            _("Propose the learning agreement"),
        )
    if SignerRole.STUDENT in overview.awaiting:
        return NextStep(
            _("Read and sign version %(number)s of your learning agreement.")
            % {"number": current.version.number},
            detail + "#la-heading",
            _("Sign the learning agreement"),
        )
    if SignerRole.SENDING in overview.awaiting:
        return NextStep(_("Your home institution signs your learning agreement next."))
    return NextStep(
        _("%(partner)s signs your learning agreement next.")
        % {"partner": mobility.receiving_organisation.name}
    )


def mobility_next(mobility: Mobility, overview: AgreementOverview) -> NextStep:
    """The participant's next step in ``mobility``."""
    partner = mobility.receiving_organisation.name
    detail = reverse("mobilities:detail", args=[mobility.pk])
    status = mobility.status
    if status == MobilityStatus.CANCELLED:
        return NextStep(_("This mobility was cancelled."))
    if status == MobilityStatus.NOMINATED:
        return NextStep(_("%(partner)s decides on your nomination next.") % {"partner": partner})
    if status == MobilityStatus.ACCEPTED:
        return _agreement_next(mobility, overview, detail)
    if status == MobilityStatus.LA_APPROVED:
        return NextStep(
            _("Travel to %(partner)s: they confirm your arrival when you get there.") % {"partner": partner}
        )
    if status == MobilityStatus.ONGOING:
        if overview.current is not None and SignerRole.STUDENT in overview.awaiting:
            return _agreement_next(mobility, overview, detail)
        return NextStep(
            _("Study at %(partner)s. If your courses change, propose a change to your learning agreement.")
            % {"partner": partner},
            reverse("mobilities:propose", args=[mobility.pk]),
            _("Propose changes"),
        )
    if status == MobilityStatus.COMPLETED:
        if getattr(mobility, "transcript", None) is None:
            return NextStep(_("%(partner)s sends your transcript of records next.") % {"partner": partner})
        return NextStep(_("Your home institution converts your grades and recognises your credits next."))
    return NextStep(_("Done: your studies abroad are recognised."), detail + "#recognition-heading", _("See"))
