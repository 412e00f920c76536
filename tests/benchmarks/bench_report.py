"""How fast the interactive report is written and how fast it opens, at coalition scale.

Run::

    python tests/benchmarks/bench_report.py [--sizes 70,1300,15000] [--seed 0]
                                            [--keep DIR] [--json]

For each size a synthetic coalition (:mod:`coalition`, seeded) is written to disk as a
real study: ``roster.csv``, one long-format survey export (``respondent, alter,
relation, answer``, three relations) and a ``cpower.toml`` with a ``long`` question.
The script then times, in this process:

* ``load``: :func:`cpower_network.load_study` (reading and validating the files);
* ``analysis``: :func:`cpower_network.analyze`;
* ``render``: ``results.to_html`` (evaluator view), and the report's size in MB;

and, in headless Debian Chromium (``/usr/bin/chromium`` through Playwright, every request
that is not ``file://`` aborted):

* ``loaded``: navigation start to the ``load`` event;
* ``map ready``: navigation start to ``#map[data-ready=true]`` (the map has drawn and the
  page answers: the time includes one round trip to the page after it drew). Above
  3,000 members the report opens on the silo-level map;
* ``member map``: at 1,300 and more members, the time to switch to the full member map
  (from the silo view: the view toggle; when the report already opened on the member map,
  the toggle back from the silo view, which redraws every member and tie);
* ``relation``: the time to switch the member map to the next relation.

Targets: at 1,300 members the report opens and its map is interactive within 3 s; at
15,000 members it still opens. A table is printed at the end; ``--json`` prints rows.

Not collected by pytest (no ``test_`` prefix); importing it does nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CPOWER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
RELATIONS = ("collaborate", "trust", "advice")

TOML = """\
[study]
name = "Synthetic coalition of {n} members"
seed = {seed}

[roster]
file = "roster.csv"
organisation = "organisation"
role = "role"

[focus_groups]
lived_experience = {{ column = "lived_experience", label = "Lived experience" }}
grassroots = {{ column = "grassroots", label = "Grassroots" }}

[scales]
frequency = {{ "A few times a year" = 1, "Monthly" = 2, "Weekly" = 3 }}
trust = {{ "Not at all" = 1, "A little" = 2, "Somewhat" = 3, "A lot" = 4, "Completely" = 5 }}

[relations.collaborate]
label = "Work together"
scale = "frequency"
symmetric = true
strong = 2

[relations.trust]
label = "Trust"
scale = "trust"
strong = 4

[relations.advice]
label = "Go to for advice"
scale = "frequency"             # the generator answers 1-3, like collaborate

[waves.w1]
label = "Wave 1"

[[waves.w1.surveys]]
file = "ties.csv"
platform = "plain"
respondent = "respondent"

[[waves.w1.surveys.questions]]
shape = "long"
relation_column = "relation"
alter = "alter"
value = "answer"
"""


def write_study(folder: Path, n: int, *, seed: int = 0) -> Path:
    """Write a synthetic ``n``-member coalition as a study folder; return the folder."""
    if str(HERE) not in sys.path:
        sys.path.insert(0, str(HERE))
    from coalition import generate_coalition

    roster, ties = generate_coalition(n, seed=seed, relations=RELATIONS)
    folder.mkdir(parents=True, exist_ok=True)
    out = roster.reset_index()
    for flag in ("lived_experience", "grassroots"):
        out[flag] = out[flag].map({True: "yes", False: "no"})
    out.to_csv(folder / "roster.csv", index=False)
    answers = ties[["respondent", "alter", "relation", "value"]].rename(
        columns={"value": "answer"})
    answers.to_csv(folder / "ties.csv", index=False)
    (folder / "cpower.toml").write_text(TOML.format(n=n, seed=seed), encoding="utf-8")
    return folder


def time_python(folder: Path, report: Path, *, seed: int) -> dict[str, Any]:
    """Load, analyse and render in this process; seconds and MB."""
    import cpower_network as cp

    start = time.perf_counter()
    study = cp.load_study(folder)
    loaded = time.perf_counter()
    results = cp.analyze(study, seed=seed)
    analysed = time.perf_counter()
    results.to_html(report)
    rendered = time.perf_counter()
    ties = sum(r.graph.number_of_edges() for r in results.wave.relations.values())
    return {"members": len(results.wave.members), "ties": ties,
            "load_s": loaded - start, "analysis_s": analysed - loaded,
            "render_s": rendered - analysed, "size_mb": report.stat().st_size / 1e6}


#: Records, in the page's clock, when the map's attributes change.
WATCH = """
window.__cpowerTimes = {};
new MutationObserver(function (changes) {
  changes.forEach(function (c) {
    var value = c.target.getAttribute(c.attributeName);
    var key = c.attributeName + "=" + value;
    if (!(key in window.__cpowerTimes)) { window.__cpowerTimes[key] = performance.now(); }
    window.__cpowerTimes.last = performance.now();
  });
}).observe(document, { attributes: true, subtree: true,
                       attributeFilter: ["data-ready", "data-view", "data-relation"] });
"""


def time_browser(browser, report: Path, *, timeout_s: float = 300) -> dict[str, Any]:
    """Open the report offline and time the load, the first map and the switches."""
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.add_init_script(WATCH)
    ms = timeout_s * 1000
    start = time.perf_counter()
    page.goto(report.as_uri(), wait_until="load", timeout=ms)
    page.wait_for_selector("#map[data-ready=true]", state="attached", timeout=ms)
    page.evaluate("1")                              # the page answers: it is interactive
    wall = time.perf_counter() - start
    timing = page.evaluate("""() => {
        const nav = performance.getEntriesByType("navigation")[0];
        return {loaded: nav.loadEventEnd, ready: window.__cpowerTimes["data-ready=true"],
                view: document.getElementById("map").getAttribute("data-view"),
                nodes: window.cpowerReport.network().body.data.nodes.length}; }""")
    row: dict[str, Any] = {"loaded_s": timing["loaded"] / 1000,
                           "ready_s": timing["ready"] / 1000, "ready_wall_s": wall,
                           "opens_on": timing["view"]}
    if timing["view"] == "members":
        _switch(page, "silos", ms)
    row["member_map_s"] = _switch(page, "members", ms)
    row["member_nodes"] = page.evaluate("window.cpowerReport.network().body.data.nodes.length")
    row["relation_s"] = _switch_relation(page, ms)
    row["errors"] = errors
    row["outside_requests"] = outside
    context.close()
    return row


def _switch(page, view: str, ms: float) -> float:
    """Seconds from clicking the view toggle until the map shows ``view`` and answers."""
    page.evaluate("window.__cpowerTimes = {}")
    started = page.evaluate("""() => { const t = performance.now();
        document.getElementById("view-toggle").click(); return t; }""")
    page.wait_for_selector(f"#map[data-view={view}]", state="attached", timeout=ms)
    page.evaluate("1")
    done = page.evaluate("performance.now()")
    return (done - started) / 1000


def _switch_relation(page, ms: float) -> float:
    """Seconds to redraw the member map with the next relation."""
    key = page.evaluate("""() => { const s = document.getElementById("relation-select");
        s.selectedIndex = (s.selectedIndex + 1) % s.options.length;
        window.__t0 = performance.now();
        s.dispatchEvent(new Event("change"));
        return JSON.parse(document.getElementById("cpower-map").textContent)
            .relations[s.selectedIndex].key; }""")
    page.wait_for_selector(f"#map[data-relation={key}]", state="attached", timeout=ms)
    page.evaluate("1")
    return page.evaluate("(performance.now() - window.__t0) / 1000")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="70,1300,15000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="Keep the studies and reports here.")
    parser.add_argument("--json", action="store_true", help="Print the rows as JSON.")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory(prefix="cpower-bench-") as scratch:
        root = args.keep or Path(scratch)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for n in sizes:
                folder = write_study(root / f"coalition-{n}", n, seed=args.seed)
                report = folder / "report.html"
                row = {"n": n, **time_python(folder, report, seed=args.seed)}
                print(f"… {n} members: analysed and rendered", file=sys.stderr)
                row.update(time_browser(browser, report))
                print(f"… {n} members: opened in Chromium", file=sys.stderr)
                rows.append(row)
            browser.close()
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    head = ("members", "ties", "load s", "analysis s", "render s", "MB", "loaded s",
            "map ready s", "opens on", "member map s", "relation s")
    print(" | ".join(head))
    print(" | ".join("---" for _ in head))
    for r in rows:
        print(" | ".join([f"{r['n']:,}", f"{r['ties']:,}", f"{r['load_s']:.2f}",
                          f"{r['analysis_s']:.2f}", f"{r['render_s']:.2f}",
                          f"{r['size_mb']:.1f}", f"{r['loaded_s']:.2f}",
                          f"{r['ready_s']:.2f}", r["opens_on"],
                          f"{r['member_map_s']:.2f}", f"{r['relation_s']:.2f}"]))
    problems = [(r["n"], r["errors"], r["outside_requests"]) for r in rows
                if r["errors"] or r["outside_requests"]]
    for n, errors, outside in problems:
        print(f"{n} members: page errors {errors}, requests outside file:// {outside}")
    slow = [r for r in rows if 1000 <= r["n"] <= 1300 and r["ready_s"] > 3.0]
    for r in slow:
        print(f"target missed: {r['n']} members took {r['ready_s']:.2f} s to an "
              f"interactive map (target 3 s)")
    return 1 if problems or slow else 0


if __name__ == "__main__":
    sys.exit(main())
