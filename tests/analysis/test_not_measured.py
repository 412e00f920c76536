"""Undefined or meaningless measures are "not measured", with their reason, and no band
rests on them (docs/methods.md §Small groups and measures not measured).

Five tiny studies, each checked by hand; every one has a ``work`` relation (role
collaboration, Never 0 … Weekly 3) and a ``trust`` relation (role trust, 1–4):

* **edgeless**: five members in three silos, everyone answered "Never" (work) and "No
  trust" (trust) about everyone; a decision survey (e named a; a, c and d named b; b
  named d). A uniform PageRank (0.2 each) would give every group a parity of 1.0
  ("Strong 100"); a modularity of NaN read as 0 would score "no silos" as perfect.
* **one silo**: four Parents, ties a->b, b->c, c->a, d->a.
* **two silos**: Parents {a, b, c}, Providers {d, e, f}; ties a->b, b->c, c->a, d->e,
  e->f, f->d, a->d: one pair of silos, never "the fewest of any two".
* **tiny groups**: six members; one with lived experience (f, an isolate who answered),
  nobody grassroots; a decision survey and a pulse survey everyone answered.
* **uniform**: six members in a directed cycle a->b->c->d->e->f->a, lived experience
  {a, c, e}: every in-degree is 1 and PageRank is 1/6 each, so parity on them is 1.0
  whatever the group.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from evidence_items import evidence_of, item

import cpower_network as cp
from cpower_network.analysis.pipeline import analyze
from cpower_network.config.indicators import IndicatorSettings
from cpower_network.indicators import compute_indicators
from cpower_network.indicators.reasons import does_not_vary, has_ties

TOML = """
[study]
name = "Degenerate"
seed = 5
[roster]
file = "roster.csv"
id = "member_id"
name = "name"
silo = "sector"
role = "role"
leadership_roles = ["Chair"]
[focus_groups]
lived_experience = { column = "lived", label = "Lived experience" }
grassroots = { column = "grassroots", label = "Grassroots" }
[scales]
frequency = { "Never" = 0, "Yearly" = 1, "Monthly" = 2, "Weekly" = 3 }
trust = { "No trust" = 0, "Not at all" = 1, "A little" = 2, "Somewhat" = 3, "A lot" = 4 }
[scales.agree]
"Strongly disagree" = 1
"Disagree" = 2
"Neutral" = 3
"Agree" = 4
"Strongly agree" = 5
[relations.work]
label = "Work together"
scale = "frequency"
direction = "directed"
role = "collaboration"
[relations.trust]
label = "Trust"
scale = "trust"
role = "trust"
[analysis]
permutations = 1000
[waves.w1]
[[waves.w1.surveys]]
file = "relationships.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "work"
columns = "work_{member}"
[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "trust"
columns = "trust_{member}"
"""

DECISIONS = """[[waves.w1.surveys]]
file = "decisions.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "decision"
decision = "d1"
involved = "inv1"
column = "shaped1"
separator = ";"
voice = "voice1"
scale = "agree"
"""

PULSE = """[[waves.w1.surveys]]
file = "pulse.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "perceptions"
scale = "agree"
[waves.w1.surveys.questions.items]
take_part = "take_part"
prepared_to_lead = "prepared"
"""

Ties = dict[str, dict[str, str]]
NAN = float("nan")


def relationships(members: list[str], work: Ties, trust: Ties) -> str:
    """Everyone answers every cell ("Never" and "No trust" unless a tie is given)."""
    header = ["who"] + [f"work_{m}" for m in members] + [f"trust_{m}" for m in members]
    rows = [[r] + [work.get(r, {}).get(m, "Never") if m != r else "" for m in members]
            + [trust.get(r, {}).get(m, "No trust") if m != r else "" for m in members]
            for r in members]
    return "\n".join(",".join(row) for row in [header, *rows]) + "\n"


def study(root: Path, roster: str, work: Ties, trust: Ties | None = None, *,
          decisions: str | None = None, pulse: str | None = None):
    """Write and analyse a study of ``roster`` (member_id,name,sector,role,lived,grassroots)."""
    root.mkdir(parents=True)
    members = [line.split(",")[0] for line in roster.strip().splitlines()[1:]]
    toml = TOML + (DECISIONS if decisions else "") + (PULSE if pulse else "")
    files = {"cpower.toml": toml, "roster.csv": roster,
             "relationships.csv": relationships(members, work, trust or {}),
             "decisions.csv": decisions, "pulse.csv": pulse}
    for name, text in files.items():
        if text:
            (root / name).write_text(text, encoding="utf-8")
    loaded = cp.load_study(root)
    assert loaded.quality.problems == []
    return analyze(loaded)


def hows(results, key: str) -> list[str]:
    return [c.how for c in item(results, key).components]


# --------------------------------------------------------------------------- no ties
EDGELESS_ROSTER = """member_id,name,sector,role,lived,grassroots
a,Ann Able,Parents,Chair,yes,yes
b,Bo Baker,Providers,Member,no,yes
c,Cy Cole,Parents,Member,yes,no
d,Di Dunn,Funders,Member,no,no
e,Ed Eck,Providers,Member,yes,no
"""
EDGELESS_DECISIONS = """who,inv1,shaped1,voice1
a,Yes,b,Agree
b,Yes,d,Neutral
c,Yes,b,Agree
d,Yes,b,Disagree
e,Yes,a,Neutral
"""


@pytest.fixture(scope="module")
def edgeless(tmp_path_factory):
    return study(tmp_path_factory.mktemp("degenerate") / "edgeless", EDGELESS_ROSTER, {},
                 decisions=EDGELESS_DECISIONS)


def test_edgeless_relations_have_no_ties_and_a_uniform_pagerank(edgeless) -> None:
    assert set(edgeless.wave.relations) == {"work", "trust", "decisions"}
    for key in ("work", "trust"):
        relation = edgeless.wave.relations[key]
        assert not has_ties(relation.graph)
        assert relation.centralities["pagerank"].tolist() == pytest.approx([0.2] * 5)


@pytest.mark.parametrize("key, expected", [
    ("tie_strength", ["not measured: no ties in trust"] * 2),
    ("trust_across_silos", ["not measured: no ties in trust"] * 2),
    ("mutual_trust", ["not measured: no ties in trust"]),
    ("trust_reaches_le", ["not measured: no ties in trust"]),
    ("connectedness", ["not measured: no ties in work"] * 3),
    ("collaboration", ["not measured: no ties in work"] * 2),
    ("silos_dissolving", ["not measured: no ties in work"] * 2),
    ("not_hub_dependent", ["not measured: no ties in work",
                           "not measured: no ties in any relation"]),
    ("le_central", ["not measured: no ties in work"] * 2),
])
def test_no_ties_is_not_measured_with_its_reason(edgeless, key, expected) -> None:
    evidence = item(edgeless, key)
    assert hows(edgeless, key) == expected
    assert [c.raw for c in evidence.components] == [None] * len(expected)
    assert evidence.score is None and not evidence.measured
    assert evidence.not_measured == "; ".join(dict.fromkeys(
        h.removeprefix("not measured: ") for h in expected))


def test_no_ties_gives_no_band(edgeless) -> None:
    indicators = edgeless.indicators
    for key in ("safety_trust", "cohesion"):
        assert indicators[key].score is None
        assert indicators[key].band == "Not measured"
    assert indicators["cohesion"].reading == (
        "Cohesion was not measured: no ties in work; no ties in any relation; not asked "
        "in this wave's surveys.")
    assert indicators["cohesion"].notes == [
        "Connectedness: not measured (no ties in work)",
        "Collaboration: not measured (no ties in work)",
        "Silos dissolving: not measured (no ties in work)",
        "Not hub-dependent: not measured (no ties in work; no ties in any relation)",
        "Shared vision and solidarity: not measured (not asked in this wave's surveys)"]
    # no "Strong 100" from a uniform PageRank (see test_no_ties_leaves_only_what_is_defined)
    assert indicators["lived_experience"].score < 100


def test_no_ties_leaves_only_what_is_defined(edgeless) -> None:
    # decisions do not need ties: named b 3, a 1, d 1; lived experience (a, c, e) holds
    # 1 of 5 over 3/5 of members -> parity 1/3; Gini of 1, 3, 0, 1, 0: Σ over ordered
    # pairs |xi − xj| = 28, / (2 · 5² · 1) = 0.56 -> 44
    decision = item(edgeless, "decision_influence")
    assert [c.raw for c in decision.components] == [pytest.approx(1 / 3),
                                                    pytest.approx(0.56)]
    # grassroots (a, b) is under 3 members: not in the breakdown
    assert decision.breakdown == {"decision parity: lived_experience": pytest.approx(1 / 3)}
    # voices: a 4, c 4, e 3 -> 11/3 on 1–5 -> 66.7; others b 3, d 2 -> 2.5: gap +7/6 -> 100
    indicator = edgeless.indicators["lived_experience"]
    assert [i.key for i in indicator.measured_items] == ["decision_influence",
                                                         "voices_heard"]
    voices = (100 * (11 / 3 - 1) / 4 + 100) / 2
    assert indicator.score == pytest.approx(((100 / 3 + 44) / 2 + voices) / 2)
    # diversity is the roster's: silos 2, 2, 1 of 5: (1 − 9/25) / (2/3) = 0.96
    assert item(edgeless, "diversity").score == pytest.approx(96.0)


def test_nobody_named_is_not_measured(edgeless) -> None:
    # the Gini of all-zero influence is 0 ("perfectly equal"): it would score 100
    decisions = edgeless.wave.decisions
    silent = dataclasses.replace(decisions, scores=decisions.scores.assign(named=0.0),
                                 parity=decisions.parity.assign(share=NAN, parity=NAN),
                                 gini=0.0)
    changed = dataclasses.replace(edgeless, wave=dataclasses.replace(edgeless.wave,
                                                                     decisions=silent))
    evidence = evidence_of(compute_indicators(changed), "decision_influence")
    assert [c.how for c in evidence.components] == [
        "not measured: nobody was named as shaping a decision"] * 2
    assert evidence.breakdown == {}


def test_no_ties_finding_leads(edgeless) -> None:
    findings = edgeless.indicators.findings
    assert findings[0].text == (
        "Nobody reported a tie in Work together or Trust: the network evidence is not "
        "measured. Check the survey exports before reading this as a coalition without "
        "relationships.")
    texts = " ".join(f.text for f in findings)
    assert "weaver's first calls" not in texts           # everyone is an isolate
    assert "Of the" not in texts                         # no silo gap from zeros
    assert "random mixing" not in texts                  # no E-I without ties


# --------------------------------------------------------------------------- one silo
ONE_SILO_ROSTER = """member_id,name,sector,role,lived,grassroots
a,Ann Able,Parents,Chair,yes,yes
b,Bo Baker,Parents,Member,no,yes
c,Cy Cole,Parents,Member,yes,yes
d,Di Dunn,Parents,Member,yes,no
"""
CYCLE_AND_D = {"a": {"b": "Weekly"}, "b": {"c": "Monthly"}, "c": {"a": "Weekly"},
               "d": {"a": "Yearly"}}


@pytest.fixture(scope="module")
def one_silo(tmp_path_factory):
    trust = {"a": {"b": "A lot"}, "b": {"a": "Somewhat"}}
    return study(tmp_path_factory.mktemp("degenerate") / "one", ONE_SILO_ROSTER,
                 CYCLE_AND_D, trust)


def test_one_silo_is_not_measured_across_silos(one_silo) -> None:
    reason = "not measured: one silo: needs two or more silos"
    assert hows(one_silo, "trust_across_silos") == [reason, reason]
    assert hows(one_silo, "silos_dissolving") == [reason, reason]
    assert hows(one_silo, "diversity") == [reason]
    assert item(one_silo, "silos_dissolving").breakdown == {}
    # what does not need silos is still measured: 4 arcs of 12 -> density 1/3 ≥ 0.2
    assert item(one_silo, "collaboration").components[0].score == 100.0
    assert item(one_silo, "mutual_trust").score == 100.0          # a<->b


def test_one_silo_findings_say_nothing_about_silos(one_silo) -> None:
    texts = [f.text for f in one_silo.indicators.findings]
    assert not any("random mixing" in t or t.startswith("Of the") for t in texts), texts


# --------------------------------------------------------------------------- two silos
TWO_SILOS_ROSTER = """member_id,name,sector,role,lived,grassroots
a,Ann Able,Parents,Chair,yes,yes
b,Bo Baker,Parents,Member,no,yes
c,Cy Cole,Parents,Member,yes,yes
d,Di Dunn,Providers,Member,yes,no
e,Ed Eck,Providers,Member,no,no
f,Fay Fox,Providers,Member,no,no
"""


def test_two_silos_have_no_fewest_pair(tmp_path) -> None:
    work = {"a": {"b": "Weekly", "d": "Monthly"}, "b": {"c": "Weekly"},
            "c": {"a": "Weekly"}, "d": {"e": "Weekly"}, "e": {"f": "Weekly"},
            "f": {"d": "Weekly"}}
    results = study(tmp_path / "two", TWO_SILOS_ROSTER, work)
    gaps = [f.text for f in results.indicators.findings if f.text.startswith("Of the")]
    # 3 × 3 = 9 pairs across the two silos, one in touch (a–d)
    assert gaps == ["Of the 9 pairs of members across Parents and Providers, 1 is in touch "
                    "(work together or trust)."]


# --------------------------------------------------------------------------- tiny groups
TINY_ROSTER = """member_id,name,sector,role,lived,grassroots
p1,Ann Able,Parents,Chair,no,no
p2,Bo Baker,Parents,Member,no,no
p3,Cy Cole,Parents,Member,no,no
v1,Di Dunn,Providers,Member,no,no
v2,Ed Eck,Providers,Member,no,no
f1,Fay Fox,Funders,Member,yes,no
"""
TINY_WORK = {"p1": {"p2": "Weekly", "v1": "Weekly"}, "p2": {"p3": "Weekly"},
             "p3": {"p1": "Weekly"}, "v1": {"v2": "Weekly"}, "v2": {"p2": "Weekly"}}
TINY_DECISIONS = """who,inv1,shaped1,voice1
p1,Yes,p2;v1,Agree
p2,Yes,p1,Neutral
p3,Yes,p1,Agree
v1,Yes,p2,Disagree
v2,Yes,p1,Agree
f1,Yes,p1,Strongly disagree
"""
TINY_PULSE = """who,take_part,prepared
p1,Agree,Agree
p2,Neutral,Neutral
p3,Agree,Agree
v1,Disagree,Agree
v2,Agree,Strongly agree
f1,Strongly disagree,Disagree
"""
ONE_MEMBER = ("Lived experience is a group of 1 member: too small to measure (fewer "
              "than 3)")


@pytest.fixture(scope="module")
def tiny_groups(tmp_path_factory):
    """Case-17-like: the relationships only (no decision or pulse survey)."""
    return study(tmp_path_factory.mktemp("degenerate") / "tiny", TINY_ROSTER, TINY_WORK)


@pytest.fixture(scope="module")
def tiny_surveys(tmp_path_factory):
    """The same, with a decision survey and a pulse survey everyone answered."""
    return study(tmp_path_factory.mktemp("degenerate") / "surveys", TINY_ROSTER, TINY_WORK,
                 decisions=TINY_DECISIONS, pulse=TINY_PULSE)


def test_group_of_one_leaves_lived_experience_not_measured(tiny_groups) -> None:
    indicator = tiny_groups.indicators["lived_experience"]
    assert indicator.score is None and indicator.band == "Not measured"
    assert hows(tiny_groups, "le_central") == [f"not measured: {ONE_MEMBER}"]
    assert item(tiny_groups, "le_central").not_measured == ONE_MEMBER
    assert "Central in the everyday network: not measured (Lived experience is a group " \
        "of 1 member: too small to measure (fewer than 3))" in indicator.notes
    assert ONE_MEMBER in indicator.reading
    # her own PageRank parity (she is an isolate) is nowhere in the evidence
    assert all(c.raw is None for i in indicator.items for c in i.components)


def test_every_lived_experience_item_gives_the_group_reason(tiny_surveys) -> None:
    reason = f"not measured: {ONE_MEMBER}"
    assert hows(tiny_surveys, "le_leadership") == [reason]
    assert hows(tiny_surveys, "le_central") == [reason]
    assert hows(tiny_surveys, "voices_heard") == [reason, reason]
    assert hows(tiny_surveys, "prepared_to_lead") == [reason, "not asked"]
    assert hows(tiny_surveys, "decision_influence")[0] == reason
    # the Gini of everyone's influence is the coalition's, not the group's: named p1 4
    # times, p2 2, v1 1, others 0 (7 in all): Σ over ordered pairs |xi − xj| = 54,
    # G = 54 / (2 · 6² · 7/6) = 9/14
    gini = item(tiny_surveys, "decision_influence").components[1]
    assert gini.raw == pytest.approx(9 / 14)
    assert item(tiny_surveys, "decision_influence").breakdown == {}


def test_empty_group_is_not_measured(tiny_surveys) -> None:
    settings = IndicatorSettings(resources_relation="work")
    indicators = compute_indicators(tiny_surveys, settings=settings)
    resources = evidence_of(indicators, "resources_reach")
    assert [c.how for c in resources.components] == [
        "not measured: no grassroots members in this wave", f"not measured: {ONE_MEMBER}"]
    assert indicators["financing"].band == "Not measured"


def test_small_groups_leave_the_perception_breakdown(tiny_surveys) -> None:
    evidence = item(tiny_surveys, "table_perception")
    # everyone: 4, 3, 4, 2, 4, 1 -> 3 on 1–5 -> 50
    assert evidence.components[0].score == pytest.approx(50.0)
    assert evidence.breakdown == {"take_part: all": 3.0}
    assert evidence.notes == [
        f"left out of the breakdown: {ONE_MEMBER}",
        "left out of the breakdown: no grassroots members in this wave"]


def test_tiny_groups_are_never_a_finding(tiny_surveys) -> None:
    # neither one member's share of decision influence nor her response
    texts = " ".join(f.text for f in tiny_surveys.indicators.findings)
    assert "members hold" not in texts and "members answered" not in texts


# --------------------------------------------------------------------------- uniform
UNIFORM_ROSTER = """member_id,name,sector,role,lived,grassroots
a,Ann Able,Parents,Chair,yes,no
b,Bo Baker,Parents,Member,no,no
c,Cy Cole,Providers,Member,yes,no
d,Di Dunn,Providers,Member,no,no
e,Ed Eck,Funders,Member,yes,no
f,Fay Fox,Funders,Member,no,no
"""
CYCLE = {u: {v: "Weekly"} for u, v in zip("abcdef", "bcdefa", strict=True)}


def test_a_centrality_that_does_not_vary_is_not_measured(tmp_path) -> None:
    # trust around the same cycle: a->b 4, c->d 4, e->f 4 and b->c 1, d->e 1, f->a 1
    # trust received: b 4, d 4, f 4 and c 1, e 1, a 1: lived experience (a, c, e) holds
    # 3 of 15 over 3/6 of members -> parity 0.4
    trust = {u: {v: "A lot" if u in "ace" else "Not at all"}
             for u, v in zip("abcdef", "bcdefa", strict=True)}
    results = study(tmp_path / "uniform", UNIFORM_ROSTER, CYCLE, trust)
    work = results.wave.relations["work"]
    assert work.centralities["in_degree"].tolist() == [1.0] * 6
    assert hows(results, "le_central") == [
        "not measured: PageRank does not vary: every member equal",
        "not measured: In-degree does not vary: every member equal"]
    evidence = item(results, "trust_reaches_le")
    assert [c.raw for c in evidence.components] == [pytest.approx(0.4)]
    assert evidence.notes == ["Lived experience is a group of 3 members: read with care"]


def test_does_not_vary() -> None:
    assert does_not_vary(pd.Series([1 / 6] * 6), "pagerank") == \
        "PageRank does not vary: every member equal"
    assert does_not_vary(pd.Series([2.0, 2.0, float("nan")]), "in_strength") == \
        "Strength received does not vary: every member equal"
    assert does_not_vary(pd.Series([0.0, 1e-3]), "betweenness") is None
