"""Names are data, never markup: a study whose names, organisations, silos and labels are
script tags, event handlers, quotes, template syntax, line separators, emoji and
right-to-left text (``hostile_study`` in conftest.py) gives reports that show every one
of them as literal text, in the file's bytes and in the browser.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from markupsafe import escape

import cpower_network as cp
from cpower_network.config.groups import SUPPRESS_GROUP
from cpower_network.report.maps import map_privacy

AUDIENCES = ("evaluator", "retreat")
JSON_BLOCK = re.compile(r'<script type="application/json" id="cpower-map">(.*?)</script>',
                        re.S)
SCRIPT_BLOCK = re.compile(r"<script>(.*?)</script>", re.S)
#: A hostile name as the evaluator's tables show it (jinja2's escaping).
QUOTE_ESCAPED = "Dan &#34;The Quote&#34; O&#39;Brien &lt;/script&gt;"
#: Hostile markup that must appear nowhere in a report's bytes, scripts included.
NOWHERE = ("<script>window.__pwned", "<img src=x", "</script><script>", "<b>parents",
           "<i>together", "<experience>")


class Elements(HTMLParser):
    """Every element and attribute of a document, as a browser's tokenizer sees them
    (script contents are raw text up to ``</script``)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [name for name, _value in attrs]


@pytest.fixture(scope="module")
def hostile_results(hostile_study):
    # the hostile study names one stranger on purpose: analyse what is left
    return cp.analyze(cp.load_study(hostile_study), seed=1, allow_problems=True)


@pytest.fixture(scope="module")
def hostile_reports(hostile_results, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-report")
    return {a: hostile_results.to_html(folder / f"{a}.html", audience=a) for a in AUDIENCES}


def test_the_study_really_is_hostile(hostile_results, hostile):
    """The strings arrive intact through ingestion (else the other tests prove little)."""
    names = set(hostile_results.roster["name"])
    assert set(hostile.NAMES) <= names
    assert set(hostile.SILOS) == set(hostile_results.roster["silo"])
    assert hostile_results.study.name == hostile.STUDY_NAME
    assert hostile_results.wave.relations["collaborate"].label == hostile.RELATION_LABEL
    assert all(r.graph.number_of_edges() > 10 for r in hostile_results.wave.relations.values())


@pytest.mark.parametrize("audience", AUDIENCES)
def test_bytes_hold_no_live_markup(hostile_reports, hostile_results, hostile, audience):
    html = hostile_reports[audience].read_text(encoding="utf-8")
    blocks = JSON_BLOCK.findall(html)
    assert len(blocks) == 1
    block = blocks[0]
    # the JSON block cannot close its script or start markup: < > & are \u-escaped
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in block
    assert "\\u003cscript\\u003ewindow.__pwned=1\\u003c/script\\u003e" in block
    # ... and reads back to the exact strings
    data = json.loads(block)
    roster = hostile_results.roster
    members = hostile_results.wave.members
    consent = [bool(roster.at[m, "consent"]) for m in members]
    if audience == "evaluator":
        expected = [str(roster.at[m, "name"]) for m in members]
        assert data["nodes"]["label"] == expected
        assert [s["name"] for s in data["silos"]] == sorted(hostile.SILOS)
        assert data["focus_groups"][0]["label"] == hostile.GROUP_LABEL
    else:  # by position, small silos pooled, lone non-consenting members left off
        privacy = map_privacy(roster, members, audience, SUPPRESS_GROUP)
        named = sorted(str(roster.at[m, "name"]) for m, ok in zip(members, consent,
                       strict=True) if ok and m not in privacy.left_off)
        assert sorted(x for x in data["nodes"]["label"] if x is not None) == named
        assert {s["name"] for s in data["silos"]} <= set(hostile.SILOS) | {"Other silos"}
    assert data["relations"][0]["label"] == hostile.RELATION_LABEL
    # the document's structure is ours: three scripts (data, vis-network, ours), no
    # images or frames, no event-handler attributes, no markup from the names
    elements = Elements(html)
    assert elements.tags.count("script") == 3
    assert not {"img", "iframe", "object", "embed", "b", "i"} & set(elements.tags)
    assert not [a for a in elements.attributes if a.startswith("on")]
    assert len(SCRIPT_BLOCK.findall(html)) == 2
    for bad in NOWHERE:
        assert bad.casefold() not in html.casefold(), bad
    # escaped where shown as text: the title, the heading, the silo tables
    assert f"<title>{escape(hostile.STUDY_NAME)}: how power is shared</title>" in html
    assert "&lt;script&gt;window.__pwned=&#39;study&#39;&lt;/script&gt;" in html
    assert "&lt;b&gt;Parents&lt;/b&gt; &amp; &#34;Co&#34;" in html
    assert "{{7*7}} Providers" in html                     # template syntax stays literal
    assert "حي الشمال 🏘" in html
    if audience == "evaluator":
        # the typed name nobody has is listed for the evaluator, as text
        assert "&lt;img src=x onerror=alert(1)&gt; Stranger" in html
        for name in (QUOTE_ESCAPED, "🌻 Ana 👩🏽‍🌾 Ruiz", "مريم الحسيني"):
            assert name in html



def _member_spots(report) -> list[dict]:
    """Page coordinates of every member dot that no other dot (nor the card's corner)
    covers."""
    report.page.locator("#map").scroll_into_view_if_needed()
    return report.js("""() => {
        const net = window.cpowerReport.network();
        const box = document.querySelector("#map canvas").getBoundingClientRect();
        return net.body.data.nodes.getIds().map(id => {
          const p = net.canvasToDOM(net.getPosition(id));
          return {id: id, x: box.left + p.x, y: box.top + p.y,
                  free: net.getNodeAt(p) === id && p.x > 15 && p.y > 15 &&
                        p.x < box.width - 340 && p.y < box.height - 15};
        }).filter(s => s.free);
    }""")


def _assert_inert(report) -> None:
    assert report.js("typeof window.__pwned") == "undefined"
    assert report.js("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert report.js("document.querySelectorAll('[onerror], [onload]').length") == 0
    assert report.js("document.scripts.length") == 3
    assert report.js("document.querySelectorAll('b, i').length") == 0


@pytest.mark.browser
def test_evaluator_view_shows_hostile_names_as_text(open_report, hostile_reports,
                                                    hostile_results, hostile):
    report = open_report(hostile_reports["evaluator"])
    page = report.page
    roster = hostile_results.roster
    members = hostile_results.wave.members
    # hover: the tooltip holds the literal name
    hovered = 0
    for spot in _member_spots(report):
        page.mouse.move(spot["x"], spot["y"])
        tip = page.locator("div.vis-tooltip")
        tip.wait_for(state="visible")
        name = str(roster.at[members[spot["id"]], "name"])
        report.wait_until("(name) => document.querySelector('div.vis-tooltip')"
                          ".textContent.startsWith(name)", name)
        hovered += 1
        page.mouse.move(5, 5)
    assert hovered >= 5
    # click members: their cards show their names, and their contacts' names, as text
    for spot in _member_spots(report)[:3]:
        page.mouse.click(spot["x"], spot["y"])
        report.wait_until(f"document.getElementById('card').getAttribute('data-member') "
                          f"=== '{spot['id']}'")
        name = str(roster.at[members[spot["id"]], "name"])
        assert page.text_content("#card h3") == name
        contacts = hostile_results.wave.relations["collaborate"].graph.successors(
            members[spot["id"]])
        for contact in contacts:
            assert str(roster.at[contact, "name"]) in page.text_content("#card")
    # search each hostile name: the card shows it literally
    for name in hostile.NAMES:
        page.fill("#search-input", name)
        page.press("#search-input", "Enter")
        card = page.locator("#card")
        card.wait_for(state="visible")
        assert card.locator("h3").text_content() == name
        assert page.text_content("#map-status") == f"Found {name}."
    page.fill("#search-input", hostile.IMG)
    page.press("#search-input", "Enter")
    assert hostile.IMG in page.text_content("#card")
    assert 'onerror="window.__pwned=1"' in page.text_content("#card h3")
    # legend and silo filter show the silo names literally
    legend = page.text_content("#legend")
    filters = page.text_content("#silo-filter")
    for silo in hostile.SILOS:
        assert silo in legend and silo in filters
    assert hostile.GROUP_LABEL in legend
    # hide a silo named with a script tag, then show it again
    silo = sorted(hostile.SILOS).index(hostile.SILO_SCRIPT)
    box = page.locator(f"#silo-filter input[value='{silo}']")
    box.uncheck()
    box.check()
    page.select_option("#focus-select", "lived_experience")
    page.click("#view-toggle")
    page.wait_for_selector("#map[data-view=silos]", state="attached")
    page.click("#view-toggle")
    page.wait_for_selector("#map[data-view=members]", state="attached")
    page.locator(".tabs[data-tabs=silos] button").nth(1).click()
    page.locator("table.sortable thead th:visible").first.click()
    assert hostile.RELATION_LABEL in page.text_content("#relation-select")
    assert page.title() == f"{hostile.STUDY_NAME}: how power is shared"
    _assert_inert(report)


@pytest.mark.browser
def test_retreat_view_shows_consenting_hostile_names_as_text(open_report, hostile_reports,
                                                             hostile_results, hostile):
    report = open_report(hostile_reports["retreat"])
    page = report.page
    roster = hostile_results.roster
    named = [str(roster.at[m, "name"]) for m in hostile_results.wave.members
             if roster.at[m, "consent"]]
    hidden = [str(roster.at[m, "name"]) for m in hostile_results.wave.members
              if not roster.at[m, "consent"]]
    assert hostile.SCRIPT in named and hostile.IMG in hidden
    for spot in _member_spots(report)[:4]:
        page.mouse.move(spot["x"], spot["y"])
        page.locator("div.vis-tooltip").wait_for(state="visible")
        page.mouse.move(5, 5)
    for name in named[:4]:
        page.fill("#search-input", name)
        page.press("#search-input", "Enter")
        assert page.text_content("#map-status") == f"Found {name}."
    page.fill("#search-input", hostile.IMG)
    page.press("#search-input", "Enter")
    assert "No member matches" in page.text_content("#map-status")
    assert page.is_hidden("#card")
    page.click("#present-button")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Escape")
    _assert_inert(report)
