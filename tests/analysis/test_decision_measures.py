"""Who shapes decisions (measures/decisions.py, docs/methods.md §Decision influence), against
hand-computed values.

The running example is a coalition of seven members a–g and two decisions:

* d1: a named b and c; b named a; c named a; d named a and c.
* d2: a named c; c named a; d named a; e named c.

so the influence graph has a->b 1, a->c 2, b->a 1, c->a 2, d->a 2, d->c 1, e->c 1 and
members were named: a 5 times, b once, c 4 times, d–g never (10 in all).
Lived experience = {b, e, f}; grassroots = {a, c}.
"""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest

from cpower_network.measures.decisions import (
    decision_parity,
    formal_and_informal,
    influence_gini,
    influence_scores,
    participation_by_group,
    voice_by_group,
)

MEMBERS = list("abcdefg")
GROUPS = {"lived_experience": ["b", "e", "f"], "grassroots": ["a", "c"]}


@pytest.fixture
def influence() -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_nodes_from(MEMBERS)
    G.add_weighted_edges_from([("a", "b", 1.0), ("a", "c", 2.0), ("b", "a", 1.0),
                               ("c", "a", 2.0), ("d", "a", 2.0), ("d", "c", 1.0),
                               ("e", "c", 1.0)])
    return G


NAN = float("nan")
# one row per respondent and decision; blank "involved" answers are NaN (unknown)
PARTICIPATION = pd.DataFrame({
    "decision": ["d1"] * 5 + ["d2"] * 5,
    "respondent": list("abcde") * 2,
    "involvement": [1.0, 1.0, 0.0, 1.0, NAN, 1.0, 0.0, 1.0, NAN, 1.0],
    "voice": [4.0, 2.0, NAN, 5.0, NAN, 5.0, NAN, 3.0, NAN, 1.0],
})


# --------------------------------------------------------------------------- scores
def test_influence_scores_by_hand(influence) -> None:
    scores = influence_scores(influence)
    assert list(scores.index) == MEMBERS                     # G's order
    assert list(scores.columns) == ["named", "share", "pagerank", "rank"]
    # named = weighted in-degree: a from b (1) + c (2) + d (2); c from a (2) + d + e
    assert scores["named"].tolist() == [5.0, 1.0, 4.0, 0.0, 0.0, 0.0, 0.0]
    assert scores["share"].tolist() == pytest.approx([0.5, 0.1, 0.4, 0, 0, 0, 0])
    # ties share the lower rank: d–g are all 4th
    assert scores["rank"].tolist() == [1, 3, 2, 4, 4, 4, 4]
    assert scores["pagerank"].sum() == pytest.approx(1.0)
    assert scores["pagerank"].idxmax() == "a"


def test_influence_pagerank_by_hand() -> None:
    # a->c, b->c, c->a, damping 0.85, no dangling member:
    #   p_b = 0.15/3 = 0.05;  p_c = 0.05 + 0.85 (p_a + p_b);  p_a = 0.05 + 0.85 p_c
    #   => p_a = 0.128625 / 0.2775 = 343/740, p_c = 360/740, p_b = 37/740
    scores = influence_scores(nx.DiGraph([("a", "c"), ("b", "c"), ("c", "a")]))
    assert scores.loc[["a", "b", "c"], "pagerank"].tolist() == \
        pytest.approx([343 / 740, 37 / 740, 360 / 740], abs=1e-9)


def test_influence_share_is_nan_when_nobody_was_named() -> None:
    G = nx.DiGraph()
    G.add_nodes_from("abc")
    scores = influence_scores(G)
    assert scores["named"].tolist() == [0.0, 0.0, 0.0]
    assert scores["share"].isna().all()
    assert scores["rank"].tolist() == [1, 1, 1]


# --------------------------------------------------------------------------- parity
def test_decision_parity_by_hand(influence) -> None:
    parity = decision_parity(influence_scores(influence), GROUPS)
    assert list(parity.index) == ["lived_experience", "grassroots"]
    # lived experience: named 1 + 0 + 0 of 10 = 0.1; 3 of 7 members; parity 0.1 / (3/7) = 7/30
    le = parity.loc["lived_experience"]
    assert (le["share"], le["membership_share"], le["parity"]) == \
        pytest.approx((0.1, 3 / 7, 7 / 30))
    # grassroots: (5 + 4) / 10 = 0.9; 2 of 7; parity 0.9 * 7 / 2 = 3.15
    gr = parity.loc["grassroots"]
    assert (gr["share"], gr["membership_share"], gr["parity"]) == \
        pytest.approx((0.9, 2 / 7, 3.15))
    assert parity["group_size"].tolist() == [3, 2]
    assert parity["group_size"].dtype == "int64"


def test_decision_parity_of_an_empty_group_is_nan(influence) -> None:
    parity = decision_parity(influence_scores(influence), {"nobody": []})
    assert parity.loc["nobody", "group_size"] == 0
    assert math.isnan(parity.loc["nobody", "parity"])


# --------------------------------------------------------------------------- gini
def test_influence_gini_by_hand(influence) -> None:
    # sorted named: 0 0 0 0 1 4 5 (n = 7, total 10)
    # G = 2 * sum(i * x_(i)) / (n * total) - (n + 1) / n
    #   = 2 * (5*1 + 6*4 + 7*5) / 70 - 8/7 = 128/70 - 80/70 = 48/70 = 24/35
    assert influence_gini(influence_scores(influence)) == pytest.approx(24 / 35)


def test_influence_gini_extremes() -> None:
    equal = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")])
    assert influence_gini(influence_scores(equal)) == 0.0
    # one person named by everyone else: the population Gini gives 1 - 1/n (here n = 4)
    star = nx.DiGraph([("a", "d"), ("b", "d"), ("c", "d")])
    assert influence_gini(influence_scores(star)) == pytest.approx(0.75)


# --------------------------------------------------------------------------- participation
def test_participation_denominator_is_group_members_who_answered() -> None:
    groups = {"all": MEMBERS, **GROUPS, "silent": ["f", "g"]}
    table = participation_by_group(PARTICIPATION, groups)
    assert list(table.index) == ["d1", "d2"]                 # survey order
    assert list(table.columns) == ["all", "lived_experience", "grassroots", "silent"]
    # d1 answers: a 1, b 1, c 0, d 1 (e blank)       -> all 3/4
    #   lived experience: only b answered (1)         -> 1/1, not 1/3
    #   grassroots: a 1, c 0                          -> 1/2
    # d2 answers: a 1, b 0, c 1, e 1 (d blank)       -> all 3/4
    #   lived experience: b 0, e 1                    -> 1/2
    #   grassroots: a 1, c 1                          -> 1
    assert table.loc["d1", ["all", "lived_experience", "grassroots"]].tolist() == \
        [0.75, 1.0, 0.5]
    assert table.loc["d2", ["all", "lived_experience", "grassroots"]].tolist() == \
        [0.75, 0.5, 1.0]
    # nobody in the group answered: unknown, not 0
    assert table["silent"].isna().all()


def test_participation_keeps_decisions_in_survey_order() -> None:
    reordered = pd.concat([PARTICIPATION.iloc[5:], PARTICIPATION.iloc[:5]])
    assert list(participation_by_group(reordered, {"all": MEMBERS}).index) == ["d2", "d1"]


# --------------------------------------------------------------------------- voice
def test_voice_by_group_and_gap_sign() -> None:
    voice = voice_by_group(PARTICIPATION, {**GROUPS, "silent": ["g"]})
    assert list(voice.columns) == ["mean", "others", "gap", "answers"]
    # lived experience answered b 2 (d1), e 1 (d2): mean 1.5
    # everyone else: a 4, d 5, a 5, c 3: mean 17/4 = 4.25; gap 1.5 - 4.25 = -2.75 (feel
    # less heard: negative)
    le = voice.loc["lived_experience"]
    assert (le["mean"], le["others"], le["gap"], le["answers"]) == (1.5, 4.25, -2.75, 2)
    # grassroots: a 4, a 5, c 3 -> 4; others b 2, d 5, e 1 -> 8/3; gap +4/3 (positive)
    gr = voice.loc["grassroots"]
    assert (gr["mean"], gr["others"], gr["gap"]) == pytest.approx((4.0, 8 / 3, 4 / 3))
    assert gr["answers"] == 3
    # a group without answers: mean and gap unknown; others = everyone's mean 20/6
    silent = voice.loc["silent"]
    assert math.isnan(silent["mean"]) and math.isnan(silent["gap"])
    assert silent["others"] == pytest.approx(20 / 6) and silent["answers"] == 0
    assert voice["answers"].dtype == "int64"


# --------------------------------------------------------------------------- formal/informal
def scores_of(named: list[float]) -> pd.DataFrame:
    members = [f"m{i:02d}" for i in range(1, len(named) + 1)]
    G = nx.DiGraph()
    G.add_nodes_from(members)
    G.add_node("voter")
    for member, count in zip(members, named, strict=True):
        if count:
            G.add_edge("voter", member, weight=float(count))
    return influence_scores(G).drop(index="voter")


def roster_of(scores: pd.DataFrame, leaders: set[str]) -> pd.DataFrame:
    return pd.DataFrame({"role": ["Chair" if m in leaders else "Member" for m in scores.index],
                         "leader": [m in leaders for m in scores.index]}, index=scores.index)


def test_formal_and_informal_top_ten_percent_of_twenty() -> None:
    # 20 members: the top 10 % is round(2.0) = 2 ranks. m01 (9, leader) rank 1,
    # m02 (7, no role) rank 2 -> informal leader; m03 (5, no role) rank 3 -> outside
    scores = scores_of([9, 7, 5] + [0] * 17)
    table = formal_and_informal(scores, roster_of(scores, {"m01", "m20"}))
    assert list(table.columns) == ["role", "leader", "named", "rank", "informal_leader"]
    assert list(table.index[:3]) == ["m01", "m02", "m03"]              # sorted by rank
    assert table.loc[["m01", "m02", "m03"], "rank"].tolist() == [1, 2, 3]
    assert table.index[table["informal_leader"]].tolist() == ["m02"]
    assert table.loc["m20", "leader"] and not table.loc["m20", "informal_leader"]
    assert table.loc["m01", "role"] == "Chair"


def test_formal_and_informal_ties_share_the_cutoff_rank() -> None:
    # two members tied at rank 2 with a cutoff of 2: both are informal leaders
    scores = scores_of([9, 7, 7] + [0] * 17)
    table = formal_and_informal(scores, roster_of(scores, {"m01"}))
    assert sorted(table.index[table["informal_leader"]]) == ["m02", "m03"]


def test_formal_and_informal_small_coalitions_keep_one_place() -> None:
    # 5 members: 10 % is 0.5, rounded to 0 -> at least 1 place (rank 1 only)
    scores = scores_of([3, 2, 0, 0, 0])
    table = formal_and_informal(scores, roster_of(scores, set()))
    assert table.index[table["informal_leader"]].tolist() == ["m01"]
    # 15 members: round(1.5) = 2 places
    scores = scores_of([3, 2, 1] + [0] * 12)
    table = formal_and_informal(scores, roster_of(scores, set()))
    assert table.index[table["informal_leader"]].tolist() == ["m01", "m02"]


def test_formal_and_informal_nobody_named_and_no_roles() -> None:
    scores = scores_of([0] * 10)                 # everyone shares rank 1 with 0 mentions
    table = formal_and_informal(scores, pd.DataFrame(index=scores.index))
    assert not table["informal_leader"].any()
    assert (table["role"] == "").all() and not table["leader"].any()
