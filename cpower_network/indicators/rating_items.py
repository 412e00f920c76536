"""Evidence items read from the trust and value scores (docs/methods.md §Trust and value
scores): the network's trust score and trust received by lived-experience members (safety
and trust), and value received by lived-experience members (directed by lived
experience). Registered beside the other rules of :mod:`.items`; not measured, with the
reason, when the wave asked no trust or value facet."""

from __future__ import annotations

from ..results import Results
from . import reasons, scoring
from .items import EvidenceItem, _flags, _scored, rule
from .scoring import Component
from .settings import IndicatorSettings

NO_FACETS = ("not asked: no question of this wave rates partners on {score} facets "
             "(facet = … in cpower.toml)")


def _scores(results: Results, score: str):
    """The wave's trust and value scores when ``score`` was asked, else None."""
    ratings = results.wave.ratings
    if ratings is None or score not in ratings.scores.measured:
        return None
    return ratings.scores


def group_parity_component(results: Results, score: str, group: str,
                           label: str) -> Component:
    """The parity of ``score`` received by ``group``, or why it is not measured."""
    scores = _scores(results, score)
    if scores is None:
        return Component(label, None, None, scoring.NOT_ASKED)
    rows = scores.groups[(scores.groups["score"] == score) & (scores.groups["group"] == group)]
    reason = reasons.group(results, group)
    if rows.empty and not reason:
        reason = "nobody in the group was rated"
    value = None if rows.empty else float(rows["parity"].iloc[0])
    return _scored(scoring.parity, label, value, reason=reason)


@rule("trust_score", "safety_trust", "Partners trust each other")
def trust_score(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    label = "Partners trust each other"
    what = "network trust score (mean pair score, share of the maximum)"
    scores = _scores(results, "trust")
    if scores is None:
        return EvidenceItem("trust_score", "safety_trust", label, [
            Component(what, None, None, scoring.NOT_ASKED)])
    network = scores.network["trust"]
    floor = _floor(results)
    component = scoring.on_scale(what, network["share"], floor, 1.0)
    breakdown = {f"trust received: {row['silo']}": float(row["mean"])
                 for _, row in scores.silos[scores.silos["score"] == "trust"].iterrows()
                 if row["mean"] == row["mean"]}
    return EvidenceItem("trust_score", "safety_trust", label, [component], breakdown,
                        notes=[f"{network['pairs']} ratings by {network['raters']} members"])


@rule("valued_partners", "lived_experience", "Lived-experience members valued as partners")
def valued_partners(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    group = settings.lived_experience
    component = group_parity_component(results, "value", group,
                                       "parity of value score received")
    return EvidenceItem("valued_partners", "lived_experience",
                        "Lived-experience members valued as partners", [component],
                        notes=_flags(results, [group], [component]))


def _floor(results: Results) -> float:
    """The lowest share a trust rating can take (e.g. 0.25 on a 1–4 scale): the 0 of
    the score's 0–100 rescaling."""
    return float(results.wave.ratings.floors.get("trust", 0.0))
