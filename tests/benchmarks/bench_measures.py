"""Speed and memory benchmark of the measure suite against python-igraph alone.

Run::

    python tests/benchmarks/bench_measures.py [--sizes 300,1300,5000,15000] [--seed 0]
                                              [--repeat 1] [--json]

For each size a **fresh subprocess** warms up both sides on a 200-member coalition,
generates a synthetic coalition (:mod:`coalition`, not timed), builds its ``collaborate``
graph, then times :func:`run_suite` on a never-measured copy and records the process's
peak resident memory (``ru_maxrss``, whole process, generator included) right after it.
In the same subprocess it then times python-igraph alone on the same graph: the same
centralities (betweenness, harmonic closeness, PageRank, coreness) and communities
(multilevel/Louvain on the undirected weighted projection). A table is
printed at the end; ``--json`` prints the raw rows instead.

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

from cpower_network.measures.centrality import member_centralities  # noqa: E402
from cpower_network.measures.parity import (  # noqa: E402
    degree_centralization,
    gini,
    group_parity,
)
from cpower_network.measures.structure import network_structure  # noqa: E402

FOCUS_GROUPS = ("lived_experience", "grassroots")


def run_suite(G: Any) -> dict[str, Any]:
    """THE MEASURE SUITE BEING TIMED.

    For now: member centralities + whole-network structure + parity, Gini and degree
    centralisation for the focus groups. The lead will swap this body for the real
    study-level suite (which adds E-I with 1,000 permutations, brokerage and Louvain).
    It must start from a graph never measured before, so the igraph conversion (cached per
    graph) is included in the time.
    """
    table = member_centralities(G)
    structure = network_structure(G)
    parity = {}
    for flag in FOCUS_GROUPS:
        members = [v for v, is_member in G.nodes(data=flag) if is_member]
        for column in table.columns:
            parity[(flag, column)] = group_parity(table[column], members)
    ginis = {column: gini(table[column]) for column in table.columns}
    centralization = {d: degree_centralization(G, direction=d) for d in ("in", "out", "all")}
    return {"table": table, "structure": structure, "parity": parity, "gini": ginis,
            "centralization": centralization}


def _rss_now_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")  # pragma: no cover - non-Linux


def igraph_alone(G: Any) -> dict[str, float]:
    """Time python-igraph's own calls for the same centralities and communities."""
    import igraph as ig

    index = {v: i for i, v in enumerate(G)}
    edges = [(index[u], index[v]) for u, v in G.edges()]
    g = ig.Graph(n=len(index), edges=edges, directed=True)
    g.es["weight"] = [w for _, _, w in G.edges(data="weight")]
    start = time.perf_counter()
    g.betweenness(directed=True)
    g.harmonic_centrality(mode="in", normalized=True)
    g.pagerank(directed=True, damping=0.85, weights="weight")
    g.coreness(mode="all")
    middle = time.perf_counter()
    undirected = g.as_undirected(mode="collapse", combine_edges="sum")
    undirected.community_multilevel(weights="weight")
    end = time.perf_counter()
    return {"igraph_centralities_s": middle - start, "igraph_communities_s": end - middle}


def worker(size: int, seed: int, mean_ties: float, repeat: int) -> dict[str, Any]:
    from coalition import generate_coalition, to_graph

    # Warm up both sides on a small coalition (imports, first-call set-up in igraph).
    warm = to_graph(*generate_coalition(200, seed=seed + 1))
    run_suite(warm)
    igraph_alone(warm)

    roster, ties = generate_coalition(size, seed=seed, mean_ties=mean_ties)
    G = to_graph(roster, ties)
    rss_before = _rss_now_mb()
    times = []
    for _ in range(repeat):
        fresh = G.copy()  # a graph never measured: the igraph conversion is timed too
        start = time.perf_counter()
        run_suite(fresh)
        times.append(time.perf_counter() - start)
        del fresh
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    baseline = [igraph_alone(G) for _ in range(repeat)]
    row = {
        "members": size,
        "ties": G.number_of_edges(),
        "suite_s": min(times),
        "rss_before_suite_mb": rss_before,
        "peak_rss_mb": peak_mb,
        "igraph_centralities_s": min(b["igraph_centralities_s"] for b in baseline),
        "igraph_communities_s": min(b["igraph_communities_s"] for b in baseline),
    }
    return row


def _table(rows: list[dict[str, Any]]) -> str:
    head = (
        f"{'members':>8} {'ties':>8} {'ties/m':>6} {'suite s':>8} {'igraph s':>9} "
        f"{'(centr.':>8} {'+ comm.)':>8} {'ratio':>6} {'RSS pre':>8} {'peak RSS':>9}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        igraph_s = r["igraph_centralities_s"] + r["igraph_communities_s"]
        lines.append(
            f"{r['members']:>8,} {r['ties']:>8,} {r['ties'] / r['members']:>6.1f} "
            f"{r['suite_s']:>8.2f} {igraph_s:>9.2f} {r['igraph_centralities_s']:>8.2f} "
            f"{r['igraph_communities_s']:>8.2f} {r['suite_s'] / igraph_s:>6.2f} "
            f"{r['rss_before_suite_mb']:>6.0f}MB {r['peak_rss_mb']:>7.0f}MB"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,1300,5000,15000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mean-ties", type=float, default=13)
    parser.add_argument("--repeat", type=int, default=1,
                        help="time each side this many times and keep the fastest")
    parser.add_argument("--json", action="store_true", help="print raw rows as JSON")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        print(json.dumps(worker(args.worker, args.seed, args.mean_ties, args.repeat)))
        return 0
    rows = []
    for size in (int(s) for s in args.sizes.split(",") if s.strip()):
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(size),
               "--seed", str(args.seed), "--mean-ties", str(args.mean_ties),
               "--repeat", str(args.repeat)]
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
