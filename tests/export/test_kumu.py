"""Kumu export: the workbook Kumu's import expects (Label in A1, From/To in A1/B1, ``|``
between values), unique labels, text never turned into formulas, and a JSON blueprint
shaped like a real Kumu project export whose fields are the roster's columns, typed."""

from __future__ import annotations

import csv
import json
import tomllib
import zipfile

import openpyxl
import pandas as pd
import pytest

import cpower_network as cp
from cpower_network.export import ExportError
from cpower_network.export.kumu import kumu_text, unique_labels, write_kumu
from cpower_network.export.tables import member_table

YES_NO = ["No", "Yes"]
#: The keys of a real Kumu project export (Kumu's "Export JSON" of a project), read from
#: one: the blueprint must use exactly these for each of its parts.
KUMU_PROJECT_KEYS = {"name", "description", "elements", "connections", "attributes", "loops",
                     "maps", "perspectives", "defaultMap", "defaultPerspective",
                     "attributeRelevance", "proxyImages"}
KUMU_PART_KEYS = {
    "elements": {"_id", "attributes"},
    "connections": {"_id", "direction", "delayed", "reversed", "attributes", "from", "to"},
    "attributes": {"_id", "name", "format", "private", "limit", "category", "prompt",
                   "locked", "values"},
}
KUMU_FORMATS = {"number", "string", "text"}       # the field formats such an export uses


@pytest.fixture(scope="module")
def results():
    return cp.analyze(cp.load_study(cp.example_study_path()), seed=7)


@pytest.fixture(scope="module")
def written(results, tmp_path_factory):
    folder = tmp_path_factory.mktemp("kumu")
    return write_kumu(results, folder / "2025.xlsx")


@pytest.fixture(scope="module")
def book(written):
    return openpyxl.load_workbook(written[0])


@pytest.fixture(scope="module")
def blueprint(written):
    return json.loads(written[1].read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def hostile():
    study = cp.load_study(cp.example_study_path())
    study.roster.loc["m002", "name"] = "Sam Lee"
    study.roster.loc["m003", "name"] = " sam  LEE "          # the same name to Kumu
    study.roster.loc["m005", "name"] = '=HYPERLINK("http://x.example","click") | more'
    study.roster.loc["m006", "name"] = "bell\x07 <b>&"
    return cp.analyze(study, seed=7)


def header(sheet):
    return [c.value for c in sheet[1]]


# --- the workbook --------------------------------------------------------------------------

def test_files_written(written):
    assert [p.name for p in written] == ["2025.xlsx", "2025.kumu.json"]
    assert zipfile.is_zipfile(written[0])


def test_elements_sheet(book, results):
    sheet = book["Elements"]
    assert book.sheetnames == ["Elements", "Connections"]
    assert sheet["A1"].value == "Label" and sheet["B1"].value == "Type"
    columns = header(sheet)
    assert columns[-1] == "Tags" and "Member ID" in columns
    assert "collaborate_in_degree" in columns and "decision_share" in columns
    assert sheet.max_row == len(results.wave.members) + 1
    rows = {r[columns.index("Member ID")]: dict(zip(columns, r, strict=True))
            for r in sheet.iter_rows(min_row=2, values_only=True)}
    # roster.csv: m002 Elizabeth Carter, Policy and research, Steering committee, no, no, yes
    assert rows["m002"]["Label"] == "Elizabeth Carter"
    assert rows["m002"]["Type"] == "Policy and research"
    assert rows["m002"]["Leader"] == "Yes" and rows["m002"]["Tags"] is None
    assert rows["m002"]["collaborate_in_degree"] == results.wave.relations[
        "collaborate"].graph.in_degree("m002")
    both = next(m for m in results.wave.members
                if results.roster.loc[m, ["lived_experience", "grassroots"]].all())
    assert rows[both]["Tags"] == "Lived experience|Grassroots"


def test_connections_sheet(book, results):
    sheet = book["Connections"]
    assert (sheet["A1"].value, sheet["B1"].value) == ("From", "To")
    assert header(sheet) == ["From", "To", "Type", "Direction", "Strength"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    relations = results.wave.relations
    assert len(rows) == sum(r.graph.number_of_edges() for r in relations.values())
    assert {r[3] for r in rows} == {"directed"}
    assert {r[2] for r in rows} == {r.label for r in relations.values()}
    labels = {r[0] for r in book["Elements"].iter_rows(min_row=2, values_only=True)}
    assert {r[0] for r in rows} <= labels and {r[1] for r in rows} <= labels
    first = next(r for r in rows if r[2] == "Trust")
    names = results.roster["name"]
    u = names[names == first[0]].index[0]
    v = names[names == first[1]].index[0]
    assert first[4] == pytest.approx(relations["trust"].graph[u][v]["weight"])


def test_shared_names_get_unique_labels(hostile, tmp_path):
    book = openpyxl.load_workbook(write_kumu(hostile, tmp_path / "k.xlsx")[0])
    labels = [r[0] for r in book["Elements"].iter_rows(min_row=2, values_only=True)]
    assert len(labels) == len({" ".join(x.split()).casefold() for x in labels})
    assert "Sam Lee (m002)" in labels and "sam  LEE (m003)" in labels


def test_text_is_never_a_formula_and_pipes_become_slashes(hostile, tmp_path):
    sheet = openpyxl.load_workbook(write_kumu(hostile, tmp_path / "k.xlsx")[0])["Elements"]
    cell = next(c for c in sheet["A"] if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://x.example","click") / more'
    assert any(c.value == "bell\ufffd <b>&" for c in sheet["A"])


def test_unique_labels_and_kumu_text():
    assert unique_labels({"a": "X", "b": "x", "c": "X (a)"}) == {
        "a": "X (a)", "b": "x (b)", "c": "X (a) (2)"}
    assert kumu_text("a|b\x00") == "a/b\ufffd"


def test_byte_identical_and_dateless(results, written, tmp_path):
    again = write_kumu(results, tmp_path / "2025.xlsx")
    assert again[0].read_bytes() == written[0].read_bytes()
    assert again[1].read_bytes() == written[1].read_bytes()
    core = zipfile.ZipFile(written[0]).read("docProps/core.xml")
    assert b"dcterms:created" not in core and b"dcterms:modified" not in core


def test_rejects_other_spreadsheet_names(results, tmp_path):
    with pytest.raises(ExportError, match=r"\.xlsx"):
        write_kumu(results, tmp_path / "map.xls")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_nothing(results, tmp_path):
    (tmp_path / "map.kumu.json").mkdir()          # the blueprint cannot be written
    with pytest.raises(ExportError):
        write_kumu(results, tmp_path / "map.xlsx")
    assert [p.name for p in tmp_path.iterdir()] == ["map.kumu.json"]


# --- the blueprint -------------------------------------------------------------------------

def test_blueprint_structure(blueprint, results):
    assert set(blueprint) >= {"elements", "connections", "attributes"}
    elements, connections = blueprint["elements"], blueprint["connections"]
    assert len(elements) == len(results.wave.members)
    assert len(connections) == sum(r.graph.number_of_edges()
                                   for r in results.wave.relations.values())
    ids = {e["_id"] for e in elements}
    assert len(ids) == len(elements)
    assert all(c["from"] in ids and c["to"] in ids for c in connections)
    assert {c["direction"] for c in connections} == {"directed"}
    first = next(e["attributes"] for e in elements
                 if e["attributes"]["member id"] == "m002")
    assert first["label"] == "Elizabeth Carter"
    assert first["element type"] == "Policy and research"
    assert "tags" not in first and "organisation" in first
    tagged = [e["attributes"]["tags"] for e in elements if "tags" in e["attributes"]]
    assert ["Lived experience", "Grassroots"] in tagged
    names = {a["name"] for a in blueprint["attributes"]}
    assert {"Label", "Element Type", "Connection Type", "Tags", "Strength"} <= names


def test_blueprint_fields_are_the_roster_columns_with_their_types(results, blueprint):
    """Expected from roster.csv and cpower.toml as written, not from the exporter."""
    study = cp.example_study_path()
    with (study / "roster.csv").open(encoding="utf-8", newline="") as handle:
        roster = [r for r in csv.DictReader(handle) if r["member_id"] in results.wave.members]
    assert len(roster) == len(results.wave.members) > 0
    config = tomllib.loads((study / "cpower.toml").read_text(encoding="utf-8"))
    relation_labels = {r["label"] for r in config["relations"].values()} | {"Shaped decisions"}
    text, listed = ("string", "autocomplete", []), "list"
    expected = {   # name -> (format, prompt, values)
        "Label": text,
        "Element Type": ("string", listed, sorted({r["sector"] for r in roster})),
        "Member ID": text,
        "Organisation": text,
        "Role": ("string", listed, sorted({r["role"] for r in roster})),
        "Leader": ("string", listed, YES_NO),          # leadership_roles, as Yes/No
        "Consent": ("string", listed, YES_NO),         # consent_to_name
        "Lived experience": ("string", listed, YES_NO),
        "Grassroots": ("string", listed, YES_NO),
        "Tags": text,
        "Connection Type": ("string", listed, sorted(relation_labels)),
        "Strength": ("number", "autocomplete", []),
    }
    fields = {a["name"]: a for a in blueprint["attributes"]}
    assert len(fields) == len(blueprint["attributes"])
    for name, (format_, prompt, values) in expected.items():
        assert (fields[name]["format"], fields[name]["prompt"], fields[name]["values"]) == (
            format_, prompt, values), name
    assert fields["Tags"]["limit"] == "none"       # several focus groups per member
    names = [a["name"] for a in blueprint["attributes"]]
    assert names[:9] == list(expected)[:9] and names[-3:] == list(expected)[-3:]
    # the rest are the measures, each a number (a yes/no flag: a Yes/No list)
    measures = member_table(results).drop(columns=[
        "name", "silo", "organisation", "role", "leader", "consent", "lived_experience",
        "grassroots"])
    assert names[9:-3] == measures.columns.tolist()
    for column in measures:
        flag = pd.api.types.is_bool_dtype(measures[column])
        assert (fields[column]["format"], fields[column]["values"]) == (
            ("string", YES_NO) if flag else ("number", [])), column
    # and each element carries its roster row
    rows = {e["attributes"]["member id"]: e["attributes"] for e in blueprint["elements"]}
    for row in roster:
        element = rows[row["member_id"]]
        assert element["label"] == row["name"] and element["element type"] == row["sector"]
        assert element["consent"] == {"yes": "Yes", "no": "No"}[row["consent_to_name"]]
        assert element["lived experience"] == row["lived_experience"].capitalize()
        assert element.get("organisation") == (row["organisation"] or None)


def test_blueprint_mirrors_a_real_kumu_project_export(blueprint):
    assert set(blueprint) == {"name", "description", "elements", "connections",
                              "attributes", "loops"}
    assert set(blueprint) <= KUMU_PROJECT_KEYS
    for part, keys in KUMU_PART_KEYS.items():
        assert blueprint[part], part
        assert all(set(item) == keys for item in blueprint[part]), part
    assert {a["format"] for a in blueprint["attributes"]} == {"number", "string"} <= KUMU_FORMATS
    for part, prefix in (("elements", "elem-"), ("connections", "conn-"),
                         ("attributes", "attr-")):
        assert all(item["_id"].startswith(prefix) for item in blueprint[part]), part
    assert all(c["from"].startswith("elem-") and c["to"].startswith("elem-")
               for c in blueprint["connections"])
    assert blueprint["loops"] == []
