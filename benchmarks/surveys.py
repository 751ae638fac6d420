"""Benchmark of Accord's paired pre/post change against SciPy's paired t-test, in the same run.

    .venv/bin/python benchmarks/surveys.py [--sizes 5 50 500 5000 50000]

For each number of pairs, generates pre scores (scale means between 1 and 5) and post scores that
moved by a random amount, then times ``accord.algorithms.surveys.paired_change`` (mean change, its
95 % Student-t interval and Cohen's d_z) and the baseline ``scipy.stats.ttest_rel(post, pre)`` with
``confidence_interval(0.95)`` (best of several runs each), and checks that the two intervals agree.
A cohort of one partnership and one year is tens to hundreds of pairs; the largest size is a whole
national programme.
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scipy import stats

from accord.algorithms.surveys import paired_change


def best_of(function, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[5, 50, 500, 5000, 50000])
    arguments = parser.parse_args()
    rng = random.Random(18)
    print(f"{'pairs':>8} {'accord (ms)':>12} {'scipy ttest_rel (ms)':>21} {'max |Δ interval|':>17}")
    for size in arguments.sizes:
        pre = [rng.uniform(1, 5) for _ in range(size)]
        post = [min(5.0, max(1.0, value + rng.gauss(0.4, 0.6))) for value in pre]
        repeats = 20 if size <= 5000 else 5
        ours = best_of(lambda pre=pre, post=post: paired_change(pre, post), repeats)

        def baseline(pre=pre, post=post):
            return stats.ttest_rel(post, pre).confidence_interval(0.95)

        theirs = best_of(baseline, repeats)
        change = paired_change(pre, post)
        low, high = baseline()
        gap = max(abs(change.ci_low - low), abs(change.ci_high - high))
        print(f"{size:>8} {ours * 1000:>12.3f} {theirs * 1000:>21.3f} {gap:>17.2e}")


if __name__ == "__main__":
    main()
