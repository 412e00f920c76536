"""Collective Power indicators (indicators/items.py, indicators/__init__.py and
docs/methods.md §Indicators, which must describe the same milestones and items).

Each evidence rule is checked against values computed by hand on a tiny study, or on
results where one measure was replaced by a value chosen for the test. Not-measured items
must be left out of an indicator's score, never counted as zero.

The tiny study: members a–g in three silos, Parents {a, b}, Providers {c, d, f},
Funders {e, g}; lived experience {b, e, f} (3 members: measured, flagged "read with
care"); grassroots {a, c} (2 members: too small to measure on its own, fewer than 3, unless
a test lowers ``suppress_group``); leadership roles held by a (Chair), b and c
(Steering). a, b, c, d answered the relationship survey; a–e the decision survey; a, b,
c, e the pulse survey; g answered nothing and has no tie.

* collaborate (symmetric but kept directed, frequency 0–3): a->b 3, a->c 2, a->e 3,
  b->a 3, b->c 2, c->a 2, c->d 3, d->c 3, d->f 1 (b->d "Never": no arc). 9 arcs.
* trust (1–4, two questions averaged): a->b 3, a->c 3, b->a 4, b->e 1.5, c->d 3, d->c 2,
  d->a 1. 7 arcs.
* advice (tie): a->c, b->a, c->a, d->a.
* decisions d1, d2: named a 5 times, b once, c 4 times (see test_decision_measures.py).
"""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path
from types import SimpleNamespace

import networkx as nx
import pytest
from evidence_items import evidence_of as item

import cpower_network as cp
from cpower_network.analysis.pipeline import analyze
from cpower_network.config.indicators import IndicatorSettings
from cpower_network.config.perception_items import DEFAULT_ITEMS
from cpower_network.indicators import MILESTONES, compute_indicators
from cpower_network.indicators import table_items as rules
from cpower_network.indicators.evidence import RULES
from cpower_network.indicators.items import ITEM_KEYS
from cpower_network.measures.parity import group_parity

TOML = """
[study]
name = "Tiny coalition"
seed = 7
[roster]
file = "roster.csv"
id = "member_id"
name = "name"
silo = "sector"
role = "role"
leadership_roles = ["Chair", "Steering"]
[focus_groups]
lived_experience = { column = "lived", label = "Lived experience" }
grassroots = { column = "grassroots", label = "Grassroots" }
[scales]
frequency = { "Never" = 0, "Yearly" = 1, "Monthly" = 2, "Weekly" = 3 }
trust = { "Not at all" = 1, "A little" = 2, "Somewhat" = 3, "A lot" = 4 }
[scales.agree]
"Strongly disagree" = 1
"Disagree" = 2
"Neutral" = 3
"Agree" = 4
"Strongly agree" = 5
[relations.collaborate]
label = "Work together"
scale = "frequency"
symmetric = true
direction = "directed"
role = "collaboration"
strong = 2
[relations.trust]
label = "Trust"
scale = "trust"
role = "trust"
[relations.advice]
label = "Advice"
role = "advice"
[analysis]
permutations = 1000
INDICATORS
[waves.w1]
label = "Wave one"
[[waves.w1.surveys]]
file = "relationships.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "collaborate"
columns = "work_{member}"
[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "trust"
columns = "trust_follow_{member}"
[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "trust"
columns = "trust_open_{member}"
[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "advice"
columns = "advice_{member}"
[[waves.w1.surveys]]
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
[[waves.w1.surveys.questions]]
shape = "decision"
decision = "d2"
involved = "inv2"
column = "shaped2"
separator = ";"
voice = "voice2"
scale = "agree"
[[waves.w1.surveys]]
file = "pulse.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "perceptions"
scale = "agree"
[waves.w1.surveys.questions.items]
take_part = "take_part"
role_clear = "role_clear"
fun = "fun"
prepared_to_lead = "prepared"
"""

ROSTER = """member_id,name,sector,role,lived,grassroots
a,Ann Able,Parents,Chair,no,yes
b,Bo Baker,Parents,Steering,yes,no
c,Cy Cole,Providers,Steering,no,yes
d,Di Dunn,Providers,Member,no,no
e,Ed Eck,Funders,Member,yes,no
f,Fay Fox,Providers,Member,yes,no
g,Gus Gray,Funders,Member,no,no
"""
MEMBERS = list("abcdefg")
WORK = {"a": {"b": "Weekly", "c": "Monthly", "e": "Weekly"},
        "b": {"a": "Weekly", "c": "Monthly", "d": "Never"},
        "c": {"a": "Monthly", "d": "Weekly"},
        "d": {"c": "Weekly", "f": "Yearly"}}
FOLLOW = {"a": {"b": "A lot", "c": "Somewhat"}, "b": {"a": "A lot", "e": "A little"},
          "c": {"d": "Somewhat"}, "d": {"c": "A little", "a": "Not at all"}}
OPEN = {"a": {"b": "A little"}, "b": {"a": "A lot", "e": "Not at all"},
        "c": {"d": "Somewhat"}, "d": {"a": "Not at all"}}
ADVICE = {"a": {"c": "1"}, "b": {"a": "1"}, "c": {"a": "1"}, "d": {"a": "1"}}
DECISIONS_CSV = """who,inv1,shaped1,voice1,inv2,shaped2,voice2
a,Yes,b;c,Agree,Yes,c,Strongly agree
b,Yes,a,Disagree,No,,
c,No,a,,Yes,a,Neutral
d,Yes,a;c,Strongly agree,,a,
e,,,,Yes,c,Strongly disagree
"""
# agree 1–5
PULSE = """who,take_part,role_clear,fun,prepared
a,Agree,Strongly agree,Agree,Agree
b,Disagree,Neutral,Agree,Disagree
c,Agree,Agree,Neutral,
e,Strongly disagree,Disagree,Strongly agree,Neutral
"""


def relationship_csv() -> str:
    tables = {"work": WORK, "trust_follow": FOLLOW, "trust_open": OPEN, "advice": ADVICE}
    header = ["who"] + [f"{p}_{m}" for p in tables for m in MEMBERS]
    rows = [[r] + [t[r].get(m, "") for t in tables.values() for m in MEMBERS] for r in "abcd"]
    return "\n".join(",".join(row) for row in [header, *rows]) + "\n"


def write_study(root: Path, indicators: str = "") -> Path:
    root.mkdir(parents=True)
    files = {"cpower.toml": TOML.replace("INDICATORS", indicators), "roster.csv": ROSTER,
             "relationships.csv": relationship_csv(), "decisions.csv": DECISIONS_CSV,
             "pulse.csv": PULSE}
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    study = cp.load_study(write_study(tmp_path_factory.mktemp("indicators") / "tiny"))
    assert study.quality.problems == []
    return analyze(study)


@pytest.fixture(scope="module")
def example(example_analysed):
    return example_analysed[1]


def scores(evidence) -> list[float | None]:
    return [c.score for c in evidence.components]


def raws(evidence) -> list[float | None]:
    return [c.raw for c in evidence.components]


def with_wave(results, **changes):
    """A copy of ``results`` whose wave has ``changes`` (indicators recomputed)."""
    changed = dataclasses.replace(results, wave=dataclasses.replace(results.wave, **changes))
    changed.indicators = compute_indicators(changed)
    return changed


def with_communities(results, ami, attribute_modularity, not_measured=None):
    """``results`` whose collaboration communities have this AMI with silos (as
    ``CommunityResult`` carries it once ``ami`` and ``not_measured`` are added)."""
    relations = dict(results.wave.relations)
    relations["collaborate"] = dataclasses.replace(
        relations["collaborate"],
        communities=SimpleNamespace(partition={}, modularity=0.3, count=2, nmi=0.9,
                                    attribute_modularity=attribute_modularity, ami=ami,
                                    not_measured=not_measured))
    return with_wave(results, relations=relations)


approx = pytest.approx


# --------------------------------------------------------------------------- registry
METHODS_MD = Path(__file__).resolve().parents[2] / "docs" / "methods.md"
#: Items the outline table of docs/methods.md names otherwise than by their label.
DOC_NAMES = {"table_perception": "perception", "safety_perception": "perception",
             "cohesion_perception": "perception", "tie_strength": "strength of relationships"}


def indicators_section() -> str:
    """The text of docs/methods.md's ``## Indicators`` section (its subsections too)."""
    text = METHODS_MD.read_text(encoding="utf-8")
    start = text.index("\n## Indicators\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def markdown_table(text: str, header: str) -> list[list[str]]:
    """The body rows of the Markdown table whose header row is ``header`` (cells
    stripped, backticks removed)."""
    lines = text[text.index(header):].splitlines()[2:]
    return [[cell.strip().replace("`", "") for cell in line.strip().strip("|").split("|")]
            for line in itertools.takewhile(lambda line: line.startswith("|"), lines)]


def top_level_parts(cell: str) -> list[str]:
    """``cell`` split at the semicolons outside parentheses."""
    parts, depth, current = [], 0, ""
    for char in cell:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ";" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return [*parts, current.strip()]


def test_the_indicators_and_items_are_those_of_docs_methods_md() -> None:
    """docs/methods.md §Indicators, the shipped description, and the code's defaults agree
    both ways: the milestones in order, each milestone's evidence items (the outline table
    names them, the evidence-items table gives their keys) and the perception items with
    their statements and the evidence item that scores them."""
    section = indicators_section()
    labels = {m.key: m.label for m in MILESTONES}
    outline = {cells[0]: sorted(part.split(" (")[0] for part in top_level_parts(cells[1]))
               for cells in markdown_table(section, "| milestone | items and their evidence |")}
    assert list(outline) == list(labels.values())
    assert outline == {label: sorted(DOC_NAMES.get(key, name.casefold())
                                     for key, milestone, name, _ in RULES if milestone == m)
                       for m, label in labels.items()}
    items = markdown_table(section, "| item | milestone | components | not measured when |")
    assert {key: milestone for key, milestone, *_ in items} == {
        key: labels[milestone] for key, milestone, _, _ in RULES}
    assert len(items) == len(RULES) == 22
    perception = markdown_table(section, "| item | statement | evidence item |")
    assert {key: statement for key, statement, _ in perception} == {
        key: item.text for key, item in DEFAULT_ITEMS.items()}
    milestone_of = {key: milestone for key, milestone, _, _ in RULES}
    assert {key: milestone_of[scored_by] for key, _, scored_by in perception} == {
        key: item.milestone for key, item in DEFAULT_ITEMS.items()}
    assert len(perception) == len(DEFAULT_ITEMS) == 12


def test_every_item_has_one_rule() -> None:
    assert [m.key for m in MILESTONES] == ["setting_the_table", "safety_trust", "cohesion",
                                           "financing", "lived_experience"]
    assert ITEM_KEYS == [
        "diversity", "le_leadership", "newcomers", "table_perception",
        "tie_strength", "trust_across_silos", "mutual_trust", "trust_reaches_le",
        "safety_perception",
        "connectedness", "collaboration", "silos_dissolving", "not_hub_dependent",
        "cohesion_perception",
        "resources_reach", "funds_agreement",
        "decision_influence", "le_central", "voices_heard", "prepared_to_lead",
        "trust_score", "valued_partners"]   # read from trust and value scores
    assert len(set(ITEM_KEYS)) == len(RULES) == len(ITEM_KEYS)
    assert {milestone for _, milestone, _, _ in RULES} == {m.key for m in MILESTONES}


# --------------------------------------------------------------------------- setting the table
def test_diversity(tiny) -> None:
    evidence = item(tiny.indicators, "diversity")
    # silos 2, 3, 2 of 7: Blau = 1 − (4 + 9 + 4)/49 = 32/49, over its maximum 1 − 1/3:
    # (32/49) / (2/3) = 48/49
    assert raws(evidence) == [approx(48 / 49)]
    assert evidence.score == approx(100 * 48 / 49)
    assert evidence.breakdown == {"share of lived experience members": approx(3 / 7),
                                  "share of grassroots members": approx(2 / 7)}


def test_le_leadership(tiny) -> None:
    evidence = item(tiny.indicators, "le_leadership")
    # leaders a, b, c: lived experience holds 1 of 3 roles; 3 of 7 members have lived
    # experience; ratio (1/3) / (3/7) = 7/9
    assert raws(evidence) == [approx(7 / 9)]
    assert evidence.score == approx(700 / 9)
    assert evidence.breakdown == {"leadership roles": 3.0,
                                  "share held by lived experience": approx(1 / 3),
                                  "lived-experience membership share": approx(3 / 7)}


def test_le_leadership_not_measured_without_leadership_roles(tiny) -> None:
    roster = tiny.roster.assign(leader=False)
    changed = dataclasses.replace(tiny, roster=roster)
    evidence = rules.le_leadership(changed, IndicatorSettings())
    assert evidence.score is None
    assert evidence.components[0].how == "not measured: no leadership roles in the roster"


def test_newcomers(tiny) -> None:
    # one wave: nothing to compare with
    evidence = item(tiny.indicators, "newcomers")
    assert evidence.score is None and not evidence.measured
    assert evidence.components[0].how == "not measured: needs a previous wave"
    # newcomers with 2 contacts on average against 4 for returning members: 0.5 -> 50
    half = with_wave(tiny, newcomer_degree={"newcomers": 2.0, "returning": 4.0,
                                            "newcomer_count": 3.0})
    evidence = item(half.indicators, "newcomers")
    assert (raws(evidence), evidence.score) == ([0.5], 50.0)
    assert evidence.breakdown == {"newcomers": 2.0, "returning": 4.0, "newcomer_count": 3.0}
    # better connected than returning members: capped at 100
    more = with_wave(tiny, newcomer_degree={"newcomers": 6.0, "returning": 4.0,
                                            "newcomer_count": 1.0})
    assert item(more.indicators, "newcomers").score == 100.0
    none = with_wave(tiny, newcomer_degree={"newcomers": float("nan"), "returning": 4.0,
                                            "newcomer_count": 0.0})
    evidence = item(none.indicators, "newcomers")
    assert evidence.score is None
    assert evidence.components[0].how == "not measured: no newcomers this wave"


def test_newcomers_on_the_example(example) -> None:
    assert item(example["2024"].indicators, "newcomers").score is None
    degree = example["2025"].wave.newcomer_degree
    assert degree["newcomer_count"] == 5.0
    evidence = item(example["2025"].indicators, "newcomers")
    assert raws(evidence) == [approx(degree["newcomers"] / degree["returning"])]
    assert evidence.score == approx(100 * degree["newcomers"] / degree["returning"])


def test_table_perception(tiny) -> None:
    evidence = item(tiny.indicators, "table_perception")
    # take part: a 4, b 2, c 4, e 1 -> 2.75 -> (2.75 − 1)/4 = 43.75
    # role clear: a 5, b 3, c 4, e 2 -> 3.5 -> 62.5
    assert raws(evidence) == [2.75, 3.5]
    assert scores(evidence) == [43.75, 62.5]
    assert evidence.score == approx(53.125)
    # by group, with the lived-experience gap: b 2, e 1 -> 1.5 against a, c 4 -> −2.5
    assert evidence.breakdown["take_part: lived_experience"] == 1.5
    assert evidence.breakdown["take_part: lived-experience gap"] == -2.5
    assert evidence.breakdown["role_clear: lived-experience gap"] == -2.0   # 2.5 − 4.5
    # grassroots (a, c) is under 3 members: left out of the breakdown, and said so
    assert "take_part: grassroots" not in evidence.breakdown
    assert evidence.notes == [
        "left out of the breakdown: Grassroots is a group of 2 members: too small to "
        "measure (fewer than 3)",
        "Lived experience is a group of 3 members: read with care"]


def test_setting_the_table_indicator(tiny) -> None:
    indicator = tiny.indicators["setting_the_table"]
    # diversity 97.96, leadership 77.78, perception 53.125; newcomers not measured
    expected = (4800 / 49 + 700 / 9 + 53.125) / 3
    assert indicator.score == approx(expected)            # 76.29
    assert indicator.band == "Strong"
    assert [i.key for i in indicator.measured_items] == ["diversity", "le_leadership",
                                                         "table_perception"]
    assert indicator.reading == (
        "Setting the table is strong (76 out of 100). The strongest evidence is diversity "
        "of membership (98); the weakest is members feel they can take part (53). "
        "Not measured: newcomers welcomed.")


# --------------------------------------------------------------------------- safety and trust
def test_tie_strength(tiny) -> None:
    evidence = item(tiny.indicators, "tie_strength")
    # mean trust (3 + 3 + 4 + 1.5 + 3 + 2 + 1)/7 = 2.5 on 1–4 -> 50
    # strong = 3 (the middle positive answer): 3, 3, 4, 3 -> 4/7
    assert raws(evidence) == [2.5, approx(4 / 7)]
    assert scores(evidence) == [50.0, approx(400 / 7)]
    assert evidence.components[1].label == "share of ties at 3 or more"


def test_trust_across_silos(tiny) -> None:
    evidence = item(tiny.indicators, "trust_across_silos")
    # cross-silo arcs: a->c, b->e, d->a (3 of 7); E-I = (3 − 4)/7 = −1/7
    # random mixing, silos shuffled within respondents (a, b, c, d: Parents, Parents,
    # Providers, Providers) and within non-respondents (e, f, g: Funders, Providers,
    # Funders): an arc to a respondent stays inside with P = (2·1 + 2·1)/(4·3) = 1/3,
    # b->e (to a non-respondent) with P = 1/2 · 1/3 = 1/6 (both Providers)
    # -> P(internal) = (6/3 + 1/6)/7 = 13/42 -> E[EI] = 1 − 26/42 = 8/21
    # E-I score (−1/7 + 1)/(8/21 + 1) = 18/29; the cross-silo share 3/7 = (1 + E-I)/2
    # carries the same information, so it is shown in the breakdown, not scored twice
    # mean strength across (3 + 1.5 + 1)/3 = 11/6, within (3 + 4 + 3 + 2)/4 = 3 -> 11/18
    assert raws(evidence) == [approx(-1 / 7), approx(11 / 18)]
    assert scores(evidence) == [approx(1800 / 29), approx(1100 / 18)]
    assert evidence.breakdown["cross-silo share of trust ties"] == approx(3 / 7)
    assert evidence.breakdown["E-I expected at random"] == approx(8 / 21)
    assert 0 < evidence.breakdown["E-I p-value"] <= 1


def test_mutual_trust(tiny) -> None:
    evidence = item(tiny.indicators, "mutual_trust")
    # a<->b and c<->d are mutual: 4 of 7 arcs
    assert (raws(evidence), evidence.score) == ([approx(4 / 7)], approx(400 / 7))


def test_trust_reaches_le(tiny) -> None:
    evidence = item(tiny.indicators, "trust_reaches_le")
    # trust received: a 4 + 1, b 3, c 3 + 2, d 3, e 1.5, f 0, g 0 (17.5 in all)
    # lived experience b + e + f = 4.5 -> share 9/35; membership 3/7; parity 0.6
    assert (raws(evidence), evidence.score) == ([approx(0.6)], approx(60.0))
    assert evidence.notes == ["Lived experience is a group of 3 members: read with care"]


def test_safety_perception_counts_only_items_asked(tiny) -> None:
    evidence = item(tiny.indicators, "safety_perception")
    # only "fun" was asked: a 4, b 4, c 3, e 5 -> 4 -> 75; the other three are "not asked"
    assert scores(evidence) == [None, None, None, 75.0]
    assert [c.how for c in evidence.components[:3]] == ["not asked"] * 3
    assert evidence.score == 75.0
    assert evidence.breakdown["fun: lived-experience gap"] == 1.0     # 4.5 − 3.5


def test_safety_trust_indicator(tiny) -> None:
    indicator = tiny.indicators["safety_trust"]
    items = [(50 + 400 / 7) / 2, (1800 / 29 + 1100 / 18) / 2, 400 / 7, 60.0, 75.0]
    # the sixth, the trust score, is not measured: nobody rated partners on trust facets
    assert [i.score for i in indicator.items][:5] == approx(items)
    assert indicator.items[5].key == "trust_score" and indicator.items[5].score is None
    assert indicator.score == approx(sum(items) / 5)                  # 61.46
    assert indicator.band == "Developing"


def test_trust_items_not_measured_without_the_relation(tiny) -> None:
    indicators = compute_indicators(tiny, settings=IndicatorSettings(trust_relation="nope"))
    safety = indicators["safety_trust"]
    for key in ("tie_strength", "trust_across_silos", "mutual_trust", "trust_reaches_le"):
        evidence = item(indicators, key)
        assert evidence.score is None, key
        assert evidence.components[0].how.startswith("not measured")
    assert item(indicators, "tie_strength").components[0].how == \
        "not measured: no 'nope' relation in this wave"
    # left out, not counted as zero: the indicator is the perception item alone
    assert safety.score == 75.0 and safety.band == "Strong"
    assert safety.reading == (
        "Safety and trust is strong (75 out of 100). Not measured: strength and type of "
        "relationships, relationships across silos, mutual trust, trust reaches "
        "lived-experience members, partners trust each other.")


# --------------------------------------------------------------------------- cohesion
def test_connectedness(tiny) -> None:
    evidence = item(tiny.indicators, "connectedness")
    # weak components {a, b, c, d, e, f} and {g}: largest 6/7; one isolate 1/7
    # ties either way: the 6-member component reaches itself (30 ordered pairs of 42), g
    # reaches nobody -> fragmentation 12/42 (directed reachability, which counts e, f and
    # g as reaching nobody, gives 22/42: shown in the breakdown, not scored)
    assert raws(evidence) == [approx(6 / 7), approx(1 / 7), approx(12 / 42)]
    assert scores(evidence) == [approx(600 / 7), approx(600 / 7), approx(3000 / 42)]
    assert evidence.breakdown == {"isolates": 1.0, "components": 2.0,
                                  "fragmentation along reported directions": approx(22 / 42)}


def test_collaboration(tiny) -> None:
    evidence = item(tiny.indicators, "collaboration")
    # density 9/42 against 0.20 -> capped at 100
    # clustering (undirected): a 1/3 (b–c of b, c, e), b 1, c 1/3 (a–b of a, b, d),
    # d, e, f, g 0 -> (5/3)/7 = 5/21 against 0.40 -> 59.52
    assert raws(evidence) == [approx(9 / 42), approx(5 / 21)]
    assert scores(evidence) == [100.0, approx(100 * (5 / 21) / 0.4)]
    # the targets come from the settings
    strict = compute_indicators(tiny, settings=IndicatorSettings(density_target=0.6,
                                                                 clustering_target=0.25))
    assert scores(item(strict, "collaboration")) == [approx(100 * (9 / 42) / 0.6),
                                                     approx(100 * (5 / 21) / 0.25)]


def test_silos_dissolving(tiny) -> None:
    # AMI 0.3 -> 70 (the NMI of 0.9 beside it is not scored: biased upward on small
    # networks); a negative silo modularity counts as 0 -> 100
    changed = with_communities(tiny, ami=0.3, attribute_modularity=-0.1)
    evidence = item(changed.indicators, "silos_dissolving")
    assert [c.label for c in evidence.components] == [
        "adjusted mutual information (AMI) of communities and silos",
        "modularity of the silo partition"]
    assert raws(evidence) == [0.3, 0.0]
    assert scores(evidence) == [approx(70.0), 100.0]
    assert evidence.breakdown == {"communities found": 2.0, "community modularity": 0.3}
    # communities mirroring silos exactly: AMI 1 -> 0; modularity 0.45 -> 55
    mirrored = with_communities(tiny, ami=1.0, attribute_modularity=0.45)
    assert scores(item(mirrored.indicators, "silos_dissolving")) == [0.0, approx(55.0)]
    # AMI below chance is clipped at 0: 1 − 0 -> 100
    below = with_communities(tiny, ami=-0.2, attribute_modularity=0.45)
    assert scores(item(below.indicators, "silos_dissolving")) == [100.0, approx(55.0)]


def test_silos_dissolving_not_measured_with_the_measure_s_reason(tiny) -> None:
    unknown = with_communities(tiny, ami=None, attribute_modularity=float("nan"),
                               not_measured="fewer than 2 members with ties")
    evidence = item(unknown.indicators, "silos_dissolving")
    assert evidence.score is None and raws(evidence) == [None, None]
    assert [c.how for c in evidence.components] == [
        "not measured: fewer than 2 members with ties",
        "not measured: undefined on these data"]
    nan = with_communities(tiny, ami=float("nan"), attribute_modularity=0.2)
    assert scores(item(nan.indicators, "silos_dissolving")) == [None, approx(80.0)]


def test_not_hub_dependent(tiny) -> None:
    evidence = item(tiny.indicators, "not_hub_dependent")
    # collaborate in-degrees a 2, b 1, c 3, d 1, e 1, f 1, g 0:
    # sum(3 − k) = 12 over (n − 1)² = 36 -> 1/3
    # any relation: f's only contact is d -> 1 of 7 members depends on one person
    assert raws(evidence) == [approx(1 / 3), approx(1 / 7)]
    assert scores(evidence) == [approx(200 / 3), approx(600 / 7)]
    assert tiny.wave.worklist.gatekeepers == {"f": "d"}
    assert evidence.breakdown == {"articulation points": 1.0}


def test_cohesion_indicator_leaves_out_what_was_not_measured(tiny) -> None:
    changed = with_communities(tiny, ami=0.3, attribute_modularity=-0.1)
    indicator = changed.indicators["cohesion"]
    perception = item(changed.indicators, "cohesion_perception")
    assert perception.score is None and not perception.measured
    measured = [(600 / 7 + 600 / 7 + 3000 / 42) / 3,               # connectedness 80.95
                (100 + 100 * (5 / 21) / 0.4) / 2,                   # collaboration 79.76
                85.0,                                               # silos dissolving
                (200 / 3 + 600 / 7) / 2]                            # not hub-dependent 76.19
    assert indicator.score == approx(sum(measured) / 4)            # 80.48, not sum / 5
    assert indicator.reading.endswith("Not measured: shared vision and solidarity.")
    assert indicator.notes == ["Shared vision and solidarity: not measured (not asked in "
                               "this wave's surveys)"]
    assert indicator.not_measured == {"cohesion_perception":
                                      "not asked in this wave's surveys"}


# --------------------------------------------------------------------------- financing
def test_financing_not_measured_at_all(tiny) -> None:
    indicator = tiny.indicators["financing"]
    assert indicator.score is None
    assert indicator.band == "Not measured"
    assert [i.score for i in indicator.items] == [None, None]
    assert item(tiny.indicators, "resources_reach").components[0].how == (
        "not measured: no relation plays the role 'resources': add role = \"resources\" "
        "to the relation that asks who shares resources (funds, staff, space) with whom")
    reason = ("no relation plays the role 'resources': add role = \"resources\" to the "
              "relation that asks who shares resources (funds, staff, space) with whom")
    assert indicator.reading == (f"Financing was not measured: {reason}; not asked in this "
                                 "wave's surveys.")
    assert indicator.notes == [
        f"Resources reach grassroots and lived experience: not measured ({reason})",
        "Agreement on how funds were distributed: not measured (not asked in this wave's "
        "surveys)"]


def test_resources_reach(tiny) -> None:
    # read the trust graph as if it were the resources relation
    settings = IndicatorSettings(resources_relation="trust")
    indicators = compute_indicators(tiny, settings=settings)
    evidence = item(indicators, "resources_reach")
    # grassroots (a, c) has 2 members: not measured; lived experience 0.6 (see
    # test_trust_reaches_le)
    assert raws(evidence) == [None, approx(0.6)]
    assert scores(evidence) == [None, approx(60.0)]
    assert [c.label for c in evidence.components] == [
        "parity of resources received: grassroots",
        "parity of resources received: lived_experience"]
    assert evidence.components[0].how == (
        "not measured: Grassroots is a group of 2 members: too small to measure (fewer "
        "than 3)")
    assert evidence.notes == ["Lived experience is a group of 3 members: read with care"]
    # financing is scored from what exists: funds agreement was not asked
    assert indicators["financing"].score == approx(60.0)
    assert indicators["financing"].reading == (
        "Financing is developing (60 out of 100). Not measured: agreement on how funds "
        "were distributed.")
    # the analysis itself leaves a 2-member group's parity unmeasured, with the reason
    table = tiny.wave.relations["trust"].parity
    row = table[(table["group"] == "grassroots") & (table["measure"] == "in_strength")]
    assert row["parity"].isna().all()
    assert row["not_measured"].tolist() == [
        "group of 2 members: too small to measure (fewer than 3)"]


# --------------------------------------------------------------------------- lived experience
def test_decision_influence(tiny) -> None:
    evidence = item(tiny.indicators, "decision_influence")
    # lived experience named 1 of 10 times, 3 of 7 members: parity 7/30 -> 23.33
    # Gini of 5, 1, 4, 0, 0, 0, 0 = 24/35 -> (1 − 24/35) × 100 = 31.43
    assert raws(evidence) == [approx(7 / 30), approx(24 / 35)]
    assert scores(evidence) == [approx(70 / 3), approx(1100 / 35)]
    # grassroots (2 members, parity 3.15) is too small to show
    assert evidence.breakdown == {"decision parity: lived_experience": approx(7 / 30)}
    assert evidence.notes == ["Lived experience is a group of 3 members: read with care"]


def test_le_central(tiny) -> None:
    evidence = item(tiny.indicators, "le_central")
    assert [c.label for c in evidence.components] == [
        "advice: parity of pagerank", "advice: parity of in_degree",
        "collaborate: parity of pagerank", "collaborate: parity of in_degree"]
    # advice: nobody with lived experience is asked for advice -> in-degree parity 0
    # collaborate: in-degrees b 1, e 1, f 1 of 9 -> share 1/3 over 3/7 -> 7/9
    assert raws(evidence)[1] == 0.0 and raws(evidence)[3] == approx(7 / 9)
    # PageRank parity, from networkx's reference PageRank
    for index, relation in ((0, "advice"), (2, "collaborate")):
        G = tiny.wave.relations[relation].graph
        pagerank = nx.pagerank(G, weight="weight", tol=1e-12, max_iter=10_000)
        expected = group_parity(pagerank, ["b", "e", "f"]).parity
        assert raws(evidence)[index] == approx(expected, abs=1e-9)
    assert evidence.score == approx(sum(min(100, 100 * r) for r in raws(evidence)) / 4)


def test_voices_heard(tiny) -> None:
    evidence = item(tiny.indicators, "voices_heard")
    # lived experience: b 2, e 1 -> 1.5 on 1–5 -> 12.5
    # others a 4, d 5, a 5, c 3 -> 4.25; gap −2.75 on a span of 4 -> 100 × (1 − 0.6875)
    assert raws(evidence) == [1.5, -2.75]
    assert scores(evidence) == [12.5, 31.25]
    # grassroots (mean voice 4.0 from 2 members) is too small to show
    assert evidence.breakdown == {"voice: lived_experience": 1.5}


def test_voices_heard_and_decisions_not_measured_without_a_decision_survey(tiny) -> None:
    changed = with_wave(tiny, decisions=None)
    for key in ("decision_influence", "voices_heard"):
        assert item(changed.indicators, key).score is None
    indicator = changed.indicators["lived_experience"]
    # the remaining items: le_central and prepared_to_lead
    rest = [item(tiny.indicators, "le_central").score, 37.5]
    assert indicator.score == approx(sum(rest) / 2)
    assert ("Not measured: decision influence, voices heard, lived-experience members "
            "valued as partners.") in indicator.reading


def test_prepared_to_lead_reads_lived_experience_members(tiny) -> None:
    evidence = item(tiny.indicators, "prepared_to_lead")
    # lived-experience members only: b 2, e 3 -> 2.5 -> 37.5 (everyone: a 4, b 2, e 3 -> 3)
    assert raws(evidence) == [2.5, None]
    assert scores(evidence) == [37.5, None]
    assert evidence.breakdown["prepared_to_lead: all"] == 3.0
    assert evidence.score == 37.5


def test_lived_experience_indicator(tiny) -> None:
    indicator = tiny.indicators["lived_experience"]
    influence = (70 / 3 + 1100 / 35) / 2                   # 27.38
    central = item(tiny.indicators, "le_central").score    # 44.14
    expected = (influence + central + 21.875 + 37.5) / 4
    assert indicator.score == approx(expected)
    assert indicator.band == "Emerging"
    assert indicator.reading == (
        f"Directed by lived experience is emerging ({expected:.0f} out of 100). The "
        f"strongest evidence is central in the everyday network ({central:.0f}); the "
        "weakest is voices heard (22). Not measured: lived-experience members valued as "
        "partners.")


# --------------------------------------------------------------------------- weights
def test_weights_change_the_indicator_score(tiny) -> None:
    base = [i.score for i in tiny.indicators["safety_trust"].items]
    doubled = compute_indicators(tiny, settings=IndicatorSettings(weights={"mutual_trust": 2}))
    # weighted mean: mutual trust (the third item) counts twice
    expected = (base[0] + base[1] + 2 * base[2] + base[3] + base[4]) / 6
    assert doubled["safety_trust"].score == approx(expected)
    assert item(doubled, "mutual_trust").weight == 2.0
    # other indicators are untouched
    assert doubled["cohesion"].score == tiny.indicators["cohesion"].score


def test_weight_zero_drops_an_item(tiny) -> None:
    base = [i.score for i in tiny.indicators["safety_trust"].items]
    dropped = compute_indicators(tiny, settings=IndicatorSettings(
        weights={"safety_perception": 0}))
    indicator = dropped["safety_trust"]
    assert indicator.score == approx(sum(base[:4]) / 4)
    assert "safety_perception" not in [i.key for i in indicator.measured_items]
    # still listed, with its score and weight, so the report can show it
    assert item(dropped, "safety_perception").score == 75.0
    assert item(dropped, "safety_perception").weight == 0.0
    # and no longer named as the strongest evidence
    assert "members feel safe and trusted" not in indicator.reading


def test_weight_of_a_not_measured_item_changes_nothing(tiny) -> None:
    heavy = compute_indicators(tiny, settings=IndicatorSettings(
        weights={"cohesion_perception": 5, "newcomers": 3}))
    assert heavy["cohesion"].score == tiny.indicators["cohesion"].score
    assert heavy["setting_the_table"].score == tiny.indicators["setting_the_table"].score


def test_one_measured_item_reading(tiny) -> None:
    only = compute_indicators(tiny, settings=IndicatorSettings(weights={
        "tie_strength": 0, "trust_across_silos": 0, "mutual_trust": 0,
        "safety_perception": 0}))
    assert only["safety_trust"].score == approx(60.0)
    assert only["safety_trust"].reading == ("Safety and trust is developing (60 out of "
                                            "100). Not measured: partners trust each other.")


def tiny_band(score: float) -> str:
    return IndicatorSettings().band(score)


def test_settings_and_weights_from_the_study_toml(tmp_path) -> None:
    toml = ('[indicators]\nemerging_below = 20\nstrong_from = 50\n'
            '[indicators.weights]\nmutual_trust = 2\nsafety_perception = 0\n')
    results = analyze(cp.load_study(write_study(tmp_path / "weighted", toml)))
    settings = results.indicators.settings
    assert (settings.emerging_below, settings.strong_from) == (20.0, 50.0)
    safety = results.indicators["safety_trust"]
    # tie strength 53.57, across silos 61.59, mutual trust 57.14 (×2), trust reaches 60
    expected = ((50 + 400 / 7) / 2 + (1800 / 29 + 1100 / 18) / 2 + 2 * 400 / 7 + 60) / 5
    assert safety.score == approx(expected)
    assert safety.band == "Strong"                         # 57.5 ≥ 50 with these bands
    # 32.7: Emerging with the default bands, Developing with 20 / 50
    assert tiny_band(results.indicators["lived_experience"].score) == "Emerging"
    assert results.indicators["lived_experience"].band == "Developing"


def test_bad_indicator_settings_in_the_study_are_config_errors(tmp_path) -> None:
    # found when the study is read (cpower validate lists it), not first in the analysis
    toml = '[indicators.weights]\nmutual_trus = 2\n'
    with pytest.raises(cp.ConfigError, match="did you mean 'mutual_trust'"):
        cp.load_study(write_study(tmp_path / "bad", toml))


# --------------------------------------------------------------------------- the example
def test_example_study_gets_all_five_milestones(example) -> None:
    for results in example.values():
        indicators = results.indicators
        assert [m.key for m in indicators.milestones] == [m.key for m in MILESTONES]
        for indicator in indicators.milestones:
            assert indicator.score is not None and 0 <= indicator.score <= 100
            assert indicator.band in ("Emerging", "Developing", "Strong")
            assert indicator.band == indicators.settings.band(indicator.score)
            assert indicator.reading.startswith(
                f"{indicator.label} is {indicator.band.lower()} ({indicator.score:.0f} "
                "out of 100).")
            for evidence in indicator.items:
                assert evidence.score is None or 0 <= evidence.score <= 100
                for c in evidence.components:
                    assert c.score is None or 0 <= c.score <= 100, (evidence.key, c)


def test_example_financing_is_scored_only_from_what_exists(example) -> None:
    for results in example.values():
        financing = results.indicators["financing"]
        resources, funds = financing.items
        assert resources.key == "resources_reach" and resources.score is None
        assert funds.key == "funds_agreement" and funds.score is not None
        assert financing.score == approx(funds.score)
        assert financing.reading.endswith(
            "Not measured: resources reach grassroots and lived experience.")
        # the score is the mean answer of everyone to the funds item, rescaled from 1–5
        table = results.wave.perceptions
        row = table[(table["item"] == "funds_agreement") & (table["group"] == "all")].iloc[0]
        assert financing.score == approx(100 * (row["mean"] - 1) / 4)
