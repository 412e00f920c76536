"""Turn a :class:`~cpower_network.ingest.Study` into networkx graphs (no I/O here).

One directed weighted graph per (relation, wave): every member of the wave is a node
(isolates included) carrying the roster's attributes; an arc u→v means "u reported v",
weighted by the answer on the relation's scale (several answers about one pair combined
by the relation's ``combine`` rule; zero answers such as "Never" make no arc).

A member whom no question of the wave could be answered about (a grid without their
column, joined after the survey went out: ``WaveData.not_asked``) is a node with
``asked=False`` and is listed in ``G.graph["not_asked"]``: ties to them are *not
observed*, which is not the same as "no tie".

The non-respondent rule is a parameter and is recorded in ``G.graph``:

* ``"respondents"``: arcs are what respondents reported; non-respondents have no out-arcs.
* ``"union"``: for relations symmetric by nature, a non-respondent's out-arcs are rebuilt
  from what respondents reported about them (v→u added for every reported u→v when v did
  not answer). For other relations the rule falls back to ``"respondents"`` and says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

from .errors import UsageError
from .ingest import Study, WaveData
from .settings import NONRESPONDENT_RULES

#: The key of the decision-influence graph built from the decision survey.
DECISIONS = "decisions"


@dataclass(frozen=True)
class GraphSpec:
    """What a graph is of: relation, wave and the non-respondent rule applied."""

    relation: str
    wave: str
    nonrespondents: str


def node_attributes(study: Study, members: list[str]) -> list[tuple[str, dict]]:
    """(member id, attributes) for ``members``, in their order: the roster's columns."""
    frame = study.roster.loc[members]
    records = frame.to_dict("records")
    return list(zip(members, records, strict=True))


def build_graph(study: Study, relation: str, wave: str | None = None, *,
                nonrespondents: str | None = None) -> nx.DiGraph:
    """The directed weighted graph of ``relation`` in ``wave``.

    Parameters
    ----------
    study : Study
    relation : str
        A relation key from the configuration, or ``"decisions"`` for the decision-influence
        graph (see :func:`build_influence_graph`).
    wave : str, optional
        The wave (default: the latest).
    nonrespondents : {"respondents", "union"}, optional
        Default: the study's ``[analysis] nonrespondents`` setting.

    Returns
    -------
    networkx.DiGraph
        Nodes are member ids with the roster's attributes plus ``respondent`` and
        ``asked`` (False for a member nobody was asked about); arcs carry ``weight``.
        ``G.graph`` holds ``relation``, ``label``, ``wave``, ``symmetric``,
        ``nonrespondents`` (the rule applied), ``silo_attribute``, ``focus_groups`` and
        ``not_asked`` (the members not asked about, roster order).

    Examples
    --------
    >>> import cpower_network as cp
    >>> study = cp.load_study(cp.example_study_path())
    >>> G = build_graph(study, "collaborate", "2024")
    >>> G.graph["relation"], G.number_of_nodes() == len(study.waves["2024"].members)
    ('collaborate', True)
    """
    data = study.wave(wave)
    if relation == DECISIONS:
        return build_influence_graph(study, data.key)
    if relation not in study.config.relations:
        from .config_schema import closest

        hint = closest(relation, study.config.relations)
        raise UsageError(f"no relation {relation!r} in this study; relations: "
                         f"{', '.join(study.config.relations)}"
                         + (f"; did you mean {hint!r}?" if hint else ""))
    rule = nonrespondents or study.config.analysis.nonrespondents
    if rule not in NONRESPONDENT_RULES:
        raise UsageError(f"nonrespondents must be one of {', '.join(NONRESPONDENT_RULES)}")
    spec = study.config.relations[relation]
    respondents = set(data.respondents(relation))
    applied = rule if spec.symmetric else "respondents"
    G = _empty_graph(study, data, respondents, data.not_asked.get(relation, []))
    values = study.config.relation_scale(relation).values
    G.graph.update(relation=relation, label=spec.label, symmetric=spec.symmetric,
                   nonrespondents=applied, scale=spec.scale, combine=spec.combine,
                   strong=_strong_threshold(study, relation),
                   scale_min=float(min(values)), scale_max=float(max(values)))
    arcs = combine_answers(data.ties[data.ties["relation"] == relation], spec.combine)
    G.add_weighted_edges_from(arcs)
    if applied == "union":
        _reconstruct_nonrespondents(G, respondents)
    return G


def combine_answers(ties: pd.DataFrame, rule: str) -> list[tuple[str, str, float]]:
    """(respondent, alter, weight) arcs: answers per pair combined by ``rule``; arcs of
    weight 0 or less (e.g. "Never") are dropped.

    >>> ties = pd.DataFrame({"respondent": ["a", "a", "b"], "alter": ["b", "b", "a"],
    ...                      "value": [2.0, 4.0, 0.0]})
    >>> combine_answers(ties, "mean")
    [('a', 'b', 3.0)]
    """
    if ties.empty:
        return []
    grouped = ties.groupby(["respondent", "alter"], sort=False)["value"].agg(rule)
    grouped = grouped[grouped > 0]
    return [(str(u), str(v), float(w)) for (u, v), w in grouped.items()]


def _reconstruct_nonrespondents(G: nx.DiGraph, respondents: set[str]) -> None:
    rebuilt = [(v, u, d["weight"]) for u, v, d in G.edges(data=True)
               if u in respondents and v not in respondents and not G.has_edge(v, u)]
    G.add_weighted_edges_from(rebuilt)


def _empty_graph(study: Study, data: WaveData, respondents: set[str],
                 not_asked: list[str]) -> nx.DiGraph:
    """The wave's members as nodes, no arcs (see :func:`build_graph` for attributes)."""
    G = nx.DiGraph()
    missing = set(not_asked)
    for member, attributes in node_attributes(study, data.members):
        G.add_node(member, **attributes, respondent=member in respondents,
                   asked=member not in missing)
    G.graph.update(wave=data.key, silo_attribute="silo", focus_groups=study.focus_groups,
                   respondents=len(respondents),
                   not_asked=[m for m in data.members if m in missing])
    return G


def _strong_threshold(study: Study, relation: str) -> float:
    spec = study.config.relations[relation]
    if spec.strong is not None:
        return float(spec.strong)
    values = study.config.relation_scale(relation).values
    positive = [v for v in values if v > 0] or [1.0]
    return float(positive[len(positive) // 2]) if len(positive) > 1 else positive[0]


def build_influence_graph(study: Study, wave: str | None = None) -> nx.DiGraph:
    """The decision-influence graph: u→v when u said v's input shaped a decision.

    The weight is the number of decisions for which u named v (METRICS.md §3).
    Respondents are the members who answered the decision survey.

    Examples
    --------
    >>> import cpower_network as cp
    >>> study = cp.load_study(cp.example_study_path())
    >>> G = build_influence_graph(study, "2025")
    >>> G.graph["relation"], all(d["weight"] >= 1 for _, _, d in G.edges(data=True))
    ('decisions', True)
    """
    data = study.wave(wave)
    respondents = set(data.participation["respondent"])
    G = _empty_graph(study, data, respondents, data.not_asked.get(DECISIONS, []))
    G.graph.update(relation=DECISIONS, label="Shaped decisions", symmetric=False,
                   nonrespondents="respondents", scale="count", combine="sum", strong=1.0,
                   scale_min=0.0, scale_max=float(len(set(data.decisions["decision"]))))
    named = data.decisions.assign(value=1.0)
    G.add_weighted_edges_from(combine_answers(named.rename(columns={"named": "alter"}),
                                              "sum"))
    return G


def relation_keys(study: Study, wave: str | None = None) -> list[str]:
    """Relations with answers in ``wave``, plus ``"decisions"`` when the decision survey
    named anyone, in configuration order."""
    data = study.wave(wave)
    present = set(data.ties["relation"])
    keys = [r for r in study.config.relations if r in present]
    if not data.decisions.empty:
        keys.append(DECISIONS)
    return keys


def build_graphs(study: Study, wave: str | None = None, *,
                 nonrespondents: str | None = None) -> dict[str, nx.DiGraph]:
    """Every relation's graph for ``wave`` (see :func:`relation_keys`)."""
    return {key: build_graph(study, key, wave, nonrespondents=nonrespondents)
            for key in relation_keys(study, wave)}


def combined_graph(graphs: dict[str, nx.DiGraph]) -> nx.DiGraph:
    """All relations merged: an arc wherever any relation has one (weight = number of
    relations with that arc). Used for "no tie in any relation" (the weaver's worklist).

    A member is ``respondent`` when they answered about any of the relations, and is not
    ``asked`` (listed in ``G.graph["not_asked"]``) when nobody was asked about them in
    *some* relation: "no tie in any relation" is a claim about every relation, so a
    member whose ties in one relation were never observed cannot be shown to have none
    (a newcomer left out of the grids is not an isolate because nobody happened to name
    her in a free-recall question).

    Examples
    --------
    >>> a = nx.DiGraph([("u", "v")], not_asked=["w"])
    >>> a.add_node("w")
    >>> b = nx.DiGraph([("v", "u")], not_asked=["v", "w"])
    >>> b.add_node("w")
    >>> combined_graph({"a": a, "b": b}).graph["not_asked"]
    ['v', 'w']
    """
    graphs_list = list(graphs.values())
    G = nx.DiGraph()
    if graphs_list:
        G.add_nodes_from(graphs_list[0].nodes(data=True))
        G.graph.update({k: v for k, v in graphs_list[0].graph.items()
                        if k in ("wave", "silo_attribute", "focus_groups")})
    G.graph.update(relation="any", label="Any tie")
    for graph in graphs_list:
        for u, v in graph.edges():
            G.add_edge(u, v, weight=G[u][v]["weight"] + 1 if G.has_edge(u, v) else 1.0)
    _mark_observed(G, graphs_list)
    return G


def _mark_observed(G: nx.DiGraph, graphs: list[nx.DiGraph]) -> None:
    """Set ``respondent``, ``asked`` and ``not_asked`` of the merged graph ``G``."""
    unasked = [set(graph.graph.get("not_asked", ())) for graph in graphs]
    missing = set.union(*unasked) if unasked else set()
    for member, data in G.nodes(data=True):
        data["asked"] = member not in missing
        data["respondent"] = any(graph.nodes[member].get("respondent", False)
                                 for graph in graphs if member in graph)
    G.graph["not_asked"] = [member for member in G if member in missing]


def any_tie_graph(study: Study, wave: str | None = None,
                  graphs: dict[str, nx.DiGraph] | None = None) -> nx.DiGraph:
    """Every member of the wave, tied wherever any relation has a tie (see
    :func:`combined_graph`). Decision namings are left out: being named as having shaped
    a decision is not a working relationship. With no ties at all, the members alone.

    Examples
    --------
    >>> import cpower_network as cp
    >>> G = any_tie_graph(cp.load_study(cp.example_study_path()), "2024")
    >>> G.graph["relation"], G.number_of_nodes()
    ('any', 70)
    """
    graphs = build_graphs(study, wave) if graphs is None else graphs
    relational = {key: G for key, G in graphs.items() if key != DECISIONS}
    if relational:
        return combined_graph(relational)
    members = build_graph(study, study.relations[0], wave)
    members.remove_edges_from(list(members.edges()))
    members.graph.update(relation="any", label="Any tie")
    data = study.wave(wave)
    _mark_observed(members, [build_graph(study, key, data.key) for key in study.relations])
    return members
