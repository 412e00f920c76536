"""From a study to networkx graphs (graphs.py): nodes, arcs, weights, combine rules, the
non-respondent rule, the decision-influence graph and the combined graph.

The tiny study below is small enough to read every arc off its survey by eye.
Members a–g; the relationship survey was answered by a, b, c, d (e answered only the
decision and pulse surveys; f and g answered nothing).
"""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

import cpower_network as cp
from cpower_network.errors import UsageError
from cpower_network.graphs import (
    DECISIONS,
    build_graph,
    build_graphs,
    build_influence_graph,
    combine_answers,
    combined_graph,
    relation_keys,
)

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
strong = 2
[relations.trust]
label = "Trust"
scale = "trust"
combine = "COMBINE"
[relations.advice]
label = "Advice"
[relations.resources]
scale = "frequency"
ANALYSIS
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
items = { fun = "fun" }
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
# respondent -> {alter: answer}; blank cells are "not asked / no answer"
WORK = {"a": {"b": "Weekly", "c": "Monthly", "e": "Weekly"},
        "b": {"a": "Weekly", "c": "Monthly", "d": "Never"},
        "c": {"a": "Monthly", "d": "Weekly"},
        "d": {"c": "Weekly", "f": "Yearly"}}
FOLLOW = {"a": {"b": "A lot", "c": "Somewhat"}, "b": {"a": "A lot", "e": "A little"},
          "c": {"d": "Somewhat"}, "d": {"c": "A little", "a": "Not at all"}}
OPEN = {"a": {"b": "A little"}, "b": {"a": "A lot", "e": "Not at all"},
        "c": {"d": "Somewhat"}, "d": {"a": "Not at all"}}
ADVICE = {"a": {"c": "1"}, "b": {"a": "1"}, "c": {"a": "1"}, "d": {"a": "1"}}


def relationship_csv() -> str:
    tables = {"work": WORK, "trust_follow": FOLLOW, "trust_open": OPEN, "advice": ADVICE}
    header = ["who"] + [f"{p}_{m}" for p in tables for m in MEMBERS]
    rows = [[r] + [t[r].get(m, "") for t in tables.values() for m in MEMBERS] for r in "abcd"]
    return "\n".join(",".join(row) for row in [header, *rows]) + "\n"


# d1: a named b and c; b named a; c named a; d named a and c.
# d2: a named c; c named a; d named a; e named c.
DECISIONS_CSV = """who,inv1,shaped1,voice1,inv2,shaped2,voice2
a,Yes,b;c,Agree,Yes,c,Strongly agree
b,Yes,a,Disagree,No,,
c,No,a,,Yes,a,Neutral
d,Yes,a;c,Strongly agree,,a,
e,,,,Yes,c,Strongly disagree
"""
PULSE = "who,fun\na,Agree\nb,Agree\nc,Neutral\ne,Strongly agree\n"


@pytest.fixture
def tiny(make_study):
    """``tiny(combine="mean", nonrespondents=None) -> Study``."""

    def load(combine: str = "mean", nonrespondents: str | None = None) -> cp.Study:
        analysis = (f'[analysis]\nnonrespondents = "{nonrespondents}"' if nonrespondents
                    else "")
        toml = TOML.replace("COMBINE", combine).replace("ANALYSIS", analysis)
        root = make_study(toml, {"roster.csv": ROSTER, "relationships.csv": relationship_csv(),
                                 "decisions.csv": DECISIONS_CSV, "pulse.csv": PULSE},
                          name=f"tiny-{combine}-{nonrespondents}")
        study = cp.load_study(root)
        assert study.quality.problems == []
        return study

    return load


def arcs(G: nx.DiGraph) -> dict[tuple[str, str], float]:
    return {(u, v): w for u, v, w in G.edges(data="weight")}


# Collaborate as reported (mean is the default combine rule; one answer per pair here).
# b -> d "Never" (0) makes no arc.
COLLABORATE = {("a", "b"): 3.0, ("a", "c"): 2.0, ("a", "e"): 3.0,
               ("b", "a"): 3.0, ("b", "c"): 2.0,
               ("c", "a"): 2.0, ("c", "d"): 3.0,
               ("d", "c"): 3.0, ("d", "f"): 1.0}


# --------------------------------------------------------------------------- nodes
def test_every_wave_member_is_a_node_with_roster_attributes(tiny) -> None:
    study = tiny()
    G = build_graph(study, "collaborate", "w1")
    assert list(G.nodes) == MEMBERS          # g has no tie at all and is still a node
    assert G.nodes["a"] == {"name": "Ann Able", "silo": "Parents", "role": "Chair",
                            "leader": True, "lived_experience": False, "grassroots": True,
                            "consent": False, "respondent": True, "asked": True}
    assert G.nodes["f"]["lived_experience"] is True and G.nodes["f"]["silo"] == "Providers"
    # respondents of the relationship survey only: e answered other surveys, not this one
    assert {v for v, r in G.nodes(data="respondent") if r} == {"a", "b", "c", "d"}
    assert G.graph["respondents"] == 4
    assert G.graph["relation"] == "collaborate" and G.graph["label"] == "Work together"
    assert (G.graph["wave"], G.graph["symmetric"], G.graph["nonrespondents"]) == \
        ("w1", True, "respondents")
    assert G.graph["silo_attribute"] == "silo"
    assert G.graph["focus_groups"] == ["lived_experience", "grassroots"]
    assert (G.graph["scale_min"], G.graph["scale_max"], G.graph["strong"]) == (0.0, 3.0, 2.0)


def test_strong_threshold_defaults_to_the_middle_positive_answer(tiny) -> None:
    study = tiny()
    # trust has no `strong`: positive values [1, 2, 3, 4] -> the one at index 4 // 2 = 3
    assert build_graph(study, "trust").graph["strong"] == 3.0
    # advice is on the built-in "tie" scale: the only positive value is 1
    assert build_graph(study, "advice").graph["strong"] == 1.0


def test_only_the_waves_members_are_nodes() -> None:
    study = cp.load_study(cp.example_study_path())
    for wave in ("2024", "2025"):
        G = build_graph(study, "collaborate", wave)
        assert list(G.nodes) == study.waves[wave].members
    # some founding members left after 2024 and newcomers joined in 2025
    assert set(study.waves["2024"].members) != set(study.waves["2025"].members)
    assert len(study.waves["2024"].members) < len(study.roster)


# --------------------------------------------------------------------------- arcs, weights
def test_arcs_and_weights_never_makes_no_arc(tiny) -> None:
    G = build_graph(tiny(), "collaborate")
    assert arcs(G) == COLLABORATE
    assert not G.has_edge("b", "d")          # answered "Never"
    assert G.out_degree("e") == 0 and G.degree("g") == 0


@pytest.mark.parametrize("combine, expected", [
    # two trust questions per pair: (follow through, be open)
    # a->b (4, 2), a->c (3, -), b->a (4, 4), b->e (2, 1), c->d (3, 3), d->c (2, -), d->a (1, 1)
    ("mean", {("a", "b"): 3.0, ("a", "c"): 3.0, ("b", "a"): 4.0, ("b", "e"): 1.5,
              ("c", "d"): 3.0, ("d", "c"): 2.0, ("d", "a"): 1.0}),
    ("max", {("a", "b"): 4.0, ("a", "c"): 3.0, ("b", "a"): 4.0, ("b", "e"): 2.0,
             ("c", "d"): 3.0, ("d", "c"): 2.0, ("d", "a"): 1.0}),
    ("sum", {("a", "b"): 6.0, ("a", "c"): 3.0, ("b", "a"): 8.0, ("b", "e"): 3.0,
             ("c", "d"): 6.0, ("d", "c"): 2.0, ("d", "a"): 2.0}),
])
def test_repeated_answers_are_combined_by_the_relations_rule(tiny, combine, expected) -> None:
    G = build_graph(tiny(combine), "trust")
    assert G.graph["combine"] == combine
    assert arcs(G) == expected


def test_combine_answers_drops_zero_and_negative_results() -> None:
    ties = pd.DataFrame({"respondent": ["a", "a", "b", "b", "c"],
                         "alter": ["b", "b", "a", "a", "a"],
                         "value": [2.0, 4.0, 0.0, 0.0, -1.0]})
    assert combine_answers(ties, "mean") == [("a", "b", 3.0)]
    assert combine_answers(ties, "max") == [("a", "b", 4.0)]
    assert combine_answers(ties, "sum") == [("a", "b", 6.0)]
    assert combine_answers(ties.iloc[:0], "mean") == []


# --------------------------------------------------------------------------- union rule
def test_union_rebuilds_nonrespondents_out_arcs_of_symmetric_relations(tiny) -> None:
    study = tiny()
    G = build_graph(study, "collaborate", nonrespondents="union")
    assert G.graph["nonrespondents"] == "union"
    # a -> e (3) and d -> f (1) were reported about non-respondents: e -> a and f -> d added
    assert arcs(G) == {**COLLABORATE, ("e", "a"): 3.0, ("f", "d"): 1.0}
    # a respondent's own (non-)answers are never filled in: b -> c was reported, c did not
    # report b, and c answered the survey, so no c -> b
    assert not G.has_edge("c", "b")
    # the respondent flags do not change
    assert {v for v, r in G.nodes(data="respondent") if r} == {"a", "b", "c", "d"}


def test_union_falls_back_to_respondents_for_other_relations(tiny) -> None:
    study = tiny()
    respondents = build_graph(study, "trust", nonrespondents="respondents")
    union = build_graph(study, "trust", nonrespondents="union")
    assert union.graph["symmetric"] is False
    assert union.graph["nonrespondents"] == "respondents"     # the rule actually applied
    assert arcs(union) == arcs(respondents)
    assert union.out_degree("e") == 0                          # b -> e not mirrored


def test_rule_defaults_to_the_studys_setting(tiny) -> None:
    study = tiny(nonrespondents="union")
    assert build_graph(study, "collaborate").graph["nonrespondents"] == "union"
    assert build_graph(study, "collaborate", nonrespondents="respondents") \
        .graph["nonrespondents"] == "respondents"
    assert tiny().config.analysis.nonrespondents == "respondents"


def test_unknown_rule_is_a_usage_error(tiny) -> None:
    with pytest.raises(UsageError, match="nonrespondents must be one of respondents, union"):
        build_graph(tiny(), "collaborate", nonrespondents="everyone")


# --------------------------------------------------------------------------- decisions
def test_influence_graph_counts_decisions(tiny) -> None:
    study = tiny()
    G = build_influence_graph(study, "w1")
    # weight = number of decisions in which u named v:
    # a->c in d1 and d2; c->a in d1 and d2; d->a in d1 and d2; the rest once
    assert arcs(G) == {("a", "b"): 1.0, ("a", "c"): 2.0, ("b", "a"): 1.0, ("c", "a"): 2.0,
                       ("d", "a"): 2.0, ("d", "c"): 1.0, ("e", "c"): 1.0}
    assert list(G.nodes) == MEMBERS
    # respondents are those who answered the decision survey (e included, f and g not)
    assert {v for v, r in G.nodes(data="respondent") if r} == set("abcde")
    assert G.graph["relation"] == DECISIONS
    assert (G.graph["scale_min"], G.graph["scale_max"]) == (0.0, 2.0)    # two decisions
    assert G.graph["nonrespondents"] == "respondents" and G.graph["symmetric"] is False
    # build_graph(..., "decisions") is the same graph
    assert arcs(build_graph(study, DECISIONS)) == arcs(G)


def test_influence_graph_ignores_the_union_rule(tiny) -> None:
    G = build_graph(tiny(), DECISIONS, nonrespondents="union")
    assert G.graph["nonrespondents"] == "respondents"
    assert G.out_degree("f") == 0


# --------------------------------------------------------------------------- keys, combined
def test_relation_keys_in_configuration_order(tiny) -> None:
    study = tiny()
    # "resources" is configured but nobody was asked about it; decisions come last
    assert relation_keys(study) == ["collaborate", "trust", "advice", DECISIONS]
    assert list(build_graphs(study)) == ["collaborate", "trust", "advice", DECISIONS]


def test_relation_keys_without_decisions() -> None:
    study = cp.load_study(cp.example_study_path())
    assert relation_keys(study, "2024") == ["collaborate", "trust", "advice", "influence",
                                            "value", DECISIONS]


def test_combined_graph_counts_relations_per_arc(tiny) -> None:
    graphs = build_graphs(tiny())
    del graphs[DECISIONS]
    G = combined_graph(graphs)
    # collaborate + trust + advice: a->c and b->a are in all three
    assert arcs(G) == {("a", "b"): 2.0, ("a", "c"): 3.0, ("a", "e"): 1.0,
                       ("b", "a"): 3.0, ("b", "c"): 1.0, ("b", "e"): 1.0,
                       ("c", "a"): 2.0, ("c", "d"): 2.0,
                       ("d", "a"): 2.0, ("d", "c"): 2.0, ("d", "f"): 1.0}
    assert list(G.nodes) == MEMBERS and G.nodes["g"]["name"] == "Gus Gray"
    assert (G.graph["relation"], G.graph["label"], G.graph["wave"]) == ("any", "Any tie", "w1")
    assert combined_graph({}).number_of_nodes() == 0


def test_unknown_relation_is_a_usage_error(tiny) -> None:
    with pytest.raises(UsageError, match="no relation 'friendship' in this study; "
                                         "relations: collaborate, trust, advice, resources"):
        build_graph(tiny(), "friendship")
    with pytest.raises(UsageError, match="no wave 'w9'"):
        build_graph(tiny(), "collaborate", "w9")


# --------------------------------------------------------------------------- known bug
LONG_TOML = """
[study]
name = "long"
[roster]
file = "roster.csv"
silo = "sector"
[relations.collaborate]
symmetric = true
[relations.advice]
[waves.w1]
[[waves.w1.surveys]]
file = "ties.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "long"
relation_column = "rel"
alter = "alter"
"""


def test_long_file_with_relation_column_has_respondents(make_study) -> None:
    root = make_study(LONG_TOML, {
        "roster.csv": "member_id,name,sector\nm1,Ann,P\nm2,Bo,Q\nm3,Cy,Q\n",
        "ties.csv": "who,alter,rel\nm1,m2,collaborate\nm2,m1,advice\n"})
    study = cp.load_study(root)
    assert study.wave().respondents("collaborate") == ["m1", "m2"]
    G = build_graph(study, "collaborate", nonrespondents="union")
    assert G.nodes["m1"]["respondent"] and G.nodes["m2"]["respondent"]
