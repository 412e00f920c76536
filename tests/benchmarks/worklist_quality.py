"""How well the weaver's worklist serves a weaver's two moves, measured.

For the bundled example (both waves) and synthetic coalitions from
:mod:`tests.benchmarks.coalition` (several sizes and seeds), prints:

* **bridges on the sparsest pairs**: the share of bridge suggestions that join members of
  the k = 3 silo pairs least in touch for their size (the report's bridge opportunities);
* **edge members reached**: the share of isolated and peripheral members (core number ≤ 1,
  ties observed) who get at least one suggestion of either kind;
* **median shared contacts** of bridge pairs (a bridge joins people who share few; two
  members who share many are a triangle away);
* the number of suggestions of each kind, and the seconds the worklist took.

Run from the project folder::

    python tests/benchmarks/worklist_quality.py            # example + 60/150/400 members
    python tests/benchmarks/worklist_quality.py --sizes 60 1300 --seeds 3
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import cpower_network as cp
from cpower_network.weave import study_worklist, worklist
from tests.benchmarks.coalition import generate_coalition, to_graph

SPARSEST = 3
CONTACT = ("collaborate", "know", "trust", "advice")   # influence does not put in touch


def figures(found: Any, G: nx.Graph, seconds: float) -> dict[str, Any]:
    """The quality figures of one worklist ``found`` of graph ``G``."""
    frame = found.introductions
    silo = nx.get_node_attributes(G, "silo")
    gaps = found.silo_gaps[found.silo_gaps["possible"] > 0].head(SPARSEST)
    sparse = {frozenset((a, b)) for a, b in zip(gaps["silo_a"], gaps["silo_b"], strict=True)}
    bridges = frame[frame["kind"] == "bridge"]
    on_sparse = [frozenset((silo[u], silo[w])) in sparse
                 for u, w in zip(bridges["member"], bridges["suggested"], strict=True)]
    edge = set(found.periphery) | set(found.isolates)
    reached = set(frame["member"]) | set(frame["suggested"])
    return {
        "bridges": len(bridges), "triangles": int((frame["kind"] == "triangle").sum()),
        "on_sparsest": sum(on_sparse) / len(on_sparse) if on_sparse else float("nan"),
        "edge_members": len(edge),
        "edge_reached": len(edge & reached) / len(edge) if edge else float("nan"),
        "median_shared": statistics.median(bridges["shared"].map(len))
        if len(bridges) else float("nan"),
        "seconds": seconds,
    }


def example_rows() -> list[dict[str, Any]]:
    study = cp.load_study(cp.example_study_path())
    rows = []
    for wave in study.waves:
        start = time.perf_counter()
        found = study_worklist(study, wave=wave)
        seconds = time.perf_counter() - start
        rows.append({"study": f"example {wave}", "members": found.graph.number_of_nodes(),
                     **figures(found.worklist, found.graph, seconds)})
    return rows


def synthetic_rows(sizes: list[int], seeds: int) -> list[dict[str, Any]]:
    rows = []
    for n in sizes:
        for seed in range(seeds):
            roster, ties = generate_coalition(n, seed=seed, relations=(*CONTACT, "influence"))
            G = nx.Graph()
            for relation in CONTACT:
                part = to_graph(roster, ties, relation)
                G.add_nodes_from(part.nodes(data=True))
                G.add_edges_from((u, v) for u, v in part.edges() if u != v)
            start = time.perf_counter()
            found = worklist(G, focus=["lived_experience", "grassroots"])
            rows.append({"study": f"synthetic seed {seed}", "members": n,
                         **figures(found, G, time.perf_counter() - start)})
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    head = ("| study | members | bridges | on 3 sparsest pairs | edge members | reached | "
            "median shared (bridges) | triangles | seconds |")
    lines = [head, "|" + "---|" * 9]
    for r in rows:
        lines.append(f"| {r['study']} | {r['members']:,} | {r['bridges']} | "
                     f"{_pct(r['on_sparsest'])} | {r['edge_members']} | "
                     f"{_pct(r['edge_reached'])} | {r['median_shared']:g} | {r['triangles']} | "
                     f"{r['seconds']:.2f} |")
    return "\n".join(lines)


def _pct(value: float) -> str:
    return "–" if value != value else f"{100 * value:.0f} %"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[60, 150, 400])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args(argv)
    print(table(example_rows() + synthetic_rows(args.sizes, args.seeds)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
