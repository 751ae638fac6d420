"""Races for tests: callables run on their own threads and database connections, released together.

Two people at once is the normal case (docs/architecture.md, "Concurrent edits"); a race test shows
that an invariant holds when the writes really overlap. It needs a database that runs transactions
in parallel (PostgreSQL: SQLite serialises writers, so such tests skip there with a reason) and the
``transactional_db`` fixture, so that every thread sees what the others committed.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, connections


@dataclass(frozen=True)
class Outcome:
    """What one contender got: its return value, or the exception it raised."""

    value: Any = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def race(*contenders: Callable[[], Any], timeout: float = 30.0) -> list[Outcome]:
    """Run every contender on a thread of its own, all released by one barrier, and return their
    outcomes in the order given. Each thread closes its database connection when it is done."""
    barrier = threading.Barrier(len(contenders))
    outcomes: list[Outcome | None] = [None] * len(contenders)

    def run(index: int, contender: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout)
            outcomes[index] = Outcome(value=contender())
        except BaseException as error:  # the test reads it, whatever it is
            outcomes[index] = Outcome(error=error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, contender), daemon=True)
        for index, contender in enumerate(contenders)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if any(thread.is_alive() for thread in threads):
        raise TimeoutError(f"A contender was still running after {timeout} s: a lock was never released.")
    return [outcome for outcome in outcomes if outcome is not None]


def require_parallel_database() -> None:
    """Skip the calling test where the database serialises writers, saying why."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite runs one writer at a time, so writes cannot race; CI runs this on PostgreSQL.")
