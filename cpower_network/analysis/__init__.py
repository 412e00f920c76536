"""Analysis: one wave of a study measured, relation by relation, into :class:`Results`.

:func:`~cpower_network.analysis.pipeline.analyze` is the only place results are
assembled: graphs (:mod:`cpower_network.graphs`), measures (:mod:`cpower_network.measures`),
trust and value scores, the weaver's worklist, then the Collective Power indicators.

The names below are re-exported from the modules that hold them (:mod:`.pipeline` the
steps, :mod:`.members`, :mod:`.centralities`, :mod:`.group_tables`, :mod:`.decisions`,
:mod:`.perceptions` and :mod:`.deferred` their parts); they were all defined in the module
``cpower_network/analysis.py`` when this package was that module.
"""

from __future__ import annotations

import importlib
from typing import Any

#: The names this package's module once held, loaded on first use (PEP 562): importing
#: one module of the package does not load the others.
_WHERE = {
    **dict.fromkeys(["OUT_MEASURES", "Progress", "UNDIRECTED_NOT_MEASURED", "analyze",
                     "concentration", "measure_relation", "measure_wave", "relation_brokerage",
                     "relation_measurer", "relation_structure", "study_info", "tie_strength",
                     "with_q_values"], "pipeline"),
    **dict.fromkeys(["observed_groups", "observed_part", "wave_groups"], "members"),
    **dict.fromkeys(["PARALLEL_MIN_ARCS", "centralities_of"], "centralities"),
    **dict.fromkeys(["Submit", "run_now"], "deferred"),
    **dict.fromkeys(["difference_table", "parity_table"], "group_tables"),
    **dict.fromkeys(["measure_decisions", "named_by_group"], "decisions"),
    **dict.fromkeys(["perception_scales", "perception_summary"], "perceptions"),
}


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
