"""Screenshots of the example's network map in both views (a script, not a test).

Run from the repository root::

    python tests/report/make_map_visuals.py [--out visuals/after] [--width 1400]

It analyses the bundled example study exactly as ``cpower demo`` does (the study's own
seed), writes both reports to a temporary folder, opens each offline in headless Debian
Chromium (``/usr/bin/chromium``; every request that is not ``file://`` is aborted) at
``--width`` px and saves the "Network maps" section as it first opens (default zoom):

* ``<out>/map-evaluator.png``: the evaluator's map;
* ``<out>/map-retreat.png``: the retreat view's map (large names, only consenting members
  named).

``visuals/before/`` holds the same pictures taken before the maps were made readable
(issue 15). Page errors or requests off the machine stop the script with an error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_visuals import (  # the shared offline page and browser settings
    ROOT,
    close_checked,
    open_offline,
    shoot_example,
)


def shoot(browser, report: Path, target: Path, *, width: int) -> None:
    """Save the map section of ``report`` as ``target``."""
    context, page, problems = open_offline(browser, report, width=width, height=1000,
                                           settle_ms=400)
    target.parent.mkdir(parents=True, exist_ok=True)
    page.locator("#maps").screenshot(path=str(target))
    close_checked(context, report, problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "visuals" / "after")
    parser.add_argument("--width", type=int, default=1400)
    args = parser.parse_args(argv)
    shoot_example(shoot, args.out, name="map-{}.png", width=args.width)
    return 0


if __name__ == "__main__":
    sys.exit(main())
