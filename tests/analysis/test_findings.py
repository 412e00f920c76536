"""The top findings (indicators/findings.py): each rule's sentence on a case built by hand,
their order, and that no finding ever names a member."""

from __future__ import annotations

import re
from types import SimpleNamespace

import networkx as nx
import pandas as pd
import pytest

from cpower_network.config.settings import AnalysisSettings
from cpower_network.indicators import IndicatorSettings
from cpower_network.indicators.findings import (
    FINDING_RULES,
    Finding,
    decision_parity_finding,
    isolates_finding,
    mixing_finding,
    no_ties_finding,
    response_finding,
    silo_gap_finding,
    top_findings,
    weakest_indicator_finding,
)
from cpower_network.measures.crosssilo import EIResult
from cpower_network.results.model import Group

NAN = float("nan")
LE = Group("lived_experience", "Lived experience", tuple(f"m{i}" for i in range(4)))
GR = Group("grassroots", "Grassroots", tuple(f"m{i}" for i in range(4, 9)))
EVERYONE = Group("all", "All members", tuple(f"m{i}" for i in range(13)))


def parity_frame(rows: dict[str, tuple[float, float, float]]) -> pd.DataFrame:
    return pd.DataFrame.from_dict(rows, orient="index",
                                  columns=["share", "membership_share", "parity"])


def results_with(**wave) -> SimpleNamespace:
    """Just enough of a Results for the finding rules."""
    defaults = {"groups": [EVERYONE, LE, GR], "decisions": None, "relations": {},
                "members": list(EVERYONE.members),
                "worklist": SimpleNamespace(isolates=[], silo_gaps=pd.DataFrame(
                    columns=["silo_a", "silo_b", "ties", "possible", "density"])),
                "response": pd.DataFrame({"rate": [1.0]}, index=["all"])}
    silos = ["Parents" if i % 2 else "Providers" for i in range(len(EVERYONE.members))]
    return SimpleNamespace(wave=SimpleNamespace(**{**defaults, **wave}),
                           roster=pd.DataFrame({"silo": silos}, index=EVERYONE.members),
                           settings=AnalysisSettings())


def indicators_with(milestones=(), **settings) -> SimpleNamespace:
    return SimpleNamespace(milestones=list(milestones),
                           settings=IndicatorSettings(**settings))


# --------------------------------------------------------------------------- decision parity
def test_decision_parity_sentences() -> None:
    decisions = SimpleNamespace(parity=parity_frame({
        "lived_experience": (0.18, 0.31, 0.18 / 0.31),
        "grassroots": (0.50, 0.40, 1.25)}))
    found = decision_parity_finding(results_with(decisions=decisions), indicators_with())
    # lived experience has 4 members (under 5): flagged; grassroots has 5
    assert [f.text for f in found] == [
        "Lived experience members hold 18 % of decision influence while making up 31 % of "
        "the coalition (parity 0.58). Lived experience is a group of 4 members: read with "
        "care.",
        "Grassroots members hold 50 % of decision influence, at least their 40 % share of "
        "the coalition (parity 1.25)."]
    assert [f.milestone for f in found] == ["lived_experience", "lived_experience"]
    # priority 90 − 10 × (focus-group position) + 20 × min(|1 − parity|, 1)
    assert found[0].priority == pytest.approx(90 + 20 * (1 - 0.18 / 0.31))
    assert found[1].priority == pytest.approx(80 + 20 * 0.25)


def test_decision_parity_far_from_one_is_capped_and_undefined_groups_are_skipped() -> None:
    empty = Group("newcomers", "Newcomers", ())
    decisions = SimpleNamespace(parity=parity_frame({
        "lived_experience": (NAN, 0.31, NAN),           # nobody was named at all
        "grassroots": (0.9, 0.3, 3.0),                  # |1 − 3| capped at 1
        "newcomers": (0.0, 0.0, NAN)}))
    results = results_with(decisions=decisions, groups=[EVERYONE, LE, GR, empty])
    (found,) = decision_parity_finding(results, indicators_with())
    assert found.text.startswith("Grassroots members hold 90 % of decision influence")
    assert found.priority == pytest.approx(80 + 20)
    assert decision_parity_finding(results_with(), indicators_with()) == []


def test_decision_parity_of_a_group_under_three_members_is_never_a_finding() -> None:
    one = Group("lived_experience", "Lived experience", ("m0",))
    two = Group("grassroots", "Grassroots", ("m1", "m2"))
    decisions = SimpleNamespace(parity=parity_frame({
        "lived_experience": (0.0, 1 / 13, 0.0), "grassroots": (0.5, 2 / 13, 3.25)}))
    results = results_with(decisions=decisions, groups=[EVERYONE, one, two])
    assert decision_parity_finding(results, indicators_with()) == []


# --------------------------------------------------------------------------- silo gaps
def silo_results(gaps: list[tuple], sizes: dict[str, int]) -> SimpleNamespace:
    members = [f"{silo}{i}" for silo, n in sizes.items() for i in range(n)]
    roster = pd.DataFrame({"silo": [m.rstrip("0123456789") for m in members]},
                          index=members)
    results = results_with(members=members, worklist=SimpleNamespace(
        isolates=[], silo_gaps=pd.DataFrame(
            gaps, columns=["silo_a", "silo_b", "ties", "possible", "density"])))
    results.roster = roster
    return results


def test_silo_gap_sentence_skips_small_silos_and_says_so() -> None:
    sizes = {"Funders": 2, "Parents": 12, "Providers": 10, "State": 1, "Youth": 3}
    gaps = [("Funders", "Parents", 0, 48, 0.0),          # Funders has 2 members: skipped
            ("Providers", "State", 0, 20, 0.0),          # State has 1 member: skipped
            ("Parents", "Providers", 2, 240, 2 / 240),
            ("Parents", "Youth", 1, 72, 1 / 72),
            ("Funders", "Providers", 5, 40, 0.125),
            ("Providers", "Youth", 6, 60, 0.1)]
    (found,) = silo_gap_finding(silo_results(gaps, sizes), indicators_with())
    # compared with the other pairs of silos of 3 or more members only, and it says so
    assert found == Finding("Of the 240 pairs of members across Parents and Providers, 2 "
                            "are in touch in any relation, the fewest for their size of "
                            "any two silos of 3 or more members (2 smaller silos left "
                            "out).", "cohesion", 85)


def test_silo_gap_with_one_pair_of_sizeable_silos_claims_no_fewest() -> None:
    # Funders–Parents (0 of 48) has fewer ties, but Funders is under 3 members: the one
    # pair left is not "the fewest" of anything
    sizes = {"Funders": 2, "Parents": 12, "Providers": 10}
    gaps = [("Funders", "Parents", 0, 48, 0.0),
            ("Parents", "Providers", 2, 240, 2 / 240),
            ("Funders", "Providers", 5, 40, 0.125)]
    (found,) = silo_gap_finding(silo_results(gaps, sizes), indicators_with())
    assert found.text == ("Of the 240 pairs of members across Parents and Providers, 2 are "
                          "in touch in any relation.")


def test_silo_gap_tied_for_fewest_and_no_ties_at_all() -> None:
    sizes = {"Parents": 3, "Providers": 3, "Youth": 3}
    gaps = [("Parents", "Providers", 0, 18, 0.0), ("Parents", "Youth", 0, 18, 0.0),
            ("Providers", "Youth", 3, 18, 1 / 6)]
    results = silo_results(gaps, sizes)
    (found,) = silo_gap_finding(results, indicators_with())
    assert found.text == ("Of the 18 pairs of members across Parents and Providers, 0 are "
                          "in touch in any relation, as few for their size as any two "
                          "silos.")
    # nobody reported a tie: every pair of silos is at 0, no finding
    results.wave.combined = nx.DiGraph()
    results.wave.combined.add_nodes_from(results.roster.index)
    assert silo_gap_finding(results, indicators_with()) == []


def test_silo_gap_one_tie_and_a_denser_gap() -> None:
    sizes = {"Parents": 3, "Providers": 4}
    (found,) = silo_gap_finding(silo_results([("Parents", "Providers", 1, 24, 1 / 24)],
                                             sizes), indicators_with())
    # density 0.042 ≥ 0.02: a lower priority
    # two silos: one pair of silos, so no "fewest"
    assert found == Finding("Of the 24 pairs of members across Parents and Providers, 1 "
                            "is in touch in any relation.", "cohesion", 55)
    assert silo_gap_finding(silo_results([], sizes), indicators_with()) == []


# --------------------------------------------------------------------------- isolates
@pytest.mark.parametrize("count, text, priority", [
    (1, "1 member is in touch with no one: a weaver's first calls.", 71),
    (4, "4 members are in touch with no one: a weaver's first calls.", 74),
    (25, "25 members are in touch with no one: a weaver's first calls.", 80),
])
def test_isolates_sentence(count, text, priority) -> None:
    members = [f"m{i}" for i in range(30)]
    results = results_with(members=members,
                           worklist=SimpleNamespace(isolates=members[:count]))
    assert isolates_finding(results, indicators_with()) == [Finding(text, "cohesion", priority)]


@pytest.mark.parametrize("silent, tail", [
    (["m0", "m1"], " as far as anyone reported (they did not answer themselves)"),
    (["m1", "m7"], " as far as anyone reported (1 did not answer themselves)"),
])
def test_isolates_who_did_not_answer_are_said_to_be_unsure(silent, tail) -> None:
    # m0 and m1 are the isolates; a member who did not answer may have contacts nobody
    # reported, so the sentence does not claim more than the answers show
    members = [f"m{i}" for i in range(30)]
    results = results_with(members=members, worklist=SimpleNamespace(
        isolates=members[:2], did_not_answer=silent))
    assert isolates_finding(results, indicators_with())[0].text == (
        f"2 members are in touch with no one{tail}: a weaver's first calls.")


def test_no_isolates_no_finding() -> None:
    assert isolates_finding(results_with(), indicators_with()) == []
    # everyone an isolate: the no-ties finding says it
    everyone = results_with(worklist=SimpleNamespace(isolates=list(EVERYONE.members)))
    assert isolates_finding(everyone, indicators_with()) == []


# --------------------------------------------------------------------------- no ties
def empty_relation(key: str, label: str) -> SimpleNamespace:
    G = nx.DiGraph(role=None)
    G.add_nodes_from(EVERYONE.members)
    return SimpleNamespace(key=key, label=label, graph=G)


def test_no_ties_finding() -> None:
    work, influence = empty_relation("collaborate", "Work together"), \
        empty_relation("influence", "Influence")
    found = no_ties_finding(results_with(relations={"collaborate": work,
                                                    "influence": influence}),
                            indicators_with())
    assert found == [Finding("Nobody reported a tie in Work together or Influence: the "
                             "network evidence is not measured. Check the survey exports "
                             "before reading this as a coalition without relationships.",
                             "cohesion", 115)]
    some = no_ties_finding(results_with(relations={
        "collaborate": relation(0.3, 0.5, 0.5), "influence": influence}), indicators_with())
    assert some == [Finding("Nobody reported a tie in Influence: its measures are not "
                            "measured.", None, 65)]
    assert no_ties_finding(results_with(relations={"collaborate": relation(0.3, 0.5, 0.5)}),
                           indicators_with()) == []


# --------------------------------------------------------------------------- mixing
def relation(value, expected, p_value, label="Work together",
             role: str | None = "collaboration", key="collaborate", *,
             q_value=None, testable=True) -> SimpleNamespace:
    """A relation result with its E-I (q-value = p-value unless given), playing ``role``
    (indicators find it by role)."""
    graph = nx.DiGraph([("m0", "m1")], role=role)
    q = p_value if q_value is None else q_value
    return SimpleNamespace(key=key, label=label, graph=graph,
                           ei=EIResult(value, expected, p_value, 1000, 0, 0, q_value=q,
                                       testable=testable))


def mixing(value, expected, p_value, key="collaborate", role="collaboration", *,
           tests_run=0, **test) -> list[Finding]:
    results = results_with(relations={key: relation(value, expected, p_value, role=role,
                                                    key=key, **test)},
                           tests_run=tests_run)
    return mixing_finding(results, indicators_with())


def test_mixing_less_than_random() -> None:
    (found,) = mixing(-0.2, 0.5, 0.0005, q_value=0.004, tests_run=12)
    # (1 − (−0.2)) / 2 = 60 % of ties stay inside a silo; priority 60 + 20 × 0.7
    assert found == Finding(
        "Work together ties cross silos less often than random mixing would give "
        "(E-I -0.20 against 0.50 expected; p < 0.001, q = 0.004 across 12 tests); 60 % of "
        "them stay inside a silo.", "safety_trust", pytest.approx(74.0))
    (found,) = mixing(0.1, 0.5, 0.012, q_value=0.04, tests_run=1)
    assert found.text == ("Work together ties cross silos less often than random mixing "
                          "would give (E-I 0.10 against 0.50 expected; p = 0.012, "
                          "q = 0.040 across 1 test).")
    assert found.priority == pytest.approx(68.0)


def test_mixing_significant_p_but_not_q_is_not_called_less_than_chance() -> None:
    # p = 0.018 alone would pass 0.05; across 40 tests its q-value is 0.31
    (found,) = mixing(-0.33, 0.47, 0.018, q_value=0.31, tests_run=40)
    assert found == Finding(
        "Work together ties cross silos at an E-I of -0.33 against 0.47 expected with "
        "random mixing, a difference the test does not tell from chance (p = 0.018, "
        "q = 0.310 across 40 tests).", "safety_trust", 40)
    assert "less often" not in found.text


def test_mixing_about_random() -> None:
    (found,) = mixing(0.3, 0.5, 0.2)                  # the count of tests not yet known
    assert found == Finding(
        "Work together ties cross silos at an E-I of 0.30 against 0.50 expected with "
        "random mixing, a difference the test does not tell from chance (p = 0.200, "
        "q = 0.200).", "safety_trust", 40)


def test_mixing_more_than_random_is_not_called_about_random() -> None:
    (found,) = mixing(0.8, 0.5, 0.01, q_value=0.03, tests_run=5)
    assert found == Finding("Work together ties cross silos more often than random mixing "
                            "would give (E-I 0.80 against 0.50 expected; p = 0.010, "
                            "q = 0.030 across 5 tests).", "safety_trust", 30)


def test_mixing_untested_says_nothing_about_chance() -> None:
    (found,) = mixing(-0.2, 0.5, NAN)                # permutations = 0: q is NaN
    assert found.text == ("Work together ties cross silos at an E-I of -0.20 against 0.50 "
                          "expected with random mixing (not tested against chance).")
    assert "p = nan" not in found.text
    # p known but no q-value (outside a report's family): nothing about chance either
    (found,) = mixing(-0.2, 0.5, 0.001, q_value=NAN)
    assert "less often" not in found.text and "(not tested against chance)" in found.text


def test_mixing_not_testable() -> None:
    (found,) = mixing(-1.0, 0.2, NAN, testable=False)
    assert found == Finding("Work together ties cross silos at an E-I of -1.00 against "
                            "0.20 expected with random mixing; whether that differs from "
                            "chance is not testable with these data.", "safety_trust", 40)


def test_mixing_with_one_silo_is_not_a_finding() -> None:
    results = results_with(relations={"collaborate": relation(-1.0, -1.0, 1.0)})
    results.roster["silo"] = "Parents"
    assert mixing_finding(results, indicators_with()) == []


def test_mixing_reads_the_collaboration_relation_or_the_first() -> None:
    results = results_with(relations={
        "trust": relation(0.3, 0.5, 0.5, "Trust", role="trust", key="trust"),
        "work": relation(0.3, 0.5, 0.5, key="work")})
    # found by its role, whatever its key
    assert mixing_finding(results, indicators_with())[0].text.startswith("Work together")
    assert mixing_finding(results, indicators_with(collaboration_relation="trust"))[0] \
        .text.startswith("Trust")
    (found,) = mixing(0.3, 0.5, 0.5, key="advice", role="advice")   # the first relation
    assert found.text.startswith("Work together")
    assert mixing(NAN, 0.5, NAN) == []                # no ties
    assert mixing_finding(results_with(), indicators_with()) == []


# --------------------------------------------------------------------------- response
def test_response_finding_names_low_groups_only() -> None:
    response = pd.DataFrame({"rate": [0.5, 2 / 3, 0.8, NAN]},
                            index=["all", "lived_experience", "grassroots", "empty"])
    found = response_finding(results_with(response=response), indicators_with())
    # "all" is not a focus group; 80 % is above the 70 % warning; NaN is skipped
    assert found == [Finding("Only 67 % of lived experience members answered: read their "
                             "figures with care.", None, 75)]


def test_response_finding_never_names_a_group_too_small_to_measure() -> None:
    # one lived-experience member who did not answer: 0 % would name her
    one = Group("lived_experience", "Lived experience", ("m0",))
    response = pd.DataFrame({"rate": [0.9, 0.0, 0.4]},
                            index=["all", "lived_experience", "grassroots"])
    found = response_finding(results_with(response=response, groups=[EVERYONE, one, GR]),
                             indicators_with())
    assert [f.text for f in found] == ["Only 40 % of grassroots members answered: read "
                                       "their figures with care."]


# --------------------------------------------------------------------------- weakest
def indicator(key, score, band, reading) -> SimpleNamespace:
    return SimpleNamespace(key=key, score=score, band=band, reading=reading)


def test_weakest_indicator_finding() -> None:
    milestones = [indicator("cohesion", 72.0, "Strong", "Cohesion is strong."),
                  indicator("financing", None, "Not measured", "Financing was not measured."),
                  indicator("safety_trust", 41.0, "Developing", "Safety is developing.")]
    assert weakest_indicator_finding(results_with(), indicators_with(milestones)) == [
        Finding("Safety is developing.", "safety_trust", 50)]
    strong = milestones[:2]
    assert weakest_indicator_finding(results_with(), indicators_with(strong)) == [
        Finding("Cohesion is strong.", "cohesion", 20)]
    assert weakest_indicator_finding(results_with(), indicators_with(milestones[1:2])) == []


# --------------------------------------------------------------------------- priorities
def test_findings_are_ordered_by_priority() -> None:
    results = results_with(
        decisions=SimpleNamespace(parity=parity_frame({
            "lived_experience": (0.18, 0.31, 0.18 / 0.31)})),
        worklist=SimpleNamespace(isolates=["m1", "m2"], silo_gaps=pd.DataFrame(
            columns=["silo_a", "silo_b", "ties", "possible", "density"])),
        relations={"collaborate": relation(0.3, 0.5, 0.5)},
        response=pd.DataFrame({"rate": [0.9, 0.6]}, index=["all", "lived_experience"]))
    milestones = [indicator("cohesion", 55.0, "Developing", "Cohesion is developing.")]
    found = top_findings(results, indicators_with(milestones))
    assert [(f.text[:24], f.priority) for f in found] == [
        ("Lived experience members", pytest.approx(98.39, abs=0.01)),
        ("Only 60 % of lived exper", 75),
        ("2 members are in touch w", 72),
        ("Cohesion is developing.", 50),
        ("Work together ties cross", 40)]
    assert len(FINDING_RULES) == 7


# --------------------------------------------------------------------------- the example
def test_example_findings(example_analysed) -> None:
    _study, results = example_analysed
    found = results["2025"].indicators.findings
    priorities = [f.priority for f in found]
    assert priorities == sorted(priorities, reverse=True)
    # decision parity does not depend on the seed: the headline
    assert found[0].text == ("Lived experience members hold 29 % of decision influence while "
                             "making up 31 % of the coalition (parity 0.94).")
    parity = results["2025"].wave.decisions.parity.loc["lived_experience"]
    assert f"parity {parity['parity']:.2f}" in found[0].text


def test_findings_never_name_a_member(example_analysed) -> None:
    study, results = example_analysed
    names = [str(n) for n in study.roster["name"] if str(n).strip()]
    ids = list(study.roster.index)
    assert len(names) == 75
    for wave, result in results.items():
        texts = [f.text for f in result.indicators.findings]
        assert texts, wave
        for text in texts:
            for name in names:
                assert name not in text, (wave, name, text)
            assert not any(re.search(rf"\b{re.escape(m)}\b", text) for m in ids), text
