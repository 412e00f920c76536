"""Trust and value scores of partners (docs/methods.md §Trust and value scores).

Each respondent rates partners on up to six facets (questions with ``facet = …``):
trust (reliability, openness, commitment to the mission) and value (power and influence,
involvement, resource contribution). Following Varda and colleagues (2008, 2012):

* a rating r on a scale whose highest value is h counts as the share of the maximum r/h;
* a **pair score** (rater → rated) is the mean of the pair's facet shares of that score;
* a member's **score received** is the mean of the pair scores of everyone who rated them;
* a silo's score is the mean of its rated members' scores received;
* the **network score** is the mean of all pair scores (a share of the maximum, shown as %).

Focus groups are compared with a parity ratio (the group's mean score received ÷ the
mean of every rated member, as :func:`~cpower_network.measures.parity.group_parity`) and a
node-label permutation test of the difference of means, with Benjamini–Hochberg q-values
over the scores' own family of tests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .facets import FACETS
from .inference import bh_q_values
from .parity import group_differences, group_parity

__all__ = ["SCORES", "TrustValue", "facet_ratings", "trust_value_scores"]

#: The two scores and their facets, in the order reports show them.
SCORES: dict[str, tuple[str, ...]] = {
    score: tuple(f for f, s in FACETS.items() if s == score) for score in ("trust", "value")}

PAIR_COLUMNS = ["rater", "rated", "score", "share", "facets"]
GROUP_COLUMNS = ["score", "group", "members_rated", "mean", "mean_all", "parity",
                 "difference", "p_value", "permutations", "testable", "withheld", "q_value"]


@dataclass
class TrustValue:
    """Trust and value scores of one wave.

    Attributes
    ----------
    pairs : DataFrame
        One row per (rater, rated, score): ``rater, rated, score`` ("trust" or "value"),
        ``share`` (mean facet rating as a share of the scale's maximum, 0–1) and
        ``facets`` (how many of the score's facets the rater answered about the pair).
    members : DataFrame
        Index member id (every member of the wave); columns ``trust``, ``value`` (mean
        pair score received, NaN when nobody rated them) and ``trust_raters``,
        ``value_raters`` (how many rated them).
    silos : DataFrame
        ``score, silo, members, members_rated, mean`` (mean of members' scores received).
    groups : DataFrame
        :data:`GROUP_COLUMNS`: each focus group's mean score received, the mean of every
        rated member, their ratio (parity), the difference from the rest, its permutation
        p-value and draws, whether the test can reject, and its q-value.
    network : dict
        score -> {"share", "pairs", "raters", "scale_max", "facets"}: the mean pair
        score, how many pairs and raters it rests on, the scale's maximum when every
        facet of the score uses one scale (else None), and the facets asked.
    """

    pairs: pd.DataFrame
    members: pd.DataFrame
    silos: pd.DataFrame
    groups: pd.DataFrame
    network: dict[str, dict] = field(default_factory=dict)

    @property
    def measured(self) -> list[str]:
        """The scores the wave asked about (at least one facet rated)."""
        return [s for s, found in self.network.items() if found["pairs"]]


def facet_ratings(ties: pd.DataFrame, scale_max: Mapping[str, float]) -> pd.DataFrame:
    """The facet answers of ``ties`` as shares of their scale's maximum.

    Parameters
    ----------
    ties : DataFrame
        A wave's ``ties`` (:class:`~cpower_network.ingest.WaveData`), with ``facet``.
    scale_max : mapping
        Relation key -> the highest value of its answer scale.

    Returns
    -------
    DataFrame
        ``rater, rated, facet, score, share`` (one row per answer; several answers of
        one rater about one pair on one facet are averaged).

    Examples
    --------
    >>> ties = pd.DataFrame({"relation": ["t", "t", "c"], "respondent": ["a", "a", "a"],
    ...                      "alter": ["b", "b", "b"], "value": [4.0, 2.0, 3.0],
    ...                      "facet": ["reliability", "openness", ""]})
    >>> facet_ratings(ties, {"t": 4.0, "c": 3.0})[["facet", "score", "share"]].values.tolist()
    [['openness', 'trust', 0.5], ['reliability', 'trust', 1.0]]
    """
    rated = ties[ties["facet"].astype(str) != ""] if "facet" in ties else ties.iloc[0:0]
    if rated.empty:
        return pd.DataFrame(columns=["rater", "rated", "facet", "score", "share"])
    top = rated["relation"].map(scale_max).astype(float)
    frame = pd.DataFrame({"rater": rated["respondent"], "rated": rated["alter"],
                          "facet": rated["facet"],
                          "share": rated["value"].astype(float) / top})
    frame = frame[np.isfinite(frame["share"])]
    frame = frame.groupby(["rater", "rated", "facet"], sort=True, as_index=False)[
        "share"].mean()
    frame.insert(3, "score", frame["facet"].map(FACETS))
    return frame


def trust_value_scores(ratings: pd.DataFrame, members: Sequence[str],
                       silo: Mapping[str, object], groups: Mapping[str, Sequence[str]],
                       *, scale_max: Mapping[str, float | None] | None = None,
                       asked: Mapping[str, Sequence[str]] | None = None,
                       permutations: int = 1000, seed: int | None = None,
                       withhold_below: int = 0) -> TrustValue:
    """Pair, member, silo, focus-group and network trust and value scores.

    Parameters
    ----------
    ratings : DataFrame
        :func:`facet_ratings` of a wave.
    members : sequence of str
        The wave's members, in roster order.
    silo : mapping
        Member -> silo.
    groups : mapping
        Focus-group key -> its members.
    scale_max : mapping, optional
        Score -> the scale maximum shared by its facets (None when they differ).
    asked : mapping, optional
        Score -> the facets the wave asked about (default: those with ratings).
    permutations : int
        Draws of the group permutation test (0: no test).
    seed : int, optional
        Seed of the permutation draws.
    withhold_below : int
        A focus group with fewer rated members has no test (``withheld``), so a p-value
        never rests on one or two people's scores.

    Returns
    -------
    TrustValue

    References
    ----------
    Varda, D. M., Chandra, A., Stern, S. A. & Lurie, N. (2008). Core dimensions of
    connectivity in public health collaboratives. *Journal of Public Health Management
    and Practice* 14(5), E1–E7. Varda, D. M. & Retrum, J. H. (2012). An exploratory
    analysis of network characteristics and quality of interactions among public health
    collaboratives. *Journal of Public Health Research* 1(2), 170–176.

    Examples
    --------
    >>> ratings = pd.DataFrame({"rater": ["a", "a", "b"], "rated": ["b", "b", "a"],
    ...                         "facet": ["reliability", "mission", "reliability"],
    ...                         "score": ["trust"] * 3, "share": [1.0, 0.5, 0.25]})
    >>> found = trust_value_scores(ratings, ["a", "b", "c"], {"a": "x", "b": "y", "c": "y"},
    ...                            {}, permutations=0)
    >>> found.pairs[["rater", "rated", "share"]].values.tolist()
    [['a', 'b', 0.75], ['b', 'a', 0.25]]
    >>> found.members["trust"].tolist()[:2], found.network["trust"]["share"]
    ([0.25, 0.75], 0.5)
    """
    pairs = (ratings.groupby(["rater", "rated", "score"], sort=True)
             .agg(share=("share", "mean"), facets=("facet", "nunique")).reset_index())
    position = {m: i for i, m in enumerate(members)}     # pairs in roster order
    pairs = pairs.sort_values(["score", "rater", "rated"], kind="stable",
                              key=lambda c: c if c.name == "score" else c.map(position)
                              ).reset_index(drop=True)[PAIR_COLUMNS]
    table = pd.DataFrame(index=pd.Index(list(members), name="member"))
    network = {}
    for score in SCORES:
        mine = pairs[pairs["score"] == score]
        received = mine.groupby("rated")["share"]
        table[score] = received.mean().reindex(table.index)
        table[f"{score}_raters"] = received.size().reindex(table.index).fillna(0).astype(int)
        facets = (asked or {}).get(score) or sorted(
            set(ratings.loc[ratings["score"] == score, "facet"]), key=SCORES[score].index)
        network[score] = {"share": float(mine["share"].mean()) if len(mine) else None,
                          "pairs": len(mine), "raters": int(mine["rater"].nunique()),
                          "scale_max": (scale_max or {}).get(score), "facets": list(facets)}
    return TrustValue(pairs=pairs, members=table, silos=_silo_scores(table, silo),
                      groups=_group_scores(table, groups, permutations, seed,
                                           withhold_below),
                      network=network)


def _silo_scores(table: pd.DataFrame, silo: Mapping[str, object]) -> pd.DataFrame:
    """Each silo's mean score received (members rated by nobody left out of the mean)."""
    records = []
    silos = pd.Series({m: silo.get(m) for m in table.index}, dtype=object)
    labels = sorted(set(silos.dropna()), key=str)
    for score in SCORES:
        for label in labels:
            inside = table.loc[silos[silos == label].index, score]
            records.append((score, label, len(inside), int(inside.notna().sum()),
                            float(inside.mean()) if inside.notna().any() else np.nan))
    return pd.DataFrame(records, columns=["score", "silo", "members", "members_rated", "mean"])


def _group_scores(table: pd.DataFrame, groups: Mapping[str, Sequence[str]],
                  permutations: int, seed: int | None, withhold_below: int) -> pd.DataFrame:
    """Parity and permutation test of each focus group's scores received."""
    records = []
    for score in SCORES:
        rated = table[score].dropna()
        if rated.empty:
            continue
        for key, group in groups.items():
            inside = rated.index.isin(list(group))
            k = int(inside.sum())
            parity = group_parity(rated, rated.index[inside]).parity if k else np.nan
            withheld = k < withhold_below
            test = group_differences(rated.to_frame(), rated.index[inside],
                                     permutations=0 if withheld else permutations,
                                     seed=seed).iloc[0]
            records.append((score, key, k, float(rated[inside].mean()) if k else np.nan,
                            float(rated.mean()), parity, test["difference"], test["p_value"],
                            0 if withheld else permutations,
                            bool(test["testable"]) and not withheld, withheld, np.nan))
    frame = pd.DataFrame(records, columns=GROUP_COLUMNS)
    family = frame["testable"].astype(bool) & frame["p_value"].notna()
    if family.any():
        frame.loc[family, "q_value"] = bh_q_values(frame.loc[family, "p_value"].to_numpy())
    return frame
