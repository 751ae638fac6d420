"""The cooperation conditions of an agreement in effect that a mobility may count against, with the
plain labels people choose from ("Student mobility for studies · 2 places × 5 months · EQF 6–7 ·
ISCED 0413 · 2027/2028 · Aurora → Turia"), so that nobody has to know a condition's internal key."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accord.agreements.forms import MOBILITY_TYPE_LABELS
from accord.mobilities.choices import CONDITION_TYPES, STUDENT_CONDITION_TYPES
from accord.organisations.models import Organisation


@dataclass(frozen=True)
class ConditionChoice:
    key: str
    label: str


def _number(value) -> str:
    number = Decimal(str(value)).normalize()
    return f"{number:f}"


def _span(values: list) -> str:
    ordered = sorted(values)
    if len(ordered) > 1 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}–{ordered[-1]}"
    return ", ".join(str(value) for value in ordered)


def condition_label(condition: dict, names: dict[str, str]) -> str:
    """One line saying what the condition offers, in the words of the agreement's page."""
    kind = condition.get("mobility_type", "")
    parts = [str(MOBILITY_TYPE_LABELS.get(kind, kind.replace("_", " ")))]
    places = int(condition.get("mobilities_per_year") or 0)
    months, days = condition.get("total_months_per_year"), condition.get("total_days_per_year")
    seats = ngettext("%(n)s place", "%(n)s places", places) % {"n": places}
    if months and places:
        parts.append(
            _("%(seats)s × %(months)s months") % {"seats": seats, "months": _number(Decimal(months) / places)}
        )
    elif days and places:
        parts.append(
            _("%(seats)s × %(days)s days") % {"seats": seats, "days": _number(Decimal(days) / places)}
        )
    else:
        parts.append(seats)
    if condition.get("eqf_levels"):
        parts.append(f"EQF {_span(condition['eqf_levels'])}")
    fields = [area.get("isced_code", "") for area in condition.get("subject_areas") or []]
    if fields:
        parts.append("ISCED " + ", ".join(code for code in fields if code))
    first, last = condition.get("first_academic_year", ""), condition.get("last_academic_year", "")
    parts.append(first if first == last else f"{first}–{last}")
    sender = names.get(str(condition.get("sending_partner")), "")
    receiver = names.get(str(condition.get("receiving_partner")), "")
    if sender and receiver:
        parts.append(f"{sender} → {receiver}")
    return " · ".join(parts)


def _partner_names(content: dict) -> dict[str, str]:
    """Partner index (as text) → organisation name, for the direction shown in a label."""
    refs = [partner.get("organisation_ref") for partner in content.get("partners", [])]
    ids = [int(ref) for ref in refs if ref and str(ref).isdigit()]
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    return {
        str(index): names.get(int(ref), "") if ref and str(ref).isdigit() else ""
        for index, ref in enumerate(refs)
    }


def agreement_conditions(
    agreement,
    *,
    sending=None,
    receiving=None,
    mobility_type: str = "",
    academic_year: str = "",
) -> list[ConditionChoice]:
    """The conditions of ``agreement``'s version in effect that fit what is known of the mobility:
    its direction, its type and its academic year (each only when given)."""
    version = agreement.approved_version if agreement is not None else None
    if version is None:
        return []
    content = version.content
    refs = [partner.get("organisation_ref") for partner in content.get("partners", [])]
    allowed = CONDITION_TYPES.get(mobility_type, STUDENT_CONDITION_TYPES) if mobility_type else None
    names = _partner_names(content)
    found = []
    for condition in content.get("conditions", []):
        if sending is not None and refs[condition["sending_partner"]] != str(sending.pk):
            continue
        if receiving is not None and refs[condition["receiving_partner"]] != str(receiving.pk):
            continue
        if allowed is not None and condition.get("mobility_type") not in allowed:
            continue
        first, last = condition.get("first_academic_year", ""), condition.get("last_academic_year", "")
        if academic_year and not first <= academic_year <= last:
            continue
        found.append(ConditionChoice(condition["key"], condition_label(condition, names)))
    return found
