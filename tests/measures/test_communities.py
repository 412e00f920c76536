"""Communities, partition modularity and NMI (docs/methods.md §Communities).

Multi-run search, AMI and the cases where the comparison is not measured:
test_community_runs.py.
"""

from __future__ import annotations

import math
import random

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpower_network.errors import GraphError, UsageError
from cpower_network.measures.community_detection import communities
from cpower_network.measures.partitions import normalized_mutual_information, partition_modularity

TRIANGLES = {1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1}


def two_triangles(directed: bool = True) -> nx.Graph:
    """Triangles 1-2-3 and 4-5-6 joined by 3-4, plus the isolate 7; silo a = {1,2,3}."""
    G = nx.DiGraph() if directed else nx.Graph()
    G.add_edges_from([(1, 2), (2, 3), (3, 1), (4, 5), (5, 6), (6, 4), (3, 4)])
    G.add_node(7)
    nx.set_node_attributes(G, {v: "a" if v <= 3 else "b" for v in G}, "silo")
    return G


# ------------------------------------------------------------------ modularity by hand
def test_partition_modularity_hand_computed():
    G = two_triangles(directed=False)
    part = {**TRIANGLES, 7: 2}
    # m = 7; each triangle: L = 3, degree sum d = 2 + 2 + 3 = 7
    # Q = 2 * (3/7 - (7/14)^2) = 5/14
    assert partition_modularity(G, part) == pytest.approx(5 / 14)
    # one community: Q = 7/7 - (14/14)^2 = 0
    assert partition_modularity(G, dict.fromkeys(G, 0)) == pytest.approx(0.0)
    # singletons: Q = -sum (d_i / 14)^2 = -(4 * 4 + 2 * 9) / 196
    assert partition_modularity(G, {v: v for v in G}) == pytest.approx(-34 / 196)


def test_modularity_uses_summed_projection():
    D = nx.DiGraph()
    D.add_weighted_edges_from([(1, 2, 2.0), (2, 1, 1.0), (2, 3, 1.0), (3, 4, 4.0)])
    U = nx.Graph()
    U.add_weighted_edges_from([(1, 2, 3.0), (2, 3, 1.0), (3, 4, 4.0)])  # w(u,v) = both ways
    part = {1: "x", 2: "x", 3: "y", 4: "y"}
    assert partition_modularity(D, part) == pytest.approx(partition_modularity(U, part))
    # unweighted: each arc counts 1, so the reciprocated pair 1-2 weighs 2
    U2 = nx.Graph()
    U2.add_weighted_edges_from([(1, 2, 2.0), (2, 3, 1.0), (3, 4, 1.0)])
    assert partition_modularity(D, part, weight=None) == pytest.approx(
        partition_modularity(U2, part)
    )


def test_partition_modularity_errors_and_empty():
    G = two_triangles()
    with pytest.raises(GraphError, match="7"):
        partition_modularity(G, TRIANGLES)
    E = nx.Graph()
    E.add_nodes_from([1, 2])
    assert math.isnan(partition_modularity(E, {1: 0, 2: 1}))


# ------------------------------------------------------------------ communities
@pytest.mark.parametrize("engine", ["leiden", "louvain", "igraph"])
def test_two_triangles(engine):
    res = communities(two_triangles(), seed=1, attribute="silo", engine=engine)
    # ids: largest first, ties by smallest member; the isolate is its own community
    assert res.partition == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1, 7: 2}
    assert list(res.partition) == list(two_triangles())
    assert res.count == 3
    assert res.modularity == pytest.approx(5 / 14)
    # the silo partition {1,2,3}, {4,5,6,7}: 7 has no ties, so Q is the same 5/14
    assert res.attribute_modularity == pytest.approx(5 / 14)
    # the isolate 7 is left out: communities {1,2,3}, {4,5,6} are the silos exactly
    # (with 7 counted, NMI would be H(silo) / mean(H(silo), H(comm)) = 0.81)
    assert res.members_compared == 6 and res.not_measured is None
    assert res.nmi == 1.0 and res.ami == pytest.approx(1.0)
    assert res.engine == engine
    assert res.runs == 10 and res.distinct_partitions == 1
    assert res.modularity_min == res.modularity_max == res.modularity
    assert type(res.modularity) is float and type(res.count) is int


def test_without_attribute():
    res = communities(two_triangles(), seed=1)
    assert res.attribute_modularity is None and res.nmi is None and res.ami is None
    assert res.not_measured == "no attribute to compare with"


def test_edgeless_graph():
    G = nx.DiGraph()
    G.add_nodes_from(["b", "a", "c"])
    res = communities(G, seed=0)
    assert res.partition == {"b": 1, "a": 0, "c": 2}  # singletons numbered by member
    assert res.count == 3 and math.isnan(res.modularity)
    assert res.runs == 0 and res.distinct_partitions == 0 and res.runs_note is None


def test_empty_graph():
    res = communities(nx.Graph(), seed=0)
    assert res.partition == {} and res.count == 0


def test_deterministic_under_seed_and_insertion_order():
    K = nx.karate_club_graph()
    shuffled = list(K.edges(data=True))
    random.Random(3).shuffle(shuffled)
    H = nx.Graph()
    H.add_nodes_from(sorted(K, reverse=True))
    H.add_edges_from(shuffled)
    for engine in ("leiden", "louvain", "igraph"):
        a = communities(K, seed=5, engine=engine)
        b = communities(K, seed=5, engine=engine)
        c = communities(H, seed=5, engine=engine)
        assert a == b
        assert c.partition == a.partition


def test_karate_reaches_the_published_optimum():
    # The unweighted karate club's maximum modularity is 0.4198, with 4 communities
    # (Brandes et al. 2008, IEEE TKDE 20(2); Agarwal & Kempe 2008, Eur. Phys. J. B 66).
    K = nx.karate_club_graph()
    res = communities(K, seed=2, weight=None)
    assert res.engine == "leiden"  # "auto"
    assert res.modularity == pytest.approx(0.4198, abs=5e-5) and res.count == 4
    q = {e: communities(K, seed=2, weight=None, engine=e).modularity for e in ("louvain", "igraph")}
    assert q["louvain"] > 0.40 and q["igraph"] > 0.40
    assert max(q.values()) <= res.modularity + 1e-12


@pytest.mark.parametrize("engine", ["leiden", "igraph"])
def test_igraph_engines_leave_global_random_alone(engine):
    random.seed(99)
    expected = random.random()
    random.seed(99)
    communities(nx.karate_club_graph(), seed=1, engine=engine)
    assert random.random() == expected


def test_resolution_changes_granularity():
    K = nx.karate_club_graph()
    coarse = communities(K, seed=1, resolution=0.5, weight=None)
    fine = communities(K, seed=1, resolution=2.0, weight=None)
    assert coarse.count < fine.count


def test_bad_options():
    with pytest.raises(UsageError, match="engine"):
        communities(two_triangles(), seed=1, engine="spectral")
    with pytest.raises(UsageError, match="resolution"):
        communities(two_triangles(), seed=1, resolution=0)
    for runs in (0, -1, 2.5, True):
        with pytest.raises(UsageError, match="runs"):
            communities(two_triangles(), seed=1, runs=runs)
    G = two_triangles()
    G.nodes[5]["silo"] = None
    with pytest.raises(GraphError, match="5"):
        communities(G, seed=1, attribute="silo")
    W = two_triangles()
    W[1][2]["weight"] = -2
    with pytest.raises(GraphError, match="weight"):
        communities(W, seed=1)


# ------------------------------------------------------------------ NMI
def test_nmi_known_values():
    # the limit cases documented for scikit-learn's normalized_mutual_info_score
    assert normalized_mutual_information([0, 0, 1, 1], [0, 0, 1, 1]) == 1.0
    assert normalized_mutual_information([0, 0, 1, 1], [1, 1, 0, 0]) == 1.0
    assert normalized_mutual_information([0, 0, 0, 0], [0, 1, 2, 3]) == 0.0
    assert normalized_mutual_information([1, 1, 1], ["x", "x", "x"]) == 1.0
    assert normalized_mutual_information([], []) == 1.0
    # hand computed: a = (0,0,1,1), b = (0,0,0,1): joint 1/2, 1/4, 1/4
    # MI = 1/2 ln(1/2 / (1/2 * 3/4)) + 1/4 ln(1/4 / (1/2 * 3/4)) + 1/4 ln(1/4 / (1/2 * 1/4))
    mi = 0.5 * math.log(4 / 3) + 0.25 * math.log(2 / 3) + 0.25 * math.log(2)
    ha = math.log(2)
    hb = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))
    assert normalized_mutual_information([0, 0, 1, 1], [0, 0, 0, 1]) == pytest.approx(
        mi / ((ha + hb) / 2)
    )


def test_nmi_mappings_and_errors():
    a = {"x": 1, "y": 1, "z": 2}
    b = {"z": "q", "x": "p", "y": "p"}
    assert normalized_mutual_information(a, b) == 1.0
    with pytest.raises(UsageError):
        normalized_mutual_information({"x": 1}, {"y": 1})
    with pytest.raises(UsageError):
        normalized_mutual_information([1, 2], [1])


labels = st.lists(st.integers(0, 4), min_size=1, max_size=30)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_nmi_properties(data):
    a = data.draw(labels)
    b = data.draw(st.lists(st.integers(0, 4), min_size=len(a), max_size=len(a)))
    v = normalized_mutual_information(a, b)
    assert 0.0 <= v <= 1.0
    assert v == pytest.approx(normalized_mutual_information(b, a))
    renamed = [f"L{x * 7 % 5}" for x in a]  # a bijective relabelling
    assert normalized_mutual_information(renamed, b) == pytest.approx(v)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 25), st.floats(0.05, 0.5), st.integers(0, 10_000))
def test_louvain_partition_properties(n, p, seed):
    G = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    res = communities(G, seed=seed)
    assert set(res.partition) == set(G)
    assert sorted(set(res.partition.values())) == list(range(res.count))
    if G.number_of_edges():
        assert -0.5 <= res.modularity <= 1.0
        assert res.modularity == pytest.approx(partition_modularity(G, res.partition))
        # Louvain never does worse than putting everyone together (Q = 0)
        assert res.modularity >= -1e-12
        # the kept run is the best up to near-ties (1e-12), which go to fewer communities
        assert res.modularity_min <= res.modularity + 1e-12
        assert res.modularity == pytest.approx(res.modularity_max, abs=1e-12)
        assert 1 <= res.distinct_partitions <= res.runs == 10
