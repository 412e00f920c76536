"""The wave-comparison report: same conventions as the analysis report (offline, one
file, escaped, deterministic, two audiences), with power redistribution first and a
wave-to-wave map on one shared layout where new and lost ties are visible.

Every table shows each test's p- and q-value (Benjamini–Hochberg, within the
comparison); "larger than chance" lists only q < 0.05. Focus groups with fewer than
``small_group`` (5) members compared are flagged in the tables ("n = 4, read with
care", as in the analysis report); with fewer than
``suppress_group`` (3) they have no p-value in either view, and the retreat view leaves
them out of every part of the page (findings, charts, tables, map, embedded data),
saying how many were left out and why, without naming them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from ..common.wording import family_of_tests
from ..config.groups import thresholds
from ..graphs import DECISIONS
from ..indicators.reasons import NO_FOCUS_GROUPS, defines_focus_groups
from ..measures.inference import NOT_TESTABLE
from ..waves.comparison import Comparison, MeasureChange
from ..waves.reading import redistribution_sentences
from . import charts, render_page
from .format import counted, flagged, num, p_value, q_value, signed
from .map_layout import layout
from .maps import node_payload, silo_edges
from .methods import WAVE_METHODS, methods_for
from .sections import not_measured_reasons
from .tables import Cell, Table, difference, make_table, number, text
from .view import AUDIENCES

#: Edge status codes in the compare map payload.
KEPT, NEW, LOST = 0, 1, 2

def hidden_groups(comparison: Comparison, audience: str) -> set[str]:
    """Focus groups a view leaves out: none for evaluators; in shared views those with
    fewer than ``suppress_group`` members present throughout."""
    if audience == "evaluator":
        return set()
    return {g.key for g in comparison.groups if g.suppressed}


def _thresholds(comparison: Comparison) -> tuple[int, int]:
    return thresholds(comparison.results[-1].settings)


def shown(m: MeasureChange, comparison: Comparison, audience: str) -> bool:
    """Whether a view shows measure ``m``: a shared view leaves out measures of hidden
    groups and of groups with 1 to ``suppress_group`` − 1 members compared (with none,
    the members-compared figures are blank and there is nothing to single out)."""
    if m.group is None or audience == "evaluator":
        return True
    _, suppress = _thresholds(comparison)
    return m.group not in hidden_groups(comparison, audience) and \
        not (m.group_size and m.group_size < suppress)


def compare_map_payload(comparison: Comparison, *, audience: str) -> dict[str, Any]:
    """Nodes on one layout shared by every wave; edges of each relation marked kept, new
    (in the last wave only) or lost (in the first wave only). Groups a shared view
    leaves out (:func:`hidden_groups`) have no marks and no entry."""
    results = comparison.results
    hidden = hidden_groups(comparison, audience)
    members = list(dict.fromkeys(m for r in results for m in r.wave.members))
    roster = results[-1].roster
    union = nx.DiGraph()
    for r in results:
        union.add_nodes_from(r.wave.combined.nodes(data=True))
        union.add_edges_from(r.wave.combined.edges())
    groups = [g for g in results[-1].wave.groups[1:] if g.key not in hidden]
    payload = node_payload(roster, members, groups, layout(union, seed=comparison.seed),
                           audience, results[-1].study.silo_label)
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


def _flag(m: MeasureChange, small: int) -> str:
    """The measure's label, flagged as the analysis report flags a small group when
    the group has fewer than ``small`` members compared."""
    return m.label if m.group_size is None else flagged(m.label, m.group_size, small)


def _test_cells(m: MeasureChange) -> tuple[Cell, Cell]:
    """The p and q cells: the values, or why there are none."""
    if m.p_value is not None:
        return (Cell(p_value(m.p_value), m.p_value),
                Cell(q_value(m.q_value), "" if m.q_value is None else m.q_value))
    if m.test == "none":
        return Cell("–", ""), Cell("–", "")
    why = ("not testable" if m.note == NOT_TESTABLE else
           "withheld" if m.note.startswith("withheld") else
           "not compared" if not m.comparable else "not tested")
    return Cell(why, ""), Cell(why, "")


def _measure_table(comparison: Comparison, categories: tuple[str, ...], caption: str,
                   audience: str) -> Table:
    waves = [label for _, label in comparison.waves]
    table = make_table(["Measure", *waves, "Change", "Change (members compared)",
                        "Members compared", "Test", "p", "q"],
                       [False] + [True] * (len(waves) + 3) + [False, True, True], caption)
    small, _ = _thresholds(comparison)
    for m in comparison.measures:
        if m.category not in categories or not shown(m, comparison, audience):
            continue
        table.add(text(_flag(m, small)), *[number(v) for v in m.values],
                  difference(m.change), difference(m.change_stayers),
                  number(m.compared, 0), text(m.test), *_test_cells(m))
    return table


def _trend(comparison: Comparison, audience: str) -> Any:
    """The trend chart: each focus group's decision parity and the Gini of influence by
    wave, with the parity line (1.0) drawn and named only when a parity is shown."""
    waves = [label for _, label in comparison.waves]
    small, _ = _thresholds(comparison)
    series = {}
    for m in comparison.measures:
        if m.key.startswith("decisions/parity/") and shown(m, comparison, audience):
            series[_flag(m, small).replace("Decision parity: ", "Parity: ")] = m.values
        if m.key == "decisions/gini":
            series["Gini of influence (per-decision shares)"] = m.values
    if not series:
        return None
    parity = any(name.startswith("Parity: ") for name in series)
    return charts.lines(waves, series, reference=1.0 if parity else None,
                        reference_label="parity 1.0 (proportional share)",
                        axis_label=("Parity (1.0 = share of influence equals share of "
                                    "members) · Gini (0 = equal, 1 = one member)")
                        if parity else "Gini of influence (0 = equal, 1 = one member)",
                        title="Decision parity and Gini of influence across waves")


def _privacy_notes(comparison: Comparison, audience: str) -> list[str]:
    """What the view leaves out or withholds, and why (never naming a hidden group)."""
    small, suppress = _thresholds(comparison)
    notes = []
    hidden = hidden_groups(comparison, audience)
    if hidden:
        notes.append(f"{counted(len(hidden), 'focus group')} with fewer than {suppress} "
                     f"members present throughout {'is' if len(hidden) == 1 else 'are'} "
                     "not shown anywhere on this "
                     "page (findings, charts, tables, map): figures of so few members "
                     "would single them out.")
    rows = sum(1 for m in comparison.measures if m.group and m.group not in hidden
               and not shown(m, comparison, audience))
    if rows:
        notes.append(f"{counted(rows, 'further figure')} of focus groups with fewer "
                     f"than {suppress} members answering in every wave "
                     f"{'is' if rows == 1 else 'are'} not shown, for the same reason.")
    if audience == "evaluator" and any(m.note.startswith("withheld")
                                       for m in comparison.measures):
        notes.append(f"Focus groups with fewer than {suppress} members compared have no "
                     "p- or q-value (a test of so few members is noise); a shared "
                     "(retreat) view leaves them out.")
    if any(m.group_size is not None and m.group_size < small
           and shown(m, comparison, audience) for m in comparison.measures):
        notes.append(f"“n = …, read with care” marks a focus group with fewer than "
                     f"{small} members compared.")
    return notes


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
                       "Ties among members present in both waves, as reported by those "
                       "who answered in both (a member who went silent loses no ties)")
    for t in comparison.ties:
        table.add(text(t.label), text(t.before), text(t.after), number(t.kept, 0),
                  number(t.gained, 0), number(t.lost, 0), number(t.gained_cross, 0),
                  number(t.lost_cross, 0))
    return table


def build_compare_view(comparison: Comparison, *, audience: str) -> dict[str, Any]:
    evaluator = audience == "evaluator"
    hidden = hidden_groups(comparison, audience) | {
        m.group for m in comparison.measures
        if m.key.startswith("decisions/parity/") and not shown(m, comparison, audience)}
    flows, lists = _flows(comparison, evaluator)
    waves = [label for _, label in comparison.waves]
    return {
        "title": f"{comparison.study.name}: how power moved across waves",
        "study": comparison.study.name, "waves": waves, "audience": audience,
        "anonymized": comparison.anonymized,
        "headline": comparison.headline if evaluator else
        redistribution_sentences(comparison, hidden),
        "summary": comparison.summary, "family": family_of_tests(comparison.tests_run),
        "tests_run": comparison.tests_run,
        "privacy": _privacy_notes(comparison, audience),
        "trend": _trend(comparison, audience),
        "no_focus_groups": "" if defines_focus_groups(comparison.results[-1]) else
        f"Decision parity, voice gaps and every other figure of focus groups: not "
        f"measured: {NO_FOCUS_GROUPS}.",
        "power": _measure_table(comparison, ("power",), "Power and concentration",
                                audience),
        "silos": _measure_table(comparison, ("silos", "structure"),
                                "Across silos and whole-network structure", audience),
        "voice": _measure_table(comparison, ("voice", "perceptions"),
                                "Voice and perceptions (gaps: group minus everyone else)",
                                audience),
        "indicators": _measure_table(comparison, ("indicators",),
                                     "Collective Power indicators and newcomers", audience),
        "readings": [m.reading for m in comparison.measures if m.larger_than_chance
                     and shown(m, comparison, audience)],
        "flows": flows, "flow_lists": lists, "ties": _ties(comparison),
        "stayers": len(comparison.stayers), "permutations": comparison.permutations,
        "map": compare_map_payload(comparison, audience=audience),
        "methods": WAVE_METHODS + methods_for(
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
