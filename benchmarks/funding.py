"""Benchmark of Accord's grant calculation and budget forecast against a naive per-mobility
computation that reads its rates from a database with queries, in the same run.

    .venv/bin/python benchmarks/funding.py [--size 100000] [--naive-size 100000] [--seed 1]

Generates ``--size`` mobilities of one sending institution under ``erasmus-ka131-2024`` (200
partners at fixed distances in all country groups; 60% semester or year studies, 10% traineeships,
10% short-term blended mobilities, 20% staff weeks; a fifth with fewer opportunities, a fifth
travelling green), charged to 40 budgets. It times:

* ``calculate`` called for each mobility (every grant with its explanation lines);
* ``calculate_many`` on the whole batch (the same grants; identical components computed once);
* the forecast: the grants summed per budget against the budgets, by ``forecast.forecast``;
* the naive baseline: per mobility, SQL queries (SQLite, in memory, indexed) for its monthly rate,
  top-ups, distance band and daily rates, the amounts computed from the rows; then the forecast as
  one ``SUM … GROUP BY`` over a grants table filled row by row.

Both sides must give the same total to the cent. Target: the 100,000 grants under 2 s.
"""

import argparse
import random
import sqlite3
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from accord.algorithms.funding.calculate import MobilityInput, calculate, calculate_many
from accord.algorithms.funding.forecast import BudgetPosition, forecast
from accord.algorithms.funding.rules import RuleSet
from accord.algorithms.funding.shipped import shipped_rule_set

TARGET_SECONDS = 2.0
BUDGETS = 40
CENT = Decimal("0.01")


def mobilities(size: int, seed: int) -> tuple[list[MobilityInput], list[int]]:
    rnd = random.Random(seed)
    partners = [(rnd.randint(150, 9500), rnd.choice("123")) for _ in range(200)]
    result, budgets = [], []
    for _ in range(size):
        km, group = rnd.choice(partners)
        start = date(2025, 1, 1) + timedelta(days=rnd.randint(0, 500))
        draw = rnd.random()
        green = rnd.random() < 0.2
        if draw < 0.6:
            activity, days = "student-studies", rnd.choice([rnd.randint(120, 180), rnd.randint(270, 300)])
            travel_days = 4 if green else 0
        elif draw < 0.7:
            activity, days, travel_days = "student-traineeship", rnd.randint(60, 180), 4 if green else 0
        elif draw < 0.8:
            activity, days, travel_days = "student-short-term", rnd.randint(5, 30), 2
        else:
            activity, days, travel_days = (
                rnd.choice(["staff-teaching", "staff-training"]),
                rnd.randint(5, 7),
                2,
            )
        result.append(
            MobilityInput(
                activity=activity,
                start=start,
                end=start + timedelta(days=days - 1),
                distance_km=km,
                green_travel=green,
                fewer_opportunities=rnd.random() < 0.2,
                travel_days=travel_days,
                country_group=group,
            )
        )
        budgets.append(rnd.randrange(BUDGETS))
    return result, budgets


def database(rules: RuleSet) -> sqlite3.Connection:
    """The rates as a naive implementation keeps them: one row per figure."""
    connection = sqlite3.connect(":memory:")
    connection.executescript(
        """
        CREATE TABLE rate (activity TEXT, kind TEXT, group_code TEXT, first_day INT, last_day INT,
                           amount TEXT, factor TEXT);
        CREATE INDEX rate_lookup ON rate (activity, kind, group_code);
        CREATE TABLE band (min_km INT, max_km INT, standard TEXT, green TEXT);
        CREATE TABLE grant_row (budget INT, total TEXT);
        """
    )
    for activity in rules.activities.values():
        for component in activity.components:
            rows = []
            if component.type in ("monthly", "daily_tiers"):
                for group, figure in component.rates.items() or [("*", component.rate)]:
                    for tier in component.tiers or ():
                        amount = tier.rate.amount if tier.rate else figure.amount
                        factor = Decimal(1) if tier.rate else tier.factor
                        rows.append((component.type, group, tier.first, tier.last, str(amount), str(factor)))
                    if not component.tiers:
                        rows.append((component.type, group, 0, 0, str(figure.amount), "1"))
            elif component.type == "monthly_top_up":
                rows.append(
                    (
                        component.type + ":" + "|".join(sorted(component.requires)),
                        "*",
                        0,
                        0,
                        str(component.rate.amount),
                        "1",
                    )
                )
            elif component.type == "duration_top_up":
                rows += [
                    (component.type, "*", low, high, str(figure.amount), "1")
                    for low, high, figure in component.brackets
                ]
            elif component.type == "once":
                rows.append((component.type, "*", 0, 0, str(component.rate.amount), "1"))
            connection.executemany(
                "INSERT INTO rate VALUES (?, ?, ?, ?, ?, ?, ?)", [(activity.key, *row) for row in rows]
            )
    connection.executemany(
        "INSERT INTO band VALUES (?, ?, ?, ?)",
        [
            (
                b.min_km,
                b.max_km if b.max_km is not None else 10**9,
                str(b.standard.amount),
                str((b.green or b.standard).amount),
            )
            for b in rules.distance_bands
        ],
    )
    return connection


def naive_grant(db: sqlite3.Connection, mobility: MobilityInput) -> Decimal:
    """The grant as a per-mobility function with queries would compute it (same rules, same rounding)."""
    days = (mobility.end - mobility.start).days + 1
    total = Decimal(0)
    activity = mobility.activity
    students = activity.startswith("student-") and activity != "student-short-term"

    def one(sql: str, *args) -> tuple | None:
        return db.execute(sql, args).fetchone()

    if students:
        group = one(
            "SELECT group_code FROM rate WHERE activity=? AND kind='monthly' AND group_code=?",
            activity,
            mobility.country_group,
        )
        monthly = Decimal(
            one(
                "SELECT amount FROM rate WHERE activity=? AND kind='monthly' AND group_code=?",
                activity,
                group[0],
            )[0]
        )
        months, extra = divmod(days, 30)
        rates = [monthly]
        if mobility.fewer_opportunities:
            rates.append(
                Decimal(
                    one(
                        "SELECT amount FROM rate WHERE activity=? AND kind LIKE 'monthly_top_up:fewer%'",
                        activity,
                    )[0]
                )
            )
        if activity == "student-traineeship":
            rates.append(
                Decimal(
                    one(
                        "SELECT amount FROM rate WHERE activity=? AND kind LIKE 'monthly_top_up:trainee%'",
                        activity,
                    )[0]
                )
            )
        for rate in rates:
            total += rate * months + (rate * extra / 30).quantize(CENT, ROUND_HALF_UP)
        if mobility.green_travel and not mobility.fewer_opportunities:
            total += Decimal(one("SELECT amount FROM rate WHERE activity=? AND kind='once'", activity)[0])
        if mobility.travel_days:
            total += (monthly * mobility.travel_days / 30).quantize(CENT, ROUND_HALF_UP)
    else:
        group = mobility.country_group if activity.startswith("staff") else "*"
        funded = days + mobility.travel_days
        for first, last, amount, factor in db.execute(
            "SELECT first_day, last_day, amount, factor FROM rate WHERE activity=? AND kind='daily_tiers' "
            "AND group_code=? ORDER BY first_day",
            (activity, group),
        ):
            count = max(0, min(last, funded) - first + 1)
            total += Decimal(amount) * Decimal(factor) * count
        if activity == "student-short-term" and mobility.fewer_opportunities:
            row = one(
                "SELECT amount FROM rate WHERE activity=? AND kind='duration_top_up' AND ? BETWEEN first_day "
                "AND last_day",
                activity,
                days,
            )
            total += Decimal(row[0]) if row else 0
    if activity.startswith("staff") or mobility.fewer_opportunities:
        band = one("SELECT standard, green FROM band WHERE ? BETWEEN min_km AND max_km", mobility.distance_km)
        if band:
            total += Decimal(band[1] if mobility.green_travel else band[0])
    return total


def timed(function):
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--naive-size", type=int, default=None, help="Mobilities for the naive side (all).")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rules = shipped_rule_set("erasmus-ka131-2024")
    batch, budget_of = mobilities(args.size, args.seed)
    amounts = {str(b): Decimal(9_300_000) * args.size // 100_000 for b in range(BUDGETS)}

    one_by_one, t_one = timed(lambda: [calculate(rules, m) for m in batch])
    many, t_many = timed(lambda: calculate_many(rules, batch))
    lines = sum(len(grant.lines) for grant in many)

    def accord_forecast():
        charged: dict[str, Decimal] = defaultdict(Decimal)
        for grant, budget in zip(many, budget_of, strict=True):
            charged[str(budget)] += grant.total
        return forecast([BudgetPosition(k, v, Decimal(0)) for k, v in amounts.items()], charged)

    rows, t_forecast = timed(accord_forecast)
    accord_total = sum(grant.total for grant in many)
    assert accord_total == sum(grant.total for grant in one_by_one)

    naive_size = min(args.naive_size or args.size, args.size)
    db = database(rules)
    naive, t_naive = timed(lambda: [naive_grant(db, m) for m in batch[:naive_size]])

    def naive_forecast():
        for total, budget in zip(naive, budget_of, strict=False):
            db.execute("INSERT INTO grant_row VALUES (?, ?)", (budget, str(total)))
        return db.execute("SELECT budget, SUM(CAST(total AS REAL)) FROM grant_row GROUP BY budget").fetchall()

    _, t_naive_forecast = timed(naive_forecast)
    same = sum(naive) == sum(grant.total for grant in many[:naive_size])
    scale = args.size / naive_size

    print(
        f"{args.size:,} mobilities, {lines:,} explanation lines, {BUDGETS} budgets; "
        f"naive side on {naive_size:,}"
    )
    print(f"{'computation':<58}{'seconds':>10}{'per grant (µs)':>16}")
    for label, seconds, count in [
        ("Accord calculate() per mobility (lines + total)", t_one, args.size),
        ("Accord calculate_many() on the batch (lines + total)", t_many, args.size),
        ("Accord forecast over the batch", t_forecast, args.size),
        ("Naive: SQL queries per mobility (total only)", t_naive, naive_size),
        ("Naive: forecast by INSERT per grant + SUM GROUP BY", t_naive_forecast, naive_size),
    ]:
        print(f"{label:<58}{seconds:>10.3f}{seconds / count * 1e6:>16.1f}")
    naive_full = (t_naive + t_naive_forecast) * scale
    print(f"Totals agree to the cent: {same} ({accord_total} EUR over {args.size:,} grants)")
    print(
        "Speed-up of calculate_many + forecast over the naive side: "
        f"{naive_full / (t_many + t_forecast):.1f}×"
    )
    verdict = "met" if t_many < TARGET_SECONDS else "NOT met"
    print(f"Target: {args.size:,} grants under {TARGET_SECONDS} s — {verdict} ({t_many:.2f} s)")
    over = [row.key for row in rows if row.over]
    print(f"Budgets over-committed in the forecast: {len(over)} of {len(rows)}")


if __name__ == "__main__":
    main()
