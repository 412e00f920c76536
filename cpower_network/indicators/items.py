"""Evidence items: small rule functions, one per evidence item of docs/methods.md
§Indicators.

Each takes the wave's results and the settings and returns an :class:`EvidenceItem`:
its components (raw value, 0–100 score, how it was scored), a breakdown by group, and
notes. Items whose data do not exist, or on which the measure is undefined or meaningless
(no ties, one silo, a group too small, a centrality that does not vary: see
:mod:`cpower_network.indicators.reasons`), are *not measured*, with their reason (never
zero, never a score).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx
import pandas as pd

from ..common.wording import counted
from ..config.indicators import ITEM_KEYS, IndicatorSettings
from ..measures.diversity import blau_index
from ..measures.structure import fragmentation
from ..results.model import RelationResult, Results
from . import reasons, scoring
from .roles import Source, relation_for, undirected_note
from .scoring import Component, not_measured


@dataclass
class EvidenceItem:
    """One piece of evidence for an indicator."""

    key: str
    milestone: str
    label: str
    components: list[Component]
    breakdown: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    weight: float = 1.0

    @property
    def score(self) -> float | None:
        return scoring.mean_score(self.components)

    @property
    def measured(self) -> bool:
        return self.score is not None

    @property
    def not_measured(self) -> str | None:
        """Why the item is not measured (its components' reasons), None when it is."""
        return None if self.measured else scoring.why_not_measured(self.components)


Rule = Callable[[Results, IndicatorSettings], EvidenceItem]
RULES: list[tuple[str, str, str, Rule]] = []


def rule(key: str, milestone: str, label: str, *, role: str | None = None,
         received: str | None = None) -> Callable[[Callable[..., EvidenceItem]], Rule]:
    """Register an evidence rule under its milestone.

    With ``role``, the rule reads the relation playing that role (:func:`relation_for`)
    and is called as ``function(results, settings, source)`` only when there is one;
    without one, the item is not measured and says why. The item's notes then end with
    those on the choice of relation and, when ``received`` is given and the relation is
    undirected, on what ``received`` counts (:func:`undirected_note`).
    """

    def register(function: Callable[..., EvidenceItem]) -> Rule:
        if role is not None:
            function = _reading(role, key, milestone, label, received, function)
        RULES.append((key, milestone, label, function))
        return function

    return register


def _reading(role: str, key: str, milestone: str, label: str, received: str | None,
             function: Callable[[Results, IndicatorSettings, Source], EvidenceItem]) -> Rule:
    """``function`` as a rule reading the relation playing ``role`` (see :func:`rule`)."""

    @functools.wraps(function)
    def run(results: Results, settings: IndicatorSettings) -> EvidenceItem:
        source = relation_for(results, settings, role)
        if source.relation is None:
            found = EvidenceItem(key, milestone, label,
                                 [Component(label, None, None, source.reason)])
        else:
            found = function(results, settings, source)
        found.notes = found.notes + source.notes + (
            undirected_note(source, received) if received else [])
        return found

    return run


UNDEFINED = "undefined on these data"


def _parity_row(relation: RelationResult, group: str,
                measure: str) -> tuple[float | None, int | None]:
    """The parity of ``group`` on ``measure`` in ``relation`` and the group's size there
    (None, None when the table has no such row)."""
    table = relation.parity
    row = table[(table["group"] == group) & (table["measure"] == measure)]
    if not len(row):
        return None, None
    size = int(row["group_size"].iloc[0]) if "group_size" in row else None
    return float(row["parity"].iloc[0]), size


def _parity(results: Results, relation: RelationResult, group: str, measure: str,
            label: str) -> Component:
    """The parity ratio of ``group`` on ``measure``, or why it is not measured."""
    value, size = _parity_row(relation, group, measure)
    reason = reasons.parity(results, relation, group, measure, size)
    if reason or value is None or scoring.missing(value):
        return not_measured(label, reason or UNDEFINED)
    return scoring.parity(label, value)


def rating_scores(results: Results, score: str):
    """The wave's trust and value scores when ``score`` ("trust" or "value") was asked,
    else None."""
    ratings = results.wave.ratings
    if ratings is None or score not in ratings.scores.measured:
        return None
    return ratings.scores


def score_parity(results: Results, score: str, group: str, label: str) -> Component:
    """The parity of ``score`` received by ``group``, or why it is not measured."""
    scores = rating_scores(results, score)
    if scores is None:
        return Component(label, None, None, scoring.NOT_ASKED)
    rows = scores.groups[(scores.groups["score"] == score) & (scores.groups["group"] == group)]
    reason = reasons.group(results, group)
    if rows.empty and not reason:
        reason = "nobody in the group was rated"
    value = None if rows.empty else float(rows["parity"].iloc[0])
    return _scored(scoring.parity, label, value, reason=reason)


def _scored(rule: Callable[..., Component], label: str, value: float | None, *args: float,
            reason: str | None = None) -> Component:
    """``rule(label, value, *args)``, or not measured because of ``reason`` (or because
    the value is undefined)."""
    if reason or scoring.missing(value):
        return not_measured(label, reason or UNDEFINED)
    return rule(label, value, *args)


def _flags(results: Results, groups: list[str], components: list[Component]) -> list[str]:
    """"read with care" notes for the small groups whose figures were measured
    (``components[i]`` is read for ``groups[i]``; one component stands for them all)."""
    if len(components) == 1:
        components = components * len(groups)
    measured = [g for g, c in zip(groups, components, strict=True) if c.score is not None]
    return reasons.group_notes(results, measured)


def _all_not_measured(labels: list[str], reason: str) -> list[Component]:
    return [not_measured(label, reason) for label in labels]


def _hidden_groups(results: Results) -> dict[str, str]:
    """Focus groups too small to show on their own -> why."""
    found = {}
    for group in results.wave.groups[1:]:
        reason = reasons.group(results, group.key)
        if reason:
            found[group.key] = reason
    return found


def _perception(results: Results, key: str, milestone: str, label: str, items: list[str],
                *, group: str = "all", settings: IndicatorSettings) -> EvidenceItem:
    """Perception items: the mean answer (of ``group``) rescaled, broken down by group
    (groups too small to measure left out of the breakdown, with a note)."""
    table = results.wave.perceptions
    hidden = _hidden_groups(results)
    reason = None if group == "all" else reasons.group(results, group)
    components, breakdown = [], {}
    for item in items:
        rows = table[table["item"] == item]
        text = results.study.items.get(item, (item, None))[0]
        chosen = rows[rows["group"] == group]
        if chosen.empty and (reason is None or rows.empty):
            components.append(Component(text, None, None, scoring.NOT_ASKED))
            continue
        components.append(not_measured(text, reason) if reason
                          else _on_scale(text, chosen.iloc[0]))
        breakdown.update(_perception_breakdown(item, rows, hidden, settings))
    notes = []
    if breakdown:
        shown = [g.key for g in results.wave.groups[1:] if g.key not in hidden]
        notes = [f"left out of the breakdown: {why}" for why in hidden.values()]
        notes += reasons.group_notes(results, shown)
    return EvidenceItem(key, milestone, label, components, breakdown, notes=notes)


def _on_scale(text: str, row: pd.Series) -> Component:
    """One perception item's mean answer on its scale (not measured: nobody answered)."""
    if not row["answers"]:
        return not_measured(text, "nobody answered")
    return scoring.on_scale(text, float(row["mean"]), float(row["scale_min"]),
                            float(row["scale_max"]))


def _perception_breakdown(item: str, rows: pd.DataFrame, hidden: dict[str, str],
                          settings: IndicatorSettings) -> dict[str, float]:
    """Each shown group's mean answer to ``item``, and the lived-experience gap."""
    found = {f"{item}: {row['group']}": float(row["mean"])
             for _, row in rows.iterrows() if row["group"] not in hidden}
    le = rows[rows["group"] == settings.lived_experience]
    if not le.empty and settings.lived_experience not in hidden:
        found[f"{item}: lived-experience gap"] = float(le["gap"].iloc[0])
    return found


# -- Setting the table ---------------------------------------------------------------

@rule("diversity", "setting_the_table", "Diversity of membership")
def diversity(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    members = results.wave.members
    silos = results.roster.loc[members, "silo"]
    # Normalised by its maximum 1 − 1/K, the Blau index is 0/0 with one silo.
    component = _scored(scoring.share, "Blau index of silos, normalised",
                        blau_index(silos, normalized=True), reason=reasons.one_silo(results))
    breakdown = {}
    for group in results.wave.groups[1:]:
        breakdown[f"share of {group.label.lower()} members"] = group.size / len(members)
    return EvidenceItem("diversity", "setting_the_table", "Diversity of membership",
                        [component], breakdown)


@rule("le_leadership", "setting_the_table", "Lived experience in leadership")
def le_leadership(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    roster = results.roster.loc[results.wave.members]
    label = "Lived experience in leadership"
    group = settings.lived_experience
    if "leader" not in roster or not roster["leader"].any():
        return EvidenceItem("le_leadership", "setting_the_table", label,
                            [Component("leadership roles held", None, None,
                                       "not measured: no leadership roles in the roster")])
    what = "share of leadership roles ÷ membership share"
    leaders = roster[roster["leader"]]
    # The group's reason first: without the group, a roster column of that name (kept
    # as text) is not its membership.
    reason = reasons.group(results, group) or (
        None if group in roster else f"no {group!r} column in the roster")
    if reason:
        return EvidenceItem("le_leadership", "setting_the_table", label,
                            [not_measured(what, reason)],
                            {"leadership roles": float(len(leaders))})
    leader_share = float(leaders[group].mean())
    membership = float(roster[group].mean())
    ratio = leader_share / membership if membership else None
    return EvidenceItem("le_leadership", "setting_the_table", label,
                        [_scored(scoring.parity, what, ratio)],
                        {"leadership roles": float(len(leaders)),
                         "share held by lived experience": leader_share,
                         "lived-experience membership share": membership},
                        notes=reasons.group_notes(results, [group]))


@rule("newcomers", "setting_the_table", "Newcomers welcomed")
def newcomers(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    degree = results.wave.newcomer_degree
    label = "Newcomers welcomed"
    what = "newcomers' contacts ÷ returning members'"
    reason = _newcomers_unmeasured(degree)
    if reason:
        return EvidenceItem("newcomers", "setting_the_table", label,
                            [Component(what, None, None, reason)])
    ratio = degree["newcomers"] / degree["returning"] if degree["returning"] else None
    return EvidenceItem("newcomers", "setting_the_table", label,
                        [scoring.against_target("newcomers' mean contacts ÷ returning "
                                                "members'", ratio, 1.0)],
                        {k: float(v) for k, v in degree.items()},
                        notes=_newcomers_left_out(degree))


def _newcomers_unmeasured(degree: dict[str, float]) -> str | None:
    """Why the newcomers' contacts cannot be measured, or None when they can."""
    if not degree:
        return "not measured: needs a previous wave"
    if degree.get("newcomer_count"):
        return None
    unasked = int(degree.get("newcomers_not_asked", 0))
    if unasked:
        return (f"not measured: the newcomers ({unasked}) were not asked about in this "
                "wave's grids")
    return "not measured: no newcomers this wave"


def _newcomers_left_out(degree: dict[str, float]) -> list[str]:
    """Notes on members left out of the means because nobody was asked about them."""
    notes = []
    for key, who in (("newcomers_not_asked", "newcomer"),
                     ("returning_not_asked", "returning member")):
        count = int(degree.get(key, 0))
        if count:
            notes.append(f"{counted(count, who)} {'was' if count == 1 else 'were'} not "
                         "asked about in this wave's grids and left out of the mean: their "
                         "ties are unknown, not absent")
    return notes


@rule("table_perception", "setting_the_table", "Members feel they can take part")
def table_perception(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    return _perception(results, "table_perception", "setting_the_table",
                       "Members feel they can take part", ["take_part", "role_clear"],
                       settings=settings)


# -- Safety and trust ------------------------------------------------------------------

@rule("tie_strength", "safety_trust", "Strength and type of relationships", role="trust")
def tie_strength(results: Results, settings: IndicatorSettings,
                 source: Source) -> EvidenceItem:
    label = "Strength and type of relationships"
    trust = source.relation
    G = trust.graph
    mean = "mean trust on its scale"
    strong = f"share of ties at {trust.strength.strong_threshold:g} or more"
    reason = reasons.no_ties(trust)
    if reason:
        return EvidenceItem("tie_strength", "safety_trust", label,
                            _all_not_measured([mean, strong], reason))
    return EvidenceItem("tie_strength", "safety_trust", label, [
        scoring.on_scale(mean, trust.strength.mean, G.graph["scale_min"],
                         G.graph["scale_max"]),
        _scored(scoring.share, strong, trust.strength.strong_share)])


@rule("trust_across_silos", "safety_trust", "Relationships across silos", role="trust")
def trust_across_silos(results: Results, settings: IndicatorSettings,
                       source: Source) -> EvidenceItem:
    label = "Relationships across silos"
    trust = source.relation
    ei, ratio = "E-I index of trust", "cross-silo ÷ within-silo mean trust"
    reason = reasons.no_ties(trust) or reasons.one_silo(results)
    if reason:
        return EvidenceItem("trust_across_silos", "safety_trust", label,
                            _all_not_measured([ei, ratio], reason))
    # The cross-silo share is (1 + E-I) / 2: shown, but scored once, through the E-I.
    strength = trust.strength
    return EvidenceItem("trust_across_silos", "safety_trust", label, [
        scoring.against_expected(ei, trust.ei.value, trust.ei.expected),
        _scored(scoring.against_target, ratio, strength.cross_within_ratio, 1.0,
                reason=_one_sided(strength.cross_silo_share))],
        {"cross-silo share of trust ties": strength.cross_silo_share,
         "E-I p-value": trust.ei.p_value, "E-I expected at random": trust.ei.expected})


def _one_sided(cross_share: float) -> str | None:
    """Why cross-silo ÷ within-silo strength is undefined: ties on one side only."""
    if cross_share == 0:
        return "no cross-silo ties"
    return "no within-silo ties" if cross_share == 1 else None


@rule("mutual_trust", "safety_trust", "Mutual trust", role="trust")
def mutual_trust(results: Results, settings: IndicatorSettings,
                 source: Source) -> EvidenceItem:
    """Reciprocity of trust; not measured on an undirected trust relation, whose ties
    are mutual by construction (its reciprocity would always be 1)."""
    trust = source.relation
    if source.undirected:
        rule_name = trust.graph.graph.get("reciprocity")
        return EvidenceItem("mutual_trust", "safety_trust", "Mutual trust", [not_measured(
            "Mutual trust", f"{trust.key!r} is undirected (reciprocity = \"{rule_name}\" "
            "makes every tie mutual); reciprocity needs each member's own report: "
            "direction = \"directed\"")])
    return EvidenceItem("mutual_trust", "safety_trust", "Mutual trust",
                        [_scored(scoring.share, "reciprocity of trust",
                                 trust.structure.reciprocity, reason=reasons.no_ties(trust))])


@rule("trust_reaches_le", "safety_trust", "Trust reaches lived-experience members",
      role="trust", received="trust received")
def trust_reaches_le(results: Results, settings: IndicatorSettings,
                     source: Source) -> EvidenceItem:
    group = settings.lived_experience
    components = [_parity(results, source.relation, group, "in_strength",
                          "parity of trust received")]
    rated = score_parity(results, "trust", group, "parity of trust score received")
    if rated.how != scoring.NOT_ASKED:  # only studies that rate partners' trust
        components.append(rated)
    return EvidenceItem("trust_reaches_le", "safety_trust",
                        "Trust reaches lived-experience members", components,
                        notes=_flags(results, [group], components[:1]))


@rule("safety_perception", "safety_trust", "Members feel safe and trusted")
def safety_perception(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    return _perception(results, "safety_perception", "safety_trust",
                       "Members feel safe and trusted",
                       ["authenticity", "transparency", "open_feedback", "fun"],
                       settings=settings)


# -- Cohesion --------------------------------------------------------------------------

@rule("connectedness", "cohesion", "Connectedness", role="collaboration")
def connectedness(results: Results, settings: IndicatorSettings,
                  source: Source) -> EvidenceItem:
    collab = source.relation
    s = collab.structure
    reason = reasons.no_ties(collab)
    if reason:
        return EvidenceItem("connectedness", "cohesion", "Connectedness", _all_not_measured(
            ["share in the largest component", "share of isolates",
             "fragmentation (ties either way)"], reason))
    unasked = list(collab.graph.graph.get("not_asked", ()))
    if unasked:
        return _connectedness_of_asked(collab.graph, unasked, s.fragmentation)
    # Ties either way connect: directed fragmentation would count non-respondents,
    # who report no ties, as unable to reach anyone.
    either_way = fragmentation(collab.graph.to_undirected(as_view=True))
    return EvidenceItem("connectedness", "cohesion", "Connectedness", [
        scoring.share("share in the largest component", s.largest_component_share),
        scoring.inverse_share("share of isolates", s.isolates / s.n_members
                              if s.n_members else None),
        scoring.inverse_share("fragmentation (ties either way)", either_way)],
        {"isolates": float(s.isolates), "components": float(s.weak_components),
         "fragmentation along reported directions": s.fragmentation})


def _connectedness_of_asked(G: nx.Graph, unasked: list[str],
                            directed: float) -> EvidenceItem:
    """Connectedness read among the members someone was asked about.

    Members nobody was asked about may have ties nobody could report: they are neither
    isolates nor cut off, so every share counts asked members only (components are
    those of the whole graph: an unasked member's reported ties still connect others).
    """
    U = G.to_undirected(as_view=True)
    skip = set(unasked)
    asked = [v for v in U if v not in skip]
    sizes = sorted((len(c - skip) for c in nx.connected_components(U)), reverse=True)
    n = len(asked)
    isolates = sum(1 for v in asked if U.degree(v) == 0)
    pairs = n * (n - 1)
    reached = sum(k * (k - 1) for k in sizes)
    return EvidenceItem("connectedness", "cohesion", "Connectedness", [
        scoring.share("share in the largest component (members asked about)",
                      sizes[0] / n if n and sizes else None),
        scoring.inverse_share("share of isolates (members asked about)",
                              isolates / n if n else None),
        scoring.inverse_share("fragmentation (ties either way, members asked about)",
                              1 - reached / pairs if pairs else None)],
        {"isolates": float(isolates), "components": float(sum(1 for k in sizes if k)),
         "fragmentation along reported directions": directed,
         "members not asked about": float(len(unasked))},
        notes=[f"{counted(len(unasked), 'member')} not asked about in this wave's grids "
               f"{'is' if len(unasked) == 1 else 'are'} left out of these shares: their "
               "ties are unknown, not absent"])


@rule("collaboration", "cohesion", "Collaboration", role="collaboration")
def collaboration(results: Results, settings: IndicatorSettings,
                  source: Source) -> EvidenceItem:
    """Density and average clustering of collaboration against their targets (density
    over ordered pairs n(n − 1) when directed, over pairs n(n − 1)/2 when undirected)."""
    collab = source.relation
    s = collab.structure
    reason = reasons.no_ties(collab)
    return EvidenceItem("collaboration", "cohesion", "Collaboration", [
        _scored(scoring.against_target, "density", s.density, settings.density_target,
                reason=reason),
        _scored(scoring.against_target, "average clustering", s.average_clustering,
                settings.clustering_target, reason=reason)])


@rule("silos_dissolving", "cohesion", "Silos dissolving", role="collaboration")
def silos_dissolving(results: Results, settings: IndicatorSettings,
                     source: Source) -> EvidenceItem:
    collab = source.relation
    c = collab.communities
    reason = reasons.no_ties(collab) or reasons.one_silo(results)
    silo_q = c.attribute_modularity
    silo_q = silo_q if scoring.missing(silo_q) else max(0.0, silo_q)
    ami = getattr(c, "ami", None)
    ami = ami if scoring.missing(ami) else max(0.0, ami)
    ami_reason = reason or (_ami_reason(c) if scoring.missing(ami) else None)
    breakdown = {} if reason else {"communities found": float(c.count),
                                   "community modularity": c.modularity}
    return EvidenceItem("silos_dissolving", "cohesion", "Silos dissolving", [
        _scored(scoring.inverse_share, "adjusted mutual information (AMI) of communities "
                "and silos", ami, reason=ami_reason),
        _scored(scoring.inverse_share, "modularity of the silo partition", silo_q,
                reason=reason)], breakdown)


def _ami_reason(c: object) -> str:
    """Why the communities' AMI with silos is missing (the measure's own reason)."""
    if not hasattr(c, "ami"):
        return "AMI of communities and silos not computed"
    return getattr(c, "not_measured", None) or UNDEFINED


@rule("not_hub_dependent", "cohesion", "Not hub-dependent")
def not_hub_dependent(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    source = relation_for(results, settings, "collaboration")
    collab = source.relation
    work = results.wave.worklist
    # Members nobody was asked about are never said to depend on one person.
    n = len(results.wave.members) - len(work.not_asked)
    dependent = len(work.gatekeepers) / n if n else None
    anywhere = None if reasons.has_ties(results.wave.combined) else reasons.NO_TIES_ANYWHERE
    components = [_scored(scoring.inverse_share, "share of members whose ties run "
                          "through one person (any relation)", dependent,
                          reason=anywhere or (None if n else "nobody was asked about"))]
    if collab is not None:
        components.insert(0, _scored(scoring.inverse_share, "degree centralisation",
                                     collab.structure.degree_centralization,
                                     reason=reasons.no_ties(collab)))
    breakdown = {} if anywhere else {"articulation points":
                                     float(len(work.articulation_points))}
    return EvidenceItem("not_hub_dependent", "cohesion", "Not hub-dependent", components,
                        breakdown, notes=list(source.notes))


@rule("cohesion_perception", "cohesion", "Shared vision and solidarity")
def cohesion_perception(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    return _perception(results, "cohesion_perception", "cohesion",
                       "Shared vision and solidarity",
                       ["shared_vision", "mutual_support", "flexibility"], settings=settings)


# -- Financing -------------------------------------------------------------------------

@rule("resources_reach", "financing", "Resources reach grassroots and lived experience",
      role="resources", received="resources received")
def resources_reach(results: Results, settings: IndicatorSettings,
                    source: Source) -> EvidenceItem:
    groups = [settings.grassroots, settings.lived_experience]
    components = [_parity(results, source.relation, g, "in_strength",
                          f"parity of resources received: {g}") for g in groups]
    return EvidenceItem("resources_reach", "financing",
                        "Resources reach grassroots and lived experience", components,
                        notes=_flags(results, groups, components))


@rule("funds_agreement", "financing", "Agreement on how funds were distributed")
def funds_agreement(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    return _perception(results, "funds_agreement", "financing",
                       "Agreement on how funds were distributed", ["funds_agreement"],
                       settings=settings)


# -- Directed by lived experience ------------------------------------------------------

@rule("decision_influence", "lived_experience", "Decision influence")
def decision_influence(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    decisions = results.wave.decisions
    label = "Decision influence"
    if decisions is None:
        return EvidenceItem("decision_influence", "lived_experience", label, [Component(
            label, None, None, "not measured: no decision survey in this wave")])
    parity = decisions.parity
    group = settings.lived_experience
    nobody = None if decisions.scores["named"].sum() > 0 else reasons.NOBODY_NAMED
    hidden = _hidden_groups(results)
    ratio = float(parity.at[group, "parity"]) if group in parity.index else None
    reason = (reasons.group(results, group) or nobody
              or reasons.does_not_vary(decisions.scores["named"], "named"))
    breakdown = {} if nobody else {f"decision parity: {g}": float(p)
                                   for g, p in parity["parity"].items() if g not in hidden}
    share = _scored(scoring.parity, "decision parity of lived-experience members", ratio,
                    reason=reason)
    return EvidenceItem("decision_influence", "lived_experience", label, [
        share, _scored(scoring.inverse_share, "Gini of influence", decisions.gini,
                       reason=nobody)], breakdown, notes=_flags(results, [group], [share]))


@rule("le_central", "lived_experience", "Central in the everyday network")
def le_central(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    """Parity of PageRank and in-degree (degree, when undirected) of lived-experience
    members in the advice and collaboration relations."""
    sources = [relation_for(results, settings, role) for role in ("advice", "collaboration")]
    group = settings.lived_experience
    components, notes = [], []
    for source in sources:
        notes += source.notes + undirected_note(source, "in_degree")
        if source.relation is None:
            continue
        for measure in ("pagerank", "in_degree"):
            components.append(_parity(results, source.relation, group, measure,
                                      f"{source.key}: parity of {measure}"))
    what = "parity in advice and collaboration"
    too_small = reasons.group(results, group)
    if not components:
        found = [s.reason.removeprefix("not measured: ") for s in sources if s.reason]
        components = [not_measured(what, "; ".join(found) or UNDEFINED)]
    elif too_small:
        components = [not_measured(what, too_small)]
    if any(c.score is not None for c in components):
        notes += reasons.group_notes(results, [group])
    return EvidenceItem("le_central", "lived_experience", "Central in the everyday network",
                        components, notes=notes)


@rule("voices_heard", "lived_experience", "Voices heard")
def voices_heard(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    decisions = results.wave.decisions
    group = settings.lived_experience
    voice = "lived-experience members: my input shaped the outcome"
    gap = "voice gap (lived experience − others)"
    reason = reasons.group(results, group)
    if reason and decisions is not None and not scoring.missing(decisions.voice_scale[1]) \
            and group not in decisions.voice.index:
        # The question was asked, but the group does not exist (or was left out).
        return EvidenceItem("voices_heard", "lived_experience", "Voices heard",
                            _all_not_measured([voice, gap], reason))
    if decisions is None or group not in decisions.voice.index or \
            not decisions.voice.at[group, "answers"]:
        return EvidenceItem("voices_heard", "lived_experience", "Voices heard", [Component(
            "my input shaped the outcome", None, None,
            "not measured: no 'my input shaped the outcome' answers")])
    if reason:
        return EvidenceItem("voices_heard", "lived_experience", "Voices heard",
                            _all_not_measured([voice, gap], reason))
    low, high = decisions.voice_scale
    row = decisions.voice.loc[group]
    hidden = _hidden_groups(results)
    return EvidenceItem("voices_heard", "lived_experience", "Voices heard", [
        scoring.on_scale(voice, float(row["mean"]), low, high),
        scoring.gap(gap, float(row["gap"]), high - low)],
        {f"voice: {g}": float(v) for g, v in decisions.voice["mean"].items()
         if g not in hidden}, notes=reasons.group_notes(results, [group]))


@rule("prepared_to_lead", "lived_experience", "Prepared and supported to lead")
def prepared_to_lead(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    return _perception(results, "prepared_to_lead", "lived_experience",
                       "Prepared and supported to lead",
                       ["prepared_to_lead", "supported_to_lead"],
                       group=settings.lived_experience, settings=settings)


from . import rating_items  # noqa: E402,F401  (registers the trust and value items)

if [key for key, _milestone, _label, _rule in RULES] != ITEM_KEYS:   # a rule added or renamed
    raise RuntimeError("indicators/items.py's rules and ITEM_KEYS in indicators/settings.py "
                       "disagree: add or rename the key in both")
