"""Golden report: the demo report and its JSON are deterministic and do not change by
accident.

The bundled example study analysed with seed 1 gives, byte for byte, the same evaluator
report, retreat report and results JSON on every run and in every process (whatever
``PYTHONHASHSEED``), and the same as the files in ``tests/report/golden/``.

When a change to the report or the analysis is intended, rewrite the gold with one
command and review the diff like any other change::

    python -m pytest tests/report/test_golden.py --update-golden

What the golden files hold: the report exactly as written, except that

* the inlined vis-network library (467 kB of minified code, the same in every report) is
  replaced by one line naming its version and SHA-256, so the library is still pinned
  but the repository stays small and the diffs readable;
* the cpower version is written as ``VERSION`` (a release does not churn the gold).

The JSON is stored as written (apart from the version). Floating-point results come
from numpy, igraph and networkx: a new version of one of them may move a digit, which
this test reports, as it should; check the diff and update the gold.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import cpower_network as cp
from cpower_network.report import VIS_NETWORK_VERSION, asset

GOLDEN = Path(__file__).parent / "golden"
SEED = 1
AUDIENCES = ("evaluator", "retreat")
UPDATE = "python -m pytest tests/report/test_golden.py --update-golden"


def analyse() -> cp.Results:
    return cp.analyze(cp.load_study(cp.example_study_path()), seed=SEED)


def outputs(results: cp.Results, folder: Path) -> dict[str, bytes]:
    """The three files, as bytes: both reports and the JSON."""
    found = {f"report-{a}.html": results.to_html(folder / f"report-{a}.html",
                                                 audience=a).read_bytes()
             for a in AUDIENCES}
    found["results.json"] = results.to_json(folder / "results.json").read_bytes()
    return found


def normalise(name: str, content: bytes, version: str) -> str:
    """What the golden file of ``name`` holds (see the module docstring)."""
    text = content.decode("utf-8")
    if name.endswith(".html"):
        vis = asset("vis-network.min.js")
        digest = hashlib.sha256(vis.encode("utf-8")).hexdigest()
        assert text.count(f"<script>{vis}</script>") == 1
        text = text.replace(f"<script>{vis}</script>",
                            f"<script>/* vis-network {VIS_NETWORK_VERSION}, "
                            f"sha256 {digest} */</script>")
        assert text.count(f"cpower-network {version}") >= 3
        return text.replace(f"cpower-network {version}", "cpower-network VERSION")
    assert json.loads(text)["cpower_version"] == version
    return text.replace(f'"cpower_version": "{version}"', '"cpower_version": "VERSION"', 1)


@pytest.fixture(scope="module")
def golden_outputs(demo_results, tmp_path_factory) -> dict[str, bytes]:
    return outputs(demo_results, tmp_path_factory.mktemp("golden-run"))


def test_same_seed_same_bytes(golden_outputs, tmp_path):
    """A second analysis of the same data with the same seed writes identical files."""
    again = outputs(analyse(), tmp_path)
    for name, content in golden_outputs.items():
        assert again[name] == content, f"{name} differs between two runs with seed {SEED}"


def _digests_in_processes(hash_seeds: list[str]) -> list[dict[str, str]]:
    """SHA-256 of the three files written by fresh processes (run side by side), one per
    ``PYTHONHASHSEED``."""
    script = (
        "import hashlib, tempfile, pathlib\n"
        "import cpower_network as cp\n"
        f"r = cp.analyze(cp.load_study(cp.example_study_path()), seed={SEED})\n"
        "d = pathlib.Path(tempfile.mkdtemp())\n"
        f"for a in {AUDIENCES!r}:\n"
        "    p = r.to_html(d / f'report-{a}.html', audience=a)\n"
        "    print(p.name, hashlib.sha256(p.read_bytes()).hexdigest())\n"
        "p = r.to_json(d / 'results.json')\n"
        "print(p.name, hashlib.sha256(p.read_bytes()).hexdigest())\n")
    runs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONHASHSEED": seed})
            for seed in hash_seeds]
    found = []
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        found.append(dict(line.split() for line in out.splitlines()))
    return found


@pytest.fixture(scope="module")
def other_processes() -> list[dict[str, str]]:
    return _digests_in_processes(["1", "2"])


@pytest.mark.parametrize("name", ["report-evaluator.html", "report-retreat.html",
                                  "results.json"])
def test_same_bytes_in_another_process(golden_outputs, other_processes, name):
    """No dict or set ordering leaks into the output: processes with other hash seeds
    write the same bytes."""
    ours = hashlib.sha256(golden_outputs[name]).hexdigest()
    assert [digests[name] for digests in other_processes] == [ours, ours]


def test_vis_network_is_inlined_not_fetched(golden_outputs):
    for audience in AUDIENCES:
        html = golden_outputs[f"report-{audience}.html"].decode("utf-8")
        assert f"<script>{asset('vis-network.min.js')}</script>" in html
        assert "<script src" not in html and "<link" not in html


@pytest.mark.parametrize("name", ["report-evaluator.html", "report-retreat.html",
                                  "results.json"])
def test_matches_the_gold(golden_outputs, demo_results, request, name):
    current = normalise(name, golden_outputs[name], demo_results.version)
    target = GOLDEN / name
    if request.config.getoption("update_golden", default=False):
        GOLDEN.mkdir(exist_ok=True)
        target.write_bytes(current.encode("utf-8"))
    assert target.is_file(), f"{target} is missing; create it with: {UPDATE}"
    gold = target.read_bytes().decode("utf-8")
    if current != gold:
        diff = list(difflib.unified_diff(gold.splitlines(), current.splitlines(),
                                         f"golden/{name}", "current", n=1, lineterm=""))
        shown = "\n".join(line[:200] for line in diff[:60])
        more = f"\n… {len(diff) - 60} more diff lines" if len(diff) > 60 else ""
        pytest.fail(f"{name} differs from the gold:\n{shown}{more}\n\nIf the change is "
                    f"intended, update the gold with: {UPDATE}", pytrace=False)
