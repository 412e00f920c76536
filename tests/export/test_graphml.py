"""GraphML export: valid against the GraphML 1.1 XSD (validated offline), same content as
the GEXF, parallel edges across relations, safe node ids, deterministic."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

import networkx as nx
import pytest
from xml_schemas import graphml_schema

import cpower_network as cp
from cpower_network.export.graphml import graphml_document, node_ids, write_graphml

NS = {"g": "http://graphml.graphdrawing.org/xmlns"}
HOSTILE = {"m002": '<b>"Bold" & co</b>', "m003": "bell\x07 and form feed\x0c"}

TOML = """
[study]
name = "Odd ids"
[roster]
file = "roster.csv"
silo = "sector"
[scales]
frequency = { "Never" = 0, "Monthly" = 2, "Weekly" = 3 }
[relations.collaborate]
scale = "frequency"
[waves.w1]
[[waves.w1.surveys]]
file = "collab.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "matrix"
relation = "collaborate"
columns = "c_{member}"
"""
ROSTER = ("member_id,name,sector\nana ruiz,Ana Ruiz,Parents\nbo@x.org,Bo Li,Providers\n"
          "m03,Kim Tran,Funders\n")
COLLAB = ("who,c_ana ruiz,c_bo@x.org,c_m03\nana ruiz,,Weekly,Never\n"
          "bo@x.org,Monthly,,Weekly\nm03,Weekly,Monthly,\n")


@pytest.fixture(scope="module")
def results():
    return cp.analyze(cp.load_study(cp.example_study_path()), seed=7)


@pytest.fixture(scope="module")
def document(results):
    return graphml_document(results)


@pytest.fixture(scope="module")
def root(document):
    return ET.fromstring(document)


@pytest.fixture(scope="module")
def schema():
    return graphml_schema()


def keys(root):
    return {k.get("id"): (k.get("for"), k.get("attr.name"), k.get("attr.type"))
            for k in root.iterfind("g:key", NS)}


def data(element, root):
    names = {i: name for i, (_, name, _) in keys(root).items()}
    return {names[d.get("key")]: d.text for d in element.iterfind("g:data", NS)}


# --- validity -----------------------------------------------------------------------------

def test_validates_against_the_graphml_xsd(schema, document):
    schema.validate(document)


def test_the_schema_rejects_what_graphml_forbids(schema):
    # the check above can fail: a minimal valid document, then one mistake at a time
    valid = ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><key id="d0" for="node" '
             'attr.name="label" attr.type="string"/><graph edgedefault="directed">'
             '<node id="a"><data key="d0">A</data></node><node id="b"/>'
             '<edge source="a" target="b"/></graph></graphml>')
    schema.validate(valid)
    for wrong, right in (('edgedefault="sideways"', 'edgedefault="directed"'),
                         ('attr.type="text"', 'attr.type="string"'),     # not a GraphML type
                         ('for="vertex"', 'for="node"'),
                         ('<data key="d9">', '<data key="d0">'),          # no such key
                         ('target="c"', 'target="b"')):                   # no such node
        broken = valid.replace(right, wrong, 1)
        assert broken != valid and not schema.is_valid(broken), wrong


def test_hostile_names_still_validate(schema):
    study = cp.load_study(cp.example_study_path())
    for member, name in HOSTILE.items():
        study.roster.loc[member, "name"] = name
    document = graphml_document(cp.analyze(study, seed=7))
    schema.validate(document)
    root = ET.fromstring(document)
    found = [data(n, root) for n in root.iterfind("g:graph/g:node", NS)]
    labels = {d["member_id"]: d["label"] for d in found}
    assert labels["m002"] == HOSTILE["m002"]
    assert labels["m003"] == "bell\ufffd and form feed\ufffd"


def test_member_ids_that_are_not_name_tokens_become_node_ids_n1_n2(schema, make_study):
    folder = make_study(TOML, {"roster.csv": ROSTER, "collab.csv": COLLAB})
    document = graphml_document(cp.analyze(cp.load_study(folder), seed=1))
    schema.validate(document)
    root = ET.fromstring(document)
    found = {n.get("id"): data(n, root)["member_id"]
             for n in root.iterfind("g:graph/g:node", NS)}
    assert found == {"n1": "ana ruiz", "n2": "bo@x.org", "n3": "m03"}


def test_node_ids():
    assert node_ids(["m001", "17", "a.b-c_d:e"]) == {
        "m001": "m001", "17": "17", "a.b-c_d:e": "a.b-c_d:e"}
    assert node_ids(["José", "m2"]) == {"José": "n1", "m2": "n2"}


# --- content ------------------------------------------------------------------------------

def test_keys_are_declared_with_types(root):
    declared = {(domain, name): kind for domain, name, kind in keys(root).values()}
    assert declared["edge", "relation"] == "string"
    assert declared["edge", "weight"] == "double"
    assert declared["node", "label"] == declared["node", "silo"] == "string"
    assert declared["node", "leader"] == "boolean"
    assert declared["node", "collaborate_in_degree"] == "int"
    assert declared["node", "collaborate_pagerank"] == "double"
    assert declared["graph", "wave"] == "string"


def test_nodes_edges_and_a_hand_checked_value(root, results):
    graph = root.find("g:graph", NS)
    assert graph.get("edgedefault") == "directed"
    found = {n.get("id"): data(n, root) for n in graph.iterfind("g:node", NS)}
    assert list(found) == results.wave.members
    # roster.csv: m002 is Elizabeth Carter, Steering committee, a leader
    assert found["m002"]["label"] == "Elizabeth Carter"
    assert found["m002"]["role"] == "Steering committee" and found["m002"]["leader"] == "true"
    assert found["m002"]["advice_in_degree"] == str(
        results.wave.relations["advice"].graph.in_degree("m002"))
    edges = graph.findall("g:edge", NS)
    counted = Counter(data(e, root)["relation"] for e in edges)
    assert counted == {k: r.graph.number_of_edges() for k, r in results.wave.relations.items()}
    assert len({e.get("id") for e in edges}) == len(edges)


def test_parallel_edges_across_relations(root):
    pairs = Counter((e.get("source"), e.get("target"))
                    for e in root.iterfind("g:graph/g:edge", NS))
    assert pairs.most_common(1)[0][1] > 1       # collaborate and trust between the same pair


# --- round trip and determinism ------------------------------------------------------------

def test_round_trip_through_networkx(results, tmp_path):
    G = nx.read_graphml(write_graphml(results, tmp_path / "wave.graphml")[0])
    relations = results.wave.relations
    assert G.number_of_nodes() == len(results.wave.members)
    assert G.number_of_edges() == sum(r.graph.number_of_edges() for r in relations.values())
    u, v, weight = next(iter(relations["collaborate"].graph.edges(data="weight")))
    found = [d["weight"] for d in G.get_edge_data(u, v).values()
             if d["relation"] == "collaborate"]
    assert found == [pytest.approx(weight)]
    assert G.graph["wave"] == results.wave.wave and G.graph["anonymized"] is False


def test_two_exports_are_byte_identical(results, tmp_path):
    first = write_graphml(results, tmp_path / "a.graphml")[0].read_bytes()
    again = cp.analyze(cp.load_study(cp.example_study_path()), seed=7)
    assert write_graphml(again, tmp_path / "b.graphml")[0].read_bytes() == first
