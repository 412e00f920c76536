"""GEXF 1.3 export: valid against the GEXF 1.3 XSD, complete, typed, deterministic, and
well-formed whatever the survey text holds."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

import networkx as nx
import pytest
from xml_schemas import gexf_schema

import cpower_network as cp
from cpower_network.export.gexf import gexf_document, write_gexf

NS = {"g": "http://gexf.net/1.3"}
HOSTILE = {
    "m002": '<script>alert("x")</script> & Co',
    "m003": "Tab\there, new\nline, bell\x07, nul\x00, escape \x1b[31m",
    "m005": "]]> ' \" &amp; \ufffe",
}


@pytest.fixture(scope="module")
def results():
    return cp.analyze(cp.load_study(cp.example_study_path()), seed=7)


@pytest.fixture(scope="module")
def hostile():
    study = cp.load_study(cp.example_study_path())
    for member, name in HOSTILE.items():
        study.roster.loc[member, "name"] = name
    study.roster.loc["m002", "organisation"] = "A & B <Ltd>\x0c"
    return cp.analyze(study, seed=7)


@pytest.fixture(scope="module")
def document(results):
    return gexf_document(results)


@pytest.fixture(scope="module")
def root(document):
    return ET.fromstring(document)


@pytest.fixture(scope="module")
def schema():
    return gexf_schema()


def nodes(root):
    return {n.get("id"): n for n in root.iterfind("g:graph/g:nodes/g:node", NS)}


def attvalues(node):
    return {a.get("for"): a.get("value") for a in node.iterfind("g:attvalues/g:attvalue", NS)}


# --- validity -----------------------------------------------------------------------------

def test_validates_against_the_gexf_1_3_xsd(schema, document):
    schema.validate(document)


def test_the_schema_rejects_what_gexf_1_3_forbids(schema):
    # the check above can fail: a minimal valid document, then one mistake at a time
    valid = ('<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph defaultedgetype='
             '"directed"><nodes><node id="a" label="A"/><node id="b" label="B"/></nodes>'
             '<edges><edge id="0" source="a" target="b" weight="2.5"/></edges></graph></gexf>')
    schema.validate(valid)
    for wrong, right in (('version="1.2"', 'version="1.3"'),           # another version
                         ('"sideways"', '"directed"'),               # unknown edge type
                         ('weight="heavy"', 'weight="2.5"'),          # weight not a number
                         ('<vertex id="b"', '<node id="b"')):         # unknown element
        broken = valid.replace(right, wrong, 1)
        assert broken != valid and not schema.is_valid(broken), wrong


def test_hostile_names_still_validate(schema, hostile):
    schema.validate(gexf_document(hostile))


def test_hostile_names_are_escaped_and_control_characters_replaced(hostile):
    document = gexf_document(hostile)
    found = nodes(ET.fromstring(document))          # well-formed XML, whatever the names
    assert found["m002"].get("label") == HOSTILE["m002"]
    assert b"<script>" not in document and b"&lt;script&gt;" in document
    label = found["m003"].get("label")
    assert "bell\ufffd, nul\ufffd, escape \ufffd[31m" in label
    assert "\ufffe" not in found["m005"].get("label")
    assert attvalues(found["m002"])["organisation"] == "A & B <Ltd>\ufffd"


def test_version_namespace_and_no_date(root, document):
    assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"
    meta = root.find("g:meta", NS)
    assert meta.get("lastmodifieddate") is None and b"lastmodifieddate" not in document
    assert meta.findtext("g:creator", namespaces=NS).startswith("cpower-network ")
    graph = root.find("g:graph", NS)
    assert graph.get("defaultedgetype") == "directed"


# --- content ------------------------------------------------------------------------------

def test_every_member_is_a_node_labelled_with_the_name(root, results):
    found = nodes(root)
    assert list(found) == results.wave.members
    assert root.find("g:graph/g:nodes", NS).get("count") == str(len(results.wave.members))
    assert found["m002"].get("label") == "Elizabeth Carter"


def test_edges_per_relation_equal_graph_arcs(root, results):
    edges = root.findall("g:graph/g:edges/g:edge", NS)
    kinds = Counter(e.get("kind") for e in edges)
    assert kinds == {k: r.graph.number_of_edges() for k, r in results.wave.relations.items()}
    assert len({e.get("id") for e in edges}) == len(edges)
    trust = next(e for e in edges if e.get("kind") == "trust")
    assert trust.get("label") == "Trust"
    assert attvalues(trust) == {"relation": "trust"}
    assert float(trust.get("weight")) == results.wave.relations["trust"].graph[
        trust.get("source")][trust.get("target")]["weight"]


def test_hand_checked_attributes(root, results):
    # roster.csv: m002,Elizabeth Carter,Children's Advocacy League,Policy and research,
    # Steering committee,no,no,yes (a leader, not in a focus group, consents to be named)
    values = attvalues(nodes(root)["m002"])
    assert values["silo"] == "Policy and research"
    assert values["organisation"] == "Children's Advocacy League"
    assert values["role"] == "Steering committee"
    assert values["leader"] == "true" and values["consent"] == "true"
    assert values["lived_experience"] == "false" and values["grassroots"] == "false"
    collaborate = results.wave.relations["collaborate"].graph
    assert values["collaborate_in_degree"] == str(collaborate.in_degree("m002"))
    assert float(values["collaborate_pagerank"]) == pytest.approx(
        nx.pagerank(collaborate)["m002"], rel=1e-4)
    assert values["decision_rank"] == str(results.wave.decisions.scores.at["m002", "rank"])


def test_attribute_types_are_declared_and_every_value_fits_its_type(root):
    declared = {a.get("id"): a.get("type") for a in
                root.iterfind("g:graph/g:attributes[@class='node']/g:attribute", NS)}
    assert declared["leader"] == declared["lived_experience"] == "boolean"
    assert declared["collaborate_in_degree"] == declared["collaborate_community"] == "integer"
    assert declared["collaborate_out_degree"] == "integer"      # a count, though some are missing
    assert declared["collaborate_betweenness"] == declared["decision_share"] == "double"
    assert declared["silo"] == "string"
    parse = {"boolean": lambda v: {"true": True, "false": False}[v], "integer": int,
             "double": float, "string": str}
    for node in nodes(root).values():
        for key, value in attvalues(node).items():
            parse[declared[key]](value)


def test_missing_values_are_omitted(root, results):
    out = results.wave.relations["collaborate"].centralities["out_degree"]
    silent = out[out.isna()].index
    assert len(silent) > 0                        # non-respondents: no out-degree
    for member in silent:
        assert "collaborate_out_degree" not in attvalues(nodes(root)[member])
    parent = next(m for m in results.wave.members
                  if results.roster.at[m, "organisation"] == "")
    assert "organisation" not in attvalues(nodes(root)[parent])


# --- round trip, determinism, files ---------------------------------------------------

def test_round_trip_through_networkx(results, tmp_path):
    path = write_gexf(results, tmp_path / "wave.gexf")[0]
    G = nx.read_gexf(path)
    relations = results.wave.relations
    assert G.number_of_nodes() == len(results.wave.members)
    assert G.number_of_edges() == sum(r.graph.number_of_edges() for r in relations.values())
    u, v, weight = next(iter(relations["trust"].graph.edges(data="weight")))
    found = [d["weight"] for d in G.get_edge_data(u, v).values() if d["relation"] == "trust"]
    assert found == [pytest.approx(weight)]
    assert G.nodes["m002"]["collaborate_in_degree"] == relations["collaborate"].graph \
        .in_degree("m002")


def test_two_exports_are_byte_identical(results, tmp_path):
    first = write_gexf(results, tmp_path / "a.gexf")[0].read_bytes()
    again = cp.analyze(cp.load_study(cp.example_study_path()), seed=7)
    assert write_gexf(again, tmp_path / "b.gexf")[0].read_bytes() == first


def test_overwrites_atomically(results, tmp_path, monkeypatch):
    target = tmp_path / "wave.gexf"
    target.write_bytes(b"old")
    write_gexf(results, target)
    assert target.read_bytes().startswith(b"<?xml")
    assert [p.name for p in tmp_path.iterdir()] == ["wave.gexf"]

    import cpower_network.export.gexf as module

    def broken(_results):
        raise RuntimeError("boom")

    monkeypatch.setattr(module, "member_table", broken)
    with pytest.raises(RuntimeError):
        write_gexf(results, tmp_path / "other.gexf")
    assert [p.name for p in tmp_path.iterdir()] == ["wave.gexf"]


def test_the_replacement_is_reported(hostile, results):
    from cpower_network.export import export_notes

    assert export_notes(results, "gexf") == []
    notes = export_notes(hostile, "gexf")
    assert len(notes) == 1 and notes[0].startswith("3 texts (names, organisations, …) held "
                                                   "control characters")
    assert export_notes(hostile, "csv") == []      # CSV keeps every character
