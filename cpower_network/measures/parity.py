"""Power parity of focus groups and concentration of centrality (docs/methods.md §Power parity).

* :func:`group_parity` — a group's share of a centrality against its share of members.
* :func:`group_difference` — difference of group means with a node-label permutation test
  (networks are not independent samples, so no t-tests).
* :func:`gini` — inequality of a centrality.
* :func:`degree_centralization` — Freeman's degree centralisation of a graph.

``scores`` arguments are a pandas Series (or a mapping) from member id to value, such as a
column of :func:`~cpower_network.measures.centrality.member_centralities`. ``members``
is an iterable of member ids, or a boolean Series aligned with ``scores`` (e.g.
``roster["grassroots"]``). Undefined results are ``nan`` and documented per function.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import GraphError, UsageError
from .engine import check_graph
from .inference import can_reject, check_draws, permutation_p

__all__ = [
    "GroupDifference",
    "ParityResult",
    "degree_centralization",
    "gini",
    "group_difference",
    "group_differences",
    "group_parity",
]


@dataclass(frozen=True)
class ParityResult:
    """A group's share of a centrality and its parity ratio (see :func:`group_parity`)."""

    share: float
    membership_share: float
    parity: float
    group_size: int
    n: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class GroupDifference:
    """Difference of group means and its permutation p-value (see :func:`group_difference`)."""

    difference: float
    mean_members: float
    mean_rest: float
    p_value: float
    permutations: int
    group_size: int
    n: int
    testable: bool = True

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _scores(scores: pd.Series | Mapping[Hashable, float], *, nonnegative: bool) -> pd.Series:
    if isinstance(scores, pd.Series):
        series = scores
    elif isinstance(scores, Mapping):
        series = pd.Series(dict(scores), dtype=object)
    else:
        raise GraphError("scores must be a pandas Series or a mapping of member to value")
    if series.index.has_duplicates:
        raise GraphError("scores list some member more than once")
    try:
        values = series.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise GraphError("scores must be numbers") from None
    if values.size == 0:
        raise GraphError("no scores given (the graph has no members)")
    if not np.all(np.isfinite(values)):
        bad = list(series.index[~np.isfinite(values)][:5])
        raise GraphError(
            f"scores must be finite numbers; missing or infinite for {bad} — drop those "
            "members first (e.g. non-respondents for out-degree)"
        )
    if nonnegative and values.min() < 0:
        raise GraphError("centrality shares need scores >= 0")
    return pd.Series(values, index=series.index)


def _mask(series: pd.Series, members: Iterable[Hashable] | pd.Series) -> np.ndarray:
    """Boolean array over ``series`` marking the group members."""
    if isinstance(members, pd.Series) and pd.api.types.is_bool_dtype(members.dtype):
        chosen = members.index[members.fillna(False).to_numpy(dtype=bool)]
    else:
        if isinstance(members, str):
            raise GraphError("members must be a collection of member ids, not one string")
        chosen = pd.Index(list(dict.fromkeys(members)), tupleize_cols=False)
    unknown = chosen.difference(series.index)
    if len(unknown):
        raise GraphError(f"{len(unknown)} group member(s) have no score, e.g. {list(unknown[:5])}")
    return series.index.isin(chosen)


def group_parity(
    scores: pd.Series | Mapping[Hashable, float], members: Iterable[Hashable] | pd.Series
) -> ParityResult:
    """A group's share of a centrality, its share of members, and their ratio.

    .. math:: S_G = \\frac{\\sum_{v \\in G} c(v)}{\\sum_{v \\in V} c(v)}, \\qquad
              m_G = \\frac{|G|}{n}, \\qquad P_G = \\frac{S_G}{m_G}

    P_G = 1: the group holds centrality in proportion to its numbers; below 1 it is
    under-central, above 1 over-central. Over a partition of the members the parity ratios
    average to 1 when weighted by membership share (Σ m_G P_G = Σ S_G = 1).

    Parameters
    ----------
    scores : Series or mapping
        Centrality c(v) >= 0 of every member (the population V, n = len(scores)).
    members : iterable of member ids, or boolean Series aligned with ``scores``
        The group G. Duplicates are ignored; every member must have a score.

    Returns
    -------
    ParityResult
        ``share`` (nan when every score is 0), ``membership_share``, ``parity`` (nan when
        the group is empty or ``share`` is nan), ``group_size`` and ``n``.

    Raises
    ------
    GraphError
        For empty, missing, negative or non-finite scores, or members without a score.

    References
    ----------
    docs/methods.md §Power parity (group share and parity ratio). The centralities are those of
    Freeman, L. C. (1978). *Social Networks* 1, 215–239.

    Examples
    --------
    >>> r = group_parity({"a": 3.0, "b": 1.0, "c": 0.0, "d": 0.0}, ["a", "c"])
    >>> r.share, r.membership_share, r.parity
    (0.75, 0.5, 1.5)
    """
    series = _scores(scores, nonnegative=True)
    mask = _mask(series, members)
    values = series.to_numpy()
    n, k = len(values), int(mask.sum())
    total = float(values.sum())
    share = float(values[mask].sum()) / total if total > 0 else math.nan
    membership = k / n
    parity = share / membership if k > 0 and not math.isnan(share) else math.nan
    return ParityResult(share=share, membership_share=membership, parity=parity, group_size=k, n=n)


def group_difference(
    scores: pd.Series | Mapping[Hashable, float],
    members: Iterable[Hashable] | pd.Series,
    *,
    permutations: int = 1000,
    seed: int | None = None,
) -> GroupDifference:
    """Difference of group means with a two-sided node-label permutation test.

    .. math:: D = \\bar c_G - \\bar c_{V \\setminus G}, \\qquad
              p = \\frac{1 + \\#\\{b : |D_b| \\ge |D|\\}}{1 + B}

    where D_b is the difference after randomly relabelling which |G| members form the
    group (B draws, ``numpy.random.default_rng(seed)``; ties within 1e-12·max(1, |D|)
    count as "at least as extreme"). Network observations are not independent, so the
    reference distribution comes from relabelling, not a t-test.

    Parameters
    ----------
    scores : Series or mapping
        Any finite numeric score per member.
    members : iterable of member ids, or boolean Series aligned with ``scores``
    permutations : int, default 1000
        Number of relabellings B: 0 (no test, ``p_value`` NaN) or at least 1,000.
    seed : int, optional
        Seed for reproducible p-values.

    Returns
    -------
    GroupDifference
        ``difference`` (members minus the rest), both means, ``p_value`` and sizes. When
        the group or the rest is empty everything but the sizes is nan. ``testable`` is
        False when even the most extreme relabelling would get p > 0.05 (e.g. a group of
        one among fewer than 20 members): the data cannot show a difference.

    Raises
    ------
    UsageError
        If ``permutations`` is not 0 or at least 1,000.

    References
    ----------
    Good, P. (2005). *Permutation, Parametric and Bootstrap Tests of Hypotheses*, 3rd ed.
    Springer. Borgatti, S. P., Everett, M. G. & Johnson, J. C. (2018). *Analyzing Social
    Networks*, 2nd ed. SAGE (node-level permutation tests).

    Examples
    --------
    >>> scores = {"a": 4.0, "b": 3.0, "c": 1.0, "d": 0.0}
    >>> r = group_difference(scores, ["a", "b"], permutations=1000, seed=1)
    >>> r.difference, r.mean_members, r.mean_rest
    (3.0, 3.5, 0.5)
    >>> 0.0 < r.p_value <= 1.0, r.testable  # 6 ways to pick 2 of 4: p ≥ 1/3 at best
    (True, False)
    """
    series = _scores(scores, nonnegative=False)
    row = group_differences(series.to_frame("score"), members,
                            permutations=permutations, seed=seed).loc["score"]
    return GroupDifference(
        difference=float(row["difference"]), mean_members=float(row["mean_members"]),
        mean_rest=float(row["mean_rest"]), p_value=float(row["p_value"]),
        permutations=int(row["permutations"]), group_size=int(row["group_size"]),
        n=int(row["n"]), testable=bool(row["testable"]))


def group_differences(
    table: pd.DataFrame,
    members: Iterable[Hashable] | pd.Series,
    *,
    permutations: int = 1000,
    seed: int | None = None,
) -> pd.DataFrame:
    """:func:`group_difference` for every column of ``table``, sharing the relabellings.

    Each draw relabels which members form the group once and evaluates every column, so
    the p-values of several centralities cost one set of permutations (and each column's
    p-value equals :func:`group_difference`'s with the same seed).

    Parameters
    ----------
    table : DataFrame
        One row per member, one numeric column per score.
    members : iterable of member ids, or boolean Series aligned with ``table``
    permutations : int, default 1000
    seed : int, optional

    Returns
    -------
    DataFrame
        Indexed by column of ``table``: ``difference``, ``mean_members``, ``mean_rest``,
        ``p_value``, ``permutations``, ``group_size``, ``n``, ``testable`` (see
        :func:`group_difference`).

    References
    ----------
    See :func:`group_difference`.

    Examples
    --------
    >>> scores = pd.DataFrame({"x": [4.0, 3.0, 1.0, 0.0], "y": [1.0, 1.0, 1.0, 1.0]},
    ...                       index=["a", "b", "c", "d"])
    >>> found = group_differences(scores, ["a", "b"], permutations=1000, seed=1)
    >>> found["difference"].tolist(), float(found.at["y", "p_value"])
    ([3.0, 0.0], 1.0)
    >>> bool(found.at["x", "p_value"] == group_difference(scores["x"], ["a", "b"],
    ...                                                   permutations=1000, seed=1).p_value)
    True
    """
    permutations = check_draws(permutations)
    columns = list(table.columns)
    checked = [_scores(table[c], nonnegative=False) for c in columns]
    mask = _mask(checked[0], members) if checked else np.zeros(0, bool)
    values = np.column_stack([s.to_numpy() for s in checked]) if checked else \
        np.zeros((len(table), 0))
    n, k = values.shape[0], int(mask.sum())
    frame = pd.DataFrame(index=pd.Index(columns), columns=[
        "difference", "mean_members", "mean_rest", "p_value"], dtype="float64")
    frame["permutations"], frame["group_size"], frame["n"] = permutations, k, n
    frame["testable"] = False
    if k == 0 or k == n:
        return frame
    totals = values.sum(axis=0)
    inside = values[mask].sum(axis=0)
    observed = inside / k - (totals - inside) / (n - k)
    frame["difference"] = observed
    frame["mean_members"] = inside / k
    frame["mean_rest"] = (totals - inside) / (n - k)
    if permutations:
        sums = _relabelled_sums(values, k, permutations, seed)
        drawn = sums / k - (totals - sums) / (n - k)
        frame["p_value"] = [permutation_p(float(observed[j]), drawn[:, j])
                            for j in range(len(columns))]
        frame["testable"] = [can_reject(drawn[:, j]) for j in range(len(columns))]
    return frame


def is_constant(values: pd.Series | Iterable[float]) -> bool:
    """Whether every known value is the same (within 1e-12 relative), or none is known.

    A parity ratio or group difference on such a measure says nothing: uniform PageRank
    on a network without ties gives parity 1 for any group.

    >>> is_constant([0.25, 0.25, float("nan")]), is_constant([1.0, 2.0]), is_constant([])
    (True, False, True)
    """
    known = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").dropna()
    if known.empty:
        return True
    top, low = float(known.max()), float(known.min())
    return top - low <= 1e-12 * max(1.0, abs(top))


def _relabelled_sums(values: np.ndarray, k: int, permutations: int,
                     seed: int | None) -> np.ndarray:
    """Column sums over ``permutations`` uniformly random k-member groups, shape (B, columns).

    Each draw picks its k rows by selection sampling (Fan, Muller & Rezucha 1962; Knuth,
    *TAOCP* vol. 2, §3.4.2, Algorithm S): row i joins with probability
    (k − rows picked so far) / (n − i), so every draw holds exactly k rows and every
    k-subset is equally likely. Only the set matters to a sum, so nothing is shuffled: one
    uniform number per row and draw, vectorised across the draws (2–3 times faster than a
    full shuffle per draw, whose bounded integers cost more than the sums). Drawn in chunks
    to bound memory.
    """
    rng = np.random.default_rng(seed)
    n = values.shape[0]
    if values.shape[1] == 0:
        return np.zeros((permutations, 0))
    chunk = max(1, min(permutations, (1 << 22) // max(1, n)))
    rows_left = np.arange(n, 0, -1, dtype=float)          # n − i before row i is decided
    found = []
    done = 0
    while done < permutations:
        draws = min(chunk, permutations - done)
        scaled = rng.random((n, draws))
        scaled *= rows_left[:, None]                      # u · (n − i), row i joins if < wanted
        picked = np.empty((n, draws))
        wanted = np.full(draws, float(k))
        for row in range(n):
            np.less(scaled[row], wanted, out=picked[row])
            wanted -= picked[row]
        found.append(picked.T @ values)
        done += draws
    return np.concatenate(found)


def gini(
    values: Iterable[float] | pd.Series | Mapping[Any, float], *, corrected: bool = False
) -> float:
    """Gini coefficient of non-negative values (e.g. a centrality over members).

    .. math:: G = \\frac{\\sum_i \\sum_j |x_i - x_j|}{2 n^2 \\bar x}
              = \\frac{2 \\sum_{i=1}^{n} i\\, x_{(i)}}{n \\sum_i x_i} - \\frac{n+1}{n}

    with x_(1) <= … <= x_(n) sorted ascending. 0 when everyone holds the same amount; when
    one member holds everything G = 1 − 1/n (the classic, "population" Gini, as in KONECT
    and R ``ineq::Gini``). With ``corrected=True`` it is multiplied by n/(n − 1) (the mean
    absolute difference over distinct pairs), so that one holder of everything gives
    exactly 1 whatever n. The reports use the classic Gini, whose range is 0 to 1 − 1/n
    (docs/methods.md §Concentration).

    Parameters
    ----------
    values : iterable of float, Series or mapping (its values are used)
        Finite values >= 0.
    corrected : bool, default False
        Apply the n/(n − 1) small-sample correction.

    Returns
    -------
    float
        In [0, 1]. ``nan`` for no values; 0.0 when all values are 0 (nobody holds more than
        anyone else) and for a single value.

    Raises
    ------
    GraphError
        For negative or non-finite values.

    References
    ----------
    Gini, C. (1912). *Variabilità e mutabilità*. Bologna: Tipografia di Paolo Cuppini.
    Kunegis, J. & Preusse, J. (2012). Fairness on the web: alternatives to the power law.
    *Proc. ACM Web Science Conference* (Gini of degree distributions, as in KONECT).

    Examples
    --------
    >>> gini([1, 1, 1, 1])
    0.0
    >>> gini([0, 0, 0, 4]), gini([0, 0, 0, 4], corrected=True)
    (0.75, 1.0)
    """
    if isinstance(values, Mapping):
        values = list(values.values())
    try:
        x = np.asarray(list(values), dtype=float)
    except (TypeError, ValueError):
        raise GraphError("gini needs numbers") from None
    n = x.size
    if n == 0:
        return math.nan
    if not np.all(np.isfinite(x)) or x.min() < 0:
        raise GraphError("gini needs finite values >= 0")
    total = float(x.sum())
    if n == 1 or total == 0:
        return 0.0
    x.sort()
    ranks = np.arange(1, n + 1, dtype=float)
    g = float(2.0 * np.dot(ranks, x) / (n * total) - (n + 1) / n)
    if corrected:
        g *= n / (n - 1)
    return min(max(g, 0.0), 1.0)


_DIRECTIONS = ("in", "out", "all")


def degree_centralization(G: nx.Graph, *, direction: str = "in") -> float:
    """Freeman degree centralisation: how far ties concentrate on one member.

    .. math:: C_D = \\frac{\\sum_v (k_{max} - k_v)}{\\max_{|V|=n} \\sum_v (k_{max} - k_v)}

    on unweighted degrees k_v, divided by its largest possible value for n members:

    * ``"in"`` (in-degree) and ``"out"`` (out-degree) of a directed graph: (n − 1)², reached
      by a star where all others name the centre (in) or the centre names all others (out);
      needs n >= 2.
    * ``"all"``: degree on the undirected projection (a tie in either or both directions
      counts once): (n − 1)(n − 2), reached by the undirected star; needs n >= 3. An
      undirected graph always uses this, whatever ``direction``.

    1 for a star, 0 when every member has the same degree (complete graph, cycle).
    Self-loops are ignored.

    Parameters
    ----------
    G : networkx.DiGraph or networkx.Graph
    direction : {"in", "out", "all"}, default "in"

    Returns
    -------
    float
        In [0, 1]; ``nan`` when n is too small for the normalisation.

    References
    ----------
    Freeman, L. C. (1978). Centrality in social networks: conceptual clarification.
    *Social Networks* 1, 215–239.
    Wasserman, S. & Faust, K. (1994). *Social Network Analysis: Methods and
    Applications*, ch. 5. Cambridge University Press (directed degree centralisation).

    Examples
    --------
    >>> import networkx as nx
    >>> degree_centralization(nx.star_graph(4)), degree_centralization(nx.cycle_graph(5))
    (1.0, 0.0)
    >>> degree_centralization(nx.DiGraph([(1, 0), (2, 0), (3, 0)]), direction="in")
    1.0
    """
    if direction not in _DIRECTIONS:
        raise UsageError(f"direction must be one of {', '.join(_DIRECTIONS)}, got {direction!r}")
    check_graph(G)
    n = G.number_of_nodes()
    if not G.is_directed() or direction == "all":
        if n < 3:
            return math.nan
        if G.is_directed():
            degrees = [len((set(G.pred[v]) | set(G.succ[v])) - {v}) for v in G]
        else:
            degrees = [len(set(G.adj[v]) - {v}) for v in G]
        bound = (n - 1) * (n - 2)
    else:
        if n < 2:
            return math.nan
        adjacency = G.pred if direction == "in" else G.succ
        degrees = [len(adjacency[v]) - (v in adjacency[v]) for v in G]
        bound = (n - 1) ** 2
    top = max(degrees)
    return sum(top - k for k in degrees) / bound
