"""Calibration of cpower's permutation tests: false-positive rates under their nulls.

Run::

    python tests/benchmarks/calibration.py [--sims 1000] [--draws 1000] [--seed 0]
                                           [--members 60]

Calibration is measured, not assumed (docs/methods.md §Tests and p-values). Each test is
run on ``--sims``
networks simulated under its null hypothesis, each with ``--draws`` permutation draws,
and the share of simulations with p ≤ 0.05 is printed beside its exact (Clopper–Pearson)
95 % interval. A test is calibrated when that rate lies between 3 % and 7 % (PASS).
Rows marked ``fault`` show what a wrong null does (they are expected to fail and are not
counted).

Scenarios (``--members`` members in three silos of 50 %, 30 % and 20 %; a random focus
group of a sixth of the members, unrelated to everything):

(a) random naming, full response: every member answers and names 1 + Poisson(5) others
    chosen uniformly; silos have nothing to do with naming.
(b) random naming with response rates 90 / 50 / 20 % by silo (largest silo answers
    most); non-respondents name nobody but are named like anyone else.
(c) a fixed network (homophilous: ~65 % of a member's ties inside their silo; log-normal
    popularity, so in-degrees are uneven) surveyed twice, every true tie observed
    independently with probability 0.8 in each wave; everyone answers both times.
(d) as (c), but 20 % of the members (all present in both waves) do not answer in wave 2.

Tests (package functions called directly on the simulated graphs):

* single wave: ``crosssilo.ei_index`` (labels permuted within respondent strata; in (b)
  also ``strata=None``, the classic test, as a fault row) and
  ``parity.group_differences`` (the focus group, on in-degree, betweenness, PageRank);
* wave change (:mod:`cpower_network.waves.inference` on the members and ties
  :func:`cpower_network.waves.views.build_view` keeps): E-I, density and in-degree
  centralisation changes under the dyad-swap null, parity changes of the focus group
  under group-label shuffling (in-degree, betweenness, PageRank, centralities from
  ``member_centralities`` as the wave comparison computes them). In (d) also the density
  change over every member's ties, ignoring who answered (fault row).

Diagnostic rows (``diag``) probe the group-label null where its premise fails: in (c),
the parity change of a group whose members are named more (or less) than others, with
nothing changed. They are printed, not counted in the PASS/FAIL verdict.

The simulation code is shared with ``tests/validation/test_calibration.py``, which runs
fewer simulations and asserts binomial bounds. Not collected by pytest (no ``test_``
prefix).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd
from scipy.stats import binomtest

from cpower_network.measures.centrality import member_centralities
from cpower_network.measures.crosssilo import ei_index
from cpower_network.measures.inference import ALPHA
from cpower_network.measures.parity import group_differences
from cpower_network.waves.inference import (
    DyadSwap,
    GroupLabels,
    Pending,
    centralization_change,
    density_change,
    dyad_change,
    ei_change,
    group_change,
    run_tests,
    share_parity,
)
from cpower_network.waves.views import build_view

__all__ = ["BOUNDS", "SCENARIOS", "Tally", "calibrate", "format_table", "main"]

#: The spec's acceptance band for an observed false-positive rate at nominal 5 %.
BOUNDS = (0.03, 0.07)
#: Silo shares (largest first) and, in (b), their response rates.
SILO_SHARES = (0.5, 0.3, 0.2)
RESPONSE_RATES = (0.9, 0.5, 0.2)
#: Centralities whose group difference / parity change is tested.
MEASURES = ("in_degree", "betweenness", "pagerank")
SCENARIOS = {
    "a": "random naming, full response",
    "b": "random naming, response 90/50/20 %",
    "c": "unchanged network, ties seen w.p. 0.8",
    "d": "as (c), 20 % silent in wave 2",
}


# --------------------------------------------------------------------------- networks
def silos(n: int) -> np.ndarray:
    """Silo code (0, 1, 2) of each of ``n`` members, sizes in :data:`SILO_SHARES`.

    >>> np.bincount(silos(60)).tolist()
    [30, 18, 12]
    """
    sizes = [round(n * s) for s in SILO_SHARES[:-1]]
    sizes.append(n - sum(sizes))
    return np.repeat(np.arange(len(sizes)), sizes)


def graph(n: int, codes: np.ndarray, answered: np.ndarray, arcs: Iterable[tuple[int, int]],
          **nodes: np.ndarray) -> nx.DiGraph:
    """A relation graph in the measures' contract: members ``m00``…, ``silo``,
    ``respondent`` and any extra boolean node attributes; arcs by member index."""
    names = [f"m{i:03d}" for i in range(n)]
    G = nx.DiGraph(relation="collaborate")
    for i, name in enumerate(names):
        G.add_node(name, silo=f"silo {codes[i]}", respondent=bool(answered[i]),
                   **{key: bool(value[i]) for key, value in nodes.items()})
    G.add_edges_from((names[u], names[v]) for u, v in arcs)
    return G


def random_naming(rng: np.random.Generator, n: int, answered: np.ndarray) -> list:
    """Each respondent names 1 + Poisson(5) others, uniformly at random."""
    arcs = []
    for u in np.flatnonzero(answered):
        k = min(n - 1, 1 + int(rng.poisson(5.0)))
        others = rng.choice(n - 1, size=k, replace=False)
        arcs += [(int(u), int(v + (v >= u))) for v in others]
    return arcs


def focus_group(rng: np.random.Generator, n: int) -> np.ndarray:
    """A random sixth of the members: a focus group unrelated to anything."""
    mask = np.zeros(n, bool)
    mask[rng.choice(n, size=max(3, n // 6), replace=False)] = True
    return mask


def single_wave(rng: np.random.Generator, n: int, *, rates: tuple[float, ...] | None) \
        -> tuple[nx.DiGraph, np.ndarray]:
    """Scenario (a) (``rates`` None: everyone answers) or (b)."""
    codes = silos(n)
    answered = np.ones(n, bool) if rates is None else \
        rng.random(n) < np.asarray(rates)[codes]
    if not answered.any():
        answered[rng.integers(n)] = True
    focus = focus_group(rng, n)
    return graph(n, codes, answered, random_naming(rng, n, answered)), focus


@dataclass(frozen=True)
class Population:
    """The true, unchanging network of scenarios (c) and (d)."""

    codes: np.ndarray
    arcs: np.ndarray  # (m, 2) member indices
    popular: np.ndarray  # members named about twice as often as others
    shunned: np.ndarray  # members named about half as often as others


def population(rng: np.random.Generator, n: int, *, within: float = 0.7,
               mean_ties: float = 6.0) -> Population:
    """A homophilous network with uneven popularity (log-normal, σ = 0.6), a popular
    and a less-named sixth of the members (popularity × 2 and × 0.5)."""
    codes = silos(n)
    order = rng.permutation(n)
    popular, shunned = np.zeros(n, bool), np.zeros(n, bool)
    popular[order[: n // 6]] = True
    shunned[order[n // 6: 2 * (n // 6)]] = True
    weight = rng.lognormal(0.0, 0.6, n) * np.where(popular, 2.0, np.where(shunned, 0.5, 1.0))
    # each member's k_in choices inside their silo and k - k_in outside, drawn without
    # replacement proportionally to ``weight``: the k largest of log(weight) + Gumbel
    # noise (Efraimidis & Spirakis 2006), for all members at once
    keys = np.log(weight)[None, :] + rng.gumbel(size=(n, n))
    same = codes[:, None] == codes[None, :]
    np.fill_diagonal(keys, -np.inf)
    inside = same & ~np.eye(n, dtype=bool)
    k = np.minimum(n - 1, 1 + rng.poisson(mean_ties - 1, n))
    k_in = np.minimum(rng.binomial(k, within), inside.sum(axis=1))
    k_out = np.minimum(k - k_in, (~same).sum(axis=1))
    rank_in = np.argsort(np.argsort(-np.where(inside, keys, -np.inf), axis=1), axis=1)
    rank_out = np.argsort(np.argsort(-np.where(~same, keys, -np.inf), axis=1), axis=1)
    chosen = (inside & (rank_in < k_in[:, None])) | (~same & (rank_out < k_out[:, None]))
    arcs = np.argwhere(chosen)
    return Population(codes, arcs.astype(np.int64), popular, shunned)


def resurvey(rng: np.random.Generator, truth: Population, *, silent: float = 0.0) \
        -> tuple[nx.DiGraph, nx.DiGraph, np.ndarray]:
    """Two waves of the same network, each true tie seen w.p. 0.8 (scenario (c)); with
    ``silent`` > 0 that share of members does not answer in wave 2 (scenario (d)).
    Returns the two graphs and a random focus group."""
    n = truth.codes.size
    answered_2 = np.ones(n, bool)
    if silent:
        answered_2[rng.choice(n, size=round(silent * n), replace=False)] = False
    waves = []
    for answered in (np.ones(n, bool), answered_2):
        seen = truth.arcs[(rng.random(len(truth.arcs)) < 0.8) & answered[truth.arcs[:, 0]]]
        waves.append(graph(n, truth.codes, answered, map(tuple, seen),
                           popular=truth.popular, shunned=truth.shunned))
    return waves[0], waves[1], focus_group(rng, n)


# --------------------------------------------------------------------------- tests
Found = dict[str, float]  # test name -> p-value (NaN: not testable / not measured)


def single_wave_tests(G: nx.DiGraph, focus: np.ndarray, *, draws: int, seed: int,
                      classic: bool) -> Found:
    """p-values of the single-wave tests on one simulated graph."""
    found: Found = {}
    ei = ei_index(G, "silo", permutations=draws, seed=seed, strata="respondent")
    found["E-I (within respondent strata)"] = _usable(ei.p_value, ei.testable)
    if classic:
        old = ei_index(G, "silo", permutations=draws, seed=seed + 1, strata=None)
        found["E-I classic (all members) [fault]"] = _usable(old.p_value, old.testable)
    table = member_centralities(G, weight=None)[list(MEASURES)]
    members = table.index[focus]
    diff = group_differences(table, members, permutations=draws, seed=seed + 2)
    for measure in MEASURES:
        found[f"group difference ({measure})"] = _usable(
            diff.at[measure, "p_value"], diff.at[measure, "testable"])
    return found


def wave_tests(first: nx.DiGraph, last: nx.DiGraph, groups: dict[str, np.ndarray], *,
               draws: int, rng: np.random.Generator, naive: bool) -> Found:
    """p-values of the wave-change tests, wired as the wave comparison wires them
    (``waves_measures``): members and ties from ``build_view``, one dyad-swap null
    shared by E-I, density and centralisation, one group-label null per group shared
    by the parity measures. ``groups``: row label -> mask over all members."""
    stayers = list(first)
    view = build_view([first, last], stayers)
    n = len(view.members)
    arcs = [view.arcs(w) for w in (0, 1)]
    change = dyad_change(arcs[0], arcs[1], n, directed=True)
    swap = DyadSwap(change.size)
    codes = pd.factorize(pd.Series([first.nodes[m]["silo"] for m in view.members]))[0]
    pending = []
    for key, (observed, statistic) in {
            "E-I change (dyad swap)": ei_change(change, codes),
            "density change (dyad swap)": density_change(change, view.observable),
            "in-centralisation change (dyad swap)": centralization_change(change)}.items():
        pending.append(Pending(key, swap, observed, statistic))
    if naive:  # every member's ties, ignoring who answered in each wave
        everyone = {m: i for i, m in enumerate(stayers)}
        whole = [np.array([(everyone[u], everyone[v]) for u, v in G.edges()],
                          dtype=np.int64).reshape(-1, 2) for G in (first, last)]
        all_change = dyad_change(whole[0], whole[1], len(stayers), directed=True)
        observed, statistic = density_change(all_change, len(stayers) * (len(stayers) - 1))
        pending.append(Pending("density change, all members' ties [fault]",
                               DyadSwap(all_change.size), observed, statistic))
    tables = [member_centralities(G, weight=None) for G in view.graphs]
    vectors = {measure: [t[measure].reindex(view.members).fillna(0).to_numpy(float)
                         for t in tables] for measure in MEASURES}
    position = {m: i for i, m in enumerate(stayers)}
    rows = [position[m] for m in view.members]
    for label, mask in groups.items():
        mask = mask[rows]
        labels = GroupLabels(mask)
        for measure in MEASURES:
            statistic = group_change(*vectors[measure], share_parity)
            observed = float(statistic(mask[None, :])[0])
            pending.append(Pending(f"parity change ({measure}){label}", labels, observed,
                                   statistic))
    results = run_tests(pending, draws, rng)
    return {key: _usable(r.p_value, r.testable) for key, r in results.items()}


def _usable(p: float, testable: bool) -> float:
    """The p-value a report would print: NaN when the package says "not testable"."""
    return float(p) if bool(testable) and math.isfinite(float(p)) else math.nan


# --------------------------------------------------------------------------- tallies
@dataclass
class Tally:
    """Rejections of one test in one scenario.

    >>> t = Tally("a test", "a", draws=1000)
    >>> for p in (0.01, 0.5, float("nan"), 0.05):
    ...     t.add(p)
    >>> t.rejected, t.untestable, t.rate, t.passed()
    (2, 1, 0.5, False)
    """

    test: str
    scenario: str
    draws: int
    sims: int = 0
    rejected: int = 0
    untestable: int = 0
    p_values: list[float] = field(default_factory=list)

    def add(self, p: float) -> None:
        self.sims += 1
        self.p_values.append(p)
        if math.isnan(p):
            self.untestable += 1
        elif p <= ALPHA:
            self.rejected += 1

    @property
    def kind(self) -> str:
        """``fault`` (a wrong null shown for contrast), ``diag`` (a probe), or ``test``."""
        return "fault" if "[fault]" in self.test else "diag" if "[diag" in self.test \
            else "test"

    @property
    def rate(self) -> float:
        """Share of simulations rejected at p ≤ 0.05 (untestable counts as not
        rejected: the report prints no p-value for it)."""
        return self.rejected / self.sims if self.sims else math.nan

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        """Exact (Clopper–Pearson) interval of the true rejection rate."""
        ci = binomtest(self.rejected, self.sims).proportion_ci(level, method="exact")
        return float(ci.low), float(ci.high)

    def passed(self, bounds: tuple[float, float] = BOUNDS) -> bool:
        """Whether the observed rate lies within ``bounds`` (inclusive)."""
        return bounds[0] <= self.rate <= bounds[1]


def calibrate(sims: int, *, draws: int = 1000, seed: int = 0, members: int = 60,
              scenarios: str = "abcd", diagnostics: bool = True,
              progress=None) -> list[Tally]:
    """Run ``sims`` simulations of each scenario and tally each test's rejections.

    Every simulation gets its own seed from ``numpy.random.SeedSequence(seed)``, so a
    run is reproducible and scenarios do not share random numbers. ``diagnostics=False``
    leaves out the ``diag`` rows.
    """
    tallies: dict[tuple[str, str], Tally] = {}

    def record(scenario: str, found: Found) -> None:
        for test, p in found.items():
            tallies.setdefault((test, scenario), Tally(test, scenario, draws)).add(p)

    streams = dict(zip("abcd", np.random.SeedSequence(seed).spawn(4), strict=True))
    for scenario in scenarios:
        stream = streams[scenario]
        for i, child in enumerate(stream.spawn(sims)):
            rng = np.random.default_rng(child)
            test_seed = int(rng.integers(2**31))
            if scenario in "ab":
                G, focus = single_wave(rng, members,
                                       rates=None if scenario == "a" else RESPONSE_RATES)
                record(scenario, single_wave_tests(G, focus, draws=draws, seed=test_seed,
                                                   classic=scenario == "b"))
            else:
                truth = population(rng, members)
                first, last, focus = resurvey(rng, truth,
                                              silent=0.2 if scenario == "d" else 0.0)
                groups = {"": focus}
                if scenario == "c" and diagnostics:
                    groups[" [diag: group named 2x more]"] = truth.popular
                    groups[" [diag: group named 2x less]"] = truth.shunned
                record(scenario, wave_tests(first, last, groups, draws=draws, rng=rng,
                                            naive=scenario == "d"))
            if progress and (i + 1) % max(1, sims // 10) == 0:
                progress(f"({scenario}) {i + 1}/{sims}")
    return list(tallies.values())


def format_table(tallies: list[Tally], bounds: tuple[float, float] = BOUNDS) -> str:
    """The calibration table, one row per test and scenario; PASS when the observed
    rate lies within ``bounds``."""
    width = max([len("test"), *(len(t.test) for t in tallies)])
    header = (f"{'test':<{width}} {'scenario':<40} {'nominal':>7} {'observed':>8} "
              f"{'sims':>5} {'draws':>5} {'95 % interval':>15} {'untest.':>7}  verdict")
    lines = [header, "-" * len(header)]
    for t in tallies:
        low, high = t.interval()
        inside = t.passed(bounds)
        verdict = ("PASS" if inside else "FAIL") if t.kind == "test" else \
            f"{'within' if inside else 'outside'} {bounds[0]:.1%}-{bounds[1]:.1%} " \
            f"({t.kind}, not counted)"
        lines.append(f"{t.test:<{width}} ({t.scenario}) {SCENARIOS[t.scenario]:<36} "
                     f"{ALPHA:>7.1%} {t.rate:>8.1%} {t.sims:>5} {t.draws:>5} "
                     f"{f'{low:.1%}-{high:.1%}':>15} {t.untestable:>7}  {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sims", type=int, default=1000, help="simulations per scenario")
    parser.add_argument("--draws", type=int, default=1000, help="permutation draws per test")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--members", type=int, default=60, help="members per network")
    parser.add_argument("--scenarios", default="abcd", help="subset of abcd")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    progress = None if args.quiet else \
        (lambda text: print(f"  {text}  {time.perf_counter() - start:6.0f} s",
                            file=sys.stderr, flush=True))
    tallies = calibrate(args.sims, draws=args.draws, seed=args.seed, members=args.members,
                        scenarios=args.scenarios, progress=progress)
    elapsed = time.perf_counter() - start
    print(format_table(tallies))
    counted = [t for t in tallies if t.kind == "test"]
    failed = [t for t in counted if not t.passed()]
    print(f"\n{len(counted) - len(failed)} of {len(counted)} tests within "
          f"{BOUNDS[0]:.0%}-{BOUNDS[1]:.0%} at nominal {ALPHA:.0%}; {args.sims} simulations "
          f"x {args.draws} draws per test, {args.members} members, seed {args.seed}; "
          f"elapsed {elapsed:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
