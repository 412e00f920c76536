"""Trust and value in the report and JSON: what each audience sees.

The evaluator sees network, silo and focus-group scores, dyadic agreement and the pairs
who disagree (names); the retreat view and its JSON see network, silo and group figures
only, without rows that fewer rated members than ``suppress_group`` stand behind. The
indicators read the scores as evidence.
"""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

import cpower_network as cp
from cpower_network.export.results_json import results_document
from cpower_network.report import render_report
from cpower_network.report.shared import shared_results


@pytest.fixture(scope="module")
def results():
    return cp.analyze(cp.load_study(cp.example_study_path()), seed=3)


@pytest.fixture(scope="module")
def pages(results):
    return {a: render_report(results, audience=a) for a in ("evaluator", "retreat")}


def section(html: str) -> str:
    found = re.search(r'<section id="ratings".*?</section>', html, re.S)
    assert found, "no Trust and value section"
    return found.group(0)


def test_the_evaluator_sees_scores_and_agreement(pages, results):
    html = section(pages["evaluator"])
    network = results.wave.ratings.scores.network
    # e.g. "66 % (2.63 of 4)": the share of the maximum and the points on the 1–4 scale
    share = network["trust"]["share"]
    assert f"{100 * share:.0f} % ({4 * share:.2f} of 4)" in html
    assert "Do partners see their tie the same way?" in html
    first = results.wave.ratings.disagreements.iloc[0]
    name = results.roster.at[first["member"], "name"]
    assert name.replace("'", "&#39;") in html
    assert '<a href="#ratings">Trust and value</a>' in pages["evaluator"]


def test_the_retreat_view_has_no_pairs_and_no_agreement(pages, results):
    html = section(pages["retreat"])
    assert "Do partners see their tie the same way?" not in html
    assert "Members rated" in html and "Parity" in html
    disagreeing = set(results.wave.ratings.disagreements["member"])
    # no disagreeing member's name comes from this section (names elsewhere are the
    # consenting members' map labels)
    assert not [m for m in disagreeing if results.roster.at[m, "name"] in html]


def test_the_retreat_json_keeps_group_level_figures(results):
    shared = results_document(results, audience="retreat")["wave"]["ratings"]
    assert sorted(shared) == ["groups", "network", "silos"]
    evaluator = results_document(results)["wave"]["ratings"]
    assert {"members", "pairs", "agreement", "disagreements"} <= set(evaluator)
    text = json.dumps(shared)
    assert not re.search(r'"m\d{3}"', text)          # no member id anywhere


def test_rows_resting_on_too_few_rated_members_are_left_out_of_shared_views(results):
    scores = results.wave.ratings.scores
    silos = scores.silos.copy()
    silos.loc[silos["silo"] == "Funders", "members_rated"] = 2   # below suppress_group (3)
    groups = scores.groups.copy()
    groups.loc[groups["group"] == "grassroots", "members_rated"] = 1
    thin = dataclasses.replace(results, wave=dataclasses.replace(
        results.wave, ratings=dataclasses.replace(
            results.wave.ratings, scores=dataclasses.replace(scores, silos=silos,
                                                              groups=groups))))
    shown, _ = shared_results(thin, 3)
    assert "Funders" not in set(shown.wave.ratings.scores.silos["silo"])
    assert "grassroots" not in set(shown.wave.ratings.scores.groups["group"])
    # the evaluator's results keep them
    assert "Funders" in set(thin.wave.ratings.scores.silos["silo"])


def test_indicators_read_the_scores(results):
    items = {i.key: i for m in results.indicators.milestones for i in m.items}
    trust = items["trust_score"]
    network = results.wave.ratings.scores.network["trust"]
    # rescaled from the floor of the 1–4 scale (25 %) to 100
    assert trust.score == pytest.approx(100 * (network["share"] - 0.25) / 0.75)
    value = items["valued_partners"]
    row = results.wave.ratings.scores.groups.query(
        "score == 'value' and group == 'lived_experience'").iloc[0]
    assert value.components[0].raw == pytest.approx(row["parity"])
    assert value.score == pytest.approx(min(100, 100 * row["parity"]))
    reaches = items["trust_reaches_le"]
    assert [c.label for c in reaches.components] == ["parity of trust received",
                                                      "parity of trust score received"]


def test_introducers_who_did_not_answer_are_marked():
    # 2024: bridge #15 goes through Monique Baptiste, who did not answer
    results = cp.analyze(cp.load_study(cp.example_study_path()), "2024", seed=3)
    work = results.wave.worklist
    bridges = work.introductions_of("bridge")
    silent = [z for z in bridges["introducer"] if isinstance(z, str)
              and z in work.did_not_answer]
    assert silent
    html = render_report(results, audience="evaluator")
    table = re.search(r'<table class="sortable" id="introductions-1".*?</table>', html,
                      re.S).group(0)
    for member in silent:
        name = results.roster.at[member, "name"]
        assert f"{name} (did not answer)" in table.replace("&#39;", "'")
