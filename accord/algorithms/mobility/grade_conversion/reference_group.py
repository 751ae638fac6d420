"""Which grade distribution tables convert a mobility's grades (EGRACONS practice).

A table describes one *reference group*: an ISCED-F field (blank: every field) and a cycle, the EQF
level (``None``: every cycle). Grades are best compared between tables of the same reference group,
as close as possible to what the student studied. For a mobility in field ``f`` at cycle ``c`` the
groups are tried in this order, and the first one for which *both* institutions have a table wins:

1. ``f`` at ``c``;
2. each broader field containing ``f`` at ``c``, the narrow field (3 digits) before the broad one
   (2 digits);
3. every field at ``c`` (a blank field);
4. ``f`` and then its broader fields with no cycle (a table for every cycle of that field);
5. every field, every cycle: the institution's one general table.

ISCED-F writes "not further defined" with trailing zeros (``0410`` is narrow field ``041`` known no
better, ``040`` and ``0400`` broad field ``04``), so such a code names the same group as its parent.
A mobility without a field starts at step 3, one without a cycle at step 4.

When no group has a table on both sides, each side takes its own best table (the first group in the
same order for which it has one) and :attr:`TableChoice.same_group` is false, so the explanation can
say that the tables describe different groups. When a side has no fitting table at all, there is no
choice.

Pure Python, no Django import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")

BROAD_FIELD_DIGITS = 2


class Breadth(StrEnum):
    """How wide a reference group's field is."""

    DETAILED = "detailed"
    NARROW = "narrow"
    BROAD = "broad"
    ALL_FIELDS = "all_fields"


@dataclass(frozen=True, order=True)
class ReferenceGroup:
    """An ISCED-F field (``""``: every field) at an EQF level (``None``: every cycle)."""

    isced_code: str
    eqf_level: int | None

    @property
    def breadth(self) -> Breadth:
        if not self.isced_code:
            return Breadth.ALL_FIELDS
        return {2: Breadth.BROAD, 3: Breadth.NARROW}.get(len(self.isced_code), Breadth.DETAILED)


def field_group(code: str) -> str:
    """The field a code stands for: "not further defined" codes (trailing zeros) are their parent."""
    field = code.strip()
    while len(field) > BROAD_FIELD_DIGITS and field.endswith("0"):
        field = field[:-1]
    return field


def _fields_outwards(code: str) -> list[str]:
    """``code`` and each broader field containing it, narrowest first (``0413``, ``041``, ``04``)."""
    field = field_group(code)
    return [field[:length] for length in range(len(field), BROAD_FIELD_DIGITS - 1, -1)] if field else []


def reference_groups(isced_code: str, eqf_level: int | None) -> tuple[ReferenceGroup, ...]:
    """The groups whose tables may convert a mobility's grades, best first (see the module docstring)."""
    fields = _fields_outwards(isced_code)
    groups: list[ReferenceGroup] = []
    if eqf_level is not None:
        groups += [ReferenceGroup(field, eqf_level) for field in fields]
        groups.append(ReferenceGroup("", eqf_level))
    groups += [ReferenceGroup(field, None) for field in fields]
    groups.append(ReferenceGroup("", None))
    return tuple(groups)


def group_of(isced_code: str, eqf_level: int | None) -> ReferenceGroup:
    """The reference group a table with these values describes."""
    return ReferenceGroup(field_group(isced_code), eqf_level)


@dataclass(frozen=True)
class TableChoice(Generic[T]):
    """The tables chosen for a mobility, the groups they describe and the group wanted first."""

    host: T
    home: T
    host_group: ReferenceGroup
    home_group: ReferenceGroup
    wanted: ReferenceGroup

    @property
    def same_group(self) -> bool:
        return self.host_group == self.home_group

    @property
    def exact(self) -> bool:
        return self.same_group and self.host_group == self.wanted


def _by_group(tables: Iterable[tuple[str, int | None, T]]) -> dict[ReferenceGroup, T]:
    found: dict[ReferenceGroup, T] = {}
    # A table written with the more precise code ("0410" rather than "041") is kept for its group
    # only if no table was given with the plain code, so the choice does not depend on input order.
    for code, level, table in sorted(tables, key=lambda item: (len(item[0].strip()), item[0])):
        found.setdefault(group_of(code, level), table)
    return found


def choose_tables(
    isced_code: str,
    eqf_level: int | None,
    host_tables: Iterable[tuple[str, int | None, T]],
    home_tables: Iterable[tuple[str, int | None, T]],
) -> TableChoice[T] | None:
    """Choose the host and home tables for a mobility in ``isced_code`` at ``eqf_level``.

    Each side's tables are given as ``(isced_code, eqf_level, table)``; the table object is handed
    back untouched. ``None`` when either side has no table that fits the mobility.
    """
    groups = reference_groups(isced_code, eqf_level)
    host, home = _by_group(host_tables), _by_group(home_tables)
    wanted = groups[0]
    for group in groups:
        if group in host and group in home:
            return TableChoice(host[group], home[group], group, group, wanted)
    host_group = next((group for group in groups if group in host), None)
    home_group = next((group for group in groups if group in home), None)
    if host_group is None or home_group is None:
        return None
    return TableChoice(host[host_group], home[home_group], host_group, home_group, wanted)
