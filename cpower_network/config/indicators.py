"""Indicator settings: bands, weights and targets (evidence is found by relation role:
see :mod:`cpower_network.indicators.roles`).

The defaults are those of docs/methods.md §Indicators: a starting point for a
coalition's own conversation, not a verdict. Override any of them in ``cpower.toml``::

    [indicators]
    emerging_below = 40
    strong_from = 70
    density_target = 0.25

    [indicators.weights]
    mutual_trust = 2          # count this item twice
    collaboration = 0         # leave this item out
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from ..errors import config_error
from . import reference
from .schema import TableReader, closest


@dataclass(frozen=True)
class IndicatorSettings:
    """Everything that turns evidence into scores and bands.

    Attributes
    ----------
    emerging_below, strong_from : float
        Bands: Emerging < ``emerging_below`` ≤ Developing < ``strong_from`` ≤ Strong.
    lived_experience, grassroots : str
        Focus-group keys read as "lived experience" and "grassroots".
    trust_relation, collaboration_relation, advice_relation, resources_relation : str
        Kept for studies written before relation roles: at its default the evidence
        is the relation playing the role (``[relations.<key>] role``, see
        :mod:`cpower_network.indicators.roles`); changed, it names the relation
        outright (a missing one makes the items "not measured").
    density_target, clustering_target : float
        Collaboration density and clustering at which the collaboration item scores 100.
    weights : mapping of item key to weight
        Weight of each evidence item in its indicator (default 1; 0 leaves it out).
    """

    emerging_below: float = 40.0
    strong_from: float = 70.0
    lived_experience: str = "lived_experience"
    grassroots: str = "grassroots"
    trust_relation: str = "trust"
    collaboration_relation: str = "collaborate"
    advice_relation: str = "advice"
    resources_relation: str = "resources"
    density_target: float = 0.20
    clustering_target: float = 0.40
    weights: Mapping[str, float] = field(default_factory=dict)

    def relation_override(self, role: str) -> str | None:
        """The relation an ``[indicators] <role>_relation`` setting names for ``role``,
        or None when the setting is at its default (the relation is found by role).

        >>> IndicatorSettings().relation_override("trust") is None
        True
        >>> IndicatorSettings(collaboration_relation="work").relation_override(
        ...     "collaboration")
        'work'
        """
        name = ROLE_SETTINGS.get(role)
        if name is None:
            return None
        value = getattr(self, name)
        return None if value == _DEFAULTS[name] else value

    def weight(self, item: str) -> float:
        return float(self.weights.get(item, 1.0))

    def band(self, score: float | None) -> str:
        """The band of a 0–100 score.

        >>> s = IndicatorSettings()
        >>> s.band(39.9), s.band(40), s.band(70), s.band(None)
        ('Emerging', 'Developing', 'Strong', 'Not measured')
        """
        if score is None or score != score:
            return "Not measured"
        if score < self.emerging_below:
            return "Emerging"
        return "Developing" if score < self.strong_from else "Strong"


#: The setting that may name each role's relation outright.
ROLE_SETTINGS = {"trust": "trust_relation", "collaboration": "collaboration_relation",
                 "advice": "advice_relation", "resources": "resources_relation"}
_DEFAULTS = {f.name: f.default for f in fields(IndicatorSettings)}


def read_indicator_settings(table: Mapping[str, Any], *, item_keys: list[str],
                            source: str = "cpower.toml") -> IndicatorSettings:
    """Parse ``[indicators]`` over the defaults, collecting every problem."""
    problems: list[str] = []
    reader = TableReader(table, "[indicators]", problems)
    reader.check_keys(reference.keys("indicators"))
    default = IndicatorSettings()
    values: dict[str, Any] = {}
    for f in fields(IndicatorSettings):
        if f.name == "weights" or f.name not in reader.table:
            continue
        current = getattr(default, f.name)
        values[f.name] = (reader.number(f.name, current) if isinstance(current, float)
                          else reader.text(f.name, current))
    weights = dict(reader.table_of("weights"))
    for key, weight in weights.items():
        if key not in item_keys:
            hint = closest(key, item_keys)
            problems.append(f"[indicators.weights] {key!r} is not an evidence item"
                            + (f"; did you mean {hint!r}?" if hint else ""))
        elif isinstance(weight, bool) or not isinstance(weight, (int, float)) \
                or not math.isfinite(weight) or weight < 0:
            problems.append(f"[indicators.weights] {key} must be a number ≥ 0")
    settings = IndicatorSettings(**values, weights=weights)
    if not 0 <= settings.emerging_below <= settings.strong_from <= 100:
        problems.append("[indicators] needs 0 ≤ emerging_below ≤ strong_from ≤ 100")
    for target in ("density_target", "clustering_target"):
        if not getattr(settings, target) > 0:
            problems.append(f"[indicators] {target} must be a number > 0 (the value that "
                            "scores 100)")
    if problems:
        raise config_error(problems, source=source)
    return settings
