"""Suggested introductions: the weaver's two moves (docs/methods.md §Weaver's worklist).

* **Close a triangle**: two members who share a contact but are not in touch, introduced
  by that contact. Only pairs who both answered and neither of whom named the other: when
  one did not answer, whether they are in touch is unknown.
* **Bridge a gap**: members of the silo pairs least in touch for their size (the report's
  bridge opportunities), who share at most one contact, introduced by a member who knows
  both sides; then every isolated or peripheral member without a suggestion is paired
  with a well-connected member of the silo their own is least in touch with.

Krebs, V. & Holley, J. (2006). *Building Smart Communities through Network Weaving*.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse

__all__ = ["INTRODUCTION_COLUMNS", "KINDS", "MAX_SHARED_FOR_BRIDGE", "SPARSE_GAPS",
           "suggest_introductions"]

#: The weaver's two moves: kind -> its title.
KINDS = {"bridge": "Bridge a gap", "triangle": "Close a triangle"}
INTRODUCTION_COLUMNS = ["kind", "member", "suggested", "introducer", "shared", "score",
                        "reason", "member_answered", "suggested_answered"]
#: A pair sharing more contacts than this is not a bridge (they are a triangle apart).
MAX_SHARED_FOR_BRIDGE = 1
#: How many of the sparsest silo pairs get bridge suggestions.
SPARSE_GAPS = 3
#: Bridge suggestions per sparse silo pair.
PER_GAP = 5


@dataclass(frozen=True)
class Context:
    """What every suggestion reads: the contact graph and who is who."""

    U: nx.Graph
    silo: Mapping[str, object]
    favoured: set[str]
    answered: set[str]
    order: Mapping[str, int]
    skip: set[str]
    peripheral: set[str]

    def name(self, v: str) -> str:
        return self.names[v]

    @cached_property
    def names(self) -> dict[str, str]:
        """Member -> display name (``name`` attribute, else the id)."""
        return {v: str(data.get("name", v)) for v, data in self.U.nodes(data=True)}

    @cached_property
    def adjacency(self) -> dict[str, dict[str, dict]]:
        """Member -> contact -> tie attributes, as plain dicts (read per suggestion, so
        built once: networkx's views cost a call per lookup)."""
        return nx.to_dict_of_dicts(self.U)

    @cached_property
    def neighbours(self) -> dict[str, set[str]]:
        """Member -> set of contacts."""
        return {v: set(contacts) for v, contacts in self.adjacency.items()}

    @cached_property
    def degrees(self) -> dict[str, int]:
        """Member -> degree in ``U``."""
        return dict(self.U.degree())

    @cached_property
    def known(self) -> list[str]:
        """Members whose ties were observed (everyone not in ``skip``), in graph order."""
        return [v for v in self.U if v not in self.skip]


def suggest_introductions(U: nx.Graph, silo: Mapping[str, object], favoured: set[str], *,
                          answered: Iterable[str] | None = None, top: int = 3,
                          exclude: Iterable[str] = (),
                          gaps: pd.DataFrame | None = None,
                          focus_labels: Mapping[str, str] | None = None,
                          peripheral: Iterable[str] | None = None) -> pd.DataFrame:
    """Bridge and triangle introductions on the contact graph ``U``.

    Parameters
    ----------
    U : networkx.Graph
        Undirected contact graph (a tie: either member reported the other in a relation
        that means contact); nodes may carry ``name``.
    silo : mapping
        Member -> silo.
    favoured : set of str
        Peripheral (core number ≤ 1) and focus-group members, favoured in both kinds.
    answered : iterable of str, optional
        Members who answered (default: every member). Triangles need both to have
        answered; bridges with a member who did not answer come after the others and say so.
    top : int
        Triangle suggestions kept per member.
    exclude : iterable of str
        Members nobody was asked about: in no pair, never an introducer.
    gaps : DataFrame, optional
        :func:`~cpower_network.weave.gaps.silo_gaps` of the observed members, sparsest first
        (default: computed from ``U``).
    focus_labels : mapping, optional
        Member -> their focus groups in words, for reasons ("focus group Grassroots").
    peripheral : iterable of str, optional
        Isolated and peripheral members (default: core number ≤ 1 in ``U``); each gets
        a bridge suggestion when none of the sparsest silo pairs' included them.

    Returns
    -------
    DataFrame
        :data:`INTRODUCTION_COLUMNS`: ``kind`` ("bridge" or "triangle"), the pair,
        ``introducer`` (None when nobody in the network knows both), ``shared`` (shared
        contacts), ``score`` (bridges: 1 − the density of their silo pair; triangles:
        the Adamic–Adar score below), ``reason`` and whether each answered. Bridges
        first, sparsest silo pair first; then triangles, best first.

    Notes
    -----
    Triangle score, for members u, w in F (favoured) or not, with k contacts:

    .. math:: \\Big(\\sum_{z \\in N(u) \\cap N(w)} \\frac{1}{\\log |N(z)|}\\Big)
              \\cdot \\frac{(1 + \\tfrac12 [u \\in F] + \\tfrac12 [w \\in F])\\,
              c(u, w)}{1 + \\min(k_u, k_w)}

    with c = 1 across silos and ½ within one (Adamic & Adar 2003).

    Examples
    --------
    >>> U = nx.Graph([("a", "z"), ("b", "z"), ("c", "d")])
    >>> U.add_node("e")
    >>> silo = {"a": "x", "b": "y", "z": "x", "c": "y", "d": "y", "e": "x"}
    >>> found = suggest_introductions(U, silo, {"e"})
    >>> found[["kind", "member", "suggested", "introducer"]].values.tolist()[-1]
    ['triangle', 'a', 'b', 'z']
    >>> "e" in set(found["member"]) | set(found["suggested"])   # the isolate is paired
    True
    """
    from .gaps import silo_gaps

    if peripheral is None:
        core = nx.core_number(nx.Graph(U))
        peripheral = [v for v in U if core[v] <= 1]
    ctx = Context(U, silo, set(favoured),
                  set(U) if answered is None else set(answered),
                  {v: i for i, v in enumerate(U)}, set(exclude), set(peripheral))
    if gaps is None:
        observed = nx.Graph(U.subgraph(ctx.known))
        nx.set_node_attributes(observed, {v: silo[v] for v in observed}, "silo")
        gaps = silo_gaps(observed)
    labels = dict(focus_labels or {})
    bridges = _bridges(ctx, gaps, labels)
    triangles = _triangles(ctx, top, labels, {frozenset(row[1:3]) for row in bridges})
    frame = pd.DataFrame(bridges + triangles, columns=INTRODUCTION_COLUMNS)
    return frame


# -- triangles ---------------------------------------------------------------------------

def _triangles(ctx: Context, top: int, labels: Mapping[str, str],
               bridged: set[frozenset]) -> list[tuple]:
    """Triangle suggestions: each member's ``top`` best, each pair once, none already
    suggested as a bridge."""
    U = ctx.U
    nodes = list(U)
    if not nodes or U.number_of_edges() == 0:
        return []
    A = nx.to_scipy_sparse_array(U, nodelist=nodes, weight=None, format="csr")
    A.data[:] = 1.0
    degree = np.asarray(A.sum(axis=1)).ravel()
    inverse_log = np.where(degree > 1, 1.0 / np.log(np.maximum(degree, 2)), 0.0)
    scores = (A @ sparse.diags(inverse_log) @ A).tocsr()
    silo_codes = pd.factorize(pd.Series([ctx.silo[v] for v in nodes], dtype=object))[0]
    boost = np.array([v in ctx.favoured for v in nodes], dtype=float)
    eligible = np.array([v in ctx.answered and v not in ctx.skip for v in nodes])
    rows = []
    for i in np.flatnonzero(eligible):
        start, end = scores.indptr[i], scores.indptr[i + 1]
        cols, values = scores.indices[start:end], scores.data[start:end]
        tied = A.indices[A.indptr[i]:A.indptr[i + 1]]
        cross = silo_codes[cols] != silo_codes[i]
        keep = (cols != i) & eligible[cols] & ~np.isin(cols, tied) & \
            (cross | (boost[i] > 0) | (boost[cols] > 0))
        cols, values, cross = cols[keep], values[keep], cross[keep]
        if not cols.size:
            continue
        values = values * (1 + 0.5 * boost[i] + 0.5 * boost[cols]) * \
            np.where(cross, 1.0, 0.5) / (1 + np.minimum(degree[i], degree[cols]))
        best = np.lexsort((cols, -values))[:top]
        rows.extend((int(i), int(cols[b]), float(values[b])) for b in best)
    seen: set[tuple[int, int]] = set()
    found = []
    for i, j, score in sorted(rows, key=lambda r: (-r[2], r[0], r[1])):
        pair = (min(i, j), max(i, j))
        u, w = nodes[i], nodes[j]
        if pair in seen or frozenset((u, w)) in bridged:
            continue
        seen.add(pair)
        shared = _shared(ctx, u, w)
        through = _closest_common(ctx, u, w, shared)
        if through is None:  # the only shared contacts were never asked about
            continue
        found.append(("triangle", u, w, through, shared, round(score, 6),
                      _triangle_reason(ctx, u, w, shared, through, labels), True, True))
    return found


def _shared(ctx: Context, u: str, w: str) -> list[str]:
    return sorted(ctx.neighbours[u] & ctx.neighbours[w], key=ctx.order.__getitem__)


def _closest_common(ctx: Context, u: str, w: str, shared: list[str]) -> str | None:
    """The shared contact most strongly tied to both (the smaller of its two tie weights,
    a weight being the number of relations that tie them), then roster order."""
    of_u, of_w = ctx.adjacency[u], ctx.adjacency[w]

    def strength(z: str) -> float:
        return min(of_u[z].get("weight", 1.0), of_w[z].get("weight", 1.0))

    candidates = [z for z in shared if z not in ctx.skip]
    return min(candidates, key=lambda z: (-strength(z), ctx.order[z])) if candidates else None


def _triangle_reason(ctx: Context, u: str, w: str, shared: list[str], through: str,
                     labels: Mapping[str, str]) -> str:
    others = len(shared) - 1
    head = f"both are in touch with {ctx.name(through)}"
    if others > 0:
        head += f" and {others} other{'s' if others > 1 else ''}"
    notes = _pair_notes(ctx, u, w, labels)
    tail = f"; {'; '.join(notes)}" if notes else ""
    return f"{head}: ask {ctx.name(through)} to introduce them{tail}"


# -- bridges -----------------------------------------------------------------------------

def _bridges(ctx: Context, gaps: pd.DataFrame, labels: Mapping[str, str]) -> list[tuple]:
    """Bridge suggestions for the sparsest silo pairs, then one for each isolated or
    peripheral member still without one."""
    reach = {v: Counter(ctx.silo[z] for z in ctx.adjacency[v] if z not in ctx.skip)
             for v in ctx.U}
    found: list[tuple] = []
    used: set[frozenset] = set()
    for _, gap in _sparse(gaps).iterrows():
        for u, w in _pairs_for_gap(ctx, gap["silo_a"], gap["silo_b"], reach, used):
            found.append(_bridge(ctx, u, w, gap, reach, labels))
            used.add(frozenset((u, w)))
    suggested = {v for row in found for v in row[1:3]}
    for v in ctx.known:
        if v in suggested or v not in ctx.peripheral:
            continue
        pick = _partner_for_peripheral(ctx, v, gaps, reach, used)
        if pick is not None:
            w, gap = pick
            found.append(_bridge(ctx, v, w, gap, reach, labels))
            used.add(frozenset((v, w)))
    return found


def _sparse(gaps: pd.DataFrame) -> pd.DataFrame:
    """The :data:`SPARSE_GAPS` sparsest silo pairs that are no denser than silo pairs
    overall and not fully in touch."""
    known = gaps[gaps["possible"] > 0]
    if known.empty:
        return known
    overall = known["ties"].sum() / known["possible"].sum()
    return known[(known["density"] <= overall + 1e-12) & (known["density"] < 1)].head(
        SPARSE_GAPS)


def _ranked(ctx: Context, silo: object, other: object,
            reach: Mapping[str, Counter]) -> list[str]:
    """Members of ``silo`` best placed to bridge to ``other``: favoured first, then those
    who answered, then fewest ties into ``other``, then roster order."""
    members = [v for v in ctx.known if ctx.silo[v] == silo]
    return sorted(members, key=lambda v: (v not in ctx.favoured, v not in ctx.answered,
                                          reach[v][other], ctx.order[v]))


def _pairs_for_gap(ctx: Context, a: object, b: object, reach: Mapping[str, Counter],
                   used: set[frozenset]) -> list[tuple[str, str]]:
    """Up to :data:`PER_GAP` pairs across silos a and b, each member once, who are not in
    touch and share at most :data:`MAX_SHARED_FOR_BRIDGE` contacts."""
    side_b = _ranked(ctx, b, a, reach)
    taken: set[str] = set()
    pairs = []
    for u in _ranked(ctx, a, b, reach):
        for w in side_b:
            if w in taken or ctx.U.has_edge(u, w) or frozenset((u, w)) in used:
                continue
            if len(ctx.neighbours[u] & ctx.neighbours[w]) > MAX_SHARED_FOR_BRIDGE:
                continue
            pairs.append((u, w))
            taken.add(w)
            break
        if len(pairs) == PER_GAP:
            break
    return pairs


def _partner_for_peripheral(ctx: Context, v: str, gaps: pd.DataFrame,
                            reach: Mapping[str, Counter], used: set[frozenset]
                            ) -> tuple[str, pd.Series] | None:
    """A well-connected member of the silo that ``v``'s silo is least in touch with, not
    yet in touch with ``v``: who answered first, then who shares no contact with ``v``
    (two who share one are a triangle to close), then most contacts."""
    mine = ctx.silo[v]
    for _, gap in gaps[gaps["possible"] > 0].iterrows():
        if mine not in (gap["silo_a"], gap["silo_b"]):
            continue
        other = gap["silo_b"] if gap["silo_a"] == mine else gap["silo_a"]
        candidates = [w for w in ctx.known if ctx.silo[w] == other
                      and not ctx.U.has_edge(v, w) and frozenset((v, w)) not in used]
        if candidates:
            mine_contacts = ctx.neighbours[v]
            best = min(candidates, key=lambda w: (w not in ctx.answered,
                                                  bool(mine_contacts & ctx.neighbours[w]),
                                                  -ctx.U.degree(w), ctx.order[w]))
            return best, gap
    return None


def _bridge(ctx: Context, u: str, w: str, gap: pd.Series, reach: Mapping[str, Counter],
            labels: Mapping[str, str]) -> tuple:
    shared = _shared(ctx, u, w)
    through = _bridger(ctx, u, w, shared, reach)
    a, b = ctx.silo[u], ctx.silo[w]
    head = (f"{a} and {b}: {int(gap['ties'])} of {int(gap['possible'])} pairs of their "
            "members in touch")
    notes = _pair_notes(ctx, u, w, labels)
    reason = head + (f"; {'; '.join(notes)}" if notes else "") + \
        _who_introduces(ctx, u, w, through, reach)
    return ("bridge", u, w, through, shared, round(1.0 - float(gap["density"]), 6), reason,
            u in ctx.answered, w in ctx.answered)


def _who_introduces(ctx: Context, u: str, w: str, through: str | None,
                    reach: Mapping[str, Counter]) -> str:
    """What the introducer of a bridge actually knows: both members, one member and
    people in the other's silo, or people in both silos."""
    if through is None:
        return "; nobody in the network knows people on both sides: introduce them yourself"
    name = ctx.name(through)
    knows_u, knows_w = ctx.U.has_edge(through, u), ctx.U.has_edge(through, w)
    if knows_u and knows_w:
        return f"; ask {name}, who knows both of them, to introduce them"
    if knows_u or knows_w:
        known, other = (u, w) if knows_u else (w, u)
        count = reach[through][ctx.silo[other]]
        people = "person" if count == 1 else "people"
        return (f"; ask {name}, who knows {ctx.name(known)} and {count} {people} in "
                f"{ctx.silo[other]}, to introduce them")
    return (f"; ask {name}, who knows people in both {ctx.silo[u]} and {ctx.silo[w]}, to "
            "connect them")


def _bridger(ctx: Context, u: str, w: str, shared: list[str],
             reach: Mapping[str, Counter]) -> str | None:
    """Who is best placed to introduce: a shared contact; else a contact of one with the
    most ties into the other's silo; else the member with most ties into both silos."""
    common = [z for z in shared if z not in ctx.skip]
    if common:
        return common[0]
    a, b = ctx.silo[u], ctx.silo[w]
    near = [(z, reach[z][b]) for z in ctx.adjacency[u] if z not in ctx.skip and z != w] + \
        [(z, reach[z][a]) for z in ctx.adjacency[w] if z not in ctx.skip and z != u]
    near = [(z, k) for z, k in near if k > 0]
    if near:
        return min(near, key=lambda zk: (-zk[1], ctx.order[zk[0]]))[0]
    both = [(z, min(reach[z][a], reach[z][b])) for z in ctx.known if z not in (u, w)]
    both = [(z, k) for z, k in both if k > 0]
    return min(both, key=lambda zk: (-zk[1], ctx.order[zk[0]]))[0] if both else None


def _pair_notes(ctx: Context, u: str, w: str, labels: Mapping[str, str]) -> list[str]:
    """Why each member of a pair is favoured, and whether their ties are known."""
    return [n for n in (_member_note(ctx, u, labels), _member_note(ctx, w, labels)) if n]


def _member_note(ctx: Context, v: str, labels: Mapping[str, str]) -> str:
    """Why ``v`` is favoured, and whether their own ties are known."""
    degree = ctx.degrees[v]
    parts = []
    if degree == 0:
        parts.append("no contacts yet")
    elif degree == 1:
        parts.append("a single contact")
    elif v in labels:
        parts.append(labels[v])
    elif v in ctx.peripheral:
        parts.append("on the periphery")
    if v not in ctx.answered:
        parts.append("did not answer: their own ties are unknown")
    return f"{ctx.name(v)}: {', '.join(parts)}" if parts else ""
