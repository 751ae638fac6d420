"""Benchmark of the institution dashboard against a naive per-row computation, in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/accord_bench_dashboard \
        .venv/bin/python benchmarks/dashboard.py [--mobilities 100000] [--agreements 5000] \
        [--organisations 500] [--naive-up-to 200000]

The issue's scale is ``--mobilities 1000000 --agreements 50000 --organisations 5000`` (minutes to
generate); the default is a tenth of it. The script creates a fresh database (dropping one of the
same name), migrates it, generates organisations, partnerships with one agreement each, users and
mobilities with ``bulk_create`` (COPY-like batches), then for the busiest institution times:

* **Accord**: ``evaluation.selectors.dashboard`` (every headline indicator, the time series, the
  flows between countries and the breakdowns), best of three, with its query count;
* **naive**: the same headline counts (people by year and direction, months, women, partner
  countries) computed in Python by iterating over every mobility row of the institution, the way a
  hand-written report usually starts; skipped above ``--naive-up-to`` mobilities.
"""

import argparse
import os
import random
import sys
import time
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")


class QueryCounter:
    """Counts the queries a block runs (Django's own query log stops at 9,000)."""

    def __init__(self, connection):
        self.connection = connection
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = self.connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapper.__exit__(*exc)


COUNTRIES = ["PL", "ES", "KE", "IN", "BR", "FR", "DE", "VN", "MX", "ZA", "TR", "JP"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mobilities", type=int, default=100_000)
    parser.add_argument("--agreements", type=int, default=5_000)
    parser.add_argument("--organisations", type=int, default=500)
    parser.add_argument("--naive-up-to", type=int, default=200_000)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own (it is dropped and recreated).")

    import django
    from django.test.utils import setup_databases

    django.setup()
    from django.db import connection

    from accord.accounts.models import User
    from accord.agreements.models import Agreement
    from accord.evaluation import selectors
    from accord.evaluation.library import Period
    from accord.mobilities.choices import MobilityStatus, MobilityType
    from accord.mobilities.models import Gender, Mobility, ParticipantDetails
    from accord.organisations.models import Organisation
    from accord.partnerships.models import Partnership, PartnershipMember

    started = time.perf_counter()
    setup_databases(verbosity=0, interactive=False, keepdb=False)
    rng = random.Random(18)
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Bench University {n}",
                country_code=COUNTRIES[n % len(COUNTRIES)],
                schac_code=f"b{n}.example.edu",
            )
            for n in range(args.organisations)
        ],
        batch_size=5000,
    )
    home = organisations[0]
    partnerships = Partnership.objects.bulk_create(
        [
            Partnership(title=f"Bench partnership {n}", model="bilateral_exchange")
            for n in range(args.agreements)
        ],
        batch_size=5000,
    )
    members, agreements = [], []
    for n, partnership in enumerate(partnerships):
        first = organisations[0] if n % 10 == 0 else organisations[rng.randrange(1, len(organisations))]
        second = organisations[rng.randrange(1, len(organisations))]
        if second.pk == first.pk:
            second = (
                organisations[(organisations.index(first) + 1) % len(organisations)]
                if first is not organisations[-1]
                else organisations[1]
            )
        members += [
            PartnershipMember(partnership=partnership, organisation=first, role="coordinator"),
            PartnershipMember(partnership=partnership, organisation=second, role="partner"),
        ]
        agreements.append(Agreement(partnership=partnership, owner=first, title=f"Agreement {n}"))
    PartnershipMember.objects.bulk_create(members, batch_size=10000)
    agreements = Agreement.objects.bulk_create(agreements, batch_size=10000)
    people = User.objects.bulk_create(
        [
            User(username=f"bench{n}", email=f"bench{n}@example.org", password="!")
            for n in range(min(args.mobilities, 50_000))
        ],
        batch_size=10000,
    )
    ParticipantDetails.objects.bulk_create(
        [
            ParticipantDetails(
                user=p,
                birth_date=date(2000, 1, 1),
                nationality=rng.choice(COUNTRIES),
                gender=rng.choice((1, 2)),
                global_id=f"u{p.pk}",
            )
            for p in people
        ],
        batch_size=10000,
    )
    types = [t.value for t in MobilityType]
    batch = []
    for n in range(args.mobilities):
        agreement = agreements[rng.randrange(len(agreements))]
        sending = home if n % 5 == 0 else organisations[rng.randrange(1, len(organisations))]
        receiving = organisations[rng.randrange(1, len(organisations))]
        year = 2021 + n % 5
        batch.append(
            Mobility(
                participant=people[n % len(people)],
                mobility_type=types[n % len(types)],
                sending_organisation=sending,
                receiving_organisation=receiving if n % 7 else home,
                agreement=agreement,
                academic_year=f"{year}/{year + 1}",
                planned_start=date(year, 10, 1),
                planned_end=date(year + 1, 2, 1),
                duration_days=124,
                duration_months=Decimal("4.13"),
                eqf_level=6 + n % 2,
                isced_code="0714",
                status=MobilityStatus.COMPLETED,
            )
        )
        if len(batch) == 20_000:
            Mobility.objects.bulk_create(batch)
            batch = []
    Mobility.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    generated = time.perf_counter() - started

    user = User.objects.create_superuser("bench-admin", "admin@example.org", "x")
    scope, _record = selectors.scope_for_user(user=user, kind="institution", pk=home.pk)
    period = Period(2021, 2025)
    best, queries = float("inf"), 0
    for _attempt in range(3):
        with QueryCounter(connection) as captured:
            begin = time.perf_counter()
            selectors.dashboard(user=user, scope=scope, period=period)
            best = min(best, time.perf_counter() - begin)
        queries = captured.count
    institution_rows = (
        Mobility.objects.filter(sending_organisation=home).count()
        + Mobility.objects.filter(receiving_organisation=home).count()
    )
    naive_time, naive_queries = None, None
    if args.mobilities <= args.naive_up_to:
        with QueryCounter(connection) as captured:
            begin = time.perf_counter()
            totals: Counter = Counter()
            for mobility in Mobility.objects.filter(academic_year__in=period.labels).exclude(
                status="cancelled"
            ):
                if home.pk not in (mobility.sending_organisation_id, mobility.receiving_organisation_id):
                    continue
                direction = "out" if mobility.sending_organisation_id == home.pk else "in"
                totals[(mobility.academic_year, direction)] += 1
                totals["months"] += mobility.duration_months
                details = getattr(mobility.participant, "participant_details", None)
                totals["women"] += details is not None and details.gender == Gender.FEMALE
                partner = (
                    mobility.receiving_organisation if direction == "out" else mobility.sending_organisation
                )
                totals[partner.country_code] += 1
            naive_time = time.perf_counter() - begin
        naive_queries = captured.count
    print(
        f"generated {args.mobilities:,} mobilities, {args.agreements:,} agreements, "
        f"{args.organisations:,} organisations in {generated:.1f} s"
    )
    print(f"institution {home.name}: about {institution_rows:,} of its mobilities")
    print(f"{'computation':<36}{'server time':>14}{'queries':>10}")
    print(f"{'Accord (grouped in the database)':<36}{best * 1000:>11.0f} ms{queries:>10}")
    if naive_time is not None:
        print(f"{'naive per-row Python':<36}{naive_time * 1000:>11.0f} ms{naive_queries:>10}")
    else:
        print(f"{'naive per-row Python':<36}{'skipped':>14}")


if __name__ == "__main__":
    main()
