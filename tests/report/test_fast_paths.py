"""The report's fast paths give what the plain code they replace gave (issue 12: speed
with byte-identical reports): rounding, edge lists, tie strengths, silo pairs, brokerage
roles, and the k-d tree loaded without the rest of scipy.spatial."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from cpower_network.report.map_layout import _tie_strengths, edge_columns, layout
from cpower_network.report.maps import (
    BROKER_ROLES,
    _main_role,
    _main_roles,
    _round,
    _rounded,
    silo_edges,
)


def _graphs() -> list[nx.Graph]:
    """Graphs of each kind, with self-ties, missing weights and nodes without ties."""
    found = []
    for kind in (nx.Graph, nx.DiGraph, nx.MultiDiGraph):
        G = kind()
        G.add_nodes_from(["z", "a", "lonely"])
        G.add_edge("a", "b", weight=2.0)
        G.add_edge("b", "a", weight=0.5)
        G.add_edge("c", "a")
        G.add_edge("c", "c", weight=3)
        G.add_edge("b", "d", weight=1e-5)
        G.add_edge("z", "d", weight=-0.0)
        found.append(G)
    found.append(nx.gnp_random_graph(60, 0.1, seed=3, directed=True))
    found.append(nx.gnp_random_graph(60, 0.1, seed=4))
    return found


@pytest.mark.parametrize("G", _graphs())
def test_edge_columns_list_the_edge_view_in_its_order(G):
    for default in (None, 1.0):
        edges = list(G.edges(data="weight", default=default))
        columns = edge_columns(G, default=default)
        assert list(zip(*columns, strict=True)) == edges


@pytest.mark.parametrize("G", _graphs())
def test_tie_strengths_sum_each_pairs_weights_in_edge_order(G):
    nodes = [v for v in G if any(u != v for u in nx.all_neighbors(G, v))]
    index = {v: i for i, v in enumerate(nodes)}
    strength: dict[tuple[int, int], float] = {}
    for u, v, w in G.edges(data="weight", default=1.0):
        if u != v:
            pair = (min(index[u], index[v]), max(index[u], index[v]))
            strength[pair] = strength.get(pair, 0.0) + float(w)
    edges, found = _tie_strengths(G, nodes)
    assert edges == sorted(strength)
    assert [repr(x) for x in found] == [repr(strength[e]) for e in edges]


def test_rounded_is_round_of_each_value():
    rng = np.random.default_rng(0)
    values = np.concatenate([
        rng.normal(0, 1, 2000), rng.normal(0, 1e4, 2000),
        rng.integers(-20000, 20000, 2000).astype(float), rng.exponential(1e-6, 500),
        [0.0, -0.0, math.nan, math.inf, -math.inf, 9999.0, 10000.0, -9999.0, 9999.5,
         12345.0, 0.5, 2.5, 1e300, 5e-324]])
    expected = [_round(v) for v in values.tolist()]
    assert [repr(v) for v in _rounded(values)] == [repr(v) for v in expected]


def test_silo_edges_count_pairs_as_a_loop_would():
    rng = np.random.default_rng(1)
    codes = rng.integers(-2, 5, 40).tolist()
    edges = [[int(u), int(v), 1.0] for u, v in rng.integers(0, 40, (300, 2))]
    for directed in (True, False):
        pairs: dict[tuple[int, int], int] = {}
        for u, v, _w in edges:
            key = (codes[u], codes[v])
            key = key if directed else (min(key), max(key))
            pairs[key] = pairs.get(key, 0) + 1
        assert silo_edges(edges, codes, directed) == [[a, b, n] for (a, b), n
                                                      in sorted(pairs.items())]
    assert silo_edges([], [], True) == []


def test_main_roles_pick_what_main_role_picks():
    rows = [(0, 2, 2, 0, 1, 5), (0, 0, 0, 0, 0, 0), (3, 3, 3, 3, 3, 15),
            (math.nan,) * 6, (1, math.nan, 4, 0, 0, 5), (0, 0, 0, 0, 7, 7)]
    roles = pd.DataFrame(rows, columns=[*BROKER_ROLES, "total"], index=list("abcdef"))
    expected = [_main_role(row) for row in roles.itertuples(index=False)]
    assert _main_roles(roles) == expected
    assert _main_roles(roles.iloc[:0]) == []


def test_the_k_d_tree_is_scipys_without_importing_scipy_spatial():
    """A fresh process draws a force layout without importing scipy.spatial, and the
    same positions as with scipy.spatial imported."""
    G = nx.gnp_random_graph(80, 0.06, seed=5)
    G = nx.relabel_nodes(G, {v: f"m{v}" for v in G})
    nx.set_node_attributes(G, {v: "ab"[k % 2] for k, v in enumerate(G)}, "silo")
    script = (
        "import json, sys\n"
        "import networkx as nx\n"
        "from cpower_network.report.map_layout import _kd_tree, layout\n"
        f"G = nx.node_link_graph(json.loads({json.dumps(json.dumps(nx.node_link_data(G, edges='links')))}), edges='links')\n"  # noqa: E501
        "spots = layout(G, seed=2)\n"
        "alone = 'scipy.spatial' not in sys.modules\n"
        "import scipy.spatial\n"
        "print(json.dumps([alone, _kd_tree() is scipy.spatial.cKDTree, repr(spots)]))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    alone, same_class, spots = json.loads(done.stdout)
    import scipy.spatial  # noqa: F401  (this process: the usual import)

    assert alone and same_class
    assert spots == repr(layout(G, seed=2))
