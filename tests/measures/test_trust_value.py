"""Trust and value scores (measures/trust_value.py; docs/methods.md §Trust and value scores).

Expected values are worked out by hand in the comments from the definitions in the
module docstring (Varda et al. 2008, 2012): a rating r on a scale whose top is h is the
share r/h; a pair score is the mean of the pair's facet shares of that score; a member's
score received is the mean over their raters; a silo's score the mean of its rated
members; the network score the mean of all pair scores. Focus-group parity is the group
mean ÷ the mean of every rated member; the difference is the group mean − the rest's, with
a node-label permutation p-value and Benjamini–Hochberg q-values (checked against
:func:`scipy.stats.false_discovery_control`). The permutation test's size is checked by
simulation under a random-label null.
"""

from __future__ import annotations

import math
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import false_discovery_control

from cpower_network.measures.facets import FACETS
from cpower_network.measures.trust_value import (
    GROUP_COLUMNS,
    SCORES,
    TrustValue,
    facet_ratings,
    trust_value_scores,
)

# Five members in roster order a..e; silo x = {a, b}, silo y = {c, d, e}; one focus
# group g = {a, c}. Relations t (trust facets) and v (value facets) on a 1–4 scale, f a
# 0–3 frequency scale whose answers measure no facet.
MEMBERS = ["a", "b", "c", "d", "e"]
SILO = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}
GROUPS = {"g": ["a", "c"]}
SCALE_MAX = {"t": 4.0, "v": 4.0, "f": 3.0}
ROWS = [
    # relation, respondent, alter, value, facet
    ("t", "a", "b", 3, "reliability"), ("t", "a", "b", 4, "openness"),
    ("t", "a", "b", 2, "mission"),
    ("t", "a", "c", 4, "reliability"), ("t", "a", "c", 2, "openness"),  # 2 of 3 facets
    ("t", "b", "a", 2, "reliability"), ("t", "b", "a", 2, "openness"),
    ("t", "b", "a", 2, "mission"),
    ("t", "c", "a", 4, "reliability"), ("t", "c", "a", 2, "reliability"),  # duplicate
    ("t", "c", "a", 4, "mission"),
    ("t", "d", "c", 1, "reliability"),
    ("v", "b", "c", 4, "power"), ("v", "b", "c", 3, "involvement"),
    ("v", "b", "c", 2, "resources"),
    ("v", "e", "c", 2, "power"),
    ("v", "a", "e", 4, "involvement"), ("v", "a", "e", 4, "resources"),
    ("f", "a", "d", 3, ""), ("f", "d", "a", 0, ""),  # no facet: not a trust/value rating
]


def ties_of(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["relation", "respondent", "alter", "value", "facet"])


@pytest.fixture(scope="module")
def ratings() -> pd.DataFrame:
    return facet_ratings(ties_of(ROWS), SCALE_MAX)


@pytest.fixture(scope="module")
def scores(ratings) -> TrustValue:
    return trust_value_scores(ratings, MEMBERS, SILO, GROUPS, permutations=1000, seed=1,
                              withhold_below=2)


def rows_of(frame: pd.DataFrame, columns) -> list[tuple]:
    return [tuple(r) for r in frame[columns].itertuples(index=False)]


# --------------------------------------------------------------------------- constants
def test_scores_group_the_six_facets() -> None:
    assert SCORES == {"trust": ("reliability", "openness", "mission"),
                      "value": ("power", "involvement", "resources")}
    assert {f for fs in SCORES.values() for f in fs} == set(FACETS)
    assert GROUP_COLUMNS[:2] == ["score", "group"] and GROUP_COLUMNS[-1] == "q_value"


# --------------------------------------------------------------------------- facet_ratings
def test_facet_ratings_shares_by_hand(ratings) -> None:
    # share = value / scale max (4): 3 → 0.75, 4 → 1, 2 → 0.5, 1 → 0.25. c's two
    # reliability answers about a (4 and 2) are averaged: (1 + 0.5)/2 = 0.75. The two
    # frequency answers (facet "") are not ratings of a facet and are dropped.
    assert rows_of(ratings, ["rater", "rated", "facet", "score", "share"]) == [
        ("a", "b", "mission", "trust", 0.5), ("a", "b", "openness", "trust", 1.0),
        ("a", "b", "reliability", "trust", 0.75),
        ("a", "c", "openness", "trust", 0.5), ("a", "c", "reliability", "trust", 1.0),
        ("a", "e", "involvement", "value", 1.0), ("a", "e", "resources", "value", 1.0),
        ("b", "a", "mission", "trust", 0.5), ("b", "a", "openness", "trust", 0.5),
        ("b", "a", "reliability", "trust", 0.5),
        ("b", "c", "involvement", "value", 0.75), ("b", "c", "power", "value", 1.0),
        ("b", "c", "resources", "value", 0.5),
        ("c", "a", "mission", "trust", 1.0), ("c", "a", "reliability", "trust", 0.75),
        ("d", "c", "reliability", "trust", 0.25),
        ("e", "c", "power", "value", 0.5),
    ]
    assert not ((ratings["rater"] == "a") & (ratings["rated"] == "d")).any()  # f answer


def test_facet_ratings_without_facet_answers_is_empty() -> None:
    only_frequency = ties_of([("f", "a", "b", 3, ""), ("f", "b", "a", 0, "")])
    for ties in (only_frequency, only_frequency.drop(columns="facet")):
        found = facet_ratings(ties, SCALE_MAX)
        assert found.empty
        assert list(found.columns) == ["rater", "rated", "facet", "score", "share"]


def test_facet_ratings_divide_by_each_relations_own_maximum() -> None:
    # the same answer 3 is 3/4 on the 1–4 trust scale and 3/5 on a 1–5 scale
    ties = ties_of([("t", "a", "b", 3, "reliability"), ("w", "a", "b", 3, "power")])
    found = facet_ratings(ties, {"t": 4.0, "w": 5.0})
    assert dict(zip(found["facet"], found["share"], strict=True)) == {
        "reliability": 0.75, "power": pytest.approx(0.6)}


# --------------------------------------------------------------------------- pair scores
def test_pair_scores_by_hand(scores) -> None:
    # trust: a→b (0.75 + 1 + 0.5)/3 = 0.75 on 3 facets; a→c (1 + 0.5)/2 = 0.75 on 2
    # facets (mission not answered: averaged over the two given); b→a 0.5 on 3; c→a
    # (0.75 + 1)/2 = 0.875 on 2; d→c 0.25 on 1.
    # value: a→e (1 + 1)/2 = 1 on 2; b→c (1 + 0.75 + 0.5)/3 = 0.75 on 3; e→c 0.5 on 1.
    # Rows: trust before value, then rater and rated in roster order.
    assert rows_of(scores.pairs, ["rater", "rated", "score", "share", "facets"]) == [
        ("a", "b", "trust", 0.75, 3), ("a", "c", "trust", 0.75, 2),
        ("b", "a", "trust", 0.5, 3), ("c", "a", "trust", 0.875, 2),
        ("d", "c", "trust", 0.25, 1),
        ("a", "e", "value", 1.0, 2), ("b", "c", "value", 0.75, 3),
        ("e", "c", "value", 0.5, 1),
    ]


def test_pairs_follow_roster_order_not_ids(ratings) -> None:
    # roster order e, d, c, b, a: the same pairs, raters listed e first
    found = trust_value_scores(ratings, MEMBERS[::-1], SILO, GROUPS, permutations=0)
    trust = found.pairs[found.pairs["score"] == "trust"]
    assert rows_of(trust, ["rater", "rated"]) == [
        ("d", "c"), ("c", "a"), ("b", "a"), ("a", "c"), ("a", "b")]
    assert found.members.index.tolist() == MEMBERS[::-1]


# --------------------------------------------------------------------------- members
def test_member_scores_received_by_hand(scores) -> None:
    m = scores.members
    assert m.index.tolist() == MEMBERS  # every member, rated or not
    # trust: a from b 0.5 and c 0.875 → 0.6875 (2 raters); b from a 0.75 (1);
    # c from a 0.75 and d 0.25 → 0.5 (2); d and e: nobody → NaN, 0 raters.
    assert m["trust"].tolist()[:3] == [0.6875, 0.75, 0.5]
    assert m["trust"][["d", "e"]].isna().all()
    assert m["trust_raters"].tolist() == [2, 1, 2, 0, 0]
    # value: c from b 0.75 and e 0.5 → 0.625 (2); e from a 1.0 (1); a, b, d: NaN, 0.
    assert m.loc["c", "value"] == 0.625 and m.loc["e", "value"] == 1.0
    assert m["value"][["a", "b", "d"]].isna().all()
    assert m["value_raters"].tolist() == [0, 0, 2, 0, 1]
    assert m["trust_raters"].dtype.kind == "i"


# --------------------------------------------------------------------------- silos
def test_silo_scores_leave_unrated_members_out(scores) -> None:
    # trust, x = {a, b}: (0.6875 + 0.75)/2 = 0.71875, both rated.
    # trust, y = {c, d, e}: only c is rated → 0.5 (not (0.5 + 0 + 0)/3 = 0.1667).
    # value, x: nobody rated → NaN; value, y: c 0.625 and e 1.0 → 0.8125.
    silos = scores.silos
    assert list(silos.columns) == ["score", "silo", "members", "members_rated", "mean"]
    assert rows_of(silos, ["score", "silo", "members", "members_rated"]) == [
        ("trust", "x", 2, 2), ("trust", "y", 3, 1), ("value", "x", 2, 0),
        ("value", "y", 3, 2)]
    means = silos["mean"].tolist()
    assert means[0] == 0.71875 and means[1] == 0.5 and means[3] == 0.8125
    assert math.isnan(means[2])


def test_members_without_a_silo_are_in_no_silo(ratings) -> None:
    found = trust_value_scores(ratings, MEMBERS, {"a": "x", "b": "x"}, {}, permutations=0)
    assert rows_of(found.silos, ["score", "silo", "members", "members_rated"]) == [
        ("trust", "x", 2, 2), ("value", "x", 2, 0)]
    assert found.groups.empty and list(found.groups.columns) == GROUP_COLUMNS


# --------------------------------------------------------------------------- network
def test_network_share_is_the_mean_of_pair_scores(scores) -> None:
    # trust: (0.75 + 0.75 + 0.5 + 0.875 + 0.25)/5 = 3.125/5 = 0.625 over 5 pairs and 4
    # raters (a, b, c, d). The mean over members would be (0.6875 + 0.75 + 0.5)/3 =
    # 0.6458: a different number, so this checks pairs, not members, are averaged.
    trust = scores.network["trust"]
    assert trust["share"] == pytest.approx(0.625)
    assert trust["share"] != pytest.approx(scores.members["trust"].mean())
    assert (trust["pairs"], trust["raters"]) == (5, 4)
    assert trust["facets"] == ["reliability", "openness", "mission"]  # SCORES order
    assert trust["scale_max"] is None  # not given
    # value: (1 + 0.75 + 0.5)/3 = 0.75 over 3 pairs from 3 raters (a, b, e)
    value = scores.network["value"]
    assert value["share"] == pytest.approx(0.75)
    assert (value["pairs"], value["raters"]) == (3, 3)
    assert value["facets"] == ["power", "involvement", "resources"]
    assert scores.measured == ["trust", "value"]


def test_network_reports_asked_facets_and_scale(ratings) -> None:
    trust_only = ratings[ratings["score"] == "trust"]
    found = trust_value_scores(trust_only, MEMBERS, SILO, {}, permutations=0,
                               scale_max={"trust": 4.0, "value": None},
                               asked={"trust": ["reliability", "mission"]})
    assert found.network["trust"]["scale_max"] == 4.0
    assert found.network["trust"]["facets"] == ["reliability", "mission"]
    assert found.network["value"] == {"share": None, "pairs": 0, "raters": 0,
                                      "scale_max": None, "facets": []}
    assert found.measured == ["trust"]
    assert found.members["value"].isna().all()
    assert (found.members["value_raters"] == 0).all()


def test_no_ratings_at_all_measures_nothing() -> None:
    found = trust_value_scores(facet_ratings(ties_of([("f", "a", "b", 3, "")]), SCALE_MAX),
                               MEMBERS, SILO, GROUPS, permutations=1000, seed=0)
    assert found.measured == [] and found.pairs.empty
    assert found.members[["trust", "value"]].isna().all().all()
    assert found.groups.empty
    assert found.silos["mean"].isna().all() and (found.silos["members_rated"] == 0).all()


# --------------------------------------------------------------------------- focus groups
def test_group_parity_and_difference_by_hand(scores) -> None:
    g = scores.groups.set_index("score")
    assert list(scores.groups.columns) == GROUP_COLUMNS
    assert scores.groups["group"].tolist() == ["g", "g"]
    # trust: rated members a 0.6875, b 0.75, c 0.5; g = {a, c} → mean 0.59375, mean of
    # all rated (1.9375/3) = 0.645833, parity 0.59375/0.645833 = 0.919355; difference
    # from the rest ({b}: 0.75) = 0.59375 − 0.75 = −0.15625. Unrated d, e are left out.
    t = g.loc["trust"]
    assert t["members_rated"] == 2
    assert t["mean"] == pytest.approx(0.59375)
    assert t["mean_all"] == pytest.approx(1.9375 / 3)
    assert t["parity"] == pytest.approx(0.59375 / (1.9375 / 3))
    assert t["difference"] == pytest.approx(-0.15625)
    # 2 of 3 rated members: only 3 relabellings, so p ≥ 1/3 and the test cannot reject
    assert t["permutations"] == 1000 and not t["withheld"] and not t["testable"]
    assert 1 / 3 - 0.1 < t["p_value"] <= 1.0
    assert math.isnan(t["q_value"])  # not testable: not in the q-value family
    # value: rated c 0.625 and e 1.0; g has one rated member (c) → mean 0.625,
    # mean_all 0.8125, parity 0.625/0.8125 = 0.769231, difference 0.625 − 1.0 = −0.375.
    # withhold_below = 2 > 1 rated member: withheld, no p-value, no draws.
    v = g.loc["value"]
    assert v["members_rated"] == 1
    assert (v["mean"], v["mean_all"]) == (0.625, 0.8125)
    assert v["parity"] == pytest.approx(0.625 / 0.8125)
    assert v["difference"] == pytest.approx(-0.375)
    assert v["withheld"] and not v["testable"] and v["permutations"] == 0
    assert math.isnan(v["p_value"]) and math.isnan(v["q_value"])


def test_group_with_no_rated_member(ratings) -> None:
    found = trust_value_scores(ratings, MEMBERS, SILO, {"h": ["d"]}, permutations=1000,
                               seed=0)
    trust = found.groups.set_index("score").loc["trust"]
    assert trust["members_rated"] == 0
    assert math.isnan(trust["mean"]) and math.isnan(trust["parity"])
    assert math.isnan(trust["difference"]) and math.isnan(trust["p_value"])
    assert not trust["testable"]


def test_no_permutations_gives_nan_p_values(ratings) -> None:
    found = trust_value_scores(ratings, MEMBERS, SILO, GROUPS, permutations=0)
    assert found.groups["p_value"].isna().all() and found.groups["q_value"].isna().all()
    assert (found.groups["permutations"] == 0).all() and not found.groups["testable"].any()
    # the descriptive numbers are still there
    assert found.groups["difference"].tolist() == pytest.approx([-0.15625, -0.375])


# ------------------------------------------------------------- permutation tests and q-values
N = 20
BIG = [f"m{i:02d}" for i in range(N)]


def ratings_received(received: dict[str, float], score: str = "value") -> pd.DataFrame:
    """One rating per member, from the next member in the roster, of the given share."""
    facet = SCORES[score][0]
    rows = [(BIG[(BIG.index(m) + 1) % N], m, facet, score, share)
            for m, share in received.items()]
    return pd.DataFrame(rows, columns=["rater", "rated", "facet", "score", "share"])


def test_a_clearly_higher_group_is_significant() -> None:
    # 8 of 20 members receive 0.9, the 12 others 0.3. Difference 0.9 − 0.3 = 0.6. Of the
    # C(20, 8) = 125,970 ways to pick 8 members only the group itself reaches |D| = 0.6
    # (picking the 8 lowest gives D = 0.3 − (4·0.3 + 8·0.9)/12 = −0.4), so nearly no
    # draw is as extreme and p = (0 + 1)/(1000 + 1), the smallest a test can print.
    high = BIG[:8]
    shares = {m: 0.9 if m in high else 0.3 for m in BIG}
    found = trust_value_scores(ratings_received(shares), BIG, {}, {"high": high},
                               permutations=1000, seed=4)
    row = found.groups.set_index("score").loc["value"]
    assert row["difference"] == pytest.approx(0.6)
    assert row["parity"] == pytest.approx(0.9 / ((8 * 0.9 + 12 * 0.3) / 20))  # 0.9/0.54
    assert row["testable"] and not row["withheld"]
    assert 1 / 1001 <= row["p_value"] <= 2 / 1001  # never 0: p = (k + 1)/(B + 1)
    assert row["q_value"] == pytest.approx(row["p_value"])  # a family of one test


def test_q_values_are_bh_over_the_testable_p_values() -> None:
    rng = np.random.default_rng(11)
    trust = dict(zip(BIG, rng.uniform(0.25, 1.0, N), strict=True))
    value = {m: (0.9 if i < 8 else 0.3) + rng.normal(0, 0.02) for i, m in enumerate(BIG)}
    ratings = pd.concat([ratings_received(trust, "trust"), ratings_received(value)],
                        ignore_index=True)
    groups = {"high": BIG[:8], "mixed": BIG[5:11], "pair": BIG[:2], "odd": BIG[1::2]}
    found = trust_value_scores(ratings, BIG, {}, groups, permutations=1000, seed=2,
                               withhold_below=3)
    g = found.groups
    assert len(g) == 8  # 2 scores × 4 groups
    # "pair" has 2 rated members < 3: withheld in both scores, out of the family
    pair = g[g["group"] == "pair"]
    assert pair["withheld"].all() and pair["p_value"].isna().all()
    assert pair["q_value"].isna().all() and not pair["testable"].any()
    family = g["testable"]
    assert family.sum() == 6  # every other group can reject with 20 members
    expected = false_discovery_control(g.loc[family, "p_value"].to_numpy(), method="bh")
    assert g.loc[family, "q_value"].to_numpy() == pytest.approx(expected, abs=1e-11)
    assert g.loc[~family, "q_value"].isna().all()
    # q ≥ p always, and the clearly higher group stays significant after the correction
    assert (g.loc[family, "q_value"] >= g.loc[family, "p_value"] - 1e-12).all()
    high_value = g[(g["group"] == "high") & (g["score"] == "value")].iloc[0]
    assert high_value["q_value"] < 0.05


def test_p_values_are_reproducible_with_a_seed() -> None:
    rng = np.random.default_rng(3)
    shares = dict(zip(BIG, rng.uniform(0.25, 1.0, N), strict=True))
    runs = [trust_value_scores(ratings_received(shares), BIG, {}, {"g": BIG[:6]},
                               permutations=1000, seed=9).groups for _ in range(2)]
    pd.testing.assert_frame_equal(runs[0], runs[1])


def test_random_labels_reject_about_five_percent() -> None:
    # Null: every member rates 4 random others on the three trust facets with uniform
    # 1–4 answers, and the focus group is 6 members drawn at random, so the labels carry
    # no information. Each p-value is (k + 1)/1001, k the draws at least as extreme;
    # under the null P(p ≤ 0.05) ≈ 50/1001 ≈ 0.05 (a little less with tied draws).
    # 200 simulations × 1000 permutations each run in about 7 s. Rejections are then
    # Binomial(200, 0.05): mean 10, sd 3.1; the band 1 %–10 % (2 to 20 rejections) is
    # about 3 sd either side (P(outside) < 0.2 % for a correct test), while a test that
    # ignored the permutation (e.g. a naive z-test on dependent ratings) or a one-sided
    # bug would land outside it. The seeds are fixed, so the result is deterministic.
    sims = 200
    started = time.perf_counter()
    rejected = 0
    p_values = []
    for s in range(sims):
        rng = np.random.default_rng(1000 + s)
        rows = []
        for i, rater in enumerate(BIG):
            others = [j for j in range(N) if j != i]
            for j in rng.choice(others, size=4, replace=False):
                for facet in SCORES["trust"]:
                    rows.append((rater, BIG[j], facet, "trust", rng.integers(1, 5) / 4))
        ratings = pd.DataFrame(rows, columns=["rater", "rated", "facet", "score", "share"])
        group = list(rng.choice(BIG, size=6, replace=False))
        row = trust_value_scores(ratings, BIG, {}, {"g": group}, permutations=1000,
                                 seed=s).groups.iloc[0]
        p_values.append(row["p_value"])
        rejected += row["p_value"] <= 0.05
    elapsed = time.perf_counter() - started
    rate = rejected / sims
    assert 0.01 <= rate <= 0.10, f"false-positive rate {rate:.3f} ({rejected}/{sims})"
    # p-values under the null are roughly uniform: about half below 0.5
    assert 0.35 <= np.mean(np.array(p_values) <= 0.5) <= 0.65
    assert elapsed < 30, f"the null simulation took {elapsed:.1f} s"


# --------------------------------------------------------------------------- properties
@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5),
                          st.sampled_from(sorted(FACETS)), st.integers(1, 4)),
                min_size=1, max_size=40))
def test_scores_are_shares_and_consistent(answers) -> None:
    members = [f"p{i}" for i in range(6)]
    ties = ties_of([("t", members[r], members[a], v, f) for r, a, f, v in answers
                    if r != a])
    ratings = facet_ratings(ties, {"t": 4.0})
    found = trust_value_scores(ratings, members, {m: m[-1] for m in members}, {},
                               permutations=0)
    pairs = found.pairs
    # every share lies between the floor 1/4 and 1, facets between 1 and 3
    assert pairs["share"].between(0.25, 1.0).all()
    assert pairs["facets"].between(1, 3).all()
    # one pair row per (rater, rated, score), and the raters counts add up to them
    assert not pairs.duplicated(["rater", "rated", "score"]).any()
    for score in SCORES:
        mine = pairs[pairs["score"] == score]
        assert found.members[f"{score}_raters"].sum() == len(mine)
        if len(mine):
            assert found.network[score]["share"] == pytest.approx(mine["share"].mean())
            # the network share is a weighted mean of members' scores (weights = raters)
            m = found.members.dropna(subset=[score])
            weighted = (m[score] * m[f"{score}_raters"]).sum() / m[f"{score}_raters"].sum()
            assert found.network[score]["share"] == pytest.approx(weighted)
        else:
            assert found.network[score]["share"] is None
