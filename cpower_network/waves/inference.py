"""The permutation nulls of a wave comparison, vectorised over draws.

Three nulls, each a way of rearranging the data that "nothing changed" leaves
equally likely (see :mod:`cpower_network.waves` for what each answers):

* **group labels** (:class:`GroupLabels`): a focus group's labels shuffled among the
  members compared, the same shuffle in both waves;
* **paired swap** (:class:`PairedSwap`): each member's first- and last-wave scores
  swapped with probability ½;
* **dyad swap** (:class:`DyadSwap`): each pair of members' tie state (a directed
  relation's two arcs u→v and v→u together, an undirected relation's edge) swapped
  between the first and the last wave with probability ½. Only dyads whose state
  differs between the waves can change a statistic, so only they are drawn.

A null draws boolean arrangements, shape (B, size); a statistic maps a block of
arrangements to the change it gives under each, shape (B,). :func:`run_tests` draws each
null once per block and evaluates every statistic attached to it, then applies the
rules of :mod:`cpower_network.measures.inference` (p = (k + 1)/(B + 1), two-sided,
centred on 0; the smallest attainable p).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from ..measures.inference import ALPHA, permutation_p, smallest_attainable_p

#: Most cells (draws × columns) generated at once.
BLOCK_CELLS = 4_000_000

Statistic = Callable[[np.ndarray], np.ndarray]


# ---------------------------------------------------------------------------------------
# Statistics, for one mask (shape (n,)) or a block of masks (shape (B, n))
# ---------------------------------------------------------------------------------------
def share_parity(values: np.ndarray, mask: np.ndarray) -> np.ndarray | float:
    """Parity ratio of the masked group: (Σ_G x / Σ x) / (|G| / n).

    Parameters
    ----------
    values : numpy.ndarray, shape (n,)
        Non-negative scores (e.g. in-degrees).
    mask : numpy.ndarray of bool, shape (n,) or (B, n)
        The group, or one group per row.

    Returns
    -------
    float or numpy.ndarray, shape (B,)
        NaN when nobody scores or the group is empty.

    >>> share_parity(np.array([3.0, 1.0, 0.0, 0.0]), np.array([True, False, False, False]))
    3.0
    """
    masks = np.asarray(np.atleast_2d(mask), dtype=float)
    total = float(values.sum())
    size = masks.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        found = (masks @ values) / total / (size / values.size) if total > 0 \
            else np.full(len(masks), np.nan)
    found = np.where(size > 0, found, np.nan)
    return float(found[0]) if np.ndim(mask) == 1 else found


def mean_gap(values: np.ndarray, mask: np.ndarray) -> np.ndarray | float:
    """Mean of the group minus mean of everyone else (missing values skipped).

    Parameters
    ----------
    values : numpy.ndarray, shape (n,)
        Scores, NaN where missing.
    mask : numpy.ndarray of bool, shape (n,) or (B, n)

    Returns
    -------
    float or numpy.ndarray, shape (B,)
        NaN when either side has no value.

    >>> mean_gap(np.array([4.0, 2.0, 1.0, np.nan]), np.array([True, True, False, False]))
    2.0
    """
    masks = np.asarray(np.atleast_2d(mask), dtype=float)
    valid = ~np.isnan(values)
    known = np.where(valid, values, 0.0)
    inside_sum, inside_count = masks @ known, masks @ valid.astype(float)
    outside_sum = known.sum() - inside_sum
    outside_count = valid.sum() - inside_count
    with np.errstate(divide="ignore", invalid="ignore"):
        found = inside_sum / inside_count - outside_sum / outside_count
    found = np.where((inside_count > 0) & (outside_count > 0), found, np.nan)
    return float(found[0]) if np.ndim(mask) == 1 else found


def gini_rows(values: np.ndarray) -> np.ndarray:
    """Gini coefficient of each row, as :func:`cpower_network.measures.parity.gini`.

    G = 2 Σ_i i·x_(i) / (n Σ x) − (n + 1)/n on each row sorted ascending; 0 for a row
    of zeros or a single value.

    Parameters
    ----------
    values : numpy.ndarray, shape (B, n)
        Non-negative.

    Returns
    -------
    numpy.ndarray, shape (B,)

    >>> gini_rows(np.array([[1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 4.0]])).tolist()
    [0.0, 0.75]
    """
    rows = np.atleast_2d(values)
    n = rows.shape[1]
    if n == 0:
        return np.full(len(rows), np.nan)
    total = rows.sum(axis=1)
    ranks = np.arange(1, n + 1, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        found = 2.0 * (np.sort(rows, axis=1) @ ranks) / (n * total) - (n + 1) / n
    found = np.where((total > 0) & (n > 1), found, 0.0)
    return np.clip(found, 0.0, 1.0)


def centralization_rows(degrees: np.ndarray, *, directed: bool) -> np.ndarray:
    """Freeman degree centralisation of each row of degrees: Σ(max − d) / norm, norm
    (n − 1)² for in-degrees of a directed graph, (n − 1)(n − 2) for an undirected one.

    Parameters
    ----------
    degrees : numpy.ndarray, shape (n,) or (B, n)
    directed : bool

    Returns
    -------
    numpy.ndarray, shape (B,)
        NaN for fewer than 3 members.

    >>> centralization_rows(np.array([3.0, 0.0, 0.0, 0.0]), directed=True).tolist()
    [1.0]
    """
    rows = np.atleast_2d(degrees).astype(float)
    n = rows.shape[1]
    if n < 3:
        return np.full(len(rows), np.nan)
    norm = (n - 1) ** 2 if directed else (n - 1) * (n - 2)
    return (n * rows.max(axis=1) - rows.sum(axis=1)) / norm


def ei_value(external: np.ndarray | float, total: np.ndarray | float) -> np.ndarray:
    """Krackhardt & Stern's E-I index from counts of ties: (E − I) / (E + I) =
    (2·external − total) / total; NaN without ties.

    >>> ei_value(np.array([3.0, 0.0]), np.array([4.0, 0.0])).tolist()
    [0.5, nan]
    """
    external, total = np.asarray(external, float), np.asarray(total, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, (2 * external - total) / total, np.nan)


# ---------------------------------------------------------------------------------------
# Nulls: how arrangements are drawn
# ---------------------------------------------------------------------------------------
@dataclass(eq=False)
class GroupLabels:
    """The group's labels shuffled among the members compared: rows are random
    subsets of the same size as ``mask`` (as 0.0/1.0, ready for matrix products)."""

    mask: np.ndarray
    name: str = "group labels"

    @property
    def size(self) -> int:
        return int(self.mask.size)

    def draw(self, rng: np.random.Generator, count: int) -> np.ndarray:
        ones = np.asarray(self.mask, dtype=float)
        return rng.permuted(np.broadcast_to(ones, (count, self.size)), axis=1)


@dataclass(eq=False)
class _Swaps:
    """Each of ``size`` columns' two states swapped with probability ½ (True: swap)."""

    size: int
    name: str = "swap"

    def draw(self, rng: np.random.Generator, count: int) -> np.ndarray:
        return rng.random((count, self.size)) < 0.5


@dataclass(eq=False)
class PairedSwap(_Swaps):
    """Each of ``size`` members' two scores swapped with probability ½ (True: swap)."""

    name: str = "paired swap"


@dataclass(eq=False)
class DyadSwap(_Swaps):
    """Each of ``size`` dyads' two tie states swapped with probability ½ (True: swap)."""

    name: str = "dyad swap"


Null = GroupLabels | PairedSwap | DyadSwap


# ---------------------------------------------------------------------------------------
# Statistics under a null
# ---------------------------------------------------------------------------------------
def group_change(first: np.ndarray, last: np.ndarray,
                 statistic: Callable[[np.ndarray, np.ndarray], np.ndarray | float]) \
        -> Statistic:
    """Change of ``statistic(values, group)`` from ``first`` to ``last`` for each row of
    group masks (the same shuffled group in both waves)."""
    return lambda masks: np.asarray(statistic(last, masks) - statistic(first, masks),
                                    dtype=float)


def swapped_gini_change(first: np.ndarray, last: np.ndarray) -> Statistic:
    """Gini(last) − Gini(first) with each member's two scores swapped where a row of
    the arrangement is True."""
    def change(swaps: np.ndarray) -> np.ndarray:
        before = np.where(swaps, last, first)
        after = np.where(swaps, first, last)
        return gini_rows(after) - gini_rows(before)
    return change


@dataclass(frozen=True)
class DyadChange:
    """The ties of the first and last wave on one set of ``n`` members, and the dyads
    whose state differs between them.

    Attributes
    ----------
    n : int
    directed : bool
    first, last : numpy.ndarray, shape (m, 2)
        Each wave's ties as member indices (an undirected edge once).
    pairs : numpy.ndarray, shape (k, 2)
        The dyads {u, v} (u < v) whose state differs.
    delta : numpy.ndarray, shape (k, 2)
        Last minus first, per dyad: arc u→v, arc v→u (directed); the edge, then 0
        (undirected).
    """

    n: int
    directed: bool
    first: np.ndarray
    last: np.ndarray
    pairs: np.ndarray
    delta: np.ndarray

    @property
    def size(self) -> int:
        return len(self.pairs)

    def arcs_moved(self, swaps: np.ndarray) -> np.ndarray:
        """Ties the last wave loses to the first under each arrangement, shape (B,)."""
        return swaps.astype(float) @ self.delta.sum(axis=1).astype(float)


def _slots(arcs: np.ndarray, n: int, directed: bool) -> np.ndarray:
    """A code per tie: dyad (u < v) × 2 + side (0: u→v, 1: v→u; 0 when undirected)."""
    low, high = np.minimum(arcs[:, 0], arcs[:, 1]), np.maximum(arcs[:, 0], arcs[:, 1])
    side = (arcs[:, 0] > arcs[:, 1]).astype(np.int64) if directed else 0
    return np.unique((low.astype(np.int64) * n + high) * 2 + side)


def dyad_change(first: np.ndarray, last: np.ndarray, n: int, *,
                directed: bool) -> DyadChange:
    """Collect the dyads whose tie state differs between two waves.

    Parameters
    ----------
    first, last : numpy.ndarray of int, shape (m, 2)
        Ties as member indices in 0..n − 1 (self-ties are dropped).
    n : int
    directed : bool

    Returns
    -------
    DyadChange

    >>> found = dyad_change(np.array([[0, 1], [1, 0]]), np.array([[0, 1], [2, 0]]), 3,
    ...                     directed=True)
    >>> found.pairs.tolist(), found.delta.tolist()
    ([[0, 1], [0, 2]], [[0, -1], [0, 1]])
    """
    first, last = (np.asarray(a, dtype=np.int64).reshape(-1, 2) for a in (first, last))
    first, last = first[first[:, 0] != first[:, 1]], last[last[:, 0] != last[:, 1]]
    if not directed:
        first, last = (np.unique(np.sort(a, axis=1), axis=0) for a in (first, last))
    old, new = _slots(first, n, directed), _slots(last, n, directed)
    gained, lost = np.setdiff1d(new, old), np.setdiff1d(old, new)
    slots = np.concatenate([gained, lost])
    signs = np.concatenate([np.ones(len(gained), int), -np.ones(len(lost), int)])
    dyads, where = np.unique(slots // 2, return_inverse=True)
    delta = np.zeros((len(dyads), 2), dtype=int)
    np.add.at(delta, (where, slots % 2), signs)
    pairs = np.column_stack([dyads // n, dyads % n]).astype(np.int64)
    return DyadChange(n, directed, first, last, pairs.reshape(-1, 2), delta)


def density_change(change: DyadChange, observable: int) -> tuple[float, Statistic]:
    """Observed density change and its value under dyad swaps: (m_last − m_first) / P,
    P the observable pairs (ordered when directed).

    >>> found = dyad_change(np.array([[0, 1]]), np.array([[0, 1], [1, 2]]), 3,
    ...                     directed=True)
    >>> observed, swapped = density_change(found, 6)
    >>> observed, swapped(np.array([[False], [True]])).tolist()
    (0.16666666666666666, [0.16666666666666666, -0.16666666666666666])
    """
    if observable <= 0:
        return math.nan, lambda swaps: np.full(len(swaps), np.nan)
    observed = (len(change.last) - len(change.first)) / observable
    return observed, lambda swaps: observed - 2 * change.arcs_moved(swaps) / observable


def ei_change(change: DyadChange, codes: np.ndarray) -> tuple[float, Statistic]:
    """Observed E-I change and its value under dyad swaps (silo ``codes`` per member)."""
    def external(arcs: np.ndarray) -> int:
        return int(np.count_nonzero(codes[arcs[:, 0]] != codes[arcs[:, 1]]))

    ext_first, ext_last = external(change.first), external(change.last)
    tot_first, tot_last = len(change.first), len(change.last)
    across = (codes[change.pairs[:, 0]] != codes[change.pairs[:, 1]]).astype(float)
    moved_across = change.delta.sum(axis=1) * across
    observed = float(ei_value(ext_last, tot_last) - ei_value(ext_first, tot_first))

    def swapped(swaps: np.ndarray) -> np.ndarray:
        moved = change.arcs_moved(swaps)
        crossing = swaps.astype(float) @ moved_across
        return (ei_value(ext_last - crossing, tot_last - moved)
                - ei_value(ext_first + crossing, tot_first + moved))
    return observed, swapped


def degrees_of(arcs: np.ndarray, n: int, *, directed: bool) -> np.ndarray:
    """In-degrees (directed) or degrees (undirected) from ties as index pairs.

    >>> degrees_of(np.array([[0, 1], [2, 1]]), 3, directed=True).tolist()
    [0.0, 2.0, 0.0]
    """
    ends = arcs[:, 1] if directed else arcs.ravel()
    return np.bincount(ends, minlength=n).astype(float)


def centralization_change(change: DyadChange) -> tuple[float, Statistic]:
    """Observed change of Freeman degree centralisation (in-degree when directed) and
    its value under dyad swaps, in-degrees recomputed from the swapped ties."""
    directed, n = change.directed, change.n
    first = degrees_of(change.first, n, directed=directed)
    last = degrees_of(change.last, n, directed=directed)
    u, v = change.pairs[:, 0], change.pairs[:, 1]
    k = change.size
    if directed:  # arc u→v moves v's in-degree, arc v→u moves u's
        rows, cols, data = (np.r_[np.arange(k), np.arange(k)], np.r_[v, u],
                            np.r_[change.delta[:, 0], change.delta[:, 1]])
    else:
        rows, cols = np.r_[np.arange(k), np.arange(k)], np.r_[u, v]
        data = np.r_[change.delta[:, 0], change.delta[:, 0]]
    moves = sp.csr_matrix((data.astype(float), (rows, cols)), shape=(k, n)).T.tocsr()
    observed = float(centralization_rows(last, directed=directed)[0]
                     - centralization_rows(first, directed=directed)[0])

    def swapped(swaps: np.ndarray) -> np.ndarray:
        moved = np.asarray(moves @ swaps.T.astype(float)).T if k else \
            np.zeros((len(swaps), n))
        return (centralization_rows(last - moved, directed=directed)
                - centralization_rows(first + moved, directed=directed))
    return observed, swapped


# ---------------------------------------------------------------------------------------
# Running tests
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PermutationResult:
    """One permutation test: the observed change, its p-value and the smallest p-value
    its null can give (:func:`~cpower_network.measures.inference.smallest_attainable_p`).
    """

    observed: float
    p_value: float
    smallest_p: float
    draws: int

    @property
    def testable(self) -> bool:
        """Whether the null can reach p ≤ ALPHA at all."""
        return math.isfinite(self.smallest_p) and self.smallest_p <= ALPHA


@dataclass(eq=False)
class Pending:
    """A test waiting for draws: its key, null, observed change and statistic."""

    key: str
    null: Null
    observed: float
    statistic: Statistic
    found: list[np.ndarray] = field(default_factory=list)


def blocks(draws: int, size: int) -> Iterator[int]:
    """Block lengths adding up to ``draws``, each at most :data:`BLOCK_CELLS` cells.

    >>> list(blocks(5, 2_000_000))
    [2, 2, 1]
    """
    step = max(1, min(draws, BLOCK_CELLS // max(size, 1)))
    for start in range(0, draws, step):
        yield min(step, draws - start)


def run_tests(pending: list[Pending], draws: int | Callable[[int], int],
              rng: np.random.Generator) -> dict[str, PermutationResult]:
    """Draw every null once per block, evaluate the statistics attached to it, and
    return each test's result by key.

    ``draws`` is the number of draws per null, or a function of the null's size (its
    columns: members or dyads) giving it. Tests sharing a null object share its draws
    (each test is still exact; only their dependence changes). Nulls are drawn in the
    order they first appear, so the same ``pending`` and seed give the same results.
    """
    order: dict[int, tuple[Null, list[Pending]]] = {}
    for test in pending:
        order.setdefault(id(test.null), (test.null, []))[1].append(test)
    for null, tests in order.values():
        wanted = draws(null.size) if callable(draws) else draws
        for count in blocks(wanted, null.size):
            arrangement = null.draw(rng, count)
            for test in tests:
                test.found.append(np.asarray(test.statistic(arrangement), dtype=float))
    results = {}
    for test in pending:
        values = np.concatenate(test.found) if test.found else np.zeros(0)
        test.found = []
        results[test.key] = PermutationResult(
            test.observed, permutation_p(test.observed, values),
            smallest_attainable_p(values), int(values.size))
    return results


def run_one(null: Null, observed: float, statistic: Statistic, *, draws: int,
            rng: np.random.Generator) -> PermutationResult:
    """One test (see :func:`run_tests`)."""
    return run_tests([Pending("test", null, observed, statistic)], draws, rng)["test"]
