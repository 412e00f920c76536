"""A wave comparison as versioned JSON (``cpower compare --json``).

Layout (``format_version`` 1): ``waves`` [[key, label]], ``stayers`` [ids],
``permutations``, ``seed``, ``headline`` [sentences], ``flows`` [{before, after, joined,
left, stayed}], ``ties`` [{relation, label, before, after, kept, gained, lost,
kept_cross, gained_cross, lost_cross}], ``measures`` [{key, label, category, values,
stayers, change, change_stayers, test, p_value, reading}], and ``results`` {wave key:
the analysis document of that wave (see :mod:`cpower_network.results_json`)}.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .results_json import FORMAT_VERSION, dumps, plain, results_document


def comparison_document(comparison) -> dict[str, Any]:
    """The JSON document of a :class:`~cpower_network.waves.Comparison`."""
    return {
        "format_version": FORMAT_VERSION,
        "cpower_version": comparison.version,
        "kind": "comparison",
        "seed": comparison.seed,
        "permutations": comparison.permutations,
        "anonymized": comparison.anonymized,
        "waves": [list(w) for w in comparison.waves],
        "stayers": list(comparison.stayers),
        "headline": list(comparison.headline),
        "flows": plain(comparison.flows),
        "ties": plain(comparison.ties),
        "measures": [{**plain(m), "change": plain(m.change),
                      "change_stayers": plain(m.change_stayers)}
                     for m in comparison.measures],
        "results": {r.wave.wave: results_document(r) for r in comparison.results},
    }


def write_comparison_json(comparison, path: str | Path) -> Path:
    """Write the comparison as JSON to ``path``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(dumps(comparison_document(comparison)), encoding="utf-8", newline="\n")
    return target
