"""Adjusted mutual information of two labellings (Vinh, Epps and Bailey 2010).

scikit-learn's ``adjusted_mutual_info_score`` is the reference (the tests compare the two
on generated labellings); it is re-implemented here with numpy because importing
``sklearn.metrics`` costs about two seconds, more than a whole analysis of a 300-member
coalition.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["adjusted_mutual_information"]

_EPS = float(np.finfo("float64").eps)


def _contingency(a: Sequence[Any], b: Sequence[Any]) -> np.ndarray:
    """Counts of items per (label of ``a``, label of ``b``), shape (R, C)."""
    rows, cols = _codes(a), _codes(b)
    table = np.zeros((int(rows.max()) + 1, int(cols.max()) + 1), dtype=np.int64)
    np.add.at(table, (rows, cols), 1)
    return table


def _codes(labels: Sequence[Any]) -> np.ndarray:
    """Each label's index among the distinct labels, in order of first appearance."""
    index: dict[Any, int] = {}
    return np.array([index.setdefault(label, len(index)) for label in labels], dtype=np.int64)


def _entropy(counts: np.ndarray) -> float:
    """Shannon entropy (nats) of a labelling given its label sizes."""
    if counts.size == 1:
        return 0.0
    total = float(counts.sum())
    shares = counts / total
    return float(-np.sum(shares * (np.log(counts) - math.log(total))))


def _mutual_information(table: np.ndarray) -> float:
    """Mutual information (nats) of a contingency table."""
    n = float(table.sum())
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    if rows.size == 1 or cols.size == 1:
        return 0.0
    i, j = np.nonzero(table)
    cells = table[i, j].astype(float)
    outer = rows[i] * cols[j]
    terms = cells / n * (np.log(cells) - math.log(n) - np.log(outer) + 2 * math.log(n))
    terms = np.where(np.abs(terms) < _EPS, 0.0, terms)
    return float(max(terms.sum(), 0.0))


def _expected_mutual_information(table: np.ndarray) -> float:
    """E[MI] under the hypergeometric model of random labellings with the same sizes.

    .. math:: E[I] = \\sum_{i,j} \\sum_{n_{ij}} \\frac{n_{ij}}{N}
              \\log\\frac{N n_{ij}}{a_i b_j}
              \\frac{a_i!\\, b_j!\\, (N-a_i)!\\, (N-b_j)!}
                    {N!\\, n_{ij}!\\, (a_i-n_{ij})!\\, (b_j-n_{ij})!\\, (N-a_i-b_j+n_{ij})!}

    with n_ij from max(1, a_i + b_j − N) to min(a_i, b_j). Cost: at most
    min(R, C) · N terms.
    """
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    if rows.size == 1 or cols.size == 1:
        return 0.0
    n = int(table.sum())
    log_factorial = np.array([math.lgamma(x + 1) for x in range(n + 1)])
    a = np.repeat(rows, cols.size)
    b = np.tile(cols, rows.size)
    start = np.maximum(1, a + b - n)
    stop = np.minimum(a, b) + 1
    lengths = np.maximum(stop - start, 0)
    pair = np.repeat(np.arange(a.size), lengths)
    offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    nij = start[pair] + offsets
    ai, bj = a[pair], b[pair]
    log_term = (math.log(n) + np.log(nij)) - np.log(ai) - np.log(bj)
    log_weight = (log_factorial[ai] + log_factorial[bj] + log_factorial[n - ai]
                  + log_factorial[n - bj] - (log_factorial[nij] + log_factorial[n])
                  - log_factorial[ai - nij] - log_factorial[bj - nij]
                  - log_factorial[n - ai - bj + nij])
    return float(np.sum(nij / n * log_term * np.exp(log_weight)))


def adjusted_mutual_information(a: Sequence[Any], b: Sequence[Any]) -> float:
    """Adjusted mutual information of two labellings, arithmetic-mean normalisation.

    .. math:: AMI(A, B) = \\frac{I(A; B) - E[I]}{(H(A) + H(B)) / 2 - E[I]}

    where E[I] is the expected mutual information of two random labellings with the same
    label sizes (hypergeometric model). 1 for identical partitions, about 0 for
    independent ones, negative when they agree less than chance. Equal to scikit-learn's
    ``adjusted_mutual_info_score(a, b, average_method="arithmetic")`` up to rounding
    (the tests check 1e-9); like it, two single-label labellings score 1.0.

    Parameters
    ----------
    a, b : sequence
        Labels of the same N items (any hashable values).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If the two sequences differ in length.

    References
    ----------
    Vinh, N. X., Epps, J., and Bailey, J. (2010). Information theoretic measures for
    clusterings comparison. *Journal of Machine Learning Research* 11, 2837–2854.

    >>> adjusted_mutual_information([0, 0, 1, 1], ["x", "x", "y", "y"])
    1.0
    >>> round(adjusted_mutual_information([0, 0, 1, 1, 2, 2], [0, 1, 0, 1, 0, 1]), 6)
    -0.448189
    """
    if len(a) != len(b):
        raise ValueError(f"labellings differ in length: {len(a)} and {len(b)}")
    if not len(a):
        return 1.0
    table = _contingency(a, b)
    if table.shape[0] == table.shape[1] == np.count_nonzero(table):
        return 1.0  # the same partition, whatever the label names
    mi = _mutual_information(table)
    emi = _expected_mutual_information(table)
    normalizer = (_entropy(table.sum(axis=1)) + _entropy(table.sum(axis=0))) / 2
    denominator = normalizer - emi
    denominator = min(denominator, -_EPS) if denominator < 0 else max(denominator, _EPS)
    # I(A; B) ≤ mean entropy, so AMI ≤ 1: what rounding adds above 1 is removed
    return min(float((mi - emi) / denominator), 1.0)
