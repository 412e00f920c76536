"""Evidence items of *Cohesion*, read from the collaboration relation, the weaver's
worklist and the perception items: connectedness, collaboration, silos dissolving, not
depending on hubs, and shared vision and solidarity."""

from __future__ import annotations

import networkx as nx

from ..common.wording import counted
from ..config.indicators import IndicatorSettings
from ..measures.structure import fragmentation
from ..results.model import Results
from . import reasons, scoring
from .evidence import EvidenceItem, rule
from .roles import Source, relation_for
from .rule_parts import UNDEFINED, _all_not_measured, _perception, _scored


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
