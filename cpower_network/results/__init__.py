"""Results: what an analysis found, as plain data (no writers here).

:class:`~cpower_network.results.model.Results` holds one analysed wave; the report, the
JSON and the exports read it (``results.to_html()`` hands off to the report stage through
:mod:`cpower_network.common.handoff`). :mod:`.ratings` holds the trust and value scores.
"""

from __future__ import annotations

from ..common.lazy import lend

#: The names this package's module once held, loaded on first use (PEP 562): importing
#: one module of the package does not load the others.
_WHERE = dict.fromkeys([
    "MEASURE_LABELS",
    "POWER_MEASURES",
    "DecisionResult",
    "Group",
    "RelationResult",
    "Results",
    "StudyInfo",
    "TieStrength",
    "WaveResult",
], "model")


__getattr__, __dir__ = lend(__name__, _WHERE, globals())


__all__ = sorted(_WHERE)
