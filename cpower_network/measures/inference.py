"""Rules every permutation test of cpower follows (docs/methods.md §Tests and p-values).

* A printed p-value comes from at least :data:`MIN_DRAWS` draws; ``0`` draws means "not
  tested". Anything in between is refused (:func:`check_draws`), in the API as in the CLI.
* p = (k + 1) / (B + 1), k the draws at least as far from the null's centre as the
  observed value (Phipson & Smyth 2010): never zero.
* A test whose null cannot reach p ≤ 0.05 even for the most extreme value it can draw is
  "not testable with these data" (:func:`smallest_attainable_p`), never "within noise".
* Many tests in one report: Benjamini–Hochberg q-values (:func:`bh_q_values`), and only
  q < 0.05 is called "larger than chance".

>>> check_draws(1000)
1000
>>> bh_q_values([0.01, 0.04, None, 0.03])
[0.03, 0.04, None, 0.04]
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence

import numpy as np

from ..errors import UsageError

__all__ = ["ALPHA", "MAX_DRAWS", "MIN_DRAWS", "NOT_TESTABLE", "WORK_PER_TEST", "bh_q_values",
           "can_reject", "check_draws", "check_seed", "draws_for_family", "permutation_p",
           "shuffled_rows",
           "smallest_attainable_p"]

#: Fewest draws behind any printed p-value.
MIN_DRAWS = 1000
#: The most draws one test may ask for: a p-value to 1e-6; more would run for hours.
MAX_DRAWS = 1_000_000
#: Significance level and false discovery rate of every listing.
ALPHA = 0.05
#: Budget of one refined test, in elements touched (draws × ties or draws × members):
#: about a second on one core of the 2-core reference machine.
WORK_PER_TEST = 150_000_000
#: What a report says of a test whose null cannot reach ``ALPHA``.
NOT_TESTABLE = "not testable with these data"


def check_draws(permutations: object, *, name: str = "permutations") -> int:
    """Validate a number of permutation draws: 0 (no test) or at least :data:`MIN_DRAWS`.

    Parameters
    ----------
    permutations : int
        Draws asked for.
    name : str
        How the caller calls the setting, for the message.

    Returns
    -------
    int
        ``permutations`` as an int.

    Raises
    ------
    UsageError
        If it is not a whole number, negative, between 1 and ``MIN_DRAWS - 1``, or
        above :data:`MAX_DRAWS`.

    >>> check_draws(0)
    0
    >>> check_draws(200)
    Traceback (most recent call last):
    ...
    cpower_network.errors.UsageError: permutations must be 0 (no test) or at least 1000 \
(a p-value from fewer draws is not printed), got 200
    """
    try:
        if isinstance(permutations, bool):
            raise TypeError
        value = operator.index(permutations)
    except TypeError:
        raise UsageError(f"{name} must be a whole number, got {permutations!r}") from None
    if value < 0 or 0 < value < MIN_DRAWS:
        raise UsageError(f"{name} must be 0 (no test) or at least {MIN_DRAWS} (a p-value "
                         f"from fewer draws is not printed), got {value}")
    if value > MAX_DRAWS:
        raise UsageError(f"{name} must be at most {MAX_DRAWS:,} (a p-value to 0.000001; "
                         f"more would run for hours), got {value:,}")
    return value


def check_seed(seed: object) -> int:
    """Validate a random seed: a whole number, 0 or more (numpy refuses negative seeds).

    >>> check_seed(7)
    7
    >>> check_seed(-1)
    Traceback (most recent call last):
    ...
    cpower_network.errors.UsageError: seed must be a whole number, 0 or more, got -1
    """
    try:
        if isinstance(seed, bool):
            raise TypeError
        value = operator.index(seed)
    except TypeError:
        value = -1
    if value < 0:
        raise UsageError(f"seed must be a whole number, 0 or more, got {seed!r}")
    return value


def permutation_p(observed: float, draws: np.ndarray, center: float = 0.0) -> float:
    """Two-sided permutation p-value, (k + 1) / (B + 1).

    Parameters
    ----------
    observed : float
        The statistic on the data.
    draws : numpy.ndarray, shape (B,)
        The statistic under the null (NaN draws are dropped).
    center : float
        The null's expected value; k counts draws with |draw − center| ≥
        |observed − center| (a relative tolerance of 1e-12 absorbs rounding).

    Returns
    -------
    float
        In (0, 1]; NaN when ``observed`` is NaN or no draw is finite.

    >>> permutation_p(2.0, np.array([0.5, -3.0, 1.0]))
    0.5
    """
    draws = np.asarray(draws, dtype=float)
    draws = draws[np.isfinite(draws)]
    if not math.isfinite(observed) or not draws.size:
        return math.nan
    distance = abs(observed - center)
    tolerance = 1e-12 * max(1.0, distance)
    extreme = int(np.count_nonzero(np.abs(draws - center) >= distance - tolerance))
    return (extreme + 1) / (draws.size + 1)


def smallest_attainable_p(draws: np.ndarray, center: float = 0.0) -> float:
    """The p-value the most extreme value the null draws would get.

    A permutation test's observed statistic is itself one of the null's arrangements,
    so no observation can lie beyond the null's support: when even its most extreme
    draw gets p > :data:`ALPHA`, the data cannot show a difference (e.g. a group of one
    member among four: a quarter of the shuffles give the same extreme value).

    >>> smallest_attainable_p(np.array([1.0, -1.0, 1.0, -1.0]))
    1.0
    >>> round(smallest_attainable_p(np.arange(-50, 50, dtype=float)), 3)
    0.02
    """
    draws = np.asarray(draws, dtype=float)
    draws = draws[np.isfinite(draws)]
    if not draws.size:
        return math.nan
    return permutation_p(float(np.max(np.abs(draws - center))) + center, draws, center)


def shuffled_rows(rows: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Shuffle each row of ``rows`` on its own, in place, and return it.

    The same draws as ``rng.permuted(rows, axis=1)`` (tested), one contiguous shuffle
    per row, which is faster for the (draws, members) arrays of permutation tests.

    >>> rows = np.tile(np.arange(4), (2, 1))
    >>> bool((shuffled_rows(rows.copy(), np.random.default_rng(1))
    ...       == np.random.default_rng(1).permuted(rows, axis=1)).all())
    True
    """
    for row in rows:
        rng.shuffle(row)
    return rows


def can_reject(draws: np.ndarray, center: float = 0.0) -> bool:
    """Whether the null behind ``draws`` can reach p ≤ :data:`ALPHA` at all.

    >>> can_reject(np.array([0.0, 0.0, 0.0]))
    False
    """
    smallest = smallest_attainable_p(draws, center)
    return math.isfinite(smallest) and smallest <= ALPHA


def bh_q_values(p_values: Sequence[float | None]) -> list[float | None]:
    """Benjamini–Hochberg q-values of a family of tests (false discovery rate).

    Untested entries (None or NaN) keep their place and are not counted in the family.
    Equal to :func:`scipy.stats.false_discovery_control` (method ``"bh"``), bit for bit.

    Parameters
    ----------
    p_values : sequence of float or None, length m

    Returns
    -------
    list of float or None, length m
        q_i = min over j with p_j ≥ p_i of min(1, p_j · m / rank_j); Benjamini &
        Hochberg (1995), *JRSS B* 57.

    >>> bh_q_values([0.001, 0.02, 0.5])
    [0.003, 0.03, 0.5]
    """
    tested = [i for i, p in enumerate(p_values)
              if p is not None and math.isfinite(float(p))]
    found: list[float | None] = [None] * len(p_values)
    if not tested:
        return found
    q = _benjamini_hochberg(np.array([float(p_values[i]) for i in tested]))
    for i, value in zip(tested, q, strict=True):
        found[i] = round(float(value), 12)
    return found


def _benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """BH-adjusted p-values, the arithmetic of :func:`scipy.stats.false_discovery_control`
    (``method="bh"``) step for step, so the two agree to the last bit (tested). Written
    out because importing ``scipy.stats`` costs over a second per command."""
    order = np.argsort(p)
    adjusted = p[order] * (p.size / np.arange(1, p.size + 1, dtype=float))
    adjusted = np.minimum.accumulate(adjusted[::-1])[::-1]
    found = np.empty_like(adjusted)
    found[order] = adjusted
    return np.clip(found, 0.0, 1.0)


def draws_for_family(tests: int, size: int, *, alpha: float = ALPHA,
                     work: int = WORK_PER_TEST) -> int:
    """Draws a test needs so that its q-value is precise within a family of ``tests``.

    docs/methods.md §Tests and p-values: B ≥ 20·m/α (Benjamini–Hochberg compares the smallest
    p-values with
    α/m, and a Monte Carlo p is resolved to about 1/B), rounded up to a thousand, at
    least :data:`MIN_DRAWS`, and at most what ``work`` allows for a statistic that
    touches ``size`` elements per draw (ties, or members).

    Parameters
    ----------
    tests : int
        Size m of the family.
    size : int
        Elements per draw (the test's cost unit).

    >>> draws_for_family(55, 3_000)
    22000
    >>> draws_for_family(55, 140_000)  # a 15,000-member network: what time allows
    1071
    >>> draws_for_family(1, 10)
    1000
    """
    wanted = math.ceil(20 * max(tests, 1) / alpha / 1000) * 1000
    affordable = work // max(size, 1)
    return int(max(MIN_DRAWS, min(wanted, affordable, MAX_DRAWS)))
