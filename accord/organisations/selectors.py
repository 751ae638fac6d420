"""Reads from the organisation directory, always scoped to what the acting user may see."""

from typing import Any

from django.db.models import Count, Prefetch, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from accord.accounts.access import Action, is_member, may
from accord.core.errors import NotFound, PermissionDenied
from accord.organisations.choices import OrganisationKind
from accord.organisations.filters import OrganisationFilterForm
from accord.organisations.models import Contact, Factsheet, Organisation, OrganisationalUnit


def organisation_list(
    *, user, filters: dict | None = None
) -> tuple[QuerySet[Organisation], OrganisationFilterForm]:
    form = OrganisationFilterForm(filters or {})
    queryset = Organisation.objects.for_user(user, Action.VIEW).prefetch_related("languages", "fields")
    return form.filter_queryset(queryset), form


def get_organisation_for_user(*, user, pk: int, action: Action = Action.VIEW) -> Organisation:
    organisation = Organisation.objects.for_user(user, Action.VIEW).filter(pk=pk).first()
    if organisation is None:
        raise NotFound(_("No such organisation."))
    if action != Action.VIEW and not may(user, action, organisation.pk):
        raise PermissionDenied(_("You may see this organisation but not change it."))
    return organisation


def organisation_detail(*, user, pk: int) -> Organisation:
    return get_organisation_for_user(user=user, pk=pk)


def unit_tree(*, organisation: Organisation) -> list[tuple[OrganisationalUnit, int]]:
    """The units in depth-first order with their depth, from a single query."""
    units = list(organisation.units.all().order_by("name"))
    children: dict[int | None, list[OrganisationalUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered: list[tuple[OrganisationalUnit, int]] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in children.get(parent_id, []):
            ordered.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


def get_unit_for_user(*, user, organisation: Organisation, pk: int) -> OrganisationalUnit:
    unit = organisation.units.filter(pk=pk).first()
    if unit is None:
        raise NotFound(_("No such unit."))
    return unit


def contacts_visible(*, user, organisation: Organisation) -> QuerySet[Contact]:
    return (
        Contact.objects.for_user(user, Action.VIEW).filter(organisation=organisation).select_related("unit")
    )


def get_contact_for_user(*, user, organisation: Organisation, pk: int) -> Contact:
    contact = contacts_visible(user=user, organisation=organisation).filter(pk=pk).first()
    if contact is None:
        raise NotFound(_("No such contact."))
    return contact


def can_view_private(*, user, organisation: Organisation) -> bool:
    return may(user, Action.VIEW_PRIVATE, organisation.pk)


def organisation_permissions(*, user, organisation: Organisation) -> dict[str, bool]:
    return {
        "change": may(user, Action.CHANGE, organisation.pk),
        "manage": may(user, Action.MANAGE, organisation.pk),
        "view_private": may(user, Action.VIEW_PRIVATE, organisation.pk),
        "manage_members": may(user, Action.MANAGE_MEMBERS, organisation.pk),
        "member": is_member(user, organisation.pk),
    }


def countries_with_counts(*, user) -> list[dict]:
    return list(
        Organisation.objects.for_user(user, Action.VIEW)
        .values("country_code")
        .annotate(count=Count("pk"))
        .order_by("country_code")
    )


def organisation_profile(*, user, pk: int, action: Action = Action.VIEW) -> Organisation:
    """An organisation with everything its profile page and edit form show, in a constant number of
    queries (its networks, and for a network its members, come with their names and countries)."""
    organisation = get_organisation_for_user(user=user, pk=pk, action=action)
    related = Organisation.objects.only("pk", "name", "country_code", "kind").order_by("name")
    prefetch_related_objects(
        [organisation],
        "languages",
        "fields",
        "translations",
        Prefetch("networks", queryset=related),
        Prefetch("network_members", queryset=related),
    )
    return organisation


def network_choices(*, user) -> QuerySet[Organisation]:
    """Networks and consortia an organisation can be said to belong to."""
    return (
        Organisation.objects.for_user(user, Action.VIEW)
        .filter(kind=OrganisationKind.NETWORK)
        .only("pk", "name")
        .order_by("name")
    )


def organisation_map_points(*, user) -> QuerySet[Organisation, dict[str, Any]]:
    """Organisations with a known position, for the directory's map (pk, name, city and position)."""
    return (
        Organisation.objects.for_user(user, Action.VIEW)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .values("pk", "name", "city_name", "country_code", "latitude", "longitude")
        .order_by("name")
    )


def factsheet_of(*, user, organisation: Organisation) -> Factsheet | None:
    """The organisation's factsheet, or None when none is recorded (or the user may not see the
    organisation). It is public information: whoever may see the organisation may read it."""
    visible = Organisation.objects.for_user(user, Action.VIEW)
    return Factsheet.objects.filter(organisation=organisation, organisation__in=visible).first()


def get_factsheet_for_user(*, user, pk: int) -> Factsheet:
    factsheet = factsheet_of(user=user, organisation=get_organisation_for_user(user=user, pk=pk))
    if factsheet is None:
        raise NotFound(_("This organisation has not recorded a factsheet yet."))
    return factsheet
