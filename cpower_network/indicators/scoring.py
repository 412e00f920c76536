"""Scoring rules: how one raw value becomes a 0–100 score. Each says how, in words."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Component:
    """One raw value, its 0–100 score (``None`` when not measured) and how it was scored."""

    label: str
    raw: float | None
    score: float | None
    how: str

    @property
    def reason(self) -> str | None:
        """Why the value was not measured (None when it was scored).

        >>> not_measured("density", "no ties in collaborate").reason
        'no ties in collaborate'
        >>> Component("x", None, None, "not asked").reason
        "not asked in this wave's surveys"
        >>> share("s", 0.5).reason is None
        True
        """
        if self.score is not None:
            return None
        if self.how == NOT_ASKED:
            return "not asked in this wave's surveys"
        return self.how.removeprefix(NOT_MEASURED).lstrip(": ") or "undefined on these data"


#: How a component that could not be scored is described (``"not measured: <reason>"``).
NOT_MEASURED = "not measured"
#: How a perception item the surveys did not ask is described.
NOT_ASKED = "not asked"


def not_measured(label: str, reason: str) -> Component:
    """A component that is not measured, and why (no raw value: it would mislead).

    >>> not_measured("parity of trust received", "no ties in trust")
    Component(label='parity of trust received', raw=None, score=None, how='not measured: no ties in trust')
    """  # noqa: E501
    return Component(label, None, None, f"{NOT_MEASURED}: {reason}")


def why_not_measured(components: list[Component]) -> str:
    """The distinct reasons among ``components`` not measured, in order ("no evidence"
    when none gives one).

    >>> why_not_measured([not_measured("a", "no ties in trust"), share("b", 0.5),
    ...                   not_measured("c", "no ties in trust")])
    'no ties in trust'
    """
    return "; ".join(dict.fromkeys(c.reason for c in components if c.reason)) or \
        "no evidence"


def _clip(value: float) -> float:
    return max(0.0, min(100.0, value))


def missing(value: float | None) -> bool:
    """Whether a raw value is missing: None, NaN or infinite (never a score).

    >>> missing(None), missing(float("nan")), missing(float("inf")), missing(0.0)
    (True, True, True, False)
    """
    if value is None:
        return True
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return True


def parity(label: str, ratio: float | None) -> Component:
    """A parity ratio: 1 or more scores 100, below 1 proportionally.

    >>> parity("p", 0.5).score, parity("p", 1.4).score, parity("p", None).score
    (50.0, 100.0, None)
    """
    if missing(ratio):
        return Component(label, None, None, "not measured")
    return Component(label, ratio, _clip(100 * ratio),
                     "parity ratio × 100, capped at 100 (1.0 = share in proportion)")


def share(label: str, value: float | None) -> Component:
    """A share where more is better (0 → 0, 1 → 100).

    >>> share("s", 0.25).score
    25.0
    """
    if missing(value):
        return Component(label, None, None, "not measured")
    return Component(label, value, _clip(100 * value), "share × 100")


def inverse_share(label: str, value: float | None) -> Component:
    """A share where less is better (0 → 100, 1 → 0).

    >>> inverse_share("fragmentation", 0.3).score
    70.0
    """
    if missing(value):
        return Component(label, None, None, "not measured")
    return Component(label, value, _clip(100 * (1 - value)), "(1 − value) × 100")


def on_scale(label: str, mean: float | None, low: float, high: float) -> Component:
    """A mean answer on a scale from ``low`` to ``high``, rescaled to 0–100.

    >>> on_scale("item", 4.0, 1, 5).score
    75.0
    """
    if missing(mean) or missing(low) or missing(high) or high <= low:
        return Component(label, None if missing(mean) else mean, None, "not measured")
    return Component(label, mean, _clip(100 * (mean - low) / (high - low)),
                     f"(mean − {low:g}) ÷ ({high:g} − {low:g}) × 100")


def against_target(label: str, value: float | None, target: float) -> Component:
    """A value that scores 100 once it reaches ``target`` (proportionally below).

    >>> against_target("density", 0.1, 0.2).score
    50.0
    """
    if missing(value):
        return Component(label, None, None, "not measured")
    return Component(label, value, _clip(100 * value / target),
                     f"value ÷ {target:g} × 100, capped at 100 (target {target:g})")


def against_expected(label: str, observed: float | None, expected: float | None,
                     floor: float = -1.0) -> Component:
    """An observed value against its random-mixing expectation: at or above the
    expectation scores 100; ``floor`` (e.g. E-I = −1, all ties inside) scores 0.

    >>> round(against_expected("E-I", -0.5, 0.0).score, 1)
    50.0
    """
    if missing(observed) or missing(expected) or expected <= floor:
        return Component(label, None if missing(observed) else observed, None,
                         "not measured")
    score = 100 * (observed - floor) / (expected - floor)
    return Component(label, observed, _clip(score),
                     f"(value − {floor:g}) ÷ (expected at random − {floor:g}) × 100, "
                     f"capped at 100 (expected {expected:.2f})")


def gap(label: str, value: float | None, span: float) -> Component:
    """A gap between a group and the rest on a scale of width ``span``: no gap or a
    positive gap scores 100; a gap of −span scores 0.

    >>> gap("voice gap", -1.0, 4).score
    75.0
    """
    if missing(value) or missing(span) or span <= 0:
        return Component(label, None if missing(value) else value, None, "not measured")
    return Component(label, value, _clip(100 * (1 + min(value, 0.0) / span)),
                     f"100 × (1 + min(gap, 0) ÷ {span:g}): a negative gap lowers the score")


def mean_score(components: list[Component]) -> float | None:
    """Mean score of the measured components (``None`` when none is measured).

    >>> mean_score([share("a", 0.2), share("b", None), share("c", 0.6)])
    40.0
    """
    scores = [c.score for c in components if c.score is not None]
    return sum(scores) / len(scores) if scores else None
