"""The demo surveys: last year's students of the Aurora–Turia partnership answered before and after
their semester (eight before, seven after, so seven pairs): the coordinator sees the distributions,
the change per dimension and the open answers. This year's partner survey has two answers of the
five needed, and says so. The demo student's own pre-departure survey comes from their accepted
mobility (seeded by the exchange), through the same event every mobility sends.

Written in bulk (three inserts per table), found by the partnership and year, so a second run adds
nothing.
"""

import datetime as dt
import random

from django.utils import timezone

from accord.demo.partnership import TITLE as PARTNERSHIP_TITLE
from accord.mobilities.choices import MobilityStatus
from accord.mobilities.models import Mobility
from accord.organisations.models import Organisation
from accord.partnerships.models import Partnership
from accord.surveys.bank import DEFAULT_ITEMS, ITEMS
from accord.surveys.choices import Audience, Phase, Source
from accord.surveys.models import Invitation, PairLink, Response, SurveyTemplate
from accord.surveys.services.invitations import invitation_for_participation
from accord.surveys.services.responses import pair_key
from accord.surveys.services.templates import default_template, survey_for_cohort
from accord.surveys.subscribers import mobility_participation

PARTNER_TEMPLATE = "Partner feedback on the Aurora–Turia exchange"
FORMER_STUDENTS = 8
ANSWERED_AFTER = 7
OPEN_TEXTS = {
    "open.hopes": [
        "To become fluent in Spanish and make friends from other countries.",
        "Courses in robotics that my home university does not offer.",
        "Confidence to live on my own abroad.",
    ],
    "open.valuable": [
        "Working in a project team with students from five countries.",
        "That the same problem is taught very differently elsewhere.",
        "Managing my own budget and paperwork in another language.",
        "The lab course on autonomous systems.",
    ],
    "open.change": [
        "Send the course catalogue earlier, before the learning agreement deadline.",
        "A buddy programme for the first weeks would help.",
        "Housing information in English on the host's website.",
    ],
}


def _year(offset: int) -> str:
    today = timezone.localdate()
    start = today.year if today.month >= 9 else today.year - 1
    return f"{start + offset}/{start + offset + 1}"


def _scores(rng: random.Random, codes: list[str], centre: float) -> dict[str, int]:
    scores = {}
    for code in codes:
        if ITEMS[code].is_open or rng.random() < 0.05:  # now and then a question is skipped
            continue
        scores[code] = min(5, max(1, round(rng.gauss(centre, 0.8))))
    return scores


def _texts(rng: random.Random, codes: list[str]) -> dict[str, str]:
    return {code: rng.choice(OPEN_TEXTS[code]) for code in codes if code in OPEN_TEXTS and rng.random() < 0.7}


def _former_cohort(home: Organisation, partnership: Partnership) -> None:
    period = _year(-1)
    surveys = {
        phase: survey_for_cohort(
            template=default_template(Audience.STUDENT, phase),
            organisation_id=home.pk,
            partnership_id=partnership.pk,
            period=period,
        )
        for phase in (Phase.PRE, Phase.POST)
    }
    if Response.objects.filter(survey__in=surveys.values()).exists():
        return
    rng = random.Random(f"surveys:{period}")
    days = {Phase.PRE: dt.date(int(period[:4]), 8, 20), Phase.POST: dt.date(int(period[:4]) + 1, 2, 10)}
    invitations, responses, links = [], [], []
    for index in range(FORMER_STUDENTS):
        email = f"former.student{index + 1}@aurora.example.edu"
        growth = rng.uniform(0.2, 0.9)
        for phase, centre in ((Phase.PRE, 3.0), (Phase.POST, 3.0 + growth)):
            answered = phase == Phase.PRE or index < ANSWERED_AFTER
            invitation = Invitation(
                survey=surveys[phase],
                email=email,
                source=Source.MANUAL,
                sent_at=timezone.make_aware(dt.datetime.combine(days[phase], dt.time(9))),
                answered_at=timezone.make_aware(dt.datetime.combine(days[phase], dt.time(18)))
                if answered
                else None,
            )
            invitations.append(invitation)
            if not answered:
                continue
            codes = DEFAULT_ITEMS[(Audience.STUDENT, phase)]
            response = Response(
                survey=surveys[phase],
                scores=_scores(rng, codes, centre),
                texts=_texts(rng, codes),
                submitted_on=days[phase],
            )
            responses.append(response)
            links.append(PairLink(key=pair_key(invitation), phase=phase, pseudonym=response.pseudonym))
    Invitation.objects.bulk_create(invitations)
    Response.objects.bulk_create(responses)
    PairLink.objects.bulk_create(links)


def _partner_round(home: Organisation, partnership: Partnership, coordinator) -> None:
    template = SurveyTemplate.objects.filter(organisation=home, name=PARTNER_TEMPLATE).first()
    if template is None:
        template = SurveyTemplate.objects.create(
            organisation=home,
            name=PARTNER_TEMPLATE,
            audience=Audience.PARTNER,
            phase=Phase.ONCE,
            items=list(DEFAULT_ITEMS[(Audience.PARTNER, Phase.ONCE)]),
            updated_by=coordinator,
        )
    survey = survey_for_cohort(
        template=template, organisation_id=home.pk, partnership_id=partnership.pk, period=_year(0)
    )
    if survey.invitations.exists():
        return
    now = timezone.now()
    addresses = ["international@turia.example.edu", "erasmus@turia.example.edu", "outgoing@turia.example.edu"]
    Invitation.objects.bulk_create(
        Invitation(
            survey=survey,
            email=address,
            source=Source.MANUAL,
            sent_at=now,
            last_sent_at=now,
            answered_at=now if index < 2 else None,
        )
        for index, address in enumerate(addresses)
    )
    Response.objects.bulk_create(
        [
            Response(survey=survey, scores={"cooperation.1": 4, "cooperation.2": 4, "cooperation.3": 5}),
            Response(
                survey=survey,
                scores={"cooperation.1": 3, "cooperation.3": 5},
                texts={"open.other": "Nominations arrived late this spring; otherwise a very good year."},
            ),
        ]
    )


def _student_invitation(student) -> None:
    """The demo student's accepted mobility invited them when it was accepted; a demo seeded before
    surveys existed gets the same invitation now."""
    if Invitation.objects.filter(user=student, answered_at__isnull=True).exists():
        return
    mobility = Mobility.objects.filter(participant=student, status=MobilityStatus.ACCEPTED).first()
    participation = mobility_participation(mobility) if mobility is not None else None
    if participation is not None:
        invitation_for_participation(participation=participation, phase=Phase.PRE)


def seed_surveys(*, home: Organisation, users: dict) -> None:
    partnership = Partnership.objects.filter(title=PARTNERSHIP_TITLE).first()
    if partnership is None:
        return
    _former_cohort(home, partnership)
    _partner_round(home, partnership, users["demo-coordinator"])
    _student_invitation(users["demo-student"])
