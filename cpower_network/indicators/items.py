"""Evidence items: small rule functions, one per row of INDICATORS.md.

Each takes the wave's results and the settings and returns an :class:`EvidenceItem`:
its components (raw value, 0–100 score, how it was scored), a breakdown by group, and
notes. Items whose data do not exist are *not measured* (never zero).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx

from ..measures.diversity import blau_index
from ..measures.structure import fragmentation
from ..results import RelationResult, Results, WaveResult
from ..wording import counted
from . import scoring
from .roles import Source, relation_for, undirected_note
from .scoring import Component
from .settings import IndicatorSettings


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


Rule = Callable[[Results, IndicatorSettings], EvidenceItem]
RULES: list[tuple[str, str, str, Rule]] = []


def rule(key: str, milestone: str, label: str) -> Callable[[Rule], Rule]:
    """Register an evidence rule under its milestone."""

    def register(function: Rule) -> Rule:
        RULES.append((key, milestone, label, function))
        return function

    return register


def _parity(relation: RelationResult | None, group: str, measure: str) -> float | None:
    """The parity of ``group`` on ``measure`` in ``relation`` (None when unknown)."""
    if relation is None:
        return None
    table = relation.parity
    row = table[(table["group"] == group) & (table["measure"] == measure)]
    return float(row["parity"].iloc[0]) if len(row) else None


def _group_note(wave: WaveResult, key: str, small: int) -> list[str]:
    groups = {g.key: g for g in wave.groups}
    if key in groups and groups[key].size < small:
        return [f"{groups[key].label} has {counted(groups[key].size, 'member')}: "
                "read with care"]
    return []


def _perception(results: Results, key: str, milestone: str, label: str, items: list[str],
                *, group: str = "all", settings: IndicatorSettings) -> EvidenceItem:
    """Perception items: the mean answer (of ``group``) rescaled, broken down by group."""
    table = results.wave.perceptions
    components, breakdown = [], {}
    for item in items:
        rows = table[table["item"] == item]
        text = results.study.items.get(item, (item, None))[0]
        chosen = rows[rows["group"] == group]
        if chosen.empty:
            components.append(Component(text, None, None, "not asked"))
            continue
        row = chosen.iloc[0]
        components.append(scoring.on_scale(text, float(row["mean"]) if row["answers"] else None,
                                           float(row["scale_min"]), float(row["scale_max"])))
        for _, other in rows.iterrows():
            breakdown[f"{item}: {other['group']}"] = float(other["mean"])
        le = rows[rows["group"] == settings.lived_experience]
        if not le.empty:
            breakdown[f"{item}: lived-experience gap"] = float(le["gap"].iloc[0])
    return EvidenceItem(key, milestone, label, components, breakdown)


# -- Setting the table ---------------------------------------------------------------

@rule("diversity", "setting_the_table", "Diversity of membership")
def diversity(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    members = results.wave.members
    silos = results.roster.loc[members, "silo"]
    component = scoring.share("Blau index of silos, normalised",
                              blau_index(silos, normalized=True))
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
    if "leader" not in roster or group not in roster or not roster["leader"].any():
        return EvidenceItem("le_leadership", "setting_the_table", label,
                            [Component("leadership roles held", None, None,
                                       "not measured: no leadership roles in the roster")])
    leaders = roster[roster["leader"]]
    leader_share = float(leaders[group].mean())
    membership = float(roster[group].mean())
    ratio = leader_share / membership if membership else None
    return EvidenceItem("le_leadership", "setting_the_table", label,
                        [scoring.parity("share of leadership roles ÷ membership share",
                                        ratio)],
                        {"leadership roles": float(len(leaders)),
                         "share held by lived experience": leader_share,
                         "lived-experience membership share": membership})


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
            noun = who if count == 1 else who + "s"
            verb = "was" if count == 1 else "were"
            notes.append(f"{count} {noun} {verb} not asked about in this wave's grids and "
                         "left out of the mean: their ties are unknown, not absent")
    return notes


@rule("table_perception", "setting_the_table", "Members feel they can take part")
def table_perception(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    return _perception(results, "table_perception", "setting_the_table",
                       "Members feel they can take part", ["take_part", "role_clear"],
                       settings=settings)


# -- Safety and trust ------------------------------------------------------------------

def _not_measured(key: str, milestone: str, label: str, source: Source) -> EvidenceItem:
    """An item whose relation is missing: one component saying why."""
    return EvidenceItem(key, milestone, label, [Component(label, None, None, source.reason)],
                        notes=list(source.notes))


@rule("tie_strength", "safety_trust", "Strength and type of relationships")
def tie_strength(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    label = "Strength and type of relationships"
    source = relation_for(results, settings, "trust")
    trust = source.relation
    if trust is None:
        return _not_measured("tie_strength", "safety_trust", label, source)
    G = trust.graph
    return EvidenceItem("tie_strength", "safety_trust", label, [
        scoring.on_scale("mean trust on its scale", trust.strength.mean,
                         G.graph["scale_min"], G.graph["scale_max"]),
        scoring.share(f"share of ties at {trust.strength.strong_threshold:g} or more",
                      trust.strength.strong_share)], notes=list(source.notes))


@rule("trust_across_silos", "safety_trust", "Relationships across silos")
def trust_across_silos(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    label = "Relationships across silos"
    source = relation_for(results, settings, "trust")
    trust = source.relation
    if trust is None:
        return _not_measured("trust_across_silos", "safety_trust", label, source)
    # The cross-silo share is (1 + E-I) / 2: shown, but scored once, through the E-I.
    return EvidenceItem("trust_across_silos", "safety_trust", label, [
        scoring.against_expected("E-I index of trust", trust.ei.value, trust.ei.expected),
        scoring.against_target("cross-silo ÷ within-silo mean trust",
                               trust.strength.cross_within_ratio, 1.0)],
        {"cross-silo share of trust ties": trust.strength.cross_silo_share,
         "E-I p-value": trust.ei.p_value, "E-I expected at random": trust.ei.expected},
        notes=list(source.notes))


@rule("mutual_trust", "safety_trust", "Mutual trust")
def mutual_trust(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    """Reciprocity of trust; not measured on an undirected trust relation, whose ties
    are mutual by construction (its reciprocity would always be 1)."""
    source = relation_for(results, settings, "trust")
    trust = source.relation
    if trust is None:
        return _not_measured("mutual_trust", "safety_trust", "Mutual trust", source)
    if source.undirected:
        rule_name = trust.graph.graph.get("reciprocity")
        return _not_measured("mutual_trust", "safety_trust", "Mutual trust", Source(
            trust, f"not measured: {trust.key!r} is undirected (reciprocity = "
                   f"\"{rule_name}\" makes every tie mutual); reciprocity needs each "
                   "member's own report: direction = \"directed\"", source.notes))
    return EvidenceItem("mutual_trust", "safety_trust", "Mutual trust",
                        [scoring.share("reciprocity of trust", trust.structure.reciprocity)],
                        notes=list(source.notes))


@rule("trust_reaches_le", "safety_trust", "Trust reaches lived-experience members")
def trust_reaches_le(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    label = "Trust reaches lived-experience members"
    source = relation_for(results, settings, "trust")
    if source.relation is None:
        return _not_measured("trust_reaches_le", "safety_trust", label, source)
    ratio = _parity(source.relation, settings.lived_experience, "in_strength")
    notes = _group_note(results.wave, settings.lived_experience, results.settings.small_group)
    return EvidenceItem("trust_reaches_le", "safety_trust", label,
                        [scoring.parity("parity of trust received", ratio)],
                        notes=notes + source.notes + undirected_note(source,
                                                                     "trust received"))


@rule("safety_perception", "safety_trust", "Members feel safe and trusted")
def safety_perception(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    return _perception(results, "safety_perception", "safety_trust",
                       "Members feel safe and trusted",
                       ["authenticity", "transparency", "open_feedback", "fun"],
                       settings=settings)


# -- Cohesion --------------------------------------------------------------------------

@rule("connectedness", "cohesion", "Connectedness")
def connectedness(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    source = relation_for(results, settings, "collaboration")
    collab = source.relation
    if collab is None:
        return _not_measured("connectedness", "cohesion", "Connectedness", source)
    s = collab.structure
    unasked = list(collab.graph.graph.get("not_asked", ()))
    if unasked:
        found = _connectedness_of_asked(collab.graph, unasked, s.fragmentation)
        found.notes += source.notes
        return found
    # Ties either way connect: directed fragmentation would count non-respondents,
    # who report no ties, as unable to reach anyone.
    either_way = fragmentation(collab.graph.to_undirected(as_view=True))
    return EvidenceItem("connectedness", "cohesion", "Connectedness", [
        scoring.share("share in the largest component", s.largest_component_share),
        scoring.inverse_share("share of isolates", s.isolates / s.n_members
                              if s.n_members else None),
        scoring.inverse_share("fragmentation (ties either way)", either_way)],
        {"isolates": float(s.isolates), "components": float(s.weak_components),
         "fragmentation along reported directions": s.fragmentation},
        notes=list(source.notes))


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
    noun = "member" if len(unasked) == 1 else "members"
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
        notes=[f"{len(unasked)} {noun} not asked about in this wave's grids "
               f"{'is' if len(unasked) == 1 else 'are'} left out of these shares: their "
               "ties are unknown, not absent"])


@rule("collaboration", "cohesion", "Collaboration")
def collaboration(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    """Density and average clustering of collaboration against their targets (density
    over ordered pairs n(n − 1) when directed, over pairs n(n − 1)/2 when undirected)."""
    source = relation_for(results, settings, "collaboration")
    collab = source.relation
    if collab is None:
        return _not_measured("collaboration", "cohesion", "Collaboration", source)
    s = collab.structure
    return EvidenceItem("collaboration", "cohesion", "Collaboration", [
        scoring.against_target("density", s.density, settings.density_target),
        scoring.against_target("average clustering", s.average_clustering,
                               settings.clustering_target)], notes=list(source.notes))


@rule("silos_dissolving", "cohesion", "Silos dissolving")
def silos_dissolving(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    source = relation_for(results, settings, "collaboration")
    collab = source.relation
    if collab is None:
        return _not_measured("silos_dissolving", "cohesion", "Silos dissolving", source)
    c = collab.communities
    silo_q = None if c.attribute_modularity is None else max(0.0, c.attribute_modularity)
    return EvidenceItem("silos_dissolving", "cohesion", "Silos dissolving", [
        scoring.inverse_share("NMI of communities and silos", c.nmi),
        scoring.inverse_share("modularity of the silo partition", silo_q)],
        {"communities found": float(c.count), "community modularity": c.modularity},
        notes=list(source.notes))


@rule("not_hub_dependent", "cohesion", "Not hub-dependent")
def not_hub_dependent(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    source = relation_for(results, settings, "collaboration")
    collab = source.relation
    work = results.wave.worklist
    # Members nobody was asked about are never said to depend on one person.
    n = len(results.wave.members) - len(work.not_asked)
    dependent = len(work.gatekeepers) / n if n else None
    components = [scoring.inverse_share("share of members whose ties run through one "
                                        "person (any relation)", dependent)]
    if collab is not None:
        components.insert(0, scoring.inverse_share("degree centralisation",
                                                    collab.structure.degree_centralization))
    return EvidenceItem("not_hub_dependent", "cohesion", "Not hub-dependent", components,
                        {"articulation points": float(len(work.articulation_points))},
                        notes=list(source.notes))


@rule("cohesion_perception", "cohesion", "Shared vision and solidarity")
def cohesion_perception(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    return _perception(results, "cohesion_perception", "cohesion",
                       "Shared vision and solidarity",
                       ["shared_vision", "mutual_support", "flexibility"], settings=settings)


# -- Financing -------------------------------------------------------------------------

@rule("resources_reach", "financing", "Resources reach grassroots and lived experience")
def resources_reach(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    label = "Resources reach grassroots and lived experience"
    source = relation_for(results, settings, "resources")
    if source.relation is None:
        return _not_measured("resources_reach", "financing", label, source)
    components = [scoring.parity(f"parity of resources received: {g}",
                                 _parity(source.relation, g, "in_strength"))
                  for g in (settings.grassroots, settings.lived_experience)]
    return EvidenceItem("resources_reach", "financing", label, components,
                        notes=source.notes + undirected_note(source, "resources received"))


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
    ratio = (float(parity.at[settings.lived_experience, "parity"])
             if settings.lived_experience in parity.index else None)
    breakdown = {f"decision parity: {g}": float(p) for g, p in parity["parity"].items()}
    return EvidenceItem("decision_influence", "lived_experience", label, [
        scoring.parity("decision parity of lived-experience members", ratio),
        scoring.inverse_share("Gini of influence", decisions.gini)], breakdown,
        notes=_group_note(results.wave, settings.lived_experience,
                          results.settings.small_group))


@rule("le_central", "lived_experience", "Central in the everyday network")
def le_central(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    """Parity of PageRank and in-degree (degree, when undirected) of lived-experience
    members in the advice and collaboration relations."""
    sources = [relation_for(results, settings, role) for role in ("advice", "collaboration")]
    components, notes = [], []
    for source in sources:
        notes += source.notes + undirected_note(source, "in_degree")
        for measure in ("pagerank", "in_degree"):
            ratio = _parity(source.relation, settings.lived_experience, measure)
            if ratio is not None:
                components.append(scoring.parity(f"{source.key}: parity of {measure}",
                                                 ratio))
    if not components:
        reasons = [s.reason.removeprefix("not measured: ") for s in sources if s.reason]
        components = [Component("parity in advice and collaboration", None, None,
                                "not measured: " + "; ".join(reasons or ["no ties"]))]
    return EvidenceItem("le_central", "lived_experience", "Central in the everyday network",
                        components, notes=notes)


@rule("voices_heard", "lived_experience", "Voices heard")
def voices_heard(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    decisions = results.wave.decisions
    group = settings.lived_experience
    if decisions is None or group not in decisions.voice.index or \
            not decisions.voice.at[group, "answers"]:
        return EvidenceItem("voices_heard", "lived_experience", "Voices heard", [Component(
            "my input shaped the outcome", None, None,
            "not measured: no 'my input shaped the outcome' answers")])
    low, high = decisions.voice_scale
    row = decisions.voice.loc[group]
    return EvidenceItem("voices_heard", "lived_experience", "Voices heard", [
        scoring.on_scale("lived-experience members: my input shaped the outcome",
                         float(row["mean"]), low, high),
        scoring.gap("voice gap (lived experience − others)", float(row["gap"]), high - low)],
        {f"voice: {g}": float(v) for g, v in decisions.voice["mean"].items()})


@rule("prepared_to_lead", "lived_experience", "Prepared and supported to lead")
def prepared_to_lead(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    return _perception(results, "prepared_to_lead", "lived_experience",
                       "Prepared and supported to lead",
                       ["prepared_to_lead", "supported_to_lead"],
                       group=settings.lived_experience, settings=settings)


ITEM_KEYS = [key for key, _milestone, _label, _rule in RULES]
