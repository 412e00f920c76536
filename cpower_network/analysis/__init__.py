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

from ..common.lazy import lend

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


__getattr__, __dir__ = lend(__name__, _WHERE, globals())


__all__ = sorted(_WHERE)
