"""The allowed moves of a status workflow, as data, with the one refusal every domain gives.

Each workflow (a partnership's lifecycle, a call for applications, a mobility) declares a
``TransitionTable`` in its ``choices.py``; its services ask ``allowed``/``targets`` and refuse a move
with ``require``, so that the rule and the sentence that explains a refusal are written once.
"""

from collections.abc import Iterable, Iterator, Mapping

from django.db import models
from django.utils.translation import gettext as _

from accord.core.errors import Conflict


class TransitionTable(Mapping[str, tuple[str, ...]]):
    """For each status of ``statuses``, the statuses it may move to next.

    Targets given as a tuple keep their order (the order the UI offers them); a set is put in the
    order of the choices. As a mapping, ``table[status]`` gives the targets of ``status``.
    """

    def __init__(
        self,
        statuses: type[models.TextChoices],
        moves: Mapping[str, Iterable[str]],
        *,
        noun: str,
    ) -> None:
        unknown = {str(s) for s in moves} | {str(t) for targets in moves.values() for t in targets}
        unknown -= set(statuses.values)
        if unknown:
            raise ValueError(f"Not statuses of {statuses.__name__}: {', '.join(sorted(unknown))}")
        order = {value: index for index, value in enumerate(statuses.values)}
        self._statuses = statuses
        self._noun = noun
        self._moves: dict[str, tuple[str, ...]] = {
            str(status): tuple(targets)
            if isinstance(targets, tuple | list)
            else tuple(sorted(targets, key=lambda target: order[target]))
            for status, targets in moves.items()
        }

    def __getitem__(self, status: str) -> tuple[str, ...]:
        return self._moves[status]

    def __iter__(self) -> Iterator[str]:
        return iter(self._moves)

    def __len__(self) -> int:
        return len(self._moves)

    def targets(self, from_status: str) -> tuple[str, ...]:
        return self._moves.get(from_status, ())

    def allowed(self, from_status: str, to_status: str) -> bool:
        return to_status in self.targets(from_status)

    def _label(self, status: str) -> str:
        try:
            return str(self._statuses(status).label).lower()
        except ValueError:
            return status

    def refusal(self, from_status: str, to_status: str) -> str:
        """Why ``from_status`` cannot become ``to_status``, and what it may become instead."""
        targets = ", ".join(self._label(target) for target in self.targets(from_status))
        return _(
            "A %(noun)s that is %(status)s cannot move to %(target)s; allowed next statuses: %(allowed)s."
        ) % {
            "noun": self._noun,
            "status": self._label(from_status),
            "target": self._label(to_status),
            "allowed": targets or _("none (it is final)"),
        }

    def require(
        self, from_status: str, to_status: str, *, code: str | None = None, field: str | None = None
    ) -> None:
        """Refuse a move the table does not allow, with a ``Conflict`` that says what is allowed."""
        if not self.allowed(from_status, to_status):
            raise Conflict(self.refusal(from_status, to_status), code=code, field=field)
