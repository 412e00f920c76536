"""Exact betweenness and harmonic closeness of a large wave, spread over the cores.

On large networks they are nearly all of the time, and igraph holds Python's lock while
it computes them, so threads cannot help. The work is cut into pieces: each relation's
betweenness (one igraph call: igraph's per-source variant was measured 1.35-1.65x
slower, and a split sum would differ in the last bits) and its harmonic closeness in
blocks of members (each member's value is its own). The pieces are shared between this
process and worker processes, the longest first, each to the least loaded, so the result
is the same on one core or many (equal to :func:`member_centralities`, tested).

Worker processes are started as ``python -m cpower_network.measures.parallel`` (a fresh
interpreter that imports only numpy and igraph), not through :mod:`multiprocessing`:
its "spawn" mode re-runs the caller's script in every worker (unsafe for scripts
without a ``__main__`` guard), and "fork" can deadlock once numerical thread pools are
running. Each worker gets its graphs as edge arrays through a pipe and sends its pieces
back the same way; a worker that fails has its pieces redone in this process.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

__all__ = ["available_cores", "centralities_in_processes"]

#: Blocks of members for harmonic closeness (a member's value is its own: any split
#: gives the same numbers).
HARMONIC_BLOCKS = 8


def available_cores() -> int:
    """Cores this process may use (the CPU affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


@dataclass(frozen=True)
class Piece:
    """One unit of work: ``kind`` "betweenness" (all of graph ``key``, ``block`` None) or
    "harmonic" of the members in ``block``; ``cost`` orders the work."""

    key: str
    kind: str
    index: int
    block: range | None
    cost: float


def centralities_in_processes(graphs: dict[str, nx.DiGraph], *, engine: str,
                              workers: int,
                              compute: Callable[..., pd.DataFrame] | None = None
                              ) -> dict[str, pd.DataFrame]:
    """:func:`~cpower_network.measures.centrality.member_centralities` of every graph,
    the exact path measures spread over ``workers`` processes (this one included).

    ``compute`` (tests) replaces ``member_centralities`` for the engine "networkx", which
    runs one graph at a time here.
    """
    from .centrality import member_centralities

    if engine != "igraph":
        run = compute or member_centralities
        return {key: run(G, engine=engine) for key, G in graphs.items()}
    from .centrality import to_igraph

    views = {key: to_igraph(G, weight=None).graph for key, G in graphs.items()}
    shares = _plan(views, workers)
    started = [_start({p.key for p in share}, views, share) for share in shares[1:]]
    done = _compute(views, shares[0])
    for share, process in zip(shares[1:], started, strict=True):
        found = _finish(process) if process is not None else None
        done.update(found if found is not None else _compute(views, share))
    return {key: member_centralities(G, engine=engine, heavy=_assemble(key, views[key], done))
            for key, G in graphs.items()}


def _plan(views: dict, workers: int) -> list[list[Piece]]:
    """Pieces shared out: longest first, each to the least loaded share (share 0 is this
    process). Deterministic for given graphs and workers."""
    pieces = []
    for key, g in views.items():
        work = float(g.vcount()) * max(g.ecount(), 1)
        pieces.append(Piece(key, "betweenness", 0, None, work))
        members = _harmonic_blocks(g.vcount())
        pieces += [Piece(key, "harmonic", i, b, 0.5 * work / len(members))
                   for i, b in enumerate(members)]
    shares: list[list[Piece]] = [[] for _ in range(max(1, workers))]
    load = [0.0] * len(shares)
    for piece in sorted(pieces, key=lambda p: -p.cost):
        least = load.index(min(load))
        shares[least].append(piece)
        load[least] += piece.cost
    return shares


def _harmonic_blocks(n: int) -> list[range]:
    from .centrality import even_blocks

    return even_blocks(n, HARMONIC_BLOCKS)


def _compute(views: dict, share: list[Piece]) -> dict[tuple[str, str, int], np.ndarray]:
    """Each piece of ``share`` on the graphs in ``views``."""
    from .centrality import raw_betweenness

    found = {}
    for piece in share:
        g = views[piece.key]
        if piece.kind == "betweenness":
            found[(piece.key, piece.kind, piece.index)] = raw_betweenness(g)
        else:
            found[(piece.key, piece.kind, piece.index)] = np.asarray(g.harmonic_centrality(
                vertices=list(piece.block), mode="in", normalized=True), dtype=float)
    return found


def _assemble(key: str, g, done: dict) -> dict[str, np.ndarray]:
    """The graph's betweenness (blocks added in order, normalised) and harmonic closeness."""
    from .centrality import normalised_betweenness

    harmonic = [done[(key, "harmonic", i)] for i in range(len(_harmonic_blocks(g.vcount())))]
    return {"betweenness": normalised_betweenness(done[(key, "betweenness", 0)],
                                                  n=g.vcount(), directed=g.is_directed()),
            "harmonic": np.concatenate(harmonic) if g.vcount() > 1 else np.zeros(g.vcount())}


def _start(keys: set[str], views: dict, share: list[Piece]) -> subprocess.Popen | None:
    """Start a worker and hand it its graphs (as edge arrays) and pieces."""
    graphs = {key: (views[key].vcount(), np.asarray(views[key].get_edgelist(), dtype=np.int64),
                    views[key].is_directed()) for key in sorted(keys)}
    try:
        process = subprocess.Popen([sys.executable, "-m", "cpower_network.measures.parallel"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
        process.stdin.write(pickle.dumps((graphs, share), protocol=pickle.HIGHEST_PROTOCOL))
        process.stdin.close()
    except OSError:
        return None
    return process


def _finish(process: subprocess.Popen) -> dict | None:
    """The worker's pieces, or ``None`` when it failed (the caller recomputes them)."""
    try:
        output = process.stdout.read()
        process.wait()
    except OSError:
        return None
    if process.returncode != 0 or not output:
        return None
    return pickle.loads(output)


def _worker() -> None:
    import igraph

    graphs, share = pickle.load(sys.stdin.buffer)
    views = {key: igraph.Graph(n=n, edges=edges.tolist(), directed=directed)
             for key, (n, edges, directed) in graphs.items()}
    found = _compute(views, share)
    sys.stdout.buffer.write(pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))


if __name__ == "__main__":
    _worker()
