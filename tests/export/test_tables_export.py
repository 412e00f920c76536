"""CSV export (members, ties, indicators), the JSON export, ``results.export`` and the
export front door: columns, row counts, determinism, atomic writing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

import cpower_network as cp
from cpower_network.errors import UsageError
from cpower_network.export import FORMATS, default_path, export
from cpower_network.export.results_json import dumps, results_document
from cpower_network.export.tables import INDICATOR_COLUMNS, member_table, tie_table, write_csv

MEASURES = ["in_degree", "out_degree", "in_strength", "out_strength", "betweenness",
            "pagerank", "harmonic", "core", "brokerage_coordinator", "brokerage_itinerant",
            "brokerage_representative", "brokerage_gatekeeper", "brokerage_liaison",
            "brokerage_total", "community"]


@pytest.fixture(scope="module")
def results():
    return cp.analyze(cp.load_study(cp.example_study_path()), seed=7)


@pytest.fixture(scope="module")
def files(results, tmp_path_factory):
    written = write_csv(results, tmp_path_factory.mktemp("csv") / "2025")
    return {p.name: list(csv.DictReader(io.StringIO(p.read_text(encoding="utf-8"))))
            for p in written}


def test_five_files(files):
    assert list(files) == ["members.csv", "ties.csv", "indicators.csv", "introductions.csv",
                           "disagreements.csv"]


def test_introductions_and_disagreements_files(files, results):
    intro = files["introductions.csv"]
    work = results.wave.worklist.introductions
    assert len(intro) == len(work) and intro[0]["kind"] == "bridge"
    assert [r["member_id"] for r in intro] == work["member"].tolist()
    assert intro[0]["member"] == results.roster.at[intro[0]["member_id"], "name"]
    apart = files["disagreements.csv"]
    ratings = results.wave.ratings
    assert list(apart[0]) == ["measure", "label", "member_id", "member", "partner_id",
                              "partner", "rating", "rating_back", "difference", "unit",
                              "lowest", "highest"]
    first = ratings.disagreements.iloc[0]
    assert apart[0]["member"] == results.roster.at[first["member"], "name"]
    assert {r["unit"] for r in apart} <= {"share of the maximum", "frequency"}
    assert len(apart) == len(ratings.disagreements) == int(ratings.agreement["disagree"].sum())
    # each pair's two ratings differ by at least half the scale's range
    span = dict(zip(ratings.agreement["measure"], ratings.agreement["range"], strict=True))
    assert all(float(r["difference"]) >= span[r["measure"]] / 2 - 1e-9 for r in apart)


def test_members_columns_and_rows(files, results):
    rows = files["members.csv"]
    columns = list(rows[0])
    roster = ["id", "name", "silo", "organisation", "role", "leader", "consent",
              "lived_experience", "grassroots"]
    assert columns[:len(roster)] == roster
    expected = [f"{key}_{m}" for key in results.wave.relations for m in MEASURES]
    assert columns[len(roster):len(roster) + len(expected)] == expected
    assert columns[len(roster) + len(expected):] == [
        "decision_named", "decision_share", "decision_pagerank", "decision_rank",
        "decision_informal_leader", "trust_received", "trust_raters", "value_received",
        "value_raters"]
    assert [r["id"] for r in rows] == results.wave.members
    m002 = next(r for r in rows if r["id"] == "m002")
    # roster.csv: m002,Elizabeth Carter,Children's Advocacy League,Policy and research,...
    assert m002["name"] == "Elizabeth Carter"
    assert m002["organisation"] == "Children's Advocacy League"
    assert m002["leader"] == "True" and m002["lived_experience"] == "False"
    assert m002["collaborate_in_degree"] == str(
        results.wave.relations["collaborate"].graph.in_degree("m002"))


def test_missing_values_are_empty_and_counts_are_whole(files, results):
    out = results.wave.relations["collaborate"].centralities["out_degree"]
    silent = set(out[out.isna()].index)
    for row in files["members.csv"]:
        value = row["collaborate_out_degree"]
        assert (value == "") == (row["id"] in silent)
        assert "." not in value                     # 29, not 29.0


def test_ties(files, results):
    rows = files["ties.csv"]
    assert list(rows[0]) == ["from", "to", "relation", "weight"]
    for key, relation in results.wave.relations.items():
        mine = [r for r in rows if r["relation"] == key]
        assert len(mine) == relation.graph.number_of_edges()
        first = mine[0]
        assert float(first["weight"]) == relation.graph[first["from"]][first["to"]]["weight"]


def test_indicators(files, results):
    rows = files["indicators.csv"]
    assert list(rows[0]) == INDICATOR_COLUMNS
    components = sum(max(len(i.components), 1) for m in results.indicators.milestones
                     for i in m.items)
    assert len(rows) == components
    diversity = next(r for r in rows if r["item"] == "diversity")
    milestone = results.indicators["setting_the_table"]
    assert diversity["milestone"] == "setting_the_table"
    assert diversity["band"] == milestone.band
    assert float(diversity["score"]) == pytest.approx(milestone.items[0].components[0].score)


def test_member_table_types(results):
    table = member_table(results)
    assert table.index.name == "id"
    assert str(table["collaborate_out_degree"].dtype) == "Int64"
    assert table["leader"].dtype == bool
    assert len(tie_table(results)) == sum(r.graph.number_of_edges()
                                          for r in results.wave.relations.values())


def test_csv_is_deterministic_and_leaves_other_files_alone(results, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    (folder / "members.csv").write_text("old")
    first = {p.name: p.read_bytes() for p in write_csv(results, folder)}
    again = {p.name: p.read_bytes() for p in write_csv(results, folder)}
    assert first == again
    assert sorted(p.name for p in folder.iterdir()) == [
        "disagreements.csv", "indicators.csv", "introductions.csv", "members.csv",
        "notes.txt", "ties.csv"]


def test_a_failure_writes_no_file(results, tmp_path, monkeypatch):
    import cpower_network.export.tables as tables

    def broken(_results):
        raise RuntimeError("boom")

    monkeypatch.setattr(tables, "indicator_table", broken)
    with pytest.raises(RuntimeError):
        write_csv(results, tmp_path / "csv")
    assert not (tmp_path / "csv").exists() or not list((tmp_path / "csv").iterdir())


def test_a_file_where_the_folder_should_be(results, tmp_path):
    (tmp_path / "csv").write_text("a file")
    with pytest.raises(UsageError, match="folder"):
        write_csv(results, tmp_path / "csv")


# --- JSON and the front door ----------------------------------------------------------------

def test_json_export_is_the_results_document(results, tmp_path):
    written = export(results, "json", tmp_path / "r.json")
    assert written[0].read_text(encoding="utf-8") == dumps(results_document(results))


def test_results_export_method_and_folder_targets(results, tmp_path):
    assert results.export("gexf", tmp_path) == [tmp_path / "2025.gexf"]
    assert [p.name for p in results.export("csv", tmp_path / "c")] == [
        "members.csv", "ties.csv", "indicators.csv", "introductions.csv", "disagreements.csv"]


def test_unknown_format(results, tmp_path):
    with pytest.raises(UsageError, match="gexf, graphml, kumu, csv, json"):
        export(results, "pdf", tmp_path / "x.pdf")


def test_default_paths():
    assert list(FORMATS) == ["gexf", "graphml", "kumu", "csv", "json"]
    study = Path("s")
    assert default_path(study, "2025", "kumu") == study / "exports" / "2025.xlsx"
    assert default_path(study, "2025", "csv") == study / "exports" / "2025"
    assert default_path(study, "w1", "json", anonymized=True) == \
        study / "exports" / "w1-anonymised.json"


def test_text_a_spreadsheet_would_run_is_neutralised(tmp_path):
    """A name like =HYPERLINK(...) must not become a live formula when the CSV is opened
    in a spreadsheet (OWASP CSV injection); numbers keep their sign."""
    from cpower_network.export.tables import csv_bytes

    frame = pd.DataFrame({"name": ['=HYPERLINK("http://evil","x")', "+cmd", "@SUM(A1)",
                                   "-hello", "Ana"], "score": [-1.5, 2.0, 0.0, 1.0, 3.0]})
    lines = csv_bytes(frame).decode("utf-8").splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(")
    assert lines[2:5] == ["'+cmd,2.0", "'@SUM(A1),0.0", "'-hello,1.0"]
    assert lines[5] == "Ana,3.0"
    assert lines[1].endswith(",-1.5")
