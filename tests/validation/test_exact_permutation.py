"""Permutation tests against their exact nulls, enumerated on small classic networks.

A permutation p-value is a Monte Carlo estimate of an exact quantity: the share of all
equally likely relabellings whose statistic is at least as extreme as the data's. On a
network of 10 or 16 members every distinct relabelling can be listed, so the exact null
mean and the exact two-sided p are known, computed here independently of the package:

* ``ei_index``: ``expected`` must equal the exact mean of the E-I over every distinct
  arrangement of the silo labels (within respondent strata when the graph marks them) to
  1e-12, and ``p_value`` from 20,000 draws must lie within Monte Carlo error of the exact
  p: with k ~ Binomial(B, p) draws at least as extreme, p̂ = (k + 1)/(B + 1) has mean
  (Bp + 1)/(B + 1) and standard deviation √(Bp(1 − p))/(B + 1); we allow 4.5 of those
  (a false alarm has probability < 1e-5 per check; the seeds are fixed anyway).
* ``group_differences``: the same for the difference of group means over every subset
  of the group's size.

Every distinct arrangement is equally likely under a uniform permutation (each is hit by
the same number of permutations), so enumerating distinct arrangements is enough.

Last, directed figures on Krackhardt's high-tech managers: Freeman in- and out-degree
centralisation as printed by UCINET (also through the wave comparison's own vectorised
centralisation), and the E-I by department, which no source we could check prints,
against an independent implementation written here.

The Krackhardt kite and networkx's Florentine families ship with networkx; the wealth of
the Florentine families and the high-tech managers come from ../shared/datasets (those
tests skip when it is absent).
"""

from __future__ import annotations

import csv
import itertools
import math
from collections import Counter
from collections.abc import Hashable, Iterator, Sequence
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from shared_data import datasets

from cpower_network.measures.crosssilo import ei_index
from cpower_network.measures.parity import degree_centralization, group_differences
from cpower_network.waves.inference import centralization_rows

DRAWS = 20_000
#: Allowed distance of a Monte Carlo p from its mean, in standard deviations.
SDS = 4.5

KITE_NAMES = ["Andre", "Beverly", "Carol", "Diane", "Ed", "Fernando", "Garth", "Heather",
              "Ike", "Jane"]


# --------------------------------------------------------------------------- enumeration
def multiset_permutations(values: Sequence[Hashable]) -> Iterator[tuple]:
    """Every distinct ordering of ``values`` (a multiset), each once."""
    counts = Counter(values)
    keys = sorted(counts, key=repr)
    n = len(values)
    prefix: list = []

    def extend() -> Iterator[tuple]:
        if len(prefix) == n:
            yield tuple(prefix)
            return
        for key in keys:
            if counts[key]:
                counts[key] -= 1
                prefix.append(key)
                yield from extend()
                prefix.pop()
                counts[key] += 1

    yield from extend()


def arrangements(labels: dict, strata: dict | None = None) -> Iterator[dict]:
    """Every distinct assignment of the labels to members, permuting only within strata
    (one stratum when ``strata`` is None)."""
    strata = strata or dict.fromkeys(labels, 0)
    groups = [[m for m in labels if strata[m] == s] for s in sorted(set(strata.values()))]
    choices = [list(multiset_permutations([labels[m] for m in g])) for g in groups]
    for combo in itertools.product(*choices):
        found = {}
        for members, values in zip(groups, combo, strict=True):
            found.update(zip(members, values, strict=True))
        yield found


def ei_by_hand(edges: list[tuple], labels: dict) -> float:
    """(E − I)/(E + I) over the listed ties (arcs, or undirected edges once)."""
    external = sum(labels[u] != labels[v] for u, v in edges)
    return (2 * external - len(edges)) / len(edges)


def exact_null(values: np.ndarray, observed: float, center: float) -> float:
    """Exact two-sided p: share of arrangements at least as far from the null mean as
    the data, with the package's relative tolerance of 1e-12 for rounding."""
    distance = abs(observed - center)
    return float(np.mean(np.abs(values - center) >= distance - 1e-12 * max(1.0, distance)))


def assert_monte_carlo(p_hat: float, p_exact: float, draws: int = DRAWS) -> None:
    mean = (draws * p_exact + 1) / (draws + 1)
    sd = math.sqrt(draws * p_exact * (1 - p_exact)) / (draws + 1)
    assert abs(p_hat - mean) <= SDS * sd + 1e-12, (p_hat, p_exact, mean, sd)


def check_ei(G: nx.Graph, attribute: str, *, strata: str | None, seed: int) -> tuple:
    """Enumerate the E-I null of ``G`` and compare ``ei_index`` with it; returns
    (exact mean, exact p, arrangements) for further checks."""
    labels = {v: G.nodes[v][attribute] for v in G}
    marked = strata is not None and all(strata in G.nodes[v] for v in G)
    stratum = {v: G.nodes[v][strata] for v in G} if marked else None  # else one stratum
    edges = [(u, v) for u, v in G.edges() if u != v]
    observed = ei_by_hand(edges, labels)
    null = np.array([ei_by_hand(edges, a) for a in arrangements(labels, stratum)])
    mean = float(null.mean())
    p_exact = exact_null(null, observed, mean)
    found = ei_index(G, attribute, permutations=DRAWS, seed=seed, strata=strata)
    assert found.value == pytest.approx(observed, abs=1e-12)
    assert found.expected == pytest.approx(mean, abs=1e-12)
    assert_monte_carlo(found.p_value, p_exact)
    return mean, p_exact, len(null)


def check_group_difference(table: pd.DataFrame, members: list, *, seed: int) -> dict:
    """Enumerate every group of ``len(members)`` members and compare
    ``group_differences`` column by column; returns the exact p per column."""
    k = len(members)
    values = table.to_numpy(float)
    inside = table.index.isin(members)
    observed = values[inside].mean(axis=0) - values[~inside].mean(axis=0)
    null = []
    for chosen in itertools.combinations(range(len(table)), k):
        mask = np.zeros(len(table), bool)
        mask[list(chosen)] = True
        null.append(values[mask].mean(axis=0) - values[~mask].mean(axis=0))
    null = np.array(null)
    np.testing.assert_allclose(null.mean(axis=0), 0.0, atol=1e-12)  # centred on 0
    found = group_differences(table, members, permutations=DRAWS, seed=seed)
    exact = {}
    for j, column in enumerate(table.columns):
        assert found.at[column, "difference"] == pytest.approx(observed[j], abs=1e-12)
        exact[column] = exact_null(null[:, j], observed[j], 0.0)
        assert_monte_carlo(float(found.at[column, "p_value"]), exact[column])
    return exact


# --------------------------------------------------------------------------- the kite
def kite() -> nx.Graph:
    """Krackhardt's (1990) kite, networkx's node order named as in the paper."""
    return nx.relabel_nodes(nx.krackhardt_kite_graph(), dict(enumerate(KITE_NAMES)))


def test_kite_ei_two_groups_exact():
    # 10 members, 5 + 5: C(10, 5) = 252 arrangements; one stratum (no respondent flags)
    G = kite()
    left = {"Andre", "Beverly", "Carol", "Diane", "Fernando"}
    nx.set_node_attributes(G, {v: "L" if v in left else "R" for v in G}, "side")
    mean, p_exact, count = check_ei(G, "side", strata="respondent", seed=11)
    assert count == 252
    # the null mean is 1 − 2·(ties inside)/(ties) with P(inside) = 2·5·4/(10·9) = 4/9
    assert mean == pytest.approx(1 - 2 * 4 / 9, abs=1e-12)
    assert p_exact == pytest.approx(6 / 252)  # an informative p, not 0 or 1


def test_kite_ei_three_groups_exact_and_second_labelling():
    # a three-valued attribute (4 + 3 + 3: 10!/(4!3!3!) = 4,200 arrangements) and a
    # labelling that the null finds ordinary (large p)
    G = kite()
    groups = {"Andre": 0, "Beverly": 0, "Diane": 0, "Carol": 0, "Ed": 1, "Garth": 1,
              "Fernando": 1, "Heather": 2, "Ike": 2, "Jane": 2}
    nx.set_node_attributes(G, groups, "silo")
    _, p_exact, count = check_ei(G, "silo", strata=None, seed=12)
    assert count == 4200
    assert p_exact == pytest.approx(40 / 4200)
    mixed = {"Andre": 0, "Carol": 1, "Fernando": 0, "Heather": 2, "Jane": 1, "Beverly": 1,
             "Diane": 2, "Ed": 0, "Garth": 0, "Ike": 2}
    nx.set_node_attributes(G, mixed, "silo")
    _, p_exact, _ = check_ei(G, "silo", strata=None, seed=13)
    assert p_exact > 0.2


def directed_kite_with_silent_members() -> nx.DiGraph:
    """The kite as arcs both ways; Ed, Ike and Jane did not answer (their out-arcs are
    gone), as in a survey where non-respondents name nobody."""
    D = kite().to_directed()
    silent = {"Ed", "Ike", "Jane"}
    D.remove_edges_from([(u, v) for u, v in list(D.edges()) if u in silent])
    nx.set_node_attributes(D, {v: v not in silent for v in D}, "respondent")
    silo = {"Andre": "a", "Beverly": "a", "Carol": "a", "Diane": "b", "Fernando": "b",
            "Garth": "b", "Heather": "c", "Ed": "a", "Ike": "c", "Jane": "c"}
    nx.set_node_attributes(D, silo, "silo")
    return D


def test_directed_kite_ei_within_strata_exact():
    # strata: 7 respondents (a a a b b b c) and 3 non-respondents (a c c):
    # 7!/(3!3!1!) · 3!/(1!2!) = 140 · 3 = 420 distinct arrangements
    D = directed_kite_with_silent_members()
    mean, p_exact, count = check_ei(D, "silo", strata="respondent", seed=14)
    assert count == 420
    # the stratified null is a different null from shuffling over all members: its
    # mean differs, so the check above would catch a test that ignored the strata
    labels = {v: D.nodes[v]["silo"] for v in D}
    pooled = np.mean([ei_by_hand(list(D.edges()), a) for a in arrangements(labels)])
    assert abs(pooled - mean) > 1e-3
    classic = ei_index(D, "silo", permutations=0, strata=None)
    assert classic.expected == pytest.approx(pooled, abs=1e-12)
    assert 0 < p_exact < 1


def test_kite_group_difference_exact():
    # degree (many ties between values: the tolerance matters) and betweenness
    # (networkx, unnormalised), for the periphery Heather, Ike, Jane: C(10, 3) = 120
    G = kite()
    table = pd.DataFrame({"degree": dict(G.degree()),
                          "betweenness": nx.betweenness_centrality(G, normalized=False)})
    exact = check_group_difference(table, ["Heather", "Ike", "Jane"], seed=15)
    # D = (10·S − 108)/21 for a group of degree sum S (total 36), observed S = 6: as
    # extreme are S ≤ 6 ({I, J} with Carol, Ed or Heather) and S ≥ 16 ({D, F, G}): 4/120
    assert exact["degree"] == pytest.approx(4 / 120)
    assert 0 < exact["betweenness"] < 1


def test_florentine_group_difference_exact():
    # networkx's Florentine marriages (15 families, Pucci left out); the Medici and the
    # Strozzi with three of their in-laws: C(15, 5) = 3,003 groups
    G = nx.florentine_families_graph()
    table = pd.DataFrame({"degree": dict(G.degree()),
                          "betweenness": nx.betweenness_centrality(G)})
    members = ["Medici", "Strozzi", "Peruzzi", "Bischeri", "Castellani"]
    exact = check_group_difference(table, members, seed=16)
    assert 0.01 < exact["degree"] < 0.05 < 0.2 < exact["betweenness"] < 1


# --------------------------------------------------------------------------- shared data
NETWORKS = datasets() / "networks"


def folder(name: str) -> Path:
    path = NETWORKS / name
    if not path.is_dir():
        pytest.skip(f"published-data folder {path} is absent (shared datasets not mounted)")
    return path


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.read_text(encoding="utf-8").splitlines()))


def florentine_marriages() -> nx.Graph:
    """ergm's flomarriage: 16 families (Pucci an isolate) with their wealth."""
    path = folder("florentine")
    G = nx.Graph()
    names = {}
    for r in rows(path / "flomarriage_nodes.csv"):
        names[r["id"]] = r["vertex.names"]
        G.add_node(r["vertex.names"], wealth=int(r["wealth"]))
    G.add_edges_from((names[r["tail"]], names[r["head"]])
                     for r in rows(path / "flomarriage_edges.csv"))
    return G


@pytest.mark.validation
def test_florentine_ei_by_wealth_exact():
    # wealth above the median (8 families) against the rest (8): C(16, 8) = 12,870
    G = florentine_marriages()
    assert (G.number_of_nodes(), G.number_of_edges()) == (16, 20)
    median = float(np.median([w for _, w in G.nodes(data="wealth")]))
    nx.set_node_attributes(G, {v: w > median for v, w in G.nodes(data="wealth")}, "rich")
    assert sum(dict(G.nodes(data="rich")).values()) == 8
    _, p_exact, count = check_ei(G, "rich", strata=None, seed=17)
    assert count == 12_870
    assert 0 < p_exact < 1
    # as a survey where four families did not answer: strata 12 + 4
    D = G.to_directed()
    silent = {"Pucci", "Ginori", "Lamberteschi", "Pazzi"}
    D.remove_edges_from([(u, v) for u, v in list(D.edges()) if u in silent])
    nx.set_node_attributes(D, {v: v not in silent for v in D}, "respondent")
    check_ei(D, "rich", strata="respondent", seed=18)


def hightech(relation: str) -> nx.DiGraph:
    """Krackhardt's (1987) 21 high-tech managers (Stanford lab files): one relation,
    with department (DEPT; 0 = the CEO alone)."""
    path = folder("krackhardt_hightech")
    G = nx.DiGraph()
    for r in rows(path / "Krack-High-Tec-Attributes.csv"):
        G.add_node(int(r["ID"]), dept=int(r["DEPT"]), level=int(r["LEVEL"]))
    for line in (path / f"Krack-High-Tec-edgelist-{relation}.txt").read_text().split("\n"):
        if line.strip():
            ego, alter, value = (int(x) for x in line.split())
            if value and ego != alter:
                G.add_edge(ego, alter)
    return G


# UCINET's "Whole network measures" on its "hightech" data (Advice, Friendship, ReportTo)
# as logged in github.com/StephenBorgatti/xucinet, inst/goldens/density/
# log_make_goldens.txt (commit 8966ee68; UCINET's own output in single precision, UCINET
# 6.849 per ../shared/datasets/networks/krackhardt_hightech/README.txt; read there, not
# copied from the README): "In-Centralization 0.47000000 0.27000001 0.31750000",
# "Out-Centralization 0.57499999 0.69000000 0.00250000", "# of ties 190 102 20".
UCINET_HIGHTECH = {
    "Advice": (190, 0.47000000, 0.57499999),
    "Friendship": (102, 0.27000001, 0.69000000),
    "ReportsTo": (20, 0.31750000, 0.00250000),
}


@pytest.mark.validation
@pytest.mark.parametrize("relation", sorted(UCINET_HIGHTECH))
def test_hightech_degree_centralization_matches_ucinet(relation):
    ties, inward, outward = UCINET_HIGHTECH[relation]
    G = hightech(relation)
    assert G.number_of_edges() == ties
    assert degree_centralization(G, direction="in") == pytest.approx(inward, abs=5e-8)
    assert degree_centralization(G, direction="out") == pytest.approx(outward, abs=5e-8)
    # the wave comparison's own (vectorised) centralisation gives the same
    in_degrees = np.array([G.in_degree(v) for v in G], dtype=float)
    assert centralization_rows(in_degrees, directed=True)[0] == pytest.approx(inward,
                                                                              abs=5e-8)


@pytest.mark.validation
def test_hightech_advice_ei_by_department_independent():
    # No published E-I by department that we could verify: checked against the
    # definition computed here (E, I over arcs; the null mean with one stratum
    # 1 − 2·Σ n_g(n_g − 1)/(n(n − 1)); with strata, from the within-stratum counts).
    G = hightech("Advice")
    dept = nx.get_node_attributes(G, "dept")
    external = sum(dept[u] != dept[v] for u, v in G.edges())
    internal = G.number_of_edges() - external
    found = ei_index(G, "dept", permutations=0, strata=None)
    assert (found.external, found.internal) == (external, internal)
    assert found.value == pytest.approx((external - internal) / (external + internal),
                                        abs=1e-12)
    sizes = Counter(dept.values())
    n = len(dept)
    inside = sum(c * (c - 1) for c in sizes.values()) / (n * (n - 1))
    assert found.expected == pytest.approx(1 - 2 * inside, abs=1e-12)
    # managers at level 3 (the 14 non-executives) as non-respondents: their advice arcs
    # dropped; the stratified mean by hand, tie by tie
    R = G.copy()
    silent = [v for v, level in G.nodes(data="level") if level == 3][:7]
    R.remove_edges_from([(u, v) for u, v in list(R.edges()) if u in silent])
    nx.set_node_attributes(R, {v: v not in silent for v in R}, "respondent")
    stratum = {v: R.nodes[v]["respondent"] for v in R}
    count = Counter((stratum[v], dept[v]) for v in R)
    size = Counter(stratum.values())

    def p_inside(u, v):
        a, b = stratum[u], stratum[v]
        if a != b:
            return sum(count[a, g] * count[b, g] for g in sizes) / (size[a] * size[b])
        return sum(count[a, g] * (count[a, g] - 1) for g in sizes) / (size[a] * (size[a] - 1))

    expected = 1 - 2 * np.mean([p_inside(u, v) for u, v in R.edges()])
    assert ei_index(R, "dept", permutations=0).expected == pytest.approx(expected, abs=1e-12)
