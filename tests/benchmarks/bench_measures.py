"""Speed and memory benchmark of the measure suite against python-igraph alone.

Run::

    python tests/benchmarks/bench_measures.py [--sizes 300,1300,5000,15000] [--seed 0]
                                              [--repeat 1] [--json]

For each size a **fresh subprocess** warms up on a 200-member coalition, writes a
synthetic coalition study to disk (:mod:`coalition` via ``bench_report.write_study``:
three relations — collaborate, trust, advice — as a long-format survey file), times
``cpower_network.load_study`` (the ``load s`` column) and then :func:`run_suite`, the
whole of ``cpower analyze`` before rendering, and records peak resident memory
(``ru_maxrss``) of the process and of the worker processes that compute centralities
in parallel on large waves. In the same subprocess it times python-igraph alone on the
same relation graphs: the same centralities (betweenness, harmonic closeness, PageRank,
coreness) and communities (multilevel on the undirected weighted projection). A table
is printed at the end; ``--json`` prints the raw rows instead.

Targets (2-core machine): suite ≤ 1 s at 300, ≤ 4 s at 1,300, ≤ 60 s at 15,000 members,
every measure exact, peak memory ≤ 2 GB, suite ≤ 1.5 × igraph's own time.

Not collected by pytest (no ``test_`` prefix).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import cpower_network as cp  # noqa: E402
from cpower_network.graphs import build_graphs  # noqa: E402


def run_suite(study: Any) -> Any:
    """THE MEASURE SUITE BEING TIMED: :func:`cpower_network.analyze` on the study, i.e.
    every relation's centralities (exact betweenness and closeness), parity and group
    differences with 1,000 permutations, E-I with 1,000 permutations, mixing,
    assortativity, brokerage, communities, structure, the weaver's worklist and the
    indicators — exactly what ``cpower analyze`` computes before rendering."""
    return cp.analyze(study, seed=0)


def _rss_now_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")  # pragma: no cover - non-Linux


def igraph_alone(graphs: dict[str, Any]) -> dict[str, float]:
    """Time python-igraph's own calls for the same centralities and communities, on
    every relation graph of the study (conversion not timed)."""
    import igraph as ig

    converted = []
    for G in graphs.values():
        index = {v: i for i, v in enumerate(G)}
        g = ig.Graph(n=len(index), edges=[(index[u], index[v]) for u, v in G.edges()],
                     directed=True)
        g.es["weight"] = [w for _, _, w in G.edges(data="weight")]
        converted.append(g)
    start = time.perf_counter()
    for g in converted:
        g.betweenness(directed=True)
        g.harmonic_centrality(mode="in", normalized=True)
        g.pagerank(directed=True, damping=0.85, weights="weight")
        g.coreness(mode="all")
    middle = time.perf_counter()
    for g in converted:
        undirected = g.as_undirected(mode="collapse", combine_edges="sum")
        undirected.community_multilevel(weights="weight")
    end = time.perf_counter()
    return {"igraph_centralities_s": middle - start, "igraph_communities_s": end - middle}


def worker(size: int, seed: int, repeat: int) -> dict[str, Any]:
    import tempfile

    from bench_report import write_study

    with tempfile.TemporaryDirectory() as folder:
        warm = cp.load_study(write_study(Path(folder) / "warm", 200, seed=seed + 1))
        run_suite(warm)
        igraph_alone(build_graphs(warm))
        path = write_study(Path(folder) / "study", size, seed=seed)
        start = time.perf_counter()
        study = cp.load_study(path)
        load_s = time.perf_counter() - start
    graphs = build_graphs(study)
    ties = sum(G.number_of_edges() for G in graphs.values())
    rss_before = _rss_now_mb()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run_suite(study)
        times.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    baseline = [igraph_alone(graphs) for _ in range(repeat)]
    return {
        "members": size,
        "relations": len(graphs),
        "ties": ties,
        "load_s": load_s,
        "suite_s": min(times),
        "rss_before_suite_mb": rss_before,
        "peak_rss_mb": peak_mb,
        "peak_worker_rss_mb": children_mb,
        "igraph_centralities_s": min(b["igraph_centralities_s"] for b in baseline),
        "igraph_communities_s": min(b["igraph_communities_s"] for b in baseline),
    }


def _table(rows: list[dict[str, Any]]) -> str:
    head = (
        f"{'members':>8} {'ties':>8} {'ties/m':>6} {'load s':>7} {'suite s':>8} "
        f"{'igraph s':>9} {'(centr.':>8} {'+ comm.)':>8} {'ratio':>6} {'RSS pre':>8} "
        f"{'peak RSS':>9} {'workers':>8}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        igraph_s = r["igraph_centralities_s"] + r["igraph_communities_s"]
        lines.append(
            f"{r['members']:>8,} {r['ties']:>8,} {r['ties'] / r['members']:>6.1f} "
            f"{r['load_s']:>7.2f} {r['suite_s']:>8.2f} {igraph_s:>9.2f} "
            f"{r['igraph_centralities_s']:>8.2f} {r['igraph_communities_s']:>8.2f} "
            f"{r['suite_s'] / igraph_s:>6.2f} {r['rss_before_suite_mb']:>6.0f}MB "
            f"{r['peak_rss_mb']:>7.0f}MB {r['peak_worker_rss_mb']:>6.0f}MB"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,1300,5000,15000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1,
                        help="time each side this many times and keep the fastest")
    parser.add_argument("--json", action="store_true", help="print raw rows as JSON")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        print(json.dumps(worker(args.worker, args.seed, args.repeat)))
        return 0
    rows = []
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(size),
               "--seed", str(args.seed), "--repeat", str(args.repeat)]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return done.returncode
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        if not args.json:
            print(_table(rows[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
    print(json.dumps(rows, indent=2) if args.json else _table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
