"""Whole-network structure (docs/methods.md §Whole-network structure) and fragmentation."""

from __future__ import annotations

import math
import time
from dataclasses import fields

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpower_network.errors import GraphError, UsageError
from cpower_network.measures.structure import (
    StructureResult,
    _distance_stats,
    fragmentation,
    network_structure,
)

ENGINES = ("igraph", "networkx")


def drawn() -> nx.DiGraph:
    """Hand-drawn: a→b, b→c, c→a, a→c, d→c; e is an isolate (as in test_centrality)."""
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a"), ("a", "c"), ("d", "c")])
    G.add_node("e")
    return G


def _same(a: StructureResult, b: StructureResult) -> None:
    for f in fields(StructureResult):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, float) and math.isnan(x):
            assert math.isnan(y), f.name
        else:
            assert x == pytest.approx(y, abs=1e-12), f.name


@pytest.mark.parametrize("eng", ENGINES)
def test_drawn_graph_by_hand(eng: str) -> None:
    s = network_structure(drawn(), engine=eng)
    assert (s.n_members, s.n_ties, s.isolates) == (5, 5, 1)
    assert s.density == 5 / 20  # m / (n(n−1))
    assert s.reciprocity == 2 / 5  # a→c and c→a are the only reciprocated arcs
    # Undirected projection: ab, bc, ca, cd. One triangle (abc); connected triples centred
    # on a 1, b 1, c 3 (ab, ad, bd), d 0 → 5. Transitivity 3·1/5.
    assert s.transitivity == pytest.approx(3 / 5)
    # local clustering a 1, b 1, c 1/3, d 0, e 0 → mean 7/15
    assert s.average_clustering == pytest.approx(7 / 15)
    assert (s.weak_components, s.largest_component_share) == (2, 0.8)
    # largest component {a,b,c,d}: ab 1, ac 1, ad 2, bc 1, bd 2, cd 1 → 8/6; diameter 2
    assert s.average_path_length == pytest.approx(4 / 3)
    assert s.diameter == 2
    # reachable: a→{b,c}, b→{c,a}, c→{a,b}, d→{c,a,b}, e→{}: 9 of 20 ordered pairs
    assert s.fragmentation == pytest.approx(11 / 20)
    assert s.degree_centralization == 10 / 16  # in-degree, see test_parity
    for f in fields(StructureResult):
        assert type(getattr(s, f.name)) is (int if f.type in ("int", int) else float), f.name


def test_karate_published_konect() -> None:
    """KONECT "Zachary karate club" (http://konect.cc/networks/ucidata-zachary/): n = 34,
    m = 78, fill (density) p = 0.139037, size of LCC 34, diameter δ = 5, clustering
    coefficient (global, = transitivity) c = 0.255682."""
    for eng in ENGINES:
        s = network_structure(nx.karate_club_graph(), engine=eng)
        assert (s.n_members, s.n_ties, s.diameter, s.weak_components) == (34, 78, 5, 1)
        assert s.largest_component_share == 1.0
        assert s.density == pytest.approx(0.139037, abs=5e-7)
        assert s.transitivity == pytest.approx(0.255682, abs=5e-7)
        assert s.reciprocity == 1.0 and s.fragmentation == 0.0


def test_florentine_transitivity_published() -> None:
    """Bates-Haus (2022), "An exploration of centrality and centralization in the
    Florentine Families dataset" (DACSS, https://dacss.github.io/NetworksSpring2022/posts/
    httpsrpubscomlbateshaus867200) prints R igraph's global transitivity 0.1914894 and
    the triad census (3 triangles "300", 38 open two-paths "201"): 3·3/(3·3 + 38) = 9/47.
    R's ``flo`` also holds the isolate Pucci, which does not change transitivity."""
    s = network_structure(nx.florentine_families_graph())
    assert s.transitivity == pytest.approx(0.1914894, abs=5e-8)
    assert s.transitivity == pytest.approx(9 / 47, abs=1e-15)


# --------------------------------------------------------------------------- engines
@pytest.mark.parametrize(
    "G",
    [
        nx.karate_club_graph(),
        nx.florentine_families_graph(),
        nx.krackhardt_kite_graph(),
        nx.les_miserables_graph(),
        nx.karate_club_graph().to_directed(),
        nx.gnp_random_graph(60, 0.03, seed=1, directed=True),
        nx.gnp_random_graph(60, 0.08, seed=2, directed=True),
        nx.grid_2d_graph(4, 7),
    ],
)
def test_engines_agree_on_classic_graphs(G: nx.Graph) -> None:
    _same(network_structure(G), network_structure(G, engine="networkx"))


@st.composite
def graphs(draw: st.DrawFn) -> nx.Graph:
    n = draw(st.integers(1, 14))
    directed = draw(st.booleans())
    arcs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=45))
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_nodes_from(draw(st.permutations(range(n))))
    G.add_edges_from(arcs)
    return G


@settings(max_examples=200, deadline=None)
@given(graphs())
def test_engines_agree_on_random_graphs(G: nx.Graph) -> None:
    _same(network_structure(G), network_structure(G, engine="networkx"))
    for direction in ("out", "all"):
        _same(network_structure(G, centralization=direction),
              network_structure(G, engine="networkx", centralization=direction))


# --------------------------------------------------------------------------- fragmentation
@pytest.mark.parametrize("eng", ENGINES)
def test_fragmentation_by_hand(eng: str) -> None:
    assert fragmentation(nx.DiGraph([("a", "b"), ("b", "c")]), engine=eng) == 0.5
    assert fragmentation(nx.complete_graph(4, create_using=nx.DiGraph), engine=eng) == 0.0
    no_ties = nx.empty_graph(4, create_using=nx.DiGraph)
    assert fragmentation(no_ties, engine=eng) == 1.0
    # undirected: components of 3 and 2 members: 3·2 + 2·1 = 8 of 20 reachable
    G = nx.Graph([(0, 1), (1, 2), (3, 4)])
    assert fragmentation(G, engine=eng) == pytest.approx(12 / 20)
    # two 2-cycles joined one way: {a,b} → {c,d}: a,b reach 3 each, c,d reach 1 each = 8/12
    H = nx.DiGraph([("a", "b"), ("b", "a"), ("c", "d"), ("d", "c"), ("b", "c")])
    assert fragmentation(H, engine=eng) == pytest.approx(4 / 12)
    single = nx.DiGraph()
    single.add_node(0)
    assert math.isnan(fragmentation(single, engine=eng))


def test_fragmentation_scales() -> None:
    # A directed path of 20,000 members is 20,000 strongly connected components in a chain:
    # member i reaches the n − 1 − i after it, so n(n−1)/2 of n(n−1) pairs → 0.5.
    n = 20_000
    G = nx.DiGraph()
    G.add_edges_from((i, i + 1) for i in range(n - 1))
    start = time.perf_counter()
    assert fragmentation(G) == 0.5
    assert time.perf_counter() - start < 20
    R = nx.gnp_random_graph(3000, 1.2 / 3000, seed=4, directed=True)  # many SCCs, a DAG-ish
    assert fragmentation(R) == pytest.approx(fragmentation(R, engine="networkx"), abs=1e-15)


# --------------------------------------------------------------------------- paths
def test_bit_parallel_bfs_over_several_batches() -> None:
    # A path of n = 1000 (two batches of 512 sources): mean distance (n+1)/3, diameter n−1.
    G = nx.path_graph(1000)
    s = network_structure(G)
    assert s.average_path_length == pytest.approx(1001 / 3, abs=1e-12)
    assert s.diameter == 999
    grid = nx.convert_node_labels_to_integers(nx.grid_2d_graph(30, 25))
    edges = np.asarray(list(grid.edges()), dtype=np.int64)
    total, diameter = _distance_stats(edges, grid.number_of_nodes(), words=1)
    n = grid.number_of_nodes()
    assert total / (n * (n - 1)) == pytest.approx(nx.average_shortest_path_length(grid))
    assert diameter == 29 + 24


def test_largest_component_ties_go_to_the_earliest_member() -> None:
    path_first = nx.Graph([("x1", "x2"), ("x2", "x3"), ("y1", "y2"), ("y2", "y3"),
                           ("y3", "y1")])
    for eng in ENGINES:
        s = network_structure(path_first, engine=eng)
        assert (s.average_path_length, s.diameter) == (pytest.approx(4 / 3), 2)
    triangle_first = nx.Graph([("y1", "y2"), ("y2", "y3"), ("y3", "y1"), ("x1", "x2"),
                               ("x2", "x3")])
    for eng in ENGINES:
        s = network_structure(triangle_first, engine=eng)
        assert (s.average_path_length, s.diameter) == (1.0, 1)


# --------------------------------------------------------------------------- edge cases
@pytest.mark.parametrize("eng", ENGINES)
def test_graph_without_ties(eng: str) -> None:
    s = network_structure(nx.empty_graph(3, create_using=nx.DiGraph), engine=eng)
    assert (s.n_ties, s.isolates, s.weak_components, s.diameter) == (0, 3, 3, 0)
    assert s.density == 0.0 and s.fragmentation == 1.0 and s.average_clustering == 0.0
    assert math.isnan(s.reciprocity) and math.isnan(s.transitivity)
    assert math.isnan(s.average_path_length)
    assert s.largest_component_share == pytest.approx(1 / 3)


@pytest.mark.parametrize("eng", ENGINES)
def test_single_member(eng: str) -> None:
    G = nx.DiGraph()
    G.add_node("solo")
    s = network_structure(G, engine=eng)
    assert (s.n_members, s.isolates, s.weak_components, s.diameter) == (1, 1, 1, 0)
    for name in ("density", "reciprocity", "transitivity", "average_path_length",
                 "fragmentation", "degree_centralization"):
        assert math.isnan(getattr(s, name)), name


def test_self_loops_are_ignored() -> None:
    G = drawn()
    G.add_edge("e", "e")
    for eng in ENGINES:
        _same(network_structure(G, engine=eng), network_structure(drawn()))


def test_errors() -> None:
    with pytest.raises(GraphError, match="no members"):
        network_structure(nx.DiGraph())
    with pytest.raises(GraphError, match="multigraph"):
        network_structure(nx.MultiGraph([(0, 1)]))
    with pytest.raises(UsageError, match="engine"):
        network_structure(drawn(), engine="fast")
    with pytest.raises(UsageError, match="direction"):
        network_structure(drawn(), centralization="sideways")


def test_as_dict_is_plain() -> None:
    d = network_structure(drawn()).as_dict()
    assert list(d) == [f.name for f in fields(StructureResult)]
    assert all(type(v) in (int, float) for v in d.values())
