"""A wave comparison as versioned JSON (``cpower compare --json``).

Layout (``format_version`` 1): ``waves`` [[key, label]], ``stayers`` [ids],
``permutations`` (draws per test), ``seed``, ``tests_run`` (tests with a p-value: the
family of the q-values), ``summary`` (that count in words), ``headline`` [sentences],
``groups`` [{key, label, sizes (per wave), stayers, small, suppressed}], ``flows``
[{before, after, joined, left, stayed}], ``ties`` [{relation, label, before, after,
kept, gained, lost, kept_cross, gained_cross, lost_cross}], ``measures`` [{key, label,
category, values, stayers, change, change_stayers, test, p_value, q_value (Benjamini–
Hochberg), smallest_p (the smallest p the test's null can give), note (why there is no
p-value), basis (which members ``stayers`` uses), compared (how many), group,
group_size, comparable, reading}], and ``results`` {wave key: the analysis document of
that wave (see :mod:`cpower_network.export.results_json`)}. A measure of a focus group with
fewer than ``suppress_group`` members present throughout has ``p_value`` and
``q_value`` null.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .results_json import FORMAT_VERSION, dumps, plain, results_document


def comparison_document(comparison) -> dict[str, Any]:
    """The JSON document of a :class:`~cpower_network.waves.comparison.Comparison`."""
    return {
        "format_version": FORMAT_VERSION,
        "cpower_version": comparison.version,
        "kind": "comparison",
        "seed": comparison.seed,
        "permutations": comparison.permutations,
        "tests_run": comparison.tests_run,
        "summary": comparison.summary,
        "anonymized": comparison.anonymized,
        "waves": [list(w) for w in comparison.waves],
        "stayers": list(comparison.stayers),
        "headline": list(comparison.headline),
        "groups": plain(comparison.groups),
        "flows": plain(comparison.flows),
        "ties": plain(comparison.ties),
        "measures": [{**plain(m), "change": plain(m.change),
                      "change_stayers": plain(m.change_stayers)}
                     for m in comparison.measures],
        "results": {r.wave.wave: results_document(r) for r in comparison.results},
    }


def write_comparison_json(comparison, path: str | Path) -> Path:
    """Write the comparison as JSON to ``path``, atomically (as
    :func:`~cpower_network.export.results_json.write_json`)."""
    from ..common.files import write_atomically

    target = Path(path)
    write_atomically({target: dumps(comparison_document(comparison)).encode("utf-8")})
    return target
