"""Power parity, group differences, Gini and degree centralisation (docs/methods.md §Power
parity)."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chisquare

from cpower_network.errors import GraphError, UsageError
from cpower_network.measures.parity import (
    GroupDifference,
    ParityResult,
    _relabelled_sums,
    degree_centralization,
    gini,
    group_difference,
    group_parity,
)

SCORES = pd.Series({"a": 3.0, "b": 1.0, "c": 0.0, "d": 0.0})


# --------------------------------------------------------------------------- group parity
def test_group_parity_by_hand() -> None:
    # G = {a, c}: S = (3 + 0)/4 = 0.75, m = 2/4 = 0.5, P = 0.75/0.5 = 1.5.
    r = group_parity(SCORES, ["a", "c"])
    assert r == ParityResult(share=0.75, membership_share=0.5, parity=1.5, group_size=2, n=4)
    # the complement: S = 0.25, m = 0.5, P = 0.5
    assert group_parity(SCORES, ["b", "d"]).parity == 0.5
    assert all(type(v) in (int, float) for v in r.as_dict().values())


def test_group_parity_accepts_boolean_series_and_mappings() -> None:
    flags = pd.Series({"a": True, "b": False, "c": True, "d": False})
    assert group_parity(SCORES, flags).parity == 1.5
    assert group_parity(SCORES.to_dict(), ("a", "c", "a")).group_size == 2  # duplicates ignored


def test_group_parity_undefined_cases_are_nan() -> None:
    empty = group_parity(SCORES, [])
    assert empty.share == 0.0 and empty.membership_share == 0.0 and math.isnan(empty.parity)
    zeros = group_parity(pd.Series({"a": 0.0, "b": 0.0}), ["a"])
    assert math.isnan(zeros.share) and math.isnan(zeros.parity)
    everyone = group_parity(SCORES, list("abcd"))
    assert (everyone.share, everyone.membership_share, everyone.parity) == (1.0, 1.0, 1.0)


@pytest.mark.parametrize(
    "scores, members, message",
    [
        (SCORES, ["a", "zz"], "no score"),
        (pd.Series({"a": -1.0, "b": 2.0}), ["a"], ">= 0"),
        (pd.Series({"a": np.nan, "b": 2.0}), ["a"], "finite"),
        (pd.Series(dtype=float), [], "no scores"),
        (SCORES, "ab", "not one string"),
        ([1.0, 2.0], [0], "Series or a mapping"),
    ],
)
def test_group_parity_rejects_pointless_input(scores, members, message) -> None:
    with pytest.raises(GraphError, match=message):
        group_parity(scores, members)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=30),
    st.integers(1, 4),
    st.randoms(use_true_random=False),
)
def test_parity_weighted_average_over_a_partition_is_one(values, k, rnd) -> None:
    scores = pd.Series(values, index=[f"m{i}" for i in range(len(values))])
    labels = [rnd.randrange(k) for _ in values]
    results = [
        group_parity(scores, [m for m, g in zip(scores.index, labels, strict=True) if g == grp])
        for grp in range(k)
    ]
    if scores.sum() == 0:
        assert all(math.isnan(r.share) for r in results)
        return
    assert sum(r.share for r in results) == pytest.approx(1.0)
    assert sum(r.membership_share * r.parity for r in results if r.group_size) == (
        pytest.approx(1.0)
    )


# --------------------------------------------------------------------------- group difference
def test_group_difference_matches_exact_enumeration() -> None:
    # scores a=4, b=3, c=1, d=0; G = {a, b}: D = 3.5 − 0.5 = 3. The 6 possible pairs give
    # D = 3, 1, 0, 0, −1, −3, so |D| >= 3 for 2 of 6: exact two-sided p = 1/3.
    scores = {"a": 4.0, "b": 3.0, "c": 1.0, "d": 0.0}
    r = group_difference(scores, ["a", "b"], permutations=20_000, seed=3)
    assert (r.difference, r.mean_members, r.mean_rest) == (3.0, 3.5, 0.5)
    assert r.p_value == pytest.approx(1 / 3, abs=0.015)
    assert (r.permutations, r.group_size, r.n) == (20_000, 2, 4)


def test_group_difference_ties_count_as_extreme() -> None:
    r = group_difference({m: 2.0 for m in "abcdef"}, ["a", "b"], permutations=1000, seed=0)
    assert r.difference == 0.0 and r.p_value == 1.0
    assert r.testable is False  # every relabelling gives 0: the null cannot reject


def test_group_difference_is_reproducible_and_two_sided() -> None:
    rng = np.random.default_rng(5)
    scores = pd.Series(rng.gamma(2.0, size=60), index=[f"m{i}" for i in range(60)])
    high = scores.sort_values().index[-10:]
    low = scores.sort_values().index[:10]
    a = group_difference(scores, high, seed=11)
    assert a == group_difference(scores, high, seed=11)
    assert a.difference > 0 and a.p_value < 0.01
    b = group_difference(scores, low, seed=11)
    assert b.difference < 0 and b.p_value < 0.01
    assert a.p_value >= 1 / 1001


def test_group_difference_degenerate_groups_are_nan() -> None:
    for members in ([], list("abcd")):
        r = group_difference(SCORES, members, seed=0)
        assert isinstance(r, GroupDifference)
        assert math.isnan(r.difference) and math.isnan(r.p_value)


@pytest.mark.parametrize("bad", [1, 999, -5, 2.5, True])
def test_group_difference_bad_permutations(bad) -> None:
    with pytest.raises(UsageError, match="permutations"):
        group_difference(SCORES, ["a"], permutations=bad)


def test_group_difference_without_draws_is_untested() -> None:
    r = group_difference(SCORES, ["a", "b"], permutations=0)
    assert r.difference == r.difference and math.isnan(r.p_value) and not r.testable


def test_group_difference_p_matches_exact_enumeration() -> None:
    # every one of the C(6, 2) = 15 relabellings of a two-member group, by hand
    scores = {"a": 9.0, "b": 7.0, "c": 3.0, "d": 2.0, "e": 1.0, "f": 0.0}
    values = np.array(list(scores.values()))
    total, observed = values.sum(), (9 + 7) / 2 - (3 + 2 + 1 + 0) / 4
    diffs = [values[list(pair)].sum() / 2 - (total - values[list(pair)].sum()) / 4
             for pair in itertools.combinations(range(6), 2)]
    exact = np.mean(np.abs(diffs) >= abs(observed) - 1e-12)  # 1/15: only {a, b}
    r = group_difference(scores, ["a", "b"], permutations=20_000, seed=2)
    assert exact == pytest.approx(1 / 15)
    assert r.p_value == pytest.approx(exact, abs=0.006)
    # the most extreme relabelling ({a, b} itself) gets p = 1/15 ≈ 0.067 > 0.05
    assert r.testable is False


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.data(), st.integers(0, 2**31 - 2))
def test_relabelled_groups_hold_exactly_k_members(n, data, seed) -> None:
    # one indicator column per member: a draw's sums say which members it picked
    k = data.draw(st.integers(0, n))
    picked = _relabelled_sums(np.eye(n), k, 1000, seed)
    assert picked.shape == (1000, n)
    assert set(np.unique(picked)) <= {0.0, 1.0}
    assert (picked.sum(axis=1) == k).all()


@pytest.mark.parametrize(("n", "k"), [(6, 2), (6, 3), (7, 5)])
def test_every_group_of_k_members_is_equally_likely(n, k) -> None:
    # C(6, 2) = 15, C(6, 3) = 20, C(7, 5) = 21 subsets, 42,000 draws: chi-square against
    # uniform. A sampler favouring early or late members (say, a partial shuffle drawn
    # the wrong way) fails this by hundreds of standard errors.
    draws = _relabelled_sums(np.eye(n), k, 42_000, 7)
    counts = Counter(tuple(np.flatnonzero(row)) for row in draws)
    subsets = list(itertools.combinations(range(n), k))
    assert set(counts) == set(subsets)
    found = chisquare([counts[s] for s in subsets])
    assert found.pvalue > 1e-4
    # every member is in the group in a share k/n of the draws
    assert np.abs(draws.mean(axis=0) - k / n).max() < 0.01


# --------------------------------------------------------------------------- gini
def test_gini_by_hand() -> None:
    # [1, 2, 3, 4]: Σ_i Σ_j |x_i − x_j| = 2·(1+2+3+1+2+1) = 20; 2 n² μ = 2·16·2.5 = 80.
    assert gini([1, 2, 3, 4]) == pytest.approx(0.25)
    assert gini([4, 1, 3, 2], corrected=True) == pytest.approx(0.25 * 4 / 3)
    # one holder of everything: 1 − 1/n, or exactly 1 when corrected
    assert gini([0, 0, 0, 4]) == 0.75
    assert gini([0, 0, 0, 4], corrected=True) == 1.0
    assert gini(pd.Series([5.0, 5.0])) == 0.0
    assert gini({"a": 1.0, "b": 3.0}) == pytest.approx(0.25)  # |1−3|·2 / (2·4·2)


def test_gini_karate_degree_published() -> None:
    """KONECT, "Zachary karate club" (http://konect.cc/networks/ucidata-zachary/) prints the
    Gini coefficient of its degree distribution as G = 0.385370."""
    degrees = [d for _, d in nx.karate_club_graph().degree()]
    assert gini(degrees) == pytest.approx(0.385370, abs=5e-7)


def test_gini_edge_cases() -> None:
    assert math.isnan(gini([]))
    assert gini([0, 0, 0]) == 0.0
    assert gini([7.0]) == 0.0 and gini([7.0], corrected=True) == 0.0
    for bad in ([1, -1], [1, float("nan")], [float("inf")], ["x"]):
        with pytest.raises(GraphError):
            gini(bad)


@settings(max_examples=300, deadline=None)
@given(
    # zero or a normal float: subnormals (5e-324) lose all precision when scaled, which
    # says nothing about the Gini
    st.lists(st.one_of(st.just(0.0), st.floats(1e-6, 1e6)), min_size=1, max_size=40),
    st.floats(0.01, 100),
)
def test_gini_properties(values, scale) -> None:
    g = gini(values)
    assert 0.0 <= g <= 1.0
    assert 0.0 <= gini(values, corrected=True) <= 1.0
    assert gini(list(reversed(values))) == pytest.approx(g, abs=1e-9)
    assert gini([v * scale for v in values]) == pytest.approx(g, abs=1e-9)
    x = np.asarray(values)
    if x.sum() > 0:
        pairwise = np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())
        assert g == pytest.approx(pairwise, abs=1e-9)


# --------------------------------------------------------------------------- centralisation
def test_degree_centralization_by_hand() -> None:
    # The hand-drawn graph of test_centrality: a→b, b→c, c→a, a→c, d→c, isolate e.
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("a", "c"), ("d", "c")])
    G.add_node("e")
    # in-degrees 1,1,3,0,0: Σ(3 − k) = 2+2+0+3+3 = 10 over (n−1)² = 16
    assert degree_centralization(G, direction="in") == 10 / 16
    # out-degrees 2,1,1,1,0: Σ(2 − k) = 0+1+1+1+2 = 5 over 16
    assert degree_centralization(G, direction="out") == 5 / 16
    # undirected projection degrees 2,2,3,1,0: Σ(3 − k) = 1+1+0+2+3 = 7 over (n−1)(n−2) = 12
    assert degree_centralization(G, direction="all") == 7 / 12


def test_degree_centralization_freeman_extremes_and_classics() -> None:
    """Freeman (1978): C_D = 1 for the star (the most centralised graph), 0 when all
    degrees are equal (complete graph, circle)."""
    for n in (3, 5, 12):
        assert degree_centralization(nx.star_graph(n - 1)) == 1.0
        assert degree_centralization(nx.complete_graph(n)) == 0.0
        assert degree_centralization(nx.cycle_graph(n)) == 0.0
        in_star = nx.DiGraph([(i, 0) for i in range(1, n)])
        assert degree_centralization(in_star, direction="in") == 1.0
        assert degree_centralization(in_star.reverse(), direction="out") == 1.0
        assert degree_centralization(in_star, direction="all") == 1.0
        # the in-star seen by out-degree: only the centre (0) is below max 1 → 1/(n−1)²
        assert degree_centralization(in_star, direction="out") == pytest.approx(1 / (n - 1) ** 2)
    # Kite (undirected), degrees 4,4,3,6,3,5,5,3,2,1: Σ(6 − k) = 24 over 9·8 → 1/3.
    # Equivalently (n·k_max − Σk)/((n−1)(n−2)) = (60 − 36)/72.
    assert degree_centralization(nx.krackhardt_kite_graph()) == pytest.approx(1 / 3)
    # Karate: k_max = 17, Σk = 156: (34·17 − 156)/(33·32) = 422/1056.
    assert degree_centralization(nx.karate_club_graph()) == pytest.approx(422 / 1056)


def test_degree_centralization_small_and_bad_input() -> None:
    assert math.isnan(degree_centralization(nx.path_graph(2)))
    single = nx.DiGraph()
    single.add_node(0)
    assert math.isnan(degree_centralization(single, direction="in"))
    assert degree_centralization(nx.DiGraph([(0, 1)]), direction="in") == 1.0
    G = nx.DiGraph([(0, 1), (1, 1), (2, 1)])  # the self-loop does not count
    assert degree_centralization(G, direction="in") == 1.0
    with pytest.raises(UsageError, match="direction"):
        degree_centralization(G, direction="both")
    with pytest.raises(GraphError):
        degree_centralization(nx.DiGraph())


@settings(max_examples=150, deadline=None)
@given(st.integers(3, 10), st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)),
                                    max_size=40))
def test_degree_centralization_in_unit_interval(n, arcs) -> None:
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    G.add_edges_from((u, v) for u, v in arcs if u < n and v < n)
    for direction in ("in", "out", "all"):
        assert 0.0 <= degree_centralization(G, direction=direction) <= 1.0


def test_every_star_maximises_centralization() -> None:
    # brute force over all undirected graphs on 5 nodes: nothing beats the star
    nodes = range(5)
    pairs = list(itertools.combinations(nodes, 2))
    best = 0.0
    for mask in range(1, 1 << len(pairs)):
        G = nx.Graph()
        G.add_nodes_from(nodes)
        G.add_edges_from(p for i, p in enumerate(pairs) if mask >> i & 1)
        best = max(best, degree_centralization(G))
    assert best == 1.0
