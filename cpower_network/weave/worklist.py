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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain

import networkx as nx
import pandas as pd

from ..common.wording import counted
from ..graphs import unobserved
from ..measures.engine import without_selfloops
from .gaps import gaps_between
from .introductions import suggest_introductions

__all__ = ["Worklist", "not_asked_reasons", "worklist"]


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
        Bridge and triangle suggestions, with who can introduce them and why (see
        :func:`~cpower_network.weave.introductions.suggest_introductions`).
    silo_gaps : DataFrame
        Silo pairs by tie density (ties between them ÷ possible ties), lowest first.
    favoured : list of str
        Members favoured in suggested introductions (peripheral or in a focus group).
    not_asked : dict of str to str
        Member -> why their place is unknown: nobody was asked about them in this wave,
        so ties to them were not observed. They are in none of the lists above.
    did_not_answer : list of str
        Members who did not answer: only ties others reported about them are known.
    in_touch : list of str
        The relations whose ties count as being in touch (``G.graph["in_touch"]``).
    in_touch_note : str
        Why other relations count too, when the study declares no contact role
        (``G.graph["in_touch_note"]``), else "".
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
    did_not_answer: list[str] = field(default_factory=list)
    in_touch: list[str] = field(default_factory=list)
    in_touch_note: str = ""

    def introductions_of(self, kind: str) -> pd.DataFrame:
        """The suggestions of one kind ("bridge" or "triangle"), best first."""
        frame = self.introductions
        return frame[frame["kind"] == kind].reset_index(drop=True)


def worklist(G: nx.DiGraph, *, attribute: str = "silo", focus: Iterable[str] = (),
             top: int = 3, progress=None,
             focus_labels: Mapping[str, str] | None = None) -> Worklist:
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
        Triangle suggestions kept per member.
    progress : callable, optional
        Called with a short message before each long step.
    focus_labels : mapping, optional
        Focus-group key -> label, for the reasons of suggestions.

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
    >>> w.introductions_of("bridge")[["member", "suggested"]].values.tolist()
    [['a', 'd'], ['b', 'e'], ['c', 'a']]
    >>> w.introductions_of("triangle")[["member", "suggested", "introducer"]].values.tolist()
    [['b', 'd', 'c']]
    >>> G.add_node("f", silo="y", asked=False)  # nobody was asked about f
    >>> w = worklist(G)
    >>> w.isolates, list(w.not_asked)
    (['e'], ['f'])
    """
    say = progress or (lambda _message: None)
    U = without_selfloops(nx.Graph(G))
    nodes = list(U)
    order = {v: i for i, v in enumerate(nodes)}
    silo = _attribute(U, attribute)
    unknown = unobserved(G)
    components = sorted(nx.connected_components(U), key=lambda c: (-len(c), min(c)))
    main = components[0] if components else set()
    say("finding gatekeepers and articulation points")
    gatekeepers, cut_off = _gatekeepers(U, main, unknown)
    core = nx.core_number(U)
    focus = list(focus)
    favoured = _favoured(U, focus, core) - unknown
    answered = {v for v, said in G.nodes(data="respondent", default=True) if said}
    # pairs with a member nobody was asked about are not observed: not possible ties
    gaps = gaps_between({v: silo[v] for v in nodes if v not in unknown},
                        ((u, v) for u, v in U.edges() if u not in unknown and v not in unknown))
    say("choosing suggested introductions")
    introductions = suggest_introductions(
        U, silo, favoured, answered=answered, top=top, exclude=unknown, gaps=gaps,
        focus_labels=_member_focus_labels(U, focus, focus_labels or {}),
        peripheral=[v for v in nodes if core[v] <= 1])
    return Worklist(
        **_edge_lists(U, [v for v in nodes if v not in unknown], silo, main, core),
        gatekeepers=gatekeepers,
        articulation_points=pd.DataFrame(
            sorted(cut_off.items(), key=lambda kv: (-kv[1], order[kv[0]])),
            columns=["member", "cut_off"]).set_index("member"),
        introductions=introductions,
        silo_gaps=gaps,
        favoured=sorted(favoured, key=order.__getitem__),
        not_asked=not_asked_reasons(G, unknown),
        did_not_answer=[v for v in nodes if v not in answered and v not in unknown],
        in_touch=list(G.graph.get("in_touch", [])),
        in_touch_note=str(G.graph.get("in_touch_note", "")),
    )


def _member_focus_labels(U: nx.Graph, focus: list[str],
                         labels: Mapping[str, str]) -> dict[str, str]:
    """Member -> the focus groups they are in, in words ("focus groups Lived experience
    and Grassroots"), for members in at least one."""
    found = {}
    for v, data in U.nodes(data=True):
        names = [labels.get(f, f) for f in focus if bool(data.get(f))]
        if names:
            found[v] = ("focus group " if len(names) == 1 else "focus groups ") + \
                " and ".join(names)
    return found


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
    'not asked about in this wave; named 1 member themselves; ties from others unknown'
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
            reasons[member] = ("not asked about in this wave; named nobody themselves; "
                               "ties from others unknown, not absent")
        else:
            reasons[member] = (f"not asked about in this wave; named {counted(named, 'member')} "
                               "themselves; ties from others unknown")
    return reasons


def _attribute(G: nx.Graph, attribute: str) -> dict[str, object]:
    from ..errors import GraphError

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
    if len(main) < 2:  # no tie in the main component
        return {}, {}
    # start where networkx's search of the main component would: its first member
    blocks, points = _blocks_and_points(U, next(iter(U.subgraph(main))))
    if not points:
        return {}, {}
    tree = nx.Graph()
    weight: dict[tuple, int] = {}
    for index, block in enumerate(blocks):
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
    # a member counts for their gatekeeper and every gatekeeper above. gatekeepers was
    # filled from the root down, so reversed, everyone comes before their gatekeeper:
    # adding each member's own count to their gatekeeper's walks every chain once
    for v in reversed(gatekeepers):
        cut_off[gatekeepers[v]] += (v not in unknown) + cut_off.get(v, 0)
    if unknown:  # a point only members of unknown depend on cuts nobody off for sure
        cut_off = {point: count for point, count in cut_off.items() if count}
    ordered = {v: gatekeepers[v] for v in U if v in gatekeepers and v not in unknown}
    return ordered, cut_off


def _blocks_and_points(U: nx.Graph, start: str) -> tuple[list[set[str]], set[str]]:
    """The biconnected blocks and the articulation points of the connected component of
    ``U`` holding ``start``, from one depth-first search.

    The same search as :func:`networkx.biconnected_components` and
    :func:`networkx.articulation_points` (Hopcroft & Tarjan 1973), started at ``start``
    and reading contacts in ``U``'s order, so the blocks come in the same order and the
    points are gathered in the same order; it runs once instead of twice, on ``U``'s
    adjacency instead of a subgraph view.
    """
    adjacency = U.adj
    discovery = {start: 0}  # when each member was reached
    low = {start: 0}  # the earliest member reached by a back edge from their subtree
    edges: list[tuple[str, str]] = []  # tree and back edges not yet in a block
    edge_at: dict[tuple[str, str], int] = {}
    blocks: list[set[str]] = []
    points: list[str] = []  # each once, in the order networkx yields them
    is_point: set[str] = set()
    root_children = 0
    stack = [(start, start, iter(adjacency[start]))]
    while stack:
        grandparent, parent, children = stack[-1]
        for child in children:
            if child == grandparent:
                continue
            if child in discovery:
                if discovery[child] <= discovery[parent]:  # back edge
                    low[parent] = min(low[parent], discovery[child])
                    edge_at[parent, child] = len(edges)
                    edges.append((parent, child))
            else:
                low[child] = discovery[child] = len(discovery)
                stack.append((parent, child, iter(adjacency[child])))
                edge_at[parent, child] = len(edges)
                edges.append((parent, child))
                break
        else:  # every contact of parent read
            stack.pop()
            if len(stack) > 1:
                if low[parent] >= discovery[grandparent]:
                    blocks.append(_cut_block(edges, edge_at[grandparent, parent]))
                    if grandparent not in is_point:
                        is_point.add(grandparent)
                        points.append(grandparent)
                low[grandparent] = min(low[parent], low[grandparent])
            elif stack:  # grandparent is the root
                root_children += 1
                blocks.append(_cut_block(edges, edge_at[grandparent, parent]))
    if root_children > 1 and start not in is_point:
        points.append(start)
    # built from the list, as set(nx.articulation_points(...)) is, so it iterates alike
    return blocks, set(points)


def _cut_block(edges: list[tuple[str, str]], first: int) -> set[str]:
    """The members of ``edges[first:]`` (one block), removed from ``edges``."""
    block = set(chain.from_iterable(edges[first:]))
    del edges[first:]
    return block


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


