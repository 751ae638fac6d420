"""The six Common Reference Levels of the CEFR (Council of Europe), lowest to highest."""

from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True, slots=True)
class CefrLevel:
    """A CEFR level: ``code`` ("B2"), the Council of Europe's ``name`` ("Vantage") and ``rank`` (1-6)."""

    code: str
    name: str
    rank: int


_LEVELS: tuple[CefrLevel, ...] = (
    CefrLevel("A1", "Breakthrough", 1),
    CefrLevel("A2", "Waystage", 2),
    CefrLevel("B1", "Threshold", 3),
    CefrLevel("B2", "Vantage", 4),
    CefrLevel("C1", "Effective operational proficiency", 5),
    CefrLevel("C2", "Mastery", 6),
)


@cache
def _levels_by_code() -> dict[str, CefrLevel]:
    return {level.code: level for level in _LEVELS}


def get_cefr(code: str) -> CefrLevel | None:
    """The level for a code such as "b2" (any case), or ``None``."""
    if not isinstance(code, str):
        return None
    return _levels_by_code().get(code.strip().upper())


def is_cefr(code: str) -> bool:
    """Whether ``code`` is one of A1, A2, B1, B2, C1, C2 (any case)."""
    return get_cefr(code) is not None


def all_cefr() -> list[CefrLevel]:
    """The six levels, lowest first."""
    return list(_LEVELS)


def cefr_at_least(level: str, minimum: str) -> bool:
    """Whether ``level`` meets ``minimum`` ("C1" meets "B2").

    An unknown or missing ``level`` meets nothing, since nothing is demonstrated; an unknown
    ``minimum`` raises ``ValueError``, since a requirement that cannot be checked is a bug.
    """
    required = get_cefr(minimum)
    if required is None:
        raise ValueError(f"'{minimum}' is not a CEFR level (A1, A2, B1, B2, C1 or C2).")
    held = get_cefr(level)
    return held is not None and held.rank >= required.rank
