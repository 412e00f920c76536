"""Member centralities (docs/methods.md §Centrality) and the igraph engine."""

from __future__ import annotations

import gc
import weakref

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpower_network.errors import GraphError, UsageError
from cpower_network.measures import engine
from cpower_network.measures.centrality import (
    COLUMNS,
    betweenness,
    core_number,
    degree_table,
    harmonic_closeness,
    member_centralities,
    pagerank,
)

ENGINES = ("igraph", "networkx")


def drawn() -> nx.DiGraph:
    """The hand-drawn graph the hand computations below refer to.

    Arcs (weight): a→b (2), b→c (1), c→a (3), a→c (1), d→c (2); e is an isolate.
    """
    G = nx.DiGraph()
    G.add_nodes_from("abcde")
    G.add_weighted_edges_from(
        [("a", "b", 2.0), ("b", "c", 1.0), ("c", "a", 3.0), ("a", "c", 1.0), ("d", "c", 2.0)]
    )
    return G


# --------------------------------------------------------------------------- hand computed
@pytest.mark.parametrize("eng", ENGINES)
def test_drawn_graph_by_hand(eng: str) -> None:
    table = member_centralities(drawn(), engine=eng)
    assert list(table.index) == list("abcde")
    assert table.index.name == "member"
    assert list(table.columns) == list(COLUMNS)
    # in-degree: a←c; b←a; c←b,a,d; d, e none.   out-degree: a→b,c; b→c; c→a; d→c.
    assert table["in_degree"].tolist() == [1, 1, 3, 0, 0]
    assert table["out_degree"].tolist() == [2, 1, 1, 1, 0]
    # strengths: in a=3 (c→a), b=2, c=1+1+2=4;  out a=2+1, b=1, c=3, d=2.
    assert table["in_strength"].tolist() == [3.0, 2.0, 4.0, 0.0, 0.0]
    assert table["out_strength"].tolist() == [3.0, 1.0, 3.0, 2.0, 0.0]
    # betweenness: the only paths through someone are (b,a): b→c→a, (d,a): d→c→a,
    # (c,b): c→a→b and (d,b): d→c→a→b, each unique. c lies on 3, a on 2;
    # normalised by (n−1)(n−2) = 12.
    assert table["betweenness"].tolist() == pytest.approx([2 / 12, 0, 3 / 12, 0, 0], abs=1e-12)
    # harmonic (incoming, /(n−1)=4): a ← c 1, b 2, d 2 → 2/4;  b ← a 1, c 2, d 3 → (11/6)/4;
    # c ← a, b, d at 1 → 3/4;  d, e reached by nobody → 0.
    assert table["harmonic"].tolist() == pytest.approx([0.5, 11 / 24, 0.75, 0, 0], abs=1e-12)
    # core on total degree: a 3, b 2, c 4, d 1, e 0. Peel e (0), then d (1); b has 2 → core 2;
    # without b, a and c keep degree 2 (a→c, c→a) → core 2.
    assert table["core"].tolist() == [2, 2, 2, 1, 0]
    assert table["pagerank"].sum() == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("eng", ENGINES)
def test_pagerank_in_star_with_dangling_centre(eng: str) -> None:
    # b→a, c→a; a names nobody (dangling: spreads its rank uniformly). With y = PR(b) = PR(c):
    # y = 0.15/3 + 0.85·PR(a)/3 and PR(a) = 1 − 2y  ⇒  PR(a) = 27/47, y = 10/47.
    pr = pagerank(nx.DiGraph([("b", "a"), ("c", "a")]), engine=eng)
    assert pr.to_dict() == pytest.approx({"b": 10 / 47, "a": 27 / 47, "c": 10 / 47}, abs=1e-12)


@pytest.mark.parametrize("eng", ENGINES)
def test_pagerank_weighted_by_hand(eng: str) -> None:
    # a→b (3), a→c (1), b→a, c→a. a passes 3/4 of its rank to b and 1/4 to c:
    # x_a = 0.05 + 0.85(x_b + x_c), x_b = 0.05 + 0.85·0.75·x_a, x_c = 0.05 + 0.85·0.25·x_a
    # ⇒ x_a = 0.135/0.2775 = 18/37, x_b = 13.325/37, x_c = 5.675/37.
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 3.0), ("a", "c", 1.0), ("b", "a", 1.0), ("c", "a", 1.0)])
    pr = pagerank(G, engine=eng)
    assert pr.tolist() == pytest.approx([18 / 37, 13.325 / 37, 5.675 / 37], abs=1e-12)
    unweighted = pagerank(G, weight=None, engine=eng)  # b and c now equal
    assert unweighted["b"] == pytest.approx(unweighted["c"], abs=1e-12)


# --------------------------------------------------------------------------- published values
@pytest.mark.parametrize("eng", ENGINES)
def test_krackhardt_kite_published(eng: str) -> None:
    """Krackhardt (1990) kite. Normalised betweenness as printed (3 decimals) in the
    networkx gallery example "Krackhardt Centrality"
    (https://networkx.org/documentation/networkx-2.8/auto_examples/algorithms/
    plot_krackhardt_centrality.html), labels Andre=0 … Jane=9. (That page prints
    networkx's own output; the exact check of Heather below is our hand count: every one
    of the 14 pairs {Ike, Jane} × {the 7 kite members} must pass through Heather, and no
    other pair does, so 14 of the 36 pairs of the other nine.)
    """
    G = nx.krackhardt_kite_graph()
    table = member_centralities(G, engine=eng)
    published = [0.023, 0.023, 0.000, 0.102, 0.000, 0.231, 0.231, 0.389, 0.222, 0.000]
    assert table["betweenness"].tolist() == pytest.approx(published, abs=5e-4)
    assert table.loc[7, "betweenness"] == pytest.approx(14 / 36, abs=1e-12)
    # Same page, degree centrality ×(n−1): Diane (3) has the most ties, 0.667·9 = 6.
    assert table["in_degree"].tolist() == [4, 4, 3, 6, 3, 5, 5, 3, 2, 1]
    # Harmonic by hand (kite adjacency as in networkx): Jane (9) reaches Ike at 1, Heather
    # at 2, Fernando and Garth at 3, the other five at 4 → (1 + 1/2 + 2/3 + 5/4)/9.
    # Heather (7): Fernando, Garth, Ike at 1, the six others at 2 → (3 + 6/2)/9.
    assert table.loc[9, "harmonic"] == pytest.approx((1 + 1 / 2 + 2 / 3 + 5 / 4) / 9, abs=1e-12)
    assert table.loc[7, "harmonic"] == pytest.approx(6 / 9, abs=1e-12)


# --------------------------------------------------------------------------- engine agreement
def _classic_graphs() -> list[nx.Graph]:
    karate = nx.karate_club_graph()  # has integer "weight" attributes
    kite = nx.krackhardt_kite_graph()
    florentine = nx.florentine_families_graph()
    les = nx.les_miserables_graph()  # weighted
    return [karate, kite, florentine, les, karate.to_directed(), kite.to_directed(),
            nx.gnp_random_graph(40, 0.08, seed=7, directed=True)]


def _assert_engines_agree(G: nx.Graph, weight: str | None = "weight") -> None:
    a = member_centralities(G, weight=weight, engine="igraph")
    b = member_centralities(G, weight=weight, engine="networkx")
    pd.testing.assert_index_equal(a.index, b.index)
    for column in COLUMNS:
        np.testing.assert_allclose(a[column], b[column], rtol=0, atol=1e-9, err_msg=column)


@pytest.mark.parametrize("index", range(7))
def test_engines_agree_on_classic_graphs(index: int) -> None:
    _assert_engines_agree(_classic_graphs()[index])


def test_networkx_engine_matches_networkx_functions() -> None:
    G = nx.les_miserables_graph().to_directed()
    n = G.number_of_nodes()
    table = member_centralities(G, engine="networkx")
    harmonic = nx.harmonic_centrality(G)
    np.testing.assert_allclose(table["harmonic"], [harmonic[v] / (n - 1) for v in G], atol=1e-12)
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    reference = _pagerank_python(G, weight="weight", tol=1e-14, max_iter=10_000)
    np.testing.assert_allclose(table["pagerank"], [reference[v] for v in G], atol=1e-10)
    strength = dict(G.in_degree(weight="weight"))
    np.testing.assert_allclose(table["in_strength"], [strength[v] for v in G], atol=1e-12)


def test_undirected_graph_equals_its_symmetric_digraph() -> None:
    G = nx.krackhardt_kite_graph()
    a, b = member_centralities(G), member_centralities(G.to_directed())
    for column in ("betweenness", "pagerank", "harmonic", "in_degree", "out_strength"):
        np.testing.assert_allclose(a[column], b[column], atol=1e-12, err_msg=column)
    # total degree counts a reciprocated tie twice: cores double on the symmetric digraph.
    assert (2 * a["core"]).tolist() == b["core"].tolist()


@st.composite
def directed_graphs(draw: st.DrawFn) -> nx.DiGraph:
    n = draw(st.integers(1, 12))
    labels = draw(st.permutations([f"m{i}" for i in range(n)]))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    arcs = draw(st.lists(pairs, max_size=40))
    weights = draw(st.lists(st.sampled_from([0.5, 1.0, 2.0, 3.0]), min_size=len(arcs),
                            max_size=len(arcs)))
    G = nx.DiGraph()
    G.add_nodes_from(labels)  # isolates stay
    G.add_weighted_edges_from(
        (labels[u], labels[v], w) for (u, v), w in zip(arcs, weights, strict=True)
    )
    return G


@settings(max_examples=150, deadline=None)
@given(directed_graphs())
def test_engines_agree_on_random_directed_graphs(G: nx.DiGraph) -> None:
    _assert_engines_agree(G)
    _assert_engines_agree(G, weight=None)


@settings(max_examples=60, deadline=None)
@given(directed_graphs())
def test_centrality_bounds(G: nx.DiGraph) -> None:
    table = member_centralities(G)
    assert table["pagerank"].sum() == pytest.approx(1.0, abs=1e-9)
    for column in ("betweenness", "harmonic"):
        assert ((table[column] >= -1e-12) & (table[column] <= 1 + 1e-12)).all()
    loops = nx.number_of_selfloops(G)
    assert table["in_degree"].sum() == G.number_of_edges() - loops


# --------------------------------------------------------------------------- conventions
def test_self_loops_are_ignored() -> None:
    G = drawn()
    G.add_edge("a", "a", weight=5.0)
    expected = member_centralities(drawn())
    for eng in ENGINES:
        pd.testing.assert_frame_equal(member_centralities(G, engine=eng), expected,
                                      check_exact=False, atol=1e-12)


def test_tiny_graphs() -> None:
    one = nx.DiGraph()
    one.add_node("solo")
    table = member_centralities(one)
    assert table.loc["solo"].tolist() == [0, 0, 0.0, 0.0, 0.0, 1.0, 0.0, 0]
    two = nx.DiGraph([("a", "b")])
    assert betweenness(two).tolist() == [0.0, 0.0]
    assert harmonic_closeness(two).tolist() == [0.0, 1.0]


def test_dtypes_and_single_measures() -> None:
    G = drawn()
    table = member_centralities(G)
    assert str(table["in_degree"].dtype) == "int64"
    assert str(table["core"].dtype) == "int64"
    assert str(table["pagerank"].dtype) == "float64"
    pd.testing.assert_series_equal(core_number(G), table["core"])
    pd.testing.assert_frame_equal(degree_table(G), table[list(COLUMNS[:4])])


def test_missing_weight_counts_one() -> None:
    G = nx.DiGraph([("a", "b"), ("b", "c")])
    assert degree_table(G)["in_strength"].tolist() == [0.0, 1.0, 1.0]


# --------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    "graph, message",
    [
        (nx.DiGraph(), "no members"),
        (nx.MultiDiGraph([("a", "b")]), "multigraph"),
        ("not a graph", "networkx graph"),
    ],
)
def test_pointless_graphs_raise_graph_error(graph: object, message: str) -> None:
    with pytest.raises(GraphError, match=message):
        member_centralities(graph)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf"), "strong"])
def test_invalid_weights_raise_graph_error(bad: object) -> None:
    G = nx.DiGraph()
    G.add_edge("a", "b", weight=bad)
    with pytest.raises(GraphError, match="'a' → 'b'"):
        member_centralities(G)


def test_unknown_engine_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="engine"):
        member_centralities(drawn(), engine="graph-tool")


# --------------------------------------------------------------------------- the cache
def test_conversion_is_cached_and_refreshed_when_the_graph_changes() -> None:
    G = drawn()
    first = engine.to_igraph(G)
    assert engine.to_igraph(G).graph is first.graph
    assert engine.to_igraph(G, weight=None).graph is first.graph  # one topology per graph
    G.add_edge("e", "a", weight=1.0)
    second = engine.to_igraph(G)
    assert second.graph is not first.graph
    assert second.graph.ecount() == 6
    assert engine.to_igraph(G, cache=False).graph is not second.graph


def test_cache_does_not_keep_graphs_alive() -> None:
    G = drawn()
    engine.to_igraph(G)
    assert G in engine._CACHE
    alive = weakref.ref(G)
    del G
    gc.collect()
    assert alive() is None


def test_pagerank_is_bit_identical_across_calls_and_agrees_with_igraph() -> None:
    """igraph's PRPACK differs in the last bits between calls; ours must not, and it must
    agree with PRPACK to floating-point noise."""
    rng = np.random.default_rng(4)
    G = nx.gnm_random_graph(300, 2400, seed=4, directed=True)
    nx.set_edge_attributes(G, {e: float(rng.integers(1, 4)) for e in G.edges()}, "weight")
    first, second = pagerank(G), pagerank(G.copy())
    assert first.tolist() == second.tolist()
    g = ig.Graph(n=300, edges=list(G.edges()), directed=True)
    prpack = g.pagerank(weights=[w for _, _, w in G.edges(data="weight")], damping=0.85)
    np.testing.assert_allclose(first.to_numpy(), prpack, rtol=0, atol=1e-12)
