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
from dataclasses import dataclass, field
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
    #: caches of :meth:`by_contacts` and :meth:`in_both`
    ranked_in_silo: dict[object, list[str]] = field(default_factory=dict, compare=False)
    bridging: dict[tuple, list[str]] = field(default_factory=dict, compare=False)

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
    def reach(self) -> dict[str, Counter]:
        """Member -> silo -> how many of their contacts (asked about) are in it."""
        return {v: Counter(self.silo[z] for z in contacts if z not in self.skip)
                for v, contacts in self.adjacency.items()}

    @cached_property
    def by_silo(self) -> dict[object, list[str]]:
        """Silo -> its members in :attr:`known`, in graph order."""
        found: dict[object, list[str]] = {}
        for v in self.known:
            found.setdefault(self.silo[v], []).append(v)
        return found

    def by_contacts(self, silo: object) -> list[str]:
        """Members of ``silo`` in :attr:`known`: who answered first, then most contacts,
        then graph order (computed once per silo)."""
        if silo not in self.ranked_in_silo:
            self.ranked_in_silo[silo] = sorted(
                self.by_silo.get(silo, []),
                key=lambda w: (w not in self.answered, -self.degrees[w], self.order[w]))
        return self.ranked_in_silo[silo]

    def in_both(self, a: object, b: object) -> list[str]:
        """Members of :attr:`known` with contacts in both silos a and b, most such
        contacts (the fewer of the two counts) first, then graph order (computed once per
        silo pair)."""
        if (a, b) not in self.bridging:
            counts = [(z, min(self.reach[z][a], self.reach[z][b])) for z in self.known]
            ranked = sorted(((z, k) for z, k in counts if k > 0),
                            key=lambda zk: (-zk[1], self.order[zk[0]]))
            self.bridging[a, b] = [z for z, _ in ranked]
        return self.bridging[a, b]

    @cached_property
    def nodes(self) -> list[str]:
        """Members in graph order: member i is row and column i of :attr:`matrix`."""
        return list(self.U)

    @cached_property
    def matrix(self) -> sparse.csr_array:
        """The contact graph's adjacency matrix (1 for a tie), rows and columns in graph
        order, column indices sorted within each row (as networkx's own matrix has them:
        the sums of A·diag·A then add up in the same order, to the same last bit)."""
        nodes, index, adjacency = self.nodes, self.order, self.adjacency
        counts = np.fromiter((len(adjacency[v]) for v in nodes), dtype=np.int64,
                             count=len(nodes))
        indptr = np.zeros(len(nodes) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        indices = np.fromiter((index[z] for v in nodes for z in adjacency[v]), dtype=np.int64,
                              count=int(indptr[-1]))
        A = sparse.csr_array((np.ones(len(indices)), indices, indptr),
                             shape=(len(nodes), len(nodes)))
        A.sort_indices()
        return A

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
    from .gaps import gaps_between

    if peripheral is None:
        core = nx.core_number(nx.Graph(U))
        peripheral = [v for v in U if core[v] <= 1]
    ctx = Context(U, silo, set(favoured),
                  set(U) if answered is None else set(answered),
                  {v: i for i, v in enumerate(U)}, set(exclude), set(peripheral))
    if gaps is None:
        gaps = gaps_between({v: silo[v] for v in ctx.known},
                            ((u, v) for u, v in U.edges() if u not in ctx.skip
                             and v not in ctx.skip))
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
    nodes = ctx.nodes
    if not nodes or ctx.matrix.nnz == 0:
        return []
    seen: set[tuple[int, int]] = set()
    found = []
    for i, j, score in sorted(_best_triangles(ctx, top), key=lambda r: (-r[2], r[0], r[1])):
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


#: Rows of the contact matrix scored at a time (bounds the memory of the two-step paths).
ROWS_PER_BLOCK = 2048


def _best_triangles(ctx: Context, top: int) -> list[tuple[int, int, float]]:
    """``(i, j, score)`` for each eligible member i's ``top`` best triangles (highest score,
    then lowest j), members by their index in ``ctx.nodes``.

    A pair is a candidate when both answered and were asked about, they are not in touch
    but share a contact, and they are in different silos or either is favoured. Scores
    are computed a block of rows at a time, on sparse matrices: the Adamic–Adar sums are
    the entries of A·diag(1/log k)·A.
    """
    A = ctx.matrix
    degree = np.diff(A.indptr).astype(float)
    inverse_log = sparse.diags(np.where(degree > 1, 1.0 / np.log(np.maximum(degree, 2)), 0.0))
    nodes = ctx.nodes
    silo_codes = pd.factorize(pd.Series([ctx.silo[v] for v in nodes], dtype=object))[0]
    boost = np.array([v in ctx.favoured for v in nodes], dtype=float)
    eligible = np.array([v in ctx.answered and v not in ctx.skip for v in nodes])
    best = []
    for start in range(0, len(nodes), ROWS_PER_BLOCK):
        block = A[start:start + ROWS_PER_BLOCK]
        paths = (block @ inverse_log @ A).tocsr()
        # drop the pairs already in touch: their entries become exactly 0 and are pruned
        untied = (paths - paths.multiply(block)).tocsr()
        rows = start + np.repeat(np.arange(untied.shape[0]), np.diff(untied.indptr))
        cols, values = untied.indices, untied.data
        cross = silo_codes[cols] != silo_codes[rows]
        keep = (cols != rows) & eligible[rows] & eligible[cols] & \
            (cross | (boost[rows] > 0) | (boost[cols] > 0))
        rows, cols, values, cross = rows[keep], cols[keep], values[keep], cross[keep]
        values = values * (1 + 0.5 * boost[rows] + 0.5 * boost[cols]) * \
            np.where(cross, 1.0, 0.5) / (1 + np.minimum(degree[rows], degree[cols]))
        best.extend(_top_per_row(rows, cols, values, top))
    return best


def _top_per_row(rows: np.ndarray, cols: np.ndarray, values: np.ndarray,
                 top: int) -> list[tuple[int, int, float]]:
    """The ``top`` entries of each row with the highest value, then the lowest column, as
    ``(row, col, value)``; ``rows`` is sorted (columns need not be) and each (row, col)
    appears once. One pass per rank: each takes every row's best entry left."""
    if not rows.size or top <= 0:
        return []
    new_row = np.r_[True, rows[1:] != rows[:-1]]
    starts = np.flatnonzero(new_row)
    segment = np.cumsum(new_row) - 1  # entry -> its row's place in starts
    left = values.copy()
    no_column = np.iinfo(cols.dtype).max
    picked = []
    for _ in range(top):
        highest = np.maximum.reduceat(left, starts)
        at_highest = (left == highest[segment]) & (left > -np.inf)
        first_col = np.minimum.reduceat(np.where(at_highest, cols, no_column), starts)
        chosen = np.flatnonzero(at_highest & (cols == first_col[segment]))
        if not chosen.size:
            break
        picked.append(chosen)
        left[chosen] = -np.inf
    if not picked:
        return []
    chosen = np.concatenate(picked)
    return list(zip(rows[chosen].tolist(), cols[chosen].tolist(), values[chosen].tolist(),
                    strict=True))


def _shared(ctx: Context, u: str, w: str) -> list[str]:
    return sorted(ctx.neighbours[u] & ctx.neighbours[w], key=ctx.order.__getitem__)


def _closest_common(ctx: Context, u: str, w: str, shared: list[str]) -> str | None:
    """The shared contact most strongly tied to both (the smaller of its two tie weights,
    a weight being the number of relations that tie them), then roster order."""
    candidates = [z for z in shared if z not in ctx.skip]
    if len(candidates) < 2:  # most triangles: nothing to weigh
        return candidates[0] if candidates else None
    of_u, of_w = ctx.adjacency[u], ctx.adjacency[w]
    order = ctx.order
    return min(candidates, key=lambda z: (-min(of_u[z].get("weight", 1.0),
                                               of_w[z].get("weight", 1.0)), order[z]))


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
    found: list[tuple] = []
    used: set[frozenset] = set()
    for _, gap in _sparse(gaps).iterrows():
        for u, w in _pairs_for_gap(ctx, gap["silo_a"], gap["silo_b"], used):
            found.append(_bridge(ctx, u, w, gap, labels))
            used.add(frozenset((u, w)))
    suggested = {v for row in found for v in row[1:3]}
    gaps_of = _gaps_of_silo(gaps)
    for v in ctx.known:
        if v in suggested or v not in ctx.peripheral:
            continue
        pick = _partner_for_peripheral(ctx, v, gaps_of, used)
        if pick is not None:
            w, gap = pick
            found.append(_bridge(ctx, v, w, gap, labels))
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


def _gaps_of_silo(gaps: pd.DataFrame) -> dict[object, list[tuple[object, pd.Series]]]:
    """Silo -> (the other silo, its row of ``gaps``) for each silo pair it is in that has
    member pairs, in the order of ``gaps`` (least in touch first)."""
    found: dict[object, list[tuple[object, pd.Series]]] = {}
    for _, gap in gaps[gaps["possible"] > 0].iterrows():
        a, b = gap["silo_a"], gap["silo_b"]
        found.setdefault(a, []).append((b, gap))
        found.setdefault(b, []).append((a, gap))
    return found


def _ranked(ctx: Context, silo: object, other: object) -> list[str]:
    """Members of ``silo`` best placed to bridge to ``other``: favoured first, then those
    who answered, then fewest ties into ``other``, then roster order."""
    reach = ctx.reach
    return sorted(ctx.by_silo.get(silo, []),
                  key=lambda v: (v not in ctx.favoured, v not in ctx.answered,
                                 reach[v][other], ctx.order[v]))


def _pairs_for_gap(ctx: Context, a: object, b: object,
                   used: set[frozenset]) -> list[tuple[str, str]]:
    """Up to :data:`PER_GAP` pairs across silos a and b, each member once, who are not in
    touch and share at most :data:`MAX_SHARED_FOR_BRIDGE` contacts."""
    side_b = _ranked(ctx, b, a)
    taken: set[str] = set()
    pairs = []
    for u in _ranked(ctx, a, b):
        contacts = ctx.neighbours[u]
        for w in side_b:
            if w in taken or w in contacts or frozenset((u, w)) in used:
                continue
            if len(contacts & ctx.neighbours[w]) > MAX_SHARED_FOR_BRIDGE:
                continue
            pairs.append((u, w))
            taken.add(w)
            break
        if len(pairs) == PER_GAP:
            break
    return pairs


def _partner_for_peripheral(ctx: Context, v: str,
                            gaps_of: Mapping[object, list[tuple[object, pd.Series]]],
                            used: set[frozenset]) -> tuple[str, pd.Series] | None:
    """A well-connected member of the silo that ``v``'s silo is least in touch with, not
    yet in touch with ``v``: who answered first, then who shares no contact with ``v``
    (two who share one are a triangle to close), then most contacts.

    ``gaps_of`` is :func:`_gaps_of_silo` of the silo gaps; the next silo pair is tried
    when nobody in the first can be paired with ``v``.
    """
    for other, gap in gaps_of.get(ctx.silo[v], []):
        best = _best_partner(ctx, v, ctx.by_contacts(other), used)
        if best is not None:
            return best, gap
    return None


def _best_partner(ctx: Context, v: str, ranked: list[str],
                  used: set[frozenset]) -> str | None:
    """The first of ``ranked`` (who answered first, then most contacts, then roster order)
    not in touch or paired with ``v``, preferring, among those alike in answering, one
    who shares no contact with ``v``.

    Only members skipped (in touch, paired, or sharing a contact) are read before the
    answer, so the scan is short however large the silo.
    """
    contacts = ctx.neighbours[v]
    sharing = None  # the first who shares a contact with v, among those alike in answering
    for w in ranked:
        if w in contacts or frozenset((v, w)) in used:
            continue
        if sharing is not None and (w in ctx.answered) != (sharing in ctx.answered):
            break
        if not contacts & ctx.neighbours[w]:
            return w
        if sharing is None:
            sharing = w
    return sharing


def _bridge(ctx: Context, u: str, w: str, gap: pd.Series, labels: Mapping[str, str]) -> tuple:
    shared = _shared(ctx, u, w)
    through = _bridger(ctx, u, w, shared)
    a, b = ctx.silo[u], ctx.silo[w]
    head = (f"{a} and {b}: {int(gap['ties'])} of {int(gap['possible'])} pairs of their "
            "members in touch")
    notes = _pair_notes(ctx, u, w, labels)
    reason = head + (f"; {'; '.join(notes)}" if notes else "") + \
        _who_introduces(ctx, u, w, through)
    return ("bridge", u, w, through, shared, round(1.0 - float(gap["density"]), 6), reason,
            u in ctx.answered, w in ctx.answered)


def _who_introduces(ctx: Context, u: str, w: str, through: str | None) -> str:
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
        count = ctx.reach[through][ctx.silo[other]]
        people = "person" if count == 1 else "people"
        return (f"; ask {name}, who knows {ctx.name(known)} and {count} {people} in "
                f"{ctx.silo[other]}, to introduce them")
    return (f"; ask {name}, who knows people in both {ctx.silo[u]} and {ctx.silo[w]}, to "
            "connect them")


def _bridger(ctx: Context, u: str, w: str, shared: list[str]) -> str | None:
    """Who is best placed to introduce: a shared contact; else a contact of one with the
    most ties into the other's silo; else the member with most ties into both silos."""
    common = [z for z in shared if z not in ctx.skip]
    if common:
        return common[0]
    a, b = ctx.silo[u], ctx.silo[w]
    reach = ctx.reach
    near = [(z, reach[z][b]) for z in ctx.adjacency[u] if z not in ctx.skip and z != w] + \
        [(z, reach[z][a]) for z in ctx.adjacency[w] if z not in ctx.skip and z != u]
    near = [(z, k) for z, k in near if k > 0]
    if near:
        return min(near, key=lambda zk: (-zk[1], ctx.order[zk[0]]))[0]
    return next((z for z in ctx.in_both(a, b) if z not in (u, w)), None)


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
