"""Which scopes a user may look at: 404 for any they may not see, as everywhere in Accord."""

from datetime import date

from django.utils.translation import gettext as _

from accord.accounts.access import is_platform_staff, organisation_ids_with_roles
from accord.accounts.choices import STAFF_ROLES
from accord.bips import selectors as bips
from accord.bips.models import Bip, BipPartner
from accord.core.errors import NotFound, ValidationFailed
from accord.evaluation.library import Period, Scope, ScopeKind
from accord.organisations.models import Organisation
from accord.partnerships import selectors as partnerships
from accord.partnerships.choices import MemberRole
from accord.reference.academic_years import current_academic_year

DEFAULT_YEARS = 5


def institutions_for(user) -> list[Organisation]:
    """The institutions whose dashboards the user is offered: where they hold a staff role (platform
    staff may open any by its address)."""
    return list(
        Organisation.objects.filter(pk__in=organisation_ids_with_roles(user, STAFF_ROLES)).order_by("name")
    )


def _institution(user, pk: int) -> Organisation:
    allowed = is_platform_staff(user) or pk in organisation_ids_with_roles(user, STAFF_ROLES)
    organisation = Organisation.objects.filter(pk=pk).first() if allowed else None
    if organisation is None:
        raise NotFound(_("No such institution."))
    return organisation


def scope_for_user(*, user, kind: str, pk: int | None) -> tuple[Scope, object | None]:
    """The scope and the record it is about (institution, partnership, programme), checked against
    what the user may see."""
    if kind == ScopeKind.INSTITUTION and pk is not None:
        organisation = _institution(user, pk)
        return Scope(kind, pk, pk, organisation.name), organisation
    if kind == ScopeKind.PARTNERSHIP and pk is not None:
        partnership = partnerships.get_partnership_for_user(user=user, pk=pk)
        coordinator = next(
            (m.organisation_id for m in partnership.members.all() if m.role == MemberRole.COORDINATOR), None
        )
        return Scope(kind, pk, coordinator, partnership.title), partnership
    if kind == ScopeKind.PROGRAMME and pk is not None:
        bip = bips.get_bip_for_user(user=user, pk=pk)
        # A participant sees the programme, but its figures are for the staff of its institutions.
        staff_of = organisation_ids_with_roles(user, STAFF_ROLES)
        institutions = {
            bip.coordinator_id,
            *BipPartner.objects.filter(bip=bip).values_list("organisation_id", flat=True),
        }
        if not (is_platform_staff(user) or staff_of & institutions):
            raise NotFound(_("No such dashboard."))
        return Scope(kind, pk, bip.coordinator_id, bip.title), bip
    if kind == ScopeKind.PORTFOLIO:
        if pk is None:
            if not is_platform_staff(user):
                raise NotFound(_("No such institution."))
            return Scope(kind, None, None, _("All partnerships")), None
        organisation = _institution(user, pk)
        return Scope(kind, pk, pk, organisation.name), organisation
    raise NotFound(_("No such dashboard."))


def period_from(first: int | None, last: int | None, today: date) -> Period:
    """The academic years asked for; by default the last five up to the current one. A period that
    ends before it starts is refused with a sentence on the field."""
    current = current_academic_year(today).start_year
    last = last if last is not None else current
    first = first if first is not None else last - DEFAULT_YEARS + 1
    if last < first:
        raise ValidationFailed(
            {
                "to_year": _("The period ends in %(last)s, before it starts in %(first)s.")
                % {"last": last, "first": first}
            }
        )
    return Period(first, last)


def programmes_of(*, user, organisation_id: int) -> list[Bip]:
    """The blended intensive programmes an institution coordinates or takes part in, as the user sees
    them: the programme dashboards the institution's dashboard links to."""
    return list(
        Bip.objects.for_user(user)
        .filter(pk__in=BipPartner.objects.filter(organisation_id=organisation_id).values("bip_id"))
        .order_by("title", "pk")
        .only("pk", "title")
    )
