"""Best of several seeded runs, and AMI between communities and silos (docs/methods.md
§Communities): chance-corrected, isolates left out, not measured when undefined."""

from __future__ import annotations

import importlib
import itertools
import math
import random
import statistics
import subprocess
import sys

import networkx as nx
import numpy as np
import pytest

from cpower_network.measures.community_detection import communities
from cpower_network.measures.community_runs import DEFAULT_RUNS, run_count, run_seeds
from cpower_network.measures.partitions import partition_modularity

runs_module = importlib.import_module("cpower_network.measures.community_runs")

ENGINES = ["leiden", "igraph", "louvain"]


def entropy(counts: list[int]) -> float:
    n = sum(counts)
    return -sum(c / n * math.log(c / n) for c in counts if c)


def mutual_information(a: list, b: list) -> float:
    """MI in nats from the contingency table, written out independently of the package."""
    n = len(a)
    pairs = {}
    for x, y in zip(a, b, strict=True):
        pairs[x, y] = pairs.get((x, y), 0) + 1
    return sum(
        c / n * math.log(c * n / (a.count(x) * b.count(y))) for (x, y), c in pairs.items()
    )


def two_cliques(k: int = 5) -> nx.Graph:
    """Two k-cliques joined by one edge; silo = clique."""
    G = nx.barbell_graph(k, 0)
    nx.set_node_attributes(G, {v: "left" if v < k else "right" for v in G}, "silo")
    return G


# ------------------------------------------------------------------ AMI
def test_ami_is_one_when_communities_are_the_silos():
    res = communities(two_cliques(), seed=3, attribute="silo")
    assert res.partition == {v: 0 if v < 5 else 1 for v in range(10)}
    assert res.ami == pytest.approx(1.0) and res.nmi == pytest.approx(1.0)
    assert res.not_measured is None and res.members_compared == 10


def test_ami_hand_computed_on_a_tiny_partition():
    # Triangles {1,2,3} and {4,5,6} joined by 3-4: the communities (Q = 5/14 is the best).
    # Silos: a = {1, 2}, b = {3, 4, 5, 6}. Contingency: C1 = (a 2, b 1), C2 = (a 0, b 3).
    G = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    nx.set_node_attributes(G, {v: "a" if v <= 2 else "b" for v in G}, "silo")
    res = communities(G, seed=0, attribute="silo")
    assert res.partition == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1}
    # MI = 1/3 ln 2 + 1/6 ln(1/2) + 1/2 ln(3/2)
    mi = math.log(2) / 3 + math.log(0.5) / 6 + math.log(1.5) / 2
    # E[MI] under random silo labels of the same sizes: the two "a" sit on one of the
    # C(6,2) = 15 pairs of members with equal chance. Both in one community (3 + 3
    # pairs): the table above or its mirror, MI = mi; one in each (9 pairs): MI = 0.
    expected_mi = 6 / 15 * mi
    h_comm, h_silo = math.log(2), entropy([2, 4])
    ami = (mi - expected_mi) / ((h_comm + h_silo) / 2 - expected_mi)
    assert res.ami == pytest.approx(ami, rel=1e-12)
    assert res.nmi == pytest.approx(mi / ((h_comm + h_silo) / 2), rel=1e-12)
    # E[MI] checked by enumerating the 15 placements rather than by the argument above
    comm = [0, 0, 0, 1, 1, 1]
    placements = [
        ["a" if i in pair else "b" for i in range(6)]
        for pair in itertools.combinations(range(6), 2)
    ]
    enumerated = statistics.fmean(mutual_information(comm, silo) for silo in placements)
    assert enumerated == pytest.approx(expected_mi, rel=1e-12)
    # mi = 0.31826, mean entropy (0.69315 + 0.63651) / 2 = 0.66483:
    # AMI = 0.6 mi / (0.66483 - 0.4 mi) = 0.19095 / 0.53753
    assert ami == pytest.approx(0.35525, abs=1e-5)


def test_ami_near_zero_where_nmi_is_biased_up():
    # Erdős–Rényi graphs of 60 members with 6 silos drawn at random, unrelated to ties:
    # no silo structure at all. AMI is about 0; NMI is well above it (chance agreement
    # between ~6 communities and 6 silos on 60 members).
    ami, nmi = [], []
    for s in range(20):
        G = nx.gnp_random_graph(60, 0.05, seed=s, directed=True)
        rng = random.Random(1000 + s)
        nx.set_node_attributes(G, {v: rng.randrange(6) for v in G}, "silo")
        res = communities(G, seed=s, attribute="silo")
        assert res.count >= 3 and res.not_measured is None
        ami.append(res.ami)
        nmi.append(res.nmi)
    assert abs(statistics.fmean(ami)) < 0.05
    assert statistics.fmean(nmi) > 0.1  # the old "silos dissolving" 1 - NMI: below 90
    assert statistics.fmean(nmi) - statistics.fmean(ami) > 0.1
    assert all(n > a for n, a in zip(nmi, ami, strict=True))


def test_isolates_are_left_out_of_ami_and_nmi():
    K = nx.karate_club_graph()  # "club": the two factions after the split (Zachary 1977)
    base = communities(K, seed=4, weight=None, attribute="club")
    assert base.members_compared == 34 and 0.3 < base.ami < 1.0
    with_isolates = K.copy()
    with_isolates.add_nodes_from(range(100, 106), club="Newcomers")
    res = communities(with_isolates, seed=4, weight=None, attribute="club")
    assert res.members_compared == 34
    assert res.ami == base.ami and res.nmi == base.nmi
    assert res.modularity == base.modularity and res.count == base.count + 6
    assert all(res.partition[v] == base.partition[v] for v in K)
    # counted (each isolate a community of one, all in the silo "Newcomers"), they would
    # have moved the score: the comparison really leaves them out
    from sklearn.metrics import adjusted_mutual_info_score

    members = list(with_isolates)
    counted = adjusted_mutual_info_score([with_isolates.nodes[v]["club"] for v in members],
                                         [res.partition[v] for v in members])
    assert abs(counted - res.ami) > 0.01


def test_not_measured_one_silo_among_members_with_ties():
    # everyone with ties is in silo "a"; only the isolate is in "b" (which NMI used to count)
    G = two_cliques()
    nx.set_node_attributes(G, "a", "silo")
    G.add_node("alone", silo="b")
    res = communities(G, seed=1, attribute="silo")
    assert res.ami is None and res.nmi is None
    assert res.not_measured == "one silo among members with ties"
    assert res.attribute_modularity == pytest.approx(0.0)  # one group: Q = 1 - 1
    nx.set_node_attributes(G, "team", "unit")
    other = communities(G, seed=1, attribute="unit")
    assert other.not_measured == "one value of 'unit' among members with ties"


def test_not_measured_one_community_among_members_with_ties():
    # a triangle is best left whole (Q = 0 against -2/9 for any split)
    G = nx.Graph([(1, 2), (2, 3), (1, 3)])
    G.add_node(4)
    nx.set_node_attributes(G, {1: "a", 2: "a", 3: "b", 4: "b"}, "silo")
    res = communities(G, seed=1, attribute="silo")
    assert res.partition == {1: 0, 2: 0, 3: 0, 4: 1} and res.count == 2
    assert res.ami is None and res.nmi is None
    assert res.not_measured == "one community among members with ties"


@pytest.mark.parametrize("engine", ENGINES)
def test_edgeless_graph_is_not_measured_without_error(engine):
    # python-louvain divides by the total weight (ZeroDivisionError): it must not be run
    G = nx.DiGraph()
    G.add_nodes_from([3, 1, 2], silo="a")
    G.nodes[2]["silo"] = "b"
    res = communities(G, seed=0, attribute="silo", engine=engine)
    assert res.partition == {3: 2, 1: 0, 2: 1} and res.count == 3
    assert res.ami is None and res.nmi is None and res.not_measured == "no ties"
    assert res.members_compared == 0 and res.runs == 0 and res.distinct_partitions == 0
    assert math.isnan(res.modularity) and math.isnan(res.modularity_min)
    assert math.isnan(res.modularity_max) and math.isnan(res.attribute_modularity)


@pytest.mark.parametrize("engine", ENGINES)
def test_ties_of_zero_weight_count_as_no_ties(engine):
    G = nx.Graph()
    G.add_weighted_edges_from([(1, 2, 0.0), (2, 3, 0.0)])
    nx.set_node_attributes(G, {1: "a", 2: "b", 3: "b"}, "silo")
    res = communities(G, seed=0, attribute="silo", engine=engine)
    assert res.not_measured == "no ties" and res.runs == 0 and res.count == 3


# ------------------------------------------------------------------ several runs
def weak_structure() -> nx.DiGraph:
    """A graph where single runs disagree: Erdős–Rényi, 80 members."""
    return nx.gnp_random_graph(80, 0.05, seed=11, directed=True)


@pytest.mark.parametrize("engine", ENGINES)
def test_best_run_beats_every_single_run(engine):
    G = weak_structure()
    res = communities(G, seed=21, engine=engine, runs=6)
    seeds = run_seeds(21, 6)
    singles = [communities(G, seed=s, engine=engine, runs=1) for s in seeds]
    q = [r.modularity for r in singles]
    assert all(res.modularity >= x - 1e-12 for x in q)
    assert res.modularity == max(q)
    assert res.modularity_min == min(q) and res.modularity_max == max(q)
    assert res.runs == 6
    distinct = {tuple(r.partition.values()) for r in singles}
    assert res.distinct_partitions == len(distinct)
    assert tuple(res.partition.values()) in distinct
    # the first run is the single run with the seed itself
    assert singles[0] == communities(G, seed=21, engine=engine, runs=1)
    assert singles[0].runs == 1 and singles[0].distinct_partitions == 1


def test_single_runs_spread_on_weak_structure():
    # a heuristic's runs disagree where structure is weak: what the spread reports
    res = communities(weak_structure(), seed=21, engine="igraph", runs=10)
    assert res.distinct_partitions > 1
    assert res.modularity_min < res.modularity_max == res.modularity


def test_best_run_is_chosen_by_the_objective_at_the_resolution():
    G = weak_structure()
    gamma = 1.5
    res = communities(G, seed=5, resolution=gamma, runs=5, engine="igraph")
    singles = [communities(G, seed=s, resolution=gamma, runs=1, engine="igraph")
               for s in run_seeds(5, 5)]
    best = partition_modularity(G, res.partition, resolution=gamma)
    assert all(best >= partition_modularity(G, r.partition, resolution=gamma) - 1e-12
               for r in singles)
    # reported modularity and spread stay at resolution 1
    assert res.modularity == pytest.approx(partition_modularity(G, res.partition))
    assert res.modularity_min == min(r.modularity for r in singles)
    assert res.modularity_max == max(r.modularity for r in singles)


@pytest.mark.parametrize("engine", ENGINES)
def test_same_input_and_seed_same_result(engine):
    G = weak_structure()
    nx.set_node_attributes(G, {v: v % 4 for v in G}, "silo")
    a = communities(G, seed=8, attribute="silo", engine=engine, runs=5)
    b = communities(G, seed=8, attribute="silo", engine=engine, runs=5)
    assert a == b
    H = nx.DiGraph()
    H.add_nodes_from(sorted(G, reverse=True), silo=0)
    nx.set_node_attributes(H, {v: v % 4 for v in G}, "silo")
    edges = list(G.edges())
    random.Random(2).shuffle(edges)
    H.add_edges_from(edges)
    c = communities(H, seed=8, attribute="silo", engine=engine, runs=5)
    assert c.partition == a.partition and c.ami == a.ami and c.nmi == a.nmi
    assert (c.modularity_min, c.modularity_max) == (a.modularity_min, a.modularity_max)


def test_run_seeds():
    seeds = run_seeds(123, 4)
    assert seeds[0] == 123 and len(set(seeds)) == 4
    assert seeds == run_seeds(123, 4) and run_seeds(123, 2) == seeds[:2]
    assert all(isinstance(s, int) and 0 <= s < 2**32 for s in seeds[1:])
    assert run_seeds(None, 3) == [None, None, None]
    # numpy integers (as drawn from a Generator) are read as the same Python int
    assert run_seeds(np.int64(123), 4) == seeds


@pytest.mark.parametrize("engine", ENGINES)
def test_numpy_integer_seed_and_runs(engine):
    G = weak_structure()
    plain = communities(G, seed=9, engine=engine, runs=3)
    assert communities(G, seed=np.int64(9), engine=engine, runs=np.int64(3)) == plain


def test_sklearn_is_never_imported_at_run_time():
    # AMI is computed without scikit-learn (its import costs ~2 s); it is the tests' reference
    code = ("import sys, networkx as nx, cpower_network\n"
            "from cpower_network.measures.community_detection import communities\n"
            "G = nx.barbell_graph(5, 1)\n"
            "nx.set_node_attributes(G, {v: 'a' if v < 6 else 'b' for v in G}, 'silo')\n"
            "found = communities(G, seed=0, attribute='silo')\n"
            "assert found.ami is not None and found.ami > 0.5, found\n"
            "assert 'sklearn' not in sys.modules and 'scipy.stats' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_run_count_scales_down_with_ties():
    assert run_count(0) == (10, None) and run_count(30_000) == (10, None)
    assert run_count(30_001)[0] == 9  # 300,000 // 30,001
    assert run_count(60_000)[0] == 5 and run_count(100_000)[0] == 3
    assert run_count(5_000_000)[0] == 3  # never fewer than MIN_RUNS
    runs, note = run_count(140_050)
    assert runs == 3
    assert note == "3 runs instead of 10: 140,050 ties (runs scale down above 30,000 ties)"
    assert run_count(140_050, runs=7) == (7, None)


def test_scaled_runs_are_said_in_the_result(monkeypatch):
    G = two_cliques()  # 21 ties
    assert communities(G, seed=1).runs == DEFAULT_RUNS
    monkeypatch.setattr(runs_module, "RUN_BUDGET", 105)  # 105 // 21 = 5 runs
    res = communities(G, seed=1)
    assert res.runs == 5
    assert res.runs_note == "5 runs instead of 10: 21 ties (runs scale down above 10 ties)"
    assert communities(G, seed=1, runs=10).runs_note is None
