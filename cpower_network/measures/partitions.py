"""Partitions of a network's members: the undirected weighted projection they are measured
on, the Newman modularity of a partition, and the normalised mutual information of two
labellings (docs/methods.md §Communities).

The projection of a (directed) graph G is the undirected graph with
w(u, v) = w(u -> v) + w(v -> u) (``weight=None``: each arc counts 1, so a reciprocated
pair weighs 2). Self-loops are dropped and isolates are kept as nodes.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np

from ..errors import GraphError, UsageError
from .graph_arrays import _edge_arrays, _sorted

__all__ = ["normalized_mutual_information", "partition_modularity"]


def _projection(
    G: nx.Graph, nodes: list[Hashable], weight: str | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Undirected projection as sorted edge arrays (lo < hi) with summed weights."""
    n = max(len(nodes), 1)
    src, dst, w = _edge_arrays(G, nodes, weight)
    lo, hi = np.minimum(src, dst), np.maximum(src, dst)
    keys, inverse = np.unique(lo * n + hi, return_inverse=True)
    total = np.bincount(inverse, weights=w, minlength=keys.size)
    return keys // n, keys % n, total


def _modularity(
    lo: np.ndarray, hi: np.ndarray, w: np.ndarray, labels: np.ndarray, resolution: float
) -> float:
    m = float(w.sum())
    if m <= 0:
        return math.nan
    k = int(labels.max()) + 1 if labels.size else 0
    strength = np.bincount(lo, weights=w, minlength=labels.size) + np.bincount(
        hi, weights=w, minlength=labels.size
    )
    inside = labels[lo] == labels[hi]
    internal = np.bincount(labels[lo][inside], weights=w[inside], minlength=k)
    degree = np.bincount(labels, weights=strength, minlength=k)
    return float((internal / m - resolution * (degree / (2.0 * m)) ** 2).sum())


def _codes(values: Iterable[Any]) -> np.ndarray:
    index: dict[Any, int] = {}
    return np.fromiter((index.setdefault(v, len(index)) for v in values), dtype=np.int64)


def partition_modularity(
    G: nx.Graph,
    partition: Mapping[Hashable, Any],
    *,
    weight: str | None = "weight",
    resolution: float = 1.0,
) -> float:
    """Newman modularity of a partition of G's members, on the undirected projection.

    .. math:: Q = \\sum_c \\left[ \\frac{L_c}{m} - \\gamma \\left(\\frac{d_c}{2m}\\right)^2 \\right]

    where m is the total projected weight, L_c the weight inside community c, d_c the
    summed strength of its members and gamma the resolution. The projection sums the two
    directions of a pair, w(u, v) = w(u -> v) + w(v -> u); self-loops are dropped.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
    partition : mapping
        Member -> community label (any hashable); every member needs one.
    weight : str or None, default "weight"
        Edge attribute holding weights (missing = 1); None counts arcs.
    resolution : float, default 1.0

    Returns
    -------
    float
        Q; NaN when the graph has no ties.

    References
    ----------
    Newman, M. E. J. & Girvan, M. (2004). Finding and evaluating community structure in
    networks. *Physical Review E* 69, 026113.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
    >>> round(partition_modularity(G, {1: 0, 2: 0, 3: 0, 4: 1, 5: 1, 6: 1}), 4)
    0.3571
    """
    nodes = _sorted(G)
    missing = [v for v in nodes if v not in partition]
    if missing:
        raise GraphError(f"member {missing[0]!r} has no community in the partition")
    lo, hi, w = _projection(G, nodes, weight)
    return _modularity(lo, hi, w, _codes(partition[v] for v in nodes), resolution)


def normalized_mutual_information(
    a: Iterable[Any] | Mapping[Hashable, Any], b: Iterable[Any] | Mapping[Hashable, Any]
) -> float:
    """Normalised mutual information of two labellings (arithmetic-mean normalisation).

    .. math:: NMI(A, B) = \\frac{I(A; B)}{(H(A) + H(B)) / 2}

    the same definition as scikit-learn's ``normalized_mutual_info_score`` default
    (``average_method="arithmetic"``), implemented here with numpy. As there, two
    labellings with a single label each (or none) score 1.0, and zero mutual
    information scores 0.0. The value does not depend on the names of the labels.

    Parameters
    ----------
    a, b : sequence or mapping
        Labels for the same items: two equally long sequences, or two mappings with the
        same keys (e.g. member -> community and member -> silo).

    Returns
    -------
    float
        NMI in [0, 1].

    References
    ----------
    Strehl, A. & Ghosh, J. (2002). Cluster ensembles: a knowledge reuse framework for
    combining multiple partitions. *Journal of Machine Learning Research* 3, 583-617.

    Examples
    --------
    >>> normalized_mutual_information([0, 0, 1, 1], ["x", "x", "y", "y"])
    1.0
    >>> normalized_mutual_information([0, 0, 1, 1], [0, 1, 0, 1])
    0.0
    """
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        if set(a) != set(b):
            raise UsageError("the two labellings must cover the same items")
        keys = list(a)
        a, b = [a[k] for k in keys], [b[k] for k in keys]
    a, b = list(a), list(b)
    if len(a) != len(b):
        raise UsageError(f"labellings differ in length ({len(a)} and {len(b)})")
    ca, cb = _codes(a), _codes(b)
    ka = int(ca.max()) + 1 if ca.size else 0
    kb = int(cb.max()) + 1 if cb.size else 0
    if ka == kb and ka <= 1:
        return 1.0
    n = float(len(a))
    joint = np.bincount(ca * kb + cb, minlength=ka * kb).reshape(ka, kb) / n
    pa, pb = joint.sum(axis=1), joint.sum(axis=0)
    nz = joint > 0
    mi = float((joint[nz] * np.log(joint[nz] / np.outer(pa, pb)[nz])).sum())
    if mi <= 0:
        return 0.0
    ha = float(-(pa * np.log(pa)).sum())
    hb = float(-(pb * np.log(pb)).sum())
    return float(min(1.0, mi / ((ha + hb) / 2.0)))
