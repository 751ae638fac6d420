"""Benchmark of pairing a virtual exchange call: Accord's matrices against a naive all-pairs loop.

    .venv/bin/python benchmarks/virtual_exchange.py [--classes 2000] [--naive-sample 120] [--seed 7]

Generates a call of ``--classes`` classes on every continent (20 time zones, among them the half-hour
ones of Adelaide and Kolkata and the DST of Europe, the USA, Chile and Australia), terms of 8 to 16
weeks from August to March, one or two weekly slots, a holiday week, 1 to 2 of six languages at A2 to
C1, EQF 5 to 7, ISCED-F codes from eight fields. Then it times, in the same run:

* **Accord**: ``assess_all`` (every pair's feasibility and score: products of 0/1 matrices, a sparse
  product of the classes' meeting times, per-zone working-day overlaps) and ``pair_call`` (SciPy's
  ``linear_sum_assignment``), i.e. the whole call;
* **naive**: ``pair.assess`` for every pair, one at a time, recomputing each class's meetings week by
  week, the obvious implementation. It is quadratic and slow, so it runs on the first
  ``--naive-sample`` classes and is extrapolated to the whole call by the number of pairs; on that
  sample both must agree on every pair (feasibility, and the score to 0.1).

Target: the whole call of 2,000 classes under 5 s on the project's 2-core machine.
"""

import argparse
import random
import sys
import time
from datetime import date, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from accord.algorithms.matching.matrix import assess_all
from accord.algorithms.matching.model import ClassProfile
from accord.algorithms.matching.pair import assess
from accord.algorithms.matching.pairing import pair_call
from accord.algorithms.timewindows import WeeklySlot

ZONES = [
    "Europe/Paris", "Europe/London", "Europe/Warsaw", "Europe/Madrid", "Africa/Nairobi", "Africa/Lagos",
    "America/New_York", "America/Chicago", "America/Los_Angeles", "America/Santiago", "America/Sao_Paulo",
    "America/Bogota", "America/Mexico_City", "Asia/Kolkata", "Asia/Shanghai", "Asia/Tokyo",
    "Asia/Singapore", "Australia/Sydney", "Australia/Adelaide", "Pacific/Auckland",
]  # fmt: skip
FIELDS = ["0731", "0732", "0413", "0411", "0311", "0532", "0912", "0223"]
LANGUAGES = ["en", "fr", "es", "de", "pt", "zh"]


def make_call(count: int, seed: int) -> list[ClassProfile]:
    rng = random.Random(seed)
    classes = []
    for key in range(count):
        start = date(2026, 8, 24) + timedelta(weeks=rng.randint(0, 28))
        end = start + timedelta(weeks=rng.randint(8, 16), days=4)
        slots = []
        for weekday in rng.sample(range(5), rng.randint(1, 2)):
            hour, half = rng.randint(8, 17), rng.choice([0, 30])
            length = rng.choice([60, 90, 120])
            begin = hour * 60 + half
            slots.append(
                WeeklySlot(
                    weekday,
                    clock(begin // 60, begin % 60),
                    clock((begin + length) // 60, (begin + length) % 60),
                )
            )
        holiday = start + timedelta(weeks=rng.randint(2, 6))
        languages = [("en", rng.choice(["B1", "B2", "C1"]))] if rng.random() < 0.7 else []
        languages += [
            (code, rng.choice(["A2", "B1", "B2", "C1"]))
            for code in rng.sample(LANGUAGES[1:], rng.randint(1, 2))
        ]
        classes.append(
            ClassProfile(
                key=key,
                institution=rng.randint(1, 400),
                zone=rng.choice(ZONES),
                isced=rng.choice(FIELDS),
                eqf=rng.randint(5, 7),
                languages=tuple(languages),
                term_start=start,
                term_end=end,
                slots=tuple(slots),
                holidays=((holiday, holiday + timedelta(days=4)),),
                students=rng.randint(8, 40),
                weeks_wished=rng.randint(4, 12),
                synchronous=rng.random() < 0.8,
            )
        )
    return classes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--classes", type=int, default=2000)
    parser.add_argument("--naive-sample", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    classes = make_call(args.classes, args.seed)
    cpu_began, began = time.process_time(), time.perf_counter()
    matrices = assess_all(classes)
    cpu_assessed, assessed = time.process_time(), time.perf_counter()
    pairing = pair_call(matrices.score, matrices.feasible)
    cpu_paired, paired = time.process_time(), time.perf_counter()
    n = len(classes)
    feasible_pairs = int(np.triu(matrices.feasible, 1).sum())

    sample = classes[: args.naive_sample]
    sample_matrices = assess_all(sample)
    naive_cpu_began, naive_began = time.process_time(), time.perf_counter()
    disagreements = 0
    for i in range(len(sample)):
        for j in range(i + 1, len(sample)):
            one = assess(sample[i], sample[j])
            if (
                one.feasible != bool(sample_matrices.feasible[i, j])
                or abs(one.score - sample_matrices.score[i, j]) > 0.051
            ):
                disagreements += 1
    naive_seconds = time.perf_counter() - naive_began
    naive_cpu = time.process_time() - naive_cpu_began
    sample_pairs = len(sample) * (len(sample) - 1) // 2
    all_pairs = n * (n - 1) // 2
    naive_estimate = naive_seconds / sample_pairs * all_pairs
    naive_cpu_estimate = naive_cpu / sample_pairs * all_pairs

    total, cpu_total = paired - began, cpu_paired - cpu_began
    # Wall-clock and CPU seconds: on a shared machine the wall clock also counts other people's work.
    print(f"Virtual exchange call: {n} classes, {all_pairs:,} pairs, {feasible_pairs:,} feasible")
    print()
    rows = [
        ("Accord: feasibility and score (assess_all)", assessed - began, cpu_assessed - cpu_began),
        ("Accord: matching (linear_sum_assignment)", paired - assessed, cpu_paired - cpu_assessed),
        ("Accord: whole call", total, cpu_total),
        (
            f"naive all-pairs, measured on {len(sample)} classes ({sample_pairs:,} pairs)",
            naive_seconds,
            naive_cpu,
        ),
        ("naive all-pairs, extrapolated to the whole call", naive_estimate, naive_cpu_estimate),
    ]
    print(f"{'computation':<52} {'wall s':>10} {'CPU s':>10}")
    for label, wall, cpu in rows:
        print(f"{label:<52} {wall:>10.2f} {cpu:>10.2f}")
    print()
    verdict = "met" if total < 5 else "MISSED"
    print(f"speed-up: {naive_estimate / total:,.0f}x · target under 5 s (wall): {verdict}")
    print(
        f"pairs: {len(pairing.pairs)} ({2 * len(pairing.pairs)} classes paired, {len(pairing.alone)} alone), "
        f"total score {pairing.total:,.1f}, proven optimal: {pairing.optimal}"
    )
    print(f"naive and matrix answers disagree on {disagreements} of {sample_pairs:,} sampled pairs")
    if disagreements:
        sys.exit(1)


if __name__ == "__main__":
    main()
