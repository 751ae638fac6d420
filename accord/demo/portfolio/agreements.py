"""The portfolio's agreements, one in each state a coordinator meets: a draft, one shared (which is
the owner's approval) and awaiting the partner, one shared and approved by the partner that owns it
and awaiting the home university, one amended
twice (three versions, so "Versions and changes" has diffs to read), one expiring soon, one
terminated and one exchanged over EWP whose partner copy differs from ours. Written through the
agreement services; found by title, so a second run leaves them alone."""

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from accord.accounts.models import User
from accord.agreements import services
from accord.agreements.choices import PartnerCopySource
from accord.agreements.models import Agreement
from accord.agreements.selectors import expiry_window
from accord.organisations.models import Organisation
from accord.partnerships.models import Partnership
from accord.reference.academic_years import parse_academic_year


def year(offset: int) -> str:
    """The academic year ``offset`` years after the one that holds today (years start in September)."""
    today = timezone.localdate()
    start = today.year if today.month >= 9 else today.year - 1
    return parse_academic_year(f"{start + offset}/{start + offset + 1}").label


def condition(key: str, sending: int, receiving: int, **overrides) -> dict:
    values = {
        "key": key,
        "mobility_type": "student_studies",
        "sending_partner": sending,
        "receiving_partner": receiving,
        "first_academic_year": year(-1),
        "last_academic_year": year(2),
        "mobilities_per_year": 2,
        "total_months_per_year": "10",
        "subject_areas": [{"isced_code": "0413"}],
        "eqf_levels": [6, 7],
        "language_skills": [{"language": "en", "cefr_level": "B2"}],
    }
    values.update(overrides)
    if values["mobility_type"].startswith("staff_"):
        # Staff mobility is counted in days, and has no study level.
        values.pop("total_months_per_year")
        values.update(total_days_per_year=20, eqf_levels=[])
    return values


def content(home: Organisation, partner: Organisation, *conditions: dict) -> dict:
    return {
        "partners": [{"organisation_ref": str(home.pk)}, {"organisation_ref": str(partner.pk)}],
        "conditions": list(conditions),
        "terms": {"agreement_type": "erasmus_iia"},
    }


def _both_ways(home, partner, key: str, **overrides) -> dict:
    return content(
        home,
        partner,
        condition(f"{key}-out", 0, 1, **overrides),
        condition(f"{key}-in", 1, 0, **overrides),
    )


def _approve(agreement: Agreement, actor: User, organisation: Organisation) -> None:
    agreement.refresh_from_db()
    version = agreement.current_version
    services.agreement_approve(
        actor=actor,
        agreement=agreement,
        version_number=version.number,
        conditions_hash=version.conditions_hash,
        organisation=organisation,
    )


def _shared(agreement: Agreement, actor: User) -> Agreement:
    agreement.refresh_from_db()
    services.agreement_share(
        actor=actor, agreement=agreement, version_number=agreement.current_version.number
    )
    return agreement


def _in_effect(agreement: Agreement, coordinator: User, partner_actor: User, partner) -> Agreement:
    """Share (the owner's approval) and approve for the partner."""
    _shared(agreement, coordinator)
    _approve(agreement, partner_actor, partner)
    agreement.refresh_from_db()
    return agreement


def _amend(agreement: Agreement, coordinator: User, key: str, summary: str, **changes) -> None:
    agreement.refresh_from_db()
    version = agreement.current_version
    current = next(c for c in version.content["conditions"] if c["key"] == key)
    services.condition_save(
        actor=coordinator,
        agreement=agreement,
        condition={**current, **changes},
        base_version=version.number,
        summary=summary,
    )


def seed_agreements(
    *,
    home: Organisation,
    organisations: dict[str, Organisation],
    partnerships: dict[str, Partnership],
    coordinator: User,
    partners: dict[str, User],
) -> dict[str, Agreement]:
    """Create the agreements that are missing; return all of them by a short name."""
    turia, savanna, sumida = organisations["turia"], organisations["savanna"], organisations["sumida"]
    table_bay = organisations["table-bay"]

    def draft() -> Agreement:
        return services.agreement_create(
            actor=coordinator,
            partnership=partnerships["sumida"],
            title="Aurora–Sumida double degree agreement",
            content=_both_ways(home, sumida, "dd", eqf_levels=[7], subject_areas=[{"isced_code": "0613"}]),
        )

    def shared() -> Agreement:
        agreement = services.agreement_create(
            actor=coordinator,
            partnership=partnerships["savanna"],
            title="Aurora–Savanna data science exchange",
            content=_both_ways(home, savanna, "ds", subject_areas=[{"isced_code": "0613"}]),
        )
        return _shared(agreement, coordinator)

    def one_side() -> Agreement:
        # Turia drafts and shares it, which is Turia's approval: it awaits the home university's.
        agreement = services.agreement_create(
            actor=partners["turia"],
            partnership=partnerships["turia"],
            owner=turia,
            title="Aurora–Turia traineeship agreement",
            content=_both_ways(home, turia, "tr", mobility_type="student_traineeship"),
        )
        return _shared(agreement, partners["turia"])

    def amended() -> Agreement:
        agreement = services.agreement_create(
            actor=coordinator,
            partnership=partnerships["climate"],
            title="Aurora–Table Bay student exchange",
            content=_both_ways(home, table_bay, "tb", subject_areas=[{"isced_code": "0521"}]),
        )
        _in_effect(agreement, coordinator, partners["table-bay"], table_bay)
        _amend(agreement, coordinator, "tb-in", "Three places a year from Table Bay.", mobilities_per_year=3)
        _in_effect(agreement, coordinator, partners["table-bay"], table_bay)
        _amend(
            agreement,
            coordinator,
            "tb-out",
            "Twelve months a year for Aurora's students, as Table Bay offered.",
            total_months_per_year="12",
        )
        agreement.refresh_from_db()
        return agreement

    def expiring() -> Agreement:
        agreement = services.agreement_create(
            actor=coordinator,
            partnership=partnerships["turia"],
            title="Aurora–Turia business studies agreement",
            content=_both_ways(home, turia, "bs", last_academic_year=year(0)),
        )
        agreement = _in_effect(agreement, coordinator, partners["turia"], turia)
        today = timezone.localdate()
        if agreement.ends_on and agreement.ends_on > today + expiry_window():
            # It ends with this academic year, which is further off than the reminders look early
            # in the year; the demo shows it as expiring in ten weeks whatever the day of seeding.
            Agreement.objects.filter(pk=agreement.pk).update(ends_on=today + dt.timedelta(days=70))
        return agreement

    def terminated() -> Agreement:
        agreement = services.agreement_create(
            actor=coordinator,
            partnership=partnerships["savanna"],
            title="Aurora–Savanna staff training agreement",
            content=_both_ways(home, savanna, "st", mobility_type="staff_training"),
        )
        _in_effect(agreement, coordinator, partners["savanna"], savanna)
        return services.agreement_terminate(
            actor=coordinator,
            agreement=agreement,
            reason="Replaced by the capacity-building partnership's own agreement.",
        )

    def over_ewp() -> Agreement:
        agreement = services.agreement_create(
            actor=coordinator,
            partnership=partnerships["turia"],
            title="Aurora–Turia education studies agreement (EWP)",
            content=_both_ways(home, turia, "ed", subject_areas=[{"isced_code": "0111"}]),
        )
        _shared(agreement, coordinator)
        agreement.refresh_from_db()
        theirs = agreement.current_version.content
        differing = [
            {**item, "mobilities_per_year": 3} if item["key"] == "ed-in" else item
            for item in theirs["conditions"]
        ]
        services.partner_copy_record(
            actor=None,
            agreement=agreement,
            organisation=turia,
            content={**theirs, "conditions": differing},
            source=PartnerCopySource.EWP,
            remote_id="turia-iia-2024-017",
            remote_hash="3f7a9c" * 10 + "0b1d",
        )
        return agreement

    planned: dict[str, tuple[str, Callable[[], Agreement]]] = {
        "draft": ("Aurora–Sumida double degree agreement", draft),
        "shared": ("Aurora–Savanna data science exchange", shared),
        "one_side": ("Aurora–Turia traineeship agreement", one_side),
        "amended": ("Aurora–Table Bay student exchange", amended),
        "expiring": ("Aurora–Turia business studies agreement", expiring),
        "terminated": ("Aurora–Savanna staff training agreement", terminated),
        "ewp": ("Aurora–Turia education studies agreement (EWP)", over_ewp),
    }
    found = {a.title: a for a in Agreement.objects.filter(title__in=[t for t, _ in planned.values()])}
    return {name: found.get(title) or make() for name, (title, make) in planned.items()}
