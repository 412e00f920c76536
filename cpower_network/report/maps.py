"""The network maps' data: compact arrays the report's script hands to vis-network.

Built directly from the graphs (not through pyvis's ``from_nx``, which scales badly):
one shared, seeded layout computed in Python with igraph (:mod:`.map_layout`), so members
stay in place when the relation changes and maps open still; node and edge arrays
indexed by position; nothing in them is HTML (the script builds tooltips and cards as
text nodes).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..results.model import MEASURE_LABELS, Results
from .format import silo_name
from .map_layout import edge_columns, layout, positions_of

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


def _round(value: float) -> float | None:
    if value != value:
        return None
    return float(f"{value:.4g}")


def _rounded(values: np.ndarray) -> list[float | None]:
    """:func:`_round` of each of ``values`` (floats). A whole number under 10,000 (most
    weights, counts and cores) is its own rounding, so only the others are formatted.

    >>> _rounded(np.array([2.0, -0.0, 0.123456, 123456.0, np.nan]))
    [2.0, -0.0, 0.1235, 123500.0, None]
    """
    found = values.tolist()
    whole = (np.abs(values) < 1e4) & (values == np.trunc(values))   # False for nan, inf
    for k in np.flatnonzero(~whole).tolist():
        found[k] = _round(found[k])
    return found


def _floats(values: list) -> np.ndarray:
    """``float(v)`` of each of ``values``, as an array."""
    return np.fromiter(map(float, values), dtype=float, count=len(values))


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
    silo_of = dict(zip(members, silos.tolist(), strict=True))
    unnamed = silos[[not shown[m] for m in members]].value_counts()
    exposed = {s for s, n in unnamed.items() if 0 < n < threshold}
    left_off = frozenset(m for m in members if not shown[m] and silo_of[m] in exposed)
    sizes = silos.value_counts()
    drawn = {silo_of[m] for m in members if m not in left_off}
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
    consent = _column(roster, "consent")
    return [bool(consent[m]) for m in members]


def _column(roster: pd.DataFrame, column: str) -> dict[str, Any]:
    """``roster[column].to_dict()``, made from plain lists (many times faster on a text
    column)."""
    return dict(zip(roster.index.tolist(), roster[column].tolist(), strict=True))


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
        names = _column(roster, "name")
        members = drawing_order(members, positions, {
            m: str(names[m]) if shown[m] else None for m in members})
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
    """One relation's map data: ``edges`` ``[from, to, weight]`` (by member position;
    tuples, see :func:`_edges`), ``directed`` (False for an undirected relation: each
    edge is one tie, its two ends in no particular order), ``silo_edges`` (ties between
    silos: ordered pairs when directed, each unordered pair once when undirected) and,
    for evaluators, each member's measures (``labels``: the measures' names where an
    undirected relation's differ) and main brokerage role (none on an undirected
    relation, where brokerage is not measured). ``silo_codes`` are the members' silo
    numbers, as the nodes carry them. A member the relation never asked about is not in
    its graph (their ties are not observed): no edges, and no measures (``null``). Ties
    of a member not in ``members`` (left off a shared map) are not listed."""
    G = relation.graph
    directed = G.is_directed()
    sources, targets, edges = _edges(G, {m: i for i, m in enumerate(members)})
    found: dict[str, Any] = {
        "key": relation.key, "label": relation.label, "directed": directed,
        "edges": edges, "strong": _round(float(G.graph.get("strong", 1.0))),
        "silo_edges": _silo_pairs(sources, targets, silo_codes, directed),
    }
    if evaluator:
        table = relation.centralities[list(SIZE_MEASURES)].reindex(members)
        values = table.to_numpy(dtype=float)
        found["values"] = {k: _rounded(values[:, j]) for j, k in enumerate(SIZE_MEASURES)}
        if directed:
            found["roles"] = _main_roles(
                relation.brokerage[[*BROKER_ROLES, "total"]].reindex(members))
        else:
            found["labels"] = dict(UNDIRECTED_LABELS)
    return found


def _edges(G, index: dict[str, int]) -> tuple[np.ndarray, np.ndarray, list[tuple]]:
    """The ties of ``G`` between members in ``index``, in the graph's edge order: their
    ends' positions (two arrays) and the rows ``(from, to, weight)``, weights rounded by
    :func:`_round`.

    The rows are tuples (JSON arrays all the same): the garbage collector stops
    tracking a tuple of numbers at its first pass, where lists (23,000 at 1,300
    members) would stay tracked, be scanned by every full collection and bring the
    next one (~70 ms with a large analysis in memory) sooner."""
    ends, others, weights = edge_columns(G)
    sources, targets = positions_of(index, ends), positions_of(index, others)
    kept = np.flatnonzero((sources >= 0) & (targets >= 0))
    sources, targets = sources[kept], targets[kept]
    rounded = _rounded(_floats([weights[k] for k in kept.tolist()]))
    return sources, targets, list(zip(sources.tolist(), targets.tolist(), rounded, strict=True))


def silo_edges(edges: list[list], silo_of: list[int], directed: bool) -> list[list[int]]:
    """``[silo a, silo b, ties]`` for every pair of silos with ties; an undirected tie
    counts under (min, max) of its two silos.

    >>> silo_edges([[0, 1, 1.0], [1, 0, 1.0]], [0, 1], directed=True)
    [[0, 1, 1], [1, 0, 1]]
    >>> silo_edges([[0, 1, 1.0], [1, 2, 1.0]], [1, 0, 0], directed=False)
    [[0, 0, 1], [0, 1, 1]]
    """
    ends = np.array([(u, v) for u, v, _w in edges], dtype=np.int64).reshape(-1, 2)
    return _silo_pairs(ends[:, 0], ends[:, 1], silo_of, directed)


def _silo_pairs(sources: np.ndarray, targets: np.ndarray, silo_of: list[int],
                directed: bool) -> list[list[int]]:
    """:func:`silo_edges` of the ties from member ``sources[k]`` to ``targets[k]`` (by
    position), sorted by silo pair."""
    if not len(sources):
        return []
    codes = np.asarray(silo_of, dtype=np.int64)
    a, b = codes[sources], codes[targets]
    if not directed:
        a, b = np.minimum(a, b), np.maximum(a, b)
    lowest = int(codes.min())
    span = int(codes.max()) - lowest + 1
    # one number per ordered pair, in the pairs' sort order
    pairs, ties = np.unique((a - lowest) * span + (b - lowest), return_counts=True)
    return [[p // span + lowest, p % span + lowest, n]
            for p, n in zip(pairs.tolist(), ties.tolist(), strict=True)]


def _main_roles(roles: pd.DataFrame) -> list[str]:
    """:func:`_main_role` of each row of ``roles`` (the role counts, then the total),
    picked for all the rows at once (a row with an unmeasured count goes through
    :func:`_main_role`)."""
    values = roles.to_numpy(dtype=float)
    counts, totals = values[:, :-1], values[:, -1].tolist()
    best = counts.argmax(axis=1).tolist() if counts.size else [0] * len(totals)
    found = [f"{BROKER_ROLES[k]} ({int(total)} brokerage paths)"
             if total and total == total else "" for k, total in zip(best, totals, strict=True)]
    for row in np.flatnonzero(np.isnan(counts).any(axis=1)).tolist():
        found[row] = _main_role(next(roles.iloc[row:row + 1].itertuples(index=False)))
    return found


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
