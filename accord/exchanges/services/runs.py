"""Allocation runs, overrides, publication, re-allocation and the partners' decisions on nominations.

The engine (:mod:`accord.algorithms.allocation.allocation`) sees only ids: applications are ``A<pk>``, places
``P<pk>``, shared quotas ``Q<agreement>-<condition key>``. The instance given to it is stored with
each run, so a run can be explained, checked for blocking pairs and re-allocated later exactly as
it was computed.
"""

import copy
from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.algorithms.allocation.allocation import (
    AllocationInputError,
    AllocationResult,
    allocate,
    find_blocking_pairs,
    instance_from_dict,
    reallocate,
)
from accord.algorithms.allocation.selection import eligibility, place_score
from accord.core.concurrency import bump
from accord.core.errors import Conflict, ValidationFailed
from accord.exchanges import notifications
from accord.exchanges.choices import (
    ACTIVE_NOMINATIONS,
    ApplicationStatus,
    CallStatus,
    EventKind,
    NominationStatus,
    RunKind,
)
from accord.exchanges.models import (
    AllocationRun,
    Application,
    ApplicationChoice,
    Assignment,
    Call,
    CallPlace,
    Nomination,
)
from accord.exchanges.scoring import profile_of, requirements_of, rules_of, weights_of
from accord.exchanges.services.calls import _transition, event, lock, require_manage
from accord.exchanges.services.nominations_ewp import (
    nomination_mobility_cancel,
    nomination_mobility_create,
    partners_on_network,
)


def _application_pk(engine_id: str) -> int:
    return int(engine_id[1:])


def build_instance(call: Call) -> dict[str, Any]:
    """The engine's input for ``call``: its places (with shared quotas and reserved seats) and its
    submitted applications, scored, with the reason for every choice they are not eligible for."""
    places = list(call.places.all())
    shared = Counter((p.agreement_id, p.condition_key) for p in places if p.agreement_id and p.shared_cap)
    quotas: dict[str, dict[str, Any]] = {}
    place_items = []
    for place in places:
        item: dict[str, Any] = {
            "id": place.engine_id,
            "capacity": place.capacity,
            "reserved": min(place.reserved, place.capacity),
            "name": place.name,
        }
        if place.agreement_id and place.shared_cap and shared[(place.agreement_id, place.condition_key)] > 1:
            quota_id = f"Q{place.agreement_id}-{place.condition_key}"
            quotas[quota_id] = {"id": quota_id, "capacity": place.shared_cap, "name": place.name}
            item["quota"] = quota_id
        place_items.append(item)
    weights, rules = weights_of(call), rules_of(call)
    applications = (
        call.applications.filter(status=ApplicationStatus.SUBMITTED)
        .select_related("call")
        .prefetch_related(
            Prefetch("choices", queryset=ApplicationChoice.objects.select_related("place").order_by("rank")),
            "reviews",
        )
        .order_by("pk")
    )
    applicants = []
    for application in applications:
        profile = profile_of(application, [float(review.score) for review in application.reviews.all()])
        overall = place_score(profile, weights, None)
        place_scores, ineligible = {}, {}
        for choice in application.choices.all():
            score = place_score(profile, weights, choice.place.language or None)
            if score != overall:
                place_scores[choice.place.engine_id] = score
            reason = eligibility(profile, requirements_of(choice.place), rules)
            if reason:
                ineligible[choice.place.engine_id] = reason
        applicants.append(
            {
                "id": application.engine_id,
                "score": overall,
                "preferences": [choice.place.engine_id for choice in application.choices.all()],
                "place_scores": place_scores,
                "priority": application.priority,
                "ineligible": ineligible,
            }
        )
    return {
        "places": place_items,
        "quotas": list(quotas.values()),
        "applicants": applicants,
        "tie_break_seed": call.tie_break_seed,
    }


def latest_run(call: Call) -> AllocationRun | None:
    return call.runs.order_by("-number").first()


def _store(
    call: Call, instance: dict[str, Any], result: AllocationResult, *, actor, kind: str, previous=None
) -> AllocationRun:
    run = AllocationRun.objects.create(
        call=call,
        number=(latest.number + 1) if (latest := latest_run(call)) else 1,
        kind=kind,
        previous=previous,
        instance=instance,
        result=result.to_dict(),
        created_by=actor,
    )
    places = {place.engine_id: place for place in call.places.all()}
    applicants = {item["id"]: item for item in instance["applicants"]}
    kept_overrides = {}
    if previous is not None:
        kept_overrides = {a.application_id: a for a in previous.assignments.exclude(overridden_at=None)}
    rows = []
    for applicant_id, place_id in result.assignments.items():
        applicant = applicants[applicant_id]
        application_pk = _application_pk(applicant_id)
        row = Assignment(
            run=run,
            application_id=application_pk,
            place=places.get(place_id) if place_id else None,
            choice_rank=applicant["preferences"].index(place_id) + 1 if place_id else None,
            score=applicant["place_scores"].get(place_id, applicant["score"])
            if place_id
            else applicant["score"],
            explanation=result.explanations[applicant_id],
        )
        override = kept_overrides.get(application_pk)
        if override is not None and override.place_id == row.place_id:
            row.explanation = override.explanation
            row.overridden_by_id, row.override_reason = override.overridden_by_id, override.override_reason
            row.overridden_at = override.overridden_at
        rows.append(row)
    Assignment.objects.bulk_create(rows)
    return run


@transaction.atomic
def allocation_run(*, actor, call: Call) -> AllocationRun:
    """Allocate the places of a closed call; running again (before publishing) replaces the result."""
    require_manage(actor, call)
    call = lock(call)
    if call.status in {CallStatus.DRAFT, CallStatus.OPEN}:
        raise Conflict(
            _("The call is still %(status)s: close it before allocating, so that nobody applies meanwhile.")
            % {"status": call.get_status_display().lower()},
            code="call_not_closed",
            field="status",
        )
    if call.status == CallStatus.PUBLISHED:
        raise Conflict(
            _("The allocation is published: re-allocate, so that nobody published loses their place."),
            code="call_published",
            field="status",
        )
    instance = build_instance(call)
    if not instance["applicants"]:
        raise ValidationFailed({"applications": [_("No submitted application to allocate.")]})
    try:
        result = allocate(instance_from_dict(instance))
    except AllocationInputError as exc:
        raise ValidationFailed({"places": [str(exc)]}) from exc
    _transition(call, CallStatus.ALLOCATED)
    call.save(update_fields=["status", *bump(call, actor)])
    run = _store(call, instance, result, actor=actor, kind=RunKind.ALLOCATION)
    event(
        call,
        EventKind.ALLOCATED,
        actor,
        _("Run %(n)s: %(assigned)s assigned, %(unassigned)s not")
        % {"n": run.number, "assigned": result.stats.assigned, "unassigned": result.stats.unassigned},
    )
    return run


def _require_current_unpublished(call: Call, run: AllocationRun) -> None:
    """Called with ``call`` locked: the run is read again, since a copy read before the lock may not
    know that a concurrent request published it meanwhile."""
    run.refresh_from_db(fields=["published_at", "published_by"])
    current = latest_run(call)
    if current is None or current.pk != run.pk:
        raise Conflict(_("A newer run exists; work on that one."), code="stale_run", field="run")
    if run.published_at is not None:
        raise Conflict(
            _("This run is published; re-allocate to change it."), code="run_published", field="run"
        )


def _student_name(application: Application) -> str:
    return application.student.get_full_name() or application.student.username


def blocking_pairs_of(run: AllocationRun) -> list[dict[str, Any]]:
    """What the run's assignment (with overrides) breaks: applicant-place pairs that would both
    rather be together, in plain language."""
    assignments = list(run.assignments.select_related("application__student", "place"))
    taking_part = {a.application.engine_id for a in assignments}
    instance = copy.deepcopy(run.instance)
    instance["applicants"] = [item for item in instance["applicants"] if item["id"] in taking_part]
    by_engine = {a.application.engine_id: a for a in assignments}
    places = {p.engine_id: p for p in run.call.places.all()}
    pairs = find_blocking_pairs(
        instance_from_dict(instance),
        {a.application.engine_id: a.place.engine_id if a.place else None for a in assignments},
    )
    described = []
    for pair in pairs:
        holder = by_engine[pair.applicant]
        place = places[pair.place]
        displaced = [_student_name(by_engine[other].application) for other in pair.displaced]
        current = holder.place.name if holder.place else _("no place")
        outcome = (
            _("would admit them in place of %(names)s") % {"names": ", ".join(displaced)}
            if displaced
            else _("has a free seat for them")
        )
        described.append(
            {
                "application": holder.application_id,
                "student": _student_name(holder.application),
                "place": place.pk,
                "place_name": place.name,
                "choice_rank": pair.choice_rank,
                "displaced": displaced,
                "description": _(
                    "%(student)s prefers %(place)s (choice %(rank)s) to %(current)s, "
                    "and %(place)s %(outcome)s."
                )
                % {
                    "student": _student_name(holder.application),
                    "place": place.name,
                    "rank": pair.choice_rank,
                    "current": current,
                    "outcome": outcome,
                },
            }
        )
    return described


@transaction.atomic
def assignment_override(
    *, actor, run: AllocationRun, application: Application, place: CallPlace | None, reason: str
) -> Assignment:
    """Put an applicant somewhere else (or nowhere) by hand, with a logged reason; the run then lists
    the blocking pairs this creates so the coordinator sees whom it treats unfairly."""
    require_manage(actor, run.call)
    call = lock(run.call)
    _require_current_unpublished(call, run)
    if not reason.strip():
        raise ValidationFailed({"reason": [_("Give the reason for the override; it is kept in the log.")]})
    assignment = run.assignments.select_for_update().filter(application=application).first()
    if assignment is None:
        raise ValidationFailed({"application": [_("This application took no part in the run.")]})
    if place is not None:
        if place.call_id != call.pk:
            raise ValidationFailed({"place": [_("Choose a place of this call.")]})
        taken = run.assignments.filter(place=place).exclude(pk=assignment.pk).count()
        if taken >= place.capacity:
            raise ValidationFailed(
                {
                    "place": [
                        _("%(place)s is full (%(taken)s of %(capacity)s seats): raise its capacity first.")
                        % {"place": place.name, "taken": taken, "capacity": place.capacity}
                    ]
                }
            )
    applicant = next(item for item in run.instance["applicants"] if item["id"] == application.engine_id)
    assignment.place = place
    if place is not None and place.engine_id in applicant["preferences"]:
        assignment.choice_rank = applicant["preferences"].index(place.engine_id) + 1
    else:
        assignment.choice_rank = None
    if place is not None:
        assignment.score = applicant["place_scores"].get(place.engine_id, applicant["score"])
        assignment.explanation = _("The coordinator assigned you to %(place)s: %(reason)s") % {
            "place": place.name,
            "reason": reason.strip(),
        }
    else:
        assignment.explanation = _("The coordinator withdrew your place: %(reason)s") % {
            "reason": reason.strip()
        }
    assignment.overridden_by = actor
    assignment.override_reason = reason.strip()
    assignment.overridden_at = timezone.now()
    assignment.save()
    run.blocking_pairs = blocking_pairs_of(run)
    run.save(update_fields=["blocking_pairs"])
    event(
        call,
        EventKind.OVERRIDDEN,
        actor,
        _("%(student)s to %(place)s: %(reason)s")
        % {
            "student": _student_name(application),
            "place": place.name if place else _("no place"),
            "reason": reason.strip(),
        },
    )
    return assignment


def run_publish(*, actor, run: AllocationRun) -> AllocationRun:
    """Publish the run: applicants are told their result, assigned students are nominated to the
    receiving partners (nominations whose place changed are cancelled and replaced)."""
    require_manage(actor, run.call)
    return _publish(actor=actor, run=run, on_network=partners_on_network(run))


@transaction.atomic
def _publish(*, actor, run: AllocationRun, on_network: set[int]) -> AllocationRun:
    call = lock(run.call)
    _require_current_unpublished(call, run)
    _transition(call, CallStatus.PUBLISHED)
    call.save(update_fields=["status", *bump(call, actor)])
    previous = call.runs.exclude(published_at=None).order_by("-number").first()
    before = dict(previous.assignments.values_list("application_id", "place_id")) if previous else {}
    run.published_at, run.published_by = timezone.now(), actor
    run.save(update_fields=["published_at", "published_by"])
    active = {
        n.application_id: n
        for n in Nomination.objects.select_for_update().filter(
            # A subquery rather than a join, so that only the nominations are locked, not their applications.
            application_id__in=Application.objects.filter(call=call).values("pk"),
            status__in=ACTIVE_NOMINATIONS,
        )
    }
    changed, nominated = [], []
    for assignment in run.assignments.all():
        if (
            assignment.application_id not in before
            or before[assignment.application_id] != assignment.place_id
        ):
            changed.append(assignment.application_id)
        current = active.get(assignment.application_id)
        if current is not None and current.place_id == assignment.place_id:
            continue
        if current is not None:
            current.status, current.reason = (
                NominationStatus.CANCELLED,
                _("The re-allocation changed the place."),
            )
            current.decided_at = timezone.now()
            current.save(update_fields=["status", "reason", "decided_at"])
            nomination_mobility_cancel(actor=actor, nomination=current, reason=current.reason)
        if assignment.place_id is not None:
            nomination = Nomination.objects.create(
                application_id=assignment.application_id, place_id=assignment.place_id, run=run
            )
            nomination_mobility_create(
                actor=actor,
                nomination=nomination,
                on_network=nomination.place.receiving_organisation_id in on_network,
            )
            nominated.append(nomination.pk)
    event(call, EventKind.PUBLISHED, actor, _("Run %(n)s") % {"n": run.number})
    transaction.on_commit(lambda: notifications.applicants_published(run.pk, changed))
    transaction.on_commit(lambda: notifications.partners_nominated(nominated))
    return run


@transaction.atomic
def reallocation_run(*, actor, call: Call) -> AllocationRun:
    """Allocate again after the published run: withdrawn and excluded applicants leave, students a
    partner rejected lose that place (the reason is shown to them) and move on to their other
    choices, added capacity is used, and everyone else keeps a place at least as good as before.

    Applications submitted or reviewed after the first run are not taken into account: the run's
    stored input is the basis, so that nobody's published result can get worse.
    """
    require_manage(actor, call)
    call = lock(call)
    base = latest_run(call)
    if base is None or base.published_at is None:
        raise Conflict(
            _("Re-allocation follows a published allocation; until then, run the allocation again."),
            code="not_published",
            field="status",
        )
    instance = copy.deepcopy(base.instance)
    statuses = dict(call.applications.values_list("pk", "status"))
    withdrawn = [
        item["id"]
        for item in instance["applicants"]
        if statuses.get(_application_pk(item["id"])) != ApplicationStatus.SUBMITTED
    ]
    held = dict(base.assignments.values_list("application_id", "place_id"))
    rejected = {
        (n.application_id, n.place_id): n
        for n in Nomination.objects.filter(
            application__call=call, status=NominationStatus.REJECTED
        ).select_related("place__receiving_organisation")
    }
    losing = set()
    for item in instance["applicants"]:
        pk = _application_pk(item["id"])
        for (application_pk, place_pk), nomination in rejected.items():
            if application_pk == pk:
                item.setdefault("ineligible", {})[f"P{place_pk}"] = _(
                    "%(partner)s declined your nomination: %(reason)s"
                ) % {"partner": nomination.place.receiving_organisation.name, "reason": nomination.reason}
                if held.get(pk) == place_pk:
                    losing.add(pk)
    previous = {f"A{pk}": f"P{place}" if place else None for pk, place in held.items() if pk not in losing}
    capacities = dict(call.places.values_list("pk", "capacity"))
    added = {}
    for item in instance["places"]:
        now = capacities.get(int(item["id"][1:]), item["capacity"])
        if now > item["capacity"]:
            added[item["id"]] = now - item["capacity"]
            item["capacity"] = now
    try:
        original = copy.deepcopy(instance)
        for item in original["places"]:
            item["capacity"] -= added.get(item["id"], 0)
        result = reallocate(instance_from_dict(original), previous, withdrawn, added_capacity=added)
    except AllocationInputError as exc:
        raise Conflict(str(exc), code="reallocation_impossible") from exc
    _transition(call, CallStatus.ALLOCATED)
    call.save(update_fields=["status", *bump(call, actor)])
    run = _store(call, instance, result, actor=actor, kind=RunKind.REALLOCATION, previous=base)
    event(
        call,
        EventKind.REALLOCATED,
        actor,
        _("Run %(n)s after run %(base)s") % {"n": run.number, "base": base.number},
    )
    return run


def declined_awaiting_offer(call: Call) -> list[Nomination]:
    """The nominations partners declined since the last publication: each frees a place that the
    next student on the waiting list may be offered."""
    published = call.runs.exclude(published_at=None).order_by("-number").first()
    if published is None:
        return []
    return list(
        Nomination.objects.filter(
            application__call=call, status=NominationStatus.REJECTED, decided_at__gte=published.published_at
        ).select_related("application__student", "place__receiving_organisation")
    )


def next_student_offer(*, actor, call: Call) -> AllocationRun:
    """One click after a partner declined: re-allocate (the next student on the waiting list takes
    the freed place, nobody else loses theirs) and publish, which tells the students whose result
    changed and nominates the next student to the partner."""
    require_manage(actor, call)
    if not declined_awaiting_offer(call):
        raise Conflict(
            _("No partner declined a nomination since the last publication: there is no place to offer."),
            code="nothing_declined",
        )
    run = reallocation_run(actor=actor, call=call)
    return run_publish(actor=actor, run=run)
