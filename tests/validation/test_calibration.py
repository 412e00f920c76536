"""False-positive rates of the permutation tests, simulated under their nulls.

Calibration is measured, not assumed (docs/methods.md §Tests and p-values). This runs the harness of
``tests/benchmarks/calibration.py`` (its scenarios (a)-(d), the package's test functions
called directly) on :data:`SIMS` simulated networks per scenario, :data:`DRAWS` draws per
test, and checks each test's rejection count at nominal 5 % against a binomial
acceptance region. The simulations are the first :data:`SIMS` of the script's own run
with the same seed (one ``SeedSequence`` child per simulation), so a failure here can be
examined at length with ``python tests/benchmarks/calibration.py --sims 1000``.

Bounds. If a test is calibrated (rate 5 %), its count of rejections in SIMS = 200
simulations is Binomial(200, 0.05). The acceptance region is its central 99.9 %:
2 to 21 rejections (1.0 %-10.5 %), so a calibrated test fails here with probability
< 0.1 % (0.09 %; over the 20 rows asserted, at most 1.8 %). A test at 28 %, as the
classic E-I under unequal response (docs/methods.md §Cross-silo ties), passes with
probability ~1e-9: the
fault rows are asserted to fail, which shows the check has that power. A test at 10 %
passes 65 % of the time: moderate miscalibration is the script's job (1,000 simulations,
band 3-7 %), not this quick check's.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from scipy.stats import binom

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from calibration import SCENARIOS, calibrate, format_table

pytestmark = pytest.mark.slow

SIMS = 200
DRAWS = 1000
SEED = 0
NOMINAL = 0.05
#: Chance that one calibrated test falls outside its acceptance region.
FALSE_ALARM = 0.001
LOW = int(binom.ppf(FALSE_ALARM / 2, SIMS, NOMINAL))
HIGH = int(binom.isf(FALSE_ALARM / 2, SIMS, NOMINAL))


def test_acceptance_region():
    """The region is what the module notes say, and has the stated error rates."""
    assert (LOW, HIGH) == (2, 21)
    false_alarm = binom.cdf(LOW - 1, SIMS, NOMINAL) + binom.sf(HIGH, SIMS, NOMINAL)
    assert false_alarm < FALSE_ALARM
    assert binom.cdf(HIGH, SIMS, 0.28) < 1e-8  # a 28 % test cannot pass


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_false_positive_rate(scenario):
    start = time.perf_counter()
    tallies = calibrate(SIMS, draws=DRAWS, seed=SEED, scenarios=scenario,
                        diagnostics=False)
    table = format_table(tallies, bounds=(LOW / SIMS, HIGH / SIMS))
    print(f"\n{table}\n{time.perf_counter() - start:.1f} s")
    assert {t.scenario for t in tallies} == {scenario}
    assert all(t.sims == SIMS and t.draws == DRAWS for t in tallies)
    counted = [t for t in tallies if t.kind == "test"]
    assert counted, "no test ran"
    outside = [f"{t.test}: {t.rejected}/{t.sims}" for t in counted
               if not LOW <= t.rejected <= HIGH]
    assert not outside, (f"rejections outside {LOW}-{HIGH} of {SIMS} at nominal 5 %: "
                         f"{outside}\n{table}")
    # the wrong nulls shown for contrast must be caught: the check has power
    for fault in (t for t in tallies if t.kind == "fault"):
        assert fault.rejected > HIGH, f"{fault.test}: {fault.rejected}/{fault.sims}"


def test_every_scenario_runs_every_test():
    """Which rows each scenario yields (a cheap run: the names, not the rates)."""
    names = {s: {t.test for t in calibrate(1, draws=DRAWS, scenarios=s)} for s in SCENARIOS}
    single = {"E-I (within respondent strata)", "group difference (in_degree)",
              "group difference (betweenness)", "group difference (pagerank)"}
    waves = {"E-I change (dyad swap)", "density change (dyad swap)",
             "in-centralisation change (dyad swap)", "parity change (in_degree)",
             "parity change (betweenness)", "parity change (pagerank)"}
    assert names["a"] == single
    assert names["b"] == single | {"E-I classic (all members) [fault]"}
    assert waves < names["c"] and all("[diag" in n for n in names["c"] - waves)
    assert names["d"] == waves | {"density change, all members' ties [fault]"}
