"""Field-level differences between two versions of an agreement, or between our copy and a partner's.

Pure Python, no Django import; re-exported by :mod:`accord.algorithms.agreements.content`.

:func:`diff_contents` lists :class:`Change` records, in this order: partners, conditions, terms.

* Partners are matched by ``organisation_ref``, then, among those left, by hei-id (case-insensitive),
  which lets a partner's copy that names an organisation by its SCHAC code still line up. Their
  order is not a change.
* Conditions are matched by ``key`` (``match="key"``, for versions of one agreement), so reordering is
  not a change and an edited condition shows "changed" fields rather than a removal and an addition.
  Copies with different keys (a partner's, imported through EWP, or a renewal) use
  ``match="content"``: see :func:`match_conditions_by_content`. The key itself is never reported.
* A condition's sending and receiving partners compare by matched partner, not by position, and
  their values are ``organisation_ref`` s. Subject areas, EQF levels and language skills are sets:
  a difference is one "changed" record for the whole field, old and new values sorted.
* Terms are compared field by field.

Paths use the syntax of :class:`~accord.algorithms.agreements.model.AgreementContentError`
(``conditions[1].mobilities_per_year``), with the index in the *new* content, except for removals,
which only exist in the old one. ``old`` and ``new`` are JSON values, as
:func:`~accord.algorithms.agreements.model.json_value` gives them (``None`` for the missing side of an
addition or removal), so that changes can be stored and shown as they are. Texts compare in their
normalised form, as the hash does.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from typing import Any, Final, Literal

from accord.algorithms.agreements.model import (
    AgreementContent,
    AgreementPartner,
    AgreementTerms,
    CooperationCondition,
    json_value,
)
from accord.algorithms.agreements.parse import parse_content

__all__ = [
    "Change",
    "ChangeKind",
    "Match",
    "Where",
    "diff_contents",
    "diff_documents",
    "match_conditions_by_content",
]

ChangeKind = Literal["added", "removed", "changed"]
Match = Literal["key", "content"]

_MOBILITY_LABELS: Final = {
    "student_studies": "student studies",
    "student_traineeship": "student traineeship",
    "staff_teaching": "staff teaching",
    "staff_training": "staff training",
}
_FIELD_LABELS: Final = {
    "organisation_ref": "organisation",
    "hei_id": "hei-id",
    "unit_ref": "organisational unit",
    "partner_agreement_id": "partner's agreement id",
    "partner_agreement_code": "partner's agreement code",
    "sending_unit_ref": "sending unit",
    "receiving_unit_ref": "receiving unit",
    "eqf_levels": "EQF levels",
    "language_skills": "recommended language skills",
    "blended": "blended mobility",
    "other_info": "other information",
}
_SET_FIELDS: Final = frozenset({"subject_areas", "eqf_levels", "language_skills"})
_PARTY_FIELDS: Final = ("sending_partner", "receiving_partner")
# Compared (and scored, when matching by content) as plain values; key and the two parties are apart.
_VALUE_FIELDS: Final = tuple(
    field.name
    for field in dataclasses.fields(CooperationCondition)
    if field.name != "key" and field.name not in _PARTY_FIELDS
)
_CONDITION_FIELDS: Final = tuple(f.name for f in dataclasses.fields(CooperationCondition) if f.name != "key")


@dataclasses.dataclass(frozen=True, slots=True)
class Where:
    """What a change is about, in parts that a page words in its reader's language.

    ``field`` is the changed field's name, ``None`` when a whole partner or condition was added or
    removed; ``partner`` names the partner (section "partner"); a condition has its 1-based
    ``number``, ``mobility_type`` and the names of its ``sender`` and ``receiver``.
    """

    section: Literal["partner", "condition", "terms"]
    field: str | None = None
    partner: str = ""
    number: int = 0
    mobility_type: str = ""
    sender: str = ""
    receiver: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class Change:
    """One difference: where (``path``), what happened (``kind``), the JSON values, and a label for people.

    ``label`` is English, for logs and messages; ``where`` holds its parts for pages to translate.
    """

    path: str
    kind: ChangeKind
    old: Any
    new: Any
    label: str
    where: Where | None = dataclasses.field(default=None, compare=False)


def _field_label(name: str) -> str:
    return _FIELD_LABELS.get(name, name.replace("_", " "))


def _value(condition: CooperationCondition, name: str) -> Any:
    value = json_value(getattr(condition, name))
    if name == "eqf_levels":
        return sorted(value)
    if name in _SET_FIELDS:
        # By the values in field order, so that lists read naturally: languages first, then levels.
        return sorted(value, key=lambda item: json.dumps(list(item.values())))
    return value


def _pair_partners(old: AgreementContent, new: AgreementContent) -> dict[int, int]:
    """Old partner index → new partner index, by organisation_ref first and hei-id second."""
    pairs: dict[int, int] = {}
    identity: Callable[[AgreementPartner], object]
    for identity in (
        lambda partner: json_value(partner.organisation_ref),
        lambda partner: (partner.hei_id or "").strip().casefold() or None,
    ):
        free_new: dict[Any, int] = {}
        for j, partner in enumerate(new.partners):
            if j not in pairs.values():
                free_new.setdefault(identity(partner), j)
        for i, partner in enumerate(old.partners):
            key = identity(partner)
            if i not in pairs and key is not None and key in free_new:
                pairs[i] = free_new.pop(key)
    return pairs


def match_conditions_by_content(ours: AgreementContent, theirs: AgreementContent) -> list[tuple[int, int]]:
    """Pairs ``(index in ours, index in theirs)`` of conditions that describe the same mobility flow.

    Two conditions can pair only if they have the same mobility type and the same sending and
    receiving partners (matched as in :func:`diff_contents`). Among those, pairs are preferred by, in
    order: the same first academic year, the same last academic year, how many units agree, and how
    many other fields agree; the best pairs are taken first, ties going to the earlier conditions, so
    the result is deterministic. Conditions left unpaired are additions or removals.
    """
    partner_pairs = _pair_partners(ours, theirs)
    candidates = []
    for i, a in enumerate(ours.conditions):
        for j, b in enumerate(theirs.conditions):
            if (
                a.mobility_type != b.mobility_type
                or partner_pairs.get(a.sending_partner) != b.sending_partner
                or partner_pairs.get(a.receiving_partner) != b.receiving_partner
            ):
                continue
            agree = {name: _value(a, name) == _value(b, name) for name in _VALUE_FIELDS}
            units = agree.pop("sending_unit_ref") + agree.pop("receiving_unit_ref")
            first, last = agree.pop("first_academic_year"), agree.pop("last_academic_year")
            candidates.append(((-first, -last, -units, -sum(agree.values())), i, j))
    pairs: list[tuple[int, int]] = []
    taken_ours: set[int] = set()
    taken_theirs: set[int] = set()
    for _score, i, j in sorted(candidates):
        if i not in taken_ours and j not in taken_theirs:
            pairs.append((i, j))
            taken_ours.add(i)
            taken_theirs.add(j)
    return sorted(pairs)


def diff_contents(
    old: AgreementContent,
    new: AgreementContent,
    *,
    partner_names: Mapping[str, str] | None = None,
    match: Match = "key",
) -> list[Change]:
    """Every difference from ``old`` to ``new``; empty when they agree (see the module docstring).

    ``partner_names`` maps ``organisation_ref`` to the name labels show; without one, the ref itself.
    """
    if match == "key":
        old_by_key = {condition.key: i for i, condition in enumerate(old.conditions)}
        condition_pairs = [
            (old_by_key[condition.key], j)
            for j, condition in enumerate(new.conditions)
            if condition.key in old_by_key
        ]
    elif match == "content":
        condition_pairs = match_conditions_by_content(old, new)
    else:
        raise ValueError(f"match must be 'key' or 'content', not {match!r}.")
    differ = _Differ(old, new, partner_names or {})
    return [
        *differ.partner_changes(),
        *differ.condition_changes(condition_pairs),
        *_terms_changes(old.terms, new.terms),
    ]


def diff_documents(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    *,
    partner_names: Mapping[str, str] | None = None,
    match: Match = "key",
) -> list[Change]:
    """:func:`diff_contents` of two JSON documents, each read by ``parse_content`` (which may raise)."""
    return diff_contents(parse_content(old), parse_content(new), partner_names=partner_names, match=match)


class _Differ:
    def __init__(self, old: AgreementContent, new: AgreementContent, names: Mapping[str, str]) -> None:
        self.old = old
        self.new = new
        self.names = names
        self.partner_pairs = _pair_partners(old, new)

    def name(self, partner: AgreementPartner) -> str:
        return self.names.get(partner.organisation_ref, partner.organisation_ref)

    def partner_changes(self) -> list[Change]:
        changes = []
        new_to_old = {j: i for i, j in self.partner_pairs.items()}
        for j, partner in enumerate(self.new.partners):
            path = f"partners[{j}]"
            label = f"Partner {self.name(partner)}"
            where = Where("partner", partner=self.name(partner))
            if j not in new_to_old:
                changes.append(Change(path, "added", None, json_value(partner), label, where))
                continue
            before = json_value(self.old.partners[new_to_old[j]])
            after = json_value(partner)
            changes.extend(
                Change(
                    f"{path}.{name}",
                    "changed",
                    before[name],
                    after[name],
                    f"{label}: {_field_label(name)}",
                    dataclasses.replace(where, field=name),
                )
                for name in after
                if before[name] != after[name]
            )
        changes.extend(
            Change(
                f"partners[{i}]",
                "removed",
                json_value(partner),
                None,
                f"Partner {self.name(partner)}",
                Where("partner", partner=self.name(partner)),
            )
            for i, partner in enumerate(self.old.partners)
            if i not in self.partner_pairs
        )
        return changes

    def condition_where(self, content: AgreementContent, index: int) -> Where:
        condition = content.conditions[index]
        return Where(
            "condition",
            number=index + 1,
            mobility_type=condition.mobility_type,
            sender=self.name(content.partners[condition.sending_partner]),
            receiver=self.name(content.partners[condition.receiving_partner]),
        )

    def condition_label(self, content: AgreementContent, index: int) -> str:
        where = self.condition_where(content, index)
        mobility = _MOBILITY_LABELS.get(where.mobility_type, where.mobility_type)
        return f"Condition {where.number} ({mobility}, {where.sender} → {where.receiver})"

    def condition_changes(self, pairs: list[tuple[int, int]]) -> list[Change]:
        changes = []
        new_to_old = {j: i for i, j in pairs}
        for j, condition in enumerate(self.new.conditions):
            label = self.condition_label(self.new, j)
            where = self.condition_where(self.new, j)
            if j not in new_to_old:
                changes.append(Change(f"conditions[{j}]", "added", None, json_value(condition), label, where))
                continue
            before = self.old.conditions[new_to_old[j]]
            for name in _CONDITION_FIELDS:
                old_value, new_value, same = self.compare(before, condition, name)
                if not same:
                    changes.append(
                        Change(
                            f"conditions[{j}].{name}",
                            "changed",
                            old_value,
                            new_value,
                            f"{label}: {_field_label(name)}",
                            dataclasses.replace(where, field=name),
                        )
                    )
        paired_old = {i for i, _ in pairs}
        changes.extend(
            Change(
                f"conditions[{i}]",
                "removed",
                json_value(condition),
                None,
                self.condition_label(self.old, i),
                self.condition_where(self.old, i),
            )
            for i, condition in enumerate(self.old.conditions)
            if i not in paired_old
        )
        return changes

    def compare(
        self, before: CooperationCondition, after: CooperationCondition, name: str
    ) -> tuple[Any, Any, bool]:
        if name not in _PARTY_FIELDS:
            old_value, new_value = _value(before, name), _value(after, name)
            return old_value, new_value, old_value == new_value
        old_index, new_index = getattr(before, name), getattr(after, name)
        return (
            json_value(self.old.partners[old_index].organisation_ref),
            json_value(self.new.partners[new_index].organisation_ref),
            self.partner_pairs.get(old_index) == new_index,
        )


def _terms_changes(old: AgreementTerms, new: AgreementTerms) -> list[Change]:
    before, after = json_value(old), json_value(new)
    return [
        Change(
            f"terms.{name}",
            "changed",
            before[name],
            after[name],
            f"Terms: {_field_label(name)}",
            Where("terms", field=name),
        )
        for name in after
        if before[name] != after[name]
    ]
