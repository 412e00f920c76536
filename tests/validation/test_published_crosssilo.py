"""Cross-silo measures and brokerage against values printed in published documentation.

Data come from ../shared/datasets/networks (see its README.md); every test skips when the
folder is absent. Each expected number below is copied from the source named beside it,
to the precision printed there.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from shared_data import datasets

from cpower_network.measures.brokerage import brokerage_roles
from cpower_network.measures.crosssilo import assortativity, ei_index, mixing_matrix

pytestmark = pytest.mark.validation

NETWORKS = datasets() / "networks"


def folder(name: str) -> Path:
    path = NETWORKS / name
    if not path.is_dir():
        pytest.skip(f"published-data folder {path} is absent (shared datasets not mounted)")
    return path


def rows(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    return list(csv.DictReader(text.splitlines()))


# ---------------------------------------------------------------- netseg: Classroom
def classroom() -> nx.DiGraph:
    """netseg's Classroom: 26 pupils, directed "play with" nominations, gender."""
    path = folder("netseg")
    G = nx.DiGraph()
    for r in rows(path / "classroom-vdb.csv"):
        G.add_node(r["id"], gender=r["gender"])
    for r in rows(path / "classroom-edb.csv"):
        G.add_edge(r["from"], r["to"])
    return G


def mutual(G: nx.DiGraph) -> nx.Graph:
    """igraph ``as.undirected(G, mode = "mutual")``: reciprocated nominations only."""
    U = nx.Graph()
    U.add_nodes_from(G.nodes(data=True))
    U.add_edges_from((u, v) for u, v in G.edges() if G.has_edge(v, u))
    return U


# Source for every Classroom number: netseg vignette "Network Segregation and Homophily"
# (M. Bojanowski), https://mbojan.github.io/netseg/articles/netseg.html, also
# https://stat.ethz.ch/CRAN/web/packages/netseg/vignettes/netseg.html (mbojan/netseg,
# articles/netseg.md): mixingm(), prop.table(m, c(1, 2)), ei(), assort().


def test_classroom_mixing_matrix():
    # vignette: mixingm(Classroom, "gender") -> Boy: 40 2 / Girl: 5 41
    m = mixing_matrix(classroom(), "gender")
    assert m.loc[["Boy", "Girl"], ["Boy", "Girl"]].to_numpy().tolist() == [[40, 2], [5, 41]]


def test_classroom_tie_densities():
    # vignette: round(prop.table(m, c(1, 2)) * 100, 1), layer tie = TRUE:
    # Boy 25.6 1.2 / Girl 3.0 26.3 (ties over possible ordered pairs, i.e. our density)
    d = mixing_matrix(classroom(), "gender", normalized=True).loc[["Boy", "Girl"], ["Boy", "Girl"]]
    np.testing.assert_array_equal(np.round(d.to_numpy() * 100, 1), [[25.6, 1.2], [3.0, 26.3]])


def test_classroom_ei():
    # vignette: ei(Classroom, "gender") -> -0.8409091; ei(undir, "gender") -> -0.9090909
    assert ei_index(classroom(), "gender", permutations=0).value == pytest.approx(
        -0.8409091, abs=5e-8
    )
    assert ei_index(mutual(classroom()), "gender", permutations=0).value == pytest.approx(
        -0.9090909, abs=5e-8
    )


def test_classroom_undirected_mixing_folded():
    # vignette: mixingm(undir, "gender") folds onto the upper triangle: 11 1 / 0 10.
    # Ours counts each edge in both cells, so fold: diagonal / 2, off-diagonal once.
    m = mixing_matrix(mutual(classroom()), "gender").loc[["Boy", "Girl"], ["Boy", "Girl"]]
    m = m.to_numpy()
    assert (m[0, 0] // 2, m[0, 1], m[1, 1] // 2) == (11, 1, 10)
    assert m[0, 1] == m[1, 0]


def test_classroom_assortativity():
    # vignette: assort(undir, "gender") -> 0.9089027
    assert assortativity(mutual(classroom()), "gender") == pytest.approx(0.9089027, abs=5e-8)
    # vignette: assort(Classroom, "gender") -> 0.8408885. netseg symmetrises the directed
    # mixing matrix (M + M^T); that is our function on the multigraph of the 88 arcs.
    # On the directed graph we report Newman's (2003) directed r instead, which from the
    # published matrix [[40, 2], [5, 41]] is (81/88 - 3868/88**2) / (1 - 3868/88**2).
    arcs = nx.MultiGraph()
    arcs.add_nodes_from(classroom().nodes(data=True))
    arcs.add_edges_from(classroom().edges())  # a reciprocated pair -> two parallel edges
    assert assortativity(arcs, "gender") == pytest.approx(0.8408885, abs=5e-8)
    directed = (81 / 88 - 3868 / 88**2) / (1 - 3868 / 88**2)
    assert assortativity(classroom(), "gender") == pytest.approx(directed)


# ---------------------------------------------------------------- netseg: WhiteKinship
def white_kinship() -> nx.Graph:
    """netseg's WhiteKinship: White's (1975) kinship positions, undirected, gender."""
    path = folder("netseg")
    G = nx.Graph()
    for r in rows(path / "WhiteKinship-vdb.csv"):
        G.add_node(r["name"], gender=r["gender"])
    for r in rows(path / "WhiteKinship-edb.csv"):
        G.add_edge(r["from"], r["to"])
    return G


def test_white_kinship_ei_and_assortativity():
    # netseg reference pages (pkgdown, netseg 1.0.0; mbojan/netseg docs/reference/ei.html
    # and assort.html, https://mbojan.github.io/netseg/reference/):
    # ei(WhiteKinship, "gender") -> -0.1818182; assort(WhiteKinship, "gender") -> 0.1801242
    G = white_kinship()
    assert ei_index(G, "gender", permutations=0).value == pytest.approx(-0.1818182, abs=5e-8)
    assert assortativity(G, "gender") == pytest.approx(0.1801242, abs=5e-8)


# ---------------------------------------------------------------- Campnet
def campnet() -> nx.DiGraph:
    data = json.loads((folder("campnet") / "campnet-example.uci").read_text())
    labels = data["rowlabels"]
    values = {v["name"]: v["values"] for v in data["attributes"]["variables"]}
    G = nx.DiGraph()
    for i, name in enumerate(labels):
        G.add_node(name, gender=values["Gender"][i], role=values["Role"][i])
    matrix = data["relations"][0]["values"]
    G.add_edges_from(
        (labels[i], labels[j]) for i, row in enumerate(matrix) for j, x in enumerate(row) if x
    )
    return G


def test_campnet_ei_and_assortativity_by_gender():
    # xucinet (S. Borgatti's R port of UCINET), tests/testthat/_snaps/xhomophily.md,
    # github.com/StephenBorgatti/xucinet: "Whole Network Ego-Alter Similarity Measures"
    # for campnet by Gender prints Assort 0.664 and E-I Index -0.667 (three decimals).
    # This is xucinet's printed report, not a UCINET log (its cohesion goldens were not
    # yet generated).
    G = campnet()
    assert round(ei_index(G, "gender", permutations=0).value, 3) == -0.667
    assert round(assortativity(G, "gender"), 3) == 0.664


# ---------------------------------------------------------------- Strike: brokerage
def strike() -> nx.DiGraph:
    """Sawmill strike (Michael 1997, via de Nooy et al.'s Pajek data), three groups."""
    path = folder("strike")
    names: dict[str, str] = {}
    G = nx.DiGraph()
    section = ""
    for line in (path / "Strike.net").read_text().splitlines():
        if line.startswith("*"):
            section = line.split()[0].lower()
            continue
        if section == "*vertices" and line.strip():
            number, name = re.match(r'\s*(\d+)\s+"([^"]*)"', line).groups()
            names[number] = name
            G.add_node(name)
        elif section in ("*arcs", "*edges") and line.strip():
            a, b = line.split()[:2]
            G.add_edge(names[a], names[b])
            if section == "*edges":
                G.add_edge(names[b], names[a])
    for r in rows(path / "Strikegroups.csv"):
        name, group = list(r.values())[:2]
        G.nodes[name]["group"] = int(group)
    return G


# sna::brokerage(strike_net, Strikegroups)$raw.nli as printed in "R for Social Network
# Analysis" (CORE Lab), chapter "Centrality and Brokerage in statnet", section Gould and
# Fernandez: github.com/cllghn/r4sna docs/centrality-and-brokerage-in-statnet.html.
# Columns w_I w_O b_IO b_OI b_O t; sna labels w_O "itinerant", b_IO "representative",
# b_OI "gatekeeper", b_O "liaison". The Pajek file lists each tie both ways (76 arcs), so
# representative = gatekeeper for every member.
STRIKE_SNA = {
    "Xavier": (0, 0, 0, 0, 0, 0),
    "Utrecht": (8, 0, 0, 0, 0, 8),
    "Frank": (0, 0, 0, 0, 0, 0),
    "Domingo": (0, 0, 0, 0, 0, 0),
    "Norm": (18, 0, 5, 5, 0, 28),
    "Hal": (2, 0, 0, 0, 0, 2),
    "Russ": (4, 0, 0, 0, 0, 4),
    "Karl": (0, 0, 2, 2, 0, 4),
    "Bob": (14, 0, 10, 10, 2, 36),
    "Quint": (4, 0, 0, 0, 0, 4),
    "Wendle": (0, 0, 0, 0, 0, 0),
    "Ozzie": (0, 0, 1, 1, 0, 2),
    "Ike": (4, 0, 0, 0, 0, 4),
    "Ted": (2, 0, 0, 0, 0, 2),
    "Sam": (8, 0, 0, 0, 0, 8),
    "Vern": (2, 0, 0, 0, 0, 2),
    "Gill": (10, 0, 0, 0, 0, 10),
    "Lanny": (2, 0, 0, 0, 0, 2),
    "Mike": (0, 0, 0, 0, 0, 0),
    "Carlos": (0, 0, 0, 0, 0, 0),
    "Alejandro": (0, 0, 3, 3, 0, 6),
    "Paul": (2, 0, 0, 0, 0, 2),
    "Eduardo": (0, 0, 0, 0, 0, 0),
    "John": (12, 0, 0, 0, 0, 12),
}
SNA_ORDER = ["coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total"]


def test_strike_brokerage_matches_sna():
    G = strike()
    assert G.number_of_edges() == 76
    df = brokerage_roles(G, "group")
    assert {v: tuple(int(x) for x in df.loc[v, SNA_ORDER]) for v in df.index} == STRIKE_SNA
    # the same counts when the strike network is read as an undirected graph
    assert brokerage_roles(G.to_undirected(), "group").equals(df)
