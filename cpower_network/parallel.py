"""Compute several relations' centralities at once, one process per relation.

Exact betweenness and closeness dominate the time on large networks, and igraph holds
Python's lock while it computes them, so threads cannot help. Worker processes are
started as ``python -m cpower_network.parallel`` (a fresh interpreter that imports only
cpower), not through :mod:`multiprocessing`: its "spawn" mode re-runs the caller's
script in every worker (unsafe for scripts without a ``__main__`` guard), and "fork" can
deadlock once numerical thread pools are running. The graph goes to the worker through
a pipe and the table comes back the same way; a worker that fails is redone in this
process, so the result never depends on how it was computed.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable

import networkx as nx
import pandas as pd

from .measures.centrality import member_centralities


def available_cores() -> int:
    """Cores this process may use (the CPU affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def centralities_in_processes(graphs: dict[str, nx.DiGraph], *, engine: str,
                              workers: int,
                              compute: Callable[..., pd.DataFrame] = member_centralities
                              ) -> dict[str, pd.DataFrame]:
    """``compute(G, engine=engine)`` for every graph, up to ``workers`` at a time.

    The largest graph is computed here while the others run in worker processes.
    """
    order = sorted(graphs, key=lambda k: -graphs[k].number_of_edges())
    results: dict[str, pd.DataFrame] = {}
    pending = list(order)
    while pending:
        batch, pending = pending[:workers], pending[workers:]
        local, remote = batch[0], batch[1:]
        started = {key: _start(graphs[key], engine) for key in remote}
        results[local] = compute(graphs[local], engine=engine)
        for key, process in started.items():
            results[key] = _finish(process) if process is not None else None
            if results[key] is None:
                results[key] = compute(graphs[key], engine=engine)
    return {key: results[key] for key in graphs}


def _start(G: nx.DiGraph, engine: str) -> subprocess.Popen | None:
    """Start a worker and hand it the graph (it reads all of it before computing)."""
    try:
        process = subprocess.Popen([sys.executable, "-m", "cpower_network.parallel"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
        process.stdin.write(pickle.dumps((G, engine), protocol=pickle.HIGHEST_PROTOCOL))
        process.stdin.close()
    except OSError:
        return None
    return process


def _finish(process: subprocess.Popen) -> pd.DataFrame | None:
    """The worker's table, or ``None`` when it failed (the caller recomputes)."""
    try:
        output = process.stdout.read()
        process.wait()
    except OSError:
        return None
    if process.returncode != 0 or not output:
        return None
    return pickle.loads(output)


def _worker() -> None:
    G, engine = pickle.load(sys.stdin.buffer)
    table = member_centralities(G, engine=engine)
    sys.stdout.buffer.write(pickle.dumps(table, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    _worker()
