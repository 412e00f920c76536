"""Large waves compute each relation's centralities in its own process; the results must
be exactly those of the sequential path."""

import networkx as nx
import pandas as pd

import cpower_network.analysis.centralities as analysis
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
    import cpower_network.measures.parallel as parallel

    monkeypatch.setattr(parallel.sys, "executable", "/nonexistent/python")
    graphs = {"a": nx.gnm_random_graph(40, 200, seed=3, directed=True),
              "b": nx.gnm_random_graph(40, 100, seed=4, directed=True)}
    found = parallel.centralities_in_processes(graphs, engine="igraph", workers=2)
    for key, G in graphs.items():
        pd.testing.assert_frame_equal(found[key], member_centralities(G), check_exact=True)


def test_pieces_are_shared_and_give_the_same_numbers_on_one_core_or_many():
    import numpy as np

    import cpower_network.measures.centrality as centrality
    import cpower_network.measures.parallel as parallel

    graphs = {"a": nx.gnm_random_graph(150, 900, seed=5, directed=True),
              "b": nx.gnm_random_graph(150, 700, seed=6),
              "c": nx.gnm_random_graph(90, 300, seed=7, directed=True)}
    views = {k: centrality.to_igraph(G, weight=None).graph for k, G in graphs.items()}
    shares = parallel._plan(views, workers=2)
    # every relation's betweenness is one piece; harmonic closeness is cut in blocks;
    # both shares get work, the largest piece first to this process
    assert sorted(p.key for s in shares for p in s if p.kind == "betweenness") == ["a", "b", "c"]
    assert sum(p.kind == "harmonic" for s in shares for p in s) == 3 * parallel.HARMONIC_BLOCKS
    assert all(shares) and shares[0][0] == parallel.Piece("a", "betweenness", 0, None,
                                                          150.0 * 900)
    loads = [sum(p.cost for p in s) for s in shares]
    assert max(loads) - min(loads) <= max(p.cost for s in shares for p in s)
    for workers in (1, 2, 3):
        spread = parallel.centralities_in_processes(graphs, engine="igraph", workers=workers)
        for key, G in graphs.items():
            pd.testing.assert_frame_equal(spread[key], member_centralities(G), check_exact=True)
    networkx_values = nx.harmonic_centrality(graphs["a"])  # sums 1/d(u, v) over sources u
    assert np.allclose(spread["a"]["harmonic"],
                       [networkx_values[v] / 149 for v in graphs["a"]], atol=1e-12)
