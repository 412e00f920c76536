"""A walk through the bundled study with cpower's Python API, for evaluators.

Run it from anywhere::

    python examples/api_walkthrough.py                  # outputs go to a new temporary folder
    python examples/api_walkthrough.py my-outputs/      # or to a folder you choose

It never writes into the current directory (unless you name it). Each step prints what it
found, and the code of each step is what you would type in a notebook:

1. **Load** the study (``cp.load_study``): the roster and every survey answer as tidy
   pandas DataFrames, and every problem found in the files (``study.quality``).
2. **Check data quality** (``cpower_network.ingest.summary.quality_summary``): members, response
   rates per wave and focus group, ties read, answers set aside. This is what
   ``cpower validate`` prints.
3. **Measure one wave** (``cp.analyze``): every network measure of every relation, who
   shapes decisions, the weaver's worklist and the Collective Power indicators.
4. **Look at the DataFrames**: parity ratios of the focus groups, members' centralities,
   decision influence.
5. **Use the networkx graphs** (``results.wave.relations["collaborate"].graph``): a
   ``networkx.DiGraph`` whose nodes carry the roster's columns, for your own analyses.
6. **Compare the waves** (``cp.compare``): is power being redistributed? Each change
   comes with a permutation p-value (≥ 1,000 draws, seeded).
7. **Plot** with pandas and matplotlib, if matplotlib is installed (it is not a cpower
   dependency; the step is skipped with a note otherwise).
8. **Export**: the HTML reports (``results.to_html``, ``comparison.to_html``), the JSON
   (``results.to_json``, ``comparison.to_json``), the tables as CSV, and Gephi's GEXF
   through ``results.export`` where this version of cpower has it.

The figures printed are those of the fictional Riverbend Child Care Coalition: between
2024 and 2025 members with lived experience went from 12 % to 29 % of decision influence
(decision parity 0.44 → 0.94), a change larger than random groups of the same size show.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import networkx as nx
import pandas as pd

import cpower_network as cp
from cpower_network.ingest.summary import quality_summary

SEED = 7
PERMUTATIONS = 1000


def say(title: str) -> None:
    print(f"\n== {title} ==")


def load():
    """Step 1: load the bundled study."""
    say("1. Load the study")
    study = cp.load_study(cp.example_study_path())
    print(f"{study.name}: {len(study.roster)} members on the roster, "
          f"waves {', '.join(study.waves)}")
    print(f"focus groups: {', '.join(study.focus_groups)}")
    print(study.roster[["name", "silo", "lived_experience", "grassroots"]].head(3))
    return study


def check_quality(study) -> None:
    """Step 2: data quality, as ``cpower validate`` reports it."""
    say("2. Data quality")
    quality = study.quality
    print(f"{len(quality.errors)} errors, {len(quality.warnings)} warnings")
    for problem in quality.problems[:3]:
        print(f"  {problem.severity}: {problem}")
    summary = quality_summary(study)
    for wave in summary.waves:
        rate = wave.rates.loc["all", "rate"]
        print(f"wave {wave.label}: {wave.respondents} of {wave.members} members answered "
              f"({rate:.0%}); set aside: {wave.set_aside or 'nothing'}")
        print(wave.rates.round(2).to_string())


def measure(study):
    """Step 3: measure the latest wave."""
    say("3. Measure one wave")
    results = cp.analyze(study, wave="2025", seed=SEED)
    print(f"wave {results.wave.label}: relations {', '.join(results.wave.relations)}")
    for indicator in results.indicators.milestones:
        score = "not measured" if indicator.score is None else f"{indicator.score:.0f}"
        print(f"  {indicator.label:<30} {indicator.band:<13} {score}")
    for finding in results.indicators.findings[:3]:
        print(f"  - {finding.text}")
    return results


def dataframes(results) -> dict[str, pd.DataFrame]:
    """Step 4: the DataFrames behind the report."""
    say("4. DataFrames")
    collaborate = results.wave.relations["collaborate"]
    parity = collaborate.parity.pivot(index="measure", columns="group", values="parity")
    print("Parity ratios in the collaboration network (1.0 = central in proportion to "
          "numbers):")
    print(parity.round(2).to_string())
    names = results.roster["name"]
    central = collaborate.centralities.sort_values("pagerank", ascending=False).head(5)
    print("Most central members (PageRank):")
    print(central[["in_degree", "betweenness", "pagerank"]].rename(index=names).round(3)
          .to_string())
    decisions = results.wave.decisions
    print("Decision influence by group:")
    print(decisions.parity.round(2).to_string())
    print(f"Gini of decision influence: {decisions.gini:.2f}")
    print("Named most often as shaping decisions:")
    print(decisions.scores.sort_values("named", ascending=False).head(5)
          .rename(index=names).round(3).to_string())
    return {"collaborate-parity": parity, "collaborate-centralities": collaborate.centralities,
            "decision-influence": decisions.scores}


def graphs(results) -> nx.DiGraph:
    """Step 5: the networkx graph of one relation."""
    say("5. networkx graphs")
    G = results.wave.relations["collaborate"].graph
    print(f"collaborate: {G.number_of_nodes()} members, {G.number_of_edges()} ties, "
          f"density {nx.density(G):.3f}")
    lived = [m for m, data in G.nodes(data=True) if data["lived_experience"]]
    print(f"{len(lived)} members with lived experience; their ties to other silos: "
          f"{sum(1 for u, v in G.edges(lived) if G.nodes[u]['silo'] != G.nodes[v]['silo'])}")
    undirected = G.to_undirected()
    bridges = sorted(nx.articulation_points(undirected))
    print(f"single points of failure (articulation points): {len(bridges)}")
    return G


def compare(study):
    """Step 6: compare the waves."""
    say("6. Compare the waves")
    comparison = cp.compare(study, waves=["2024", "2025"], seed=SEED,
                            permutations=PERMUTATIONS)
    for sentence in comparison.headline:
        print(f"  {sentence}")
    rows = [(m.label, *m.values, m.change, m.test, m.p_value)
            for m in comparison.measures if m.category == "power"][:6]
    waves = [label for _, label in comparison.waves]
    table = pd.DataFrame(rows, columns=["measure", *waves, "change", "test", "p"])
    print(table.round(3).to_string(index=False))
    flow = comparison.flows[0]
    print(f"joined {len(flow.joined)}, left {len(flow.left)}, stayed {len(flow.stayed)}")
    return comparison


def plot(results, comparison, out: Path) -> list[Path]:
    """Step 7: two charts, if matplotlib is installed."""
    say("7. Plot")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (it is not a cpower dependency): "
              "pip install matplotlib to draw the charts. Skipped.")
        return []
    written = []
    parity = results.wave.relations["collaborate"].parity
    frame = parity.pivot(index="measure", columns="group", values="parity")
    ax = frame.plot.barh(figsize=(7, 4), title="Parity ratio, collaboration network")
    ax.axvline(1.0, color="black", linestyle="--", linewidth=1)
    written.append(out / "parity.png")
    ax.figure.savefig(written[-1], dpi=120, bbox_inches="tight")
    plt.close(ax.figure)
    waves = [label for _, label in comparison.waves]
    trend = pd.DataFrame({m.label: m.values for m in comparison.measures
                          if m.key.startswith("decisions/parity/")}, index=waves)
    ax = trend.plot(marker="o", figsize=(6, 4), title="Decision parity by wave")
    ax.axhline(1.0, color="black", linestyle="--", linewidth=1)
    written.append(out / "decision-parity.png")
    ax.figure.savefig(written[-1], dpi=120, bbox_inches="tight")
    plt.close(ax.figure)
    for path in written:
        print(f"  {path}")
    return written


def export(results, comparison, tables: dict[str, pd.DataFrame], out: Path) -> list[Path]:
    """Step 8: reports, JSON, CSV tables and (where available) Gephi."""
    say("8. Export")
    written = [
        results.to_html(out / "report-2025-evaluator.html"),
        results.to_html(out / "report-2025-retreat.html", audience="retreat"),
        results.to_json(out / "results-2025.json"),
        comparison.to_html(out / "compare-2024-2025.html"),
        comparison.to_json(out / "compare-2024-2025.json"),
    ]
    for name, table in tables.items():
        path = out / f"{name}.csv"
        table.to_csv(path)
        written.append(path)
    # results.export arrived with cpower's export module (Gephi, GraphML, Kumu, CSV);
    # older versions lack it, so check first.
    if hasattr(results, "export"):
        written.extend(Path(p) for p in results.export("gexf", out / "network-2025.gexf"))
    else:
        print("this cpower has no results.export yet: skipping the Gephi export")
    for path in written:
        print(f"  {path}")
    return [Path(p) for p in written]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path,
                        help="folder for the outputs (default: a new temporary folder)")
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="cpower-walkthrough-"))
    out.mkdir(parents=True, exist_ok=True)
    study = load()
    check_quality(study)
    results = measure(study)
    tables = dataframes(results)
    graphs(results)
    comparison = compare(study)
    written = plot(results, comparison, out) + export(results, comparison, tables, out)
    print(f"\nWrote {len(written)} files to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
