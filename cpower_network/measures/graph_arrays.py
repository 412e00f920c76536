"""Members and ties as numpy arrays, shared by the measures that work on silos and
projections (:mod:`.crosssilo`, :mod:`.brokerage`, :mod:`.community_detection`, :mod:`.partitions`).

Nodes are taken in a fixed order (:func:`_sorted`), each member's group is an index into
the sorted groups (:func:`_node_groups`, which names a member without a value), and the
edges are read once per graph into sender, receiver and weight arrays
(:func:`_edge_arrays`, cached per graph; self-loops left out; a weight that is not a
finite number >= 0 is a :class:`~cpower_network.errors.GraphError`).
"""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Hashable, Iterable
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import GraphError


def _sorted(values: Iterable[Any]) -> list[Any]:
    """Sort labels or nodes; fall back to (type name, repr) for mixed types."""
    values = list(values)
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=lambda v: (type(v).__name__, repr(v)))


def _missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like values: not a missing scalar
        return False


def _node_groups(
    G: nx.Graph, attribute: str, nodes: list[Hashable] | None = None
) -> tuple[list[Hashable], np.ndarray, list[Any]]:
    """Return ``(nodes, codes, groups)``: each node's group as an index into sorted groups."""
    nodes = list(G) if nodes is None else nodes
    values = []
    for node in nodes:
        value = G.nodes[node].get(attribute)
        if _missing(value):
            raise GraphError(
                f"member {node!r} has no value for the attribute {attribute!r}; "
                "every member needs one (check the roster column)"
            )
        values.append(value)
    try:
        groups = _sorted(set(values))
    except TypeError as exc:
        raise GraphError(f"values of the attribute {attribute!r} must be hashable") from exc
    index = {g: i for i, g in enumerate(groups)}
    codes = np.fromiter((index[v] for v in values), dtype=np.int64, count=len(values))
    return nodes, codes, groups


#: Edge arrays per graph, so the measures of one relation read its edges once. A graph
#: whose node or edge count changed is read again; weights edited in place are not
#: detected (measures never edit graphs).
_EDGE_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _edge_arrays(
    G: nx.Graph, nodes: list[Hashable], weight: str | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sender index, receiver index and weight of every non-loop edge, in a fixed order."""
    key = (weight, G.number_of_nodes(), G.number_of_edges())
    try:
        cached = _EDGE_CACHE.get(G, {}).get(key)
    except TypeError:  # a graph type that cannot be weakly referenced
        cached = None
    if cached is not None and cached[0] == nodes:
        return cached[1]
    arrays = _read_edge_arrays(G, nodes, weight)
    for array in arrays:
        array.setflags(write=False)  # shared between measures: never edited in place
    with contextlib.suppress(TypeError):
        _EDGE_CACHE.setdefault(G, {})[key] = (list(nodes), arrays)
    return arrays


def _read_edge_arrays(
    G: nx.Graph, nodes: list[Hashable], weight: str | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    index = {v: i for i, v in enumerate(nodes)}
    src, dst, wts = [], [], []
    for u, v, d in G.edges(data=True):
        if u == v:
            continue
        src.append(index[u])
        dst.append(index[v])
        wts.append(1.0 if weight is None else d.get(weight, 1.0))
    try:
        w = np.asarray(wts, dtype=float)
    except (TypeError, ValueError) as exc:
        raise GraphError(f"edge attribute {weight!r} must be numeric") from exc
    if w.size and (not np.all(np.isfinite(w)) or w.min() < 0):
        raise GraphError(f"edge attribute {weight!r} must be a finite number >= 0 on every edge")
    s = np.asarray(src, dtype=np.int64)
    t = np.asarray(dst, dtype=np.int64)
    order = np.lexsort((t, s))
    return s[order], t[order], w[order]


def _arcs(
    G: nx.Graph, src: np.ndarray, dst: np.ndarray, w: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges as arcs: unchanged for a DiGraph, both directions for an undirected graph."""
    if G.is_directed():
        return src, dst, w
    return np.concatenate([src, dst]), np.concatenate([dst, src]), np.concatenate([w, w])
