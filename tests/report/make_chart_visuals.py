"""Screenshots of the report's charts and tables, for checking them by eye (a script, not a
test).

Run from the repository root::

    python tests/report/make_chart_visuals.py --out visuals/after

It analyses the bundled example study with seed 1 (as the browser tests do), writes the
evaluator and retreat reports and the comparison of its waves, opens each offline in
headless Debian Chromium (``/usr/bin/chromium``; every request that is not ``file://`` is
aborted) and saves element screenshots:

* ``heatmap.png`` / ``heatmap-retreat.png``: the silo figures down to the heat map (1400 px);
* ``trend.png`` / ``trend-retreat.png``: the comparison's trend chart (1400 px);
* ``decisions-retreat.png``: the retreat view's decisions tables (1280 px);
* ``decisions.png``: the evaluator's decisions tables (1400 px);
* ``parity.png`` / ``parity-retreat.png``: the power section's parity bar chart (1400 px);
* ``decision-parity.png``: the decision-influence parity chart (1400 px).

Page errors or requests off the machine stop the script with an error.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_visuals import CHROMIUM, CHROMIUM_ARGS, close_checked, open_offline  # noqa: E402

#: (file name, report, viewport width, CSS selector of what to shoot[, of where to stop])
SHOTS = (
    ("heatmap.png", "report-evaluator", 1400, "#silos .tab-panel:not([hidden]) .figures",
     "#silos .tab-panel:not([hidden]) figure"),
    ("heatmap-retreat.png", "report-retreat", 1400,
     "#silos .tab-panel:not([hidden]) .figures", "#silos .tab-panel:not([hidden]) figure"),
    ("parity.png", "report-evaluator", 1400, "#power .tab-panel:not([hidden]) figure"),
    ("parity-retreat.png", "report-retreat", 1400, "#power .tab-panel:not([hidden]) figure"),
    ("decision-parity.png", "report-evaluator", 1400, "#power > figure"),
    ("decisions.png", "report-evaluator", 1400, "#decisions"),
    ("decisions-retreat.png", "report-retreat", 1280, "#decisions"),
    ("trend.png", "compare-evaluator", 1400, "#redistribution figure"),
    ("trend-retreat.png", "compare-retreat", 1400, "#redistribution figure"),
)


def shoot(browser, report: Path, target: Path, *, width: int, selector: str,
          until: str = "") -> None:
    """Save the element ``selector`` of ``report`` (down to the bottom of ``until``) as
    ``target``."""
    context, page, problems = open_offline(browser, report, width=width, height=900)
    target.parent.mkdir(parents=True, exist_ok=True)
    if until:
        first = page.locator(selector).first.bounding_box()
        last = page.locator(until).first.bounding_box()
        page.screenshot(path=str(target), full_page=True, clip={
            "x": first["x"], "y": first["y"], "width": first["width"],
            "height": last["y"] + last["height"] - first["y"]})
    else:
        page.locator(selector).first.screenshot(path=str(target))
    close_checked(context, report, problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "visuals" / "after")
    parser.add_argument("--reports", type=Path, default=None,
                        help="a folder that already holds the four reports")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    import cpower_network as cp

    with tempfile.TemporaryDirectory(prefix="cpower-visuals-") as scratch, \
            sync_playwright() as playwright:
        folder = args.reports or Path(scratch)
        if args.reports is None:
            study = cp.load_study(cp.example_study_path())
            results = cp.analyze(study, seed=1)
            comparison = cp.compare(study, seed=1, permutations=1000)
            for audience in ("evaluator", "retreat"):
                results.to_html(folder / f"report-{audience}.html", audience=audience)
                comparison.to_html(folder / f"compare-{audience}.html", audience=audience)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, report, width, *selectors in SHOTS:
            target = args.out / name
            shoot(browser, folder / f"{report}.html", target, width=width,
                  selector=selectors[0], until=selectors[1] if len(selectors) > 1 else "")
            print(f"wrote {target}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
