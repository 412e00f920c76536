"""Comparing waves (docs/methods.md §Change between waves): the bundled study's power
shift is found and weighed against the comparison's many tests, members and ties are
matched by roster id, each permutation test answers constructed cases whose answer is
obvious, results are reproducible, and an anonymised comparison carries no real name.

The nulls themselves (dyad swap against exact enumeration, both-wave respondents, the
Gini's comparability, q-values, small groups) are tested in ``test_wave_inference.py``.
"""

from __future__ import annotations

import csv
import html
import json
import re

import numpy as np
import pytest

import cpower_network as cp
from cpower_network.export.comparison_json import comparison_document
from cpower_network.export.results_json import dumps
from cpower_network.waves.inference import (
    GroupLabels,
    PairedSwap,
    group_change,
    mean_gap,
    run_one,
    share_parity,
    swapped_gini_change,
)

LIVED = "decisions/parity/lived_experience"


# ---------------------------------------------------------------------------------------
# The bundled study
# ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def example():
    return cp.load_study(cp.example_study_path())


@pytest.fixture(scope="module")
def found(example):
    """The comparison the README quotes: every wave, the study's seed, 1,000 draws."""
    return cp.compare(example, permutations=1000)


def test_finds_the_lived_experience_decision_influence_gain(found):
    parity = found.measure(LIVED)
    assert found.permutations == 1000
    assert parity.test == "group labels"
    assert parity.values == [pytest.approx(0.4386, abs=1e-3), pytest.approx(0.9401, abs=1e-3)]
    assert parity.change == pytest.approx(0.5015, abs=1e-3)
    # on the nominations of the 37 members present throughout who answered the decision
    # survey in both waves, the gain holds
    assert parity.compared == 37
    assert parity.basis == ("decision nominations of the 66 members present throughout by "
                            "the 37 of them who answered in every wave")
    assert parity.stayers[-1] - parity.stayers[0] > 0.4
    # small on its own, but not once the comparison's 74 tests are counted
    assert 1 / 1001 <= parity.p_value < 0.05           # a permutation p is never 0
    assert parity.q_value > 0.05 and not parity.larger_than_chance
    assert "not larger than random groups of the same size show once the 74 tests are " \
           "counted (p = 0.0" in parity.reading
    grassroots = found.measure("decisions/parity/grassroots")
    assert grassroots.larger_than_chance and grassroots.q_value < 0.05


def test_power_redistribution_comes_first(found):
    keys = [m.key for m in found.measures]
    assert keys[:3] == [LIVED, "decisions/parity/grassroots", "decisions/gini"]
    lived = found.headline[0]
    assert "lived experience members' share of decision influence rose from 12 % to 29 %" \
        in lived
    assert "(decision parity 0.44 → 0.94)" in lived
    assert "not larger than random groups of the same size show once the 74 tests are " \
           "counted (p = 0.0" in lived
    assert "; 74 tests, false discovery rate 5 %)." in lived
    assert "this change is larger than random groups of the same size show (p = 0.00" \
        in found.headline[1]                           # grassroots: q < 0.05
    assert found.headline[-1].startswith(
        "Influence became less concentrated: the Gini of decision influence (each "
        "member's share of each decision's nominations, averaged over the wave's "
        "decisions) went from 0.54 to 0.46")
    gini_of = found.measure("decisions/gini")
    assert gini_of.test == "paired swap" and gini_of.change < 0 and gini_of.comparable


def test_decision_parity_matches_each_waves_analysis(found):
    parity = found.measure(LIVED)
    for value, result in zip(parity.values, found.results, strict=True):
        assert value == result.wave.decisions.parity.at["lived_experience", "parity"]


def test_example_counts_its_tests(found):
    """74 tests (none withheld or untestable in the bundled study); the sentence says
    how many pass the false discovery rate, and that matches the q-values."""
    tested = [m for m in found.measures if m.p_value is not None]
    larger = [m for m in tested if m.q_value < 0.05]
    assert found.tests_run == len(tested) == 74
    assert found.summary == (f"74 tests of change (1,000 draws each): {len(larger)} larger "
                             "than chance at a false discovery rate of 5 % "
                             "(Benjamini–Hochberg q < 0.05).")
    assert 10 <= len(larger) <= 20       # 16 with the seeded example
    # density is now tested by the dyad swap, on ties sent by both-wave respondents
    density = found.measure("collaborate/density")
    assert density.test == "dyad swap" and density.compared == 44
    assert found.measure("collaborate/ei").test == "dyad swap"


def test_flows_match_the_roster(found, example):
    with open(example.config.roster.path, encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    joined = [r["member_id"] for r in rows if r["waves"] == "2025"]
    left = [r["member_id"] for r in rows if r["waves"] == "2024"]
    stayed = [r["member_id"] for r in rows if r["waves"] in ("2024|2025", "")]
    (flow,) = found.flows
    assert (flow.before, flow.after) == ("2024", "2025")
    assert (len(flow.joined), len(flow.left), len(flow.stayed)) == (5, 4, 66)
    assert sorted(flow.joined) == sorted(joined)
    assert sorted(flow.left) == sorted(left)
    assert sorted(flow.stayed) == sorted(stayed) == sorted(found.stayers)


def test_example_tie_changes_add_up(found):
    stayers = set(found.stayers)
    for change in found.ties:
        before, after = found.graphs[change.relation]
        # ties among stayers, sent by those who answered in both waves
        answered = {m for m in stayers
                    if before.nodes[m]["respondent"] and after.nodes[m]["respondent"]}
        assert change.answered == len(answered)
        old = {(u, v) for u, v in before.edges() if u in answered and v in stayers}
        new = {(u, v) for u, v in after.edges() if u in answered and v in stayers}
        assert change.kept + change.lost == len(old)
        assert change.kept + change.gained == len(new)
        assert change.gained_cross <= change.gained and change.lost_cross <= change.lost
    collaborate = next(t for t in found.ties if t.relation == "collaborate")
    assert collaborate.gained_cross > collaborate.lost_cross   # silos opening up


def test_every_tested_change_has_a_p_value_in_range(found):
    tested = [m for m in found.measures if m.test != "none"]
    assert tested
    for m in tested:
        assert m.p_value is not None and 1 / 1001 <= m.p_value <= 1, m.key
        assert m.q_value is not None and m.p_value <= m.q_value <= 1, m.key
        assert m.smallest_p is not None and m.smallest_p <= 0.05, m.key
        assert m.draws == 1000 and m.note == "", m.key
        assert m.reading.endswith(f"q = {m.q_value:.3f}).") or \
            m.reading.endswith("q < 0.001)."), m.key


def test_comparison_json_document(found):
    document = json.loads(dumps(comparison_document(found)))
    assert document["kind"] == "comparison"
    assert document["waves"] == [["2024", "2024 (Qualtrics)"],
                                 ["2025", "2025 (Google Forms)"]]
    assert document["permutations"] == 1000
    assert document["tests_run"] == 74 and document["summary"] == found.summary
    assert [g["key"] for g in document["groups"]] == ["lived_experience", "grassroots"]
    assert document["groups"][0]["stayers"] == 19 and not document["groups"][0]["small"]
    measure = next(m for m in document["measures"] if m["key"] == LIVED)
    assert measure["change"] == pytest.approx(found.measure(LIVED).change)
    assert measure["q_value"] == found.measure(LIVED).q_value > measure["p_value"]
    assert measure["basis"].startswith("decision nominations of the 66 members")
    assert measure["compared"] == 37 and measure["group_size"] == 19
    assert set(document["results"]) == {"2024", "2025"}
    assert document["flows"][0]["joined"] == found.flows[0].joined


# ---------------------------------------------------------------------------------------
# Ties among members present in both waves, on a study small enough to check by hand
# ---------------------------------------------------------------------------------------
TINY_TOML = """
[study]
name = "Tiny"
seed = 5
[roster]
file = "roster.csv"
silo = "sector"
waves = "waves"
[focus_groups]
lived_experience = { column = "lived", label = "Lived experience" }
[relations.collaborate]
"""

TINY_ROSTER = """member_id,name,sector,lived,waves
a,Ann Able,X,yes,w1|w2
b,Bob Burr,X,no,w1|w2
c,Cat Cole,Y,no,w1|w2
d,Dan Dee,Y,yes,w1
e,Eve Eng,Y,no,w2
"""


def wave_toml(key: str, decisions: bool = False) -> str:
    text = f"""
[waves.{key}]
[[waves.{key}.surveys]]
file = "{key}.csv"
respondent = "who"
[[waves.{key}.surveys.questions]]
shape = "long"
relation = "collaborate"
alter = "alter"
"""
    if decisions:
        text += f"""
[[waves.{key}.surveys]]
file = "{key}-decisions.csv"
respondent = "who"
[[waves.{key}.surveys.questions]]
shape = "decision"
decision = "budget"
label = "The budget"
column = "shaped"
separator = ";"
"""
    return text


@pytest.fixture
def tiny(make_study):
    """a, b, c stay; d leaves after w1; e joins in w2.

    w1: a→b, b→c, c→d, d→a       among a, b, c: a→b (X→X), b→c (X→Y)
    w2: a→c, b→c, c→b, c→e, e→a   among a, b, c: a→c (X→Y), b→c, c→b (Y→X)
    kept b→c (across); gained a→c, c→b (both across); lost a→b (within X).
    """
    root = make_study(TINY_TOML + wave_toml("w1") + wave_toml("w2"), {
        "roster.csv": TINY_ROSTER,
        "w1.csv": "who,alter\na,b\nb,c\nc,d\nd,a\n",
        "w2.csv": "who,alter\na,c\nb,c\nc,b\nc,e\ne,a\n",
    })
    return cp.load_study(root)


def test_tie_changes_by_hand(tiny):
    assert tiny.quality.problems == []
    found = cp.compare(tiny, permutations=0, seed=1)
    assert found.stayers == ["a", "b", "c"]
    (flow,) = found.flows
    assert (flow.joined, flow.left, flow.stayed) == (["e"], ["d"], ["a", "b", "c"])
    (change,) = found.ties
    assert (change.relation, change.before, change.after) == ("collaborate", "w1", "w2")
    assert (change.kept, change.gained, change.lost) == (1, 2, 1)
    assert change.answered == 3                       # a, b, c answered in both waves
    assert (change.kept_cross, change.gained_cross, change.lost_cross) == (1, 2, 0)


def test_one_wave_is_not_enough(make_study):
    root = make_study(TINY_TOML + wave_toml("w1"), {
        "roster.csv": TINY_ROSTER.replace(",w2", ",w1"),
        "w1.csv": "who,alter\na,b\nb,c\n"})
    with pytest.raises(cp.UsageError,
                       match="compare needs at least two waves; this study has w1"):
        cp.compare(cp.load_study(root))


# ---------------------------------------------------------------------------------------
# Wave validation
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("waves", "message"), [
    (["2024"], "give at least two waves, e.g. --waves 2024,2025"),
    (["2024", "2026"], "no wave '2026' in this study; waves: 2024, 2025"),
    (["2025", "2025"], "a wave is listed twice: 2025, 2025"),
])
def test_wave_errors(example, waves, message):
    with pytest.raises(cp.UsageError) as caught:
        cp.compare(example, waves)
    assert message in str(caught.value)
    assert caught.value.exit_code == 2


# ---------------------------------------------------------------------------------------
# The permutation tests on cases whose answer is obvious
# ---------------------------------------------------------------------------------------
def labels_test(first, last, mask, statistic, *, draws=1000, seed=0):
    observed = statistic(last, mask) - statistic(first, mask)
    return run_one(GroupLabels(mask), observed, group_change(first, last, statistic),
                   draws=draws, rng=np.random.default_rng(seed))


def swap_test(first, last, *, draws=1000, seed=0):
    statistic = swapped_gini_change(first, last)
    observed = float(statistic(np.zeros((1, len(first)), bool))[0])
    return run_one(PairedSwap(len(first)), observed, statistic, draws=draws,
                   rng=np.random.default_rng(seed))


def test_share_parity_and_mean_gap_by_hand():
    values = np.array([3.0, 1.0, 0.0, 4.0])
    mask = np.array([True, False, False, True])
    # (3 + 4) / 8 of everything, held by 2 of 4 members: 0.875 / 0.5
    assert share_parity(values, mask) == pytest.approx(1.75)
    assert mean_gap(values, mask) == pytest.approx(3.5 - 0.5)
    rows = np.array([mask, ~mask])                      # one group per row
    assert share_parity(values, rows).tolist() == pytest.approx([1.75, 0.25])
    assert np.isnan(share_parity(values, np.zeros(4, bool)))
    assert np.isnan(mean_gap(np.array([1.0, np.nan]), np.array([False, True])))


def test_group_whose_scores_jump_has_a_small_p():
    rng = np.random.default_rng(0)
    first = rng.uniform(1, 2, 40)
    mask = np.zeros(40, bool)
    mask[:10] = True
    last = first.copy()
    last[mask] *= 4                                    # only this group gains
    assert share_parity(last, mask) > 2 * share_parity(first, mask)
    found = labels_test(first, last, mask, share_parity, seed=1)
    assert found.testable and found.p_value < 0.005 and found.draws == 1000


def test_change_shared_by_everyone_cannot_be_the_groups():
    """Scores triple for everyone: every shuffled group's share is unchanged, so no
    arrangement can show a change: not testable, never "within noise"."""
    first = np.arange(1.0, 21.0)
    mask = np.zeros(20, bool)
    mask[::3] = True
    found = labels_test(first, first * 3, mask, share_parity, draws=1000, seed=2)
    assert found.p_value == 1.0
    assert found.smallest_p == 1.0 and not found.testable


def test_random_labels_give_large_p_values():
    """Scores change at random; groups drawn at random: p is spread over (0, 1]."""
    rng = np.random.default_rng(3)
    first = rng.uniform(0, 5, 50)
    last = first + rng.normal(0, 1, 50)
    ps = [labels_test(first, last, rng.permutation(np.arange(50) < 15), mean_gap,
                      seed=k).p_value for k in range(40)]
    assert np.median(ps) > 0.25
    assert np.mean(np.array(ps) < 0.05) <= 0.15


def test_paired_swap_on_identical_waves_is_not_testable():
    scores = np.random.default_rng(4).uniform(0, 10, 30)
    found = swap_test(scores, scores.copy(), seed=5)
    assert found.p_value == 1.0 and not found.testable


def test_paired_swap_sees_concentration():
    first = np.ones(30)
    last = np.zeros(30)
    last[0] = 30.0                                     # one member takes all influence
    found = swap_test(first, last, seed=6)
    assert found.observed == pytest.approx(1 - 1 / 30)  # Gini 0 → (n − 1)/n
    assert found.testable and found.p_value < 0.01


def test_paired_swap_without_members_is_not_measured():
    empty = np.zeros(0)
    change = swapped_gini_change(empty, empty)(np.zeros((1, 0), bool))
    assert np.isnan(change).all()


# ---------------------------------------------------------------------------------------
# Reproducible
# ---------------------------------------------------------------------------------------
def test_same_seed_gives_the_same_comparison(example):
    one = dumps(comparison_document(cp.compare(example, permutations=1000, seed=11)))
    two = dumps(comparison_document(cp.compare(example, permutations=1000, seed=11)))
    assert one == two
    other = comparison_document(cp.compare(example, permutations=1000, seed=12))
    first = json.loads(one)
    assert other["seed"] == 12 and first["seed"] == 11
    values = {m["key"]: m["values"] for m in first["measures"]}
    assert all(values[m["key"]] == m["values"] for m in other["measures"]
               if not m["key"].startswith("indicators/"))
    assert [m["p_value"] for m in other["measures"]] != \
        [m["p_value"] for m in first["measures"]]


# ---------------------------------------------------------------------------------------
# Three waves
# ---------------------------------------------------------------------------------------
def test_three_waves(make_study, tmp_path):
    roster = TINY_ROSTER.replace("w1|w2", "").replace(",w1\n", ",\n").replace(",w2\n", ",\n")
    files = {"roster.csv": roster}
    shaped = {"w1": "a,b;c\nb,c\nc,b\nd,c\n", "w2": "a,b;d\nb,a\nc,b\nd,c\n",
              "w3": "a,d\nb,a\nc,d\nd,a\ne,a\n"}
    for key in ("w1", "w2", "w3"):
        files[f"{key}.csv"] = "who,alter\na,b\nb,c\nc,d\nd,a\ne,a\n"
        files[f"{key}-decisions.csv"] = "who,shaped\n" + shaped[key]
    toml = TINY_TOML + "".join(wave_toml(k, decisions=True) for k in ("w1", "w2", "w3"))
    study = cp.load_study(make_study(toml, files))
    assert study.quality.errors == []
    found = cp.compare(study, permutations=1000, seed=2)
    assert [key for key, _ in found.waves] == ["w1", "w2", "w3"]
    assert [(f.before, f.after) for f in found.flows] == [("w1", "w2"), ("w2", "w3")]
    assert [(t.before, t.after) for t in found.ties if t.relation == "collaborate"] == \
        [("w1", "w2"), ("w2", "w3")]
    parity = found.measure(LIVED)
    assert len(parity.values) == 3
    assert parity.values[0] == 0.0                     # nobody named a or d in w1
    assert parity.change == pytest.approx(parity.values[2])
    page = found.to_html(tmp_path / "compare.html").read_text(encoding="utf-8")
    chart = re.search(r"<title>Decision parity and Gini of influence across waves</title>"
                      r".*?</svg>", page, re.S).group(0)
    assert chart.count("<polyline") == 2              # lived-experience parity and Gini
    points = re.findall(r'<polyline[^>]*points="([^"]*)"', chart)
    assert all(len(p.split()) == 3 for p in points)   # one point per wave


# ---------------------------------------------------------------------------------------
# Anonymised
# ---------------------------------------------------------------------------------------
def spellings(text: str) -> set[bytes]:
    """The ways a name can appear in a file: as is, HTML-escaped, JSON-escaped."""
    return {variant.encode("utf-8") for variant in
            (text, html.escape(text), html.escape(text, quote=False),
             json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1])}


def leaked(data: bytes, example) -> list[str]:
    roster = example.roster
    secrets = [*roster["name"], *[o for o in roster["organisation"].dropna() if o]]
    found = [s for s in secrets if any(v in data for v in spellings(str(s)))]
    found += [m for m in roster.index if re.search(rf"\b{m}\b".encode(), data)]
    return found


def test_anonymised_comparison_has_no_real_name(example, found, tmp_path):
    hidden = cp.compare(example, permutations=0, anonymize=True)
    assert hidden.anonymized
    document = dumps(comparison_document(hidden)).encode("utf-8")
    assert json.loads(document)["anonymized"] is True
    assert leaked(document, example) == []
    for audience in ("evaluator", "retreat"):
        page = hidden.to_html(tmp_path / f"{audience}.html", audience=audience).read_bytes()
        assert leaked(page, example) == [], audience
    # the same check finds names in a comparison that is not anonymised
    named = found.to_html(tmp_path / "named.html").read_bytes()
    assert "Crystal Begay" in leaked(named, example)
    assert leaked(dumps(comparison_document(found)).encode(), example)
    assert hidden.measure(LIVED).values == found.measure(LIVED).values
