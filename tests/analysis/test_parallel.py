"""Large waves compute each relation's centralities in its own process; the results must
be exactly those of the sequential path."""

import networkx as nx
import pandas as pd

import cpower_network.analysis as analysis
from cpower_network.measures.centrality import member_centralities


def test_parallel_centralities_equal_the_sequential_ones(monkeypatch):
    graphs = {
        "a": nx.gnm_random_graph(120, 900, seed=1, directed=True),
        "b": nx.gnm_random_graph(120, 400, seed=2, directed=True),
    }
    for G in graphs.values():
        nx.set_edge_attributes(G, {e: 1.0 + (e[0] + e[1]) % 3 for e in G.edges()}, "weight")
    monkeypatch.setattr(analysis, "PARALLEL_MIN_ARCS", 0)
    parallel = analysis.centralities_of(graphs, workers=2)
    assert list(parallel) == ["a", "b"]
    for key, G in graphs.items():
        pd.testing.assert_frame_equal(parallel[key], member_centralities(G), check_exact=True)


def test_small_waves_stay_in_process(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a small wave must not start worker processes")

    monkeypatch.setattr(analysis, "centralities_in_processes", refuse)
    found = analysis.centralities_of({"a": nx.gnm_random_graph(30, 60, seed=1,
                                                              directed=True)})
    assert list(found["a"].columns)[:2] == ["in_degree", "out_degree"]


def test_a_failed_worker_is_redone_here(monkeypatch):
    import cpower_network.parallel as parallel

    monkeypatch.setattr(parallel.sys, "executable", "/nonexistent/python")
    graphs = {"a": nx.gnm_random_graph(40, 200, seed=3, directed=True),
              "b": nx.gnm_random_graph(40, 100, seed=4, directed=True)}
    found = parallel.centralities_in_processes(graphs, engine="igraph", workers=2)
    for key, G in graphs.items():
        pd.testing.assert_frame_equal(found[key], member_centralities(G), check_exact=True)


def test_betweenness_blocks_give_the_same_numbers_on_one_core_or_many(monkeypatch):
    import numpy as np

    import cpower_network.measures.centrality as centrality
    import cpower_network.parallel as parallel

    monkeypatch.setattr(centrality, "BLOCKS_MIN_TIES", 100)  # these graphs are cut in blocks
    graphs = {"a": nx.gnm_random_graph(150, 900, seed=5, directed=True),
              "b": nx.gnm_random_graph(150, 700, seed=6)}
    shares = parallel._plan({k: centrality.to_igraph(G, weight=None).graph
                             for k, G in graphs.items()}, workers=2)
    assert all(shares) and {p.kind for p in shares[1]} <= {"betweenness", "harmonic"}
    assert sum(p.kind == "betweenness" for s in shares for p in s) == 2 * 16
    spread = parallel.centralities_in_processes(graphs, engine="igraph", workers=2)
    for key, G in graphs.items():
        here = member_centralities(G)  # the same blocks, added in the same order
        pd.testing.assert_frame_equal(spread[key], here, check_exact=True)
        whole = np.asarray(centrality.to_igraph(G, weight=None).graph.betweenness(
            directed=G.is_directed()))
        n = G.number_of_nodes()
        scale = (1.0 if G.is_directed() else 2.0) / ((n - 1) * (n - 2))
        assert np.allclose(here["betweenness"], whole * scale, rtol=1e-12, atol=1e-15)
        networkx_values = nx.betweenness_centrality(G)
        assert np.allclose(here["betweenness"], [networkx_values[v] for v in G], atol=1e-12)
