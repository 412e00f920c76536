"""What a user waits for: `cpower analyze` end to end, beside a plain igraph script.

Run::

    python tests/benchmarks/bench_cli.py [--sizes 300,1300,5000] [--repeat 3] [--seed 0]

For each size a synthetic coalition (:mod:`coalition`, three relations, written as a real
study by :func:`bench_report.write_study`) is first checked with ``cpower validate`` (it
must exit 0: a benchmark on data that is set aside measures nothing). Then, each
``--repeat`` times, as separate processes started from the shell:

* **cpower**: ``cpower analyze STUDY --out report.html --json results.json`` (the whole
  command: interpreter start, imports, reading, every measure, worklist, report, JSON);
* **igraph**: a plain python-igraph script reading the same ``ties.csv`` with the csv
  module and computing, per relation, what cpower's heavy measures compute (betweenness,
  harmonic closeness, PageRank, coreness, degrees) plus Louvain communities.

It prints the medians (wall seconds, CPU seconds of the process and its children, the
largest resident set of the process or any child), their ratio, cpower's stages (from the
time each progress line reaches stderr) and, across sizes, the slope of log(time) against
log(members) for the whole command and for each stage. ``python -X importtime`` of
``cpower --help`` ends the output.

Not collected by pytest (no ``test_`` prefix).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_report import write_study  # noqa: E402

CPOWER = [sys.executable, "-m", "cpower_network"]
#: What a user's shell has: warnings off, and bytecode cached (pip writes ``.pyc`` files
#: on install; a development shell with PYTHONDONTWRITEBYTECODE=1 recompiles every module
#: of cpower on every run, 0.3 s that no installed copy pays).
USER_ENV = {key: value for key, value in os.environ.items()
            if key != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONWARNINGS": "ignore"}

IGRAPH_SCRIPT = r"""
import csv, sys
from collections import defaultdict
import igraph as ig
ties = defaultdict(list)
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        ties[row["relation"]].append((row["respondent"], row["alter"], float(row["answer"])))
for relation, arcs in ties.items():
    names = sorted({v for a in arcs for v in a[:2]})
    index = {v: i for i, v in enumerate(names)}
    g = ig.Graph(n=len(names), edges=[(index[u], index[v]) for u, v, _ in arcs],
                 directed=True)
    g.es["weight"] = [w for *_, w in arcs]
    g.betweenness(directed=True)
    g.harmonic_centrality(mode="in", normalized=True)
    g.pagerank(directed=True, weights="weight")
    g.coreness(mode="all")
    g.degree(mode="in"); g.degree(mode="out")
    g.as_undirected(mode="collapse", combine_edges="sum").community_multilevel(
        weights="weight")
"""


def run_timed(cmd: list[str], *, progress: bool = False) -> dict[str, Any]:
    """Run ``cmd``; wall and CPU seconds, peak RSS (MB), and, with ``progress``, the time
    (from start) at which each stderr line arrived."""
    start = time.perf_counter()
    lines: list[tuple[float, str]] = []
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, env=USER_ENV)
    for line in proc.stderr:
        lines.append((time.perf_counter() - start, line.rstrip()))
    # wait4: this process's own resource use (with the workers it waited for), not the
    # maximum over every child this benchmark ever started
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.stderr.close()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n" +
                         "\n".join(text for _, text in lines[-20:]))
    found = {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
             "rss_mb": usage.ru_maxrss / 1024}
    if progress:
        found["stages"] = stages(lines, wall)
    return found


def stages(lines: list[tuple[float, str]], wall: float) -> dict[str, float]:
    """Seconds between consecutive progress lines, keyed by the stage the line announced
    (wave and relation names folded, so sizes compare); "start" is everything before
    the first line (interpreter, imports, argument parsing)."""
    marks = [(t, text.lstrip("… ").strip()) for t, text in lines if text.startswith("…")]
    found: dict[str, float] = {}
    previous, name = 0.0, "start (interpreter, imports)"
    for at, text in [*marks, (wall, "")]:
        found[name] = found.get(name, 0.0) + at - previous
        previous, name = at, _stage_name(text)
    return found


def _stage_name(text: str) -> str:
    text = re.sub(r"\(.*?\)", "", text)
    text = re.sub(r"^reading .*", "reading the study", text)
    text = re.sub(r"\b(measuring) \w+", r"\1 a relation", text)
    return re.sub(r"\s+", " ", text).strip()


def slope(sizes: list[int], seconds: list[float]) -> float:
    """Least-squares slope of log(seconds) on log(members)."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(t, 1e-6)) for t in seconds]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / \
        sum((x - mx) ** 2 for x in xs)


def measure(size: int, seed: int, repeat: int, folder: Path) -> dict[str, Any]:
    study = write_study(folder / f"n{size}", size, seed=seed)
    check = subprocess.run([*CPOWER, "validate", str(study)], capture_output=True, text=True,
                           env=USER_ENV)                # also the warm-up: writes .pyc files
    if check.returncode != 0:
        raise SystemExit(f"the synthetic study of {size} members does not validate:\n"
                         + check.stdout[-2000:])
    runs, plain = [], []
    for _ in range(repeat):
        runs.append(run_timed([*CPOWER, "analyze", str(study), "--out",
                               str(study / "report.html"), "--json",
                               str(study / "results.json")], progress=True))
        plain.append(run_timed([sys.executable, "-c", IGRAPH_SCRIPT, str(study / "ties.csv")]))
    row = {"members": size}
    for key in ("wall", "cpu", "rss_mb"):
        row[f"cpower_{key}"] = statistics.median(r[key] for r in runs)
        row[f"igraph_{key}"] = statistics.median(r[key] for r in plain)
    names = list(dict.fromkeys(k for r in runs for k in r["stages"]))
    row["stages"] = {k: statistics.median(r["stages"].get(k, 0.0) for r in runs)
                     for k in names}
    return row


def report(rows: list[dict[str, Any]]) -> str:
    lines = ["| members | cpower analyze (wall) | CPU | peak RSS | plain igraph (wall) | "
             "CPU | peak RSS | ratio |", "|" + "---|" * 8]
    for r in rows:
        lines.append(f"| {r['members']:,} | {r['cpower_wall']:.2f} s | {r['cpower_cpu']:.2f} s"
                     f" | {r['cpower_rss_mb']:.0f} MB | {r['igraph_wall']:.2f} s | "
                     f"{r['igraph_cpu']:.2f} s | {r['igraph_rss_mb']:.0f} MB | "
                     f"{r['cpower_wall'] / r['igraph_wall']:.1f} |")
    names = list(dict.fromkeys(k for r in rows for k in r["stages"]))
    sizes = [r["members"] for r in rows]
    lines += ["", "| stage | " + " | ".join(f"{s:,}" for s in sizes) + " | slope |",
              "|" + "---|" * (len(sizes) + 2)]
    for name in names:
        values = [r["stages"].get(name, 0.0) for r in rows]
        fit = f"{slope(sizes, values):.2f}" if len(sizes) > 1 and min(values) > 0.01 else "–"
        lines.append(f"| {name} | " + " | ".join(f"{v:.2f}" for v in values) + f" | {fit} |")
    if len(sizes) > 1:
        lines.append("| **whole command** | " + " | ".join(
            f"{r['cpower_wall']:.2f}" for r in rows) +
            f" | {slope(sizes, [r['cpower_wall'] for r in rows]):.2f} |")
    return "\n".join(lines)


def importtime(*args: str) -> str:
    """The slowest imports of ``cpower ARGS`` (cumulative microseconds)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "cpower_network", *args],
                          capture_output=True, text=True, env=USER_ENV)
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    rows.sort(reverse=True)
    return "\n".join(f"{us / 1000:8.1f} ms {name}" for us, name in rows[:8])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,1300,5000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            rows.append(measure(size, args.seed, args.repeat, Path(tmp)))
            print(report(rows[-1:]).splitlines()[2], file=sys.stderr, flush=True)
        print(report(rows))
        help_wall = statistics.median(run_timed([*CPOWER, "--help"])["wall"] for _ in range(5))
        print(f"\n`cpower --help`: {help_wall:.2f} s (median of 5)\n")
        print("Slowest imports of `cpower --help` (python -X importtime, cumulative):")
        print(importtime("--help"))
        study = Path(tmp) / f"n{sizes[0]}"
        print(f"\nSlowest imports of `cpower analyze` ({sizes[0]:,} members):")
        print(importtime("analyze", str(study), "--out", str(study / "report.html")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
