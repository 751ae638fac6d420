"""Virtual exchange calls: open one, submit classes, fix or forbid pairs, pair the whole call."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import MANAGING_ROLES
from accord.algorithms.matching.matrix import assess_all
from accord.algorithms.matching.pair import assess
from accord.algorithms.matching.pairing import pair_call
from accord.core.concurrency import bump, lock, require_version
from accord.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from accord.core.events import publish
from accord.organisations.models import Organisation
from accord.virtual_exchange import events
from accord.virtual_exchange.choices import CallStatus, ConstraintKind, ProfileStatus, ProposalStatus
from accord.virtual_exchange.matching import reasons_of, to_core
from accord.virtual_exchange.models import CallConstraint, CallEntry, ClassProfile, Proposal, VeCall
from accord.virtual_exchange.querysets import VeAction
from accord.virtual_exchange.services._common import require_profile_change

TAKEN = (ProposalStatus.INVITED, ProposalStatus.ACCEPTED)


def require_manage(actor, call: VeCall) -> None:
    if not (
        is_platform_staff(actor) or call.organiser_id in organisation_ids_with_roles(actor, MANAGING_ROLES)
    ):
        raise PermissionDenied(_("Only admins and coordinators of the organiser can run this call."))


@transaction.atomic
def call_create(
    *, actor, organiser: Organisation, title: str, description: str = "", two_sided: bool = False
) -> VeCall:
    """A network or an institution opens a call; its admins and coordinators run it."""
    if not (is_platform_staff(actor) or organiser.pk in organisation_ids_with_roles(actor, MANAGING_ROLES)):
        raise PermissionDenied(_("Only admins and coordinators of the organiser can open its calls."))
    if not title.strip():
        raise ValidationFailed({"title": _("This field is required.")})
    return VeCall.objects.create(
        organiser=organiser,
        title=title.strip(),
        description=description.strip(),
        two_sided=two_sided,
        created_by=actor,
        updated_by=actor,
    )


@transaction.atomic
def call_close(*, actor, call: VeCall, expected_version: int | None = None) -> VeCall:
    require_manage(actor, call)
    lock(call)
    require_version(call, expected_version, ("status",))
    if call.status == CallStatus.CLOSED:
        raise Conflict(_("This call is already closed."))
    call.status = CallStatus.CLOSED
    call.save(update_fields=["status", *bump(call, actor)])
    return call


@transaction.atomic
def call_submit(*, actor, call: VeCall, profile: ClassProfile, side: int = 0) -> CallEntry:
    """A teacher submits their class to an open call they can see."""
    require_profile_change(actor, profile)
    if not VeCall.objects.for_user(actor, VeAction.VIEW).filter(pk=call.pk).exists():
        raise NotFound(_("No such call."))
    lock(call)
    if call.status != CallStatus.OPEN:
        raise Conflict(_("This call is closed."))
    errors = {}
    if profile.status != ProfileStatus.PUBLISHED:
        errors["profile_id"] = _("Only published classes can be submitted.")
    if side not in (0, 1) or (side == 1 and not call.two_sided):
        errors["side"] = _("Choose side 1 or 2 of a two-sided call (side 1 otherwise).")
    if CallEntry.objects.filter(call=call, profile=profile).exists():
        errors["profile_id"] = _("This class is already in the call.")
    if errors:
        raise ValidationFailed(errors)
    return CallEntry.objects.create(call=call, profile=profile, side=side, submitted_by=actor)


@transaction.atomic
def call_constraint_set(
    *, actor, call: VeCall, first: ClassProfile, second: ClassProfile, kind: str | None
) -> CallConstraint | None:
    """Fix or forbid a pair of the call's classes for the next run (``kind`` None: lift it)."""
    require_manage(actor, call)
    lock(call)
    entries = set(call.entries.values_list("profile_id", flat=True))
    errors = {}
    if first.pk not in entries or second.pk not in entries or first.pk == second.pk:
        errors["second_id"] = _("Choose two different classes of the call.")
    if kind is not None and kind not in ConstraintKind.values:
        errors["kind"] = _("Choose a fixed or a forbidden pair.")
    if kind == ConstraintKind.FIXED and not errors:
        if not assess(to_core(first), to_core(second)).feasible:
            errors["kind"] = _("This pair is not feasible; it cannot be fixed.")
        fixed = CallConstraint.objects.filter(call=call, kind=ConstraintKind.FIXED).exclude(
            first__in=[first, second], second__in=[first, second]
        )
        if (
            fixed.filter(first__in=[first, second]).exists()
            or fixed.filter(second__in=[first, second]).exists()
        ):
            errors["kind"] = _("One of these classes is already in a fixed pair.")
    if errors:
        raise ValidationFailed(errors)
    low, high = (first, second) if first.pk < second.pk else (second, first)
    CallConstraint.objects.filter(call=call, first=low, second=high).delete()
    if kind is None:
        return None
    return CallConstraint.objects.create(call=call, first=low, second=high, kind=kind)


@transaction.atomic
def call_match(*, actor, call: VeCall) -> VeCall:
    """Pair all the call's classes at once (again): its open proposals are replaced; pairs already
    invited or accepted stay as they are, and their classes are not paired again. A class left
    alone keeps the reason on its entry."""
    require_manage(actor, call)
    lock(call)
    taken = set()
    for first_id, second_id in Proposal.objects.filter(call=call, status__in=TAKEN).values_list(
        "first_id", "second_id"
    ):
        taken |= {first_id, second_id}
    entries = [
        entry
        for entry in call.entries.select_related("profile").order_by("pk")
        if entry.profile.status == ProfileStatus.PUBLISHED and entry.profile_id not in taken
    ]
    profiles = [entry.profile for entry in entries]
    position = {profile.pk: index for index, profile in enumerate(profiles)}
    Proposal.objects.filter(call=call, status=ProposalStatus.PROPOSED).delete()
    if len(profiles) >= 2:
        matrices = assess_all([to_core(profile) for profile in profiles])
        feasible = matrices.feasible
        constraints = [
            (position[c.first_id], position[c.second_id], c.kind)
            for c in call.constraints.all()
            if c.first_id in position and c.second_id in position
        ]
        pairing = pair_call(
            matrices.score,
            feasible,
            fixed=[(a, b) for a, b, kind in constraints if kind == ConstraintKind.FIXED and feasible[a, b]],
            forbidden=[(a, b) for a, b, kind in constraints if kind == ConstraintKind.FORBIDDEN],
            sides=[entry.side for entry in entries] if call.two_sided else None,
        )
        for a, b in pairing.pairs:
            first, second = (
                (profiles[a], profiles[b]) if profiles[a].pk < profiles[b].pk else (profiles[b], profiles[a])
            )
            if Proposal.objects.filter(first=first, second=second, status__in=TAKEN).exists():
                continue
            assessment = assess(to_core(first), to_core(second))
            Proposal.objects.create(
                call=call,
                first=first,
                second=second,
                score=assessment.score,
                reasons=reasons_of(assessment),
                updated_by=actor,
            )
        alone = set(pairing.alone)
        for index, entry in enumerate(entries):
            reason = matrices.why_alone(index) if index in alone else None
            entry.alone_reason = str(reason or "") if index in alone else ""
            entry.save(update_fields=["alone_reason"])
        call.matched_optimal = pairing.optimal
        pairs = len(pairing.pairs)
    else:
        for entry in entries:
            entry.alone_reason = "alone" if entries else ""
            entry.save(update_fields=["alone_reason"])
        call.matched_optimal = True
        pairs = 0
    call.matched_at = timezone.now()
    call.save(update_fields=["matched_at", "matched_optimal", *bump(call, actor)])
    publish(events.CallMatched(call, pairs=pairs))
    return call
