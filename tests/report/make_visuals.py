"""Screenshots of the demo report for the README and the gallery (a script, not a test).

Run from the repository root::

    python tests/report/make_visuals.py [--out visuals] [--width 1300]

It analyses the bundled example study exactly as ``cpower demo`` does (the study's own
seed), writes both reports to a temporary folder, opens each offline in headless Debian
Chromium (``/usr/bin/chromium``; every request that is not ``file://`` is aborted) and
saves the page from the top through the network map:

* ``visuals/report-evaluator.png``: header, scorecard, findings and the member map;
* ``visuals/report-retreat.png``: the same for the retreat view (large type, only
  consenting members named).

Page errors or requests off the machine stop the script with an error.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
AUDIENCES = ("evaluator", "retreat")


def open_offline(browser, report: Path, *, width: int, height: int, settle_ms: int = 0,
                 ready: str | None = "#map[data-ready=true]"):
    """Open ``report`` in a fresh context, every request but file:// aborted, and wait for
    ``ready`` (its map; ``None``: the load event only); returns ``(context, page,
    problems)`` (requests out, page and console errors)."""
    context = browser.new_context(viewport={"width": width, "height": height},
                                  device_scale_factor=1)
    problems: list[str] = []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            problems.append(f"request outside file://: {r.request.url}")
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("console", lambda m: problems.append(f"console: {m.text}")
            if m.type == "error" else None)
    page.goto(report.as_uri())
    if ready:
        page.wait_for_selector(ready, state="attached", timeout=30_000)
    page.wait_for_timeout(settle_ms)               # let the canvas settle after fit()
    return context, page, problems


def close_checked(context, report: Path, problems: list[str]) -> None:
    """Close the context; stop with the problems the page met, if any."""
    context.close()
    if problems:
        raise SystemExit(f"{report.name}: " + "; ".join(problems))


def shoot(browser, report: Path, target: Path, *, width: int) -> None:
    """Save the page from its top to the end of the map section as ``target``."""
    context, page, problems = open_offline(browser, report, width=width, height=900,
                                           settle_ms=300)
    bottom = page.evaluate("document.getElementById('maps').getBoundingClientRect().bottom"
                           " + window.scrollY")
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True,
                    clip={"x": 0, "y": 0, "width": width, "height": bottom})
    close_checked(context, report, problems)


def shoot_example(shoot_one, out: Path, *, name: str, width: int) -> None:
    """Analyse the example as ``cpower demo`` does and save ``shoot_one(browser, report,
    target, width=…)`` of each audience's report as ``out / name.format(audience)``."""
    from playwright.sync_api import sync_playwright

    import cpower_network as cp

    results = cp.analyze(cp.load_study(cp.example_study_path()))
    with tempfile.TemporaryDirectory(prefix="cpower-visuals-") as scratch, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for audience in AUDIENCES:
            report = results.to_html(Path(scratch) / f"report-{audience}.html",
                                     audience=audience)
            target = out / name.format(audience)
            shoot_one(browser, report, target, width=width)
            print(f"wrote {target}")
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "visuals")
    parser.add_argument("--width", type=int, default=1300)
    args = parser.parse_args(argv)
    shoot_example(shoot, args.out, name="report-{}.png", width=args.width)
    return 0


if __name__ == "__main__":
    sys.exit(main())
