"""Where a call's places come from: the owner's outgoing cooperation conditions in effect.

Read straight from the agreements' tables (the agreements app offers no such selector), and from the
version every party approved: a pending amendment does not count until it is approved.
"""

from dataclasses import dataclass

from accord.agreements.choices import AgreementStatus
from accord.agreements.models import Agreement
from accord.algorithms.agreements.content import condition_years, content_from_dict
from accord.exchanges.choices import CONDITION_TYPES
from accord.organisations.models import Organisation


@dataclass(frozen=True)
class OfferedCondition:
    """One outgoing condition of an agreement in effect, resolved to Accord organisations."""

    agreement: Agreement
    condition_key: str
    receiving: Organisation
    mobilities_per_year: int
    language: str
    min_cefr: str
    isced_codes: tuple[str, ...]
    eqf_levels: tuple[int, ...]


def _organisation(reference: str, by_pk: dict[str, Organisation], by_schac: dict[str, Organisation]):
    # A partner is named by Accord id, or by SCHAC code when Accord did not hold it when drafted.
    return by_pk.get(reference) or by_schac.get(reference)


def offered_conditions(
    *, owner: Organisation, academic_year: str, mobility_type: str
) -> list[OfferedCondition]:
    """The conditions of ``owner``'s agreements in effect that send its people in ``academic_year``
    under ``mobility_type`` (empty for types no agreement condition describes)."""
    if mobility_type not in CONDITION_TYPES:
        return []
    condition_type, blended = CONDITION_TYPES[mobility_type]
    agreements = list(
        Agreement.objects.filter(
            status=AgreementStatus.IN_EFFECT, party_links__organisation=owner, approved_version__isnull=False
        )
        .select_related("approved_version")
        .order_by("title", "pk")
    )
    contents = [
        (agreement, content_from_dict(agreement.approved_version.content)) for agreement in agreements
    ]
    references = {partner.organisation_ref for _, content in contents for partner in content.partners}
    organisations = list(
        Organisation.objects.filter(pk__in=[ref for ref in references if ref.isdigit()])
    ) + list(Organisation.objects.filter(schac_code__in=references).exclude(schac_code=""))
    by_pk = {str(organisation.pk): organisation for organisation in organisations}
    by_schac = {organisation.schac_code: organisation for organisation in organisations}
    offered = []
    for agreement, content in contents:
        for condition in content.conditions:
            sender = _organisation(
                content.partners[condition.sending_partner].organisation_ref, by_pk, by_schac
            )
            receiver = _organisation(
                content.partners[condition.receiving_partner].organisation_ref, by_pk, by_schac
            )
            if (
                sender != owner
                or receiver is None
                or condition.mobility_type != condition_type
                or (blended and not condition.blended)
                or academic_year not in condition_years(condition)
            ):
                continue
            skill = next((s for s in condition.language_skills if s.cefr_level), None) or next(
                iter(condition.language_skills), None
            )
            offered.append(
                OfferedCondition(
                    agreement=agreement,
                    condition_key=condition.key,
                    receiving=receiver,
                    mobilities_per_year=condition.mobilities_per_year,
                    language=skill.language if skill else "",
                    min_cefr=(skill.cefr_level or "") if skill else "",
                    isced_codes=tuple(area.isced_code for area in condition.subject_areas),
                    eqf_levels=tuple(sorted(condition.eqf_levels)),
                )
            )
    return offered
