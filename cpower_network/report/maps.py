"""The network maps' data: compact arrays the report's script hands to vis-network.

Built directly from the graphs (not through pyvis's ``from_nx``, which scales badly):
one shared, seeded layout computed in Python with igraph, so members stay in place when
the relation changes and maps open still; node and edge arrays indexed by position;
nothing in them is HTML (the script builds tooltips and cards as text nodes).
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from ..results.model import MEASURE_LABELS, Results
from .format import silo_name

#: The silos' colours: six hues, every pair (and each with :data:`OTHER_COLOUR`) far
#: apart for normal vision and for simulated protanopia, deuteranopia and tritanopia
#: (Machado et al. 2009): CIEDE2000 at least 29.6 normal and 22.0 under each deficiency
#: (``tests/report/test_map_readability.py`` checks every pair against 28 and 20). Found
#: by searching the sRGB cube for the six colours, with the grey, whose smallest
#: difference over the four visions is largest, among colours a projector shows well
#: (no neon, none near black or white); the search found no seven that keep 28 and 20,
#: so a coalition with more silos than hues draws the smallest together in grey
#: (:func:`silo_colours`).
PALETTE = ["#0B48A2", "#E49E0A", "#239579", "#AD7DE1", "#B2480A", "#532832"]
SIZE_MEASURES = ("in_degree", "in_strength", "betweenness", "pagerank", "harmonic", "core")
#: Above this many members the browser's physics stays off (positions are precomputed).
PHYSICS_LIMIT = 300
#: Above this many members the map opens on the silo-level view.
SILO_VIEW_LIMIT = 3000
#: Above this many connected members the layout is one disc per silo, not a force layout:
#: a force layout of 500+ members is a hairball nobody reads, and costs 2-5 s at 1,300
#: members (500 Fruchterman-Reingold iterations) against 0.2 s for the discs.
FORCE_LIMIT = 500
#: Map units per unit of the discs' spiral (neighbours ~25 units apart, dots 6–28 wide).
DISC_SPACING = 14.0
#: Width over height of a member map's layout (the map's box is about 1130 × 640 px).
ASPECT = 1.7
#: How hard a tie pulls within a silo and across silos (times the pair's strength, the
#: number of relations and directions it was named in), and how hard each member is
#: held by their silo's anchor (Fruchterman–Reingold weights, see :func:`_neighbourhoods`).
WITHIN, ACROSS, ANCHOR = 1.0, 0.3, 1.0
SHAPES = ("diamond", "square", "triangle", "star")
#: The name of the silos a shared map draws together (too small to show), and the colour
#: of silos drawn together (those, or silos beyond the palette's hues).
OTHER_SILOS = "Other silos"
OTHER_COLOUR = "#D2D2D2"
#: Mixed into the seed of an anonymised map's layout, so its picture differs from the
#: named map's drawn with the same seed (its positions cannot be matched to names).
ANONYMISED_LAYOUT = 0x616E6F6E
#: Measure labels on an undirected relation, where nothing is "received": ties are contacts.
UNDIRECTED_LABELS = {"in_degree": "Ties (contacts)", "in_strength": "Strength (contacts)"}
BROKER_ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")


def silo_colours(silos: Collection[str],
                 sizes: dict[str, int] | None = None) -> dict[str, str]:
    """A colour per silo: :data:`PALETTE`'s hues in sorted silo order.

    With more silos than hues the largest silos (by ``sizes``, default all equal; ties
    by name) keep the hues and the rest are drawn together in :data:`OTHER_COLOUR`: a
    further hue could not be told from the others by everyone (their names stay in the
    legend, the silo filter and each member's tooltip).

    >>> silo_colours(["b", "a"])
    {'a': '#0B48A2', 'b': '#E49E0A'}
    >>> many = silo_colours("abcdefgh", {"a": 1, "b": 2, "c": 5, "d": 5, "e": 3, "f": 3,
    ...                                  "g": 4, "h": 9})
    >>> many["a"], many["b"], many["c"] == many["d"]
    ('#D2D2D2', '#D2D2D2', False)
    """
    names = sorted(set(silos), key=str)
    if len(names) > len(PALETTE):
        size = sizes or {}
        kept = set(sorted(names, key=lambda s: (-size.get(s, 0), str(s)))[:len(PALETTE)])
    else:
        kept = set(names)
    hues = iter(PALETTE)
    return {silo: next(hues) if silo in kept else OTHER_COLOUR for silo in names}


def layout(G: nx.Graph, *, seed: int, size: float = 1000.0,
           attribute: str = "silo") -> dict[str, tuple[float, float]]:
    """Seeded node positions, the connected members in a ``size``-wide drawing and the
    members with no tie in a row beneath it (where a weaver looks for them).

    Up to :data:`FORCE_LIMIT` connected members, silos are neighbourhoods around a ring
    (:func:`_neighbourhoods`): a seeded Fruchterman–Reingold layout (igraph) in which
    each member is held by their silo's anchor and ties within a silo pull harder than
    ties across, so silos do not melt into one core and the ties between them read as
    bridges; the same graph and seed give the same picture. Above the limit a force
    layout costs minutes for a picture nobody can read, so each silo becomes a disc
    (:func:`_silo_discs`) and members keep a fixed spacing, so that drawing is wider than
    ``size``. The aspect ratio is kept (about :data:`ASPECT` for the neighbourhoods);
    positions are rounded to 0.1.

    References
    ----------
    Fruchterman, T. M. J. & Reingold, E. M. (1991). Graph drawing by force-directed
    placement. *Software: Practice and Experience* 21(11), 1129–1164.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> G.add_node("lonely")
    >>> spots = layout(G, seed=1)
    >>> spots["lonely"][1] > max(spots[v][1] for v in "abc")
    True
    """
    linked = [v for v in G if any(u != v for u in nx.all_neighbors(G, v))]
    linked_set = set(linked)
    alone = [v for v in G if v not in linked_set]
    positions = _force_layout(G.subgraph(linked), linked, seed=seed, size=size,
                              attribute=attribute) if linked else {}
    bottom = max((y for _x, y in positions.values()), default=0.0) + size * 0.08
    per_row = max(1, int(np.ceil(np.sqrt(len(alone) * 4))))
    step = size / max(per_row, 1)
    for k, v in enumerate(alone):
        row, column = divmod(k, per_row)
        positions[v] = (round(-size / 2 + step * (column + 0.5), 1),
                        round(bottom + row * step * 0.6, 1))
    return {v: positions[v] for v in G}


def _force_layout(G: nx.Graph, nodes: list, *, seed: int, size: float,
                  attribute: str) -> dict[str, tuple[float, float]]:
    index = {v: i for i, v in enumerate(nodes)}
    strength: dict[tuple[int, int], float] = {}
    for u, v, w in G.edges(data="weight", default=1.0):
        if u != v:
            pair = (min(index[u], index[v]), max(index[u], index[v]))
            strength[pair] = strength.get(pair, 0.0) + float(w)
    edges = sorted(strength)
    group = [G.nodes[v].get(attribute) for v in nodes]
    if len(nodes) > FORCE_LIMIT:
        graph = ig.Graph(n=len(nodes), edges=edges)
        # members keep their spacing (the drawing grows with the coalition), so they
        # stay apart when the reader zooms in
        points = _silo_discs(graph, group, seed=seed) * DISC_SPACING
        points -= (points.min(axis=0) + points.max(axis=0)) / 2
    else:
        points = _neighbourhoods(edges, [strength[e] for e in edges], group, seed=seed)
        points -= points.min(axis=0)
        span = float(points.max()) or 1.0
        points = points / span * size
        points -= points.max(axis=0) / 2
    return {v: (round(float(x), 1), round(float(y), 1)) for v, (x, y) in zip(nodes, points,
                                                                            strict=True)}


def _neighbourhoods(edges: list[tuple[int, int]], strength: list[float], group: list,
                    *, seed: int) -> np.ndarray:
    """Members' positions with each silo a neighbourhood (up to :data:`FORCE_LIMIT`).

    Each silo gets an anchor on a ring, a rounded rectangle :data:`ASPECT` times as wide
    as high (so silos reach the corners of a wide map), silos with denser ties between
    them side by side (:func:`_ring_order`), each silo's arc in proportion to the square
    root of its size, the ring turned by an angle drawn from ``seed``. The anchors are
    pinned in a Fruchterman–Reingold layout where every member is tied to their anchor
    (weight :data:`ANCHOR`) and ties pull by their strength, :data:`WITHIN` a silo or
    :data:`ACROSS`: a silo's members gather round its anchor, those tied across lean
    towards the silos they work with, and no hairball forms where all the silos meet. A
    member far out of their silo (a single weak tie) is drawn back to 1.5 times the
    silo's upper-quartile distance from its centre, so one loner does not shrink the
    rest of the map. The drawing is then stretched to :data:`ASPECT` (:func:`_stretch`)
    and members too close are moved apart (:func:`_spread`). Seeded (the ring's turn,
    the start, igraph's generator); about 0.4 s for 500 members.

    >>> spots = _neighbourhoods([(0, 1), (1, 2), (3, 4), (2, 3)], [1.0] * 4,
    ...                         ["a", "a", "a", "b", "b"], seed=1)
    >>> a, b = spots[:3].mean(axis=0), spots[3:].mean(axis=0)   # the silos' centres
    >>> [bool(np.hypot(*(p - a)) < np.hypot(*(p - b))) for p in spots]
    [True, True, True, False, False]
    """
    n = len(group)
    keys = {key: i for i, key in enumerate(sorted({str(g) for g in group}))}
    code = np.array([keys[str(g)] for g in group], dtype=int)
    k = len(keys)
    sizes = np.bincount(code, minlength=k).astype(float)
    ties = np.zeros((k, k))
    for a, b in edges:
        ties[code[a], code[b]] += 1.0
        ties[code[b], code[a]] += 1.0
    rng = np.random.default_rng(seed)
    turn = rng.uniform(0.0, 2 * np.pi)
    order = _ring_order(ties / np.outer(sizes, sizes))
    arc = np.sqrt(sizes[order])
    arc = arc / arc.sum() * 2 * np.pi
    middle = turn + np.cumsum(arc) - arc / 2
    radius = 0.9 * np.sqrt(n) if k > 1 else 0.0
    anchors = np.zeros((k, 2))
    # a rounded rectangle (superellipse of exponent 4), so silos reach the corners
    cos, sin = np.cos(middle), np.sin(middle)
    anchors[order, 0] = radius * np.sqrt(ASPECT) * np.sign(cos) * np.abs(cos) ** 0.5
    anchors[order, 1] = radius / np.sqrt(ASPECT) * np.sign(sin) * np.abs(sin) ** 0.5
    top = max(strength, default=1.0)
    weights = [(WITHIN if code[a] == code[b] else ACROSS) * 2 * w / top
               for (a, b), w in zip(edges, strength, strict=True)] + [ANCHOR] * n
    graph = ig.Graph(n=n + k, edges=[*edges, *((m, n + code[m]) for m in range(n))])
    start = np.vstack([anchors[code] + rng.normal(0.0, 0.5, size=(n, 2)), anchors])
    free = [np.inf] * n
    xs, ys = anchors[:, 0].tolist(), anchors[:, 1].tolist()
    points = np.asarray(_seeded(seed, lambda: graph.layout_fruchterman_reingold(
        seed=start.tolist(), niter=500, weights=weights, grid="nogrid",
        minx=[-v for v in free] + xs, maxx=free + xs,
        miny=[-v for v in free] + ys, maxy=free + ys)).coords, dtype=float)[:n]
    for s in range(k):
        members = np.flatnonzero(code == s)
        centre = points[members].mean(axis=0)
        far = np.hypot(*(points[members] - centre).T)
        cap = 1.5 * np.quantile(far, 0.75) if len(members) > 3 else np.inf
        out = far > cap
        points[members[out]] = centre + (points[members[out]] - centre) * (cap / far[out])[:, None]
    return _spread(_stretch(points))


def _stretch(points: np.ndarray) -> np.ndarray:
    """``points`` scaled to 1000 units wide and 1000 / :data:`ASPECT` high (each axis on
    its own), so the drawing fills a wide map's box.

    >>> _stretch(np.array([[0.0, 0.0], [1.0, 1.0]])).tolist()
    [[0.0, 0.0], [1000.0, 588.2352941176471]]
    """
    points = points - points.min(axis=0)
    span = points.max(axis=0)
    span[span == 0] = 1.0
    return points / span * np.array([1000.0, 1000.0 / ASPECT])


def _spread(points: np.ndarray, rounds: int = 40) -> np.ndarray:
    """``points`` (1000 units wide) moved apart until no two are closer than a gap: 90%
    of the spacing they would have on a grid filling the drawing, at most 64 units (two
    of the largest dots, 28 units in radius, side by side with a little air), so
    neighbours' dots do not cover each other and their names have room. Each round
    pushes every too-close pair apart by half the shortfall each (pairs found with a
    k-d tree); deterministic.

    >>> moved = _spread(np.array([[0.0, 0.0], [1.0, 0.0], [500.0, 0.0]]))
    >>> round(float(np.hypot(*(moved[1] - moved[0]))))
    64
    """
    n = len(points)
    if n < 2:
        return points
    area = np.ptp(points[:, 0]) * max(np.ptp(points[:, 1]), 1000.0 / ASPECT)
    gap = min(64.0, 0.9 * np.sqrt(area / n))
    from scipy.spatial import cKDTree  # 0.25 s to import: only when a map is drawn

    points = points.copy()
    for _ in range(rounds):
        pairs = cKDTree(points).query_pairs(gap * (1 - 1e-9), output_type="ndarray")
        if not len(pairs):
            break
        a, b = pairs[:, 0], pairs[:, 1]
        delta = points[a] - points[b]
        dist = np.hypot(delta[:, 0], delta[:, 1])
        same = dist < 1e-9                        # coincident: apart in a fixed direction
        turn = (a[same] + 2 * b[same]) * 2.399963
        delta[same] = np.stack([np.cos(turn), np.sin(turn)], axis=1)
        dist[same] = 1.0
        push = delta * ((gap - dist) / 2 / dist)[:, None]
        np.add.at(points, a, push)
        np.add.at(points, b, -push)
    return points


def _ring_order(density: np.ndarray) -> list[int]:
    """Silos in an order round a ring with densely tied silos side by side: the order
    with the most density between neighbours (every order up to eight silos, beyond
    that the densest next silo each time), starting from silo 0.

    >>> d = np.array([[0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 1], [0, 1, 1, 0]], float)
    >>> _ring_order(d)                  # the ring 0, 1, 3, 2: tied silos side by side
    [0, 1, 3, 2]
    """
    k = len(density)
    if k <= 3:
        return list(range(k))
    if k <= 8:
        def around(order: tuple[int, ...]) -> float:
            return sum(density[order[i], order[(i + 1) % k]] for i in range(k))
        best = max((o for o in ((0, *p) for p in itertools.permutations(range(1, k)))
                    if o[1] < o[-1]), key=around)      # first best; each ring once
        return list(best)
    order = [0]
    while len(order) < k:
        last = order[-1]
        order.append(max((s for s in range(k) if s not in order),
                         key=lambda s: (density[last, s], -s)))
    return order


def _seeded(seed: int, run):
    """Run an igraph layout with igraph's random generator seeded."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        return run()
    finally:
        ig.set_random_number_generator(random)


def _silo_discs(graph: ig.Graph, group: list, *, seed: int) -> np.ndarray:
    """Large maps: one disc per silo, members on a sunflower spiral inside it.

    The silos' centres come from a seeded Fruchterman–Reingold layout of the silo graph
    (silos tied by the density of ties between them), spread until no two discs
    overlap; a disc's area is proportional to its silo's size. Inside a disc members sit
    on Vogel's spiral (one member per unit of area), the most connected at the centre,
    so hubs, silo sizes and the ties between silos read at a glance. Linear in the
    number of members and ties.

    >>> g = ig.Graph(n=5, edges=[(0, 1), (0, 2), (3, 4), (2, 3)])
    >>> spots = _silo_discs(g, ["a", "a", "a", "b", "b"], seed=1)
    >>> a, b = spots[:3].mean(axis=0), spots[3:].mean(axis=0)   # the discs' centres
    >>> [bool(np.hypot(*(p - a)) < np.hypot(*(p - b))) for p in spots]
    [True, True, True, False, False]

    References
    ----------
    Vogel, H. (1979). A better way to construct the sunflower head. *Mathematical
    Biosciences* 44(3–4), 179–189.
    """
    keys = sorted({str(g) for g in group})
    code_of = {k: i for i, k in enumerate(keys)}
    code = np.array([code_of[str(g)] for g in group], dtype=int)
    sizes = np.bincount(code, minlength=len(keys)).astype(float)
    radius = np.sqrt(sizes)
    ties = np.zeros((len(keys), len(keys)))
    edges = np.asarray(graph.get_edgelist(), dtype=int).reshape(-1, 2)
    np.add.at(ties, (code[edges[:, 0]], code[edges[:, 1]]), 1.0)
    ties += ties.T
    pairs = [(a, b) for a in range(len(keys)) for b in range(a + 1, len(keys))]
    if len(keys) == 1:
        centres = np.zeros((1, 2))
    else:
        density = [ties[a, b] / (sizes[a] * sizes[b]) for a, b in pairs]
        top = max(density) or 1.0
        silo_graph = ig.Graph(n=len(keys), edges=pairs)
        start = np.random.default_rng(seed).uniform(-1, 1, size=(len(keys), 2)).tolist()
        centres = np.asarray(_seeded(seed, lambda: silo_graph.layout_fruchterman_reingold(
            seed=start, niter=500, weights=[0.05 + d / top for d in density])).coords,
            dtype=float)
        apart = [np.hypot(*(centres[a] - centres[b])) for a, b in pairs]
        if min(apart) < 1e-6:                    # coincident centres: a ring instead
            angle = 2 * np.pi * np.arange(len(keys)) / len(keys)
            centres = np.column_stack([np.cos(angle), np.sin(angle)])
            apart = [np.hypot(*(centres[a] - centres[b])) for a, b in pairs]
        spread = max(1.15 * (radius[a] + radius[b]) / d
                     for (a, b), d in zip(pairs, apart, strict=True))
        centres *= spread
    points = np.zeros((len(group), 2))
    degree = np.asarray(graph.degree(), dtype=float)
    golden = np.pi * (3 - np.sqrt(5))
    for s in range(len(keys)):
        members = np.flatnonzero(code == s)
        order = members[np.lexsort((members, -degree[members]))]
        rank = np.arange(len(order))
        r = np.sqrt(rank + 0.5)
        points[order, 0] = centres[s, 0] + r * np.cos(rank * golden)
        points[order, 1] = centres[s, 1] + r * np.sin(rank * golden)
    return points


def _round(value: float) -> float | None:
    if value != value:
        return None
    return float(f"{value:.4g}")


@dataclass(frozen=True)
class MapPrivacy:
    """What a shared map leaves out so that nobody who did not agree to be named can be
    singled out (see :func:`map_privacy`).

    Attributes
    ----------
    threshold : int
        Fewer members than this is too few to hide among.
    left_off : frozenset of str
        Members not drawn at all.
    pooled : tuple of str
        Silos drawn together in grey as "Other silos" (fewer than ``threshold`` members,
        and someone of them still drawn).
    """

    threshold: int = 0
    left_off: frozenset[str] = field(default_factory=frozenset)
    pooled: tuple[str, ...] = ()


def map_privacy(roster: pd.DataFrame, members: list[str], audience: str,
                threshold: int) -> MapPrivacy:
    """Who a map for ``audience`` leaves off, and which silos it pools.

    The evaluator's map shows everyone. On a shared map a member who did not consent is
    an unnamed dot in their silo's colour; when only one or two members of a silo did
    not consent, the room can tell who those dots are by elimination (it knows who is in
    the silo and reads the other names). Greying such dots would not hide them: the
    layout pulls a silo's members together, so an unnamed dot keeps its place among its
    silo's named members whatever its colour. So they are left off the map (their ties
    still count in every figure). Silos with fewer than ``threshold`` members are drawn
    together in grey as "Other silos", as the silo tables leave them out; after the
    first rule only members who agreed to be named remain in them.

    >>> roster = pd.DataFrame({"silo": ["a", "a", "a", "a", "b"],
    ...                        "consent": [True, True, False, True, True]},
    ...                       index=["m1", "m2", "m3", "m4", "m5"])
    >>> found = map_privacy(roster, list(roster.index), "retreat", 3)
    >>> sorted(found.left_off), found.pooled
    (['m3'], ('b',))
    >>> map_privacy(roster, list(roster.index), "evaluator", 3) == MapPrivacy(3)
    True
    """
    if audience == "evaluator":
        return MapPrivacy(threshold)
    shown = dict(zip(members, shown_members(roster, members, audience), strict=True))
    silos = roster.loc[members, "silo"]
    unnamed = silos[[not shown[m] for m in members]].value_counts()
    exposed = {s for s, n in unnamed.items() if 0 < n < threshold}
    left_off = frozenset(m for m in members if not shown[m] and silos[m] in exposed)
    sizes = silos.value_counts()
    drawn = {silos[m] for m in members if m not in left_off}
    pooled = tuple(sorted((s for s, n in sizes.items() if n < threshold and s in drawn),
                          key=str))
    return MapPrivacy(threshold, left_off, pooled)


def shown_members(roster: pd.DataFrame, members: list[str], audience: str) -> list[bool]:
    """Whose name and focus-group marks a shared map may show: everyone in the evaluator
    view; in the retreat view only members who consented to be named (roster column)."""
    if audience == "evaluator":
        return [True] * len(members)
    if "consent" not in roster:
        return [False] * len(members)
    return [bool(roster.at[m, "consent"]) for m in members]


def node_payload(roster: pd.DataFrame, members: list[str], groups: list,
                 positions: dict[str, tuple[float, float]], audience: str,
                 silo_label: str = "silo", *, pooled: Collection[str] = (),
                 all_silos: Collection[str] | None = None) -> dict[str, Any]:
    """Nodes and silos of a map payload (a numeric silo code is named with its column,
    ``silo_label``: "Sector 1", not "1").

    In the retreat view members who did not consent are unnamed dots: no label, no id,
    no focus-group mark (a lived-experience shape next to a silo can identify someone).
    Silos in ``pooled`` become one grey silo, "Other silos", listed last; colours are
    given over ``all_silos`` (default: the members' silos), so a silo keeps its colour
    whoever is left off.
    """
    silo_of = roster.loc[members, "silo"].tolist()
    everyone = list(all_silos) if all_silos is not None else silo_of
    colours = silo_colours(everyone, Counter(everyone))
    silos = sorted({s for s in silo_of if s not in pooled})
    silo_index = {s: i for i, s in enumerate(silos)}
    listed = [{"name": silo_name(s, silo_label, capital=True), "color": colours[s],
               "size": silo_of.count(s)} for s in silos]
    if any(s in pooled for s in silo_of):
        silo_index.update({s: len(silos) for s in pooled})
        listed.append({"name": OTHER_SILOS, "color": OTHER_COLOUR,
                       "size": sum(1 for s in silo_of if s in pooled)})
    shown = shown_members(roster, members, audience)
    names = roster.loc[members, "name"].tolist()
    in_group = {g.key: set(g.members) for g in groups}
    nodes = {
        "label": [str(name) if ok else None for name, ok in zip(names, shown, strict=True)],
        "silo": [silo_index[s] for s in silo_of],
        "x": [positions[m][0] for m in members],
        "y": [positions[m][1] for m in members],
        "groups": {g.key: [1 if ok and m in in_group[g.key] else 0
                           for m, ok in zip(members, shown, strict=True)] for g in groups},
    }
    if audience == "evaluator":
        nodes["id"] = list(members)
    return {
        "nodes": nodes,
        "silos": listed,
        "focus_groups": [{"key": g.key, "label": g.label,
                          "shape": SHAPES[0] if i == 0 else "dot", "border": i == 1}
                         for i, g in enumerate(groups)],
        "physics": len(members) <= PHYSICS_LIMIT,
        "silo_view": len(members) > SILO_VIEW_LIMIT,
    }


def layout_seed(seed: int, anonymized: bool) -> int:
    """The seed of a map's layout: ``seed``, or for an anonymised report one drawn from
    it, so the anonymised picture is not the named one.

    >>> layout_seed(1, False), layout_seed(1, True) == layout_seed(1, True) != 1
    (1, True)
    """
    if not anonymized:
        return seed
    return int(np.random.SeedSequence([seed, ANONYMISED_LAYOUT]).generate_state(1)[0])


def drawing_order(members: list[str], positions: dict[str, tuple[float, float]],
                  labels: dict[str, str | None]) -> list[str]:
    """Members in the order a shared map lists them: by position, then label.

    The page's arrays must not follow the roster: an unnamed dot listed between two
    named members in roster order is the member between them. Ordering by what the map
    already shows (where a dot is) adds nothing a reader could decode, and needs no
    secret (a shuffle seeded by the seed the report prints could be replayed).

    >>> drawing_order(["a", "b", "c"], {"a": (5, 0), "b": (1, 0), "c": (1, -2)},
    ...               {"a": "Ana", "b": None, "c": None})
    ['c', 'b', 'a']
    """
    return sorted(members, key=lambda m: (positions[m][0], positions[m][1],
                                          labels[m] or ""))


def map_payload(results: Results, *, audience: str, seed: int,
                suppress: int | None = None) -> dict[str, Any]:
    """Everything the map script needs, as plain JSON-ready data.

    In the ``retreat`` audience there are no individual scores (no size measures, no
    brokerage roles), members who did not consent are unnamed, unmarked dots, and the
    rules of :func:`map_privacy` (with ``suppress``, required there) leave off anyone
    who could be singled out; members are listed in :func:`drawing_order`. An
    anonymised report's layout is drawn with :func:`layout_seed`.
    """
    wave = results.wave
    roster = results.roster
    evaluator = audience == "evaluator"
    if not evaluator and suppress is None:
        raise ValueError("a shared map needs the suppression threshold (suppress=)")
    privacy = map_privacy(roster, wave.members, audience, suppress or 0)
    positions = layout(wave.combined, seed=layout_seed(seed, results.anonymized))
    members = [m for m in wave.members if m not in privacy.left_off]
    if not evaluator:
        shown = dict(zip(members, shown_members(roster, members, audience), strict=True))
        members = drawing_order(members, positions, {
            m: str(roster.at[m, "name"]) if shown[m] else None for m in members})
    payload = node_payload(roster, members, wave.groups[1:], positions, audience,
                           results.study.silo_label, pooled=privacy.pooled,
                           all_silos=roster.loc[wave.members, "silo"].tolist())
    payload.update({
        "audience": audience,
        "measures": ([{"key": k, "label": MEASURE_LABELS[k]} for k in SIZE_MEASURES]
                     if evaluator else []),
        "relations": [_relation_payload(r, members, payload["nodes"]["silo"], evaluator)
                      for r in wave.relations.values()],
    })
    return payload


def _relation_payload(relation, members: list[str], silo_codes: list[int],
                      evaluator: bool) -> dict[str, Any]:
    """One relation's map data: ``edges`` ``[from, to, weight]`` (by member position),
    ``directed`` (False for an undirected relation: each edge is one tie, its two ends in
    no particular order), ``silo_edges`` (ties between silos: ordered pairs when
    directed, each unordered pair once when undirected) and, for evaluators, each
    member's measures (``labels``: the measures' names where an undirected relation's
    differ) and main brokerage role (none on an undirected relation, where brokerage is
    not measured). ``silo_codes`` are the members' silo numbers, as the nodes carry
    them. A member the relation never asked about is not in its graph (their
    ties are not observed): no edges, and no measures (``null``). Ties of a member not
    in ``members`` (left off a shared map) are not listed."""
    G = relation.graph
    directed = G.is_directed()
    index = {m: i for i, m in enumerate(members)}
    edges = [[index[u], index[v], _round(float(w))] for u, v, w in G.edges(data="weight")
             if u in index and v in index]
    found: dict[str, Any] = {
        "key": relation.key, "label": relation.label, "directed": directed,
        "edges": edges, "strong": _round(float(G.graph.get("strong", 1.0))),
        "silo_edges": silo_edges(edges, silo_codes, directed),
    }
    if evaluator:
        table = relation.centralities.reindex(members)[list(SIZE_MEASURES)]
        found["values"] = {k: [_round(float(v)) for v in table[k].tolist()]
                           for k in SIZE_MEASURES}
        if directed:
            roles = relation.brokerage.reindex(members)[[*BROKER_ROLES, "total"]]
            found["roles"] = [_main_role(row) for row in roles.itertuples(index=False)]
        else:
            found["labels"] = dict(UNDIRECTED_LABELS)
    return found


def silo_edges(edges: list[list], silo_of: list[int], directed: bool) -> list[list[int]]:
    """``[silo a, silo b, ties]`` for every pair of silos with ties; an undirected tie
    counts under (min, max) of its two silos.

    >>> silo_edges([[0, 1, 1.0], [1, 0, 1.0]], [0, 1], directed=True)
    [[0, 1, 1], [1, 0, 1]]
    >>> silo_edges([[0, 1, 1.0], [1, 2, 1.0]], [1, 0, 0], directed=False)
    [[0, 0, 1], [0, 1, 1]]
    """
    pairs: dict[tuple[int, int], int] = {}
    for u, v, _w in edges:
        key = (silo_of[u], silo_of[v])
        key = key if directed else (min(key), max(key))
        pairs[key] = pairs.get(key, 0) + 1
    return [[a, b, n] for (a, b), n in sorted(pairs.items())]


def _main_role(row: tuple) -> str:
    """The role with most paths (the first in :data:`BROKER_ROLES` on a tie), from a row
    of role counts followed by the total.

    >>> _main_role((0, 2, 2, 0, 1, 5)), _main_role((0, 0, 0, 0, 0, 0))
    ('itinerant (5 brokerage paths)', '')
    """
    *counts, total = row
    if not total or total != total:  # no paths, or not measured (nan)
        return ""
    best = max(range(len(BROKER_ROLES)), key=lambda k: (counts[k], -k))
    return f"{BROKER_ROLES[best]} ({int(total)} brokerage paths)"
