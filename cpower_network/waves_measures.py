"""The measures a wave comparison tracks, and their permutation tests (see
:mod:`cpower_network.waves` for what each test means)."""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import numpy as np
import pandas as pd

from .graphs import DECISIONS
from .ingest import Study
from .measures.centrality import member_centralities
from .measures.parity import gini
from .results import MEASURE_LABELS, Results

PARITY_MEASURES = ("in_degree", "pagerank", "betweenness")


def p_two_sided(observed: float, draws: np.ndarray) -> float:
    """Permutation p-value: (1 + #{|draw| ≥ |observed|}) / (1 + B).

    >>> p_two_sided(2.0, np.array([0.5, -3.0, 1.0]))
    0.5
    """
    tolerance = 1e-12 * max(1.0, abs(observed))
    extreme = int(np.count_nonzero(np.abs(draws) >= abs(observed) - tolerance))
    return (extreme + 1) / (len(draws) + 1)


def group_label_test(first: np.ndarray, last: np.ndarray, mask: np.ndarray,
                     statistic: Callable[[np.ndarray, np.ndarray], float], *, draws: int,
                     rng: np.random.Generator) -> float | None:
    """p-value of the change of ``statistic(values, group_mask)`` between two waves when
    the group's labels are shuffled among stayers (the same shuffle in both waves)."""
    if mask.sum() in (0, len(mask)):
        return None
    observed = statistic(last, mask) - statistic(first, mask)
    if observed != observed:
        return None
    changes = np.empty(draws)
    for b in range(draws):
        shuffled = rng.permutation(mask)
        changes[b] = statistic(last, shuffled) - statistic(first, shuffled)
    return p_two_sided(observed, changes[~np.isnan(changes)])


def paired_swap_test(first: np.ndarray, last: np.ndarray,
                     statistic: Callable[[np.ndarray], float], *, draws: int,
                     rng: np.random.Generator) -> float | None:
    """p-value of ``statistic(last) − statistic(first)`` when each stayer's two scores
    are swapped with probability ½."""
    observed = statistic(last) - statistic(first)
    if observed != observed or len(first) == 0:
        return None
    changes = np.empty(draws)
    for b in range(draws):
        swap = rng.random(len(first)) < 0.5
        a, z = np.where(swap, last, first), np.where(swap, first, last)
        changes[b] = statistic(z) - statistic(a)
    return p_two_sided(observed, changes)


def share_parity(values: np.ndarray, mask: np.ndarray) -> float:
    """Parity ratio of the masked group: (Σ_G x / Σ x) / (|G| / n)."""
    total = values.sum()
    if total <= 0 or mask.sum() == 0:
        return float("nan")
    return float(values[mask].sum() / total / (mask.sum() / len(mask)))


def mean_gap(values: np.ndarray, mask: np.ndarray) -> float:
    """Mean of the group minus mean of everyone else (missing values skipped)."""
    valid = ~np.isnan(values)
    inside, outside = valid & mask, valid & ~mask
    if not inside.any() or not outside.any():
        return float("nan")
    return float(values[inside].mean() - values[outside].mean())


def in_centralization(values: np.ndarray) -> float:
    """Freeman in-degree centralisation of a degree vector: Σ(max − d) / (n − 1)²."""
    n = len(values)
    return float((values.max() - values).sum() / (n - 1) ** 2) if n > 2 else float("nan")


def undirected_centralization(values: np.ndarray) -> float:
    """Freeman degree centralisation of an undirected graph's degrees: Σ(max − d) /
    ((n − 1)(n − 2))."""
    n = len(values)
    return float((values.max() - values).sum() / ((n - 1) * (n - 2))) if n > 2 \
        else float("nan")


def density_of(out_degrees: np.ndarray) -> float:
    """Arcs over ordered pairs; given an undirected graph's degrees (Σ = 2m), ties over
    pairs, m / (n(n − 1)/2)."""
    n = len(out_degrees)
    return float(out_degrees.sum() / (n * (n - 1))) if n > 1 else float("nan")


def ei_of(codes: np.ndarray, edges: np.ndarray) -> float:
    if not len(edges):
        return float("nan")
    external = np.count_nonzero(codes[edges[:, 0]] != codes[edges[:, 1]])
    return float((2 * external - len(edges)) / len(edges))


class Tracker:
    """Builds the list of :class:`~cpower_network.waves.MeasureChange` objects."""

    def __init__(self, results: list[Results], graphs: dict[str, list[nx.DiGraph]],
                 stayers: list[str], study: Study, rng: np.random.Generator,
                 draws: int) -> None:
        from .waves import MeasureChange

        self.change = MeasureChange
        self.results, self.graphs, self.stayers = results, graphs, stayers
        self.study, self.rng, self.draws = study, rng, draws
        self.index = {m: i for i, m in enumerate(stayers)}
        self.found: list = []
        self.groups = [(g.key, g.label) for g in results[-1].wave.groups[1:]]
        roster = study.roster
        self.masks = {key: roster.loc[stayers, key].astype(bool).to_numpy()
                      if stayers else np.zeros(0, bool) for key, _ in self.groups}
        self.labels = [r.wave.label for r in results]

    def add(self, key: str, label: str, category: str, values, stayers, test: str = "none",
            p: float | None = None) -> None:
        from .waves_reading import reading

        item = self.change(key, label, category, [_num(v) for v in values],
                           [_num(v) for v in stayers], test, p)
        item.reading = reading(item, self.labels)
        self.found.append(item)

    def subgraphs(self, relation: str) -> list[nx.DiGraph]:
        return [G.subgraph(self.stayers).copy() for G in self.graphs[relation]]

    def vector(self, G: nx.DiGraph, values: dict) -> np.ndarray:
        return np.array([float(values.get(m, 0.0)) for m in self.stayers])


def _num(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if value != value else value


def track_measures(results: list[Results], graphs: dict[str, list[nx.DiGraph]],
                   stayers: list[str], study: Study, rng: np.random.Generator,
                   draws: int) -> list:
    """Every tracked measure, power redistribution first."""
    t = Tracker(results, graphs, stayers, study, rng, draws)
    if DECISIONS in graphs:
        _decisions(t)
    for relation in graphs:
        if relation != DECISIONS:
            _relation(t, relation)
    _voice_and_perceptions(t)
    _indicators(t)
    return t.found


def _decisions(t: Tracker) -> None:
    subs = t.subgraphs(DECISIONS)
    named = [t.vector(G, dict(G.in_degree(weight="weight"))) for G in subs]
    for key, label in t.groups:
        values = [r.wave.decisions.parity.at[key, "parity"] if r.wave.decisions is not None
                  and key in r.wave.decisions.parity.index else None for r in t.results]
        mask = t.masks[key]
        p = group_label_test(named[0], named[-1], mask, share_parity, draws=t.draws,
                             rng=t.rng)
        t.add(f"decisions/parity/{key}", f"Decision parity: {label.lower()}", "power",
              values, [share_parity(v, mask) for v in named], "group labels", p)
    values = [r.wave.decisions.gini if r.wave.decisions is not None else None
              for r in t.results]
    p = paired_swap_test(named[0], named[-1], lambda v: gini(v.tolist()), draws=t.draws,
                         rng=t.rng)
    t.add("decisions/gini", "Gini of decision influence", "power", values,
          [gini(v.tolist()) for v in named], "paired swap", p)


def _relation(t: Tracker, relation: str) -> None:
    subs = t.subgraphs(relation)
    label = t.graphs[relation][-1].graph["label"]
    results = [r.wave.relations.get(relation) for r in t.results]
    # an undirected relation (nx.Graph) has degrees only: in = out = degree
    directed = subs[-1].is_directed()
    indegree = [t.vector(G, dict(G.in_degree() if directed else G.degree())) for G in subs]
    centralization = in_centralization if directed else undirected_centralization
    t.add(f"{relation}/centralization", f"{label}: degree centralisation", "power",
          [r.concentration["degree_centralization"] if r else None for r in results],
          [centralization(v) for v in indegree], "paired swap",
          paired_swap_test(indegree[0], indegree[-1], centralization, draws=t.draws,
                           rng=t.rng))
    tables = [member_centralities(G) for G in subs]
    for measure in PARITY_MEASURES:
        vectors = [table[measure].reindex(t.stayers).fillna(0).to_numpy(float)
                   for table in tables]
        for key, group in t.groups:
            mask = t.masks[key]
            values = [_parity_value(r, key, measure) for r in results]
            t.add(f"{relation}/parity/{key}/{measure}",
                  f"{label}: parity of {group.lower()} ({MEASURE_LABELS[measure].lower()})",
                  "power", values, [share_parity(v, mask) for v in vectors], "group labels",
                  group_label_test(vectors[0], vectors[-1], mask, share_parity,
                                   draws=t.draws, rng=t.rng))
    _silo_mixing(t, relation, label, subs, results)
    outdegree = [t.vector(G, dict(G.out_degree() if directed else G.degree()))
                 for G in subs]
    t.add(f"{relation}/density", f"{label}: density", "structure",
          [r.structure.density if r else None for r in results],
          [density_of(v) for v in outdegree], "paired swap",
          paired_swap_test(outdegree[0], outdegree[-1], density_of, draws=t.draws,
                           rng=t.rng))
    for field, name in (("reciprocity", "reciprocity"), ("transitivity", "transitivity"),
                        ("largest_component_share", "share in the largest component")):
        t.add(f"{relation}/{field}", f"{label}: {name}", "structure",
              [getattr(r.structure, field) if r else None for r in results],
              [getattr(_structure(G), field) for G in subs])


def _structure(G: nx.Graph):
    """Structure as the analysis measures it (reciprocity not measured when undirected)."""
    from .analysis import relation_structure

    return relation_structure(G)


def _parity_value(result, group: str, measure: str) -> float | None:
    if result is None:
        return None
    table = result.parity
    row = table[(table["group"] == group) & (table["measure"] == measure)]
    return float(row["parity"].iloc[0]) if len(row) else None


def _silo_mixing(t: Tracker, relation: str, label: str, subs: list[nx.DiGraph],
                 results: list) -> None:
    silos = t.study.roster.loc[t.stayers, "silo"]
    codes = pd.factorize(silos)[0] if len(silos) else np.zeros(0, int)
    edges = [np.array([(t.index[u], t.index[v]) for u, v in G.edges()], dtype=int)
             .reshape(-1, 2) for G in subs]
    observed = ei_of(codes, edges[-1]) - ei_of(codes, edges[0])
    changes = np.empty(t.draws)
    for b in range(t.draws):
        shuffled = t.rng.permutation(codes)
        changes[b] = ei_of(shuffled, edges[-1]) - ei_of(shuffled, edges[0])
    p = p_two_sided(observed, changes) if observed == observed else None
    t.add(f"{relation}/ei", f"{label}: E-I index (across − within silos)", "silos",
          [r.ei.value if r else None for r in results],
          [ei_of(codes, e) for e in edges], "silo labels", p)


def _member_means(frame: pd.DataFrame, column: str, stayers: list[str]) -> np.ndarray:
    means = frame.groupby("respondent")[column].mean()
    return means.reindex(stayers).to_numpy(dtype=float)


def _voice_and_perceptions(t: Tracker) -> None:
    waves = [t.study.wave(r.wave.wave) for r in t.results]
    if all(len(w.participation) for w in waves):
        voice = [_member_means(w.participation, "voice", t.stayers) for w in waves]
        for key, label in t.groups:
            mask = t.masks[key]
            values = [r.wave.decisions.voice.at[key, "gap"]
                      if r.wave.decisions is not None and key in r.wave.decisions.voice.index
                      else None for r in t.results]
            t.add(f"decisions/voice_gap/{key}", f"Voice gap: {label.lower()}", "voice",
                  values, [mean_gap(v, mask) for v in voice], "group labels",
                  group_label_test(voice[0], voice[-1], mask, mean_gap, draws=t.draws,
                                   rng=t.rng))
    items = [i for i in dict.fromkeys(waves[-1].perceptions["item"])
             if all(i in set(w.perceptions["item"]) for w in waves)]
    for item in items:
        answers = [_member_means(w.perceptions[w.perceptions["item"] == item], "value",
                                 t.stayers) for w in waves]
        text = t.results[-1].study.items.get(item, (item, None))[0]
        for key, label in t.groups:
            mask = t.masks[key]
            values = [_perception(r, item, key, "gap") for r in t.results]
            t.add(f"perceptions/{item}/gap/{key}", f"“{text}”: {label.lower()} gap",
                  "perceptions", values, [mean_gap(a, mask) for a in answers],
                  "group labels", group_label_test(answers[0], answers[-1], mask, mean_gap,
                                                   draws=t.draws, rng=t.rng))


def _perception(result: Results, item: str, group: str, column: str) -> float | None:
    table = result.wave.perceptions
    row = table[(table["item"] == item) & (table["group"] == group)]
    return float(row[column].iloc[0]) if len(row) else None


def _indicators(t: Tracker) -> None:
    for milestone in t.results[-1].indicators.milestones:
        values = [r.indicators[milestone.key].score for r in t.results]
        t.add(f"indicators/{milestone.key}", f"Indicator: {milestone.label}", "indicators",
              values, [None] * len(values))
    newcomer = []
    for r in t.results:
        degree = r.wave.newcomer_degree
        newcomer.append(degree["newcomers"] / degree["returning"]
                        if degree and degree.get("newcomer_count") and degree["returning"]
                        else None)
    t.add("setting_the_table/newcomers", "Newcomers' contacts ÷ returning members'",
          "indicators", newcomer, [None] * len(newcomer))
