"""The wave-comparison report works in a real browser, offline: the wave-to-wave map
draws kept, new and lost ties in their colours on one layout, and its filters work."""

from __future__ import annotations

import pytest

import cpower_network as cp

pytestmark = pytest.mark.browser

NETWORK = "window.cpowerReport.network()"
KEPT, NEW, LOST = "#8a96a3", "#2f855a", "#c53030"


@pytest.fixture(scope="module")
def comparison():
    return cp.compare(cp.load_study(cp.example_study_path()), seed=1, permutations=1000)


@pytest.fixture(scope="module")
def compare_reports(comparison, tmp_path_factory):
    folder = tmp_path_factory.mktemp("compare")
    return {audience: comparison.to_html(folder / f"compare-{audience}.html",
                                         audience=audience)
            for audience in ("evaluator", "retreat")}


def edge_colours(report) -> dict[str, int]:
    colours = report.js(f"{NETWORK}.body.data.edges.get().map(e => e.color.color)")
    return {colour: colours.count(colour) for colour in set(colours)}


def expected_counts(comparison, relation: str) -> dict[str, int]:
    before, after = comparison.graphs[relation][0], comparison.graphs[relation][-1]
    kept = sum(1 for u, v in after.edges() if before.has_edge(u, v))
    return {KEPT: kept, NEW: after.number_of_edges() - kept,
            LOST: sum(1 for u, v in before.edges() if not after.has_edge(u, v))}


def test_the_wave_to_wave_map_marks_kept_new_and_lost_ties(open_report, compare_reports,
                                                           comparison):
    report = open_report(compare_reports["evaluator"])
    assert report.js("document.getElementById('map').dataset.relation") == "collaborate"
    assert edge_colours(report) == expected_counts(comparison, "collaborate")
    dashed = report.js(f"{NETWORK}.body.data.edges.get().filter(e => e.dashes).length")
    assert dashed == expected_counts(comparison, "collaborate")[LOST]
    legend = report.page.locator("#legend").inner_text()
    assert "new in 2025" in legend and "lost since 2024" in legend


def test_the_ties_filter_shows_one_kind_of_change(open_report, compare_reports, comparison):
    report = open_report(compare_reports["evaluator"])
    counts = expected_counts(comparison, "collaborate")
    for value, colour in (("new", NEW), ("lost", LOST), ("kept", KEPT)):
        report.page.select_option("#ties-select", value)
        report.wait_until(f"{NETWORK}.body.data.edges.length === {counts[colour]}")
        assert edge_colours(report) == {colour: counts[colour]}


def test_members_who_joined_or_left_are_marked(open_report, compare_reports, comparison):
    report = open_report(compare_reports["evaluator"])
    styles = report.js(f"""{NETWORK}.body.data.nodes.get().map(n => [n.label,
        n.opacity, !!(n.shapeProperties && n.shapeProperties.borderDashes)])""")
    names = comparison.results[-1].roster["name"].to_dict()
    flow = comparison.flows[0]
    left = {names[m] for m in flow.left}
    joined = {names[m] for m in flow.joined}
    assert {label for label, opacity, _ in styles if opacity < 1} == left
    assert {label for label, _, dashed in styles if dashed} == joined


def test_switching_relation_redraws_the_changes(open_report, compare_reports, comparison):
    report = open_report(compare_reports["evaluator"])
    options = report.js("[...document.querySelectorAll('#relation-select option')]"
                        ".map(o => o.textContent)")
    assert "Shaped decisions" not in options  # each wave asked about its own decisions
    report.page.select_option("#relation-select", label="Trust")
    report.wait_until("document.getElementById('map').dataset.relation === 'trust'")
    assert edge_colours(report) == expected_counts(comparison, "trust")


def test_the_retreat_comparison_names_only_consenting_members(open_report, compare_reports,
                                                               comparison):
    report = open_report(compare_reports["retreat"])
    roster = comparison.results[-1].roster
    labels = report.js(f"{NETWORK}.body.data.nodes.get().map(n => n.label)")
    consenting = sorted(roster.loc[roster["consent"], "name"])
    assert len(consenting) == 70 and len(roster) == 75      # the example: 5 said no
    # every consenting member is named, once; every other member's dot has no label
    assert sorted(label for label in labels if label is not None) == consenting
    assert labels.count(None) == len(roster) - len(consenting)
    html = compare_reports["retreat"].read_text(encoding="utf-8")
    for name in roster.loc[~roster["consent"], "name"]:
        assert name not in html
