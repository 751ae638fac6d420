"""The agreement document checked against the directory, and helpers to present its changes.

:func:`accord.algorithms.agreements.content.parse_content` knows the rules of the document itself; this
module adds what only the database knows: that every partner is a member organisation of the
partnership, that units belong to their organisation, and what the partners' hei-ids are.
"""

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from accord.algorithms.agreements.content import (
    AgreementContent,
    AgreementContentError,
    Change,
    Match,
    content_from_dict,
    diff_contents,
    parse_content,
)
from accord.core.errors import ValidationFailed
from accord.organisations.models import Organisation, OrganisationalUnit
from accord.reference.academic_years import parse_academic_year

_MAX_DESCRIBED_CHANGES = 5


def validated_content(
    document: dict[str, Any], partnership, *, owner_id: int
) -> tuple[AgreementContent, list[int]]:
    """The parsed content with hei-ids filled in from the directory, and the parties' organisation ids.

    Raises :class:`ValidationFailed` with every problem under the path of its field.
    """
    try:
        content = parse_content(document)
    except AgreementContentError as error:
        raise ValidationFailed(error.errors) from None
    members = {member.organisation_id: member.organisation for member in partnership.members.all()}
    errors: dict[str, list[str]] = {}
    partners = []
    organisation_ids: list[int] = []
    for index, partner in enumerate(content.partners):
        path = f"partners[{index}]"
        organisation = (
            members.get(int(partner.organisation_ref)) if partner.organisation_ref.isdigit() else None
        )
        if organisation is None:
            errors[f"{path}.organisation_ref"] = [
                _("Choose an organisation that is a member of the partnership.")
            ]
            partners.append(partner)
            continue
        organisation_ids.append(organisation.pk)
        hei_id = partner.hei_id or organisation.schac_code
        if partner.hei_id and organisation.schac_code and partner.hei_id != organisation.schac_code.lower():
            errors[f"{path}.hei_id"] = [
                _("%(organisation)s has the hei-id %(schac_code)s.")
                % {"organisation": organisation, "schac_code": organisation.schac_code}
            ]
        partners.append(dataclasses.replace(partner, hei_id=hei_id))
    if owner_id not in organisation_ids and not errors:
        errors["partners"] = [_("The organisation that drafts the agreement must be one of its partners.")]
    units = _units(content, partners)
    # One query for every unit named, with the organisation each belongs to.
    unit_owners = dict(
        OrganisationalUnit.objects.filter(
            pk__in=[int(ref) for _index, ref in units.values() if ref.isdigit()]
        ).values_list("pk", "organisation_id")
    )
    for path, (partner_index, unit_ref) in units.items():
        organisation_id = _organisation_id(partners[partner_index])
        if organisation_id is None:
            continue
        if not unit_ref.isdigit() or unit_owners.get(int(unit_ref)) != organisation_id:
            errors[path] = [_("Choose an organisational unit of this partner.")]
    if errors:
        raise ValidationFailed(errors)
    return dataclasses.replace(content, partners=tuple(partners)), organisation_ids


def with_directory_hei_ids(content: AgreementContent) -> AgreementContent:
    """The content with each partner Accord knows by id given its SCHAC code where it names none."""
    schac = dict(
        Organisation.objects.filter(
            pk__in=[pk for partner in content.partners if (pk := _organisation_id(partner))]
        ).values_list("pk", "schac_code")
    )
    partners = tuple(
        dataclasses.replace(partner, hei_id=partner.hei_id or schac.get(_organisation_id(partner)))
        for partner in content.partners
    )
    return dataclasses.replace(content, partners=partners)


def _organisation_id(partner) -> int | None:
    return int(partner.organisation_ref) if partner.organisation_ref.isdigit() else None


def _units(content: AgreementContent, partners) -> dict[str, tuple[int, str]]:
    units = {
        f"partners[{index}].unit_ref": (index, partner.unit_ref)
        for index, partner in enumerate(partners)
        if partner.unit_ref
    }
    for index, condition in enumerate(content.conditions):
        if condition.sending_unit_ref:
            units[f"conditions[{index}].sending_unit_ref"] = (
                condition.sending_partner,
                condition.sending_unit_ref,
            )
        if condition.receiving_unit_ref:
            units[f"conditions[{index}].receiving_unit_ref"] = (
                condition.receiving_partner,
                condition.receiving_unit_ref,
            )
    return units


def academic_year_end(label: str) -> date:
    """The last day of an academic year: the eve of the next one's start."""
    year = parse_academic_year(label)
    return date(year.end_year, settings.ACCORD_ACADEMIC_YEAR_START_MONTH, 1) - timedelta(days=1)


def content_ends_on(content: AgreementContent) -> date | None:
    """The day the agreement ends: the end of the latest last academic year of its conditions."""
    if not content.conditions:
        return None
    last = max((condition.last_academic_year for condition in content.conditions), key=parse_academic_year)
    return academic_year_end(last)


def changes_as_json(changes: Sequence[Change]) -> list[dict[str, Any]]:
    """Changes as events store them: the English label, without the parts pages translate."""
    return [
        {
            field.name: getattr(change, field.name)
            for field in dataclasses.fields(change)
            if field.name != "where"
        }
        for change in changes
    ]


def diff_documents_named(
    old: Mapping[str, Any], new: Mapping[str, Any], *, match: Match = "key"
) -> list[Change]:
    """The changes from one stored document to another, with partners named as the directory names them."""
    old_content, new_content = content_from_dict(old), content_from_dict(new)
    return diff_contents(
        old_content, new_content, partner_names=partner_names(old_content, new_content), match=match
    )


def partner_names(*contents: AgreementContent) -> dict[str, str]:
    ids = {
        int(partner.organisation_ref)
        for content in contents
        for partner in content.partners
        if partner.organisation_ref.isdigit()
    }
    return {str(pk): name for pk, name in Organisation.objects.filter(pk__in=ids).values_list("pk", "name")}


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def change_text(change: Change) -> str:
    """One change in words: "Condition 1 (…): mobilities per year: 2 → 3"."""
    if change.kind == "added":
        return f"{change.label} added"
    if change.kind == "removed":
        return f"{change.label} removed"
    if _scalar(change.old) and _scalar(change.new):
        return f"{change.label}: {_shown(change.old)} → {_shown(change.new)}"
    return f"{change.label} changed"


def _shown(value: Any) -> str:
    return "—" if value in (None, "") else str(value)


def describe_changes(changes: Sequence[Change]) -> str:
    """A one-line summary of changes for messages: the first few, and how many more."""
    if not changes:
        return "nothing in the content (only its record)"
    texts = [change_text(change) for change in changes[:_MAX_DESCRIBED_CHANGES]]
    more = len(changes) - len(texts)
    return "; ".join(texts) + (f"; and {more} more" if more else "")
