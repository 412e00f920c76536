"""The weaver's worklist's shortcuts (issue 12) give what the plain computations give.

Each fast path in :mod:`cpower_network.weave` is checked against the straightforward
computation it replaces, on random graphs:

* one depth-first search for blocks and articulation points, in networkx's order;
* ``cut_off`` counted once up the gatekeeper chains, on a long chain;
* each row's best triangles, without sorting every row;
* silo gaps from a list of pairs;
* the partner of a peripheral member, found without scoring the whole silo.
"""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest
from scipy import sparse

from cpower_network.weave import introductions, silo_gaps, worklist
from cpower_network.weave.gaps import gaps_between
from cpower_network.weave.introductions import Context, _best_partner, _best_triangles
from cpower_network.weave.worklist import _blocks_and_points, _gatekeepers


def shuffled(G: nx.Graph, seed: int) -> nx.Graph:
    """``G`` with string ids, its members and ties added in a random order."""
    rng = random.Random(seed)
    G = nx.relabel_nodes(G, {v: f"m{v:03d}" for v in G})
    members, ties = list(G), list(G.edges())
    rng.shuffle(members)
    rng.shuffle(ties)
    U = nx.Graph()
    U.add_nodes_from(members)
    U.add_edges_from(ties)
    return U


def random_graphs():
    for seed in range(60):
        n = 5 + seed % 40
        yield shuffled(nx.gnm_random_graph(n, n + seed % 17, seed=seed), seed)
        yield shuffled(nx.random_labeled_tree(n, seed=seed), seed)
        caves = nx.connected_caveman_graph(2 + seed % 4, 3 + seed % 3)
        caves.add_edges_from((k, len(caves) + k) for k in range(seed % 6))  # pendants
        caves.add_nodes_from(range(100, 100 + 3 * len(caves)))  # main < half the members
        yield shuffled(caves, seed)


def main_component(U: nx.Graph) -> set[str]:
    return sorted(nx.connected_components(U), key=lambda c: (-len(c), min(c)))[0]


def test_blocks_and_points_as_networkx_finds_them():
    for U in random_graphs():
        main = main_component(U)
        if len(main) < 2:
            continue
        sub = U.subgraph(main)
        blocks, points = _blocks_and_points(U, next(iter(sub)))
        assert [list(b) for b in blocks] == [list(b) for b in nx.biconnected_components(sub)]
        assert list(points) == list(set(nx.articulation_points(sub)))


def walked_cut_off(gatekeepers: dict[str, str], points: set[str]) -> dict[str, int]:
    """For each point, the members whose chain of gatekeepers passes through it."""
    cut_off = dict.fromkeys(points, 0)
    for v in gatekeepers:
        point = gatekeepers.get(v)
        while point is not None:
            cut_off[point] += 1
            point = gatekeepers.get(point)
    return cut_off


@pytest.mark.parametrize("n", [2, 3, 4, 7, 300])
def test_cut_off_on_a_long_chain(n):
    U = shuffled(nx.path_graph(n), n)
    gatekeepers, cut_off = _gatekeepers(U, set(U))
    assert cut_off == walked_cut_off(gatekeepers, set(cut_off))
    assert max(cut_off.values(), default=0) >= (n - 1) // 2   # half the chain hangs on one


def test_cut_off_counts_dependants_of_every_graph():
    for U in random_graphs():
        gatekeepers, cut_off = _gatekeepers(U, main_component(U))
        assert cut_off == walked_cut_off(gatekeepers, set(cut_off))


def test_a_member_nobody_was_asked_about_is_not_counted_as_cut_off():
    U = nx.path_graph(["a", "b", "c", "d", "e"])   # rooted at c
    nx.set_node_attributes(U, "x", "silo")
    assert worklist(U).articulation_points["cut_off"].to_dict() == {"c": 4, "b": 1, "d": 1}
    U.add_node("a", asked=False)
    assert worklist(U).articulation_points["cut_off"].to_dict() == {"c": 3, "d": 1}


@pytest.mark.parametrize("top, rows_per_block", [(1, 7), (3, 7),
                                                 (5, introductions.ROWS_PER_BLOCK)])
def test_each_members_best_triangles_as_a_sort_finds_them(top, rows_per_block, monkeypatch):
    monkeypatch.setattr(introductions, "ROWS_PER_BLOCK", rows_per_block)
    for U in random_graphs():
        silo = {v: "xy"[i % 2] for i, v in enumerate(U)}
        ctx = Context(U, silo, set(list(U)[::3]), set(list(U)[::5]) ^ set(U),
                      {v: i for i, v in enumerate(U)}, set(list(U)[1::7]), set())
        assert sorted(_best_triangles(ctx, top)) == sorted(_best_triangles_row_by_row(ctx, top))


def _best_triangles_row_by_row(ctx: Context, top: int) -> list[tuple[int, int, float]]:
    """Each eligible member's ``top`` triangles, one row at a time, every row sorted in full
    (the computation :func:`_best_triangles` replaces)."""
    nodes = ctx.nodes
    A = nx.to_scipy_sparse_array(ctx.U, nodelist=nodes, weight=None, format="csr")
    A.data[:] = 1.0
    degree = np.asarray(A.sum(axis=1)).ravel()
    inverse_log = np.where(degree > 1, 1.0 / np.log(np.maximum(degree, 2)), 0.0)
    scores = (A @ sparse.diags(inverse_log) @ A).tocsr()
    silo_codes = np.array([ord(ctx.silo[v]) for v in nodes])
    boost = np.array([v in ctx.favoured for v in nodes], dtype=float)
    eligible = np.array([v in ctx.answered and v not in ctx.skip for v in nodes])
    found = []
    for i in np.flatnonzero(eligible):
        start, end = scores.indptr[i], scores.indptr[i + 1]
        cols, values = scores.indices[start:end], scores.data[start:end]
        tied = A.indices[A.indptr[i]:A.indptr[i + 1]]
        cross = silo_codes[cols] != silo_codes[i]
        keep = (cols != i) & eligible[cols] & ~np.isin(cols, tied) & \
            (cross | (boost[i] > 0) | (boost[cols] > 0))
        cols, values, cross = cols[keep], values[keep], cross[keep]
        values = values * (1 + 0.5 * boost[i] + 0.5 * boost[cols]) * \
            np.where(cross, 1.0, 0.5) / (1 + np.minimum(degree[i], degree[cols]))
        found.extend((int(i), int(cols[b]), float(values[b]))
                     for b in np.lexsort((cols, -values))[:top])
    return found


def test_silo_gaps_count_each_pair_in_touch_once():
    rng = random.Random(3)
    for seed in range(30):
        G = nx.gnm_random_graph(30, 60, seed=seed, directed=True)
        G.add_edges_from((v, v) for v in range(0, 30, 7))   # self-ties are not contact
        silo = {v: rng.choice("abcd") for v in G}
        nx.set_node_attributes(G, silo, "silo")
        found = silo_gaps(G)
        for a, b, ties in found[["silo_a", "silo_b", "ties"]].itertuples(index=False):
            assert ties == sum(1 for u in G for v in G if silo[u] == a and silo[v] == b
                               and (G.has_edge(u, v) or G.has_edge(v, u)))
        assert silo_gaps(nx.Graph(G)).equals(found)
        assert gaps_between(silo, nx.Graph(G).edges()).equals(found)


def test_the_partner_of_a_peripheral_member_is_the_best_by_every_rule():
    for U in random_graphs():
        rng = random.Random(len(U))
        members = list(U)
        answered = {v for v in members if rng.random() < 0.7}
        ctx = Context(U, dict.fromkeys(U, "x"), set(), answered,
                      {v: i for i, v in enumerate(members)}, set(), set())
        ranked = ctx.by_contacts("x")
        for v in members[:10]:
            used = {frozenset((v, w)) for w in rng.sample(members, 3) if w != v}
            candidates = [w for w in members if w != v and not U.has_edge(v, w)
                          and frozenset((v, w)) not in used]
            expected = min(candidates, default=None, key=lambda w: (
                w not in answered, bool(ctx.neighbours[v] & ctx.neighbours[w]),
                -U.degree(w), ctx.order[w]))
            assert _best_partner(ctx, v, [w for w in ranked if w != v], used) == expected
