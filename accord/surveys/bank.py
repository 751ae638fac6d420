"""The question bank: every item Accord's surveys can ask, as data, written for Accord.

The items are Accord's own wording, not taken from any published or licensed questionnaire. The
global-competence items are grouped by the four dimensions of the OECD PISA 2018 global competence
framework (OECD, *PISA 2018 Global Competence Framework*, 2018); the framework names what to measure,
the sentences here are ours. Each item is a statement on a five-point scale with named anchors, or an
open question.

Versioning: an item's code and wording never change once released; a reworded item is a new code,
and the old one stays here so that answers given to it keep their meaning. ``BANK_VERSION`` counts
the releases, and a template records the version its items were chosen from (its questions are
frozen once anyone answered). Items are only ever added, so every released version is a subset of
this module.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accord.surveys.choices import Audience, Phase

BANK_VERSION = 1

EXAMINE, PERSPECTIVES, INTERACT, ACT = "examine", "perspectives", "interact", "act"
LANGUAGE, SATISFACTION, RECOGNITION, COOPERATION, OPEN = (
    "language",
    "satisfaction",
    "recognition",
    "cooperation",
    "open",
)
GLOBAL_COMPETENCE = (EXAMINE, PERSPECTIVES, INTERACT, ACT)
# The dimensions measured before and after, whose change is computed per respondent pair.
PAIRED_DIMENSIONS = (*GLOBAL_COMPETENCE, LANGUAGE)

DIMENSIONS: dict[str, Promise] = {
    EXAMINE: _("Examine local, global and intercultural issues"),
    PERSPECTIVES: _("Understand and appreciate the perspectives and world views of others"),
    INTERACT: _("Engage in open, appropriate and effective interactions across cultures"),
    ACT: _("Take action for collective well-being and sustainable development"),
    LANGUAGE: _("Language gain"),
    SATISFACTION: _("Satisfaction"),
    RECOGNITION: _("Recognition experience"),
    COOPERATION: _("Cooperation between the institutions"),
    OPEN: _("Open questions"),
}


@dataclass(frozen=True)
class Scale:
    code: str
    anchors: tuple[Promise, ...]

    @property
    def points(self) -> int:
        return len(self.anchors)


AGREEMENT = Scale(
    "agreement",
    (
        _("Strongly disagree"),
        _("Disagree"),
        _("Neither agree nor disagree"),
        _("Agree"),
        _("Strongly agree"),
    ),
)
SATISFIED = Scale(
    "satisfaction",
    (
        _("Very dissatisfied"),
        _("Dissatisfied"),
        _("Neither satisfied nor dissatisfied"),
        _("Satisfied"),
        _("Very satisfied"),
    ),
)
SCALES = {scale.code: scale for scale in (AGREEMENT, SATISFIED)}


@dataclass(frozen=True)
class Item:
    """One question: a statement rated on ``scale``, or an open question when ``scale`` is None."""

    code: str
    dimension: str
    text: Promise
    scale: Scale | None
    since: int = 1

    @property
    def is_open(self) -> bool:
        return self.scale is None


def _likert(code: str, dimension: str, text: Promise, scale: Scale = AGREEMENT) -> Item:
    return Item(code, dimension, text, scale)


def _open(code: str, text: Promise) -> Item:
    return Item(code, OPEN, text, None)


ITEMS: dict[str, Item] = {
    item.code: item
    for item in (
        _likert(
            "gc.examine.1",
            EXAMINE,
            _(
                "I can explain how an issue in my home town is connected to events in other parts of "
                "the world."
            ),
        ),
        _likert(
            "gc.examine.2",
            EXAMINE,
            _(
                "When I read news about another country, I look at more than one source before I form "
                "an opinion."
            ),
        ),
        _likert(
            "gc.examine.3",
            EXAMINE,
            _(
                "I can describe how a global problem, such as climate change or migration, affects different "
                "communities in different ways."
            ),
        ),
        _likert(
            "gc.perspectives.1",
            PERSPECTIVES,
            _("I try to understand why people from other backgrounds see a situation differently from me."),
        ),
        _likert(
            "gc.perspectives.2",
            PERSPECTIVES,
            _("I can imagine how my own habits might look to someone who grew up elsewhere."),
        ),
        _likert(
            "gc.perspectives.3",
            PERSPECTIVES,
            _("I respect opinions that differ from mine, even when I do not share them."),
        ),
        _likert(
            "gc.interact.1",
            INTERACT,
            _("I feel at ease working in a team whose members come from several countries."),
        ),
        _likert(
            "gc.interact.2",
            INTERACT,
            _("When a misunderstanding arises with someone from another culture, I know how to clear it up."),
        ),
        _likert(
            "gc.interact.3",
            INTERACT,
            _("I adapt how I speak or write so that people with another first language can follow me."),
        ),
        _likert(
            "gc.act.1",
            ACT,
            _("I take part in activities that aim to improve life in my community."),
        ),
        _likert(
            "gc.act.2",
            ACT,
            _("I think about the effects of my choices on people in other countries and on the environment."),
        ),
        _likert(
            "gc.act.3",
            ACT,
            _("I believe I can help to address problems that affect people beyond my own country."),
        ),
        _likert(
            "language.1",
            LANGUAGE,
            _("I can follow a lecture or a meeting in the language of my exchange."),
        ),
        _likert(
            "language.2",
            LANGUAGE,
            _("I can take part in an everyday conversation in the language of my host country."),
        ),
        _likert(
            "satisfaction.overall",
            SATISFACTION,
            _("How satisfied are you with the exchange as a whole?"),
            SATISFIED,
        ),
        _likert(
            "satisfaction.home",
            SATISFACTION,
            _("How satisfied are you with the support you received from your home institution?"),
            SATISFIED,
        ),
        _likert(
            "satisfaction.host",
            SATISFACTION,
            _("How satisfied are you with the welcome and support at the host institution?"),
            SATISFIED,
        ),
        _likert(
            "satisfaction.practice",
            SATISFACTION,
            _("The mobility has improved my teaching or my professional practice."),
        ),
        _likert(
            "recognition.1",
            RECOGNITION,
            _("The credits I earned abroad were recognised as agreed in my learning agreement."),
        ),
        _likert(
            "recognition.2",
            RECOGNITION,
            _("It was clear to me how my results abroad would count towards my degree."),
        ),
        _likert(
            "cooperation.1",
            COOPERATION,
            _("Communication with the partner institution was timely and clear."),
        ),
        _likert(
            "cooperation.2",
            COOPERATION,
            _("Both institutions share an understanding of the partnership's objectives."),
        ),
        _likert(
            "cooperation.3",
            COOPERATION,
            _("We would like to continue and develop this partnership."),
        ),
        _open("open.hopes", _("What do you hope to gain from your exchange?")),
        _open("open.valuable", _("What was the most valuable thing you learned during your exchange?")),
        _open("open.change", _("What should we change for the people who go next?")),
        _open("open.other", _("Is there anything else you would like to tell us?")),
    )
}

_GC = [code for code, item in ITEMS.items() if item.dimension in GLOBAL_COMPETENCE]
_LANGUAGE = ["language.1", "language.2"]
_STAFF_GC = [code for code in _GC if ITEMS[code].dimension in (PERSPECTIVES, INTERACT)]
_SATISFIED = ["satisfaction.overall", "satisfaction.home", "satisfaction.host"]

# What a new template asks by default, per audience and phase.
DEFAULT_ITEMS: dict[tuple[str, str], list[str]] = {
    (Audience.STUDENT, Phase.PRE): [*_GC, *_LANGUAGE, "open.hopes"],
    (Audience.STUDENT, Phase.POST): [
        *_GC,
        *_LANGUAGE,
        *_SATISFIED,
        "recognition.1",
        "recognition.2",
        "open.valuable",
        "open.change",
    ],
    (Audience.STAFF, Phase.PRE): [*_STAFF_GC, "language.1", "open.hopes"],
    (Audience.STAFF, Phase.POST): [
        *_STAFF_GC,
        "language.1",
        *_SATISFIED,
        "satisfaction.practice",
        "open.valuable",
        "open.other",
    ],
    (Audience.PARTNER, Phase.ONCE): ["cooperation.1", "cooperation.2", "cooperation.3", "open.other"],
}


def items_of(codes: list[str]) -> list[Item]:
    return [ITEMS[code] for code in codes]


def unknown_codes(codes: list[str], version: int = BANK_VERSION) -> list[str]:
    """The codes that are not items of the bank at ``version``."""
    return [code for code in codes if code not in ITEMS or ITEMS[code].since > version]


def items_by_dimension(codes: list[str]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for code in codes:
        grouped.setdefault(ITEMS[code].dimension, []).append(code)
    return grouped
