"""The weaver's worklist: who is disconnected, and whom to introduce to whom (docs/methods.md
§Weaver's worklist).

All structure is read on the undirected projection of the graph (a tie either way
connects two members), because a weaver cares whether two people are in touch at all.

Members nobody was asked about (node attribute ``asked`` False, see
:mod:`cpower_network.graphs`) have ties that were not observed, which is not "no tie":
they are never listed as isolates, pendants, outside the main group, without a
cross-silo tie, peripheral or dependent on a gatekeeper, and no introduction is
suggested to or for them (whether they are already in touch is unknown). They are
listed apart, in :attr:`Worklist.not_asked`, with the reason.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

from .graphs import any_tie_graph, build_graph, unobserved
from .measures.engine import without_selfloops
from .wording import counted

INTRODUCTION_COLUMNS = ["member", "suggested", "score", "shared", "reason"]


@dataclass
class Worklist:
    """What a weaver should look at, for one graph.

    Attributes
    ----------
    isolates : list of str
        No tie in either direction.
    pendants : list of str
        Exactly one contact.
    outside_main : list of str
        Not in the largest connected component (isolates excluded: listed above).
    no_cross_silo : list of str
        Tied only within their own silo.
    gatekeepers : dict of str to str
        Member -> the one person all their ties to the rest of the coalition run through.
    articulation_points : DataFrame
        Members whose departure would cut others off: ``cut_off`` (members who depend on
        them), sorted by it.
    periphery : list of str
        Core number ≤ 1.
    introductions : DataFrame
        ``member, suggested, score, shared, reason``: pairs in different silos, not yet
        tied, with shared contacts, best first.
    silo_gaps : DataFrame
        Silo pairs by tie density (ties between them ÷ possible ties), lowest first.
    favoured : list of str
        Members favoured in suggested introductions (peripheral or in a focus group).
    not_asked : dict of str to str
        Member -> why their place is unknown: nobody was asked about them in this wave,
        so ties to them were not observed. They are in none of the lists above.
    """

    isolates: list[str]
    pendants: list[str]
    outside_main: list[str]
    no_cross_silo: list[str]
    gatekeepers: dict[str, str]
    articulation_points: pd.DataFrame
    periphery: list[str]
    introductions: pd.DataFrame
    silo_gaps: pd.DataFrame
    favoured: list[str] = field(default_factory=list)
    not_asked: dict[str, str] = field(default_factory=dict)


def worklist(G: nx.DiGraph, *, attribute: str = "silo", focus: Iterable[str] = (),
             top: int = 3, progress=None) -> Worklist:
    """Build the weaver's worklist for ``G``.

    Parameters
    ----------
    G : networkx graph
        Directed or undirected; read as undirected.
    attribute : str
        Node attribute defining silos.
    focus : iterable of str
        Boolean node attributes of focus groups (e.g. ``"lived_experience"``) whose
        members are favoured in suggested introductions.
    top : int
        Suggested introductions per member.
    progress : callable, optional
        Called with a short message before each long step.

    Returns
    -------
    Worklist

    References
    ----------
    docs/methods.md §Weaver's worklist. Hopcroft, J. & Tarjan, R. (1973). Efficient algorithms
    for graph
    manipulation. *Communications of the ACM* 16(6), 372–378 (biconnected components and
    articulation points). Seidman, S. B. (1983). Network structure and minimum degree.
    *Social Networks* 5, 269–287 (cores). Holley, J. (2012). *Network Weaver Handbook*.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> G.add_node("e")
    >>> nx.set_node_attributes(G, {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}, "silo")
    >>> w = worklist(G)
    >>> w.isolates, w.pendants, w.gatekeepers
    (['e'], ['a', 'd'], {'a': 'b', 'd': 'c'})
    >>> w.introductions[["member", "suggested", "reason"]].values.tolist()
    [['a', 'c', 'both are in touch with b'], ['b', 'd', 'both are in touch with c']]
    >>> G.add_node("f", silo="y", asked=False)  # nobody was asked about f
    >>> w = worklist(G)
    >>> w.isolates, list(w.not_asked)
    (['e'], ['f'])
    """
    say = progress or (lambda _message: None)
    U = without_selfloops(nx.Graph(G))
    nodes = list(U)
    silo = _attribute(U, attribute)
    unknown = unobserved(G)
    components = sorted(nx.connected_components(U), key=lambda c: (-len(c), min(c)))
    main = components[0] if components else set()
    say("finding gatekeepers and articulation points")
    gatekeepers, cut_off = _gatekeepers(U, main, unknown)
    core = nx.core_number(U)
    favoured = _favoured(U, focus, core) - unknown
    say("scoring suggested introductions")
    introductions = suggest_introductions(U, silo, favoured, top=top, exclude=unknown)
    return Worklist(
        **_edge_lists(U, [v for v in nodes if v not in unknown], silo, main, core),
        gatekeepers=gatekeepers,
        articulation_points=pd.DataFrame(
            sorted(cut_off.items(), key=lambda kv: (-kv[1], nodes.index(kv[0]))),
            columns=["member", "cut_off"]).set_index("member"),
        introductions=introductions,
        # pairs with a member nobody was asked about are not observed: not possible ties
        silo_gaps=silo_gaps(G.subgraph([v for v in G if v not in unknown]), attribute),
        favoured=sorted(favoured, key=nodes.index),
        not_asked=not_asked_reasons(G, unknown),
    )


def _edge_lists(U: nx.Graph, known: list[str], silo: dict[str, object], main: set[str],
                core: dict[str, int]) -> dict[str, list[str]]:
    """Isolates, pendants, members outside the main component, without a cross-silo tie,
    and in the periphery, among the members in ``known`` (whose ties were observed)."""
    degree = dict(U.degree())
    return {
        "isolates": [v for v in known if degree[v] == 0],
        "pendants": [v for v in known if degree[v] == 1],
        "outside_main": [v for v in known if v not in main and degree[v] > 0],
        "no_cross_silo": [v for v in known if degree[v] > 0 and
                          all(silo[w] == silo[v] for w in U[v])],
        "periphery": [v for v in known if core[v] <= 1],
    }


def not_asked_reasons(G: nx.Graph, unknown: set[str]) -> dict[str, str]:
    """Why each member of ``unknown`` is left out of the worklist, in ``G``'s order.

    Parameters
    ----------
    G : networkx graph
        The worklist's graph; a member's ``respondent`` attribute says whether they
        answered (their own reports are then observed).
    unknown : set of str
        Members nobody was asked about.

    Returns
    -------
    dict of str to str

    Examples
    --------
    >>> G = nx.DiGraph([("a", "b")])
    >>> G.add_node("a", respondent=True)
    >>> G.add_node("c", respondent=False)
    >>> not_asked_reasons(G, {"a", "c"})["c"]
    'not asked about in this wave and did not answer: their ties are unknown, not absent'
    >>> not_asked_reasons(G, {"a", "c"})["a"]
    'not asked about in this wave; named 1 member themselves: ties to them are unknown'
    """
    reasons = {}
    for member in G:
        if member not in unknown:
            continue
        named = G.out_degree(member) if G.is_directed() else G.degree(member)
        if not G.nodes[member].get("respondent", False):
            reasons[member] = ("not asked about in this wave and did not answer: their "
                               "ties are unknown, not absent")
        elif not named:
            reasons[member] = ("not asked about in this wave; named nobody themselves: "
                               "ties to them are unknown, not absent")
        else:
            reasons[member] = (f"not asked about in this wave; named {counted(named, 'member')} "
                               "themselves: ties to them are unknown")
    return reasons


def _attribute(G: nx.Graph, attribute: str) -> dict[str, object]:
    from .errors import GraphError

    values = nx.get_node_attributes(G, attribute)
    missing = [v for v in G if v not in values]
    if missing:
        raise GraphError(f"node {missing[0]!r} has no {attribute!r} attribute")
    return values


def _favoured(U: nx.Graph, focus: Iterable[str], core: dict[str, int]) -> set[str]:
    """Peripheral members (core ≤ 1) and focus-group members."""
    focus = list(focus)
    return {v for v, data in U.nodes(data=True)
            if core[v] <= 1 or any(bool(data.get(f)) for f in focus)}


def _gatekeepers(U: nx.Graph, main: set[str],
                 unknown: set[str] = frozenset()) -> tuple[dict[str, str], dict[str, int]]:
    """Who each member depends on, via the block–cut tree of the main component.

    The block–cut tree has a node per biconnected block and per articulation point.
    It is rooted at its weighted centroid (the node whose removal leaves no part holding
    more than half the members), so "the rest of the coalition" is the larger side.
    A member depends on the articulation point through which their block hangs towards
    the root: all their ties to the rest run through that person. ``cut_off`` counts,
    for each articulation point, the members who depend on it directly or through others.
    Members in ``unknown`` (nobody was asked about them) may have unobserved ties, so
    they are never said to depend on anyone, nor counted as cut off.
    """
    sub = U.subgraph(main)
    if sub.number_of_edges() == 0:
        return {}, {}
    points = set(nx.articulation_points(sub))
    if not points:
        return {}, {}
    tree = nx.Graph()
    weight: dict[tuple, int] = {}
    for index, block in enumerate(nx.biconnected_components(sub)):
        node = ("block", index)
        weight[node] = sum(1 for v in block if v not in points)
        tree.add_node(node, members=[v for v in block if v not in points])
        for point in block & points:
            tree.add_edge(node, ("point", point))
    for point in points:
        weight[("point", point)] = 1
    root = _centroid(tree, weight)
    parent = dict(nx.bfs_predecessors(tree, root))
    gatekeepers: dict[str, str] = {}
    for node in nx.bfs_tree(tree, root):
        up = parent.get(node)
        if node[0] == "block" and up is not None:
            for v in tree.nodes[node]["members"]:
                gatekeepers[v] = up[1]
        elif node[0] == "point" and up is not None and parent.get(up) is not None:
            gatekeepers[node[1]] = parent[up][1]
    cut_off = dict.fromkeys(points, 0)
    for v in [v for v in gatekeepers if v not in unknown]:
        point = gatekeepers.get(v)
        while point is not None:
            cut_off[point] += 1
            point = gatekeepers.get(point)
    if unknown:  # a point only members of unknown depend on cuts nobody off for sure
        cut_off = {point: count for point, count in cut_off.items() if count}
    ordered = {v: gatekeepers[v] for v in U if v in gatekeepers and v not in unknown}
    return ordered, cut_off


def _centroid(tree: nx.Graph, weight: dict[tuple, int]) -> tuple:
    """The tree node minimising the largest weight left in any part once it is removed
    (ties favour a block, then the order nodes were added, for determinism)."""
    start = next(iter(tree))
    order = list(nx.dfs_preorder_nodes(tree, start))
    parent = dict(nx.dfs_predecessors(tree, start))
    below = dict(weight)
    for node in reversed(order):
        if node in parent:
            below[parent[node]] += below[node]
    total = below[start]
    position = {node: k for k, node in enumerate(tree)}

    def largest_part(node: tuple) -> int:
        parts = [below[c] for c in tree[node] if parent.get(c) == node]
        parts.append(total - below[node])
        return max(parts)

    return min(tree, key=lambda node: (largest_part(node), node[0] != "block",
                                       position[node]))


def suggest_introductions(U: nx.Graph, silo: dict[str, object], favoured: set[str], *,
                          top: int = 3, exclude: Iterable[str] = ()) -> pd.DataFrame:
    """Pairs in different silos, not yet tied, scored by shared contacts.

    .. math:: \\text{score}(u, w) = \\Big(\\sum_{z \\in N(u) \\cap N(w)}
              \\frac{1}{\\log |N(z)|}\\Big) \\cdot
              \\frac{1 + \\tfrac12 [u \\in F] + \\tfrac12 [w \\in F]}
              {1 + \\min(k_u, k_w)}

    the Adamic–Adar index (Adamic & Adar 2003) of shared contacts, raised by half for each
    member of the pair who is peripheral or in a focus group (F), and divided by one
    plus the smaller number of contacts k, so that introductions for members with few
    contacts come first (a pair of hubs sharing many contacts adds little). Each member
    keeps its ``top`` best suggestions; a pair is listed once. Members in ``exclude``
    (nobody was asked about them: whether they are already in touch, and how many
    contacts they have, is unknown) are in no pair, though they count as shared contacts.

    References
    ----------
    Adamic, L. A. & Adar, E. (2003). Friends and neighbors on the Web. *Social Networks*
    25(3), 211–230.

    Examples
    --------
    >>> U = nx.Graph([("a", "z"), ("b", "z"), ("c", "z")])
    >>> silo = {"a": "x", "b": "y", "c": "x", "z": "x"}
    >>> suggest_introductions(U, silo, set())[["member", "suggested"]].values.tolist()
    [['a', 'b'], ['b', 'c']]
    >>> suggest_introductions(U, silo, set(), exclude={"a"})[["member", "suggested"]
    ...                                                      ].values.tolist()
    [['b', 'c']]
    """
    nodes = list(U)
    n = len(nodes)
    if n == 0 or U.number_of_edges() == 0:
        return pd.DataFrame(columns=INTRODUCTION_COLUMNS)
    index = {v: i for i, v in enumerate(nodes)}
    A = nx.to_scipy_sparse_array(U, nodelist=nodes, weight=None, format="csr")
    A.data[:] = 1.0
    degree = np.asarray(A.sum(axis=1)).ravel()
    inverse_log = np.where(degree > 1, 1.0 / np.log(np.maximum(degree, 2)), 0.0)
    scores = (A @ sparse.diags(inverse_log) @ A).tocsr()
    silo_codes = pd.factorize(pd.Series([silo[v] for v in nodes]))[0]
    boost = np.array([1.0 if v in favoured else 0.0 for v in nodes])
    skip = set(exclude)
    excluded = np.array([v in skip for v in nodes], dtype=bool)
    rows = []
    for i in np.flatnonzero(~excluded):
        start, end = scores.indptr[i], scores.indptr[i + 1]
        cols, values = scores.indices[start:end], scores.data[start:end]
        keep = (cols != i) & (silo_codes[cols] != silo_codes[i]) & ~excluded[cols]
        cols, values = cols[keep], values[keep]
        if cols.size:
            tied = A.indices[A.indptr[i]:A.indptr[i + 1]]
            keep = ~np.isin(cols, tied)
            cols, values = cols[keep], values[keep]
        if not cols.size:
            continue
        values = values * (1 + 0.5 * boost[i] + 0.5 * boost[cols]) / \
            (1 + np.minimum(degree[i], degree[cols]))
        best = np.lexsort((cols, -values))[:top]
        rows.extend((int(i), int(cols[b]), float(values[b])) for b in best)
    return _describe_pairs(U, nodes, index, rows)


def _describe_pairs(U: nx.Graph, nodes: list[str], index: dict[str, int],
                    rows: list[tuple[int, int, float]]) -> pd.DataFrame:
    seen: set[tuple[int, int]] = set()
    records = []
    for i, j, score in sorted(rows, key=lambda r: (-r[2], r[0], r[1])):
        pair = (min(i, j), max(i, j))
        if pair in seen:
            continue
        seen.add(pair)
        u, w = nodes[i], nodes[j]
        shared = sorted(set(U[u]) & set(U[w]), key=index.__getitem__)
        records.append((u, w, round(score, 6), shared, _reason(U, shared)))
    return pd.DataFrame(records, columns=INTRODUCTION_COLUMNS)


def _reason(U: nx.Graph, shared: list[str]) -> str:
    names = [str(U.nodes[z].get("name", z)) for z in shared]
    if len(names) == 1:
        listed = names[0]
    elif len(names) <= 3:
        listed = ", ".join(names[:-1]) + " and " + names[-1]
    else:
        listed = f"{', '.join(names[:2])} and {len(names) - 2} others"
    return f"both are in touch with {listed}"


def silo_gaps(G: nx.Graph, attribute: str = "silo") -> pd.DataFrame:
    """Silo pairs ranked by the share of their member pairs who are in touch, lowest
    first (bridge opportunities).

    .. math:: d(a, b) = \\frac{|\\{\\{u, v\\}: u \\in a, v \\in b, u \\sim v\\}|}{|a|\\,|b|}

    where u ~ v when either reported a tie to the other, in any relation of ``G``: a
    pair counts once however many relations and directions tie it, so the count never
    mixes relations or counts an undirected tie twice.

    Returns
    -------
    DataFrame
        ``silo_a, silo_b, ties`` (pairs of members in touch), ``possible`` (member
        pairs, |a|·|b|), ``density`` (their ratio).

    References
    ----------
    docs/methods.md §Weaver's worklist (bridge opportunities); Krebs, V. & Holley, J. (2006),
    *Building Smart
    Communities through Network Weaving* (closing gaps between clusters).

    Examples
    --------
    >>> G = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c")])
    >>> nx.set_node_attributes(G, {"a": "x", "b": "y", "c": "z"}, "silo")
    >>> silo_gaps(G)[["silo_a", "silo_b", "ties", "possible", "density"]].values.tolist()
    [['y', 'z', 0, 1, 0.0], ['x', 'y', 1, 1, 1.0], ['x', 'z', 1, 1, 1.0]]
    """
    silo = nx.get_node_attributes(G, attribute)
    sizes = pd.Series(list(silo.values()), dtype=object).value_counts()
    labels = sorted(sizes.index, key=str)
    touching: dict[tuple, int] = {}
    for u, v in nx.Graph(G).edges():
        if u != v and silo[u] != silo[v]:
            key = tuple(sorted((silo[u], silo[v]), key=str))
            touching[key] = touching.get(key, 0) + 1
    records = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            ties = touching.get((a, b), 0)
            possible = int(sizes[a] * sizes[b])
            records.append((a, b, ties, possible, ties / possible if possible else math.nan))
    frame = pd.DataFrame(records, columns=["silo_a", "silo_b", "ties", "possible", "density"])
    return frame.sort_values(["density", "possible"], ascending=[True, False],
                             kind="stable").reset_index(drop=True)


@dataclass
class StudyWorklist:
    """A worklist with the graph it was read from (for names and silos)."""

    worklist: Worklist
    graph: nx.DiGraph
    wave: str
    relation: str
    silo_label: str = "silo"  # the roster's silo column, to name numeric codes

    def name(self, member: str) -> str:
        return str(self.graph.nodes[member].get("name", member))

    def silo(self, member: str) -> str:
        return str(self.graph.nodes[member].get("silo", ""))

    def introductions(self) -> pd.DataFrame:
        """Suggested introductions with names, silos and reasons (``cpower weave --csv``):
        ``member_id, member, member_silo, suggested_id, suggested, suggested_silo,
        shared_contacts, score, reason``."""
        frame = self.worklist.introductions
        return pd.DataFrame({
            "member_id": frame["member"], "member": frame["member"].map(self.name),
            "member_silo": frame["member"].map(self.silo),
            "suggested_id": frame["suggested"],
            "suggested": frame["suggested"].map(self.name),
            "suggested_silo": frame["suggested"].map(self.silo),
            "shared_contacts": frame["shared"].map(len), "score": frame["score"],
            "reason": frame["reason"],
        })


def study_worklist(study, *, wave: str | None = None, relation: str | None = None,
                   top: int = 3, progress=None, allow_problems: bool = False) -> StudyWorklist:
    """The worklist of one wave, on one relation or on any tie in any relation (see
    :func:`worklist` for each list's definition and references).

    Raises
    ------
    DataError
        The study's data has errors and ``allow_problems`` is false (an answer set
        aside could make someone look disconnected).

    Examples
    --------
    >>> import cpower_network as cp
    >>> found = study_worklist(cp.load_study(cp.example_study_path()), wave="2024")
    >>> [found.name(m) for m in found.worklist.isolates]
    ['William Foster', 'Denise Howard', 'Crystal Begay']
    """
    say = progress or (lambda _message: None)
    data = study.wave(wave)
    study.require_clean(allow_problems=allow_problems)
    say(f"building the graphs of wave {data.key}")
    if relation is None:
        G = any_tie_graph(study, data.key)
        label = "any relation"
    else:
        G = build_graph(study, relation, data.key)
        label = relation
    found = worklist(G, focus=study.focus_groups, top=top, progress=say)
    return StudyWorklist(found, G, data.key, label, study.config.roster.silo)
