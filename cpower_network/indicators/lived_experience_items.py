"""Evidence items of *Directed by lived experience*: decision influence, centrality in the
everyday network, voices heard, and being prepared and supported to lead (value received
as partners is in :mod:`.rating_items`)."""

from __future__ import annotations

from ..config.indicators import IndicatorSettings
from ..results.model import Results
from . import reasons, scoring
from .evidence import EvidenceItem, rule
from .roles import relation_for, undirected_note
from .rule_parts import (
    UNDEFINED,
    _all_not_measured,
    _flags,
    _hidden_groups,
    _parity,
    _perception,
    _scored,
)
from .scoring import Component, not_measured


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
