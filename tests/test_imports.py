"""Commands import only what they need: `cpower --help` and every command's `--help` load
no numerical library (numpy, pandas, networkx, igraph, scipy), no template engine and no
spreadsheet reader; the package's public names are loaded on first use.

Checked in a fresh interpreter (a subprocess), since this test session has imported
everything already. Speed itself is measured in tests/benchmarks/, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("numpy", "pandas", "networkx", "igraph", "scipy", "jinja2", "openpyxl",
         "rapidfuzz", "sklearn", "community")

PROBE = """
import json, sys
from cpower_network.cli import main
try:
    main({args!r})
except SystemExit:
    pass
print(json.dumps([m for m in {heavy!r} if m in sys.modules]))
"""


def loaded_after(args: list[str]) -> list[str]:
    code = PROBE.format(args=args, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["analyze", "--help"],
                                  ["weave", "--help"], ["export", "--help"],
                                  ["compare", "--help"], ["validate", "--help"]])
def test_help_loads_no_heavy_library(args):
    assert loaded_after(args) == []


def test_public_names_load_on_first_use():
    code = ("import sys, cpower_network as cp; before = 'pandas' in sys.modules; "
            "cp.load_study; print(before, 'pandas' in sys.modules, "
            "'load_study' in dir(cp))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["False", "True", "True"]
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        import cpower_network

        cpower_network.nope  # noqa: B018
