"""The community search's runs: how many seeded runs, their seeds, one runner per engine,
and the choice of the best run (docs/methods.md §Communities).

A run maps a seed to a labelling of the members (:data:`Runner`); every labelling is put in
a canonical form (isolates as communities of one, ids by community size), so runs can be
compared, and the run of highest modularity is kept (:func:`_search`).
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Callable
from dataclasses import dataclass

import community as community_louvain
import igraph
import networkx as nx
import numpy as np

from ..errors import UsageError

__all__ = ["DEFAULT_RUNS", "MIN_RUNS", "RUN_BUDGET", "run_count", "run_seeds"]

#: Runs (seeds) of the community search by default, when the projection is small enough.
DEFAULT_RUNS = 10
#: Fewest runs made when :data:`RUN_BUDGET` scales the count down.
MIN_RUNS = 3
#: Runs x projected ties allowed by default: 10 runs up to 30,000 ties, fewer above (at
#: least :data:`MIN_RUNS`). Measured (2 cores): one Leiden run takes ~9 ms on a synthetic
#: 1,300-member coalition (11,500 ties) and ~0.3 s on a 15,000-member one (140,000 ties),
#: where runs differ by < 0.0002 in modularity, so 3 runs lose nothing visible there.
RUN_BUDGET = 300_000

#: Modularities closer than this count as equal when choosing the best run.
_TIE = 1e-12


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Ids by community size (largest = 0), ties by smallest member (sorted order).

    The result is a canonical form: two labellings of the same partition give the same
    array, so arrays can be compared to tell partitions apart.
    """
    uniq, inverse, sizes = np.unique(labels, return_inverse=True, return_counts=True)
    first = np.full(uniq.size, labels.size)
    np.minimum.at(first, inverse, np.arange(labels.size))
    order = np.lexsort((first, -sizes))
    new = np.empty(uniq.size, dtype=np.int64)
    new[order] = np.arange(uniq.size)
    return new[inverse]


def run_count(ties: int, runs: int | None = None) -> tuple[int, str | None]:
    """Number of seeded runs for a projection with ``ties`` ties, and a note if scaled.

    .. math:: R = \\min(10, \\max(3, \\lfloor 300000 / \\text{ties} \\rfloor))

    (:data:`DEFAULT_RUNS`, :data:`MIN_RUNS`, :data:`RUN_BUDGET`), so the cost stays about
    that of 300,000 tie visits: 10 runs up to 30,000 ties, 3 from 100,000 ties.

    Parameters
    ----------
    ties : int
        Ties (unordered pairs) in the undirected projection.
    runs : int, optional
        An explicit count (>= 1), returned as it is with no note.

    Returns
    -------
    runs : int
    note : str or None
        Plain words when the count was scaled down from :data:`DEFAULT_RUNS`.

    Examples
    --------
    >>> run_count(11_500)
    (10, None)
    >>> run_count(140_050)
    (3, '3 runs instead of 10: 140,050 ties (runs scale down above 30,000 ties)')
    """
    if runs is not None:
        if isinstance(runs, bool) or not isinstance(runs, numbers.Integral) or runs < 1:
            raise UsageError(f"runs must be a whole number >= 1, got {runs!r}")
        return int(runs), None
    chosen = min(DEFAULT_RUNS, max(MIN_RUNS, RUN_BUDGET // max(ties, 1)))
    if chosen == DEFAULT_RUNS:
        return chosen, None
    return chosen, (f"{chosen} runs instead of {DEFAULT_RUNS}: {ties:,} ties (runs scale "
                    f"down above {RUN_BUDGET // DEFAULT_RUNS:,} ties)")


def run_seeds(seed: int | None, runs: int) -> list[int | None]:
    """Seeds of the runs: ``seed`` itself first, then draws of ``random.Random(seed)``.

    So run 1 is the single run with ``seed``, and the same ``seed`` always gives the same
    seeds (integer seeds of any type, e.g. numpy's, are read as Python ints). Unseeded
    (``seed=None``): every run is unseeded.

    Parameters
    ----------
    seed : int or None
    runs : int
        Number of seeds wanted (>= 1).

    Returns
    -------
    list
        ``runs`` seeds: ``seed``, then integers in [0, 2**32); all None when unseeded.

    Examples
    --------
    >>> run_seeds(7, 3)[0], len(run_seeds(7, 3)), run_seeds(7, 3) == run_seeds(7, 3)
    (7, 3, True)
    >>> run_seeds(None, 2)
    [None, None]
    """
    if seed is None:
        return [None] * runs
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        seed = int(seed)
    draws = random.Random(seed)
    return [seed] + [draws.getrandbits(32) for _ in range(runs - 1)]


Runner = Callable[[int | None], np.ndarray]


def _louvain(n: int, lo: np.ndarray, hi: np.ndarray, w: np.ndarray, res: float) -> Runner:
    """python-louvain's ``best_partition``, one call per seed."""
    H = nx.Graph()
    H.add_nodes_from(range(n))
    H.add_weighted_edges_from(zip(lo.tolist(), hi.tolist(), w.tolist(), strict=True))

    def run(seed: int | None) -> np.ndarray:
        part = community_louvain.best_partition(H, resolution=res, random_state=seed)
        return np.asarray([part[i] for i in range(n)], dtype=np.int64)

    return run


def _igraph(
    n: int, lo: np.ndarray, hi: np.ndarray, w: np.ndarray, res: float, leiden: bool
) -> Runner:
    """igraph's Leiden (modularity, until an iteration no longer improves) or multilevel.

    Seeded through ``igraph.set_random_number_generator(random.Random(seed))``; the
    default generator is restored after each run.
    """
    graph = igraph.Graph(n=n, edges=list(zip(lo.tolist(), hi.tolist(), strict=True)))
    weights = w.tolist()

    def run(seed: int | None) -> np.ndarray:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            if leiden:
                clustering = graph.community_leiden(
                    objective_function="modularity", weights=weights, resolution=res,
                    n_iterations=-1)
            else:
                clustering = graph.community_multilevel(weights=weights, resolution=res)
        finally:
            igraph.set_random_number_generator(random)
        return np.asarray(clustering.membership, dtype=np.int64)

    return run


def _runner(
    engine: str, n: int, lo: np.ndarray, hi: np.ndarray, w: np.ndarray, res: float
) -> Runner:
    """A function seed -> labels of the n members (shape (n,)) for ``engine``, with the
    engine's graph built once for all runs."""
    if engine == "louvain":
        return _louvain(n, lo, hi, w, res)
    return _igraph(n, lo, hi, w, res, leiden=engine == "leiden")


def _canonical(labels: np.ndarray, connected: np.ndarray) -> np.ndarray:
    """Members without ties as communities of one, then :func:`_renumber`.

    Moving a member of zero strength changes no term of Q, so Q is unchanged.
    """
    labels = labels.copy()
    alone = np.flatnonzero(~connected)
    labels[alone] = int(labels.max(initial=-1)) + 1 + np.arange(alone.size)
    return _renumber(labels)


def _best_run(found: list[np.ndarray], objective: list[float]) -> int:
    """Index of the run with the highest objective; near-ties (within 1e-12) go to fewer
    communities, then to the lexicographically smallest canonical labelling."""
    top = max(objective)
    tied = [i for i, q in enumerate(objective) if q >= top - _TIE]
    return min(tied, key=lambda i: (int(found[i].max()) + 1, found[i].tolist()))


@dataclass(frozen=True)
class _Search:
    """The kept partition (canonical labels, shape (n,)), the run count, Q at resolution 1
    over the runs (lowest, highest) and the number of distinct partitions found."""

    labels: np.ndarray
    runs: int
    qmin: float
    qmax: float
    distinct: int


def _search(
    runner: Runner | None, n: int, seeds: list[int | None], connected: np.ndarray,
    quality: Callable[[np.ndarray, float], float], resolution: float,
) -> _Search:
    """Run once per seed and keep the best partition by Q at ``resolution``."""
    if runner is None:
        return _Search(np.arange(n, dtype=np.int64), 0, math.nan, math.nan, 0)
    found = [_canonical(runner(s), connected) for s in seeds]
    objective = [quality(labels, resolution) for labels in found]
    at_one = objective if resolution == 1.0 else [quality(x, 1.0) for x in found]
    best = _best_run(found, objective)
    distinct = len({labels.tobytes() for labels in found})
    return _Search(found[best], len(found), min(at_one), max(at_one), distinct)
