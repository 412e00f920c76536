"""Comparing waves (INDICATORS.md "Over time"): the bundled study's power shift is found
and is larger than chance, members and ties are matched by roster id, each permutation
test answers constructed cases whose answer is obvious, results are reproducible, and
an anonymised comparison carries no real name.
"""

from __future__ import annotations

import csv
import html
import json
import re

import numpy as np
import pytest

import cpower_network as cp
from cpower_network.measures.parity import gini
from cpower_network.results_json import dumps
from cpower_network.waves_json import comparison_document
from cpower_network.waves_measures import (
    group_label_test,
    mean_gap,
    p_two_sided,
    paired_swap_test,
    share_parity,
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
    # among the 66 members present throughout the gain holds, and exceeds chance
    assert parity.stayers[-1] - parity.stayers[0] > 0.4
    assert parity.p_value < 0.05
    assert parity.p_value >= 1 / 1001                  # a permutation p is never 0


def test_power_redistribution_comes_first(found):
    keys = [m.key for m in found.measures]
    assert keys[:3] == [LIVED, "decisions/parity/grassroots", "decisions/gini"]
    lived = found.headline[0]
    assert "lived experience members' share of decision influence rose from 12 % to 29 %" \
        in lived
    assert "(decision parity 0.44 → 0.94)" in lived
    assert "larger than random groups of the same size show (p = 0.0" in lived
    assert found.headline[-1].startswith("Influence became less concentrated: the Gini of "
                                         "decision influence went from 0.54 to 0.46")
    gini_of = found.measure("decisions/gini")
    assert gini_of.test == "paired swap" and gini_of.change < 0


def test_decision_parity_matches_each_waves_analysis(found):
    parity = found.measure(LIVED)
    for value, result in zip(parity.values, found.results, strict=True):
        assert value == result.wave.decisions.parity.at["lived_experience", "parity"]


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
        old = {e for e in before.edges() if set(e) <= stayers}
        new = {e for e in after.edges() if set(e) <= stayers}
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
        assert m.reading.endswith(")."), m.key


def test_comparison_json_document(found):
    document = json.loads(dumps(comparison_document(found)))
    assert document["kind"] == "comparison"
    assert document["waves"] == [["2024", "2024 (Qualtrics)"],
                                 ["2025", "2025 (Google Forms)"]]
    assert document["permutations"] == 1000
    measure = next(m for m in document["measures"] if m["key"] == LIVED)
    assert measure["change"] == pytest.approx(found.measure(LIVED).change)
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
    found = cp.compare(tiny, permutations=50, seed=1)
    assert found.stayers == ["a", "b", "c"]
    (flow,) = found.flows
    assert (flow.joined, flow.left, flow.stayed) == (["e"], ["d"], ["a", "b", "c"])
    (change,) = found.ties
    assert (change.relation, change.before, change.after) == ("collaborate", "w1", "w2")
    assert (change.kept, change.gained, change.lost) == (1, 2, 1)
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
def test_p_two_sided_formula():
    # (1 + #{|draw| ≥ |observed|}) / (1 + B)
    assert p_two_sided(2.0, np.array([0.5, -3.0, 1.0])) == (1 + 1) / (1 + 3)
    assert p_two_sided(-2.0, np.array([2.0, -2.0, 1.0, 0.0])) == (1 + 2) / (1 + 4)
    assert p_two_sided(5.0, np.zeros(999)) == 1 / 1000
    assert p_two_sided(0.0, np.array([0.0, 1.0])) == 1.0
    assert p_two_sided(1.0, np.array([])) == 1.0
    # a draw equal to the observed change up to rounding counts as extreme
    assert p_two_sided(0.1 + 0.2, np.array([0.3, 0.0])) == 2 / 3


def test_group_whose_scores_jump_has_a_small_p():
    rng = np.random.default_rng(0)
    first = rng.uniform(1, 2, 40)
    mask = np.zeros(40, bool)
    mask[:10] = True
    last = first.copy()
    last[mask] *= 4                                    # only this group gains
    assert share_parity(last, mask) > 2 * share_parity(first, mask)
    p = group_label_test(first, last, mask, share_parity, draws=1000,
                         rng=np.random.default_rng(1))
    assert p < 0.005


def test_change_shared_by_everyone_is_not_the_groups():
    first = np.arange(1.0, 21.0)
    mask = np.zeros(20, bool)
    mask[::3] = True
    p = group_label_test(first, first * 3, mask, share_parity, draws=500,
                         rng=np.random.default_rng(2))
    assert p == 1.0                                    # no group's share moved


def test_random_labels_give_large_p_values():
    """Scores change at random; groups drawn at random: p is spread over (0, 1]."""
    rng = np.random.default_rng(3)
    first = rng.uniform(0, 5, 50)
    last = first + rng.normal(0, 1, 50)
    ps = []
    for _ in range(40):
        mask = rng.permutation(np.arange(50) < 15)
        ps.append(group_label_test(first, last, mask, mean_gap, draws=200, rng=rng))
    assert np.median(ps) > 0.25
    assert np.mean(np.array(ps) < 0.05) <= 0.15


def test_group_label_test_without_a_group():
    values = np.ones(5)
    for mask in (np.zeros(5, bool), np.ones(5, bool)):
        assert group_label_test(values, values, mask, share_parity, draws=10,
                                rng=np.random.default_rng(0)) is None


def test_paired_swap_on_identical_waves_gives_one():
    rng = np.random.default_rng(4)
    scores = rng.uniform(0, 10, 30)
    p = paired_swap_test(scores, scores.copy(), lambda v: gini(v.tolist()), draws=1000,
                         rng=np.random.default_rng(5))
    assert p == 1.0


def test_paired_swap_sees_concentration():
    first = np.ones(30)
    last = np.zeros(30)
    last[0] = 30.0                                     # one member takes all influence
    p = paired_swap_test(first, last, lambda v: gini(v.tolist()), draws=1000,
                         rng=np.random.default_rng(6))
    assert p < 0.01


def test_paired_swap_without_stayers():
    empty = np.zeros(0)
    assert paired_swap_test(empty, empty, np.sum, draws=10,
                            rng=np.random.default_rng(0)) is None


# ---------------------------------------------------------------------------------------
# Reproducible
# ---------------------------------------------------------------------------------------
def test_same_seed_gives_the_same_comparison(example):
    one = dumps(comparison_document(cp.compare(example, permutations=100, seed=11)))
    two = dumps(comparison_document(cp.compare(example, permutations=100, seed=11)))
    assert one == two
    other = comparison_document(cp.compare(example, permutations=100, seed=12))
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
    found = cp.compare(study, permutations=100, seed=2)
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
    hidden = cp.compare(example, permutations=100, anonymize=True)
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
