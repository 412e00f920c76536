"""Evidence items and the registry of the rules that make them.

:class:`EvidenceItem` is one piece of evidence for an indicator: its components (raw
value, 0–100 score, how it was scored), a breakdown by group, and notes. :data:`RULES`
lists the rule functions that make them, in the order the :func:`rule` decorator
registered them (that of :mod:`.items`, which imports every rule module): the order of
the indicators' items in reports and JSON.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from ..config.indicators import IndicatorSettings
from ..results.model import Results
from . import scoring
from .roles import Source, relation_for, undirected_note
from .scoring import Component


@dataclass
class EvidenceItem:
    """One piece of evidence for an indicator."""

    key: str
    milestone: str
    label: str
    components: list[Component]
    breakdown: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    weight: float = 1.0

    @property
    def score(self) -> float | None:
        return scoring.mean_score(self.components)

    @property
    def measured(self) -> bool:
        return self.score is not None

    @property
    def not_measured(self) -> str | None:
        """Why the item is not measured (its components' reasons), None when it is."""
        return None if self.measured else scoring.why_not_measured(self.components)


Rule = Callable[[Results, IndicatorSettings], EvidenceItem]
RULES: list[tuple[str, str, str, Rule]] = []


def rule(key: str, milestone: str, label: str, *, role: str | None = None,
         received: str | None = None) -> Callable[[Callable[..., EvidenceItem]], Rule]:
    """Register an evidence rule under its milestone.

    With ``role``, the rule reads the relation playing that role (:func:`relation_for`)
    and is called as ``function(results, settings, source)`` only when there is one;
    without one, the item is not measured and says why. The item's notes then end with
    those on the choice of relation and, when ``received`` is given and the relation is
    undirected, on what ``received`` counts (:func:`undirected_note`).
    """

    def register(function: Callable[..., EvidenceItem]) -> Rule:
        if role is not None:
            function = _reading(role, key, milestone, label, received, function)
        RULES.append((key, milestone, label, function))
        return function

    return register


def _reading(role: str, key: str, milestone: str, label: str, received: str | None,
             function: Callable[[Results, IndicatorSettings, Source], EvidenceItem]) -> Rule:
    """``function`` as a rule reading the relation playing ``role`` (see :func:`rule`)."""

    @functools.wraps(function)
    def run(results: Results, settings: IndicatorSettings) -> EvidenceItem:
        source = relation_for(results, settings, role)
        if source.relation is None:
            found = EvidenceItem(key, milestone, label,
                                 [Component(label, None, None, source.reason)])
        else:
            found = function(results, settings, source)
        found.notes = found.notes + source.notes + (
            undirected_note(source, received) if received else [])
        return found

    return run
