"""Measures are computed among the members a relation asked about: a member without a
grid column (or without a decision's choice column) has unobserved ties, which are not
"no tie" and must not lower densities, shares or silo gaps."""

from __future__ import annotations

import math

import cpower_network as cp

ROSTER = ("member_id,name,sector,lived_experience\nm1,Ana,A,yes\nm2,Ben,A,no\n"
          "m3,Cai,B,no\nm4,Dee,B,yes\nm5,Eve,B,no\n")
TOML = """
[study]
name = "not asked"
[roster]
file = "roster.csv"
silo = "sector"
[focus_groups]
lived_experience = "lived_experience"
[relations.collaborate]
direction = "directed"
role = "collaboration"
[waves.w1]
[[waves.w1.surveys]]
file = "s.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "collaborate"
columns = "c_{member}"
[[waves.w1.surveys.questions]]
shape = "decision"
decision = "budget"
columns = "d_{member}"
"""
# m5 (Eve) has no column in either question: nobody was asked about her
SURVEY = ("who,c_m1,c_m2,c_m3,c_m4,d_m1,d_m2,d_m3,d_m4\n"
          "m1,,1,1,0,,1,1,\n"
          "m2,1,,0,0,1,,,\n"
          "m3,1,1,,1,1,,,\n"
          "m4,0,0,1,,1,,,\n"
          "m5,1,1,0,0,1,,,\n")


def analysed(make_study):
    study = cp.load_study(make_study(TOML, {"roster.csv": ROSTER, "s.csv": SURVEY}))
    assert study.wave("w1").not_asked == {"collaborate": ["m5"], "decisions": ["m5"]}
    return cp.analyze(study, seed=1)


def test_density_and_structure_are_among_members_asked_about(make_study):
    results = analysed(make_study)
    relation = results.wave.relations["collaborate"]
    # arcs among m1..m4: m1→m2, m1→m3, m2→m1, m3→m1, m3→m2, m3→m4, m4→m3 = 7 of 4·3;
    # Eve's two reports (m5→m1, m5→m2) cannot be weighed against ties nobody reported
    assert relation.structure.n_members == 4
    assert math.isclose(relation.structure.density, 7 / 12)
    assert relation.structure.isolates == 0
    assert "m5" not in relation.centralities.index
    assert relation.graph.graph["not_asked"] == ["m5"]


def test_parity_counts_only_members_asked_about(make_study):
    results = analysed(make_study)
    parity = results.wave.relations["collaborate"].parity.set_index(["group", "measure"])
    # lived experience: m1 and m4 of the 4 members asked about (Eve is not among them)
    assert parity.loc[("lived_experience", "in_degree"), "membership_share"] == 0.5


def test_decision_influence_leaves_out_the_member_without_a_choice(make_study):
    results = analysed(make_study)
    scores = results.wave.decisions.scores
    assert "m5" not in scores.index
    assert sorted(scores.index) == ["m1", "m2", "m3", "m4"]


def test_silo_gaps_count_only_observable_pairs(make_study):
    results = analysed(make_study)
    gaps = results.wave.worklist.silo_gaps
    row = gaps[(gaps["silo_a"] == "A") & (gaps["silo_b"] == "B")].iloc[0]
    # member pairs between A (m1, m2) and B (m3, m4; not Eve): 2·2 = 4, not 6
    assert int(row["possible"]) == 4
    assert int(row["ties"]) == 2      # {m1, m3} and {m3, m2}; m1–m4 answered 0


def test_reports_render_with_a_member_not_asked_about(make_study, tmp_path):
    results = analysed(make_study)
    for audience in ("evaluator", "retreat"):
        html = results.to_html(tmp_path / f"{audience}.html", audience=audience)
        assert html.read_text(encoding="utf-8").count("<html") == 1
