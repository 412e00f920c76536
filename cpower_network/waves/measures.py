"""The measures a wave comparison tracks, and the permutation tests of their change
(see :mod:`cpower_network.waves` for what each test means, :mod:`.waves_views` for the
members each change is measured on and :mod:`.waves_tests` for the nulls)."""

from __future__ import annotations

import math
from collections.abc import Callable

import networkx as nx
import numpy as np
import pandas as pd

from ..common.wording import counted
from ..config.groups import thresholds
from ..graphs import DECISIONS
from ..ingest import Study
from ..measures.centrality import member_centralities
from ..measures.inference import NOT_TESTABLE, bh_q_values
from ..results.model import MEASURE_LABELS, Results
from .inference import (
    DyadSwap,
    GroupLabels,
    Null,
    PairedSwap,
    Pending,
    Statistic,
    centralization_change,
    centralization_rows,
    degrees_of,
    density_change,
    dyad_change,
    ei_change,
    ei_value,
    group_change,
    mean_gap,
    run_tests,
    share_parity,
    swapped_gini_change,
)
from .reading import NO_DRAWS, reading
from .views import View, build_view, decision_shares, decisions_asked, share_gini

PARITY_MEASURES = ("in_degree", "pagerank", "betweenness")


def _num(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if value != value else value


def withheld_note(size: int, suppress: int) -> str:
    """Why a small group's p-value is not shown.

    >>> withheld_note(1, 3)
    'withheld: only 1 member of the group is compared (no p-value under 3)'
    """
    return f"withheld: only {counted(size, 'member')} of the group " \
           f"{'is' if size == 1 else 'are'} compared (no p-value under {suppress})"


class Tracker:
    """Builds the :class:`~cpower_network.waves.changes.MeasureChange` list and the tests
    waiting for draws (:meth:`finish` runs them)."""

    def __init__(self, results: list[Results], graphs: dict[str, list[nx.Graph]],
                 stayers: list[str], study: Study) -> None:
        self.results, self.graphs, self.stayers, self.study = results, graphs, stayers, study
        _small, self.suppress = thresholds(results[-1].settings)
        self.groups = [(g.key, g.label) for g in results[-1].wave.groups[1:]]
        self.labels = [r.wave.label for r in results]
        self.waves = [study.wave(r.wave.wave) for r in results]
        self.found: list = []
        self.pending: list[Pending] = []
        self._nulls: dict[tuple, GroupLabels] = {}

    def add(self, key: str, label: str, category: str, values, stayers, **fields) -> None:
        from .changes import MeasureChange

        self.found.append(MeasureChange(key, label, category, [_num(v) for v in values],
                                        [_num(v) for v in stayers], **fields))

    def register(self, key: str, null: Null, statistic: Statistic,
                 identity: np.ndarray) -> str:
        """Queue a test; its observed change is ``statistic`` of the data's own
        arrangement ``identity``. Returns a note when there is nothing to test."""
        observed = float(statistic(identity[None, :])[0])
        if not math.isfinite(observed):
            return "not tested: not measured in both waves among the members compared"
        self.pending.append(Pending(key, null, observed, statistic))
        return ""

    def mask(self, members: list[str], group: str) -> np.ndarray:
        return self.study.roster.loc[members, group].astype(bool).to_numpy() if members \
            else np.zeros(0, bool)

    def add_group(self, key: str, label: str, category: str, values, *, group: str,
                  members: list[str], vectors: list[np.ndarray],
                  statistic: Callable[[np.ndarray, np.ndarray], np.ndarray | float],
                  **fields) -> None:
        """Add a group-level measure: ``statistic`` of each wave's ``vectors`` (scores
        of ``members``) for ``group``, and a group-label test of its change from the
        first to the last wave, queued unless the group is too small (fewer than
        ``suppress_group`` among ``members``) or is everyone compared."""
        mask = self.mask(members, group)
        size = int(mask.sum())
        fields.update(test="group labels", group=group, group_size=size)
        if size == 0:
            fields["note"] = "not tested: no member of the group is among those compared"
        elif size < self.suppress:
            fields["note"] = withheld_note(size, self.suppress)
        elif size == mask.size:
            fields["note"] = "not tested: every member compared is in the group"
        else:
            null = self._nulls.setdefault((tuple(members), group), GroupLabels(mask))
            fields["note"] = self.register(
                key, null, group_change(vectors[0], vectors[-1], statistic), mask)
        self.add(key, label, category, values, [statistic(v, mask) for v in vectors],
                 **fields)

    def finish(self, draws: int | Callable[[int], int], rng: np.random.Generator) -> int:
        """Run the queued tests, withhold what cannot reject, add q-values and
        readings; return the number of tests with a p-value (the family)."""
        results = run_tests(self.pending, draws, rng) if draws else {}
        for item in self.found:
            if item.test == "none" or item.note:
                continue
            found = results.get(item.key)
            if found is None:
                item.note = f"{NO_DRAWS} (permutations = 0)"
                continue
            item.smallest_p, item.draws = found.smallest_p, found.draws
            if found.testable:
                item.p_value = found.p_value
            else:
                item.note = NOT_TESTABLE
        q_values = bh_q_values([m.p_value for m in self.found])
        for item, q in zip(self.found, q_values, strict=True):
            item.q_value = q
        tests = sum(1 for m in self.found if m.p_value is not None)
        for item in self.found:
            item.reading = reading(item, self.labels, tests)
        return tests


def track_measures(results: list[Results], graphs: dict[str, list[nx.Graph]],
                   stayers: list[str], study: Study) -> Tracker:
    """Every tracked measure, power redistribution first; tests queued, not run."""
    t = Tracker(results, graphs, stayers, study)
    if DECISIONS in graphs:
        _decisions(t)
    for relation in graphs:
        if relation != DECISIONS:
            _relation(t, relation)
    _voice_and_perceptions(t)
    _indicators(t)
    return t


def _decisions(t: Tracker) -> None:
    view = build_view(t.graphs[DECISIONS], t.stayers, noun="decision nominations of")
    named = [np.array([float(d) for _, d in G.in_degree(view.members, weight="weight")])
             for G in view.graphs]
    for key, label in t.groups:
        t.add_group(f"decisions/parity/{key}", f"Decision parity: {label.lower()}", "power",
                    [_decision_value(r, "parity", key, "parity") for r in t.results],
                    group=key, members=view.members, vectors=named, statistic=share_parity,
                    basis=view.basis, compared=len(view.senders))
    _gini(t, view)


def _gini(t: Tracker, view: View) -> None:
    values = []
    for wave, G in zip(t.waves, t.graphs[DECISIONS], strict=True):
        members = [m for m in wave.members if G.nodes[m].get("asked", True)]
        senders = [m for m in members if G.nodes[m].get("respondent", False)]
        values.append(share_gini(decision_shares(wave.decisions, members, senders)))
    shares = [decision_shares(w.decisions, view.members, view.senders) for w in t.waves]
    asked = [len(decisions_asked(w.participation, w.decisions)) for w in t.waves]
    fields = {"test": "paired swap", "basis": view.basis, "compared": len(view.senders)}
    if asked[0] != asked[-1]:
        decisions = "decision" if asked[0] == 1 else "decisions"
        fields.update(comparable=False, note=(
            f"not compared: {t.labels[0]} asked about {asked[0]} {decisions} and "
            f"{t.labels[-1]} about {asked[-1]}; members' shares averaged over more "
            "decisions are more even by construction"))
    else:
        fields["note"] = t.register("decisions/gini", PairedSwap(len(view.members)),
                                    swapped_gini_change(shares[0], shares[-1]),
                                    np.zeros(len(view.members), bool))
    t.add("decisions/gini", "Gini of decision influence (per-decision shares)", "power",
          values, [share_gini(s) for s in shares], **fields)


def _relation(t: Tracker, relation: str) -> None:
    series = t.graphs[relation]
    view = build_view(series, t.stayers)
    label = series[-1].graph["label"]
    results = [r.wave.relations.get(relation) for r in t.results]
    arcs = [view.arcs(w) for w in range(len(series))]
    n, directed = len(view.members), view.directed
    change = dyad_change(arcs[0], arcs[-1], n, directed=directed)
    null, nothing = DyadSwap(change.size), np.zeros(change.size, bool)
    base = {"basis": view.basis, "compared": len(view.senders)}

    def swap_test(key: str, statistic: Statistic) -> dict:
        return {"test": "dyad swap", "note": t.register(key, null, statistic, nothing),
                **base}

    degrees = [degrees_of(a, n, directed=directed) for a in arcs]
    t.add(f"{relation}/centralization", f"{label}: degree centralisation", "power",
          [r.concentration["degree_centralization"] if r else None for r in results],
          [centralization_rows(d, directed=directed)[0] for d in degrees],
          **swap_test(f"{relation}/centralization", centralization_change(change)[1]))
    _parity(t, relation, label, view, results)
    codes = pd.factorize(t.study.roster.loc[view.members, "silo"])[0] if n \
        else np.zeros(0, int)
    t.add(f"{relation}/ei", f"{label}: E-I index (across − within silos)", "silos",
          [r.ei.value if r else None for r in results],
          [float(ei_value(np.count_nonzero(codes[a[:, 0]] != codes[a[:, 1]]), len(a)))
           for a in arcs], **swap_test(f"{relation}/ei", ei_change(change, codes)[1]))
    pairs = view.observable
    t.add(f"{relation}/density", f"{label}: density", "structure",
          [r.structure.density if r else None for r in results],
          [len(a) / pairs if pairs else None for a in arcs],
          **swap_test(f"{relation}/density", density_change(change, pairs)[1]))
    _structure_measures(t, relation, label, view, results)
    if not view.senders:
        _unobserved(t, f"{relation}/")


def _unobserved(t: Tracker, prefix: str) -> None:
    """Nobody present throughout answered in every wave: the measures under ``prefix``
    have no members-compared values and no test."""
    t.pending = [p for p in t.pending if not p.key.startswith(prefix)]
    for item in t.found:
        if item.key.startswith(prefix):
            item.stayers = [None] * len(item.stayers)
            if item.test != "none":
                item.note = "not tested: no member present throughout answered in every wave"


def _parity(t: Tracker, relation: str, label: str, view: View, results: list) -> None:
    tables = [member_centralities(G) for G in view.graphs] if view.members else []
    for measure in PARITY_MEASURES:
        vectors = [table[measure].reindex(view.members).fillna(0).to_numpy(float)
                   for table in tables] or [np.zeros(0)] * len(view.graphs)
        for key, group in t.groups:
            t.add_group(f"{relation}/parity/{key}/{measure}", f"{label}: parity of "
                        f"{group.lower()} ({MEASURE_LABELS[measure].lower()})", "power",
                        [None if r is None else _row_value(r.parity, "parity", group=key,
                                                           measure=measure)
                         for r in results],
                        group=key, members=view.members, vectors=vectors,
                        statistic=share_parity, basis=view.basis,
                        compared=len(view.senders))


def _structure_measures(t: Tracker, relation: str, label: str, view: View,
                        results: list) -> None:
    """Reciprocity (among members who answered in every wave, where both arcs of a
    pair are observed), transitivity and the largest component, not tested."""
    from ..analysis.pipeline import relation_structure

    shapes = [relation_structure(G) if len(G) else None for G in view.graphs]
    mutual = [relation_structure(G.subgraph(view.senders)) if view.senders else None
              for G in view.graphs]
    among = f"ties among the {len(view.senders)} of the {view.stayers} members present " \
            "throughout who answered in every wave"
    for field, name, source, basis in (
            ("reciprocity", "reciprocity", mutual, among),
            ("transitivity", "transitivity", shapes, view.basis),
            ("largest_component_share", "share in the largest component", shapes,
             view.basis)):
        t.add(f"{relation}/{field}", f"{label}: {name}", "structure",
              [getattr(r.structure, field) if r else None for r in results],
              [getattr(s, field) if s else None for s in source], basis=basis,
              compared=len(view.senders))


def _row_value(table: pd.DataFrame, column: str, **match) -> float | None:
    """``column`` of the first row of ``table`` matching every ``match`` (column:
    value), or None when none does."""
    chosen = pd.Series(True, index=table.index)
    for name, value in match.items():
        chosen &= table[name] == value
    row = table[chosen]
    return float(row[column].iloc[0]) if len(row) else None


def _decision_value(result: Results, table: str, group: str, column: str) \
        -> float | None:
    """``column`` of ``group`` in a wave's decision ``table`` ("parity", "voice"), or
    None when the wave has no decisions or not that group."""
    decisions = result.wave.decisions
    if decisions is None or group not in getattr(decisions, table).index:
        return None
    return getattr(decisions, table).at[group, column]


def _member_means(frame: pd.DataFrame, column: str, stayers: list[str]) -> np.ndarray:
    means = frame.groupby("respondent")[column].mean()
    return means.reindex(stayers).to_numpy(dtype=float)


def _answered(t: Tracker, vectors: list[np.ndarray]) -> tuple[list[str], list[np.ndarray]]:
    """The stayers with an answer in every wave, and each wave's answers of theirs."""
    every = np.all([~np.isnan(v) for v in vectors], axis=0) if t.stayers \
        else np.zeros(0, bool)
    return [m for m, ok in zip(t.stayers, every, strict=True) if ok], \
        [v[every] for v in vectors]


def _gap_measures(t: Tracker, prefix: str, label: str, category: str,
                  vectors: list[np.ndarray], values_of: Callable[[str], list]) -> None:
    members, answers = _answered(t, vectors)
    basis = f"the {len(members)} of the {len(t.stayers)} members present throughout " \
            "who answered in every wave"
    for key, group in t.groups:
        values = values_of(key)
        if not members and all(v is None or v != v for v in values):
            continue                                   # not asked in these waves
        t.add_group(f"{prefix}/{key}", label.format(group=group.lower()), category, values,
                    group=key, members=members, vectors=answers, statistic=mean_gap,
                    basis=basis, compared=len(members))


def _voice_and_perceptions(t: Tracker) -> None:
    waves = t.waves
    if all(len(w.participation) for w in waves):
        _gap_measures(t, "decisions/voice_gap", "Voice gap: {group}", "voice",
                      [_member_means(w.participation, "voice", t.stayers) for w in waves],
                      lambda key: [_decision_value(r, "voice", key, "gap")
                                   for r in t.results])
    items = [i for i in dict.fromkeys(waves[-1].perceptions["item"])
             if all(i in set(w.perceptions["item"]) for w in waves)]
    for item in items:
        text = t.results[-1].study.items.get(item, (item, None))[0]
        _gap_measures(t, f"perceptions/{item}/gap", f"“{text}”: {{group}} gap",
                      "perceptions",
                      [_member_means(w.perceptions[w.perceptions["item"] == item], "value",
                                     t.stayers) for w in waves],
                      lambda key, item=item: [
                          _row_value(r.wave.perceptions, "gap", item=item, group=key)
                          for r in t.results])


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
