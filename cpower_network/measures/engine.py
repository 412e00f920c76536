"""The igraph engine: one cached networkx → python-igraph conversion per graph.

Several measures (betweenness, harmonic closeness, PageRank, core numbers, path lengths,
components) run much faster in python-igraph's C core than in networkx. They all start
from :func:`to_igraph`, which converts a networkx graph **once** and caches the result.

Conventions of the conversion
-----------------------------
* Vertex ``i`` of the igraph graph is ``list(G)[i]``: results come back in G's node order.
* Directed graphs stay directed, undirected graphs stay undirected.
* Self-loops (a member naming themself) are dropped, as everywhere in
  :mod:`cpower_network.measures`.
* The topology is converted once per graph; with ``weight`` set, each edge's attribute
  (missing = 1.0) is read into a list aligned with igraph's edges (``view.weights``, to
  pass as ``weights=`` to igraph), once per attribute name. A weight must be a finite
  number >= 0, otherwise :class:`~cpower_network.errors.GraphError`.

The cache
---------
Conversions are kept in a :class:`weakref.WeakKeyDictionary` keyed by the networkx graph
object, so an entry disappears with its graph and the cache never keeps a graph alive.
Each entry holds the igraph topology plus the weight lists read so far. It is reused only if
the graph still has the same number of nodes and edges and the same directedness as when
it was converted (a cheap staleness check). Changing an edge's *weight* or swapping one
edge for another leaves those counts unchanged and is **not** detected: after mutating a
graph in place that way, call :func:`clear_cache` (or pass ``cache=False``). Graphs built
by cpower are not mutated after construction, so this never arises in the pipeline.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Hashable
from dataclasses import dataclass

import igraph as ig
import networkx as nx

from ..errors import GraphError, UsageError

__all__ = [
    "ENGINES",
    "IGraphView",
    "check_engine",
    "check_graph",
    "clear_cache",
    "edge_weights",
    "to_igraph",
    "without_selfloops",
]

#: The engines every measure accepts: ``"igraph"`` (fast, default) and ``"networkx"``
#: (the pure networkx/numpy reference implementation, used in tests).
ENGINES = ("igraph", "networkx")


@dataclass(frozen=True)
class IGraphView:
    """A networkx graph converted to python-igraph.

    Attributes
    ----------
    graph : igraph.Graph
        Vertex ``i`` is ``nodes[i]``; edge ``j`` is the j-th non-loop edge of
        ``G.edges()``. Shared by every view of the same graph: do not modify it.
    nodes : tuple
        The networkx nodes in G's order.
    index : dict
        Node → vertex id.
    weight : str or None
        The networkx edge attribute the weights came from (None: unweighted).
    weights : list of float or None
        One weight per igraph edge (pass as ``weights=`` to igraph), None if unweighted.
    """

    graph: ig.Graph
    nodes: tuple[Hashable, ...]
    index: dict[Hashable, int]
    weight: str | None
    weights: list[float] | None


# graph -> (signature, topology view, {weight name: weights})
_CACHE: weakref.WeakKeyDictionary[
    nx.Graph, tuple[tuple, IGraphView, dict[str, list[float]]]
] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.RLock()


def check_engine(engine: str) -> str:
    """Return ``engine`` if it is a known engine name, else raise ``UsageError``."""
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    return engine


def without_selfloops(G: nx.Graph) -> nx.Graph:
    """``G`` itself when it has no self-loops, otherwise a copy without them (a member
    naming themselves is not a tie: every measure ignores it).

    >>> G = nx.DiGraph([("a", "a"), ("a", "b")])
    >>> list(without_selfloops(G).edges()), G.number_of_edges()
    ([('a', 'b')], 2)
    """
    if nx.number_of_selfloops(G) == 0:
        return G
    H = G.copy()
    H.remove_edges_from(list(nx.selfloop_edges(H)))
    return H


def check_graph(G: object, *, allow_empty: bool = False) -> nx.Graph:
    """Check that ``G`` is a simple networkx graph the measures can work on.

    Raises :class:`~cpower_network.errors.GraphError` for anything that is not a
    networkx ``Graph``/``DiGraph`` (multigraphs included) and, unless ``allow_empty``,
    for a graph without members.
    """
    if not isinstance(G, nx.Graph):
        raise GraphError(f"expected a networkx graph, got {type(G).__name__}")
    if G.is_multigraph():
        raise GraphError(
            "multigraphs are not supported: merge parallel ties into one weighted tie first"
        )
    if not allow_empty and G.number_of_nodes() == 0:
        raise GraphError("the graph has no members")
    return G


def _signature(G: nx.Graph) -> tuple:
    return (G.number_of_nodes(), G.number_of_edges(), G.is_directed())


def _weight_value(u: Hashable, v: Hashable, value: object, weight: str) -> float:
    try:
        w = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise GraphError(
            f"tie {u!r} → {v!r} has a non-numeric {weight!r} value {value!r}"
        ) from None
    if not math.isfinite(w) or w < 0:
        raise GraphError(
            f"tie {u!r} → {v!r} has {weight!r} = {value!r}; weights must be finite and >= 0"
        )
    return w


def _topology(G: nx.Graph) -> IGraphView:
    nodes = tuple(G)
    index = {v: i for i, v in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in G.edges() if u != v]
    g = ig.Graph(n=len(nodes), edges=edges, directed=G.is_directed())
    return IGraphView(graph=g, nodes=nodes, index=index, weight=None, weights=None)


def edge_weights(G: nx.Graph, weight: str) -> list[float]:
    """Validated weights of G's non-loop edges in ``G.edges()`` order (missing = 1.0).

    Raises :class:`~cpower_network.errors.GraphError` naming the first tie whose weight is
    not a finite number >= 0.
    """
    return [
        _weight_value(u, v, w, weight)
        for u, v, w in G.edges(data=weight, default=1.0)
        if u != v
    ]


def to_igraph(G: nx.Graph, *, weight: str | None = "weight", cache: bool = True) -> IGraphView:
    """Convert a networkx graph to python-igraph, reusing a cached conversion.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The graph. Self-loops are dropped.
    weight : str or None, default "weight"
        Edge attribute to read as weights (missing = 1.0); None for none.
    cache : bool, default True
        Reuse (and store) the conversion in the module cache described above.

    Returns
    -------
    IGraphView
        The igraph graph with its node order and index.

    Raises
    ------
    GraphError
        If ``G`` is not a simple networkx graph or a weight is not a finite number >= 0.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> view = to_igraph(G)
    >>> view.nodes, view.graph.get_edgelist()
    (('a', 'b', 'c'), [(0, 1), (1, 2)])
    >>> to_igraph(G).graph is view.graph  # the second call reuses the cached conversion
    True
    >>> view.weights  # missing weights count 1.0
    [1.0, 1.0]
    """
    check_graph(G, allow_empty=True)
    with _CACHE_LOCK:  # the analysis reads graphs from several threads
        signature = _signature(G)
        hit = _CACHE.get(G) if cache else None
        if hit is None or hit[0] != signature:
            hit = (signature, _topology(G), {})
            if cache:
                _CACHE[G] = hit
        topology, weight_lists = hit[1], hit[2]
        if weight is None:
            return topology
        if weight not in weight_lists:
            weight_lists[weight] = edge_weights(G, weight)
    return IGraphView(
        graph=topology.graph,
        nodes=topology.nodes,
        index=topology.index,
        weight=weight,
        weights=weight_lists[weight],
    )


def clear_cache(G: nx.Graph | None = None) -> None:
    """Forget cached conversions: those of ``G``, or all of them when ``G`` is None.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(3)
    >>> first = to_igraph(G)
    >>> clear_cache(G)
    >>> to_igraph(G).graph is first.graph
    False
    """
    if G is None:
        _CACHE.clear()
    else:
        _CACHE.pop(G, None)
