"""Waves: a study's waves compared, measure by measure and tie by tie.

:func:`~cpower_network.waves.comparison.compare` analyses each wave and builds a
:class:`~cpower_network.waves.comparison.Comparison`; :mod:`.measures` tracks each measure,
:mod:`.inference` tests change (the dyad swap), :mod:`.reading` words it and
:mod:`.views` prepares what the comparison report shows.
"""

from __future__ import annotations

import importlib
from typing import Any

#: The names this package's module once held, loaded on first use (PEP 562): importing
#: one module of the package does not load the others.
_WHERE = dict.fromkeys([
    "Comparison",
    "GroupSize",
    "MeasureChange",
    "MemberFlow",
    "Progress",
    "TieChange",
    "compare",
    "draws_rule",
], "comparison")


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


__all__ = [
    "Comparison",
    "GroupSize",
    "MeasureChange",
    "MemberFlow",
    "Progress",
    "TieChange",
    "compare",
    "draws_rule",
]
