"""The network maps' data: compact arrays the report's script hands to vis-network.

Built directly from the graphs (not through pyvis's ``from_nx``, which scales badly):
one shared, seeded layout computed in Python with igraph, so members stay in place when
the relation changes and maps open still; node and edge arrays indexed by position;
nothing in them is HTML (the script builds tooltips and cards as text nodes).
"""

from __future__ import annotations

import random
from typing import Any

import igraph as ig
import networkx as nx
import numpy as np
import pandas as pd

from ..results import MEASURE_LABELS, Results

#: Colour-blind-safe palette (Okabe & Ito 2008, then Tableau's muted tones).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#8C564B", "#7F7F7F", "#17BECF", "#BCBD22", "#9467BD"]
SIZE_MEASURES = ("in_degree", "in_strength", "betweenness", "pagerank", "harmonic", "core")
#: Above this many members the browser's physics stays off (positions are precomputed).
PHYSICS_LIMIT = 300
#: Above this many members the map opens on the silo-level view.
SILO_VIEW_LIMIT = 3000
SHAPES = ("diamond", "square", "triangle", "star")
BROKER_ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")


def silo_colours(silos: list[str]) -> dict[str, str]:
    """A colour per silo, in sorted silo order.

    >>> silo_colours(["b", "a"])
    {'a': '#0072B2', 'b': '#E69F00'}
    """
    return {silo: PALETTE[i % len(PALETTE)] for i, silo in enumerate(sorted(silos))}


def layout(G: nx.Graph, *, seed: int, size: float = 1000.0,
           attribute: str = "silo") -> dict[str, tuple[float, float]]:
    """Seeded node positions, the connected members in a ``size``-wide drawing and the
    members with no tie in a row beneath it (where a weaver looks for them).

    Fruchterman–Reingold (igraph) up to 2,000 members, DrL above (Martin et al. 2011),
    both started from seeded random positions with igraph's generator seeded too, so the
    same graph and seed give the same picture. Ties within a silo pull three times as
    hard as ties across (Fruchterman–Reingold only), so silos read as neighbourhoods and
    the bridges between them stand out. The aspect ratio is kept; positions are rounded
    to 0.1.

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
    alone = [v for v in G if v not in set(linked)]
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
    edges = sorted({(min(index[u], index[v]), max(index[u], index[v]))
                    for u, v in G.edges() if u != v})
    graph = ig.Graph(n=len(nodes), edges=edges)
    group = [G.nodes[v].get(attribute) for v in nodes]
    weights = [3.0 if group[a] == group[b] else 1.0 for a, b in edges]
    start = np.random.default_rng(seed).uniform(-1, 1, size=(len(nodes), 2)).tolist()
    ig.set_random_number_generator(random.Random(seed))
    try:
        if len(nodes) <= 2000:
            coords = graph.layout_fruchterman_reingold(seed=start, niter=500,
                                                       weights=weights or None)
        else:
            coords = graph.layout_drl(seed=start)
    finally:
        ig.set_random_number_generator(random)
    points = np.asarray(coords.coords, dtype=float)
    points -= points.min(axis=0)
    span = float(points.max()) or 1.0
    points = points / span * size
    points -= points.max(axis=0) / 2
    return {v: (round(float(x), 1), round(float(y), 1)) for v, (x, y) in zip(nodes, points,
                                                                            strict=True)}


def _round(value: float) -> float | None:
    if value != value:
        return None
    return float(f"{value:.4g}")


def shown_members(roster: pd.DataFrame, members: list[str], audience: str) -> list[bool]:
    """Whose name and focus-group marks a shared map may show: everyone in the evaluator
    view; in the retreat view only members who consented to be named (roster column)."""
    if audience == "evaluator":
        return [True] * len(members)
    if "consent" not in roster:
        return [False] * len(members)
    return [bool(roster.at[m, "consent"]) for m in members]


def node_payload(roster: pd.DataFrame, members: list[str], groups: list,
                 positions: dict[str, tuple[float, float]], audience: str) -> dict[str, Any]:
    """Nodes and silos of a map payload.

    In the retreat view members who did not consent are unnamed dots: no label, no id,
    no focus-group mark (a lived-experience shape next to a silo can identify someone).
    """
    silos = sorted(set(roster.loc[members, "silo"]))
    colours = silo_colours(silos)
    shown = shown_members(roster, members, audience)
    nodes = {
        "label": [str(roster.at[m, "name"]) if ok else None
                  for m, ok in zip(members, shown, strict=True)],
        "silo": [silos.index(roster.at[m, "silo"]) for m in members],
        "x": [positions[m][0] for m in members],
        "y": [positions[m][1] for m in members],
        "groups": {g.key: [1 if ok and m in set(g.members) else 0
                           for m, ok in zip(members, shown, strict=True)] for g in groups},
    }
    if audience == "evaluator":
        nodes["id"] = list(members)
    return {
        "nodes": nodes,
        "silos": [{"name": s, "color": colours[s],
                   "size": int((roster.loc[members, "silo"] == s).sum())} for s in silos],
        "focus_groups": [{"key": g.key, "label": g.label,
                          "shape": SHAPES[0] if i == 0 else "dot", "border": i == 1}
                         for i, g in enumerate(groups)],
        "physics": len(members) <= PHYSICS_LIMIT,
        "silo_view": len(members) > SILO_VIEW_LIMIT,
    }


def map_payload(results: Results, *, audience: str, seed: int) -> dict[str, Any]:
    """Everything the map script needs, as plain JSON-ready data.

    In the ``retreat`` audience there are no individual scores (no size measures, no
    brokerage roles), and members who did not consent are unnamed, unmarked dots.
    """
    wave = results.wave
    members = wave.members
    roster = results.roster
    silos = sorted(set(roster.loc[members, "silo"]))
    silo_index = {s: i for i, s in enumerate(silos)}
    evaluator = audience == "evaluator"
    payload = node_payload(roster, members, wave.groups[1:],
                           layout(wave.combined, seed=seed), audience)
    payload.update({
        "audience": audience,
        "measures": ([{"key": k, "label": MEASURE_LABELS[k]} for k in SIZE_MEASURES]
                     if evaluator else []),
        "relations": [_relation_payload(r, members, silo_index, evaluator)
                      for r in wave.relations.values()],
    })
    return payload


def _relation_payload(relation, members: list[str], silo_index: dict[str, int],
                      evaluator: bool) -> dict[str, Any]:
    G = relation.graph
    index = {m: i for i, m in enumerate(members)}
    edges = [[index[u], index[v], _round(float(w))] for u, v, w in G.edges(data="weight")]
    silo_of = [silo_index[G.nodes[m]["silo"]] for m in members]
    pairs: dict[tuple[int, int], int] = {}
    for u, v, _w in edges:
        key = (silo_of[u], silo_of[v])
        pairs[key] = pairs.get(key, 0) + 1
    found: dict[str, Any] = {
        "key": relation.key, "label": relation.label, "directed": True,
        "edges": edges, "strong": _round(float(G.graph.get("strong", 1.0))),
        "silo_edges": [[a, b, n] for (a, b), n in sorted(pairs.items())],
    }
    if evaluator:
        table = relation.centralities
        found["values"] = {k: [_round(float(table.at[m, k])) for m in members]
                           for k in SIZE_MEASURES}
        roles = relation.brokerage
        found["roles"] = [_main_role(roles, m) for m in members]
    return found


def _main_role(roles, member: str) -> str:
    row = roles.loc[member]
    if not row["total"]:
        return ""
    best = max(BROKER_ROLES, key=lambda r: (row[r], -BROKER_ROLES.index(r)))
    return f"{best} ({int(row['total'])} brokerage paths)"
