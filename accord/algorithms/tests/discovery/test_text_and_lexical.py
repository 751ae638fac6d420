"""Folding, stems and the BM25 index."""

from hypothesis import given
from hypothesis import strategies as st

from accord.algorithms.discovery import lexical, text


def test_words_are_folded_and_cut_to_their_stems():
    assert text.fold("Ökologie ÉTÉ") == "okologie ete"
    assert text.stems("Algèbre linéaire") == text.stems("Lineare Algebra")[::-1]
    assert text.stems("Einführung in die Genetik") == ["genet"]


def test_bm25_prefers_the_document_with_the_rarer_shared_term():
    index = lexical.Bm25Index()
    index.add("db", text.stems("Bases de datos: SQL, transacciones"))
    index.add("net", text.stems("Redes: TCP, IP, routing"))
    index.add("both", text.stems("Sistemas: datos y redes"))
    scores = index.scores(text.stems("SQL transacciones"))
    assert max(scores, key=scores.get) == "db" and "net" not in scores
    assert lexical.normalised(scores)["db"] == 1.0
    assert not index.knows(text.stems("数据库"))


@given(st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=8), st.text(max_size=40))
def test_scores_are_positive_and_normalised_at_most_one(documents, query):
    index = lexical.Bm25Index()
    for number, document in enumerate(documents):
        index.add(number, text.stems(document))
    scores = index.scores(text.stems(query))
    assert all(score > 0 for score in scores.values())
    normalised = lexical.normalised(scores)
    assert all(0 < value <= 1.0 for value in normalised.values())
    assert set(scores) <= set(range(len(documents)))
