"""Dyadic agreement (measures/agreement.py; docs/methods.md §Dyadic agreement) and its
wiring to a study (ratings.py ``wave_ratings``), with the configuration checks of
``facet`` (config.py ``_read_facet``).

The pairwise intraclass correlation is the double-entry Pearson correlation of Griffin &
Gonzalez (1995): each pair rated both ways enters as (x, y) and as (y, x). Expected values
are worked out by hand in the comments and checked against :func:`numpy.corrcoef` of the
double-entered vectors. The study-level expectations (trust network share, agreement on a
0–3 frequency relation) are computed by hand from the small survey written in each test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cpower_network as cp
from cpower_network.config.study import read_config
from cpower_network.errors import ConfigError, GraphError
from cpower_network.measures.agreement import DISAGREE_AT, dyadic_agreement
from cpower_network.results.ratings import wave_ratings

PAIR_COLUMNS = ["measure", "member", "partner", "rating", "rating_back", "difference"]
SUMMARY_COLUMNS = ["measure", "pairs", "icc", "mean_difference", "disagree", "range",
                   "low"]


def rated(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["rater", "rated", "rating"])


# Roster a, b, c, d, e on a 0–3 scale. Pairs rated both ways:
#   a↔b (3, 3), a↔c (3, 0), b↔c (2, 1), d↔e (0, 0).
# a→d is rated one way only (d did not rate a): not a pair. e→e is a self-rating: ignored.
OFTEN = rated([("a", "b", 3), ("b", "a", 3), ("c", "a", 0), ("a", "c", 3),
               ("b", "c", 2), ("c", "b", 1), ("d", "e", 0), ("e", "d", 0),
               ("a", "d", 3), ("e", "e", 3)])
ORDER = ["a", "b", "c", "d", "e"]


def test_disagreement_threshold_is_half_the_range() -> None:
    assert DISAGREE_AT == 0.5


# --------------------------------------------------------------------------- the ICC
def test_pairwise_icc_by_hand() -> None:
    # Double entry: x = (3, 3, 2, 0 | 3, 0, 1, 0), y = (3, 0, 1, 0 | 3, 3, 2, 0).
    # Both means 12/8 = 1.5. Deviations
    #   x: 1.5, 1.5, 0.5, −1.5, 1.5, −1.5, −0.5, −1.5
    #   y: 1.5, −1.5, −0.5, −1.5, 1.5, 1.5, 0.5, −1.5
    # Σ dx·dy = 2.25 − 2.25 − 0.25 + 2.25 + 2.25 − 2.25 − 0.25 + 2.25 = 4
    # Σ dx² = Σ dy² = 6·2.25 + 2·0.25 = 14, so r = 4/14 = 2/7 ≈ 0.2857.
    summary, pairs = dyadic_agreement({"often": OFTEN}, {"often": (0, 3)}, ORDER)
    assert list(summary.columns) == SUMMARY_COLUMNS
    row = summary.iloc[0]
    assert row["measure"] == "often"
    assert row["pairs"] == 4  # a→d (one way) and e→e (self) are not pairs
    assert row["icc"] == pytest.approx(2 / 7)
    x = np.array([3, 3, 2, 0, 3, 0, 1, 0], dtype=float)
    y = np.array([3, 0, 1, 0, 3, 3, 2, 0], dtype=float)
    assert row["icc"] == pytest.approx(np.corrcoef(x, y)[0, 1])
    # mean |difference| = (0 + 3 + 1 + 0)/4 = 1.0; range 3 − 0 = 3; only a↔c (3) differs
    # by at least 1.5
    assert row["mean_difference"] == pytest.approx(1.0)
    assert (row["disagree"], row["range"], row["low"]) == (1, 3.0, 0.0)
    assert list(pairs.columns) == PAIR_COLUMNS
    assert [tuple(r) for r in pairs.itertuples(index=False)] == [
        ("often", "a", "c", 3, 0, 3)]


def test_icc_of_three_pairs_against_the_doc_example() -> None:
    # pairs (3, 3), (3, 0), (2, 1): x = (3, 3, 2, 3, 0, 1), both means 2,
    # dx = (1, 1, 0, 1, −2, −1), dy = (1, −2, −1, 1, 1, 0): Σ dx·dy = 1 − 2 + 0 + 1 − 2 + 0
    # = −2, Σ dx² = 8, r = −2/8 = −0.25. Exactly 3 pairs: the ICC is defined.
    r = rated([("a", "b", 3), ("b", "a", 3), ("a", "c", 3), ("c", "a", 0),
               ("b", "c", 2), ("c", "b", 1)])
    summary, _ = dyadic_agreement({"often": r}, {"often": (0, 3)})
    assert summary.iloc[0]["icc"] == pytest.approx(-0.25)


def test_perfect_agreement_is_one_and_mirror_images_are_minus_one() -> None:
    # pairs (0, 0), (1, 1), (2, 2): x = y, so r = 1
    same = rated([("a", "b", 0), ("b", "a", 0), ("a", "c", 1), ("c", "a", 1),
                  ("b", "c", 2), ("c", "b", 2)])
    summary, _ = dyadic_agreement({"m": same}, {"m": (0, 3)})
    assert summary.iloc[0]["icc"] == pytest.approx(1.0)
    assert summary.iloc[0]["mean_difference"] == 0.0
    # pairs (0, 3), (1, 2), (3, 0): x + y = 3 always, so y = 3 − x and r = −1
    opposite = rated([("a", "b", 0), ("b", "a", 3), ("a", "c", 1), ("c", "a", 2),
                      ("b", "c", 3), ("c", "b", 0)])
    summary, _ = dyadic_agreement({"m": opposite}, {"m": (0, 3)})
    assert summary.iloc[0]["icc"] == pytest.approx(-1.0)


def test_icc_is_nan_under_three_pairs_or_without_variation() -> None:
    two = rated([("a", "b", 3), ("b", "a", 0), ("a", "c", 1), ("c", "a", 2)])
    flat = rated([(u, v, 2) for u, v in [("a", "b"), ("b", "a"), ("a", "c"), ("c", "a"),
                                         ("b", "c"), ("c", "b")]])
    summary, _ = dyadic_agreement({"two": two, "flat": flat},
                                  {"two": (0, 3), "flat": (0, 3)})
    s = summary.set_index("measure")
    assert s.loc["two", "pairs"] == 2 and math.isnan(s.loc["two", "icc"])
    assert s.loc["two", "mean_difference"] == pytest.approx((3 + 1) / 2)
    assert s.loc["flat", "pairs"] == 3 and math.isnan(s.loc["flat", "icc"])
    assert s.loc["flat", "mean_difference"] == 0.0 and s.loc["flat", "disagree"] == 0


def test_an_empty_measure_has_no_pairs() -> None:
    one_way = rated([("a", "b", 3), ("a", "c", 1)])
    summary, pairs = dyadic_agreement({"none": rated([]), "one_way": one_way},
                                      {"none": (0, 3), "one_way": (0, 3)})
    assert summary["pairs"].tolist() == [0, 0]
    assert summary["icc"].isna().all() and summary["mean_difference"].isna().all()
    assert summary["disagree"].tolist() == [0, 0]
    assert pairs.empty and list(pairs.columns) == PAIR_COLUMNS
    summary, pairs = dyadic_agreement({}, {})
    assert summary.empty and list(summary.columns) == SUMMARY_COLUMNS
    assert pairs.empty and list(pairs.columns) == PAIR_COLUMNS


# --------------------------------------------------------------------------- disagreement
@pytest.mark.parametrize(("x", "y", "disagree"), [
    (3.0, 1.5, True),   # difference 1.5 = half of 0–3: disagrees (inclusive)
    (2.5, 1.0, True),   # 1.5 again, in other places of the scale
    (3.0, 0.0, True),
    (3.0, 2.0, False),  # difference 1.0 < 1.5
    (2.0, 1.0, False),
    (1.6, 0.2, False),  # 1.4
])
def test_threshold_is_inclusive_at_half_the_range(x, y, disagree) -> None:
    summary, pairs = dyadic_agreement({"m": rated([("a", "b", x), ("b", "a", y)])},
                                      {"m": (0, 3)})
    assert summary.iloc[0]["disagree"] == int(disagree)
    assert len(pairs) == int(disagree)


def test_threshold_follows_the_scale_range_not_its_top() -> None:
    # a 1–4 scale has range 3: 4 vs 2.5 (difference 1.5) disagrees, 4 vs 3 does not
    r = rated([("a", "b", 4), ("b", "a", 2.5), ("a", "c", 4), ("c", "a", 3)])
    summary, pairs = dyadic_agreement({"m": r}, {"m": (1, 4)})
    assert summary.iloc[0]["range"] == 3.0 and summary.iloc[0]["disagree"] == 1
    assert pairs[["member", "partner"]].values.tolist() == [["a", "b"]]
    # shares from 0.25 to 1 (range 0.75): 0.375 apart is the threshold
    shares = rated([("a", "b", 1.0), ("b", "a", 0.625), ("a", "c", 1.0), ("c", "a", 0.75)])
    summary, _ = dyadic_agreement({"s": shares}, {"s": (0.25, 1.0)})
    assert summary.iloc[0]["disagree"] == 1


def test_a_scale_without_range_has_no_disagreement() -> None:
    r = rated([("a", "b", 1), ("b", "a", 1)])
    summary, pairs = dyadic_agreement({"m": r}, {"m": (1, 1)})
    assert summary.iloc[0]["disagree"] == 0 and pairs.empty


def test_pairs_put_the_first_member_in_roster_order_first() -> None:
    r = rated([("a", "c", 3), ("c", "a", 0), ("b", "z", 0), ("z", "b", 3)])
    _, pairs = dyadic_agreement({"m": r}, {"m": (0, 3)}, ["c", "b", "a"])
    # c before a in the roster: (c, a) with c's rating of a (0) first; z is not on the
    # roster, so it comes after b
    assert pairs[["member", "partner", "rating", "rating_back"]].values.tolist() == [
        ["c", "a", 0, 3], ["b", "z", 0, 3]]
    _, pairs = dyadic_agreement({"m": r}, {"m": (0, 3)})  # no order: by id
    assert pairs[["member", "partner", "rating", "rating_back"]].values.tolist() == [
        ["a", "c", 3, 0], ["b", "z", 0, 3]]


def test_disagreeing_pairs_are_sorted_largest_difference_first() -> None:
    # m (0–3): a↔b 1.5 apart, c↔d 3 apart; n (0–4): a↔c 2 apart, b↔d 4 apart
    m = rated([("a", "b", 3), ("b", "a", 1.5), ("c", "d", 0), ("d", "c", 3)])
    n = rated([("a", "c", 4), ("c", "a", 2), ("b", "d", 0), ("d", "b", 4)])
    _, pairs = dyadic_agreement({"m": m, "n": n}, {"m": (0, 3), "n": (0, 4)}, "abcd")
    assert pairs[["measure", "member", "partner", "difference"]].values.tolist() == [
        ["n", "b", "d", 4.0], ["m", "c", "d", 3.0], ["n", "a", "c", 2.0],
        ["m", "a", "b", 1.5]]
    assert pairs.index.tolist() == [0, 1, 2, 3]


# --------------------------------------------------------------------------- properties
ratings_strategy = st.dictionaries(
    st.tuples(st.integers(0, 6), st.integers(0, 6)).filter(lambda p: p[0] != p[1]),
    st.integers(0, 3), max_size=42)


@settings(max_examples=150, deadline=None)
@given(ratings_strategy)
def test_relabelling_rater_and_rated_changes_nothing(given_ratings) -> None:
    frame = rated([(f"p{r}", f"p{a}", v) for (r, a), v in given_ratings.items()])
    swapped = frame.rename(columns={"rater": "rated", "rated": "rater"})
    order = [f"p{i}" for i in range(7)]
    first, _ = dyadic_agreement({"m": frame}, {"m": (0, 3)}, order)
    second, _ = dyadic_agreement({"m": swapped}, {"m": (0, 3)}, order)
    pd.testing.assert_frame_equal(first, second)


@settings(max_examples=150, deadline=None)
@given(ratings_strategy, st.sampled_from([(0, 3), (1, 4), (0, 10)]))
def test_summary_stays_in_bounds(given_ratings, scale) -> None:
    low, high = scale
    frame = rated([(f"p{r}", f"p{a}", low + v * (high - low) / 3)
                   for (r, a), v in given_ratings.items()])
    summary, pairs = dyadic_agreement({"m": frame}, {"m": scale})
    row = summary.iloc[0]
    both_ways = sum((a, r) in given_ratings for (r, a) in given_ratings) // 2
    assert row["pairs"] == both_ways
    if not math.isnan(row["icc"]):
        assert row["pairs"] >= 3
        assert -1.0 - 1e-12 <= row["icc"] <= 1.0 + 1e-12
    if row["pairs"]:
        assert 0.0 <= row["mean_difference"] <= row["range"] + 1e-12
    assert row["disagree"] == len(pairs) <= row["pairs"]
    assert (pairs["difference"] >= DISAGREE_AT * (high - low) - 1e-9).all()


# --------------------------------------------------------------------------- a whole study
ROSTER = ("member_id,name,sector,grassroots\n"
          "m01,Ana,Parents,yes\nm02,Ben,Parents,no\nm03,Cy,Providers,yes\n"
          "m04,Di,Funders,no\n")

STUDY = """
[study]
name = "ratings"
[roster]
file = "roster.csv"
silo = "sector"
[focus_groups]
grassroots = { column = "grassroots", label = "Grassroots" }
[scales]
frequency = { "Never" = 0, "A few times a year" = 1, "Monthly" = 2, "Weekly" = 3 }
trust = { "Not at all" = 1, "A little" = 2, "Somewhat" = 3, "A lot" = 4 }
[relations.collaborate]
label = "Work together"
scale = "frequency"
[relations.trust]
label = "Trust"
scale = "trust"
combine = "mean"
[relations.advice]
[waves.w1]
[[waves.w1.surveys]]
file = "s.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "collaborate"
columns = "c_{member}"
"""
RELIABILITY_QUESTION = """
[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "trust"
facet = "reliability"
columns = "r_{member}"
"""
FACET_QUESTIONS = RELIABILITY_QUESTION + """
[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "trust"
facet = "openness"
columns = "o_{member}"
"""

# Who works with whom, how often (0–3):
#   m01→m02 Weekly (3), m02→m01 Weekly (3)       agree
#   m01→m03 Weekly (3), m03→m01 Never (0)        disagree: 3 ≥ 1.5
#   m02→m03 Monthly (2), m03→m02 A few times (1) differ by 1 < 1.5
#   m01→m04 Monthly (2): m04 did not answer      one way only: not a pair
# Trust (1–4; share = answer/4):
#   m01→m02 reliability A lot (1), openness Somewhat (0.75) → 0.875
#   m02→m01 reliability Somewhat (0.75), openness blank     → 0.75 (1 facet)
#   m03→m01 reliability A little (0.5), openness A little (0.5) → 0.5
#   m01→m03 reliability Not at all (0.25), openness blank   → 0.25
HEADER = "who,c_m01,c_m02,c_m03,c_m04,r_m01,r_m02,r_m03,r_m04,o_m01,o_m02,o_m03,o_m04\n"
ANSWERS = (HEADER
           + "m01,,Weekly,Weekly,Monthly,,A lot,Not at all,,,Somewhat,,\n"
           + "m02,Weekly,,Monthly,,Somewhat,,,,,,,\n"
           + "m03,Never,A few times a year,,,A little,,,,A little,,,\n")


@pytest.fixture
def study_of(make_study):
    """``study_of(toml, survey_text)``: load a one-wave study with the roster above."""

    def load(toml: str, text: str) -> cp.Study:
        return cp.load_study(make_study(toml, {"roster.csv": ROSTER, "s.csv": text}))

    return load


def test_wave_ratings_of_a_small_study(study_of) -> None:
    study = study_of(STUDY + FACET_QUESTIONS, ANSWERS)
    settings = study.config.analysis.with_options(permutations=1000)
    found = wave_ratings(study, "w1", settings=settings, seed=3)
    assert found.asked
    scores = found.scores
    assert scores.measured == ["trust"]
    # network trust share: mean of the 4 pair scores (0.875 + 0.75 + 0.5 + 0.25)/4 = 0.59375
    trust = scores.network["trust"]
    assert trust["share"] == pytest.approx(0.59375)
    assert (trust["pairs"], trust["raters"], trust["scale_max"]) == (4, 3, 4.0)
    assert trust["facets"] == ["reliability", "openness"]
    pairs = scores.pairs.set_index(["rater", "rated"])
    assert pairs.loc[("m02", "m01"), "facets"] == 1
    # received: m01 (0.75 + 0.5)/2 = 0.625, m02 0.875, m03 0.25, m04 nobody
    assert scores.members["trust"].tolist()[:3] == [0.625, 0.875, 0.25]
    assert math.isnan(scores.members.loc["m04", "trust"])
    assert found.units["trust"] == "share" and found.floors == {"trust": 0.25}
    # the grassroots group (m01, m03): mean (0.625 + 0.25)/2 = 0.4375 vs all rated
    # (1.75/3 = 0.5833): parity 0.75; 2 rated members of 3 cannot be tested, and with the
    # default suppress_group (3) the test is withheld
    group = scores.groups.set_index("group").loc["grassroots"]
    assert group["mean"] == pytest.approx(0.4375)
    assert group["parity"] == pytest.approx(0.4375 / (1.75 / 3))
    assert group["withheld"] and math.isnan(group["p_value"])

    agreement = found.agreement.set_index("measure")
    assert list(found.agreement.columns) == ["measure", "label", *SUMMARY_COLUMNS[1:]]
    # the frequency relation is a rated measure with its label; "Never" (0) is a rating,
    # so m01↔m03 (Weekly vs Never) is a pair that disagrees. Pairs: m01↔m02 (3, 3),
    # m01↔m03 (3, 0), m02↔m03 (2, 1): mean difference (0 + 3 + 1)/3 = 4/3. ICC by hand:
    # x = (3, 3, 2, 3, 0, 1), the doc example above: −0.25.
    often = agreement.loc["collaborate"]
    assert often["label"] == "Work together"
    assert often["pairs"] == 3 and often["disagree"] == 1 and often["range"] == 3.0
    assert often["mean_difference"] == pytest.approx(4 / 3)
    assert often["icc"] == pytest.approx(-0.25)
    assert found.units["collaborate"] == "frequency"
    # the raw trust relation is not compared (it is measured through the trust score);
    # the score is: pairs m01↔m02 (0.875 vs 0.75) and m01↔m03 (0.25 vs 0.5), on the
    # range 0.25–1 (0.75): neither differs by 0.375.
    assert found.agreement["label"].tolist() == ["Work together", "Trust score"]
    assert agreement.loc["trust", "pairs"] == 2
    assert agreement.loc["trust", "range"] == pytest.approx(0.75)
    assert agreement.loc["trust", "disagree"] == 0
    assert agreement.index.tolist() == ["collaborate", "trust"]  # advice: no answers
    d = found.disagreements
    assert d[["measure", "member", "partner", "rating", "rating_back"]].values.tolist() == [
        ["collaborate", "m01", "m03", 3.0, 0.0]]


def test_a_study_without_facets_asks_no_ratings(study_of) -> None:
    text = "who,c_m01,c_m02,c_m03,c_m04\nm01,,Weekly,Never,\nm03,Monthly,Never,,\n"
    study = study_of(STUDY, text)
    found = wave_ratings(study, "w1", settings=study.config.analysis, seed=0)
    assert found.asked is False
    assert found.scores.measured == [] and found.scores.pairs.empty
    assert found.scores.groups.empty and found.floors == {}
    # agreement on the frequency relation still runs: m01↔m03 (Never vs Monthly) and
    # nothing else, and a difference of 2 ≥ 1.5 disagrees
    row = found.agreement.set_index("measure").loc["collaborate"]
    assert (row["pairs"], row["disagree"]) == (1, 1)
    assert found.agreement["measure"].tolist() == ["collaborate"]


# --------------------------------------------------------------------------- configuration
def config_problems(make_study, toml: str) -> list[str]:
    root = make_study(toml, {"roster.csv": ROSTER, "s.csv": HEADER})
    with pytest.raises(ConfigError) as caught:
        read_config(root)
    return [p.message for p in caught.value.problems]


def test_a_misspelt_facet_is_reported(make_study) -> None:
    toml = STUDY + FACET_QUESTIONS.replace('"reliability"', '"reliabilty"')
    messages = config_problems(make_study, toml)
    assert len(messages) == 1, messages
    assert "facet = 'reliabilty' is not one of reliability, openness, mission, power, " \
           "involvement, resources; did you mean 'reliability'?" in messages[0], messages


def test_a_facet_on_a_tie_relation_is_reported(make_study) -> None:
    toml = STUDY + FACET_QUESTIONS.replace('relation = "trust"\nfacet = "openness"',
                                           'relation = "advice"\nfacet = "openness"')
    messages = config_problems(make_study, toml)
    assert len(messages) == 1, messages
    assert "facet 'openness' needs a rating: relation 'advice' has scale = \"tie\"" in \
        messages[0], messages


@pytest.mark.parametrize(("old", "new", "where", "expected"), [
    ('"reliability"', '"reliabilty"', "question #2",
     "facet = 'reliabilty' is not one of reliability, openness, mission, power, "
     "involvement, resources; did you mean 'reliability'?"),
    ('relation = "trust"\nfacet = "openness"', 'relation = "advice"\nfacet = "openness"',
     "question #3", "facet 'openness' needs a rating: relation 'advice' has scale = \"tie\""),
])
def test_validate_reports_the_facet_key(make_study, run_cli, old, new, where,
                                        expected) -> None:
    assert old in FACET_QUESTIONS
    toml = STUDY + FACET_QUESTIONS.replace(old, new)
    root = make_study(toml, {"roster.csv": ROSTER, "s.csv": ANSWERS})
    result = run_cli("validate", root)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.stdout == ""
    assert "cpower.toml: 1 configuration problem" in result.stderr
    assert f"(s.csv) {where} {expected}" in result.stderr, result.stderr


# Known defects, left failing on purpose (see the assertion messages): a facet that
# `cpower validate` accepts must either be refused when the configuration is read or be
# scored without error, and a mention on the "tie" scale is never a trust rating.
def test_a_facet_on_a_relation_column_tie_row_is_refused_or_ignored(make_study) -> None:
    # A long question whose relation comes from a column (relation_column) carries
    # facet = "reliability" for every row. _read_facet only checks the tie scale when
    # the question names one relation, so an advice mention (scale "tie": 1 = named)
    # is read as a reliability rating of 1/1 = full trust.
    toml = STUDY.replace('shape = "matrix"\nrelation = "collaborate"\ncolumns = "c_{member}"',
                         'shape = "long"\nrelation_column = "rel"\nalter = "alter"\n'
                         'value = "answer"\nfacet = "reliability"')
    text = "who,alter,rel,answer\nm01,m02,advice,1\nm02,m01,trust,Somewhat\n"
    root = make_study(toml, {"roster.csv": ROSTER, "s.csv": text})
    try:
        study = cp.load_study(root)
    except ConfigError as error:  # refusing it, with the key named, is a fix
        assert any("facet" in p.message for p in error.problems), error.problems
        return
    found = wave_ratings(study, "w1", settings=study.config.analysis, seed=0)
    pairs = [tuple(p) for p in found.scores.pairs[["rater", "rated", "share"]].values]
    assert ("m01", "m02", 1.0) not in pairs, (
        "BUG: a facet on a long question with relation_column is not checked against the "
        "tie scale (config._read_facet gets relation=None), so m01's advice mention of "
        f"m02 became a reliability rating of share 1.0: pairs {pairs}")


def test_a_facet_on_a_scale_with_negative_values_is_refused_or_scored(make_study) -> None:
    # trust on a −1/0/1 scale with facet = "reliability": `cpower validate` finds no
    # problem, then `cpower analyze` stops in wave_ratings: shares r/h are −1..1 and
    # group_parity refuses negative scores ("centrality shares need scores >= 0").
    toml = STUDY.replace('trust = { "Not at all" = 1, "A little" = 2, "Somewhat" = 3, '
                         '"A lot" = 4 }',
                         'trust = { "Disagree" = -1, "Neutral" = 0, "Agree" = 1 }', 1)
    assert toml != STUDY
    toml += RELIABILITY_QUESTION
    text = ("who,c_m01,c_m02,c_m03,c_m04,r_m01,r_m02,r_m03,r_m04\n"
            "m01,,Weekly,,,,Agree,Disagree,Agree\n"
            "m02,Weekly,,,,Agree,,Disagree,\n"
            "m03,,,,,Disagree,Neutral,,\n")
    root = make_study(toml, {"roster.csv": ROSTER, "s.csv": text})
    try:
        study = cp.load_study(root)
    except ConfigError as error:  # refusing it, with the key named, is a fix
        assert any("facet" in p.message for p in error.problems), error.problems
        return
    assert study.config.relation_scale("trust").labels["Disagree"] == -1
    try:
        wave_ratings(study, "w1", settings=study.config.analysis, seed=0)
    except GraphError as error:
        pytest.fail("BUG: a facet on a scale with negative values passes the configuration "
                    f"check but wave_ratings (and `cpower analyze`) fails: {error}")
