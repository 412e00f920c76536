"""Exact betweenness on the same graphs with every engine a user might reach for.

Run::

    python tests/benchmarks/bench_engines.py [--sizes 1300,5000,15000] [--repeat 3]

For each size, the synthetic coalition's collaboration relation (:mod:`coalition`, as in
``bench_cli.py``) is built once, and its exact, unnormalised, directed
betweenness is timed with:

* **igraph** — one ``Graph.betweenness`` call, single-threaded (the plain script's way);
* **igraph, 16 source blocks** — the same, as the sum of 16 blocks of sources
  (``sources=``), one after another: the per-block cost of splitting one relation over
  cores (cpower does not: this variant is slower per source and a split sum differs in
  the last bits);
* **rustworkx** — ``digraph_betweenness_centrality`` (multi-threaded above its parallel
  threshold), when installed;
* **networkit** — ``Betweenness`` (OpenMP threads), when installed.

Every engine's values are checked against igraph's (largest absolute difference
printed): an engine that disagrees is wrong, not fast. rustworkx and networkit are not
cpower dependencies; ``pip install rustworkx networkit`` to include them.

Not collected by pytest (no ``test_`` prefix).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from coalition import generate_coalition  # noqa: E402


def edges_of(size: int, seed: int) -> tuple[int, np.ndarray]:
    """Members and arcs (respondent → named) of the coalition's collaboration relation."""
    _roster, ties = generate_coalition(size, seed=seed)
    arcs = ties[["respondent", "alter"]].drop_duplicates()
    arcs = arcs[arcs["respondent"] != arcs["alter"]]
    names = sorted(set(arcs["respondent"]) | set(arcs["alter"]))
    index = {v: i for i, v in enumerate(names)}
    pairs = np.array([[index[u], index[v]] for u, v in arcs.itertuples(index=False)],
                     dtype=np.int64)
    return len(names), pairs


def igraph_whole(n: int, pairs: np.ndarray) -> np.ndarray:
    import igraph as ig

    g = ig.Graph(n=n, edges=pairs.tolist(), directed=True)
    return np.asarray(g.betweenness(directed=True))


def igraph_blocks(n: int, pairs: np.ndarray) -> np.ndarray:
    import igraph as ig

    from cpower_network.measures.centrality import even_blocks

    g = ig.Graph(n=n, edges=pairs.tolist(), directed=True)
    parts = [np.asarray(g.betweenness(directed=True, sources=list(b)))
             for b in even_blocks(n, 16)]
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def rustworkx_engine(n: int, pairs: np.ndarray) -> np.ndarray:
    import rustworkx as rx

    g = rx.PyDiGraph()
    g.add_nodes_from(range(n))
    g.add_edges_from_no_data([tuple(p) for p in pairs.tolist()])
    found = rx.digraph_betweenness_centrality(g, normalized=False)
    return np.array([found[i] for i in range(n)])


def networkit_engine(n: int, pairs: np.ndarray) -> np.ndarray:
    import networkit as nk

    g = nk.Graph(n, directed=True)
    for u, v in pairs.tolist():
        g.addEdge(u, v)
    run = nk.centrality.Betweenness(g, normalized=False)
    run.run()
    return np.asarray(run.scores())


ENGINES = {"igraph": igraph_whole, "igraph, 16 source blocks": igraph_blocks,
           "rustworkx": rustworkx_engine, "networkit": networkit_engine}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1300,5000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print("| members | arcs | engine | seconds (median) | max |difference| to igraph |")
    print("|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        n, pairs = edges_of(size, args.seed)
        reference = igraph_whole(n, pairs)
        for name, engine in ENGINES.items():
            try:
                times, found = [], None
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    found = engine(n, pairs)
                    times.append(time.perf_counter() - start)
            except ImportError:
                print(f"| {size:,} | {len(pairs):,} | {name} | not installed | |")
                continue
            gap = float(np.max(np.abs(found - reference)))
            print(f"| {size:,} | {len(pairs):,} | {name} | {statistics.median(times):.2f} "
                  f"| {gap:.2e} |", flush=True)


if __name__ == "__main__":
    main()
