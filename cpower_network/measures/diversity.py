"""Diversity of membership (docs/methods.md §Indicators, setting the table)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable


def blau_index(values: Iterable[object], *, normalized: bool = False) -> float:
    """Blau's index of heterogeneity of a categorical attribute.

    .. math:: B = 1 - \\sum_k p_k^2, \\qquad B_{norm} = \\frac{B}{1 - 1/K}

    where :math:`p_k` is the share of members in category k and K the number of
    categories present. B is the chance that two members drawn at random (with
    replacement) differ; normalised, 1 means members are spread evenly over the K
    categories.

    Parameters
    ----------
    values : iterable
        One category per member (e.g. each member's silo).
    normalized : bool
        Divide by the maximum 1 − 1/K (0 when K = 1).

    Returns
    -------
    float
        NaN when there are no values.

    References
    ----------
    Blau, P. M. (1977). *Inequality and Heterogeneity*. New York: Free Press.

    Examples
    --------
    >>> blau_index(["a", "a", "b", "b"])
    0.5
    >>> blau_index(["a", "a", "a", "b"], normalized=True)
    0.75
    """
    counts = Counter(values)
    n = sum(counts.values())
    if n == 0:
        return float("nan")
    index = 1.0 - sum((c / n) ** 2 for c in counts.values())
    if not normalized:
        return index
    k = len(counts)
    return index / (1.0 - 1.0 / k) if k > 1 else 0.0
