"""Trust and value scores and dyadic agreement of one wave of a study (docs/methods.md
§Trust and value scores, §Dyadic agreement): reads the wave's rated answers and hands them
to :mod:`cpower_network.measures.trust_value` and :mod:`cpower_network.measures.agreement`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..config.groups import thresholds
from ..config.settings import AnalysisSettings
from ..ingest import Study
from ..measures.agreement import dyadic_agreement
from ..measures.inference import MIN_DRAWS
from ..measures.trust_value import SCORES, TrustValue, facet_ratings, trust_value_scores

__all__ = ["Ratings", "wave_ratings"]


@dataclass
class Ratings:
    """Trust and value scores and dyadic agreement of one wave.

    Attributes
    ----------
    scores : TrustValue
        See :class:`~cpower_network.measures.trust_value.TrustValue`.
    agreement : DataFrame
        Per rated measure: ``measure, label, pairs, icc, mean_difference, disagree,
        range, low`` (see :func:`~cpower_network.measures.agreement.dyadic_agreement`);
        ``label`` is the relation's label, or "Trust score" / "Value score".
    disagreements : DataFrame
        ``measure, member, partner, rating, rating_back, difference``: the pairs whose
        two ratings of each other differ by at least half the scale's range.
    units : dict
        Measure -> "share" (trust and value: a share of the scale's maximum) or the
        relation's scale name (ratings in its points).
    floors : dict
        Score -> the lowest share a rating can take (lowest ÷ highest value of the scale,
        e.g. 0.25 on a 1–4 scale): where a score's range starts.
    """

    scores: TrustValue
    agreement: pd.DataFrame
    disagreements: pd.DataFrame
    units: dict[str, str] = field(default_factory=dict)
    floors: dict[str, float] = field(default_factory=dict)

    @property
    def asked(self) -> bool:
        """Whether the wave asked any trust or value facet."""
        return bool(self.scores.measured)


def wave_ratings(study: Study, wave: str, *, settings: AnalysisSettings,
                 seed: int | None) -> Ratings:
    """Trust and value scores of ``wave`` and its dyadic agreement.

    Parameters
    ----------
    study : Study
    wave : str
    settings : AnalysisSettings
        ``permutations`` (None: :data:`MIN_DRAWS`) for the focus-group tests.
    seed : int, optional

    Returns
    -------
    Ratings

    Examples
    --------
    >>> import cpower_network as cp
    >>> study = cp.load_study(cp.example_study_path())
    >>> found = wave_ratings(study, "2025", settings=study.config.analysis, seed=1)
    >>> found.scores.measured
    ['trust', 'value']
    """
    data = study.wave(wave)
    config = study.config
    ties = data.ties
    relations = [r for r in config.relations if r in set(ties["relation"])]
    top = {r: max(config.relation_scale(r).values) for r in relations}
    low = {r: min(config.relation_scale(r).values) for r in relations}
    ratings = facet_ratings(ties, top)
    score_relations = {score: set(ties.loc[ties["facet"].isin(facets), "relation"])
                       for score, facets in SCORES.items()}
    roster = study.roster
    groups = study.focus_group_members(data.members)
    draws = settings.permutations if settings.permutations is not None else MIN_DRAWS
    _small, suppress = thresholds(settings)
    scores = trust_value_scores(
        ratings, data.members, roster["silo"].to_dict(), groups,
        scale_max=_shared_scale_max(score_relations, top), permutations=draws, seed=seed,
        withhold_below=suppress)
    measured, ranges, units, labels = _agreement_inputs(study, ties, relations, top, low,
                                                        scores, score_relations)
    relations_rated = [m for m in measured if units.get(m) != "share"]
    summary, pairs = dyadic_agreement(measured, ranges, data.members,
                                      require_tie=relations_rated)
    summary.insert(1, "label", summary["measure"].map(labels))
    floors = {score: ranges[score][0] for score in scores.measured}
    return Ratings(scores, summary, pairs, units, floors)


def _shared_scale_max(score_relations: dict[str, set[str]],
                      top: dict[str, float]) -> dict[str, float | None]:
    """Score -> the scale maximum of its facets' relations when they share one."""
    found: dict[str, float | None] = {}
    for score, relations in score_relations.items():
        tops = {top[r] for r in relations}
        found[score] = tops.pop() if len(tops) == 1 else None
    return found


def _agreement_inputs(study: Study, ties: pd.DataFrame, relations: list[str],
                      top: dict[str, float], low: dict[str, float], scores: TrustValue,
                      score_relations: dict[str, set[str]]):
    """The rated measures of the wave: relations answered on a scale whose questions
    measure no facet (e.g. how often two members work together), then the trust and
    value scores (pair scores, as shares of the maximum)."""
    config = study.config
    measured, ranges, units, labels = {}, {}, {}, {}
    faceted = set().union(*score_relations.values())
    for key in relations:
        spec = config.relations[key]
        if spec.scale == "tie" or key in faceted:
            continue
        answers = ties[ties["relation"] == key]  # "Never" (0) is a rating here, kept
        measured[key] = (answers.groupby(["respondent", "alter"], sort=False)["value"]
                         .agg(spec.combine).reset_index()
                         .set_axis(["rater", "rated", "rating"], axis=1))
        ranges[key], units[key], labels[key] = (low[key], top[key]), spec.scale, spec.label
    for score in scores.measured:
        pairs = scores.pairs[scores.pairs["score"] == score]
        floor = max(0.0, min((low[r] / top[r] for r in score_relations[score] if top[r] > 0),
                             default=0.0))
        measured[score] = pairs.rename(columns={"share": "rating"})[
            ["rater", "rated", "rating"]]
        ranges[score], units[score] = (floor, 1.0), "share"
        labels[score] = f"{score.capitalize()} score"
    return measured, ranges, units, labels
