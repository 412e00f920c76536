"""Member centralities (docs/methods.md §Centrality): who holds a central position in a relation.

Conventions shared by every function here:

* **Direction.** An arc u → v means "u reported v". Measures of *being chosen* use the
  incoming direction: in-degree/in-strength, PageRank (standard PageRank, rank flows along
  arcs to the member named) and harmonic closeness from *incoming* distances (how easily
  the others reach you). Out-degree and out-strength describe a member's own answers: a
  non-respondent reported nothing, so theirs are 0 by construction — compare them among
  respondents only (node attribute ``respondent``).
* **Weights.** Survey weights are tie *strengths* (1–3 = "a little" … "a lot"), not
  distances, so only the strength columns and PageRank use them. Path-based measures
  (betweenness, harmonic closeness) and core numbers are computed on the **unweighted**
  graph: turning strengths into lengths (e.g. 1/w) would be an extra modelling choice.
* **Undirected graphs** are accepted: in- and out- columns then coincide and path-based
  measures ignore direction.
* Self-loops are ignored. Every measure is exact (no sampling).
* ``engine="igraph"`` (default) computes everything in python-igraph from one cached
  conversion (:mod:`cpower_network.measures.engine`); ``engine="networkx"`` is the
  reference implementation, pure networkx plus a numpy power iteration for PageRank
  (networkx's own PageRank needs scipy, which cpower does not depend on). Both agree to
  1e-9 (tested).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import igraph
import networkx as nx
import numpy as np
import pandas as pd

from .engine import check_engine, check_graph, edge_weights, to_igraph, without_selfloops

__all__ = [
    "COLUMNS",
    "betweenness",
    "core_number",
    "degree_table",
    "harmonic_closeness",
    "member_centralities",
    "pagerank",
]

#: Columns of :func:`member_centralities`, in order.
COLUMNS = (
    "in_degree",
    "out_degree",
    "in_strength",
    "out_strength",
    "betweenness",
    "pagerank",
    "harmonic",
    "core",
)


def _index(G: nx.Graph) -> pd.Index:
    return pd.Index(list(G), name="member", tupleize_cols=False)


def degree_table(
    G: nx.Graph, *, weight: str | None = "weight", engine: str = "igraph"
) -> pd.DataFrame:
    """In/out degree (tie counts) and in/out strength (summed weights) of every member.

    .. math:: k^{in}_v = |\\{u : u \\to v\\}|, \\quad s^{in}_v = \\sum_{u \\to v} w_{uv}

    and likewise for out-ties. For an undirected graph in- and out- values equal the degree.

    Parameters
    ----------
    G : networkx.DiGraph or networkx.Graph
    weight : str or None, default "weight"
        Edge attribute holding tie strength (missing = 1); None makes strength = degree.
    engine : {"igraph", "networkx"}, default "igraph"

    Returns
    -------
    DataFrame
        Indexed by member in G's order; columns ``in_degree``, ``out_degree`` (int) and
        ``in_strength``, ``out_strength`` (float).

    References
    ----------
    Freeman, L. C. (1978). Centrality in social networks: conceptual clarification.
    *Social Networks* 1, 215–239.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("a", "b", 3.0), ("c", "b", 1.0), ("b", "a", 2.0)])
    >>> degree_table(G)["in_strength"].tolist()
    [2.0, 4.0, 0.0]
    """
    check_graph(G)
    if check_engine(engine) == "networkx":
        H = without_selfloops(G)
        if weight is not None:
            edge_weights(H, weight)  # validate
        if H.is_directed():
            ind, outd = H.in_degree(), H.out_degree()
            ins, outs = H.in_degree(weight=weight), H.out_degree(weight=weight)
        else:
            ind = outd = H.degree()
            ins = outs = H.degree(weight=weight)
        ind, outd = [ind[v] for v in G], [outd[v] for v in G]
        ins, outs = [float(ins[v]) for v in G], [float(outs[v]) for v in G]
    else:
        view = to_igraph(G, weight=weight)
        g, w = view.graph, view.weights
        if g.is_directed():
            ind, outd = g.indegree(), g.outdegree()
            ins, outs = g.strength(mode="in", weights=w), g.strength(mode="out", weights=w)
        else:
            ind = outd = g.degree()
            ins = outs = g.strength(weights=w)
    return pd.DataFrame(
        {
            "in_degree": np.asarray(ind, dtype=np.int64),
            "out_degree": np.asarray(outd, dtype=np.int64),
            "in_strength": np.asarray(ins, dtype=float),
            "out_strength": np.asarray(outs, dtype=float),
        },
        index=_index(G),
    )


def betweenness(G: nx.Graph, *, engine: str = "igraph") -> pd.Series:
    """Normalised betweenness centrality (exact, unweighted, directed).

    .. math:: b(v) = \\frac{1}{(n-1)(n-2)} \\sum_{s \\ne v \\ne t}
              \\frac{\\sigma_{st}(v)}{\\sigma_{st}}

    over ordered pairs (s, t) for a directed graph, where σ_st is the number of shortest
    directed paths from s to t and σ_st(v) those through v. For an undirected graph the
    sum runs over unordered pairs and the factor is 2/((n−1)(n−2)); both equal networkx's
    ``betweenness_centrality(G, normalized=True)``. All zero when n < 3.

    Parameters
    ----------
    G : networkx.DiGraph or networkx.Graph
    engine : {"igraph", "networkx"}, default "igraph"

    Returns
    -------
    Series
        Betweenness in [0, 1], indexed by member in G's order.

    References
    ----------
    Freeman, L. C. (1977). A set of measures of centrality based on betweenness.
    *Sociometry* 40(1), 35–41.
    Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of
    Mathematical Sociology* 25(2), 163–177.

    Examples
    --------
    >>> import networkx as nx
    >>> betweenness(nx.DiGraph([("a", "b"), ("b", "c")])).tolist()  # b links a to c
    [0.0, 0.5, 0.0]
    """
    check_graph(G)
    n = G.number_of_nodes()
    if check_engine(engine) == "networkx":
        values = nx.betweenness_centrality(without_selfloops(G), normalized=True)
        out = [float(values[v]) for v in G]
    else:
        g = to_igraph(G, weight=None).graph
        out = normalised_betweenness(raw_betweenness(g), n=n, directed=g.is_directed()).tolist()
    return pd.Series(out, index=_index(G), name="betweenness", dtype=float)


def even_blocks(n: int, count: int) -> list[range]:
    """``range(n)`` cut into at most ``count`` consecutive, nearly equal, non-empty ranges
    (one empty range when n = 0).

    >>> even_blocks(5, 2), even_blocks(2, 4)
    ([range(0, 2), range(2, 5)], [range(0, 1), range(1, 2)])
    """
    cuts = np.linspace(0, n, count + 1).round().astype(int)
    return [range(int(a), int(b)) for a, b in itertools.pairwise(cuts) if b > a] or \
        [range(0, 0)]


def raw_betweenness(g: igraph.Graph) -> np.ndarray:
    """Unnormalised exact betweenness of an igraph graph, shape (n,), one igraph call.

    (igraph's ``sources=`` variant, which would let the sources be split over cores, was
    measured 1.35-1.65x slower per source at 5,000 members, and a split sum differs in the
    last bits: :mod:`cpower_network.measures.parallel` spreads whole relations instead.)
    """
    return np.asarray(g.betweenness(directed=g.is_directed()), dtype=float)


def normalised_betweenness(raw: np.ndarray, *, n: int, directed: bool) -> np.ndarray:
    """``raw`` times 1/((n − 1)(n − 2)) (2/… undirected); 0 below 3 members."""
    if n < 3:
        return np.zeros(n)
    return raw * ((1.0 if directed else 2.0) / ((n - 1) * (n - 2)))


def _pagerank_reference(G: nx.Graph, weight: str | None, alpha: float) -> list[float]:
    """Weighted PageRank by numpy power iteration (the reference engine).

    Dangling members (no outgoing weight) spread their rank uniformly, as in networkx
    and igraph (PRPACK). Iterates until the L1 change is at floating-point noise.
    """
    H = without_selfloops(G)
    index = {v: i for i, v in enumerate(H)}
    n = len(index)
    arcs = np.asarray([(index[u], index[v]) for u, v in H.edges()], dtype=np.int64)
    arcs = arcs.reshape(-1, 2)
    src, dst = arcs[:, 0], arcs[:, 1]
    w = np.asarray(edge_weights(H, weight) if weight is not None else np.ones(len(src)),
                   dtype=float)
    if not H.is_directed():
        src, dst, w = np.concatenate([src, dst]), np.concatenate([dst, src]), np.tile(w, 2)
    out_w = np.bincount(src, weights=w, minlength=n)
    dangling = out_w == 0
    share = np.divide(w, out_w[src], out=np.zeros_like(w), where=out_w[src] > 0)
    x = np.full(n, 1.0 / n)
    for _ in range(10_000):
        new = alpha * np.bincount(dst, weights=x[src] * share, minlength=n)
        new += (alpha * x[dangling].sum() + (1.0 - alpha)) / n
        new /= new.sum()
        err = np.abs(new - x).sum()
        x = new
        if err < 1e-15 * max(n, 1):
            break
    return [float(x[index[v]]) for v in G]


def pagerank(
    G: nx.Graph, *, weight: str | None = "weight", alpha: float = 0.85, engine: str = "igraph"
) -> pd.Series:
    """Weighted PageRank on the incoming direction (standard PageRank).

    .. math:: PR(v) = \\frac{1-\\alpha}{n} + \\alpha \\Big( \\sum_{u \\to v}
              PR(u) \\frac{w_{uv}}{s^{out}_u} + \\sum_{u : s^{out}_u = 0} \\frac{PR(u)}{n} \\Big)

    Rank flows along arcs to the member named, in proportion to tie strength; members who
    name nobody (e.g. non-respondents) spread their rank uniformly. Values sum to 1.

    Parameters
    ----------
    G : networkx.DiGraph or networkx.Graph
    weight : str or None, default "weight"
        Edge attribute of tie strength (missing = 1); None for unweighted.
    alpha : float, default 0.85
        Damping factor.
    engine : {"igraph", "networkx"}, default "igraph"
        Accepted for symmetry; both use the same deterministic power iteration
        (checked against networkx's ``pagerank`` in the tests).

    Returns
    -------
    Series
        PageRank, indexed by member in G's order.

    References
    ----------
    Brin, S. & Page, L. (1998). The anatomy of a large-scale hypertextual Web search
    engine. *Computer Networks and ISDN Systems* 30(1–7), 107–117.

    Examples
    --------
    >>> import networkx as nx
    >>> pr = pagerank(nx.DiGraph([("a", "c"), ("b", "c")]))
    >>> round(sum(pr), 12), pr.idxmax()
    (1.0, 'c')
    """
    check_graph(G)
    check_engine(engine)
    # Both engines use the numpy power iteration: igraph's PRPACK returns values that
    # differ in the last bits from one call to the next, which would break byte-identical
    # reports, and the iteration takes well under a second at 15,000 members.
    out = _pagerank_reference(G, weight, alpha)
    return pd.Series(out, index=_index(G), name="pagerank", dtype=float)


def harmonic_closeness(G: nx.Graph, *, engine: str = "igraph") -> pd.Series:
    """Harmonic closeness from incoming distances, normalised by n − 1 (unweighted).

    .. math:: H(v) = \\frac{1}{n-1} \\sum_{u \\ne v} \\frac{1}{d(u, v)}

    where d(u, v) is the number of arcs on a shortest directed path **from u to v**
    (1/∞ = 0 when v cannot be reached from u). This is networkx's
    ``harmonic_centrality`` (which sums 1/d(u, v) over sources u) divided by n − 1, and
    igraph's ``harmonic_centrality(mode="in", normalized=True)``. Incoming distances are
    used because non-respondents have no out-arcs: outgoing closeness would be 0 for all
    of them whatever their position. 1 means everyone names v directly; 0 for an isolate
    or when n = 1.

    Parameters
    ----------
    G : networkx.DiGraph or networkx.Graph
    engine : {"igraph", "networkx"}, default "igraph"

    Returns
    -------
    Series
        Harmonic closeness in [0, 1], indexed by member in G's order.

    References
    ----------
    Marchiori, M. & Latora, V. (2000). Harmony in the small-world. *Physica A*
    285(3–4), 539–546.
    Rochat, Y. (2009). Closeness centrality extended to unconnected graphs: the harmonic
    centrality index. *ASNA 2009*, Zürich.

    Examples
    --------
    >>> import networkx as nx
    >>> harmonic_closeness(nx.DiGraph([("a", "b"), ("b", "c")])).tolist()
    [0.0, 0.5, 0.75]
    """
    check_graph(G)
    n = G.number_of_nodes()
    if n == 1:
        return pd.Series([0.0], index=_index(G), name="harmonic", dtype=float)
    if check_engine(engine) == "networkx":
        values = nx.harmonic_centrality(without_selfloops(G))
        out = [float(values[v]) / (n - 1) for v in G]
    else:
        g = to_igraph(G, weight=None).graph
        out = g.harmonic_centrality(mode="in", normalized=True)
    return pd.Series(out, index=_index(G), name="harmonic", dtype=float)


def core_number(G: nx.Graph, *, engine: str = "igraph") -> pd.Series:
    """Core number (k-core) on total degree, unweighted.

    The k-core is the largest subgraph in which every member has total degree
    (in + out, so a reciprocated tie counts twice) at least k; a member's core number is
    the largest k whose k-core contains it. Isolates have core number 0.

    Parameters
    ----------
    G : networkx.DiGraph or networkx.Graph
    engine : {"igraph", "networkx"}, default "igraph"

    Returns
    -------
    Series
        Integer core numbers, indexed by member in G's order.

    References
    ----------
    Seidman, S. B. (1983). Network structure and minimum degree. *Social Networks* 5(3),
    269–287.
    Batagelj, V. & Zaversnik, M. (2003). An O(m) algorithm for cores decomposition of
    networks. arXiv:cs/0310049.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    >>> core_number(G).tolist()
    [2, 2, 2, 1]
    """
    check_graph(G)
    if check_engine(engine) == "networkx":
        values = nx.core_number(without_selfloops(G))
        out = [int(values[v]) for v in G]
    else:
        out = to_igraph(G, weight=None).graph.coreness(mode="all")
    return pd.Series(out, index=_index(G), name="core", dtype=np.int64)


def member_centralities(
    G: nx.Graph, *, weight: str | None = "weight", engine: str = "igraph",
    heavy: Mapping[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """Every §2 centrality of every member, in one table.

    Columns (see each function for its formula and conventions):

    ============  =======================================================  ===========
    column        definition                                               weighted?
    ============  =======================================================  ===========
    in_degree     number of members who named v                            no
    out_degree    number of members v named (0 for non-respondents)        no
    in_strength   sum of tie strengths of arcs into v                      yes
    out_strength  sum of tie strengths of arcs out of v                    yes
    betweenness   normalised betweenness, exact (:func:`betweenness`)      no
    pagerank      PageRank, damping 0.85, incoming (:func:`pagerank`)      yes
    harmonic      harmonic closeness, incoming, /(n−1)                     no
    core          core number on total degree (:func:`core_number`)        no
    ============  =======================================================  ===========

    Parameters
    ----------
    G : networkx.DiGraph or networkx.Graph
        The relation graph (u → v: "u reported v").
    weight : str or None, default "weight"
        Edge attribute of tie strength (missing = 1); None for unweighted.
    engine : {"igraph", "networkx"}, default "igraph"
        python-igraph (fast) or the networkx reference implementation.
    heavy : mapping, optional
        ``betweenness`` and ``harmonic`` already computed (arrays in G's node order),
        e.g. by :func:`cpower_network.measures.parallel.centralities_in_processes`.

    Returns
    -------
    DataFrame
        Indexed by member (index name ``member``) in G's order, columns :data:`COLUMNS`.

    Raises
    ------
    GraphError
        For a graph without members, a multigraph or an invalid weight.

    References
    ----------
    Freeman (1978) for degree; Brandes (2001) for betweenness; Brin & Page (1998) for
    PageRank; Marchiori & Latora (2000) for harmonic closeness; Seidman (1983) for cores —
    full references in each function's docstring.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_weighted_edges_from([("a", "b", 2.0), ("c", "b", 1.0), ("b", "c", 3.0)])
    >>> table = member_centralities(G)
    >>> list(table.columns) == list(COLUMNS)
    True
    >>> table["in_degree"].tolist(), table["betweenness"].tolist()
    ([0, 2, 1], [0.0, 0.5, 0.0])
    """
    check_graph(G)
    check_engine(engine)
    table = degree_table(G, weight=weight, engine=engine)
    if heavy is None:
        table["betweenness"] = betweenness(G, engine=engine)
    else:
        table["betweenness"] = np.asarray(heavy["betweenness"], dtype=float)
    table["pagerank"] = pagerank(G, weight=weight, engine=engine)
    if heavy is None:
        table["harmonic"] = harmonic_closeness(G, engine=engine)
    else:
        table["harmonic"] = np.asarray(heavy["harmonic"], dtype=float)
    table["core"] = core_number(G, engine=engine)
    return table
