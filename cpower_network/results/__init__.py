"""Results: what an analysis found, as plain data (no writers here).

:class:`~cpower_network.results.model.Results` holds one analysed wave; the report, the
JSON and the exports read it (``results.to_html()`` hands off to the report stage through
:mod:`cpower_network.common.handoff`). :mod:`.ratings` holds the trust and value scores.
"""

from __future__ import annotations

import importlib
from typing import Any

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


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


__all__ = [
    "MEASURE_LABELS",
    "POWER_MEASURES",
    "DecisionResult",
    "Group",
    "RelationResult",
    "Results",
    "StudyInfo",
    "TieStrength",
    "WaveResult",
]
