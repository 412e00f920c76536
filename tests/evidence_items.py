"""Finding one evidence item among computed indicators, for the indicator tests."""

from __future__ import annotations

from typing import Any


def evidence_of(indicators: Any, key: str) -> Any:
    """The evidence item ``key`` of ``indicators`` (any milestone)."""
    return next(i for m in indicators.milestones for i in m.items if i.key == key)


def item(results: Any, key: str) -> Any:
    """The evidence item ``key`` of ``results``' indicators."""
    return evidence_of(results.indicators, key)
