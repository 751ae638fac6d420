"""The bridge between the class profiles stored here and the pure matching core, and the sentences
that explain its figures to teachers."""

from datetime import date, time

from django.utils.translation import gettext as _

from accord.algorithms.matching import model as core
from accord.algorithms.matching.pair import Assessment, Refusal, Window
from accord.algorithms.timewindows import WeeklySlot
from accord.virtual_exchange.choices import Mode
from accord.virtual_exchange.models import ClassProfile


def to_core(profile: ClassProfile) -> core.ClassProfile:
    return core.ClassProfile(
        key=profile.pk,
        institution=profile.organisation_id,
        zone=profile.time_zone,
        isced=profile.isced_code,
        eqf=profile.eqf_level,
        languages=tuple((entry["language"], entry["cefr"]) for entry in profile.languages),
        term_start=profile.term_start,
        term_end=profile.term_end,
        slots=tuple(
            WeeklySlot(slot["weekday"], time.fromisoformat(slot["start"]), time.fromisoformat(slot["end"]))
            for slot in profile.slots
        ),
        holidays=tuple(
            (date.fromisoformat(span["start"]), date.fromisoformat(span["end"])) for span in profile.holidays
        ),
        students=profile.students,
        weeks_wished=profile.weeks_wished,
        synchronous=profile.mode == Mode.SYNCHRONOUS,
        themes=frozenset(profile.themes),
    )


def refusal_sentence(refusal: str, rules: core.Rules = core.DEFAULT_RULES) -> str:
    sentences = {
        Refusal.SAME_INSTITUTION: _("The classes belong to the same institution."),
        Refusal.NO_LANGUAGE: _("No shared language at %(level)s or above.") % {"level": rules.min_cefr},
        Refusal.LEVELS: _("The levels (EQF) are more than %(gap)s apart.") % {"gap": rules.max_eqf_gap},
        Refusal.WEEKS: _("Fewer than %(weeks)s overlapping teaching weeks after holidays.")
        % {"weeks": rules.min_weeks},
        Refusal.NO_HOUR: _(
            "No shared hour: less than %(minutes)s minutes a week inside both classes' slots or working days."
        )
        % {"minutes": rules.min_weekly_minutes},
    }
    return sentences[Refusal(refusal)]


def alone_sentence(refusal: str | None) -> str:
    """Why a class has no feasible partner, as the teacher reads it."""
    if not refusal:
        return ""
    sentences = {
        Refusal.SAME_INSTITUTION: _("Every other class is from your own institution."),
        Refusal.NO_LANGUAGE: _("No other class shares a language with yours at the needed level."),
        Refusal.LEVELS: _("The classes that share a language with yours are at levels too far from it."),
        Refusal.WEEKS: _(
            "No class with a shared language and level has four teaching weeks in common with yours."
        ),
        Refusal.NO_HOUR: _("The classes that fit otherwise share no hour a week with yours."),
    }
    return sentences[Refusal(refusal)]


def reasons_of(assessment: Assessment) -> dict:
    """The figures of an assessment as stored on a proposal (JSON)."""
    return {
        "refusals": [str(refusal) for refusal in assessment.refusals],
        "languages": sorted(assessment.languages),
        "eqf_gap": assessment.eqf_gap,
        "common_weeks": assessment.common_weeks,
        "slot_minutes": round(assessment.slot_minutes),
        "working_minutes": round(assessment.working_minutes),
        "window": str(assessment.window),
        "subject": assessment.subject,
        "calendar": round(assessment.calendar, 3),
        "synchronous": round(assessment.synchronous, 3),
        "score": assessment.score,
    }


def reason_sentences(reasons: dict) -> list[str]:
    """The positive reasons of a proposal, one sentence each, then its refusals if any."""
    lines = []
    if reasons.get("languages"):
        lines.append(_("Shared languages: %(languages)s.") % {"languages": ", ".join(reasons["languages"])})
    lines.append(_("%(weeks)s teaching weeks in common.") % {"weeks": reasons.get("common_weeks", 0)})
    window = reasons.get("window")
    if window == Window.SLOTS:
        lines.append(
            _("About %(minutes)s minutes a week inside both classes' slots.")
            % {"minutes": reasons["slot_minutes"]}
        )
    elif window == Window.WORKING_DAY:
        lines.append(
            _("No shared class slot, but about %(minutes)s minutes a week inside both working days.")
            % {"minutes": reasons["working_minutes"]}
        )
    subject = reasons.get("subject", 0)
    if subject >= 1:
        lines.append(_("The same field of education."))
    elif subject > 0:
        lines.append(_("Related fields of education."))
    lines += [refusal_sentence(refusal) for refusal in reasons.get("refusals", [])]
    return lines
