"""A room can read the report's charts and tables.

In a real browser (headless Chromium, offline, as in ``test_browser.py``), in the
example's evaluator and retreat reports, its comparison report, the hostile study's
report and a page of charts drawn from hard cases (long, many, close and hostile
labels):

* no chart text is clipped: every ``<text>``'s box lies inside its chart's viewport
  (the SVG's ``viewBox``, which the page draws at its own aspect ratio);
* no two texts of a chart overlap, and no text sits on a dashed reference line;
* the retreat view's decisions tables fit the page at 1280 and 1024 px without a
  horizontal scroll, with whose input shaped each decision first; every table of the
  retreat report and of the retreat comparison fits 1280 px.

Besides, fast checks of the layout helpers the charts rely on (text widths, wrapping,
moving direct labels apart).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cpower_network as cp
from cpower_network.report import chart_text, charts

AUDIENCES = ("evaluator", "retreat")
in_browser = pytest.mark.browser

#: Every chart of the page, every tab and fold open: its viewBox, the size the page
#: draws it at, its texts' and its dashed lines' boxes, relative to the chart's box.
CHART_BOXES = """() => {
  document.querySelectorAll(".tab-panel").forEach(p => { p.hidden = false; });
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  return Array.from(document.querySelectorAll("svg.chart")).map(svg => {
    const box = svg.getBoundingClientRect();
    const relative = r => ({left: r.left - box.left, top: r.top - box.top,
                            right: r.right - box.left, bottom: r.bottom - box.top});
    const dashed = Array.from(svg.querySelectorAll("line[stroke-dasharray]"))
      .filter(l => l.x1.baseVal.value === l.x2.baseVal.value
                   || l.y1.baseVal.value === l.y2.baseVal.value)
      .map(l => relative(l.getBoundingClientRect()));
    return {title: svg.querySelector("title").textContent,
            viewBox: [svg.viewBox.baseVal.width, svg.viewBox.baseVal.height],
            width: box.width, height: box.height, dashed: dashed,
            texts: Array.from(svg.querySelectorAll("text")).map(t => ({
              text: t.textContent, ...relative(t.getBoundingClientRect())}))};
  });
}"""

SLACK = 0.5   # CSS px: rounding of glyph boxes


def chart_problems(charts_found: list[dict]) -> list[str]:
    """What is wrong with the charts' text: clipped, overlapping, on a dashed line."""
    problems = []
    for chart in charts_found:
        name = chart["title"]
        w, h = chart["width"], chart["height"]
        vw, vh = chart["viewBox"]
        if abs(w / h - vw / vh) > 0.01:
            problems.append(f"{name}: drawn {w:.0f}×{h:.0f}, viewBox {vw}×{vh}")
        texts = chart["texts"]
        for t in texts:
            if t["right"] - t["left"] <= 0:
                problems.append(f"{name}: {t['text']!r} is not drawn")
            elif (t["left"] < -SLACK or t["top"] < -SLACK or t["right"] > w + SLACK
                  or t["bottom"] > h + SLACK):
                problems.append(f"{name}: {t['text']!r} is clipped: {_box(t)} outside "
                                f"0 0 {w:.1f} {h:.1f}")
        for i, a in enumerate(texts):
            for b in texts[i + 1:]:
                if _overlap(a, b):
                    problems.append(f"{name}: {a['text']!r} {_box(a)} overlaps "
                                    f"{b['text']!r} {_box(b)}")
            for line in chart["dashed"]:
                if _overlap(a, {k: v + (SLACK if k in ("right", "bottom") else -SLACK)
                                for k, v in line.items()}):
                    problems.append(f"{name}: {a['text']!r} {_box(a)} sits on the dashed "
                                    f"line {_box(line)}")
    return problems


def _overlap(a: dict, b: dict) -> bool:
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]) > SLACK
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > SLACK)


def _box(r: dict) -> str:
    return f"[{r['left']:.1f}, {r['top']:.1f}, {r['right']:.1f}, {r['bottom']:.1f}]"


def assert_readable(charts_found: list[dict], expected: int) -> None:
    assert len(charts_found) == expected, [c["title"] for c in charts_found]
    assert sum(len(c["texts"]) for c in charts_found) > 10 * expected
    assert chart_problems(charts_found) == []


# --- the reports ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def compare_reports(tmp_path_factory) -> dict[str, Path]:
    """The example's comparison, both audiences (no permutation tests: the charts are
    the same, and the tests take time)."""
    comparison = cp.compare(cp.load_study(cp.example_study_path()), seed=1, permutations=0)
    folder = tmp_path_factory.mktemp("compare-charts")
    return {a: comparison.to_html(folder / f"compare-{a}.html", audience=a)
            for a in AUDIENCES}


@pytest.fixture(scope="module")
def hostile_reports(hostile_study, tmp_path_factory) -> dict[str, Path]:
    results = cp.analyze(cp.load_study(hostile_study), seed=1, allow_problems=True)
    folder = tmp_path_factory.mktemp("hostile-charts")
    return {a: results.to_html(folder / f"{a}.html", audience=a) for a in AUDIENCES}


@in_browser
@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_chart_text_of_the_example_is_clipped_or_overlaps(open_report, demo_reports,
                                                             demo_results, audience):
    report = open_report(demo_reports[audience], width=1280)
    found = report.js(CHART_BOXES)
    relations = len(demo_results.wave.relations)
    # a heat map and a parity chart per relation, and the decision-influence chart
    assert_readable(found, 2 * relations + 1)
    titles = [c["title"] for c in found]
    assert "Decision influence against membership" in titles
    heat_map = next(c for c in found if "tie density" in c["title"])
    # the column headers whole, wrapped onto lines (tspans, whose text joins without spaces)
    headers = [t["text"].replace(" ", "") for t in heat_map["texts"][:6]]
    assert "Parentswithlivedexperience" in headers and "Stateagencypartners" in headers


@in_browser
@pytest.mark.parametrize("audience", AUDIENCES)
def test_the_comparison_trend_chart_is_readable(open_report, compare_reports, audience):
    report = open_report(compare_reports[audience], width=1400)
    found = report.js(CHART_BOXES)
    assert_readable(found, 1)
    texts = [t["text"] for t in found[0]["texts"]]
    # a value axis with ticks, each focus group and the parity line named at their ends
    assert {"0", "0.25", "0.50", "0.75", "1.00"} <= set(texts)
    assert {"Parity: lived experience", "Parity: grassroots",
            "Gini of influence (per-decision shares)",
            "parity 1.0 (proportional share)"} <= set(texts)
    assert len(found[0]["dashed"]) >= 1


@in_browser
@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_chart_text_of_the_hostile_study_is_clipped_or_overlaps(open_report,
                                                                    hostile_reports,
                                                                    audience):
    report = open_report(hostile_reports[audience], width=1280)
    found = report.js(CHART_BOXES)
    assert len(found) >= 2
    assert chart_problems(found) == []


#: Every table of the page (every tab and fold open): whether it scrolls sideways.
TABLE_FITS = """(within) => {
  document.querySelectorAll(".tab-panel").forEach(p => { p.hidden = false; });
  document.querySelectorAll("details").forEach(d => { d.open = true; });
  const viewport = document.documentElement.clientWidth;
  return Array.from(document.querySelectorAll(within + " table")).map(t => ({
    table: (t.caption ? t.caption.textContent : t.querySelector("th").textContent),
    scroll: t.parentElement.scrollWidth, client: t.parentElement.clientWidth,
    right: t.getBoundingClientRect().right, viewport: viewport}));
}"""


def too_wide(tables: list[dict]) -> list[dict]:
    return [t for t in tables if t["scroll"] > t["client"] or t["right"] > t["viewport"]]


@in_browser
@pytest.mark.parametrize("width", [1280, 1024])
def test_the_retreat_decisions_tables_fit_the_page(open_report, demo_reports, width):
    report = open_report(demo_reports["retreat"], width=width)
    headers = report.js("""Array.from(document.querySelectorAll("#decisions-table thead th"))
                             .map(th => th.textContent)""")
    # whose input shaped each decision first: the figures the room discusses
    assert headers == ["Decision", "Shaped by: lived experience", "Shaped by: grassroots",
                       "Took part: all", "Took part: lived experience",
                       "Took part: grassroots"]
    tables = report.js(TABLE_FITS, "#decisions")
    assert len(tables) == 3
    assert too_wide(tables) == []


@in_browser
def test_every_retreat_table_fits_1280_px(open_report, demo_reports, compare_reports):
    for path in (demo_reports["retreat"], compare_reports["retreat"]):
        tables = open_report(path, width=1280).js(TABLE_FITS, "main")
        assert len(tables) >= 5
        assert too_wide(tables) == [], path.name


@in_browser
def test_the_heat_map_has_no_empty_band_above_it(open_report, demo_reports):
    report = open_report(demo_reports["retreat"], width=1400)
    gap = report.js("""() => {
      const figure = document.querySelector("#silos figure");
      const svg = figure.querySelector("svg");
      const top = Math.min(...Array.from(svg.querySelectorAll("text"))
                              .map(t => t.getBoundingClientRect().top));
      return {above: top - figure.previousElementSibling.getBoundingClientRect().bottom,
              inside: top - svg.getBoundingClientRect().top,
              header: svg.querySelector("rect").getBoundingClientRect().top - top};
    }""")
    assert gap["inside"] <= 8, gap      # the column headers start at the chart's top
    assert gap["above"] <= 45, gap      # the paragraph's and figure's margins only
    assert gap["header"] <= 90, gap     # three lines of 12-unit headers, not 150 px


# --- hard cases, drawn straight from the chart functions -------------------------------

LONG = "Parents and carers with lived experience of the child-care subsidy system"
HOSTILE = ["<b>Parents</b> & \"Co\"", "🌻 Ana 👩🏽‍🌾 Ruiz", "مريم الحسيني",
           "{{7*7}} Providers", "Line\u2028Break"]


def hard_charts() -> list[str]:
    silos = ["Child-care providers", "Funders", "Grassroots organisations",
             "Parents with lived experience", "Policy and research", "State agency partners",
             LONG, "Faith communities", "Employers and chambers of commerce", "Unions",
             *HOSTILE]
    upright = ["Kinderbetreuungseinrichtungen", "Elternbeiräte", "Jugendämter"]
    values = [[(i * 7 + j * 3) % 11 / 10 if (i + j) % 9 else float("nan")
               for j in range(len(silos))] for i in range(len(silos))]
    close = {f"Parity: {name.lower()}": [0.4 + k * 0.05, 0.7, 0.95 + k * 0.002]
             for k, name in enumerate(["Lived experience", "Grassroots", "Youth council",
                                       "Parents (n = 4, read with care)", *HOSTILE[:2]])}
    close["Gini of influence (per-decision shares)"] = [0.54, 0.5, 0.46]
    return [
        charts.heatmap(silos, silos, values, title="many silos"),
        charts.heatmap(silos[:3], silos[:3], values[:3], title="few silos",
                       directed=False),
        charts.heatmap(["A"], ["B"], [[0.5]], title="one silo"),
        charts.heatmap(upright, upright, values[:3], title="words too long to wrap"),
        charts.lines(["2023 (paper forms at the spring meeting)", "2024 (Qualtrics)",
                      "2025 (Google Forms)"], close, reference=1.0,
                     reference_label="parity 1.0 (proportional share)",
                     axis_label="Parity and Gini", title="close ends"),
        charts.lines([f"Wave {k}" for k in range(1, 9)],
                     {"Only": [0.1 * k for k in range(8)], "Gaps": [None, 2.0, None] * 2 + [
                         None, None]}, reference=1.0, title="many waves"),
        charts.lines(["2024"], {"Single": [0.3]}, title="one wave"),
        charts.grouped_bars(["Ties received", LONG, *HOSTILE],
                            {"Lived experience": [0.97, 1.01, 0.2, None, 0.99, 0.5, 0.02],
                             "Grassroots (n = 4, read with care)": [0.99, 0.96, 1.4, 0.9,
                                                                      0.0, 0.3, 0.97],
                             **{h: [0.5] * 7 for h in HOSTILE[:3]}},
                            reference=1.0, reference_label="parity 1.0", title="bars"),
        charts.grouped_bars(["Lived experience", "Grassroots"],
                            {"Share of influence": [0.29, 0.44],
                             "Share of members": [0.31, 0.46]},
                            value_format="{:.0%}", maximum=1.0, title="shares"),
        charts.grouped_bars(["Only"], {"One": [0.02]}, reference=0.02,
                            reference_label="low reference", title="short bar"),
    ]


@in_browser
@pytest.mark.parametrize("audience", AUDIENCES)
def test_hard_charts_are_readable(browser, tmp_path, audience):
    css = (Path(cp.__file__).parent / "report" / "assets" / "report.css").read_text(
        encoding="utf-8")
    page_file = tmp_path / "charts.html"
    page_file.write_text(
        f'<!DOCTYPE html><html lang="en" class="audience-{audience}"><head>'
        f'<meta charset="utf-8"><style>{css}</style></head><body><main>'
        + "".join(f"<figure>{svg}</figure>" for svg in hard_charts())
        + "</main></body></html>", encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []
    errors: list[str] = []
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file://")
                  else (outside.append(r.request.url), r.abort()))
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_file.as_uri())
    found = page.evaluate(CHART_BOXES)
    context.close()
    assert (outside, errors) == ([], [])
    assert len(found) == len(hard_charts())
    assert chart_problems(found) == []


# --- the layout helpers ----------------------------------------------------------------

def test_text_width_is_the_browsers_width_of_dejavu_sans():
    # measured in Chromium: canvas measureText of this label in 1000 px DejaVu Sans gives
    # 14737 (with kerning); the estimate may be a little wider, never narrower
    assert 14737 <= chart_text.text_width("Parents with lived experience", 1000) <= 14737 * 1.01
    assert chart_text.text_width("Ümlaut", 10) == chart_text.text_width("Umlaut", 10)
    assert chart_text.text_width("🌻", 10) >= 10                  # wide, never zero


def test_wrap_keeps_lines_within_their_room():
    lines = chart_text.wrap(LONG, 12, 150)
    assert " ".join(lines) == LONG
    assert all(chart_text.text_width(line, 12) <= 150 for line in lines)
    assert chart_text.wrap("Grassroots organisations", 12, 70) == ["Grassroots", "organisations"]


@given(st.lists(st.floats(0, 300, allow_nan=False), max_size=12),
       st.floats(5, 30), st.floats(0, 100))
def test_spread_labels_never_overlap_and_keep_their_order(wanted, gap, low):
    high = low + 250
    placed = chart_text.spread(wanted, gap, low, high)
    assert len(placed) == len(wanted)
    order = sorted(range(len(wanted)), key=lambda k: (wanted[k], k))
    ys = [placed[k] for k in order]
    assert all(b - a >= gap - 0.11 for a, b in itertools.pairwise(ys))
    if gap * (len(wanted) - 1) <= high - low:
        assert all(low - 0.06 <= y <= high + 0.06 for y in placed)


def test_a_bar_label_never_sits_on_the_reference_line():
    svg = str(charts.grouped_bars(["a", "b", "c"], {"x": [0.97, 0.5, 0.02]},
                                  reference=1.0, reference_label="parity", title="t"))
    assert 'text-anchor="end" fill="#fff" font-weight="600">0.97</text>' in svg  # inside
    assert ">0.50</text>" in svg and ">0.02</text>" in svg


def test_the_trend_chart_draws_the_parity_line_only_with_a_parity():
    gini_only = str(charts.lines(["2024", "2025"], {"Gini": [0.5, 0.4]}, title="t"))
    assert "stroke-dasharray" not in gini_only
    both = str(charts.lines(["2024", "2025"], {"Parity: a": [0.5, 0.9]}, reference=1.0,
                            reference_label="parity 1.0", title="t"))
    assert both.count("stroke-dasharray") >= 2 and ">parity 1.0</text>" in both
