"""E-I index, mixing matrix, assortativity and bridging members (docs/methods.md §Cross-silo
ties)."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpower_network.errors import GraphError, UsageError
from cpower_network.measures.crosssilo import (
    assortativity,
    bridging_members,
    ei_index,
    mixing_matrix,
)

SILOS = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C"}


def drawn() -> nx.DiGraph:
    """The hand-drawn graph every hand computation below refers to.

    Silos A = {a1, a2, a3}, B = {b1, b2}, C = {c1}. Arcs (I internal, E external):
      a1->a2 I, a2->a1 I, a1->b1 E, a3->a1 I, b1->b2 I, b2->c1 E, c1->a3 E, b1->a2 E
    """
    G = nx.DiGraph()
    G.add_nodes_from((v, {"silo": s}) for v, s in SILOS.items())
    G.add_edges_from(
        [
            ("a1", "a2"),
            ("a2", "a1"),
            ("a1", "b1"),
            ("a3", "a1"),
            ("b1", "b2"),
            ("b2", "c1"),
            ("c1", "a3"),
            ("b1", "a2"),
        ],
        weight=1.0,
    )
    return G


# ------------------------------------------------------------------ E-I, hand computed
def test_whole_network_ei_counts_arcs():
    res = ei_index(drawn(), "silo", permutations=0)
    # E = 4 (a1->b1, b2->c1, c1->a3, b1->a2), I = 4  =>  (4 - 4) / 8 = 0
    assert res.value == 0.0
    assert (res.external, res.internal) == (4.0, 4.0)


def test_expected_is_analytic():
    # n = 6, sizes 3, 2, 1: p(same) = (3*2 + 2*1 + 0) / (6*5) = 8/30; E[EI] = 1 - 16/30
    assert ei_index(drawn(), "silo", permutations=0).expected == pytest.approx(14 / 30)


def test_by_group_is_ties_sent_by_members():
    # A sends a1->a2, a2->a1, a3->a1 (I = 3) and a1->b1 (E = 1): (1 - 3) / 4 = -0.5
    # B sends b1->b2 (I = 1), b2->c1, b1->a2 (E = 2): 1/3.  C sends c1->a3 (E = 1): 1.
    res = ei_index(drawn(), "silo", permutations=0)
    assert res.by_group == pytest.approx({"A": -0.5, "B": 1 / 3, "C": 1.0})
    assert list(res.by_group) == ["A", "B", "C"]


def test_by_member_uses_out_ties_and_nan_without_any():
    G = drawn()
    G.add_node("z", silo="C")  # an isolate (e.g. a non-respondent nobody named)
    res = ei_index(G, "silo", permutations=0)
    # a1: a2 (I), b1 (E) -> 0;  a2: a1 (I) -> -1;  b2: c1 (E) -> 1;  b1: b2 I, a2 E -> 0
    expected = {"a1": 0.0, "a2": -1.0, "a3": -1.0, "b1": 0.0, "b2": 1.0, "c1": 1.0}
    assert {k: res.by_member[k] for k in expected} == expected
    assert math.isnan(res.by_member["z"])
    assert list(res.by_member) == list(G)  # every member, in G's order


def test_weighted_sums_weights():
    G = drawn()
    G["a1"]["b1"]["weight"] = 3.0
    # E = 3 + 1 + 1 + 1 = 6, I = 4  =>  (6 - 4) / 10 = 0.2
    assert ei_index(G, "silo", weight="weight", permutations=0).value == pytest.approx(0.2)
    assert ei_index(G, "silo", permutations=0).value == 0.0  # counting ignores weights


def test_undirected_counts_edges_once_and_rows_twice():
    G = nx.Graph([("a1", "a2"), ("a1", "b1"), ("b1", "b2")])
    nx.set_node_attributes(G, SILOS, "silo")
    res = ei_index(G, "silo", permutations=0)
    # E = 1 (a1-b1), I = 2  =>  -1/3
    assert res.value == pytest.approx(-1 / 3)
    assert (res.external, res.internal) == (1.0, 2.0)
    # A's members send a1-a2 twice (from a1 and from a2) and a1-b1 once: (1 - 2) / 3
    assert res.by_group == pytest.approx({"A": -1 / 3, "B": -1 / 3})
    assert res.by_member == pytest.approx({"a1": 0.0, "a2": -1.0, "b1": 0.0, "b2": -1.0})


def test_symmetric_digraph_and_graph_agree():
    U = nx.Graph([("a1", "a2"), ("a1", "b1"), ("b1", "b2"), ("b2", "c1")])
    nx.set_node_attributes(U, SILOS, "silo")
    D = U.to_directed()
    r_u, r_d = ei_index(U, "silo", permutations=0), ei_index(D, "silo", permutations=0)
    assert r_u.value == pytest.approx(r_d.value)
    assert r_u.by_group == pytest.approx(r_d.by_group)
    assert r_u.by_member == pytest.approx(r_d.by_member)


def test_no_ties():
    G = nx.DiGraph()
    G.add_nodes_from((v, {"silo": s}) for v, s in SILOS.items())
    res = ei_index(G, "silo", seed=1)
    assert math.isnan(res.value) and math.isnan(res.expected) and math.isnan(res.p_value)
    assert res.permutations == 0
    assert all(math.isnan(v) for v in res.by_member.values())
    assert all(math.isnan(v) for v in res.by_group.values())


def test_one_group():
    G = nx.DiGraph([(1, 2), (2, 3)])
    nx.set_node_attributes(G, "only", "silo")
    res = ei_index(G, "silo", permutations=1000, seed=3)
    assert (res.value, res.expected, res.p_value) == (-1.0, -1.0, 1.0)


def test_self_loops_are_ignored():
    G = drawn()
    G.add_edge("a1", "a1")
    assert ei_index(G, "silo", permutations=0).internal == 4.0
    assert mixing_matrix(G, "silo").to_numpy().sum() == 8


def test_results_are_plain_python():
    res = ei_index(drawn(), "silo", permutations=1000, seed=1)
    for value in (res.value, res.expected, res.p_value, res.internal, res.external):
        assert type(value) is float
    assert type(res.permutations) is int
    assert all(type(v) is float for v in res.by_group.values())
    assert all(type(v) is float for v in res.by_member.values())


# ------------------------------------------------------------------ permutation test
def exact_two_sided_p(G: nx.Graph) -> tuple[float, float]:
    """Exact permutation distribution by enumerating every relabelling (n = 6: 720)."""
    nodes = list(G)
    labels = [G.nodes[v]["silo"] for v in nodes]
    observed = ei_index(G, "silo", permutations=0)
    values = []
    for perm in itertools.permutations(labels):
        H = G.copy()
        nx.set_node_attributes(H, dict(zip(nodes, perm, strict=True)), "silo")
        values.append(ei_index(H, "silo", permutations=0).value)
    values = np.array(values)
    dev = abs(observed.value - observed.expected)
    return float(values.mean()), float(np.mean(np.abs(values - observed.expected) >= dev - 1e-9))


def test_expected_equals_mean_of_all_relabellings_and_p_is_exact():
    G = drawn()
    mean, exact_p = exact_two_sided_p(G)
    res = ei_index(G, "silo", permutations=20_000, seed=7)
    assert res.expected == pytest.approx(mean, abs=1e-12)
    assert res.p_value == pytest.approx(exact_p, abs=0.015)


def test_segregated_network_is_significant():
    G = nx.disjoint_union(nx.complete_graph(8, nx.DiGraph), nx.complete_graph(8, nx.DiGraph))
    nx.set_node_attributes(G, {v: "x" if v < 8 else "y" for v in G}, "silo")
    res = ei_index(G, "silo", permutations=1000, seed=0)
    assert res.value == -1.0
    assert res.p_value == pytest.approx(1 / 1001)
    assert res.permutations == 1000


def test_seed_determinism_and_insertion_order():
    G = drawn()
    H = nx.DiGraph()
    H.add_nodes_from(reversed(list(G.nodes(data=True))))
    H.add_edges_from(reversed(list(G.edges(data=True))))
    a = ei_index(G, "silo", permutations=1000, seed=11)
    b = ei_index(G, "silo", permutations=1000, seed=11)
    c = ei_index(H, "silo", permutations=1000, seed=11)
    assert a == b
    assert a.p_value == c.p_value


def test_bad_permutations():
    with pytest.raises(UsageError, match="permutations"):
        ei_index(drawn(), "silo", permutations=-1)
    assert math.isnan(ei_index(drawn(), "silo", permutations=0).p_value)


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize("value", [None, float("nan"), pd.NA])
def test_missing_attribute_names_member(value):
    G = drawn()
    G.nodes["b2"]["silo"] = value
    for call in (ei_index, mixing_matrix, assortativity, bridging_members):
        with pytest.raises(GraphError, match=r"'b2'.*'silo'"):
            call(G, "silo")


def test_absent_attribute_is_graph_error_not_key_error():
    with pytest.raises(GraphError, match="sector"):
        ei_index(drawn(), "sector")


def test_negative_weight_is_graph_error():
    G = drawn()
    G["a1"]["a2"]["weight"] = -1
    with pytest.raises(GraphError, match="weight"):
        ei_index(G, "silo", weight="weight")


# ------------------------------------------------------------------ mixing matrix
def test_mixing_matrix_counts():
    m = mixing_matrix(drawn(), "silo")
    # rows = sender: A->A 3, A->B 1; B->A 1, B->B 1, B->C 1; C->A 1
    expected = pd.DataFrame(
        [[3, 1, 0], [1, 1, 1], [1, 0, 0]],
        index=pd.Index(["A", "B", "C"], name="sender"),
        columns=pd.Index(["A", "B", "C"], name="receiver"),
    )
    pd.testing.assert_frame_equal(m, expected, check_index_type=False, check_column_type=False)
    assert m.to_numpy().dtype == np.int64


def test_mixing_matrix_density():
    d = mixing_matrix(drawn(), "silo", normalized=True).to_numpy()
    # A->A 3/(3*2), A->B 1/(3*2), A->C 0/(3*1); B->A 1/(2*3), B->B 1/(2*1), B->C 1/(2*1);
    # C->A 1/(1*3), C->B 0/(1*2), C->C undefined (one member: no pair)
    expected = [[0.5, 1 / 6, 0.0], [1 / 6, 0.5, 0.5], [1 / 3, 0.0, np.nan]]
    np.testing.assert_allclose(d, expected)


def test_mixing_matrix_weighted_and_undirected():
    G = drawn()
    G["a1"]["b1"]["weight"] = 2.5
    assert mixing_matrix(G, "silo", weight="weight").loc["A", "B"] == 2.5
    U = nx.Graph([("a1", "a2"), ("a1", "b1"), ("b1", "b2")])
    nx.set_node_attributes(U, SILOS, "silo")
    m = mixing_matrix(U, "silo")
    # each edge in both cells: an internal edge adds 2 to the diagonal
    assert m.to_numpy().tolist() == [[2, 1], [1, 2]]
    # density of A: 2 / (2 * 1) = 1 (the one possible undirected pair is tied)
    assert mixing_matrix(U, "silo", normalized=True).loc["A", "A"] == 1.0


def test_mixing_matrix_keeps_silos_without_ties():
    G = drawn()
    G.add_node("d1", silo="D")
    m = mixing_matrix(G, "silo")
    assert list(m.index) == ["A", "B", "C", "D"] and m.loc["D"].sum() == 0


# ------------------------------------------------------------------ assortativity
def test_assortativity_hand_computed_directed():
    # e = [[3, 1, 0], [1, 1, 1], [1, 0, 0]] / 8; trace 4/8; a = (4, 3, 1)/8, b = (5, 2, 1)/8
    # sum a_i b_i = 27/64; r = (32/64 - 27/64) / (1 - 27/64) = 5/37
    r = assortativity(drawn(), "silo")
    assert r == pytest.approx(5 / 37)
    assert type(r) is float


def test_assortativity_edge_cases():
    G = nx.DiGraph()
    G.add_nodes_from((v, {"silo": s}) for v, s in SILOS.items())
    assert math.isnan(assortativity(G, "silo"))
    H = nx.DiGraph([(1, 2), (2, 3)])
    nx.set_node_attributes(H, "x", "silo")
    assert math.isnan(assortativity(H, "silo"))
    K = nx.DiGraph([(1, 2), (3, 4)])
    nx.set_node_attributes(K, {1: "x", 2: "x", 3: "y", 4: "y"}, "silo")
    assert assortativity(K, "silo") == 1.0


# ------------------------------------------------------------------ bridging
def test_bridging_members():
    # c1 is tied to b2 (B, names c1) and a3 (A, named by c1): two other silos
    assert bridging_members(drawn(), "silo") == {"c1": ["A", "B"]}
    one = bridging_members(drawn(), "silo", min_groups=1)
    assert one == {
        "a1": ["B"],
        "a2": ["B"],
        "a3": ["C"],
        "b1": ["A"],
        "b2": ["C"],
        "c1": ["A", "B"],
    }
    with pytest.raises(UsageError):
        bridging_members(drawn(), "silo", min_groups=0)


# ------------------------------------------------------------------ properties
@st.composite
def graphs(draw, directed=True):
    n = draw(st.integers(1, 12))
    k = draw(st.integers(1, 4))
    labels = draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=40))
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from((i, {"silo": f"s{labels[i]}"}) for i in range(n))
    for u, v in pairs:
        G.add_edge(u, v, weight=draw(st.floats(0.5, 5)))
    return G


@settings(max_examples=60, deadline=None)
@given(graphs(), st.booleans())
def test_ei_bounds_and_consistency(G, weighted):
    weight = "weight" if weighted else None
    res = ei_index(G, "silo", weight=weight, permutations=1000, seed=0)
    m = mixing_matrix(G, "silo", weight=weight).to_numpy()
    internal, total = np.trace(m), m.sum()
    if total == 0:
        assert math.isnan(res.value)
        return
    assert -1.0 <= res.value <= 1.0
    assert res.value == pytest.approx((total - 2 * internal) / total)
    assert -1.0 <= res.expected <= 1.0
    assert 0.0 < res.p_value <= 1.0
    assert all(-1 <= v <= 1 for v in res.by_group.values() if not math.isnan(v))
    assert all(-1 <= v <= 1 for v in res.by_member.values() if not math.isnan(v))


@settings(max_examples=60, deadline=None)
@given(graphs(directed=True))
def test_mixing_sum_equals_arcs(G):
    arcs = sum(1 for u, v in G.edges() if u != v)
    assert mixing_matrix(G, "silo").to_numpy().sum() == arcs


@settings(max_examples=60, deadline=None)
@given(graphs(directed=False))
def test_mixing_undirected_is_symmetric_and_doubles(G):
    m = mixing_matrix(G, "silo").to_numpy()
    edges = sum(1 for u, v in G.edges() if u != v)
    assert m.sum() == 2 * edges
    assert (m == m.T).all()


# ------------------------------------------------------------------ respondent strata
def _stratified_network():
    """Six members: a, b, c answered (silos x, x, y); d, e, f did not (x, y, y)."""
    G = nx.DiGraph([("a", "b"), ("a", "d"), ("b", "e"), ("c", "f"), ("c", "a")])
    G.add_nodes_from(["d", "e", "f"])
    silo = {"a": "x", "b": "x", "c": "y", "d": "x", "e": "y", "f": "y"}
    nx.set_node_attributes(G, silo, "silo")
    nx.set_node_attributes(G, {v: v in "abc" for v in G}, "respondent")
    return G


def _all_stratified_values(G):
    """E-I under every relabelling that keeps each stratum's multiset of silos."""
    strata = [[v for v in sorted(G) if G.nodes[v]["respondent"] is flag]
              for flag in (True, False)]
    values = []
    for first in set(itertools.permutations([G.nodes[v]["silo"] for v in strata[0]])):
        for second in set(itertools.permutations([G.nodes[v]["silo"] for v in strata[1]])):
            labels = dict(zip(strata[0] + strata[1], first + second, strict=True))
            H = G.copy()
            nx.set_node_attributes(H, labels, "silo")
            values.append(ei_index(H, "silo", permutations=0, strata=None).value)
    return values


def test_expected_is_the_exact_mean_of_relabellings_within_strata():
    # respondents {x, x, y}: 3 distinct arrangements; non-respondents {x, y, y}: 3
    G = _stratified_network()
    values = _all_stratified_values(G)
    assert len(values) == 9
    res = ei_index(G, "silo", permutations=0)
    assert res.expected == pytest.approx(sum(values) / len(values))
    # by hand: arcs RR (a->b, c->a): P(same) = 2·1/(3·2) = 1/3; RN (a->d, b->e, c->f):
    # P(same) = (2·1 + 1·2)/(3·3) = 4/9; E = 1 − 2 (2/3 + 4/3)/5 = 0.2
    assert res.expected == pytest.approx(0.2)
    # the classic null (labels over all six) expects 1 − 2·(3·2 + 3·2)/30 = 0.2 as well
    # here by symmetry of sizes; it differs once strata are uneven (next test)


def test_stratified_p_value_matches_exact_enumeration():
    G = _stratified_network()
    values = np.array(_all_stratified_values(G))
    res = ei_index(G, "silo", permutations=20_000, seed=5)
    exact = np.mean(np.abs(values - res.expected) >= abs(res.value - res.expected) - 1e-9)
    assert res.p_value == pytest.approx(exact, abs=0.015)
    assert res.testable is False  # 9 arrangements: the most extreme has p ≥ 1/9


def test_strata_change_the_expectation_when_response_differs_by_silo():
    # silo x: every member answered; silo y: none did. Ties can only start in x.
    G = nx.DiGraph()
    silo = {f"x{i}": "x" for i in range(4)} | {f"y{i}": "y" for i in range(4)}
    G.add_nodes_from(silo)
    nx.set_node_attributes(G, silo, "silo")
    nx.set_node_attributes(G, {v: v.startswith("x") for v in G}, "respondent")
    G.add_edges_from([("x0", "x1"), ("x1", "y0"), ("x2", "y1"), ("x3", "x0")])
    strat = ei_index(G, "silo", permutations=0)
    classic = ei_index(G, "silo", permutations=0, strata=None)
    # strata: respondents are all x, non-respondents all y → relabelling changes nothing
    assert strat.expected == pytest.approx(strat.value) == pytest.approx(0.0)
    assert classic.expected == pytest.approx(1 - 2 * (4 * 3 + 4 * 3) / 56)
    assert strat.response_rates == {"x": 1.0, "y": 0.0}
    assert classic.response_rates == {}


def test_too_few_draws_are_refused():
    with pytest.raises(UsageError, match="at least 1000"):
        ei_index(drawn(), "silo", permutations=999)
