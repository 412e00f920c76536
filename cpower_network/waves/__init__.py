"""Waves: a study's waves compared, measure by measure and tie by tie.

:func:`~cpower_network.waves.comparison.compare` analyses each wave and builds a
:class:`~cpower_network.waves.comparison.Comparison` of change records
(:mod:`.changes`); :mod:`.measures` tracks each measure,
:mod:`.inference` tests change (the dyad swap), :mod:`.reading` words it and
:mod:`.views` prepares what the comparison report shows.
"""

from __future__ import annotations

from ..common.lazy import lend

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


__getattr__, __dir__ = lend(__name__, _WHERE, globals())


__all__ = sorted(_WHERE)
