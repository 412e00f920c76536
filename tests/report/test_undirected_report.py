"""The report of a study with an undirected relation reads it as undirected.

A tiny study (eight members in two silos) has an undirected ``work`` relation, ties
combined when either member reported them (``reciprocity = "either"``), and a directed
``advice`` relation beside it. Members g and h never answered, so the ties f–g and a–h
rest on one report; a–c, b–d and d–e were reported by one of two members who answered.
The report must say so: the map's data say ``directed: false``, the relation's sections
give its direction, reciprocity rule and note and say which measures are not measured,
the methods appendix says which relations are undirected, and in the browser the map has
no arrows and a member's card lists their contacts once.
"""

from __future__ import annotations

import html
import json
import math
import re
from pathlib import Path
from types import SimpleNamespace

import networkx as nx
import pandas as pd
import pytest

import cpower_network as cp
from cpower_network.report.compare import _relation_changes
from cpower_network.report.sections import _brokerage

#: The undirected relation's label is markup: it must be shown as text everywhere.
WORK = 'Work <i>together</i> & "co"'
MEMBERS = "abcdefgh"
TOML = """
[study]
name = "Undirected"
seed = 1
[roster]
file = "roster.csv"
silo = "sector"
[focus_groups]
lived = { column = "lived", label = "Lived experience" }
[analysis]
permutations = 1000
[relations.work]
label = 'Work <i>together</i> & "co"'
direction = "undirected"
reciprocity = "either"
[relations.advice]
label = "Advice"
[waves.w1]
[[waves.w1.surveys]]
file = "ties.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "long"
relation_column = "rel"
alter = "alter"
"""
WORK_REPORTS = [("a", "b"), ("b", "a"), ("a", "c"), ("b", "d"), ("c", "d"), ("d", "c"),
                ("d", "e"), ("e", "f"), ("f", "e"), ("f", "g"), ("a", "h")]
ADVICE_REPORTS = [("a", "b"), ("c", "b"), ("b", "e"), ("e", "a")]
#: Member a's ties in ``work``: the three members they are tied to.
A_CONTACTS = ["Member b", "Member c", "Member h"]
JSON_BLOCK = re.compile(r'<script type="application/json" id="cpower-map">(.*?)</script>',
                        re.S)
NETWORK = "window.cpowerReport.network()"


def study_files() -> dict[str, str]:
    roster = "member_id,name,sector,lived\n" + "".join(
        f"{m},Member {m},{'Left' if i < 4 else 'Right'},{'yes' if i % 3 == 0 else 'no'}\n"
        for i, m in enumerate(MEMBERS))
    rows = [f"{u},{v},work" for u, v in WORK_REPORTS]
    rows += [f"{u},{v},advice" for u, v in ADVICE_REPORTS]
    return {"roster.csv": roster, "ties.csv": "who,alter,rel\n" + "\n".join(rows) + "\n"}


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> cp.Results:
    folder = tmp_path_factory.mktemp("undirected-study")
    for name, text in {"cpower.toml": TOML, **study_files()}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return cp.analyze(cp.load_study(folder), seed=1)


@pytest.fixture(scope="module")
def reports(results, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("undirected-report")
    return {audience: results.to_html(folder / f"report-{audience}.html", audience=audience)
            for audience in ("evaluator", "retreat")}


def page(reports, audience: str = "evaluator") -> str:
    return reports[audience].read_text(encoding="utf-8")


def panel(text: str, tabs: str, key: str) -> str:
    """The plain text of one relation's tab panel in the ``tabs`` section."""
    start = text.index(f'<div class="tab-panel" data-tabs="{tabs}" data-tab="{key}"')
    end = text.find('<div class="tab-panel"', start + 1)
    end = text.index("</section>", start) if end < 0 else min(end, text.index("</section>",
                                                                              start))
    return html.unescape(re.sub(r"<[^>]+>", " ", text[start:end]))


def section(text: str, anchor: str) -> str:
    start = text.index(f'<section id="{anchor}"')
    return html.unescape(re.sub(r"<[^>]+>", " ", text[start:text.index("</section>",
                                                                        start)]))


def squeeze(text: str) -> str:
    return " ".join(text.split())


# --- the analysis this report rests on -------------------------------------------------

def test_the_study_is_what_the_report_tests_assume(results):
    work = results.wave.relations["work"].graph
    assert not work.is_directed() and results.wave.relations["advice"].graph.is_directed()
    assert (work.graph["one_sided"], work.graph["unreciprocated"]) == (2, 3)
    assert sorted(work["a"]) == ["b", "c", "h"]


# --- the file ----------------------------------------------------------------------------

@pytest.mark.parametrize("audience", ["evaluator", "retreat"])
def test_map_data_say_the_relation_is_undirected(reports, audience):
    data = json.loads(JSON_BLOCK.search(page(reports, audience)).group(1))
    relations = {r["key"]: r for r in data["relations"]}
    assert relations["work"]["directed"] is False
    assert relations["advice"]["directed"] is True
    assert relations["work"]["label"] == WORK
    assert len(relations["work"]["edges"]) == 8                 # each tie once
    if audience == "evaluator":
        assert "roles" not in relations["work"] and "roles" in relations["advice"]
        assert relations["work"]["labels"]["in_degree"] == "Ties (contacts)"
        assert "labels" not in relations["advice"]


def test_the_relation_says_its_direction_and_reciprocity(reports):
    text = page(reports)
    for tabs in ("silos", "power"):
        work = squeeze(panel(text, tabs, "work"))
        assert 'Undirected (reciprocity = "either"): a tie when either member reported it' \
            in work
        assert "2 ties rest on one report" in work
        assert "3 pairs reported by one member only were kept" in work
        advice = squeeze(panel(text, tabs, "advice"))
        assert "Directed: a tie u → v is what u reported about v." in advice
        assert "Undirected" not in advice


def test_measures_not_measured_say_why(reports):
    for audience in ("evaluator", "retreat"):
        work = squeeze(panel(page(reports, audience), "silos", "work"))
        assert "Reciprocity is not measured: the relation is undirected" in work
        assert "Brokerage roles are not measured: Gould–Fernandez brokerage roles" in work
        assert "nothing to show" not in work.split("Brokerage roles")[-1].split(
            "Communities against silos")[0]
        advice = squeeze(panel(page(reports, audience), "silos", "advice"))
        assert "not measured" not in advice


def test_undirected_figures_read_as_undirected(reports):
    work = squeeze(panel(page(reports), "silos", "work"))
    assert "E-I of its members' ties" in work and "ties its members sent" not in work
    assert "the table is symmetric" in work and "row reported column" not in work
    assert "→" not in work                                   # no arrow in the heat map
    power = squeeze(panel(page(reports), "power", "work"))
    assert "Ties (contacts)" in power and "Ties received" not in power
    assert "Degree centralisation (received)" not in power
    advice = squeeze(panel(page(reports), "power", "advice"))
    assert "Ties received" in advice and "Degree centralisation (received)" in advice


def test_methods_say_which_relations_are_undirected(reports):
    methods = squeeze(section(page(reports), "methods"))
    assert "One graph per relation and wave, directed or undirected" in methods
    assert "One directed graph per relation" not in methods
    assert f'Undirected here: {WORK} (reciprocity = "either").' in methods
    assert "Directed here: Advice." in methods
    assert "either: a tie when either member reported it" in methods
    assert "Not measured on an undirected relation" in methods


def test_map_text_says_undirected_maps_have_no_arrows(reports):
    maps = squeeze(section(page(reports), "maps"))
    assert f"{WORK} is undirected: a line is a tie between two members, without arrows" \
        in maps


@pytest.mark.parametrize("audience", ["evaluator", "retreat"])
def test_the_label_is_text_everywhere(reports, audience):
    text = page(reports, audience)
    assert "<i>together" not in text
    assert "Work &lt;i&gt;together&lt;/i&gt; &amp; &#34;co&#34;" in text


# --- pieces --------------------------------------------------------------------------------

def test_retreat_brokerage_by_silo_keeps_not_measured_blank():
    """An all-NaN role column sums to "–" (not measured), not 0."""
    roles = pd.DataFrame({"coordinator": [1.0, 2.0, float("nan")],
                          "itinerant": [math.nan] * 3, "representative": [0.0] * 3,
                          "gatekeeper": [0.0] * 3, "liaison": [0.0] * 3,
                          "total": [1.0, 2.0, math.nan]}, index=["a", "b", "c"])
    ctx = SimpleNamespace(evaluator=False, silos={"a": "Left", "b": "Left", "c": "Right"})
    table = _brokerage(ctx, SimpleNamespace(brokerage=roles))
    rows = {row[0].text: [cell.text for cell in row[1:]] for row in table.rows}
    assert rows == {"Left": ["3", "–", "0", "0", "0", "3"],
                    "Right": ["–", "–", "0", "0", "0", "–"]}


def test_compare_map_follows_the_relations_direction():
    def wave(*edges):
        G = nx.Graph(label="Work")
        G.add_nodes_from([("a", {"silo": "L"}), ("b", {"silo": "R"}), ("c", {"silo": "R"})])
        G.add_edges_from(edges, weight=1.0)
        return G

    index = {"a": 0, "b": 1, "c": 2}
    found = _relation_changes("work", [wave(("a", "b")), wave(("b", "a"), ("c", "a"))],
                              index)
    assert found["directed"] is False
    assert sorted(e[3] for e in found["edges"]) == [0, 1]     # a–b kept, a–c new
    assert found["silo_edges"] == [[0, 1, 2]]                 # L–R, unordered, once each
    directed = [nx.DiGraph(G) for G in (wave(("a", "b")), wave(("a", "b")))]
    assert _relation_changes("work", directed, index)["directed"] is True


# --- the browser ---------------------------------------------------------------------------

def member_spot(report, member: int) -> dict:
    """Page coordinates of member ``member``'s dot, brought into view and uncovered."""
    report.page.locator("#map").scroll_into_view_if_needed()
    return report.js("""(id) => {
        const net = window.cpowerReport.network();
        const box = document.querySelector("#map canvas").getBoundingClientRect();
        const p = net.canvasToDOM(net.getPosition(id));
        if (net.getNodeAt(p) !== id) return null;
        return {x: box.left + p.x, y: box.top + p.y};
    }""", member)


def arrows(report) -> list[bool]:
    """Whether vis-network draws an arrow head on each edge of the map."""
    return report.js(f"Object.values({NETWORK}.body.edges)"
                     ".map(e => e.options.arrows.to.enabled)")


def sizes(report) -> list[str]:
    """The names of the "Size by" choices."""
    return report.js("[...document.querySelectorAll('#size-select option')]"
                     ".map(o => o.textContent)")


@pytest.mark.browser
def test_undirected_map_in_the_browser(open_report, reports, results):
    report = open_report(reports["evaluator"])
    keys = list(results.wave.relations)
    report.page.select_option("#relation-select", str(keys.index("advice")))
    report.page.wait_for_selector("#map[data-relation=advice]", state="attached")
    assert arrows(report) and all(arrows(report))            # directed: arrows
    assert sizes(report)[0] == "Ties received"
    report.page.select_option("#relation-select", str(keys.index("work")))
    report.page.wait_for_selector("#map[data-relation=work]", state="attached")
    assert report.js("window.cpowerReport.state.relation") == keys.index("work")
    assert len(arrows(report)) == 8 and not any(arrows(report))
    assert report.js(f"{NETWORK}.edgesHandler.options.arrows.to.enabled") is False
    legend = report.page.text_content("#legend-lines")
    assert legend.startswith("— a line: a tie between two members") and WORK in legend
    spot = member_spot(report, MEMBERS.index("a"))
    assert spot is not None
    report.page.mouse.click(spot["x"], spot["y"])
    card = report.page.locator("#card")
    card.wait_for(state="visible")
    assert card.locator("h3").text_content() == "Member a"
    blocks = card.locator(".card-block")
    assert blocks.count() == 1
    assert blocks.locator("h4").text_content() == "Contacts (3)"
    assert blocks.locator("p").text_content() == ", ".join(A_CONTACTS)
    assert "Reported" not in card.text_content()
    assert "Brokerage" not in card.text_content()            # not measured: no role line
    assert card.locator(".card-scores dt").first.text_content() == "Ties (contacts)"
    assert sizes(report)[:2] == ["Ties (contacts)", "Strength (contacts)"]
    report.page.screenshot(path="/tmp/undirected.png")
    report.assert_clean()


# --- the comparison report -----------------------------------------------------------------

def test_comparison_report_follows_the_relation(tmp_path):
    """Two waves (a–h in the first becomes a–g in the second): the wave-to-wave map says
    the relation is undirected, and the measures table says why its reciprocity is
    blank (brokerage is not in that table, so it is not mentioned)."""
    files = study_files()
    files["ties2.csv"] = files["ties.csv"].replace("a,h,work\n", "a,g,work\n")
    second = TOML[TOML.index("[waves.w1]"):].replace("w1", "w2").replace("ties.csv",
                                                                          "ties2.csv")
    for name, text in {"cpower.toml": TOML + second, **files}.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    comparison = cp.compare(cp.load_study(tmp_path), seed=1, permutations=1000)
    text = comparison.to_html(tmp_path / "compare.html").read_text(encoding="utf-8")
    relations = {r["key"]: r for r in json.loads(JSON_BLOCK.search(text).group(1))
                 ["relations"]}
    assert (relations["work"]["directed"], relations["advice"]["directed"]) == (False, True)
    measures = squeeze(section(text, "measures"))
    assert f"{WORK}: Reciprocity is not measured: the relation is undirected" in measures
    assert "Brokerage" not in measures
    assert "<i>together" not in text
    methods = squeeze(section(text, "methods"))
    assert f'Undirected here: {WORK} (reciprocity = "either").' in methods
