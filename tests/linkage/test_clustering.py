"""Grouping scored pairs: links by falling score, never joining groups that contradict each other."""

import itertools

from hypothesis import given
from hypothesis import strategies as st

from tipims.linkage.clustering import cluster, dates_compatible


def test_a_chain_does_not_join_two_records_with_different_documents():
    groups = cluster(
        ["a", "b", "c"],
        [(0.99, "a", "b"), (0.80, "b", "c")],
        threshold=0.5,
        documents={"a": "111", "c": "222"},
    )
    assert groups["a"] == groups["b"]
    assert groups["c"] != groups["a"]


def test_a_document_mistyped_once_does_not_keep_a_person_apart():
    groups = cluster(["a", "b"], [(0.9, "a", "b")], threshold=0.5, documents={"a": "1234567", "b": "1234576"})
    assert groups["a"] == groups["b"]


def test_the_stronger_link_wins_when_two_links_contradict():
    groups = cluster(
        ["a", "b", "c"],
        [(0.70, "a", "b"), (0.95, "b", "c")],
        threshold=0.5,
        documents={"a": "111", "c": "222"},
    )
    assert groups["b"] == groups["c"] != groups["a"]


def test_dates_of_birth_that_cannot_be_one_persons_keep_groups_apart():
    groups = cluster(
        ["a", "b", "c"],
        [(0.9, "a", "b"), (0.8, "b", "c")],
        threshold=0.5,
        dates_of_birth={"a": "1990-03-04", "c": "1985-07-21"},
    )
    assert groups["a"] == groups["b"] != groups["c"]


def test_dates_compatible_accepts_swaps_typos_and_nearby_estimated_years():
    assert dates_compatible("1990-03-04", "1990-04-03")  # day and month swapped
    assert dates_compatible("1990-03-04", "1990-03-05")  # one typing error
    assert dates_compatible("1990", "1991-12-30")  # an estimated age
    assert not dates_compatible("1990", "1994-01-01")
    assert not dates_compatible("1990-03-04", "1991-07-22")


def test_human_not_same_decisions_are_never_overruled_by_scores():
    groups = cluster(
        [1, 2, 3],
        [(0.99, 1, 2), (0.99, 2, 3)],
        threshold=0.5,
        apart={1: {3}, 3: {1}},
    )
    assert groups[1] == groups[2]
    assert groups[3] != groups[1]


def test_links_under_the_threshold_join_nothing():
    groups = cluster(["a", "b"], [(0.49, "a", "b")], threshold=0.5)
    assert groups["a"] != groups["b"]


@given(
    st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 19), st.integers(0, 19)),
        max_size=60,
    ),
    st.dictionaries(st.integers(0, 19), st.sampled_from(["D1000", "D2222", "D3456"]), max_size=20),
)
def test_two_different_documents_share_a_group_only_through_their_own_link(pairs, documents):
    """No chain joins two documents: records with different documents end up in one group only when
    the pair of them was itself linked above the threshold (a data-entry error their score outweighs)."""
    groups = cluster(range(20), pairs, threshold=0.3, documents=documents)
    linked = {frozenset((a, b)) for score, a, b in pairs if score >= 0.3}
    for x, y in itertools.combinations(sorted(documents), 2):
        if groups[x] == groups[y] and documents[x] != documents[y]:
            assert frozenset((x, y)) in linked
