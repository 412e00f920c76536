"""Hostile survey text in exports: no CSV cell a spreadsheet would run as a formula (ids
included, numbers left as numbers), and GEXF/GraphML member ids that stay distinct when
they hold characters XML cannot store."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

import cpower_network as cp
from cpower_network.errors import DataError
from cpower_network.export import export, export_notes
from cpower_network.export._common import INVALID_XML, xml_id, xml_ids
from cpower_network.export.tables import CSV_FILES, csv_bytes, spreadsheet_safe

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
IDS = ['=HYPERLINK("http://evil","x")', "+id2", "-id3", "@id4", "=id5", "m6"]
NAMES = ["=1+1", "+Bo", "-Cy", "@Di", "=cmd|' /C calc'!A0", "Fay"]
SILOS = ["=Parents", "+Providers", "-Funders", "@Parents", "=Parents", "+Providers"]
BUDGET = ["-0.5", "1.5", "-2", "3", "0", "-0.25"]
#: Pairs in touch (both say Weekly); the rest say Never, except that -id3 says Never of
#: the first member, who says Weekly: a disagreement, so disagreements.csv has a row.
TIES = {(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 0), (0, 2)}
TOML = """
[study]
name = "=Formulas"
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


def table(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def collab_rows(ids: list[str], ties: set[tuple[int, int]]) -> list[list[str]]:
    rows = [["who", *(f"c_{m}" for m in ids)]]
    for a, member in enumerate(ids):
        rows.append([member, *("" if a == b else "Weekly" if (min(a, b), max(a, b)) in ties
                               else "Never" for b in range(len(ids)))])
    return rows


@pytest.fixture
def formula_study(make_study):
    collab = collab_rows(IDS, TIES)
    collab[3][1] = "Never"                      # -id3 -> the first member: a disagreement
    roster = [["member_id", "name", "sector", "budget"],
              *map(list, zip(IDS, NAMES, SILOS, BUDGET, strict=True))]
    return make_study(TOML, {"roster.csv": table(roster), "collab.csv": table(collab)})


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def dangerous(cell: str) -> bool:
    """Whether a spreadsheet would run ``cell`` as a formula."""
    return (cell.startswith(FORMULA_STARTS) or cell.lstrip().startswith(FORMULA_STARTS)) \
        and not is_number(cell)


def test_every_cell_of_every_csv_is_neutralised(run_cli, formula_study, tmp_path):
    out = tmp_path / "csv"
    result = run_cli("export", formula_study, "--format", "csv", "--out", out)
    assert result.exit_code == 0, result.output
    woven = run_cli("weave", formula_study, "--csv", tmp_path / "introductions.csv")
    assert woven.exit_code == 0, woven.output
    files = [out / name for name in CSV_FILES] + [tmp_path / "introductions.csv"]
    cells = {}
    for path in files:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert len(rows) > 1, f"{path.name} has no data row: the test would prove little"
        cells[path] = [cell for row in rows for cell in row]
        assert not [c for c in cells[path] if dangerous(c)], path.name
    members = list(csv.DictReader(io.StringIO((out / "members.csv").read_text("utf-8"))))
    assert [m["id"] for m in members] == ["'" + m if m != "m6" else m for m in IDS]
    assert [m["name"] for m in members][:4] == ["'=1+1", "'+Bo", "'-Cy", "'@Di"]
    assert members[0]["silo"] == "'=Parents"
    assert [m["budget"] for m in members] == BUDGET          # numbers stay numbers
    ties = list(csv.DictReader(io.StringIO((out / "ties.csv").read_text("utf-8"))))
    assert ties[0]["from"] == "'" + IDS[0] and float(ties[0]["weight"]) == 3.0
    apart = list(csv.DictReader(io.StringIO((out / "disagreements.csv").read_text("utf-8"))))
    assert [(r["member_id"], r["partner_id"], r["member"]) for r in apart] == [
        ("'" + IDS[0], "'-id3", "'=1+1")]
    assert float(apart[0]["difference"]) == 3.0


def test_numbers_stay_numbers_and_text_after_spaces_is_caught():
    import pandas as pd

    frame = pd.DataFrame({"score": [-0.5, 2.0], "label": ["  =1+1", "-1.5"]},
                         index=pd.Index(["-id", "m2"], name="id"))
    lines = csv_bytes(frame, index=True).decode("utf-8").splitlines()
    assert lines == ["id,score,label", "'-id,-0.5,'  =1+1", "m2,2.0,-1.5"]
    assert spreadsheet_safe("\r=1") == "'\r=1" and spreadsheet_safe(" -2") == " -2"
    assert spreadsheet_safe(-0.5) == -0.5 and spreadsheet_safe(None) is None


# --- XML ids ------------------------------------------------------------------------------

@pytest.fixture
def control_ids(make_study):
    ids = [f"m{i}" for i in range(8)] + ["m0\x01", "m0\x02"]
    ties = {(a, b) for a in range(10) for b in range(a + 1, 10) if (a + b) % 3}
    roster = [["member_id", "name", "sector"],
              *([m, f"Name {i}", "AB"[i % 2]] for i, m in enumerate(ids))]
    folder = make_study(TOML, {"roster.csv": table(roster),
                               "collab.csv": table(collab_rows(ids, ties))})
    results = cp.analyze(cp.load_study(folder), seed=1)
    assert list(results.wave.members)[-2:] == ["m0\x01", "m0\x02"]   # they arrive intact
    return results


@pytest.mark.parametrize(("fmt", "read"), [("gexf", nx.read_gexf),
                                           ("graphml", nx.read_graphml)])
def test_ids_differing_only_in_control_characters_stay_apart(control_ids, tmp_path, fmt,
                                                            read):
    path = export(control_ids, fmt, tmp_path / f"net.{fmt}")[0]
    graph = read(path)
    assert graph.number_of_nodes() == 10
    ties = control_ids.wave.relations["collaborate"].graph.number_of_edges()
    assert graph.number_of_edges() == ties
    if fmt == "gexf":
        assert {"m0_x0001_", "m0_x0002_"} <= set(graph)
    else:
        found = {data["member_id"] for _, data in graph.nodes(data=True)}
        assert {"m0_x0001_", "m0_x0002_"} <= found and len(found) == 10
    note = [n for n in export_notes(control_ids, fmt) if "member ids" in n]
    assert note and "_xHHHH_" in note[0] and "m0_x0001_" in note[0]


def test_kumu_member_ids_stay_apart(control_ids):
    from cpower_network.export.kumu import kumu_tables

    elements, _ = kumu_tables(control_ids)
    assert elements["Member ID"].tolist()[-2:] == ["m0_x0001_", "m0_x0002_"]
    assert elements["Label"].is_unique


def test_ids_that_would_still_collide_are_refused_naming_both():
    with pytest.raises(DataError) as caught:
        xml_ids([1, "1"])
    assert caught.value.message == ("members 1 and '1' would both be written as id '1'. "
                                     "Fix: give one of them another id in the roster")


def test_a_collision_stops_the_gexf_export(control_ids, tmp_path, monkeypatch):
    import cpower_network.export.gexf as gexf

    monkeypatch.setattr(gexf, "xml_ids", lambda members: xml_ids([*members, "m0"]))
    with pytest.raises(DataError, match="'m0' and 'm0' would both be written"):
        gexf.write_gexf(control_ids, tmp_path / "out" / "net.gexf")
    assert not (tmp_path / "out").exists()


def unescape(text: str) -> str:
    import re

    return re.sub("_x([0-9A-F]{4})_", lambda m: chr(int(m.group(1), 16)), text)


@given(st.lists(st.text(alphabet=st.sampled_from(["a", "_", "x", "0", "F", "\x01", "\x02",
                                                   "\ufffe", "\ud800"]), max_size=12),
                unique=True, max_size=8))
def test_xml_ids_are_distinct_xml_safe_and_reversible(ids):
    written = xml_ids(ids)
    assert len(set(written.values())) == len(ids)
    for member, text in written.items():
        assert not INVALID_XML.search(text)
        assert unescape(text) == member
        assert xml_id(member) == text
    ET.fromstring(f'<n id="{"".join(written.values())}"/>')    # XML holds every one


def test_plain_ids_are_unchanged():
    assert xml_id("m001") == "m001" and xml_id("ana@x.org") == "ana@x.org"
