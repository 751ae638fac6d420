"""Ranking equivalent courses and partners, with the factors that placed them."""

from hypothesis import given
from hypothesis import strategies as st

from accord.algorithms.discovery.equivalence import (
    CourseFacts,
    EquivalenceWeights,
    credits_match,
    field_match,
    level_match,
    rank_equivalents,
)
from accord.algorithms.discovery.partners import (
    DEFAULT_WEIGHTS,
    FACTORS,
    Profile,
    is_global_south,
    missing_data,
    recommend,
)

HOST = CourseFacts("host", ects=6, isced="0613", eqf=6, language="es")


def test_factors():
    assert field_match("0613", "0613") == 1 and field_match("0613", "0612") == 0.7
    assert field_match("0613", "0688") == 0.4 and field_match("0613", "") == 0
    assert credits_match(6, 6) == 1 and credits_match(6, 3) == 0.5 and credits_match(None, 6) == 0
    assert level_match(6, 7) == 0.5 and level_match(6, 8) == 0


def test_memory_beats_a_closer_text_and_reasons_explain():
    courses = [CourseFacts("a", 6, "0613", 6, "de"), CourseFacts("b", 5, "0613", 6, "de")]
    ranked = rank_equivalents(
        host=HOST,
        candidates=courses,
        similarity={"a": 1.0, "b": 0.4},
        memory={"b": 2},
        weights=EquivalenceWeights(),
        limit=5,
    )
    assert [s.key for s in ranked] == ["b", "a"]
    assert ranked[0].reasons[0].kind == "approved_before" and ranked[0].reasons[0].detail["times"] == 2
    assert {reason.kind for reason in ranked[1].reasons} == {"similar_text", "credits", "field", "level"}


facts = st.builds(
    CourseFacts,
    key=st.integers(0, 1000),
    ects=st.one_of(st.none(), st.floats(0.5, 30)),
    isced=st.sampled_from(["", "0613", "0612", "0541", "0311"]),
    eqf=st.one_of(st.none(), st.integers(5, 8)),
    language=st.sampled_from(["", "de", "es"]),
)


@given(st.lists(facts, max_size=20, unique_by=lambda course: course.key), st.integers(1, 10))
def test_rankings_are_ordered_bounded_and_without_zeros(candidates, limit):
    similarity = {course.key: (course.key % 7) / 7 for course in candidates}
    ranked = rank_equivalents(
        host=HOST,
        candidates=candidates,
        similarity=similarity,
        memory={},
        weights=EquivalenceWeights(),
        limit=limit,
    )
    scores = [s.score for s in ranked]
    assert scores == sorted(scores, reverse=True) and len(ranked) <= limit
    assert all(0 < score <= 1.0001 for score in scores)


def test_partners_are_ranked_marked_and_explained():
    me = Profile(
        1, "PL", "Europe", frozenset({"0613"}), frozenset({"en", "pl"}), frozenset({2}), frozenset(), True
    )
    good = Profile(
        3, "BR", "South America", frozenset({"0613"}), frozenset({"en"}), frozenset(), frozenset(), True
    )
    partner = Profile(
        2, "DE", "Europe", frozenset({"0215"}), frozenset({"de"}), frozenset({1}), frozenset(), True
    )
    ranked = recommend(
        subject=me,
        candidates=[partner, good, me],
        text_similarity={3: 0.5},
        complementarity={3: 1.0},
        weights=DEFAULT_WEIGHTS,
        partner_continents={"Europe": 1},
        limit=10,
    )
    assert [r.key for r in ranked] == [3, 2]
    assert ranked[1].existing_partner and not ranked[0].existing_partner
    assert ranked[0].factors["new_region"] == 1 and ranked[0].factors["languages"] == 0.5
    assert set(ranked[0].factors) == set(FACTORS)


def test_global_south_and_missing_data():
    assert is_global_south("BR", "South America") and not is_global_south("JP", "Asia")
    assert not is_global_south("PL", "Europe") and not is_global_south("", "")
    assert missing_data(Profile(1)) == ["fields", "languages", "profile_text"]


weights = st.fixed_dictionaries({name: st.floats(0, 10) for name in FACTORS})
profiles = st.builds(
    Profile,
    key=st.integers(2, 50),
    country=st.sampled_from(["PL", "BR", "KE", "US"]),
    continent=st.sampled_from(["Europe", "South America", "Africa", "North America"]),
    fields=st.frozensets(st.sampled_from(["0613", "0541", "0215", "0311"])),
    languages=st.frozensets(st.sampled_from(["en", "fr", "pt"])),
    partners=st.frozensets(st.integers(1, 50)),
)


@given(profiles, st.lists(profiles, max_size=15), weights)
def test_scores_are_weighted_means_between_zero_and_one(subject, candidates, chosen):
    ranked = recommend(
        subject=subject,
        candidates=candidates,
        text_similarity={},
        complementarity={},
        weights=chosen,
        partner_continents={},
        limit=20,
    )
    assert all(0 <= r.score <= 1.0001 for r in ranked)
    assert all(all(0 <= value <= 1 for value in r.factors.values()) for r in ranked)
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
