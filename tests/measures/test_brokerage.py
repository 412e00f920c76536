"""Gould–Fernandez brokerage roles (docs/methods.md §Cross-silo ties)."""

from __future__ import annotations

import importlib

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpower_network.errors import GraphError
from cpower_network.measures.brokerage import ROLES, brokerage_roles

brokerage_module = importlib.import_module("cpower_network.measures.brokerage")

COLUMNS = [*ROLES, "total"]


def five_roles() -> nx.DiGraph:
    """Broker v (group A) plays each role exactly once.

    In-arcs a1->v, b2->v; out-arcs v->a2, v->b1, v->c1; plus a1->c1 (closes one path).
    Groups: a1, a2, v in A; b1, b2 in B; c1 in C. The six two-paths through v:
      a1 v a2  A A A  coordinator
      a1 v b1  A A B  representative
      a1 v c1  A A C  closed by a1->c1: not brokerage
      b2 v a2  B A A  gatekeeper
      b2 v b1  B A B  itinerant
      b2 v c1  B A C  liaison
    No other member has both an in-arc and an out-arc except a1 (in: none) -> all zero.
    """
    G = nx.DiGraph()
    groups = {"a1": "A", "a2": "A", "v": "A", "b1": "B", "b2": "B", "c1": "C"}
    G.add_nodes_from((n, {"silo": g}) for n, g in groups.items())
    G.add_edges_from(
        [("a1", "v"), ("b2", "v"), ("v", "a2"), ("v", "b1"), ("v", "c1"), ("a1", "c1")]
    )
    return G


def brute_force(G: nx.Graph, attribute: str) -> dict:
    """Enumerate every ordered two-path a -> v -> b directly."""
    D = G if G.is_directed() else G.to_directed()
    out = {v: dict.fromkeys(ROLES, 0) for v in D}
    for v in D:
        for a in D.predecessors(v):
            for b in D.successors(v):
                if a == b or v in (a, b) or D.has_edge(a, b):
                    continue
                ga, gv, gb = (D.nodes[x][attribute] for x in (a, v, b))
                if ga == gv == gb:
                    role = "coordinator"
                elif ga == gb:
                    role = "itinerant"
                elif ga == gv:
                    role = "representative"
                elif gv == gb:
                    role = "gatekeeper"
                else:
                    role = "liaison"
                out[v][role] += 1
    return out


def test_each_role_once():
    df = brokerage_roles(five_roles(), "silo")
    assert list(df.columns) == COLUMNS
    assert df.loc["v"].tolist() == [1, 1, 1, 1, 1, 5]
    assert df.drop(index="v").to_numpy().sum() == 0


def test_reciprocated_tie_is_not_a_two_path():
    G = five_roles()
    G.add_edge("v", "a1")
    # new paths through v: a1 v a1 (a == b, excluded), b2 v a1 (B A A: gatekeeper)
    # through a1: v a1 v (excluded), v a1 c1 (closed by v->c1)
    df = brokerage_roles(G, "silo")
    assert df.loc["v"].tolist() == [1, 1, 1, 2, 1, 6]
    assert df.loc["a1", "total"] == 0


def test_undirected_graph_is_a_symmetric_digraph():
    G = nx.Graph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(G, {"a": "x", "b": "x", "c": "y"}, "silo")
    df = brokerage_roles(G, "silo")
    # b brokers a->b->c (x x y: representative) and c->b->a (y x x: gatekeeper)
    assert df.loc["b"].to_dict() == {
        "coordinator": 0,
        "itinerant": 0,
        "representative": 1,
        "gatekeeper": 1,
        "liaison": 0,
        "total": 2,
    }
    pd.testing.assert_frame_equal(df, brokerage_roles(G.to_directed(), "silo"))


def test_all_members_in_g_order_with_int_columns():
    G = five_roles()
    G.add_node("lonely", silo="D")
    df = brokerage_roles(G, "silo")
    assert list(df.index) == list(G)
    assert (df.dtypes == np.int64).all()
    assert df.loc["lonely"].sum() == 0


def test_one_group_only_coordinators():
    G = nx.path_graph(4, create_using=nx.DiGraph)
    nx.set_node_attributes(G, "same", "silo")
    df = brokerage_roles(G, "silo")
    # 0->1->2 and 1->2->3 are open: nodes 1 and 2 coordinate once each
    assert df["coordinator"].tolist() == [0, 1, 1, 0]
    assert df[list(ROLES[1:])].to_numpy().sum() == 0


def test_empty_and_edgeless_graphs():
    assert brokerage_roles(nx.DiGraph(), "silo").shape == (0, 6)
    G = nx.DiGraph()
    G.add_nodes_from([(1, {"silo": "a"}), (2, {"silo": "b"})])
    assert brokerage_roles(G, "silo").to_numpy().sum() == 0


def test_self_loops_and_weights_ignored():
    G = five_roles()
    G.add_edge("v", "v", weight=9)
    G["a1"]["v"]["weight"] = 5
    assert brokerage_roles(G, "silo").loc["v"].tolist() == [1, 1, 1, 1, 1, 5]


def test_missing_group_is_graph_error():
    G = five_roles()
    del G.nodes["b1"]["silo"]
    with pytest.raises(GraphError, match=r"'b1'.*'silo'"):
        brokerage_roles(G, "silo")


def test_chunking_gives_same_counts(monkeypatch):
    G = nx.gnp_random_graph(60, 0.15, seed=4, directed=True)
    nx.set_node_attributes(G, {v: v % 4 for v in G}, "silo")
    whole = brokerage_roles(G, "silo")
    monkeypatch.setattr(brokerage_module, "_CHUNK_PAIRS", 7)
    pd.testing.assert_frame_equal(brokerage_roles(G, "silo"), whole)


@st.composite
def graphs(draw):
    n = draw(st.integers(1, 14))
    labels = draw(st.lists(st.sampled_from("abcd"), min_size=n, max_size=n))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=60))
    G = nx.DiGraph() if draw(st.booleans()) else nx.Graph()
    G.add_nodes_from((i, {"silo": labels[i]}) for i in range(n))
    G.add_edges_from(pairs)
    return G


@settings(max_examples=150, deadline=None)
@given(graphs())
def test_matches_brute_force(G):
    df = brokerage_roles(G, "silo")
    expected = brute_force(G, "silo")
    for v in G:
        assert df.loc[v, list(ROLES)].tolist() == [expected[v][r] for r in ROLES]
    # totals equal the number of open ordered two-paths
    D = G if G.is_directed() else G.to_directed()
    open_paths = sum(
        1
        for v in D
        for a in D.predecessors(v)
        for b in D.successors(v)
        if a != b and v not in (a, b) and not D.has_edge(a, b)
    )
    assert int(df["total"].sum()) == open_paths
    assert (df["total"] == df[list(ROLES)].sum(axis=1)).all()
