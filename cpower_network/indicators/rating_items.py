"""Evidence items read from the trust and value scores (docs/methods.md §Trust and value
scores): the network's trust score and trust received by lived-experience members (safety
and trust), and value received by lived-experience members (directed by lived
experience). Registered beside the other rules of :mod:`.items`; not measured, with the
reason, when the wave asked no trust or value facet."""

from __future__ import annotations

from ..config.indicators import IndicatorSettings
from ..results.model import Results
from . import scoring
from .evidence import EvidenceItem, rule
from .rule_parts import _flags, rating_scores, score_parity
from .scoring import Component


@rule("trust_score", "safety_trust", "Partners trust each other")
def trust_score(results: Results, settings: IndicatorSettings) -> EvidenceItem:
    label = "Partners trust each other"
    what = "network trust score (mean pair score, share of the maximum)"
    scores = rating_scores(results, "trust")
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
    component = score_parity(results, "value", group, "parity of value score received")
    return EvidenceItem("valued_partners", "lived_experience",
                        "Lived-experience members valued as partners", [component],
                        notes=_flags(results, [group], [component]))


def _floor(results: Results) -> float:
    """The lowest share a trust rating can take (e.g. 0.25 on a 1–4 scale): the 0 of
    the score's 0–100 rescaling."""
    return float(results.wave.ratings.floors.get("trust", 0.0))
