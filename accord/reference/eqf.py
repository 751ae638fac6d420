"""The eight levels of the European Qualifications Framework (EQF, Council Recommendation 2017).

Each level is named by its knowledge descriptor from Annex II of the Recommendation; levels 5-8
also carry the cycle of the European Higher Education Area they correspond to (QF-EHEA), which
is how mobility documents usually name them.
"""

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True, slots=True)
class EqfLevel:
    """An EQF ``level`` (1-8), its knowledge descriptor as ``name``, and its higher-education ``cycle``."""

    level: int
    name: str
    cycle: str | None


_LEVELS: tuple[EqfLevel, ...] = (
    EqfLevel(1, "Basic general knowledge", None),
    EqfLevel(2, "Basic factual knowledge of a field of work or study", None),
    EqfLevel(
        3, "Knowledge of facts, principles, processes and general concepts, in a field of work or study", None
    ),
    EqfLevel(4, "Factual and theoretical knowledge in broad contexts within a field of work or study", None),
    EqfLevel(
        5,
        "Comprehensive, specialised, factual and theoretical knowledge within a field of work or study "
        "and an awareness of the boundaries of that knowledge",
        "Short cycle",
    ),
    EqfLevel(
        6,
        "Advanced knowledge of a field of work or study, involving a critical understanding of theories "
        "and principles",
        "First cycle (bachelor)",
    ),
    EqfLevel(
        7,
        "Highly specialised knowledge, some of which is at the forefront of knowledge in a field of work "
        "or study, as the basis for original thinking and/or research",
        "Second cycle (master)",
    ),
    EqfLevel(
        8,
        "Knowledge at the most advanced frontier of a field of work or study and at the interface "
        "between fields",
        "Third cycle (doctorate)",
    ),
)


@cache
def _levels_by_number() -> dict[int, EqfLevel]:
    return {level.level: level for level in _LEVELS}


def get_eqf(level: int) -> EqfLevel | None:
    """The EQF level numbered ``level`` (1-8), or ``None``."""
    # bool is an int subclass; True must not pass for level 1.
    if not isinstance(level, int) or isinstance(level, bool):
        return None
    return _levels_by_number().get(level)


def is_eqf(level: int) -> bool:
    """Whether ``level`` is an EQF level number (an ``int`` from 1 to 8)."""
    return get_eqf(level) is not None


def all_eqf() -> list[EqfLevel]:
    """The eight levels, lowest first."""
    return list(_LEVELS)
