"""Directed and undirected relations (config.py, graphs.py, analysis.py, exports).

The Krackhardt kite (``nx.krackhardt_kite_graph()``: 10 members, 18 ties) is written as
a tiny study whose ``work`` relation is undirected: every tie is reported by one or both
of its members. Read as undirected it is the kite itself (density 18/45 = 0.40, not the
18-or-so arcs over 90 ordered pairs a directed reading gives), and every centrality is
networkx's undirected one. A hand-made four-member case checks the reciprocity rules
edge by edge; a directed ``advice`` relation beside it must be unchanged.
"""

from __future__ import annotations

import io
import math
import xml.etree.ElementTree as ET

import networkx as nx
import openpyxl
import pytest
from xml_schemas import gexf_schema, graphml_schema

import cpower_network as cp
from cpower_network.analysis.pipeline import UNDIRECTED_NOT_MEASURED
from cpower_network.errors import ConfigError
from cpower_network.export.gexf import gexf_document
from cpower_network.export.graphml import graphml_document
from cpower_network.export.kumu import kumu_tables, kumu_workbook
from cpower_network.export.results_json import results_document
from cpower_network.graphs import build_graph, combined_graph, undirected_ties

KITE = nx.krackhardt_kite_graph()
MEMBERS = [f"m{i}" for i in KITE]
EDGES = sorted(KITE.edges())

HEAD = """
[study]
name = "Kite"
seed = 1
[roster]
file = "roster.csv"
silo = "sector"
[analysis]
permutations = 1000
[scales]
freq = { "Never" = 0, "Yearly" = 1, "Monthly" = 2, "Weekly" = 3 }
"""
SURVEY = """
[waves.w1]
[[waves.w1.surveys]]
file = "ties.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "long"
relation_column = "rel"
alter = "alter"
VALUE
"""


def kite_reports() -> list[tuple[str, str]]:
    """Who reported which kite tie: in turn, the lower-numbered member only, both
    members, the higher-numbered member only (so every member reports something)."""
    reports = []
    for i, (u, v) in enumerate(EDGES):
        if i % 3 in (0, 1):
            reports.append((f"m{u}", f"m{v}"))
        if i % 3 in (1, 2):
            reports.append((f"m{v}", f"m{u}"))
    return reports


def roster(members: list[str]) -> str:
    rows = [f"{m},Member {m},{'Left' if i < len(members) / 2 else 'Right'}"
            for i, m in enumerate(members)]
    return "member_id,name,sector\n" + "\n".join(rows) + "\n"


def study_of(make_study, relations: str, rows: list[tuple], members: list[str], *,
             value: bool = False, name: str = "study") -> cp.Study:
    """A one-wave study: ``relations`` (TOML) and a long file of (who, alter, rel[, how])."""
    header = "who,alter,rel" + (",how" if value else "")
    lines = [header] + [",".join(row) for row in rows]
    toml = HEAD + relations + SURVEY.replace("VALUE", 'value = "how"' if value else "")
    root = make_study(toml, {"roster.csv": roster(members),
                             "ties.csv": "\n".join(lines) + "\n"}, name=name)
    return cp.load_study(root)


KITE_RELATIONS = """
[relations.work]
label = "Work together"
direction = "undirected"
"""
ADVICE = """
[relations.advice]
label = "Advice"
"""


@pytest.fixture
def kite_study(make_study):
    rows = [(u, v, "work") for u, v in kite_reports()]
    return study_of(make_study, KITE_RELATIONS, rows, MEMBERS)


@pytest.fixture
def mixed_study(make_study):
    """The kite (undirected) and a directed advice relation: m0 -> m3, m3 -> m0, m1 -> m3."""
    rows = [(u, v, "work") for u, v in kite_reports()]
    rows += [("m0", "m3", "advice"), ("m3", "m0", "advice"), ("m1", "m3", "advice")]
    return study_of(make_study, KITE_RELATIONS + ADVICE, rows, MEMBERS)


def kite_by_member() -> nx.Graph:
    return nx.relabel_nodes(KITE, {i: f"m{i}" for i in KITE})


def edge_set(G: nx.Graph) -> set[frozenset[str]]:
    return {frozenset(e) for e in G.edges()}


# --------------------------------------------------------------------------- the kite
def test_every_member_reports_and_some_ties_are_one_sided() -> None:
    reports = kite_reports()
    assert {u for u, _ in reports} == set(MEMBERS)         # everyone is a respondent
    assert len(reports) == 24 and len(EDGES) == 18         # 6 ties reported by both


def test_the_kite_is_read_as_undirected(kite_study) -> None:
    G = build_graph(kite_study, "work")
    assert not G.is_directed()
    assert edge_set(G) == edge_set(kite_by_member())
    assert (G.graph["direction"], G.graph["reciprocity"], G.graph["symmetric"]) == \
        ("undirected", "either", True)
    # everyone answered, so no tie rests on one possible report; 12 ties were reported
    # by one member only (kept by "either")
    assert (G.graph["one_sided"], G.graph["unreciprocated"]) == (0, 12)
    assert G.graph["nonrespondents"] == "union"


def test_kite_density_is_ties_over_pairs(kite_study) -> None:
    results = cp.analyze(kite_study, seed=1)
    structure = results.wave.relations["work"].structure
    assert structure.n_ties == 18
    assert structure.density == pytest.approx(18 / 45) == pytest.approx(0.40)
    assert structure.density == pytest.approx(nx.density(KITE))


def test_directed_reading_of_the_same_reports_is_sparser(make_study) -> None:
    rows = [(u, v, "work") for u, v in kite_reports()]
    directed = study_of(make_study, KITE_RELATIONS.replace("undirected", "directed"), rows,
                        MEMBERS)
    structure = cp.analyze(directed, seed=1).wave.relations["work"].structure
    assert structure.density == pytest.approx(24 / 90)      # arcs over ordered pairs


def test_symmetric_alone_means_undirected(make_study) -> None:
    rows = [(u, v, "work") for u, v in kite_reports()]
    legacy = KITE_RELATIONS.replace('direction = "undirected"', "symmetric = true")
    study = study_of(make_study, legacy, rows, MEMBERS)
    assert study.config.relations["work"].direction == "undirected"
    assert cp.analyze(study, seed=1).wave.relations["work"].structure.density == \
        pytest.approx(0.40)


def test_kite_centralities_are_networkx_undirected(kite_study) -> None:
    table = cp.analyze(kite_study, seed=1).wave.relations["work"].centralities
    kite, n = kite_by_member(), len(MEMBERS)
    degree = nx.degree_centrality(kite)
    assert (table["in_degree"] / (n - 1)).to_dict() == pytest.approx(degree)
    assert table["out_degree"].tolist() == table["in_degree"].tolist()
    assert table["in_strength"].tolist() == table["out_strength"].tolist()
    assert table["betweenness"].to_dict() == pytest.approx(nx.betweenness_centrality(kite))
    harmonic = {v: h / (n - 1) for v, h in nx.harmonic_centrality(kite).items()}
    assert table["harmonic"].to_dict() == pytest.approx(harmonic)
    assert table["core"].to_dict() == nx.core_number(kite)
    pytest.importorskip("scipy")                            # networkx's pagerank needs it
    assert table["pagerank"].to_dict() == pytest.approx(nx.pagerank(kite, tol=1e-13),
                                                        abs=1e-9)


def test_kite_degree_values(kite_study) -> None:
    table = cp.analyze(kite_study, seed=1).wave.relations["work"].centralities
    # the kite's degrees, by node number: 4 4 3 6 3 5 5 3 2 1
    assert table["in_degree"].tolist() == [4, 4, 3, 6, 3, 5, 5, 3, 2, 1]


def test_what_is_not_measured_on_an_undirected_relation(kite_study) -> None:
    work = cp.analyze(kite_study, seed=1).wave.relations["work"]
    assert math.isnan(work.structure.reciprocity)
    assert work.brokerage.empty and list(work.brokerage.columns)[-1] == "total"
    assert work.graph.graph["not_measured"] == UNDIRECTED_NOT_MEASURED
    # Freeman degree centralisation of the undirected kite: sum(6 - k) = 24 over 9 * 8
    assert work.concentration["degree_centralization"] == pytest.approx(1 / 3)
    # the E-I counts each tie once: nothing is doubled
    assert work.ei.internal + work.ei.external == 18


def test_json_says_the_direction(mixed_study) -> None:
    relations = results_document(cp.analyze(mixed_study, seed=1))["wave"]["relations"]
    work, advice = relations["work"], relations["advice"]
    assert (work["direction"], work["reciprocity"], work["symmetric"]) == \
        ("undirected", "either", True)
    assert work["not_measured"] == UNDIRECTED_NOT_MEASURED and work["brokerage"] == []
    assert work["structure"]["reciprocity"] is None
    assert work["reciprocity_note"].startswith("Undirected: a tie when either member")
    assert (advice["direction"], advice["reciprocity"], advice["not_measured"]) == \
        ("directed", None, {})
    assert len(work["ties"]) == 18


# --------------------------------------------------------------------------- directed
def test_directed_relations_are_unchanged(mixed_study) -> None:
    advice = cp.analyze(mixed_study, seed=1).wave.relations["advice"]
    G = advice.graph
    assert G.is_directed() and G.graph["direction"] == "directed"
    assert set(G.edges()) == {("m0", "m3"), ("m3", "m0"), ("m1", "m3")}
    assert advice.structure.density == pytest.approx(3 / 90)
    assert advice.structure.reciprocity == pytest.approx(2 / 3)
    assert advice.brokerage.loc["m3", "total"] == 1            # m1 -> m3 -> m0
    assert advice.centralities.loc["m3", "in_degree"] == 2
    assert advice.centralities.loc["m3", "out_degree"] == 1


def test_combined_graph_reads_an_undirected_tie_both_ways(mixed_study) -> None:
    graphs = {key: build_graph(mixed_study, key) for key in ("work", "advice")}
    G = combined_graph(graphs)
    assert G.is_directed()
    assert G.number_of_edges() == 2 * 18                   # advice arcs are kite ties too
    assert G["m0"]["m3"]["weight"] == 2.0 and G["m1"]["m3"]["weight"] == 2.0
    assert G["m3"]["m1"]["weight"] == 1.0
    assert not combined_graph({"work": graphs["work"]}).is_directed()


# --------------------------------------------------------------------------- reciprocity
FOUR = ["a", "b", "c", "d"]
#: a and b named each other (a: Weekly, b: Yearly); a named c (Monthly) but c, who
#: answered, did not name a; c and d both named each other (Monthly).
FOUR_ROWS = [("a", "b", "rel", "Weekly"), ("b", "a", "rel", "Yearly"),
             ("a", "c", "rel", "Monthly"), ("c", "d", "rel", "Monthly"),
             ("d", "c", "rel", "Monthly")]


def four_study(make_study, rule: str, rows=FOUR_ROWS, members=FOUR) -> cp.Study:
    relations = f"""
[relations.rel]
scale = "freq"
direction = "undirected"
reciprocity = "{rule}"
"""
    return study_of(make_study, relations, rows, members, value=True, name=rule)


def weighted(G: nx.Graph) -> dict[frozenset[str], float]:
    return {frozenset((u, v)): w for u, v, w in G.edges(data="weight")}


@pytest.mark.parametrize("rule, expected, unreciprocated", [
    ("either", {("a", "b"): 3.0, ("a", "c"): 2.0, ("c", "d"): 2.0}, 1),
    ("both", {("a", "b"): 1.0, ("c", "d"): 2.0}, 1),
    ("mean", {("a", "b"): 2.0, ("a", "c"): 1.0, ("c", "d"): 2.0}, 1),
])
def test_reciprocity_rules_on_four_members(make_study, rule, expected,
                                           unreciprocated) -> None:
    G = build_graph(four_study(make_study, rule), "rel")
    assert weighted(G) == {frozenset(pair): w for pair, w in expected.items()}
    assert (G.graph["one_sided"], G.graph["unreciprocated"]) == (0, unreciprocated)
    assert G.graph["reciprocity"] == rule


def test_both_keeps_a_tie_whose_other_member_did_not_answer(make_study) -> None:
    # e never answered: a's report about e is the only one possible, so "both" keeps it
    rows = [*FOUR_ROWS, ("a", "e", "rel", "Weekly")]
    G = build_graph(four_study(make_study, "both", rows, [*FOUR, "e"]), "rel")
    assert edge_set(G) == {frozenset("ab"), frozenset("cd"), frozenset("ae")}
    assert G["a"]["e"]["weight"] == 3.0
    assert (G.graph["one_sided"], G.graph["unreciprocated"]) == (1, 1)
    assert G.graph["reciprocity_note"] == (
        "Undirected: a tie when both members reported it (weight: the smaller report). "
        "1 tie rests on one report: the other member did not answer or was not asked "
        "about them. 1 pair reported by one member only was left out.")
    # under "union" or "respondents" alike: the rule applied is "union"
    again = build_graph(four_study(make_study, "both", rows, [*FOUR, "e"]), "rel",
                        nonrespondents="respondents")
    assert again.graph["nonrespondents"] == "union" and edge_set(again) == edge_set(G)


def test_undirected_ties_directly() -> None:
    arcs = [("a", "b", 3.0), ("b", "a", 1.0), ("a", "c", 2.0)]
    assert undirected_ties(arcs, "both")[0] == [("a", "b", 1.0)]
    assert undirected_ties(arcs, "either")[0] == [("a", "b", 3.0), ("a", "c", 2.0)]
    only_a = undirected_ties(arcs, "both", can_report=lambda u, v: u != "c")
    assert only_a == ([("a", "b", 1.0), ("a", "c", 2.0)], {"one_sided": 1,
                                                          "unreciprocated": 0})


# --------------------------------------------------------------------------- exports
def test_kumu_direction_follows_the_relation(mixed_study) -> None:
    results = cp.analyze(mixed_study, seed=1)
    _, connections = kumu_tables(results)
    by_type = connections.groupby("Type")["Direction"].agg(set).to_dict()
    assert by_type == {"Work together": {"undirected"}, "Advice": {"directed"}}
    assert (connections["Type"] == "Work together").sum() == 18
    sheet = openpyxl.load_workbook(io.BytesIO(kumu_workbook(results)))["Connections"]
    header = [c.value for c in sheet[1]]
    column = header.index("Direction")
    values = {row[column] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values == {"undirected", "directed"}


GEXF = {"g": "http://gexf.net/1.3"}
GRAPHML = {"g": "http://graphml.graphdrawing.org/xmlns"}


def test_gexf_and_graphml_of_an_undirected_study(kite_study) -> None:
    results = cp.analyze(kite_study, seed=1)
    gexf = ET.fromstring(gexf_document(results))
    graph = gexf.find("g:graph", GEXF)
    assert graph.get("defaultedgetype") == "undirected"
    edges = graph.findall("g:edges/g:edge", GEXF)
    assert len(edges) == 18 and all(e.get("type") is None for e in edges)
    graphml = ET.fromstring(graphml_document(results))
    graph = graphml.find("g:graph", GRAPHML)
    assert graph.get("edgedefault") == "undirected"
    edges = graph.findall("g:edge", GRAPHML)
    assert len(edges) == 18 and all(e.get("directed") is None for e in edges)
    _, connections = kumu_tables(results)
    assert set(connections["Direction"]) == {"undirected"}


def test_gexf_and_graphml_of_a_mixed_study(mixed_study) -> None:
    results = cp.analyze(mixed_study, seed=1)
    graph = ET.fromstring(gexf_document(results)).find("g:graph", GEXF)
    assert graph.get("defaultedgetype") == "directed"
    types = {(e.get("kind"), e.get("type")) for e in graph.iterfind("g:edges/g:edge", GEXF)}
    assert types == {("work", "undirected"), ("advice", None)}
    graph = ET.fromstring(graphml_document(results)).find("g:graph", GRAPHML)
    assert graph.get("edgedefault") == "directed"
    flags = [e.get("directed") for e in graph.iterfind("g:edge", GRAPHML)]
    assert flags.count("false") == 18 and flags.count(None) == 3


def test_directed_exports_are_unchanged() -> None:
    results = cp.analyze(cp.load_study(cp.example_study_path()), "2024", seed=1,
                         settings=None)
    graph = ET.fromstring(gexf_document(results)).find("g:graph", GEXF)
    assert graph.get("defaultedgetype") == "directed"
    assert all(e.get("type") is None for e in graph.iterfind("g:edges/g:edge", GEXF))
    graph = ET.fromstring(graphml_document(results)).find("g:graph", GRAPHML)
    assert graph.get("edgedefault") == "directed"
    assert set(kumu_tables(results)[1]["Direction"]) == {"directed"}


def test_exports_validate_against_their_schemas(mixed_study) -> None:
    results = cp.analyze(mixed_study, seed=1)
    gexf_schema().validate(gexf_document(results))
    graphml_schema().validate(graphml_document(results))


# --------------------------------------------------------------------------- config
def test_symmetric_with_directed_keeps_the_union_rule(make_study) -> None:
    relations = """
[relations.work]
symmetric = true
direction = "directed"
"""
    rows = [("m0", "m1", "work")]
    study = study_of(make_study, relations, rows, MEMBERS[:3])
    spec = study.config.relations["work"]
    assert (spec.direction, spec.symmetric) == ("directed", True)
    G = build_graph(study, "work", nonrespondents="union")
    assert G.is_directed() and set(G.edges()) == {("m0", "m1"), ("m1", "m0")}


@pytest.mark.parametrize("lines, message", [
    ('symmetric = false\ndirection = "undirected"',
     '[relations.work] direction = "undirected" contradicts symmetric = false: an '
     "undirected relation is symmetric; remove symmetric"),
    ('reciprocity = "both"',
     "[relations.work] reciprocity only applies to an undirected relation: add direction "
     '= "undirected" or remove reciprocity'),
    ('direction = "sideways"',
     "[relations.work] direction = 'sideways' is not one of directed, undirected"),
    ('direction = "undirected"\nreciprocity = "neither"',
     "[relations.work] reciprocity = 'neither' is not one of either, both, mean; did you "
     "mean 'either'?"),
])
def test_direction_mistakes_are_config_errors(make_study, lines, message) -> None:
    root = make_study(HEAD + "[relations.work]\n" + lines + "\n" + SURVEY.replace(
        "VALUE", ""), {"roster.csv": roster(MEMBERS[:2]), "ties.csv": "who,alter,rel\n"})
    with pytest.raises(ConfigError) as error:
        cp.load_study(root)
    assert any(p.message.startswith(message) for p in error.value.problems), \
        [p.message for p in error.value.problems]
