"""Cross-silo ties (docs/methods.md §Cross-silo ties): E-I index, mixing matrix, assortativity,
bridging.

Conventions shared by every function here:

* Self-loops (a member naming themself) are ignored.
* A directed graph counts arcs; an undirected graph counts each edge once for whole-network
  totals and as two arcs (one each way) wherever a tie has a sender (mixing matrix rows,
  per-silo and per-member E-I), exactly like a symmetric adjacency matrix.
* ``weight=None`` counts ties; a weight name sums that edge attribute (missing = 1).
* Every member must carry the attribute; a missing value (``None`` or NaN) is a
  :class:`~cpower_network.errors.GraphError` naming the member.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import UsageError
from .graph_arrays import _arcs, _edge_arrays, _missing, _node_groups, _sorted
from .inference import can_reject, check_draws, permutation_p, shuffled_rows
from .response import response_rates

__all__ = ["EIResult", "assortativity", "bridging_members", "ei_index", "mixing_matrix"]


def _ei(external: float, internal: float) -> float:
    total = external + internal
    return float((external - internal) / total) if total > 0 else math.nan


# --------------------------------------------------------------------------- E-I index
@dataclass(frozen=True)
class EIResult:
    """Krackhardt–Stern E-I index of a network, its silos and its members (see :func:`ei_index`).

    Attributes
    ----------
    value : float
        Whole-network E-I; NaN when there are no ties.
    expected : float
        Exact (analytic) expected E-I when the attribute is shuffled over members.
    p_value : float
        Two-sided permutation p-value; NaN when untested (``permutations`` is then 0).
    permutations : int
    internal, external : float
        I and E behind ``value`` (tie counts, or weight sums).
    by_group : dict
        Silo -> E-I of the ties its members send.
    by_member : dict
        Member -> E-I of the member's own ties; NaN if it has none.
    q_value : float
        Benjamini–Hochberg q-value of ``p_value`` within its report's family of tests
        (set by the analysis; NaN when untested or outside a report).
    response_rates : dict
        Silo -> share of its members who answered this relation (the sender strata the
        test conditions on); empty when the graph does not mark respondents.
    testable : bool
        False when even the most extreme relabelling would get p > 0.05 (too few
        members or ties): the E-I is then "not testable with these data".
    """

    value: float
    expected: float
    p_value: float
    permutations: int
    internal: float
    external: float
    by_group: dict[Any, float] = field(default_factory=dict)
    by_member: dict[Hashable, float] = field(default_factory=dict)
    q_value: float = math.nan
    response_rates: dict[Any, float] = field(default_factory=dict)
    testable: bool = True


def _strata_codes(G: nx.Graph, nodes: list[Hashable], strata: str | None) -> np.ndarray:
    """Each node's stratum as an index (all zeros when ``strata`` does not split them)."""
    if strata is None:
        return np.zeros(len(nodes), dtype=np.int64)
    values = [G.nodes[v].get(strata) for v in nodes]
    if any(_missing(value) for value in values):
        return np.zeros(len(nodes), dtype=np.int64)
    return np.unique(np.array([repr(v) for v in values]), return_inverse=True)[1]


def _expected_ei(codes: np.ndarray, k: int, strata: np.ndarray, src: np.ndarray,
                 dst: np.ndarray, w: np.ndarray) -> float:
    """Exact mean of the E-I when silo labels are permuted within strata.

    A tie between strata a and b is internal with probability
    Σ_g c_ag c_bg / (n_a n_b) when a ≠ b and Σ_g c_ag (c_ag − 1) / (n_a (n_a − 1)) when
    a = b (c_ag: members of silo g in stratum a); E = 1 − 2 Σ w·P / Σ w.
    """
    total = float(w.sum())
    if total <= 0:
        return math.nan
    counts = np.zeros((int(strata.max()) + 1, k))
    np.add.at(counts, (strata, codes), 1.0)
    sizes = counts.sum(axis=1)
    across = (counts @ counts.T) / np.maximum(np.outer(sizes, sizes), 1.0)
    pairs = np.maximum(sizes * (sizes - 1), 1.0)
    np.fill_diagonal(across, (counts * (counts - 1)).sum(axis=1) / pairs)
    return 1.0 - 2.0 * float((w * across[strata[src], strata[dst]]).sum()) / total


def _null_draws(codes: np.ndarray, k: int, strata: np.ndarray, src: np.ndarray,
                dst: np.ndarray, w: np.ndarray, permutations: int,
                seed: int | np.random.Generator | None) -> np.ndarray:
    """E-I of ``permutations`` relabellings, silo labels shuffled within each stratum."""
    rng = np.random.default_rng(seed)
    base = codes.astype(np.min_scalar_type(max(k - 1, 0)))  # int8 codes: less memory
    total = float(w.sum())
    unweighted = bool(np.all(w == 1.0))
    groups = [np.flatnonzero(strata == s) for s in np.unique(strata)]
    chunk = max(1, min(permutations, (1 << 22) // max(1, src.size, codes.size)))
    found = []
    done = 0
    while done < permutations:
        draws = min(chunk, permutations - done)
        perm = np.tile(base, (draws, 1))
        for members in groups:
            perm[:, members] = shuffled_rows(perm[:, members], rng)
        # members as rows: gathering a tie's two ends copies whole rows (2.5x faster
        # than gathering columns of the draws-as-rows array)
        by_member = np.ascontiguousarray(perm.T)
        same = by_member[src] == by_member[dst]
        internal = np.count_nonzero(same, axis=0) if unweighted else w @ same
        found.append((total - 2.0 * internal) / total)
        done += draws
    return np.concatenate(found)


def _response_rates(G: nx.Graph, nodes: list[Hashable], codes: np.ndarray,
                    groups: list[Any], strata: str | None) -> dict[Any, float]:
    """Silo -> share of its members whose ``strata`` attribute is true (respondents), by
    :func:`~cpower_network.measures.response.response_rates` (silos keyed by code, so no
    silo name can collide with its ``"all"`` row)."""
    if strata is None or any(strata not in G.nodes[v] for v in nodes):
        return {}
    answered = [v for v in nodes if G.nodes[v][strata]]
    by_code = {i: [v for v, c in zip(nodes, codes, strict=True) if c == i]
               for i in range(len(groups))}
    rates = response_rates(nodes, answered, by_code)
    return {g: float(rates.at[i, "rate"]) for i, g in enumerate(groups) if by_code[i]}


def ei_index(
    G: nx.Graph,
    attribute: str,
    *,
    weight: str | None = None,
    permutations: int = 1000,
    seed: int | np.random.Generator | None = None,
    strata: str | None = "respondent",
) -> EIResult:
    """Krackhardt and Stern's E-I index, with its random-mixing expectation and p-value.

    .. math:: EI = \\frac{E - I}{E + I}

    where E counts ties between members of different silos and I ties within a silo
    (or sums their weights). -1: every tie internal; +1: every tie external.

    * Whole network: a directed graph counts arcs, an undirected graph edges; self-loops
      are ignored.
    * ``by_group`` (UCINET convention, rows of the adjacency matrix): for silo g,
      I_g = ties sent by members of g to members of g, E_g = ties they send to other silos.
      On an undirected graph each edge counts once from each end, so an internal edge
      counts twice in I_g, as in a symmetric matrix.
    * ``by_member``: a member's own ties: out-ties (the member's own reports; members who
      did not respond have none) on a directed graph, all ties on an undirected one.
      Members without such ties get NaN; every member is a key.
    * The null conditions on who could send ties (docs/methods.md §Cross-silo ties:
      non-response is not
      homophily). Members are split into strata by the node attribute ``strata``
      (default ``"respondent"``, set by :func:`cpower_network.graphs.build_graph`:
      respondents, non-respondents) and silo labels are permuted **within** each
      stratum, a restricted permutation equivalent to QAP on the respondent rows
      (Krackhardt 1988). Without that attribute (or with one stratum) labels are
      shuffled over all members, the classic test.
    * ``expected`` is that null's exact mean, weighted or not: a tie between strata a
      and b is internal with probability p_ab = Σ_g c_ag c_bg / (n_a n_b) (a ≠ b) or
      Σ_g c_ag (c_ag − 1) / (n_a (n_a − 1)) (a = b), and E[EI] = 1 − 2 Σ w p / Σ w.
      With one stratum, p = Σ_g n_g (n_g − 1) / (n (n − 1)) for every tie.
    * ``p_value`` draws ``permutations`` such relabellings with
      ``numpy.random.default_rng(seed)`` and counts draws with |EI* − expected| ≥
      |EI − expected|; p = (count + 1) / (permutations + 1), two-sided. ``testable`` is
      False when the null's most extreme draw would itself get p > 0.05. Nodes are
      taken in sorted order, so the result does not depend on insertion order.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
    attribute : str
        Node attribute defining the silos; every member needs a value.
    weight : str, optional
        Edge attribute to sum instead of counting ties (missing = 1).
    permutations : int, default 1000
        Number of relabellings for the p-value: 0 skips the test (``p_value`` NaN),
        otherwise at least 1,000.
    seed : int or numpy.random.Generator, optional
        Seed of the permutation test.
    strata : str or None, default "respondent"
        Node attribute whose values split members into permutation strata; None
        shuffles over all members.

    Returns
    -------
    EIResult

    Raises
    ------
    GraphError
        If a member lacks the attribute or a weight is negative or not a number.
    UsageError
        If ``permutations`` is negative, not whole, or between 1 and 999.

    References
    ----------
    Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises: an
    experimental simulation. *Social Psychology Quarterly* 51(2), 123-140.
    Krackhardt, D. (1988). Predicting with networks: nonparametric multiple regression
    analysis of dyadic data. *Social Networks* 10(4), 359-381.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": "x", "b": "x", "c": "y", "d": "y"}, "silo")
    >>> res = ei_index(G, "silo", permutations=1000, seed=1)
    >>> res.value, res.expected  # E = 1 (a->c), I = 3; p = (2 + 2) / 12
    (-0.5, 0.33333333333333337)
    >>> res.by_group
    {'x': -0.3333333333333333, 'y': -1.0}
    >>> res.by_member["d"]
    nan
    """
    permutations = check_draws(permutations)
    nodes, codes, groups = _node_groups(G, attribute, _sorted(G))
    k, n = len(groups), len(nodes)
    src, dst, w = _edge_arrays(G, nodes, weight)
    same = codes[src] == codes[dst]
    internal = float(w[same].sum())
    external = float(w[~same].sum())
    value = _ei(external, internal)
    stratum = _strata_codes(G, nodes, strata)
    expected = _expected_ei(codes, k, stratum, src, dst, w) if n > 1 else math.nan
    p_value, testable = math.nan, False
    if permutations and math.isfinite(value):
        draws = _null_draws(codes, k, stratum, src, dst, w, permutations, seed)
        p_value = permutation_p(value, draws, expected)
        testable = can_reject(draws, expected)

    s2, d2, w2 = _arcs(G, src, dst, w)
    same2 = codes[s2] == codes[d2]
    g_int = np.bincount(codes[s2][same2], weights=w2[same2], minlength=k)
    g_ext = np.bincount(codes[s2][~same2], weights=w2[~same2], minlength=k)
    by_group = {g: _ei(float(g_ext[i]), float(g_int[i])) for i, g in enumerate(groups)}
    m_int = np.bincount(s2[same2], weights=w2[same2], minlength=n)
    m_ext = np.bincount(s2[~same2], weights=w2[~same2], minlength=n)
    position = {v: i for i, v in enumerate(nodes)}
    by_member = {v: _ei(float(m_ext[position[v]]), float(m_int[position[v]])) for v in G}
    return EIResult(
        value=value,
        expected=expected,
        p_value=float(p_value),
        permutations=permutations if math.isfinite(p_value) else 0,
        internal=internal,
        external=external,
        by_group=by_group,
        by_member=by_member,
        response_rates=_response_rates(G, nodes, codes, groups, strata),
        testable=testable,
    )


# --------------------------------------------------------------------------- mixing matrix
def mixing_matrix(
    G: nx.Graph, attribute: str, *, weight: str | None = None, normalized: bool = False
) -> pd.DataFrame:
    """Silo mixing matrix: ties from each sender silo to each receiver silo.

    .. math:: M_{ab} = \\#\\{u \\to v : u \\in a, v \\in b\\}, \\qquad
              D_{ab} = \\frac{M_{ab}}{|a|\\,|b|}\\ (a \\ne b), \\quad
              D_{aa} = \\frac{M_{aa}}{|a|(|a| - 1)}

    M counts ties (or sums weights); D is the block density of docs/methods.md §Cross-silo
    ties, NaN where no
    pair exists (the diagonal of a one-member silo). An undirected graph counts each edge
    in both (a, b) and (b, a), so an internal edge adds 2 to (a, a) and M sums to twice
    the edges, as for a symmetric adjacency matrix. Self-loops are ignored; silos without
    ties keep their row and column.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
    attribute : str
        Node attribute defining the silos.
    weight : str, optional
        Edge attribute to sum instead of counting ties.
    normalized : bool, default False
        Return block densities instead of counts.

    Returns
    -------
    pandas.DataFrame
        Rows = sender silo, columns = receiver silo, both sorted; int counts when
        ``weight`` is None and ``normalized`` is False, floats otherwise.

    References
    ----------
    Newman, M. E. J. (2003). Mixing patterns in networks. *Physical Review E* 67, 026126.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("c", "d")])
    >>> nx.set_node_attributes(G, {"a": "x", "b": "x", "c": "y", "d": "y"}, "silo")
    >>> mixing_matrix(G, "silo")  # doctest: +NORMALIZE_WHITESPACE
    receiver  x  y
    sender
    x         2  1
    y         0  1
    >>> # x->x: 2 / (2*1) pairs; x->y: 1 / (2*2) pairs
    >>> mixing_matrix(G, "silo", normalized=True)  # doctest: +NORMALIZE_WHITESPACE
    receiver    x     y
    sender
    x         1.0  0.25
    y         0.0  0.50
    """
    nodes, codes, groups = _node_groups(G, attribute)
    k = len(groups)
    src, dst, w = _arcs(G, *_edge_arrays(G, nodes, weight))
    counts = np.bincount(codes[src] * k + codes[dst], weights=w, minlength=k * k).reshape(k, k)
    if normalized:
        sizes = np.bincount(codes, minlength=k).astype(float)
        possible = np.outer(sizes, sizes)
        np.fill_diagonal(possible, sizes * (sizes - 1))
        values = np.full((k, k), np.nan)
        np.divide(counts, possible, out=values, where=possible > 0)
    elif weight is None:
        values = np.rint(counts).astype(np.int64)
    else:
        values = counts
    return pd.DataFrame(
        values,
        index=pd.Index(groups, name="sender"),
        columns=pd.Index(groups, name="receiver"),
    )


# --------------------------------------------------------------------------- assortativity
def assortativity(G: nx.Graph, attribute: str) -> float:
    """Newman's attribute assortativity coefficient of the silo attribute.

    .. math:: r = \\frac{\\sum_i e_{ii} - \\sum_i a_i b_i}{1 - \\sum_i a_i b_i}

    with e the mixing matrix (:func:`mixing_matrix`) scaled to sum 1, a its row and b its
    column sums: the value of :func:`networkx.attribute_assortativity_coefficient`
    (Newman's directed r on a DiGraph; undirected edges count both ways; self-loops
    ignored), computed in sorted silo order so it is the same in every process.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
    attribute : str
        Node attribute defining the silos.

    Returns
    -------
    float
        r in [-1, 1]; NaN when there are no ties or r is undefined (e.g. one silo).

    References
    ----------
    Newman, M. E. J. (2003). Mixing patterns in networks. *Physical Review E* 67, 026126.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b"), ("c", "d"), ("a", "c")])
    >>> nx.set_node_attributes(G, {"a": "x", "b": "x", "c": "y", "d": "y"}, "silo")
    >>> round(assortativity(G, "silo"), 4)  # e = [[2, 1], [1, 2]] / 6
    0.3333
    """
    counts = mixing_matrix(G, attribute).to_numpy(dtype=float)  # silos in sorted order
    total = counts.sum()
    if total == 0:
        return math.nan
    e = counts / total
    expected = float(e.sum(axis=1) @ e.sum(axis=0))
    if expected == 1.0:
        return math.nan
    # Summed in a fixed (sorted) order, unlike networkx's set-ordered matrix, so the
    # value is identical in every process.
    return float((np.trace(e) - expected) / (1.0 - expected))


# --------------------------------------------------------------------------- bridging
def bridging_members(
    G: nx.Graph, attribute: str, *, min_groups: int = 2
) -> dict[Hashable, list[Any]]:
    """Members with ties into at least ``min_groups`` silos other than their own.

    A tie in either direction counts (naming or being named); self-loops are ignored.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
    attribute : str
        Node attribute defining the silos.
    min_groups : int, default 2
        How many other silos a member must reach (docs/methods.md §Cross-silo ties: two).

    Returns
    -------
    dict
        Member -> sorted list of the other silos they are tied to, in G's node order;
        members below the threshold are left out.

    References
    ----------
    Burt, R. S. (1992). *Structural Holes*. Harvard University Press. docs/methods.md
    §Cross-silo ties.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "c"), ("d", "a"), ("b", "c")])
    >>> nx.set_node_attributes(G, {"a": "x", "b": "x", "c": "y", "d": "z"}, "silo")
    >>> bridging_members(G, "silo")
    {'a': ['y', 'z']}
    """
    if min_groups < 1:
        raise UsageError(f"min_groups must be at least 1, got {min_groups!r}")
    nodes, codes, groups = _node_groups(G, attribute)
    k = len(groups)
    src, dst, _ = _edge_arrays(G, nodes, None)
    s2, d2 = np.concatenate([src, dst]), np.concatenate([dst, src])
    other = codes[s2] != codes[d2]
    pairs = np.unique(s2[other] * k + codes[d2][other])
    member, silo = pairs // k, pairs % k
    reached = np.bincount(member, minlength=len(nodes))
    result: dict[Hashable, list[Any]] = {}
    starts = np.searchsorted(member, np.arange(len(nodes)))
    for i in np.flatnonzero(reached >= min_groups):
        result[nodes[i]] = [groups[c] for c in silo[starts[i] : starts[i] + reached[i]]]
    return result
