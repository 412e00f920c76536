"""Exports that fit real rosters: every roster column is carried (an extra ``Home county``
column), a blank "prefer not to say" focus cell stays blank in Kumu, GEXF, GraphML and
CSV, anonymised exports carry neither; and sentences about numeric silo codes and wave
labels read well ("Sector 1 and sector 3", "1 member", never "wave Wave 1")."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import openpyxl
import pytest
from xml_schemas import gexf_schema, graphml_schema

import cpower_network as cp
from cpower_network.cli.console import quality_lines, summary_lines
from cpower_network.config.groups import group_reason
from cpower_network.export.gexf import gexf_document
from cpower_network.export.graphml import attribute_names, graphml_document
from cpower_network.export.kumu import kumu_blueprint, write_kumu
from cpower_network.export.tables import member_table, write_csv
from cpower_network.ingest.summary import quality_summary
from cpower_network.report.format import counted, labelled_count, silo_name, wave_name

GEXF = {"g": "http://gexf.net/1.3"}
GRAPHML = {"g": "http://graphml.graphdrawing.org/xmlns"}

TOML = """
[study]
name = "Codes"
[roster]
file = "roster.csv"
silo = "sector"
[focus_groups]
lived_experience = { column = "lived", label = "Lived experience" }
[relations.collaborate]
[waves.w1]
label = "Wave 1"
[[waves.w1.surveys]]
file = "w1.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "name_generator"
relation = "collaborate"
columns = ["a1", "a2"]
"""
# Silos are numeric codes; m2 and m8 left "lived" blank (prefer not to say); m2, m5 and
# m8 have no county. Each silo's members name each other only: silos 1 and 3 never meet.
ROSTER = """member_id,name,sector,lived,Home county
m1,Ana Ruiz,1,yes,Kent
m2,Bo Li,1,,
m3,Cy Ng,1,no,Kent
m4,Di Oz,2,yes,Essex
m5,Ed Yu,2,no,
m6,Fa Po,2,yes,Essex
m7,Gi Qu,3,no,Kent
m8,Ha Ro,3,,
m9,Io Su,3,yes,Kent
"""
SURVEY = """who,a1,a2
m1,m2,m3
m2,m1,m4
m3,m1,m2
m4,m5,m6
m5,m4,m6
m6,m4,m5
m7,m8,m9
m8,m7,m9
m9,m7,m8
"""
COUNTY = {"m1": "Kent", "m3": "Kent", "m4": "Essex", "m6": "Essex", "m7": "Kent",
          "m9": "Kent"}
LIVED = {"m1": True, "m3": False, "m4": True, "m5": False, "m6": True, "m7": False,
         "m9": True}


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    root = tmp_path_factory.mktemp("codes")
    for name, text in {"cpower.toml": TOML, "roster.csv": ROSTER, "w1.csv": SURVEY}.items():
        (root / name).write_text(text, encoding="utf-8")
    return cp.load_study(root)


@pytest.fixture(scope="module")
def results(study):
    return cp.analyze(study, seed=1)


@pytest.fixture(scope="module")
def anonymised(study):
    return cp.analyze(study, seed=1, anonymize=True)


# --- the member table and CSV ---------------------------------------------------------------

def test_member_table_carries_every_roster_column(results):
    table = member_table(results)
    assert table.columns[:5].tolist() == ["name", "silo", "consent", "lived_experience",
                                          "Home county"]
    assert table["Home county"].tolist() == [COUNTY.get(m, "") for m in table.index]
    # blank: not known (<NA>), not "no"
    assert table["lived_experience"].isna().tolist() == [m in ("m2", "m8")
                                                         for m in table.index]
    # while the group itself still counts a blank as not in it
    assert results.wave.group("lived_experience").members == ("m1", "m4", "m6", "m9")


def test_csv_keeps_blank_cells_blank(results, tmp_path):
    written = write_csv(results, tmp_path / "csv")
    rows = list(csv.DictReader(io.StringIO(written[0].read_text(encoding="utf-8"))))
    assert {r["id"]: r["Home county"] for r in rows} == {m: COUNTY.get(m, "")
                                                         for m in results.wave.members}
    assert {r["id"]: r["lived_experience"] for r in rows} == {
        m: str(LIVED[m]) if m in LIVED else "" for m in results.wave.members}


# --- GEXF and GraphML -----------------------------------------------------------------------

def gexf_nodes(document: bytes) -> dict[str, dict[str, str]]:
    root = ET.fromstring(document)
    return {n.get("id"): {a.get("for"): a.get("value")
                          for a in n.iterfind("g:attvalues/g:attvalue", GEXF)}
            for n in root.iterfind("g:graph/g:nodes/g:node", GEXF)}


def test_gexf_carries_the_county_and_omits_blanks(results):
    root = ET.fromstring(gexf_document(results))
    declared = {a.get("id"): a.get("type") for a in root.iterfind(
        "g:graph/g:attributes[@class='node']/g:attribute", GEXF)}
    assert declared["Home county"] == "string"
    assert declared["lived_experience"] == "boolean"
    nodes = gexf_nodes(gexf_document(results))
    assert {m: v.get("Home county") for m, v in nodes.items()} == {
        m: COUNTY.get(m) for m in results.wave.members}
    assert {m: v.get("lived_experience") for m, v in nodes.items()} == {
        m: (str(LIVED[m]).lower() if m in LIVED else None) for m in results.wave.members}


def graphml_nodes(document: bytes) -> dict[str, dict[str, str]]:
    root = ET.fromstring(document)
    names = {k.get("id"): k.get("attr.name") for k in root.iterfind("g:key", GRAPHML)}
    return {n.get("id"): {names[d.get("key")]: d.text for d in n.iterfind("g:data", GRAPHML)}
            for n in root.iterfind("g:graph/g:node", GRAPHML)}


def test_graphml_carries_the_county_as_a_name_token_and_omits_blanks(results):
    nodes = graphml_nodes(graphml_document(results))
    assert {m: v.get("Home_county") for m, v in nodes.items()} == {
        m: COUNTY.get(m) for m in results.wave.members}
    assert {m: v.get("lived_experience") for m, v in nodes.items()} == {
        m: (str(LIVED[m]).lower() if m in LIVED else None) for m in results.wave.members}


def test_attribute_names_are_unique_name_tokens():
    assert attribute_names(["a b", "a_b", "member_id", "x\x01y"]) == {
        "a b": "a_b", "a_b": "roster_a_b", "member_id": "roster_member_id",
        "x\x01y": "x_y"}


def test_both_documents_still_validate(results):
    gexf_schema().validate(gexf_document(results))
    graphml_schema().validate(graphml_document(results))


# --- Kumu -------------------------------------------------------------------------------------

def test_kumu_carries_the_county_and_a_blank_focus_field(results, tmp_path):
    workbook, blueprint_file = write_kumu(results, tmp_path / "w1.xlsx")
    sheet = openpyxl.load_workbook(workbook)["Elements"]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["Label", "Type", "Member ID", "Consent", "Lived experience",
                          "Home county"]
    rows = {r[2]: dict(zip(header, r, strict=True))
            for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert {m: r["Home county"] for m, r in rows.items()} == {
        m: COUNTY.get(m) for m in results.wave.members}
    assert {m: r["Lived experience"] for m, r in rows.items()} == {
        m: ({True: "Yes", False: "No"}[LIVED[m]] if m in LIVED else None)
        for m in results.wave.members}
    assert rows["m1"]["Tags"] == "Lived experience" and rows["m2"]["Tags"] is None
    assert rows["m1"]["Type"] == "1"          # the silo as written
    blueprint = json.loads(blueprint_file.read_text(encoding="utf-8"))
    # every element carries its roster cells; a blank cell stays out (not "", not "No")
    elements = {e["attributes"]["member id"]: e["attributes"] for e in blueprint["elements"]}
    assert {m: e.get("home county") for m, e in elements.items()} == {
        m: COUNTY.get(m) for m in results.wave.members}
    assert {m: e.get("lived experience") for m, e in elements.items()} == {
        m: ({True: "Yes", False: "No"}[LIVED[m]] if m in LIVED else None)
        for m in results.wave.members}
    # the fields: the extra column is free text, the focus group a Yes/No list, and the
    # numeric silo codes stay text (a pick list of the codes as written)
    fields = {a["name"]: (a["format"], a["prompt"], a["values"])
              for a in blueprint["attributes"]}
    assert fields["Home county"] == ("string", "autocomplete", [])
    assert fields["Lived experience"] == ("string", "list", ["No", "Yes"])
    assert fields["Element Type"] == ("string", "list", ["1", "2", "3"])


def test_kumu_headers_never_repeat(make_study):
    roster = ROSTER.replace("Home county", "label").replace("lived,", "lived,Tags,") \
        .replace("yes,", "yes,x,").replace("no,", "no,x,").replace(",1,,", ",1,,x,") \
        .replace(",3,,", ",3,,x,")
    study = cp.load_study(make_study(TOML, {"roster.csv": roster, "w1.csv": SURVEY}))
    blueprint = kumu_blueprint(cp.analyze(study, seed=1))
    names = [a["name"] for a in blueprint["attributes"]]
    assert "Roster label" in names and "Roster Tags" in names
    assert len({n.casefold() for n in names}) == len(names)


# --- anonymised exports -----------------------------------------------------------------------

def test_anonymised_exports_carry_no_extra_roster_column(anonymised, tmp_path):
    assert "Home county" not in member_table(anonymised)
    documents = [gexf_document(anonymised), graphml_document(anonymised),
                 json.dumps(kumu_blueprint(anonymised)).encode()]
    written = write_csv(anonymised, tmp_path / "csv")
    documents += [p.read_bytes() for p in written]
    for document in documents:
        for secret in (b"Kent", b"Essex", b"county", b"Ana Ruiz"):
            assert secret not in document
    # the focus group's "not known" survives anonymisation (it identifies no one)
    assert member_table(anonymised)["lived_experience"].isna().sum() == 2


# --- wording ----------------------------------------------------------------------------------

def test_findings_name_numeric_silos_by_their_column(results):
    texts = [f.text for f in results.indicators.findings]
    gap = next(t for t in texts if "pairs of members across" in t)
    assert gap.startswith("Of the ")
    assert "across sector 1 and sector 3, 0 are in touch (collaborate)" in gap
    assert not any(" 1 members" in t or "wave Wave" in t for t in texts)


def test_summary_and_quality_lines_read_well(results, study):
    lines = list(summary_lines(results))
    assert lines[0] == "Codes, Wave 1: 9 members, response rate 100 %"
    quality = list(quality_lines(quality_summary(study), study_name="Codes", path="x",
                                 silo_column="sector"))
    assert quality[1] == "Roster: 9 members in 3 silos (sector 1: 3, sector 2: 3, sector 3: 3)"
    assert "Wave w1 (Wave 1)" in quality


def test_a_one_member_silo_and_group_are_singular(make_study):
    roster = "member_id,name,sector,lived\nm1,Ana,1,yes\nm2,Bo,2,no\nm3,Cy,2,no\n"
    survey = "who,a1,a2\nm1,m2,\nm2,m3,\nm3,m1,\n"
    study = cp.load_study(make_study(TOML, {"roster.csv": roster, "w1.csv": survey}))
    quality = list(quality_lines(quality_summary(study), study_name="Codes", path="x",
                                 silo_column="sector"))
    assert quality[1] == "Roster: 3 members in 2 silos (sector 1: 1, sector 2: 2)"
    results = cp.analyze(study, seed=1)
    assert "Codes, Wave 1: 3 members" in next(summary_lines(results))
    # the indicators' note on a one-member group, read from a numeric roster column
    group = results.wave.group("lived_experience")
    assert group_reason(len(group.members), label=group.label) == (
        "Lived experience is a group of 1 member: too small to measure (fewer than 3)")


@pytest.mark.parametrize(("call", "expected"), [
    (lambda: counted(1, "member"), "1 member"),
    (lambda: counted(2, "member"), "2 members"),
    (lambda: silo_name("1", "sector"), "sector 1"),
    (lambda: silo_name("Parents", "sector"), "Parents"),
    (lambda: silo_name("07", "SECTOR_CODE"), "sector code 07"),
    (lambda: labelled_count("sector 1", 3), "sector 1: 3"),
    (lambda: wave_name("Wave 1"), "Wave 1"),
    (lambda: wave_name("2025 (Google Forms)"), "wave 2025 (Google Forms)"),
])
def test_wording_helpers(call, expected):
    assert call() == expected


def test_map_legend_and_heat_map_name_numeric_silos(results):
    from cpower_network.report.maps import map_payload
    from cpower_network.report.sections import _heatmap

    payload = map_payload(results, audience="evaluator", seed=1)
    assert [s["name"] for s in payload["silos"]] == ["Sector 1", "Sector 2", "Sector 3"]
    relation = next(iter(results.wave.relations.values()))
    svg = str(_heatmap(relation, results.study.silo_label))
    assert "Sector 1" in svg and ">1<" not in svg


def test_anonymised_not_known_marks_stay_with_their_members(study):
    # codes are shuffled and the roster sorted by code: each blank focus cell must still
    # belong to the member who left it blank
    import pandas as pd

    from cpower_network.ingest.anonymize import anonymize_study, member_codes, shuffle_generator
    from cpower_network.ingest.roster import focus_flags

    hidden = anonymize_study(study, seed=study.config.seed)
    codes = member_codes(list(study.roster.index),
                         shuffle_generator(study, study.config.seed))
    named = focus_flags(study.roster, "lived_experience")
    coded = focus_flags(hidden.roster, "lived_experience")
    assert named.isna().sum() == 2
    for member, flag in named.items():
        value = coded[codes[member]]
        assert (value is pd.NA) if flag is pd.NA else (value == flag), member
