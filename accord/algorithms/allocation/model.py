"""The typed input of the seat allocation, its JSON form and its validation.

Pure Python: nothing here imports Django. Every check raises :class:`AllocationInputError` with a
message naming the offending place, quota or applicant, so a coordinator can fix the file.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

_NO_ENTRIES: Mapping[str, Any] = MappingProxyType({})


class AllocationInputError(ValueError):
    """An allocation instance that cannot be allocated; the message names the offending item."""


def _no_entries() -> Mapping[str, Any]:
    return _NO_ENTRIES


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    # Most applicants have no place scores or ineligibilities: share one empty mapping between them.
    return MappingProxyType(dict(value)) if value else _NO_ENTRIES


def _require_id(value: object, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise AllocationInputError(f"{where}: 'id' must be a non-empty string, got {value!r}")
    return value


def _require_count(value: object, where: str, what: str) -> int:
    # bool is an int subclass; "capacity": true is a mistake, not a capacity of one.
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise AllocationInputError(f"{where}: {what} must be a non-negative integer, got {value!r}")
    return value


def _require_score(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not _fits_a_float(value):
        raise AllocationInputError(f"{where} must be a finite number, got {value!r}")
    return value


def _fits_a_float(value: float) -> bool:
    # Scores are ranked as floats: NaN, infinities and integers beyond float range cannot be.
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _require_optional_text(value: object, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise AllocationInputError(f"{where} must be a string, got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class Quota:
    """A cap shared by several places, e.g. an agreement's yearly cap over its autumn and spring places."""

    id: str
    capacity: int
    name: str | None = None

    def __post_init__(self) -> None:
        _require_id(self.id, "quota")
        where = f"quota {self.id!r}"
        _require_count(self.capacity, where, "capacity")
        _require_optional_text(self.name, f"{where}: name")

    @property
    def label(self) -> str:
        """The name shown to people: the display name when given, else the id."""
        return self.name or self.id


@dataclass(frozen=True, slots=True)
class Place:
    """Exchange seats at one destination, optionally under a shared quota and with reserved seats."""

    id: str
    capacity: int
    quota: str | None = None
    reserved: int = 0
    name: str | None = None

    def __post_init__(self) -> None:
        _require_id(self.id, "place")
        where = f"place {self.id!r}"
        _require_count(self.capacity, where, "capacity")
        _require_count(self.reserved, where, "reserved")
        if self.reserved > self.capacity:
            raise AllocationInputError(
                f"{where}: reserved ({self.reserved}) exceeds capacity ({self.capacity})"
            )
        if self.quota is not None:
            _require_id(self.quota, f"{where}: quota")
        _require_optional_text(self.name, f"{where}: name")

    @property
    def label(self) -> str:
        """The name shown to people: the display name when given, else the id."""
        return self.name or self.id


@dataclass(frozen=True, slots=True)
class Applicant:
    """A student applying for places, best first, with a score and optional per-place scores."""

    id: str
    score: float
    preferences: tuple[str, ...] = ()
    place_scores: Mapping[str, float] = field(default_factory=_no_entries)
    priority: bool = False
    ineligible: Mapping[str, str] = field(default_factory=_no_entries)

    def __post_init__(self) -> None:
        _require_id(self.id, "applicant")
        where = f"applicant {self.id!r}"
        _require_score(self.score, f"{where}: score")
        if isinstance(self.preferences, str) or not isinstance(self.preferences, Iterable):
            raise AllocationInputError(f"{where}: preferences must be a list of place ids")
        preferences = tuple(self.preferences)
        for place_id in preferences:
            if not isinstance(place_id, str):
                raise AllocationInputError(f"{where}: preferences must be place ids, got {place_id!r}")
        if len(set(preferences)) != len(preferences):
            repeated = next(p for i, p in enumerate(preferences) if p in preferences[:i])
            raise AllocationInputError(f"{where} lists place {repeated!r} twice in its preferences")
        if not isinstance(self.place_scores, Mapping) or not isinstance(self.ineligible, Mapping):
            raise AllocationInputError(f"{where}: place_scores and ineligible must map place ids to values")
        for place_id, score in self.place_scores.items():
            _require_score(score, f"{where}: place_scores[{place_id!r}]")
        for place_id, reason in self.ineligible.items():
            if not isinstance(reason, str) or not reason.strip():
                raise AllocationInputError(f"{where}: ineligible[{place_id!r}] must be a non-empty reason")
        if not isinstance(self.priority, bool):
            raise AllocationInputError(f"{where}: priority must be true or false, got {self.priority!r}")
        object.__setattr__(self, "preferences", preferences)
        object.__setattr__(self, "place_scores", _frozen_mapping(self.place_scores))
        object.__setattr__(self, "ineligible", _frozen_mapping(self.ineligible))

    def score_at(self, place_id: str) -> float:
        """The score this applicant is ranked by at ``place_id``: its place score, else the overall one."""
        return self.place_scores.get(place_id, self.score)


@dataclass(frozen=True, slots=True)
class InstanceIndex:
    """Integer positions of an instance's ids, built once while validating cross-references."""

    place_position: Mapping[str, int]
    quota_position: Mapping[str, int]
    applicant_position: Mapping[str, int]
    # Place positions of each applicant's preferences, in preference order (ineligible ones included).
    preference_positions: tuple[list[int], ...]
    # Positions of the (usually few) applicants with place scores, and with ineligible choices.
    with_place_scores: tuple[int, ...]
    with_ineligible: tuple[int, ...]
    # Per applicant, in order: what the allocation reads for everyone, gathered while validating.
    scores: list[float]
    priorities: list[bool]


@dataclass(frozen=True)
class AllocationInstance:
    """Everything one allocation run needs; validated on construction."""

    places: tuple[Place, ...]
    applicants: tuple[Applicant, ...]
    quotas: tuple[Quota, ...] = ()
    tie_break_seed: int = 0
    index: InstanceIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "places", tuple(self.places))
        object.__setattr__(self, "applicants", tuple(self.applicants))
        object.__setattr__(self, "quotas", tuple(self.quotas))
        if isinstance(self.tie_break_seed, bool) or not isinstance(self.tie_break_seed, int):
            raise AllocationInputError(f"tie_break_seed must be an integer, got {self.tie_break_seed!r}")
        quota_position = _positions((quota.id for quota in self.quotas), "quota")
        place_position = _positions((place.id for place in self.places), "place")
        applicant_position = _positions((applicant.id for applicant in self.applicants), "applicant")
        for place in self.places:
            if place.quota is not None and place.quota not in quota_position:
                raise AllocationInputError(f"place {place.id!r} refers to unknown quota {place.quota!r}")
        preference_positions = tuple(
            _preference_positions(applicant, place_position) for applicant in self.applicants
        )
        index = InstanceIndex(
            place_position,
            quota_position,
            applicant_position,
            preference_positions,
            with_place_scores=tuple(
                i for i, applicant in enumerate(self.applicants) if applicant.place_scores
            ),
            with_ineligible=tuple(i for i, applicant in enumerate(self.applicants) if applicant.ineligible),
            scores=[applicant.score for applicant in self.applicants],
            priorities=[applicant.priority for applicant in self.applicants],
        )
        object.__setattr__(self, "index", index)


def _positions(ids: Iterable[str], kind: str) -> dict[str, int]:
    positions: dict[str, int] = {}
    for position, item_id in enumerate(ids):
        if positions.setdefault(item_id, position) != position:
            raise AllocationInputError(f"duplicate {kind} id {item_id!r}")
    return positions


def _preference_positions(applicant: Applicant, place_position: Mapping[str, int]) -> list[int]:
    try:
        positions = [place_position[place_id] for place_id in applicant.preferences]
    except KeyError as missing:
        raise AllocationInputError(
            f"applicant {applicant.id!r} prefers unknown place {missing.args[0]!r}"
        ) from None
    for field_name, mapping in (
        ("place_scores", applicant.place_scores),
        ("ineligible", applicant.ineligible),
    ):
        for place_id in mapping:
            if place_id not in place_position:
                raise AllocationInputError(
                    f"applicant {applicant.id!r}: {field_name} names unknown place {place_id!r}"
                )
    return positions


# --- JSON -------------------------------------------------------------------------------------------

_PLACE_FIELDS = frozenset({"id", "capacity", "quota", "reserved", "name"})
_QUOTA_FIELDS = frozenset({"id", "capacity", "name"})
_APPLICANT_FIELDS = frozenset({"id", "score", "preferences", "place_scores", "priority", "ineligible"})
_INSTANCE_FIELDS = frozenset({"places", "quotas", "applicants", "tie_break_seed"})


def parse_instance(text: str | bytes) -> AllocationInstance:
    """Parse and validate an instance in the JSON format of :mod:`accord.algorithms.allocation.allocation`.

    Raises :class:`AllocationInputError` for invalid JSON and for any invalid or inconsistent item.
    """
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise AllocationInputError(
            f"invalid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except UnicodeDecodeError as error:
        raise AllocationInputError(f"invalid JSON: the file is not UTF-8 ({error.reason})") from None
    return instance_from_dict(data)


def _reject_constant(name: str) -> float:
    raise AllocationInputError(f"invalid JSON: {name} is not a number")


def instance_from_dict(data: object) -> AllocationInstance:
    """Build and validate an instance from already-decoded JSON data (dicts, lists, strings, numbers)."""
    if not isinstance(data, dict):
        raise AllocationInputError(f"the instance must be a JSON object, got {type(data).__name__}")
    _reject_unknown_fields(data, "the instance", _INSTANCE_FIELDS)
    for required in ("places", "applicants"):
        if required not in data:
            raise AllocationInputError(f"the instance has no {required!r} list")
    return AllocationInstance(
        places=tuple(_place(item, i) for i, item in enumerate(_list(data["places"], "places"))),
        quotas=tuple(_quota(item, i) for i, item in enumerate(_list(data.get("quotas", []), "quotas"))),
        applicants=tuple(
            _applicant(item, i) for i, item in enumerate(_list(data["applicants"], "applicants"))
        ),
        tie_break_seed=data.get("tie_break_seed", 0),
    )


def _list(value: object, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise AllocationInputError(f"{where!r} must be a list, got {type(value).__name__}")
    return value


def _reject_unknown_fields(item: Mapping[str, Any], where: str, allowed: frozenset[str]) -> None:
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise AllocationInputError(
            f"{where}: unknown field {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})"
        )


def _item(value: object, kind: str, position: int, allowed: frozenset[str]) -> tuple[Mapping[str, Any], str]:
    """The JSON object of one place, quota or applicant, and how messages name it: by id if it has one."""
    if not isinstance(value, dict):
        raise AllocationInputError(f"{kind}s[{position}] must be a JSON object, got {type(value).__name__}")
    item_id = value.get("id")
    where = f"{kind} {item_id!r}" if isinstance(item_id, str) and item_id else f"{kind}s[{position}]"
    _reject_unknown_fields(value, where, allowed)
    return value, where


def _required(item: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in item:
        raise AllocationInputError(f"{where}: missing {key!r}")
    return item[key]


def _place(value: object, position: int) -> Place:
    item, where = _item(value, "place", position, _PLACE_FIELDS)
    return Place(
        id=_require_id(_required(item, "id", where), where),
        capacity=_required(item, "capacity", where),
        quota=item.get("quota"),
        reserved=item.get("reserved", 0),
        name=item.get("name"),
    )


def _quota(value: object, position: int) -> Quota:
    item, where = _item(value, "quota", position, _QUOTA_FIELDS)
    return Quota(
        id=_require_id(_required(item, "id", where), where),
        capacity=_required(item, "capacity", where),
        name=item.get("name"),
    )


def _applicant(value: object, position: int) -> Applicant:
    item, where = _item(value, "applicant", position, _APPLICANT_FIELDS)
    preferences = item.get("preferences", [])
    if not isinstance(preferences, list):
        raise AllocationInputError(f"{where}: preferences must be a list of place ids")
    place_scores = item.get("place_scores", {})
    ineligible = item.get("ineligible", {})
    for name, mapping in (("place_scores", place_scores), ("ineligible", ineligible)):
        if not isinstance(mapping, dict):
            raise AllocationInputError(f"{where}: {name} must be an object keyed by place id")
    return Applicant(
        id=_require_id(_required(item, "id", where), where),
        score=_required(item, "score", where),
        preferences=tuple(preferences),
        place_scores=place_scores,
        priority=item.get("priority", False),
        ineligible=ineligible,
    )
