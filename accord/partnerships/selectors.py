"""Reads of partnerships, always scoped to what the acting user may see."""

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accord.accounts.choices import STAFF_ROLES
from accord.accounts.models import User
from accord.core.errors import NotFound, PermissionDenied, ValidationFailed
from accord.organisations.models import Contact, Organisation
from accord.partnerships.choices import ALLOWED_TRANSITIONS, ActionItemStatus, PartnershipStatus
from accord.partnerships.filters import PartnershipFilterForm
from accord.partnerships.models import (
    ActionItem,
    Decision,
    Indicator,
    IndicatorActual,
    IndicatorTarget,
    Meeting,
    Objective,
    Partnership,
    PartnershipMember,
    PartnershipTransition,
)
from accord.partnerships.progress import progress_fraction
from accord.partnerships.querysets import PartnershipAction, partnership_may

MEMBERS = Prefetch(
    "members",
    queryset=PartnershipMember.objects.select_related("organisation").only(
        "id",
        "partnership_id",
        "role",
        "version",  # the role forms carry it
        "organisation__id",
        "organisation__name",
        "organisation__country_code",
    ),
)

REFUSALS = {
    PartnershipAction.CONTRIBUTE: gettext_lazy("You may see this partnership but not add to its record."),
    PartnershipAction.CHANGE: gettext_lazy("You may see this partnership but not change it."),
}


def partnership_list(
    *, user, filters: dict | None = None
) -> tuple[QuerySet[Partnership], PartnershipFilterForm]:
    form = PartnershipFilterForm(filters or {})
    queryset = Partnership.objects.for_user(user, PartnershipAction.VIEW).prefetch_related(MEMBERS)
    return form.filter_queryset(queryset), form


def get_partnership_for_user(
    *, user, pk: int, action: PartnershipAction = PartnershipAction.VIEW
) -> Partnership:
    """The partnership if the user may see it (else NotFound) and, beyond viewing, act on it."""
    partnership = (
        Partnership.objects.for_user(user, PartnershipAction.VIEW)
        .prefetch_related(
            MEMBERS, Prefetch("responsible_contacts", Contact.objects.select_related("organisation"))
        )
        .filter(pk=pk)
        .first()
    )
    if partnership is None:
        raise NotFound(_("No such partnership."))
    if action != PartnershipAction.VIEW and not partnership_may(user, action, partnership):
        raise PermissionDenied(REFUSALS[action])
    return partnership


def allowed_next_statuses(*, partnership: Partnership) -> tuple[str, ...]:
    return ALLOWED_TRANSITIONS.targets(partnership.status)


def partnership_permissions(*, user, partnership: Partnership) -> dict[str, bool]:
    return {
        "contribute": partnership_may(user, PartnershipAction.CONTRIBUTE, partnership),
        "change": partnership_may(user, PartnershipAction.CHANGE, partnership),
    }


def organisations_by_id(*, user, ids: list[int], field: str) -> dict[int, Organisation]:
    """Directory organisations for the given ids; an unknown id is a validation error on ``field``."""
    found = Organisation.objects.for_user(user).in_bulk(set(ids))
    if missing := sorted(set(ids) - set(found)):
        raise ValidationFailed({field: _("No organisation with id %(missing)s.") % {"missing": missing[0]}})
    return found


def contacts_by_id(*, user, ids: list[int]) -> list[Contact]:
    """Contacts the user may see; the services then check that they work at member organisations."""
    found = Contact.objects.for_user(user).select_related("organisation").in_bulk(set(ids))
    if missing := sorted(set(ids) - set(found)):
        raise ValidationFailed(
            {"responsible_contacts": _("No contact with id %(missing)s.") % {"missing": missing[0]}}
        )
    return [found[pk] for pk in dict.fromkeys(ids)]


def partnership_people(*, partnership: Partnership) -> QuerySet[User]:
    """People who may own objectives and action items, or attend meetings: staff of member organisations."""
    return User.objects.filter(
        is_active=True,
        memberships__organisation__partnership_memberships__partnership=partnership,
        memberships__role__in=STAFF_ROLES,
    ).distinct()


def people_by_id(*, partnership: Partnership, ids: list[int], field: str) -> list[User]:
    found = partnership_people(partnership=partnership).in_bulk(set(ids))
    if missing := sorted(set(ids) - set(found)):
        raise ValidationFailed(
            {
                field: _("User %(missing)s does not work at any of this partnership's organisations.")
                % {"missing": missing[0]}
            }
        )
    return [found[pk] for pk in dict.fromkeys(ids)]


def member_for(*, partnership: Partnership, pk: int) -> PartnershipMember:
    for member in partnership.members.all():
        if member.pk == pk:
            return member
    raise NotFound(_("No such member."))


def transition_history(*, partnership: Partnership) -> QuerySet[PartnershipTransition]:
    return partnership.transitions.select_related("actor").order_by("at", "pk")


def objectives_with_indicators(*, partnership: Partnership) -> QuerySet[Objective]:
    """Objectives with their indicators, targets and actuals, in four queries whatever their number."""
    return partnership.objectives.select_related("owner").prefetch_related(
        Prefetch(
            "indicators",
            queryset=Indicator.objects.prefetch_related(
                Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year")),
                Prefetch("actuals", queryset=IndicatorActual.objects.order_by("year")),
            ),
        )
    )


def objective_for(*, partnership: Partnership, pk: int) -> Objective:
    objective = partnership.objectives.filter(pk=pk).first()
    if objective is None:
        raise NotFound(_("No such objective."))
    return objective


def indicator_for(*, partnership: Partnership, pk: int) -> Indicator:
    indicator = (
        Indicator.objects.filter(objective__partnership=partnership, pk=pk)
        .select_related("objective")
        .first()
    )
    if indicator is None:
        raise NotFound(_("No such indicator."))
    return indicator


def target_for(*, partnership: Partnership, pk: int) -> IndicatorTarget:
    target = (
        IndicatorTarget.objects.filter(indicator__objective__partnership=partnership, pk=pk)
        .select_related("indicator__objective")
        .first()
    )
    if target is None:
        raise NotFound(_("No such target."))
    return target


def actual_for(*, partnership: Partnership, pk: int) -> IndicatorActual:
    actual = (
        IndicatorActual.objects.filter(indicator__objective__partnership=partnership, pk=pk)
        .select_related("indicator__objective")
        .first()
    )
    if actual is None:
        raise NotFound(_("No such figure."))
    return actual


def objective_progress(*, partnership: Partnership) -> list[dict]:
    """For each indicator, per year that has a target or a figure: baseline, target, actual and the
    fraction of the way from baseline to target covered (see ``progress.progress_fraction``)."""
    rows = []
    for objective in objectives_with_indicators(partnership=partnership):
        for indicator in objective.indicators.all():
            targets = {t.year: t.target_value for t in indicator.targets.all()}
            actuals = {a.year: a.value for a in indicator.actuals.all()}
            years = [
                {
                    "year": year,
                    "target": targets.get(year),
                    "actual": actuals.get(year),
                    "progress": progress_fraction(
                        direction=indicator.direction,
                        baseline=indicator.baseline_value,
                        target=targets.get(year),
                        actual=actuals.get(year),
                    ),
                }
                for year in sorted(targets.keys() | actuals.keys())
            ]
            rows.append(
                {
                    "objective_id": objective.pk,
                    "objective": objective.title,
                    "indicator_id": indicator.pk,
                    "indicator": indicator.name,
                    "unit": indicator.unit,
                    "direction": indicator.direction,
                    "baseline_value": indicator.baseline_value,
                    "baseline_year": indicator.baseline_year,
                    "years": years,
                }
            )
    return rows


def meetings(*, partnership: Partnership) -> QuerySet[Meeting]:
    return partnership.meetings.prefetch_related("attendees")


def meeting_for(*, partnership: Partnership, pk: int) -> Meeting:
    meeting = partnership.meetings.filter(pk=pk).first()
    if meeting is None:
        raise NotFound(_("No such meeting."))
    return meeting


def optional_meeting(*, partnership: Partnership, pk: int | None) -> Meeting | None:
    """A meeting named in a payload: one of this partnership's, or a validation error."""
    if pk is None:
        return None
    meeting = partnership.meetings.filter(pk=pk).first()
    if meeting is None:
        raise ValidationFailed({"meeting_id": _("No such meeting in this partnership.")})
    return meeting


def decisions(*, partnership: Partnership) -> QuerySet[Decision]:
    return partnership.decisions.all()


def decision_for(*, partnership: Partnership, pk: int) -> Decision:
    decision = partnership.decisions.filter(pk=pk).first()
    if decision is None:
        raise NotFound(_("No such decision."))
    return decision


def action_items(*, partnership: Partnership, status: str | None = None) -> QuerySet[ActionItem]:
    items = partnership.action_items.select_related("owner")
    return items.filter(status=status) if status else items


def action_item_for(*, partnership: Partnership, pk: int) -> ActionItem:
    item = partnership.action_items.filter(pk=pk).first()
    if item is None:
        raise NotFound(_("No such action item."))
    return item


def overdue_action_items(*, today: date, user=None) -> QuerySet[ActionItem]:
    """Open items past their due date, in partnerships that are not closed.

    With a ``user``, only those in partnerships the user may see; without one, all of them (for the
    reminders, which act for the platform).
    """
    items = ActionItem.objects.filter(status=ActionItemStatus.OPEN, due_date__lt=today, owner__isnull=False)
    items = items.exclude(partnership__status=PartnershipStatus.CLOSED)
    if user is not None:
        items = items.filter(partnership__in=Partnership.objects.for_user(user, PartnershipAction.VIEW))
    return items.select_related("partnership", "owner").order_by("due_date", "pk")
