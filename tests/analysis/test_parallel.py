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
