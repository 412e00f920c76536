"""Dyadic agreement: where both members of a pair rated their tie, do they agree?
(docs/methods.md §Dyadic agreement)

For each rated measure (a relation answered on a scale, such as how often two members
work together, and the trust and value scores), the pairs in which *both* members gave
a rating of the other are compared:

* the **pairwise intraclass correlation** of the two ratings (the double-entry Pearson
  correlation for indistinguishable dyads, Griffin & Gonzalez 1995): 1 when partners
  always rate each other alike, 0 when one's rating says nothing of the other's;
* the mean absolute difference, in the measure's units;
* the pairs who **disagree**: their ratings differ by at least half the scale's range
  (e.g. "weekly" against "a few times a year" or "never" on a 0–3 frequency scale).

A rating that was not given (a member who did not answer, or left the row blank) is not
a disagreement: only pairs rated both ways are compared. On a relation's own scale, a pair
who both answered "no tie" (e.g. "Never") is left out too (``require_tie``): two members
agreeing that they never work together would otherwise swamp the agreement of the pairs
who do.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np
import pandas as pd

__all__ = ["DISAGREE_AT", "dyadic_agreement"]

#: A pair disagrees when its two ratings differ by at least this share of the range.
DISAGREE_AT = 0.5

SUMMARY_COLUMNS = ["measure", "pairs", "icc", "mean_difference", "disagree", "range", "low"]
PAIR_COLUMNS = ["measure", "member", "partner", "rating", "rating_back", "difference"]


def dyadic_agreement(ratings: Mapping[str, pd.DataFrame],
                     ranges: Mapping[str, tuple[float, float]],
                     order: Sequence[str] = (),
                     require_tie: Collection[str] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Agreement of the two ratings of each pair rated both ways, per measure.

    Parameters
    ----------
    ratings : mapping of str to DataFrame
        Measure -> ``rater, rated, rating``: one rating per ordered pair.
    ranges : mapping of str to (float, float)
        Measure -> (lowest, highest) rating its scale allows.
    order : sequence of str
        Members in roster order (orders pairs; the first of each pair is the member who
        comes first).
    require_tie : collection of str
        Measures on which a pair counts only when at least one member rated the other
        above 0 (reported a tie).

    Returns
    -------
    summary : DataFrame
        ``measure, pairs`` (rated both ways), ``icc`` (pairwise intraclass correlation,
        NaN under 3 pairs or when the ratings do not vary), ``mean_difference``,
        ``disagree`` (pairs whose ratings differ by ≥ :data:`DISAGREE_AT` of the range),
        ``range`` (highest − lowest) and ``low`` (the lowest rating).
    pairs : DataFrame
        The pairs who disagree: ``measure, member, partner, rating`` (member's rating of
        partner), ``rating_back`` (partner's of member) and ``difference``, largest first.

    References
    ----------
    Griffin, D. & Gonzalez, R. (1995). Correlational analysis of dyad-level data in the
    exchangeable case. *Psychological Bulletin* 118(3), 430–439.

    Examples
    --------
    >>> r = pd.DataFrame({"rater": ["a", "b", "a", "c", "b", "c"],
    ...                   "rated": ["b", "a", "c", "a", "c", "b"],
    ...                   "rating": [3, 3, 3, 0, 2, 1]})
    >>> summary, pairs = dyadic_agreement({"often": r}, {"often": (0, 3)})
    >>> row = summary.iloc[0]
    >>> int(row["pairs"]), round(float(row["mean_difference"]), 3), int(row["disagree"])
    (3, 1.333, 1)
    >>> pairs[["member", "partner", "rating", "rating_back"]].values.tolist()
    [['a', 'c', 3, 0]]
    """
    position = {m: i for i, m in enumerate(order)}
    summaries, disagreeing = [], []
    for measure, frame in ratings.items():
        low, high = ranges[measure]
        both = _rated_both_ways(frame, position)
        if measure in require_tie:
            both = both[(both["rating"] > 0) | (both["rating_back"] > 0)]
        span = high - low
        gap = (both["rating"] - both["rating_back"]).abs()
        both = both.assign(difference=gap, measure=measure)
        apart = both[gap >= DISAGREE_AT * span - 1e-12] if span > 0 else both.iloc[0:0]
        summaries.append((measure, len(both), _pairwise_icc(both),
                          float(gap.mean()) if len(both) else np.nan, len(apart),
                          float(span), float(low)))
        disagreeing.append(apart)
    summary = pd.DataFrame(summaries, columns=SUMMARY_COLUMNS)
    pairs = (pd.concat(disagreeing, ignore_index=True) if disagreeing
             else pd.DataFrame(columns=PAIR_COLUMNS))
    if len(pairs):
        pairs = pairs.sort_values("difference", ascending=False, kind="stable")
    return summary, pairs.reindex(columns=PAIR_COLUMNS).reset_index(drop=True)


def _rated_both_ways(frame: pd.DataFrame, position: Mapping[str, int]) -> pd.DataFrame:
    """``member, partner, rating, rating_back`` for each unordered pair rated both ways,
    ``member`` first in roster order (then by id)."""
    given = {(r, a): v for r, a, v in zip(frame["rater"], frame["rated"], frame["rating"],
                                          strict=True) if r != a}
    rows = []
    for (rater, rated), value in given.items():
        back = given.get((rated, rater))
        if back is None:
            continue
        if (position.get(rater, len(position)), str(rater)) < \
                (position.get(rated, len(position)), str(rated)):
            rows.append((rater, rated, value, back))
    rows.sort(key=lambda r: (position.get(r[0], len(position)), str(r[0]),
                             position.get(r[1], len(position)), str(r[1])))
    return pd.DataFrame(rows, columns=["member", "partner", "rating", "rating_back"])


def _pairwise_icc(both: pd.DataFrame) -> float:
    """The double-entry (pairwise) Pearson correlation: each pair entered twice, once in
    each order (Griffin & Gonzalez 1995)."""
    if len(both) < 3:
        return float("nan")
    x = np.concatenate([both["rating"], both["rating_back"]]).astype(float)
    y = np.concatenate([both["rating_back"], both["rating"]]).astype(float)
    if np.ptp(x) == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])
