"""Benchmark of Accord's seat allocation against the ``matching`` package.

    .venv/bin/python benchmarks/allocation.py [--sizes 1000 10000 100000 1000000] [--matching-up-to 20000]

For each size, generates a random instance (5 choices per applicant, one place per 20 applicants,
1-3 seats per place, so seats are scarce; distinct scores so the stable assignment is unique), times
``accord.algorithms.allocation.allocation.allocate`` (best of a few runs; the whole call, from a validated
instance to the assignment) and, up to ``--matching-up-to`` applicants, ``matching``'s
resident-optimal ``HospitalResident`` (building the game and solving it, once: it is slow), checks
that both assign everyone identically, and measures the allocation's peak memory with tracemalloc in
a separate, untimed run.

These instances have no place scores, quotas or reserved seats, so every place ranks applicants
alike and ``allocate`` takes its serial-dictatorship shortcut. The last column times the general
deferred-acceptance path on the same instance (best of the same runs), which instances with place
scores, quotas or reserved seats take, and checks it agrees.
"""

import argparse
import gc
import os
import random
import sys
import threading
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matching.games import HospitalResident

from accord.algorithms.allocation.allocation import (
    AllocationInstance,
    AllocationResult,
    Applicant,
    Place,
    allocate,
)
from accord.algorithms.allocation.engine import build_market, defer_acceptance

CHOICES = 5
APPLICANTS_PER_PLACE = 20
TARGET_SECONDS_AT_100K = 0.5
TARGET_SPEED_UP_AT_10K = 100
MATCHING_RECURSION_LIMIT = 1_000_000
MATCHING_STACK_BYTES = 1024 * 2**20


def random_instance(size: int, seed: int) -> AllocationInstance:
    rnd = random.Random(seed)
    place_count = max(CHOICES, size // APPLICANTS_PER_PLACE)
    places = tuple(Place(f"P{i}", rnd.randint(1, 3)) for i in range(place_count))
    place_ids = [place.id for place in places]
    # Distinct scores with two decimals, as coordinators enter them.
    scores = rnd.sample(range(size * 100), size)
    applicants = tuple(
        Applicant(f"A{i}", score / 100, tuple(place_ids[p] for p in rnd.sample(range(place_count), CHOICES)))
        for i, score in enumerate(scores)
    )
    return AllocationInstance(places, applicants, tie_break_seed=seed)


def allocate_by_deferred_acceptance(instance: AllocationInstance) -> AllocationResult:
    started = time.perf_counter()
    market = build_market(instance, capacity=[place.capacity for place in instance.places], quota_capacity=[])
    return AllocationResult(instance, defer_acceptance(market), time.perf_counter() - started)


def best_time(
    run: Callable[[AllocationInstance], AllocationResult], instance: AllocationInstance, runs: int
) -> tuple[float, dict[str, str | None]]:
    best = float("inf")
    assignments: dict[str, str | None] = {}
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        assignments = run(instance).assignments
        best = min(best, time.perf_counter() - started)
    return best, assignments


def peak_megabytes(instance: AllocationInstance) -> float:
    gc.collect()
    tracemalloc.start()
    allocate(instance)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def time_matching(instance: AllocationInstance) -> tuple[float, dict[str, str | None]]:
    residents = {a.id: list(a.preferences) for a in instance.applicants}
    by_score = sorted(instance.applicants, key=lambda a: -a.score)
    hospitals: dict[str, list[str]] = {place.id: [] for place in instance.places}
    for applicant in by_score:
        for place in applicant.preferences:
            hospitals[place].append(applicant.id)
    capacities = {place.id: place.capacity for place in instance.places}
    outcome: dict[str, object] = {}

    def solve() -> None:
        gc.collect()
        started = time.perf_counter()
        with warnings.catch_warnings():
            # Places nobody chose trigger a warning per place.
            warnings.simplefilter("ignore")
            game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities)
            outcome["matching"] = game.solve(optimal="resident")
        outcome["seconds"] = time.perf_counter() - started

    # The game deep-copies its players, recursing through their links: give it a deep stack.
    recursion_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(MATCHING_RECURSION_LIMIT)
    threading.stack_size(MATCHING_STACK_BYTES)
    try:
        worker = threading.Thread(target=solve)
        worker.start()
        worker.join()
    finally:
        threading.stack_size(0)
        sys.setrecursionlimit(recursion_limit)
    assignments: dict[str, str | None] = dict.fromkeys(residents)
    for hospital, holders in outcome["matching"].items():
        for resident in holders:
            assignments[resident.name] = hospital.name
    return outcome["seconds"], assignments


@dataclass(frozen=True)
class Row:
    size: int
    accord: float
    matching: float | None
    peak: float
    identical: bool | None
    deferred_acceptance: float

    def cells(self) -> list[str]:
        speed_up = f"{self.matching / self.accord:,.0f}x" if self.matching is not None else "-"
        return [
            f"{self.size:,}",
            f"{self.accord:.4f}",
            f"{self.matching:.2f}" if self.matching is not None else "-",
            speed_up,
            f"{self.peak:.1f}",
            {True: "yes", False: "NO", None: "-"}[self.identical],
            f"{self.deferred_acceptance:.4f}",
        ]


HEADERS = [
    "size",
    "accord seconds",
    "matching seconds",
    "speed-up",
    "peak MB",
    "identical",
    "accord DA seconds",
]


def print_table(rows: list[Row]) -> None:
    table = [HEADERS, *(row.cells() for row in rows)]
    widths = [max(len(line[column]) for line in table) for column in range(len(HEADERS))]
    for number, line in enumerate(table):
        print(" | ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True)))
        if number == 0:
            print("-+-".join("-" * width for width in widths))


def measure(size: int, seed: int, matching_up_to: int) -> Row:
    instance = random_instance(size, seed)
    runs = 5 if size <= 10_000 else 3 if size <= 100_000 else 1
    accord_seconds, accord_assignments = best_time(allocate, instance, runs)
    general_seconds, general_assignments = best_time(allocate_by_deferred_acceptance, instance, runs)
    if general_assignments != accord_assignments:
        raise AssertionError(f"the two paths of Accord disagree at {size:,} applicants")
    peak = peak_megabytes(instance)
    if size > matching_up_to:
        return Row(size, accord_seconds, None, peak, None, general_seconds)
    matching_seconds, matching_assignments = time_matching(instance)
    identical = accord_assignments == matching_assignments
    return Row(size, accord_seconds, matching_seconds, peak, identical, general_seconds)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--matching-up-to", type=int, default=20_000, help="largest size to run matching on")
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()

    seats = f"one place per {APPLICANTS_PER_PLACE} applicants, 1-3 seats each"
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs. {CHOICES} choices per applicant, {seats}."
    )
    print("Accord: best of 5 runs (<= 10k), 3 (<= 100k) or 1; matching: one run.\n")
    rows = []
    for size in options.sizes:
        rows.append(measure(size, options.seed, options.matching_up_to))
        print(f"  measured {size:,} applicants", file=sys.stderr, flush=True)
    print_table(rows)

    failures = []
    for row in rows:
        if row.identical is False:
            failures.append(f"assignments differ from matching at {row.size:,} applicants")
        if row.size == 100_000 and row.accord >= TARGET_SECONDS_AT_100K:
            failures.append(f"100k took {row.accord:.3f} s, target < {TARGET_SECONDS_AT_100K} s")
        if (
            row.size == 10_000
            and row.matching is not None
            and row.matching / row.accord < TARGET_SPEED_UP_AT_10K
        ):
            failures.append(f"speed-up at 10k is below {TARGET_SPEED_UP_AT_10K}x")
    print()
    print(
        "\n".join(failures)
        if failures
        else "All targets met: 100k < 0.5 s, >= 100x matching at 10k, identical."
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
