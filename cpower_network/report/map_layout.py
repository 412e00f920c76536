"""Where the network maps place the members: one shared, seeded layout computed in Python
with igraph (see :func:`layout`), so members stay in place when the relation changes and
maps open still.

Up to :data:`FORCE_LIMIT` connected members the silos are neighbourhoods around a ring
(a Fruchterman–Reingold layout with each member held by their silo's anchor); above it
each silo is a disc with its members on a sunflower spiral. Members with no tie sit in a
row beneath the drawing.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import itertools
import random
import sys
from pathlib import Path
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np

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
    positions = (_force_layout(G, linked, seed=seed, size=size, attribute=attribute)
                 if linked else {})
    bottom = max((y for _x, y in positions.values()), default=0.0) + size * 0.08
    per_row = max(1, int(np.ceil(np.sqrt(len(alone) * 4))))
    step = size / max(per_row, 1)
    for k, v in enumerate(alone):
        row, column = divmod(k, per_row)
        positions[v] = (round(-size / 2 + step * (column + 0.5), 1),
                        round(bottom + row * step * 0.6, 1))
    return {v: positions[v] for v in G}


def edge_columns(G: nx.Graph, default: Any = None) -> tuple[list, list, list]:
    """The ties of ``G`` as three lists, their first ends, second ends and weights, in
    the order of ``G.edges(data="weight", default=default)``; read straight from the
    adjacency, as networkx's edge view costs several times more on a graph of thousands
    of ties (a multigraph goes through the view).

    >>> edge_columns(nx.Graph([("a", "b", {"weight": 2.0}), ("b", "c", {})]))
    (['a', 'b'], ['b', 'c'], [2.0, None])
    >>> edge_columns(nx.DiGraph([("a", "b"), ("b", "a")]), default=1.0)
    (['a', 'b'], ['b', 'a'], [1.0, 1.0])
    """
    if G.is_multigraph():
        edges = list(G.edges(data="weight", default=default))
        return [e[0] for e in edges], [e[1] for e in edges], [e[2] for e in edges]
    directed = G.is_directed()
    sources: list = []
    targets: list = []
    data: list = []
    seen: set = set()
    for u, neighbours in G.adjacency():
        if directed:
            ends = neighbours
            data.extend(neighbours.values())
        else:  # each tie once, from the end the edge view meets first (a self-tie too)
            ends = [v for v in neighbours if v not in seen]
            data.extend(map(neighbours.__getitem__, ends))
            seen.add(u)
        sources.extend(itertools.repeat(u, len(ends)))
        targets.extend(ends)
    return sources, targets, [attributes.get("weight", default) for attributes in data]


def positions_of(index: dict[Any, int], items: list) -> np.ndarray:
    """Each item's position in ``index`` (-1 for an item not in it).

    >>> positions_of({"a": 0, "b": 1}, ["b", "x", "a"]).tolist()
    [1, -1, 0]
    """
    return np.fromiter(map(index.get, items, itertools.repeat(-1)), dtype=np.int64,
                       count=len(items))


def _tie_strengths(G: nx.Graph, nodes: list) -> tuple[list[tuple[int, int]], list[float]]:
    """The pairs of ``nodes`` (by position, lower first, sorted) with a tie in ``G``, and
    each pair's strength: the sum of its ties' weights (1 when unweighted), added in the
    order of ``G``'s edges. Self-ties and ties to a node not in ``nodes`` are left out.

    >>> G = nx.DiGraph([("a", "b", {"weight": 2.0}), ("b", "a", {}), ("c", "a", {}),
    ...                 ("c", "c", {})])
    >>> _tie_strengths(G, ["c", "a", "b"])
    ([(0, 1), (1, 2)], [1.0, 3.0])
    """
    index = {v: i for i, v in enumerate(nodes)}
    sources, targets, weights = edge_columns(G, default=1.0)
    a, b = positions_of(index, sources), positions_of(index, targets)
    kept = np.flatnonzero((a != b) & (a >= 0) & (b >= 0))
    weight = np.fromiter(map(float, (weights[k] for k in kept.tolist())), dtype=float,
                         count=len(kept))
    low, high = np.minimum(a[kept], b[kept]), np.maximum(a[kept], b[kept])
    pairs, which = np.unique(low * len(nodes) + high, return_inverse=True)
    # bincount adds each pair's weights one by one, in the edges' order, from 0.0
    strength = np.bincount(which.ravel(), weights=weight, minlength=len(pairs))
    edges = list(zip((pairs // len(nodes)).tolist(), (pairs % len(nodes)).tolist(),
                     strict=True))
    return edges, strength.tolist()


def _force_layout(G: nx.Graph, nodes: list, *, seed: int, size: float,
                  attribute: str) -> dict[str, tuple[float, float]]:
    """Positions of ``nodes`` (the members of ``G`` with a tie), from the ties among
    them."""
    edges, strength = _tie_strengths(G, nodes)
    group = [G.nodes[v].get(attribute) for v in nodes]
    if len(nodes) > FORCE_LIMIT:
        graph = ig.Graph(n=len(nodes), edges=edges)
        # members keep their spacing (the drawing grows with the coalition), so they
        # stay apart when the reader zooms in
        points = _silo_discs(graph, group, seed=seed) * DISC_SPACING
        points -= (points.min(axis=0) + points.max(axis=0)) / 2
    else:
        points = _neighbourhoods(edges, strength, group, seed=seed)
        points -= points.min(axis=0)
        span = float(points.max()) or 1.0
        points = points / span * size
        points -= points.max(axis=0) / 2
    return {v: (round(x, 1), round(y, 1)) for v, (x, y) in zip(nodes, points.tolist(),
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
    kd_tree = _kd_tree()
    points = points.copy()
    for _ in range(rounds):
        pairs = kd_tree(points).query_pairs(gap * (1 - 1e-9), output_type="ndarray")
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


#: scipy's compiled k-d tree module, which :func:`_kd_tree` loads on its own.
KD_TREE_MODULE = "scipy.spatial._ckdtree"


def _kd_tree() -> type:
    """scipy's ``cKDTree`` (the class :func:`_spread` finds close pairs with), loaded
    without the rest of ``scipy.spatial`` when it can be.

    Importing ``scipy.spatial`` costs about 0.3 s, a third of a report's budget, for
    what it imports besides the tree (``scipy.special``, ``scipy.linalg``, the
    transforms). The tree is its compiled module :data:`KD_TREE_MODULE`, which needs only
    numpy and ``scipy.sparse`` (about 3 ms): it is loaded on its own, under its own name
    (a later ``import scipy.spatial`` uses it as it is), so the class, the pairs, their
    order and the layout are those of ``scipy.spatial.cKDTree``. Should a scipy release
    lay the module out otherwise, ``scipy.spatial`` is imported as usual.

    >>> import scipy.spatial
    >>> _kd_tree() is scipy.spatial.cKDTree
    True
    """
    module = sys.modules.get(KD_TREE_MODULE)
    if module is None and "scipy.spatial" not in sys.modules:
        module = _compiled_kd_tree()
    tree = getattr(module, "cKDTree", None)
    if isinstance(tree, type):
        return tree
    from scipy.spatial import cKDTree

    return cKDTree


def _compiled_kd_tree() -> Any | None:
    """:data:`KD_TREE_MODULE`, loaded without running ``scipy.spatial``'s ``__init__``;
    None when it cannot be (nothing is left behind then)."""
    import scipy

    folder = Path(scipy.__path__[0]) / "spatial"
    spec = importlib.machinery.PathFinder.find_spec(KD_TREE_MODULE, [str(folder)])
    if spec is None or not isinstance(spec.loader, importlib.machinery.ExtensionFileLoader):
        return None
    try:
        module = importlib.util.module_from_spec(spec)
        sys.modules[KD_TREE_MODULE] = module
        spec.loader.exec_module(module)
    except Exception:
        sys.modules.pop(KD_TREE_MODULE, None)
        return None
    return module


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
