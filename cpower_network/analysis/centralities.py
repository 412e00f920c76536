"""Every relation's member centralities for a wave, spread over the cores when it is large.

The one place the analysis decides between computing centralities here and sharing the
exact path measures of a large wave with worker processes
(:mod:`cpower_network.measures.parallel`).
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from ..measures.centrality import member_centralities
from ..measures.parallel import available_cores, centralities_in_processes

#: Above this many arcs in a wave, each relation's centralities run in their own process.
PARALLEL_MIN_ARCS = 50_000


def centralities_of(graphs: dict[str, nx.DiGraph], *, engine: str = "igraph",
                    workers: int | None = None) -> dict[str, pd.DataFrame]:
    """Every relation's member centralities, the exact path measures of large waves
    spread over the cores.

    Waves with more than :data:`PARALLEL_MIN_ARCS` arcs share their betweenness and
    harmonic closeness, in pieces, between this process and worker processes (see
    :mod:`cpower_network.measures.parallel`). The pieces depend only on the graphs, so the
    results are the same whichever way they run.
    """
    arcs = sum(G.number_of_edges() for G in graphs.values())
    workers = workers or available_cores()
    if arcs < PARALLEL_MIN_ARCS or workers < 2:
        return {key: member_centralities(G, engine=engine) for key, G in graphs.items()}
    return centralities_in_processes(graphs, engine=engine, workers=workers)
