"""The wave-comparison report: same conventions as the analysis report (offline, one
file, escaped, deterministic, two audiences), with power redistribution first and a
wave-to-wave map on one shared layout where new and lost ties are visible."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from ..graphs import DECISIONS
from ..waves import Comparison
from . import charts, render_page
from .format import num, p_value, signed
from .maps import layout, node_payload, silo_edges
from .methods import Method, methods_for
from .sections import not_measured_reasons
from .tables import Cell, Table, difference, make_table, number, text
from .view import AUDIENCES

#: Edge status codes in the compare map payload.
KEPT, NEW, LOST = 0, 1, 2

COMPARE_METHODS = (
    Method("Members present throughout",
           "Members are matched across waves by roster id. Changes are shown on all "
           "members of each wave and, separately, on members present in every compared "
           "wave, where a change cannot come from who joined or left.",
           "stayers = V_1 ∩ … ∩ V_k", "METRICS.md §6."),
    Method("Permutation tests of change",
           "Group labels (or silos) are shuffled among members present throughout, the "
           "same shuffle in every wave, and the change recomputed (group-level measures); "
           "or each member's first- and last-wave scores are swapped at random (Gini, "
           "centralisation, density). The p-value is the share of draws with a change at "
           "least as large as the one observed.",
           "p = (1 + #{|Δ_b| ≥ |Δ|}) / (1 + B)",
           "Good (2005), Permutation, Parametric and Bootstrap Tests of Hypotheses."),
)


def compare_map_payload(comparison: Comparison, *, audience: str) -> dict[str, Any]:
    """Nodes on one layout shared by every wave; edges of each relation marked kept, new
    (in the last wave only) or lost (in the first wave only)."""
    results = comparison.results
    members = list(dict.fromkeys(m for r in results for m in r.wave.members))
    roster = results[-1].roster
    union = nx.DiGraph()
    for r in results:
        union.add_nodes_from(r.wave.combined.nodes(data=True))
        union.add_edges_from(r.wave.combined.edges())
    payload = node_payload(roster, members, results[-1].wave.groups[1:],
                           layout(union, seed=comparison.seed), audience,
                           results[-1].study.silo_label)
    first, last = set(results[0].wave.members), set(results[-1].wave.members)
    payload["nodes"]["status"] = [("joined" if m not in first else "left" if m not in last
                                   else "") for m in members]
    index = {m: i for i, m in enumerate(members)}
    payload.update({
        "mode": "compare", "audience": audience, "measures": [],
        "waves": [label for _, label in comparison.waves],
        "relations": [_relation_changes(key, series, index)
                      for key, series in comparison.graphs.items() if key != DECISIONS],
    })
    return payload


def _relation_changes(key: str, series: list[nx.Graph], index: dict[str, int]) \
        -> dict[str, Any]:
    """One relation's compare-map data: edges ``[from, to, weight, status]``,
    ``directed`` as the relation is (an undirected relation's edges are drawn without
    arrows, and its silo pairs are counted once, unordered) and ``silo_edges`` of the
    ties kept or new."""
    before, after = series[0], series[-1]
    edges = []
    for u, v, w in after.edges(data="weight"):
        edges.append([index[u], index[v], float(f"{w:.4g}"),
                      KEPT if before.has_edge(u, v) else NEW])
    for u, v, w in before.edges(data="weight"):
        if not after.has_edge(u, v):
            edges.append([index[u], index[v], float(f"{w:.4g}"), LOST])
    silo_of = {i: after.nodes[m]["silo"] if m in after else before.nodes[m]["silo"]
               for m, i in index.items()}
    names = sorted(set(silo_of.values()))
    codes = [names.index(silo_of[i]) for i in range(len(index))]
    directed = after.is_directed()
    return {"key": key, "label": after.graph["label"], "directed": directed,
            "edges": edges, "strong": float(after.graph.get("strong", 1.0)),
            "silo_edges": silo_edges([e[:3] for e in edges if e[3] != LOST], codes,
                                      directed)}


def _not_measured(comparison: Comparison) -> list[str]:
    """Why some measures in the tables are blank ("–"): a sentence per measure the
    tables show (``<relation>/<measure>``) that a relation does not measure, e.g. an
    undirected relation's reciprocity (empty when every relation is directed)."""
    shown = {m.key for m in comparison.measures}
    last = comparison.results[-1].wave.relations.values()
    return [f"{r.label}: {sentence}" for r in last
            for key, sentence in not_measured_reasons(r).items()
            if f"{r.key}/{key}" in shown]


def _measure_table(comparison: Comparison, categories: tuple[str, ...],
                   caption: str) -> Table:
    waves = [label for _, label in comparison.waves]
    table = make_table(["Measure", *waves, "Change", "Change (present throughout)",
                        "Test", "p"], [False] + [True] * (len(waves) + 2) + [False, True],
                       caption)
    for m in comparison.measures:
        if m.category not in categories:
            continue
        table.add(text(m.label), *[number(v) for v in m.values], difference(m.change),
                  difference(m.change_stayers), text(m.test),
                  Cell(p_value(m.p_value), "" if m.p_value is None else m.p_value))
    return table


def _trend(comparison: Comparison) -> Any:
    waves = [label for _, label in comparison.waves]
    series = {}
    for m in comparison.measures:
        if m.key.startswith("decisions/parity/"):
            series[m.label.replace("Decision parity: ", "Parity: ")] = m.values
        if m.key == "decisions/gini":
            series["Gini of influence"] = m.values
    if not series:
        return None
    return charts.lines(waves, series, reference=1.0,
                        title="Decision parity and Gini of influence across waves")


def _flows(comparison: Comparison, evaluator: bool) -> tuple[Table, list]:
    table = make_table(["From", "To", "Joined", "Left", "Stayed"],
                       [False, False, True, True, True])
    lists = []
    names = comparison.results[-1].roster["name"].astype(str).to_dict()
    for f in comparison.flows:
        table.add(text(f.before), text(f.after), number(len(f.joined), 0),
                  number(len(f.left), 0), number(len(f.stayed), 0))
        if evaluator:
            lists.append((f"Joined in {f.after}", [names.get(m, m) for m in f.joined]))
            lists.append((f"Left after {f.before}", [names.get(m, m) for m in f.left]))
    return table, lists


def _ties(comparison: Comparison) -> Table:
    table = make_table(["Relation", "From", "To", "Kept", "Gained", "Lost",
                        "Gained across silos", "Lost across silos"],
                       [False, False, False, True, True, True, True, True],
                       "Ties among members present in both waves")
    for t in comparison.ties:
        table.add(text(t.label), text(t.before), text(t.after), number(t.kept, 0),
                  number(t.gained, 0), number(t.lost, 0), number(t.gained_cross, 0),
                  number(t.lost_cross, 0))
    return table


def build_compare_view(comparison: Comparison, *, audience: str) -> dict[str, Any]:
    evaluator = audience == "evaluator"
    flows, lists = _flows(comparison, evaluator)
    waves = [label for _, label in comparison.waves]
    return {
        "title": f"{comparison.study.name}: how power moved across waves",
        "study": comparison.study.name, "waves": waves, "audience": audience,
        "anonymized": comparison.anonymized, "headline": comparison.headline,
        "trend": _trend(comparison),
        "power": _measure_table(comparison, ("power",), "Power and concentration"),
        "silos": _measure_table(comparison, ("silos", "structure"),
                                "Across silos and whole-network structure"),
        "voice": _measure_table(comparison, ("voice", "perceptions"),
                                "Voice and perceptions (gaps: group minus everyone else)"),
        "indicators": _measure_table(comparison, ("indicators",),
                                     "Collective Power indicators and newcomers"),
        "readings": [m.reading for m in comparison.measures if m.test != "none"
                     and m.p_value is not None and m.p_value < 0.05],
        "flows": flows, "flow_lists": lists, "ties": _ties(comparison),
        "stayers": len(comparison.stayers), "permutations": comparison.permutations,
        "map": compare_map_payload(comparison, audience=audience),
        "methods": COMPARE_METHODS + methods_for(
            r.graph for r in comparison.results[-1].wave.relations.values()),
        "not_measured": _not_measured(comparison), "version": comparison.version,
        "seed": comparison.seed, "signed": signed, "num": num,
    }


def render_compare_report(comparison: Comparison, *, audience: str = "evaluator") -> str:
    """The comparison report as one HTML string."""
    if audience not in AUDIENCES:
        from ..errors import UsageError

        raise UsageError(f"audience must be one of {', '.join(AUDIENCES)}, not {audience!r}")
    view = build_compare_view(comparison, audience=audience)
    return render_page("compare.html.j2", view, view["map"])


def write_compare_report(comparison: Comparison, path: str | Path, *,
                         audience: str = "evaluator") -> Path:
    """Write the comparison report atomically."""
    from . import write_html

    return write_html(render_compare_report(comparison, audience=audience), path)
