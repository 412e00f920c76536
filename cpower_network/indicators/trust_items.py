"""Evidence items of *Safety and trust*, read from the trust relation and the perception
items: strength of ties, trust across silos, mutual trust, trust reaching lived-experience
members, and whether members feel safe and trusted (the trust score itself is in
:mod:`.rating_items`)."""

from __future__ import annotations

from ..config.indicators import IndicatorSettings
from ..results.model import Results
from . import reasons, scoring
from .evidence import EvidenceItem, rule
from .roles import Source
from .rule_parts import (
    _all_not_measured,
    _flags,
    _parity,
    _perception,
    _scored,
    score_parity,
)
from .scoring import not_measured


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
