"""The demo report works in a real browser, offline.

Each test opens the demo report (generated once per session) from ``file://`` in
headless Chromium with every other request aborted, drives one feature the way a reader
would, and checks what changed on the map (through ``window.cpowerReport.network()``,
the vis-network instance) or the page. The ``open_report`` fixture then fails the test
if any request left ``file://`` or the page logged an error.
"""

from __future__ import annotations

import itertools

import pytest

from cpower_network.config.groups import SUPPRESS_GROUP
from cpower_network.report.maps import map_privacy

pytestmark = pytest.mark.browser

MAP_DATA = "JSON.parse(document.getElementById('cpower-map').textContent)"
NETWORK = "window.cpowerReport.network()"


def map_data(report) -> dict:
    return report.js(MAP_DATA)


def nodes(report) -> list[dict]:
    """The map's nodes as vis-network holds them (without their tooltip element)."""
    return report.js(f"""{NETWORK}.body.data.nodes.get().map(n => ({{
        id: n.id, label: n.label === undefined ? null : n.label, size: n.size,
        hidden: !!n.hidden, color: n.color.background || n.color, shape: n.shape}}))""")


def edge_count(report) -> int:
    return report.js(f"{NETWORK}.body.data.edges.length")


def clickable_member(report, *, skip: int = 0) -> dict:
    """A member whose dot is on screen and not covered by another: its id and the page
    coordinates of its centre."""
    report.page.locator("#map").scroll_into_view_if_needed()
    return report.js("""(skip) => {
        const net = window.cpowerReport.network();
        const box = document.querySelector("#map canvas").getBoundingClientRect();
        const found = [];
        for (const id of net.body.data.nodes.getIds()) {
          const p = net.canvasToDOM(net.getPosition(id));
          if (p.x < 20 || p.y < 20 || p.x > box.width - 340 || p.y > box.height - 20) continue;
          if (net.getNodeAt(p) !== id) continue;
          found.push({id: id, x: box.left + p.x, y: box.top + p.y});
        }
        return found[skip];
    }""", skip)


# --- the map draws ---------------------------------------------------------------------

@pytest.mark.parametrize("audience", ["evaluator", "retreat"])
def test_map_draws_offline(open_report, demo_reports, demo_results, audience):
    report = open_report(demo_reports[audience])
    assert report.js("document.getElementById('map').getAttribute('data-view')") == "members"
    # the canvas has something drawn on it: many pixels neither transparent nor white
    inked = report.js("""() => {
        const canvas = document.querySelector("#map canvas");
        const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width,
                                                            canvas.height).data;
        let inked = 0;
        for (let k = 0; k < pixels.length; k += 4) {
          if (pixels[k + 3] > 0 && pixels[k] + pixels[k + 1] + pixels[k + 2] < 600) inked++;
        }
        return {inked: inked, total: pixels.length / 4};
    }""")
    assert inked["inked"] > 0.01 * inked["total"], inked
    # a shared map leaves off members a room could single out (map_privacy)
    privacy = map_privacy(demo_results.roster, demo_results.wave.members, audience,
                          SUPPRESS_GROUP)
    drawn = [m for m in demo_results.wave.members if m not in privacy.left_off]
    assert len(privacy.left_off) == (0 if audience == "evaluator" else 2)
    assert len(nodes(report)) == len(drawn)
    first = next(iter(demo_results.wave.relations.values()))
    assert edge_count(report) == first.graph.subgraph(drawn).number_of_edges()
    status = report.page.text_content("#map-status")
    assert status.startswith(f"{first.label}: {len(drawn)} members")
    # the only request the page ever made is for the report file itself
    assert set(report.requests) == {demo_reports[audience].as_uri()}
    report.assert_clean()


# --- map controls ----------------------------------------------------------------------

def test_relation_select_redraws_the_map(open_report, demo_reports, demo_results):
    report = open_report(demo_reports["evaluator"])
    relations = list(demo_results.wave.relations.values())
    assert report.js("[...document.querySelectorAll('#relation-select option')]"
                     ".map(o => o.textContent)") == [r.label for r in relations]
    for k, relation in reversed(list(enumerate(relations))):
        report.page.select_option("#relation-select", str(k))
        report.page.wait_for_selector(f"#map[data-relation={relation.key}]",
                                      state="attached")
        assert edge_count(report) == relation.graph.number_of_edges()
        assert report.page.text_content("#map-status").startswith(relation.label + ":")
    assert report.js(f"{NETWORK}.body.data.edges.length") == \
        relations[0].graph.number_of_edges()
    report.assert_clean()


def test_size_measure_sizes_members_by_the_chosen_centrality(open_report, demo_reports):
    report = open_report(demo_reports["evaluator"])
    data = map_data(report)
    keys = [m["key"] for m in data["measures"]]
    assert report.js("[...document.querySelectorAll('#size-select option')]"
                     ".map(o => o.value)") == keys
    sizes_seen = []
    for key in ("betweenness", "pagerank", "in_degree"):
        report.page.select_option("#size-select", key)
        values = data["relations"][0]["values"][key]
        sizes = [n["size"] for n in sorted(nodes(report), key=lambda n: n["id"])]
        # sizes follow the measure: a larger value never gets a smaller dot
        pairs = sorted(zip([v or 0 for v in values], sizes, strict=True))
        assert all(a[1] <= b[1] + 1e-9 for a, b in itertools.pairwise(pairs)), key
        top = max(range(len(values)), key=lambda i: values[i] or 0)
        assert sizes[top] == pytest.approx(28)
        sizes_seen.append(sizes)
    # each measure sizes the dots its own way (all three differ pairwise)
    assert len({tuple(sizes) for sizes in sizes_seen}) == 3


def test_strong_ties_only(open_report, demo_reports, demo_results):
    report = open_report(demo_reports["evaluator"])
    relation = next(iter(demo_results.wave.relations.values()))
    strong = relation.graph.graph["strong"]
    expected = sum(1 for _u, _v, w in relation.graph.edges(data="weight") if w >= strong)
    assert 0 < expected < relation.graph.number_of_edges()
    report.page.select_option("#ties-select", "strong")
    report.wait_until(f"{NETWORK}.body.data.edges.length === {expected}")
    weights = report.js(f"{NETWORK}.body.data.edges.get().map(e => e.value)")
    assert min(weights) >= strong
    assert "strong ties" in report.page.text_content("#map-status")
    report.page.select_option("#ties-select", "all")
    report.wait_until(
        f"{NETWORK}.body.data.edges.length === {relation.graph.number_of_edges()}")


def test_silo_filter_hides_and_shows_a_silos_members(open_report, demo_reports):
    report = open_report(demo_reports["evaluator"])
    data = map_data(report)
    silo = 1
    members = {i for i, s in enumerate(data["nodes"]["silo"]) if s == silo}
    assert members
    box = report.page.locator(f"#silo-filter input[value='{silo}']")
    assert data["silos"][silo]["name"] in report.page.text_content("#silo-filter")
    box.uncheck()
    hidden = {n["id"] for n in nodes(report) if n["hidden"]}
    assert hidden == members
    box.check()
    assert not any(n["hidden"] for n in nodes(report))


def test_highlight_dims_everyone_outside_the_group(open_report, demo_reports, demo_results):
    report = open_report(demo_reports["evaluator"])
    data = map_data(report)
    group = data["focus_groups"][0]["key"]
    flags = data["nodes"]["groups"][group]
    report.page.select_option("#focus-select", group)
    colours = {n["id"]: n["color"] for n in nodes(report)}
    silo_colours = [s["color"] for s in data["silos"]]
    for i, flag in enumerate(flags):
        expected = silo_colours[data["nodes"]["silo"][i]] if flag else "#e4e4e4"
        assert colours[i] == expected
    assert 0 < sum(flags) < len(flags)
    report.page.select_option("#focus-select", "")
    assert "#e4e4e4" not in {n["color"] for n in nodes(report)}


def test_silo_view_toggle(open_report, demo_reports):
    report = open_report(demo_reports["evaluator"])
    data = map_data(report)
    toggle = report.page.locator("#view-toggle")
    assert toggle.text_content() == "Silo view"
    toggle.click()
    report.page.wait_for_selector("#map[data-view=silos]", state="attached")
    silo_nodes = nodes(report)
    assert [n["id"] for n in silo_nodes] == [f"silo-{k}" for k in range(len(data["silos"]))]
    assert [n["label"] for n in silo_nodes] == [f"{s['name']} ({s['size']})"
                                               for s in data["silos"]]
    assert toggle.text_content() == "Member view"
    assert toggle.get_attribute("aria-pressed") == "true"
    assert "silo view" in report.page.text_content("#map-status")
    toggle.click()
    report.page.wait_for_selector("#map[data-view=members]", state="attached")
    assert len(nodes(report)) == len(data["nodes"]["label"])


# --- finding a member ------------------------------------------------------------------

def test_search_finds_a_member_and_opens_the_card(open_report, demo_reports, demo_results):
    report = open_report(demo_reports["evaluator"])
    members = demo_results.wave.members
    target = members[len(members) // 2]
    name = str(demo_results.roster.at[target, "name"])
    search = report.page.locator("#search-input")
    assert report.page.is_hidden("#card")
    search.fill(name.upper())                               # any case
    search.press("Enter")
    card = report.page.locator("#card")
    card.wait_for(state="visible")
    assert card.locator("h3").text_content() == name
    assert card.get_attribute("data-member") == str(members.index(target))
    assert str(demo_results.roster.at[target, "silo"]) in card.text_content()
    assert report.js(f"{NETWORK}.getSelectedNodes()") == [members.index(target)]
    assert report.page.text_content("#map-status") == f"Found {name}."
    # the card lists whom they reported, as names
    relation = next(iter(demo_results.wave.relations.values()))
    reported = sorted(str(demo_results.roster.at[v, "name"])
                      for v in relation.graph.successors(target))
    assert f"Reported ({len(reported)})" in card.text_content()
    if reported:
        assert ", ".join(reported) in card.text_content()
    card.locator(".card-close").click()
    assert report.page.is_hidden("#card")
    # a name nobody has
    search.fill("Nobody Of That Name")
    search.press("Enter")
    assert "No member matches" in report.page.text_content("#map-status")
    assert report.page.is_hidden("#card")


def test_search_brings_back_a_hidden_silo(open_report, demo_reports, demo_results):
    report = open_report(demo_reports["evaluator"])
    target = demo_results.wave.members[0]
    silo = map_data(report)["nodes"]["silo"][0]
    report.page.locator(f"#silo-filter input[value='{silo}']").uncheck()
    assert next(n for n in nodes(report) if n["id"] == 0)["hidden"]
    report.page.fill("#search-input", str(demo_results.roster.at[target, "name"]))
    report.page.press("#search-input", "Enter")
    report.page.locator("#card").wait_for(state="visible")
    assert not next(n for n in nodes(report) if n["id"] == 0)["hidden"]
    assert report.page.locator(f"#silo-filter input[value='{silo}']").is_checked()


def test_clicking_a_member_opens_their_card(open_report, demo_reports, demo_results):
    report = open_report(demo_reports["evaluator"])
    spot = clickable_member(report)
    report.page.mouse.click(spot["x"], spot["y"])
    card = report.page.locator("#card")
    card.wait_for(state="visible")
    name = str(demo_results.roster.at[demo_results.wave.members[spot["id"]], "name"])
    assert card.get_attribute("data-member") == str(spot["id"])
    assert card.locator("h3").text_content() == name
    # the evaluator card shows the member's scores
    assert card.locator(".card-scores dt").count() == len(map_data(report)["measures"])
    # clicking empty canvas closes it
    box = report.page.locator("#map canvas").bounding_box()
    empty = report.js("""(box) => { const net = window.cpowerReport.network();
        for (let y = 5; y < box.height; y += 15) for (let x = 5; x < 200; x += 15)
          if (net.getNodeAt({x: x, y: y}) === undefined &&
              net.getEdgeAt({x: x, y: y}) === undefined) return {x: x, y: y};
        return null; }""", box)
    report.page.mouse.click(box["x"] + empty["x"], box["y"] + empty["y"])
    assert report.page.is_hidden("#card")


# --- the rest of the page --------------------------------------------------------------

def test_tabs_switch_panels(open_report, demo_reports, demo_results):
    report = open_report(demo_reports["evaluator"])
    keys = list(demo_results.wave.relations)
    for strip in ("silos", "power"):
        buttons = report.page.locator(f".tabs[data-tabs={strip}] button")
        assert buttons.count() == len(keys)
        panels = f".tab-panel[data-tabs={strip}]"
        for k in (2, 0):
            buttons.nth(k).click()
            visible = [key for key in keys
                       if report.page.is_visible(f"{panels}[data-tab={key}] h3")]
            assert visible == [keys[k]]
            assert [buttons.nth(j).get_attribute("aria-selected") == "true"
                    for j in range(len(keys))] == [j == k for j in range(len(keys))]


def test_sortable_tables(open_report, demo_reports):
    report = open_report(demo_reports["evaluator"])
    table = report.page.locator("#disagreements")
    headers = table.locator("thead th")
    columns = [headers.nth(k).text_content() for k in range(headers.count())]
    score, name = columns.index("Their rating"), columns.index("Member")

    def column(k: int) -> list[str]:
        return table.evaluate("(t, k) => [...t.tBodies[0].rows].map("
                              "r => r.cells[k].getAttribute('data-sort'))", k)

    assert len(column(score)) > 3 and len(set(column(score))) > 2
    headers.nth(score).click()
    values = [float(v) for v in column(score)]
    assert values == sorted(values)
    assert headers.nth(score).get_attribute("aria-sort") == "ascending"
    headers.nth(score).click()
    values = [float(v) for v in column(score)]
    assert values == sorted(values, reverse=True)
    assert headers.nth(score).get_attribute("aria-sort") == "descending"
    headers.nth(name).press("Enter")                        # by keyboard too
    assert column(name) == sorted(column(name))
    assert headers.nth(score).get_attribute("aria-sort") == "none"
    # rows move whole: each row's cells stay together
    first = table.locator("tbody tr").first.locator("td").nth(name).text_content()
    assert first.casefold() == column(name)[0]


def test_presentation_mode(open_report, demo_reports, demo_results):
    report = open_report(demo_reports["retreat"])
    keys = list(demo_results.wave.relations)
    button = report.page.locator("#present-button")
    area = report.page.locator("#map-area")
    button.click()
    assert "presenting" in area.get_attribute("class").split()
    assert report.js("document.body.classList.contains('presenting')")
    assert button.text_content() == "Leave"
    assert report.page.is_visible("#present-bar")
    # full screen: the map fills the viewport
    assert area.bounding_box()["height"] == pytest.approx(900, abs=2)
    report.page.keyboard.press("ArrowRight")
    report.page.wait_for_selector(f"#map[data-relation={keys[1]}]", state="attached")
    assert report.page.text_content("#present-title") == \
        demo_results.wave.relations[keys[1]].label
    report.page.keyboard.press("ArrowLeft")
    report.page.wait_for_selector(f"#map[data-relation={keys[0]}]", state="attached")
    report.page.keyboard.press("Escape")
    assert "presenting" not in (area.get_attribute("class") or "").split()
    assert not report.js("document.body.classList.contains('presenting')")
    assert button.text_content() == "Present"
    assert report.page.is_hidden("#present-bar")
    # full screen covers the Present button: the bar's own button leaves (no keyboard)
    button.click()
    assert "presenting" in area.get_attribute("class").split()
    report.page.locator("#present-leave").click()
    assert "presenting" not in (area.get_attribute("class") or "").split()
    assert button.text_content() == "Present"


# --- the retreat view ------------------------------------------------------------------

def test_retreat_view_shows_no_individual_scores(open_report, demo_reports, demo_results):
    report = open_report(demo_reports["retreat"])
    assert report.page.locator("#size-select").count() == 0
    data = map_data(report)
    assert data["measures"] == []
    assert all("values" not in r and "roles" not in r for r in data["relations"])
    assert "id" not in data["nodes"]                         # no member ids in the page
    # members who did not consent are unlabelled dots; the others carry their names
    roster = demo_results.roster
    members = demo_results.wave.members
    consent = [bool(roster.at[m, "consent"]) for m in members]
    assert 0 < consent.count(False) < len(consent)
    # nodes are listed by position, not roster order: the labels drawn are exactly the
    # consenting members' names, and every other node is an unlabelled dot
    drawn = nodes(report)
    consenting = sorted(str(roster.at[m, "name"]) for m, ok in zip(members, consent,
                                                                   strict=True) if ok)
    assert sorted(n["label"] for n in drawn if n["label"] is not None) == consenting
    assert {n["shape"] for n in drawn if n["label"] is None} == {"dot"}
    # the names of members who did not consent are nowhere on the page
    text = demo_reports["retreat"].read_text(encoding="utf-8")
    for member, ok in zip(members, consent, strict=True):
        if not ok:
            assert str(roster.at[member, "name"]) not in text
    # clicking a member or finding one opens no card
    spot = clickable_member(report)
    report.page.mouse.click(spot["x"], spot["y"])
    named = members[consent.index(True)]
    report.page.fill("#search-input", str(roster.at[named, "name"]))
    report.page.press("#search-input", "Enter")
    assert report.page.text_content("#map-status") == f"Found {roster.at[named, 'name']}."
    assert report.page.is_hidden("#card")
    # a hidden member cannot be found by name
    hidden = members[consent.index(False)]
    report.page.fill("#search-input", str(roster.at[hidden, "name"]))
    report.page.press("#search-input", "Enter")
    assert "No member matches" in report.page.text_content("#map-status")
    # no worklist of names, no score table of members
    assert report.page.text_content("#worklist-title") == "Connections"
    assert report.page.locator("#introductions").count() == 0
