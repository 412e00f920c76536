"""Analysis: one wave of a study measured, relation by relation, into :class:`Results`.

:func:`~cpower_network.analysis.pipeline.analyze` is the only place results are
assembled: graphs (:mod:`cpower_network.graphs`), measures (:mod:`cpower_network.measures`),
trust and value scores, the weaver's worklist, then the Collective Power indicators.

The names below are re-exported from :mod:`.pipeline`, where they were defined when this
package was the module ``cpower_network/analysis.py``.
"""

from __future__ import annotations

import importlib
from typing import Any

#: The names this package's module once held, loaded on first use (PEP 562): importing
#: one module of the package does not load the others.
_WHERE = dict.fromkeys([
    "OUT_MEASURES",
    "PARALLEL_MIN_ARCS",
    "UNDIRECTED_NOT_MEASURED",
    "Progress",
    "Submit",
    "analyze",
    "centralities_of",
    "concentration",
    "difference_table",
    "measure_decisions",
    "measure_relation",
    "measure_wave",
    "named_by_group",
    "observed_groups",
    "observed_part",
    "parity_table",
    "perception_scales",
    "perception_summary",
    "relation_brokerage",
    "relation_measurer",
    "relation_structure",
    "run_now",
    "study_info",
    "tie_strength",
    "wave_groups",
    "with_q_values",
], "pipeline")


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


__all__ = [
    "OUT_MEASURES",
    "PARALLEL_MIN_ARCS",
    "UNDIRECTED_NOT_MEASURED",
    "Progress",
    "Submit",
    "analyze",
    "centralities_of",
    "concentration",
    "difference_table",
    "measure_decisions",
    "measure_relation",
    "measure_wave",
    "named_by_group",
    "observed_groups",
    "observed_part",
    "parity_table",
    "perception_scales",
    "perception_summary",
    "relation_brokerage",
    "relation_measurer",
    "relation_structure",
    "run_now",
    "study_info",
    "tie_strength",
    "wave_groups",
    "with_q_values",
]
