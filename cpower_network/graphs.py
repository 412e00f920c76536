"""Turn a :class:`~cpower_network.ingest.Study` into networkx graphs (no I/O here).

One weighted graph per (relation, wave): every member of the wave is a node (isolates
included) carrying the roster's attributes. Several answers about one pair are combined
by the relation's ``combine`` rule; zero answers such as "Never" make no tie.

* A **directed** relation is an ``nx.DiGraph``: an arc u→v means "u reported v",
  weighted by the answer on the relation's scale.
* An **undirected** relation (``direction = "undirected"``, or ``symmetric = true``
  alone) is an ``nx.Graph``: the two members' reports about a pair become one edge by
  the relation's ``reciprocity`` rule (:func:`undirected_ties`), and every measure then
  reads it as undirected.

A member whom no question of the wave could be answered about (a grid without their
column, joined after the survey went out: ``WaveData.not_asked``) is a node with
``asked=False`` and is listed in ``G.graph["not_asked"]``: ties to them are *not
observed*, which is not the same as "no tie".

The non-respondent rule is a parameter and is recorded in ``G.graph``:

* ``"respondents"``: arcs are what respondents reported; non-respondents have no out-arcs.
* ``"union"``: for directed relations symmetric by nature (``symmetric = true`` with
  ``direction = "directed"``), a non-respondent's out-arcs are rebuilt from what
  respondents reported about them (v→u added for every reported u→v when v did not
  answer). For other directed relations the rule falls back to ``"respondents"`` and
  says so.
* An undirected relation is ``"union"`` whatever the setting: an edge has no side to
  leave out, so a tie a respondent reported with a non-respondent is a tie of both.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

from .common.wording import counted
from .config.relations import CONTACT_ROLES, RECIPROCITY_RULES, Relation
from .config.settings import NONRESPONDENT_RULES
from .errors import UsageError
from .ingest import Study, WaveData

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
                nonrespondents: str | None = None) -> nx.Graph:
    """The weighted graph of ``relation`` in ``wave``: directed or undirected as the
    relation is.

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
    networkx.DiGraph or networkx.Graph
        A ``DiGraph`` for a directed relation, a ``Graph`` for an undirected one. Nodes
        are member ids with the roster's attributes plus ``respondent`` and ``asked``
        (False for a member nobody was asked about); ties carry ``weight``. ``G.graph``
        holds ``relation``, ``label``, ``wave``, ``direction``, ``symmetric``,
        ``reciprocity`` (the rule of an undirected relation, else None), ``role`` and
        ``role_inferred``, ``nonrespondents`` (the rule applied), ``silo_attribute``,
        ``focus_groups`` and ``not_asked`` (the members not asked about, roster order);
        an undirected graph adds ``one_sided``, ``unreciprocated`` and
        ``reciprocity_note`` (see :func:`undirected_ties`).

    Examples
    --------
    >>> import cpower_network as cp
    >>> study = cp.load_study(cp.example_study_path())
    >>> G = build_graph(study, "collaborate", "2024")
    >>> G.graph["relation"], G.number_of_nodes() == len(study.waves["2024"].members)
    ('collaborate', True)
    >>> G.graph["direction"], G.graph["role"]
    ('directed', 'collaboration')
    """
    data = study.wave(wave)
    if relation == DECISIONS:
        return build_influence_graph(study, data.key)
    if relation not in study.config.relations:
        from .config.schema import closest

        hint = closest(relation, study.config.relations)
        raise UsageError(f"no relation {relation!r} in this study; relations: "
                         f"{', '.join(study.config.relations)}"
                         + (f"; did you mean {hint!r}?" if hint else ""))
    rule = nonrespondents or study.config.analysis.nonrespondents
    if rule not in NONRESPONDENT_RULES:
        raise UsageError(f"nonrespondents must be one of {', '.join(NONRESPONDENT_RULES)}")
    spec = study.config.relations[relation]
    respondents = set(data.respondents(relation))
    unasked = data.not_asked.get(relation, [])
    G = _empty_graph(study, data, respondents, unasked, directed=spec.directed)
    G.graph.update(_relation_attributes(study, spec, rule_applied(spec, rule)))
    arcs = combine_answers(data.ties[data.ties["relation"] == relation], spec.combine)
    _add_ties(G, arcs, respondents, set(unasked))
    return G


def _relation_attributes(study: Study, spec: Relation, applied: str) -> dict:
    """``G.graph`` entries describing the relation (see :func:`build_graph`)."""
    values = study.config.relation_scale(spec.key).values
    return dict(relation=spec.key, label=spec.label, direction=spec.direction,
                symmetric=spec.symmetric,
                reciprocity=None if spec.directed else spec.reciprocity,
                role=spec.role, role_inferred=spec.role_inferred,
                nonrespondents=applied, scale=spec.scale, combine=spec.combine,
                strong=_strong_threshold(study, spec.key),
                scale_min=float(min(values)), scale_max=float(max(values)))


def _add_ties(G: nx.Graph, arcs: list[tuple[str, str, float]], respondents: set[str],
              unasked: set[str]) -> None:
    """Add the reported ``arcs`` to ``G``: as they are (directed, then the "union" rule
    when it applies) or combined pair by pair (undirected, see :func:`undirected_ties`)."""
    if G.is_directed():
        G.add_weighted_edges_from(arcs)
        if G.graph["nonrespondents"] == "union":
            _reconstruct_nonrespondents(G, respondents)
        return
    rule = G.graph["reciprocity"]
    ties, counts = undirected_ties(arcs, rule, can_report=_reporter(respondents, unasked))
    G.add_weighted_edges_from(ties)
    G.graph.update(counts, reciprocity_note=reciprocity_note(rule, **counts))


def rule_applied(spec: Relation, rule: str) -> str:
    """The non-respondent rule a relation's graph gets when ``rule`` is asked for.

    An undirected relation is always ``"union"`` (an edge reported by one member is a
    tie of both); a directed one gets ``rule`` when it is symmetric by nature, else
    ``"respondents"``.

    >>> rule_applied(Relation("k", "K", direction="undirected"), "respondents")
    'union'
    >>> rule_applied(Relation("a", "A"), "union")
    'respondents'
    """
    if not spec.directed:
        return "union"
    return rule if spec.symmetric else "respondents"


def _reporter(respondents: set[str], unasked: set[str]):
    """``can_report(u, v)``: whether u could have reported v (u answered the relation's
    questions and v was among the members asked about)."""
    return lambda u, v: u in respondents and v not in unasked


def undirected_ties(arcs: list[tuple[str, str, float]], rule: str, *,
                    can_report=None) -> tuple[list[tuple[str, str, float]], dict[str, int]]:
    """Edges of an undirected relation from the directed reports ``arcs`` (u reported v
    with weight w > 0).

    For a pair {u, v} with reports a = w(u→v) and b = w(v→u) (0 when not made):

    * ``"either"``: a tie when either reported it, weight max(a, b) (OR);
    * ``"both"``: a tie when both did, weight min(a, b) (AND);
    * ``"mean"``: weight (a + b) / 2, a tie when it is above 0.

    When only one of the two could report (``can_report(u, v)`` false for the other: they
    did not answer, or were not asked about the first), there is nothing to combine and
    the one report that exists is the tie, under every rule. A member's report counts as
    possible whenever they made one.

    Parameters
    ----------
    arcs : list of (str, str, float)
        Directed reports, e.g. from :func:`combine_answers`.
    rule : {"either", "both", "mean"}
    can_report : callable, optional
        ``can_report(u, v) -> bool``; default: every member could report every other.

    Returns
    -------
    edges : list of (str, str, float)
        One per tied pair, in the order the pair was first reported.
    counts : dict
        ``one_sided``: ties resting on the only report that was possible;
        ``unreciprocated``: pairs both could report about where only one did (kept by
        "either" and "mean", dropped by "both").

    Examples
    --------
    >>> arcs = [("a", "b", 2.0), ("b", "a", 1.0), ("a", "c", 3.0), ("d", "a", 1.0)]
    >>> undirected_ties(arcs, "either")[0]
    [('a', 'b', 2.0), ('a', 'c', 3.0), ('d', 'a', 1.0)]
    >>> undirected_ties(arcs, "both")
    ([('a', 'b', 1.0)], {'one_sided': 0, 'unreciprocated': 2})
    >>> undirected_ties(arcs, "mean")[0]
    [('a', 'b', 1.5), ('a', 'c', 1.5), ('d', 'a', 0.5)]
    >>> undirected_ties(arcs, "both", can_report=lambda u, v: u != "c")
    ([('a', 'b', 1.0), ('a', 'c', 3.0)], {'one_sided': 1, 'unreciprocated': 1})
    """
    if rule not in RECIPROCITY_RULES:
        raise UsageError(f"reciprocity must be one of {', '.join(RECIPROCITY_RULES)}")
    reports = {(u, v): w for u, v, w in arcs}
    able = can_report or (lambda _u, _v: True)
    edges, seen = [], set()
    counts = {"one_sided": 0, "unreciprocated": 0}
    for u, v, a in arcs:
        if frozenset((u, v)) in seen:
            continue
        seen.add(frozenset((u, v)))
        b = reports.get((v, u), 0.0)
        if u != v and (b or able(v, u)):
            weight = _combine_pair(a, b, rule)
            counts["unreciprocated"] += not b
        else:  # the other member could not report: the one report is the tie
            weight = a
            counts["one_sided"] += u != v
        if weight > 0:
            edges.append((u, v, weight))
    return edges, counts


def _combine_pair(a: float, b: float, rule: str) -> float:
    """The weight of a pair's tie from its two reports (0 = not reported)."""
    if rule == "either":
        return max(a, b)
    if rule == "both":
        return min(a, b)
    return (a + b) / 2


#: How each reciprocity rule makes a tie, and what it does with a one-sided report.
_RULE_WORDS = {
    "either": ("a tie when either member reported it (weight: the larger report)", "kept"),
    "both": ("a tie when both members reported it (weight: the smaller report)",
             "left out"),
    "mean": ("the mean of the two members' reports (a report not made counts 0)",
             "kept at half weight"),
}


def reciprocity_note(rule: str, one_sided: int = 0, unreciprocated: int = 0) -> str:
    """A sentence saying how an undirected relation's ties were made.

    >>> reciprocity_note("either")
    'Undirected: a tie when either member reported it (weight: the larger report).'
    >>> print(reciprocity_note("both", one_sided=2, unreciprocated=1))
    ... # doctest: +NORMALIZE_WHITESPACE
    Undirected: a tie when both members reported it (weight: the smaller report). 2 ties
    rest on one report: the other member did not answer or was not asked about them.
    1 pair reported by one member only was left out.
    """
    how, fate = _RULE_WORDS[rule]
    text = f"Undirected: {how}."
    if one_sided:
        text += (f" {counted(one_sided, 'tie')} {'rests' if one_sided == 1 else 'rest'} on "
                 "one report: the other member did not answer or was not asked about them.")
    if unreciprocated:
        verb = "was" if unreciprocated == 1 else "were"
        text += f" {counted(unreciprocated, 'pair')} reported by one member only {verb} {fate}."
    return text


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
                 not_asked: list[str], *, directed: bool = True) -> nx.Graph:
    """The wave's members as nodes, no ties (see :func:`build_graph` for attributes)."""
    G = nx.DiGraph() if directed else nx.Graph()
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

    The weight is the number of decisions for which u named v (docs/methods.md §Decision influence).
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
    G.graph.update(relation=DECISIONS, label="Shaped decisions", direction="directed",
                   symmetric=False, reciprocity=None, role=None, role_inferred=False,
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
                 nonrespondents: str | None = None) -> dict[str, nx.Graph]:
    """Every relation's graph for ``wave`` (see :func:`relation_keys`)."""
    return {key: build_graph(study, key, wave, nonrespondents=nonrespondents)
            for key in relation_keys(study, wave)}


def unobserved(G: nx.Graph) -> set[str]:
    """Members of ``G`` nobody was asked about (node attribute ``asked`` False).

    >>> G = nx.Graph([("a", "b")])
    >>> G.add_node("c", asked=False)
    >>> unobserved(G)
    {'c'}
    """
    return {v for v, asked in G.nodes(data="asked", default=True) if not asked}


def combined_graph(graphs: dict[str, nx.Graph]) -> nx.Graph:
    """All relations merged: a tie wherever any relation has one (weight = number of
    relations with that tie). Used for "no tie in any relation" (the weaver's worklist).

    The merged graph is undirected when every relation is, else directed, with an
    undirected relation's edge {u, v} read as the two arcs u→v and v→u (the symmetric
    digraph of an undirected graph).

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
    >>> sorted(combined_graph({"a": a, "k": nx.Graph([("u", "w")])}).edges())
    [('u', 'v'), ('u', 'w'), ('w', 'u')]
    """
    graphs_list = list(graphs.values())
    directed = not graphs_list or any(graph.is_directed() for graph in graphs_list)
    G = nx.DiGraph() if directed else nx.Graph()
    if graphs_list:
        G.add_nodes_from(graphs_list[0].nodes(data=True))
        G.graph.update({k: v for k, v in graphs_list[0].graph.items()
                        if k in ("wave", "silo_attribute", "focus_groups")})
    G.graph.update(relation="any", label="Any tie")
    G.add_edges_from((u, v, {"weight": weight})
                     for (u, v), weight in _tie_counts(graphs_list, directed).items())
    _mark_observed(G, graphs_list)
    return G


def _tie_counts(graphs: list[nx.Graph], directed: bool) -> dict[tuple[str, str], float]:
    """Tie -> number of ``graphs`` holding it, in the order ties are first met; an
    undirected tie is counted under the orientation first met."""
    counts: dict[tuple[str, str], float] = {}
    for graph in graphs:
        for u, v in _ties_as(graph, directed):
            tie = (u, v) if directed or (v, u) not in counts else (v, u)
            counts[tie] = counts.get(tie, 0.0) + 1.0
    return counts


def _ties_as(graph: nx.Graph, directed: bool) -> list[tuple[str, str]]:
    """``graph``'s ties as edges of a directed (``directed``) or undirected merged graph:
    an undirected edge between two members becomes both arcs."""
    if graph.is_directed() or not directed:
        return list(graph.edges())
    return [arc for u, v in graph.edges() for arc in ([(u, v), (v, u)] if u != v
                                                      else [(u, v)])]


def _mark_observed(G: nx.Graph, graphs: list[nx.Graph]) -> None:
    """Set ``respondent``, ``asked`` and ``not_asked`` of the merged graph ``G``."""
    unasked = [set(graph.graph.get("not_asked", ())) for graph in graphs]
    missing = set.union(*unasked) if unasked else set()
    for member, data in G.nodes(data=True):
        data["asked"] = member not in missing
        data["respondent"] = any(graph.nodes[member].get("respondent", False)
                                 for graph in graphs if member in graph)
    G.graph["not_asked"] = [member for member in G if member in missing]


def any_tie_graph(study: Study, wave: str | None = None,
                  graphs: dict[str, nx.Graph] | None = None) -> nx.Graph:
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
    built = [build_graph(study, key, wave) for key in study.relations]
    members = built[0].copy()
    members.remove_edges_from(list(members.edges()))
    members.graph.update(relation="any", label="Any tie")
    _mark_observed(members, built)
    return members


def contact_graph(study: Study, wave: str | None = None,
                  graphs: dict[str, nx.Graph] | None = None) -> nx.Graph:
    """Members in touch: a tie wherever a relation that means contact has one.

    A relation means contact when its role is one of :data:`~cpower_network.config.
    CONTACT_ROLES` (collaboration, knows, advice, trust); naming someone as influential,
    rating their value or sharing resources with them does not by itself put two
    members in touch. A study that declares no contact role at all falls back to its
    relations without a role, then to every relation, and the graph says so in
    ``G.graph["in_touch_note"]``. ``G.graph["in_touch"]`` lists the relations' labels.

    Examples
    --------
    >>> import cpower_network as cp
    >>> G = contact_graph(cp.load_study(cp.example_study_path()), "2024")
    >>> G.graph["in_touch"]
    ['Work together', 'Trust', 'Go to for advice']
    """
    graphs = build_graphs(study, wave) if graphs is None else graphs
    relations = study.config.relations
    relational = {key: G for key, G in graphs.items() if key != DECISIONS}

    def with_roles(keep) -> dict[str, nx.Graph]:
        return {key: G for key, G in relational.items() if keep(relations[key].role)}

    chosen, fallback = with_roles(lambda role: role in CONTACT_ROLES), ""
    if relational and not chosen:
        chosen, fallback = with_roles(lambda role: role is None), "in a relation without a role"
    if relational and not chosen:
        chosen, fallback = relational, "in any relation"
    note = ("no relation has a contact role (collaboration, knows, advice or trust): "
            f"members are in touch when tied {fallback}") if fallback else ""
    G = any_tie_graph(study, wave, chosen)
    G.graph.update(relation="contact", label="In touch",
                   in_touch=[relations[key].label for key in chosen], in_touch_note=note)
    return G
