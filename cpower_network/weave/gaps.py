"""Bridge opportunities: silo pairs whose members are least in touch for their size."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping

import networkx as nx
import pandas as pd

__all__ = ["gaps_between", "silo_gaps"]


def silo_gaps(G: nx.Graph, attribute: str = "silo") -> pd.DataFrame:
    """Silo pairs ranked by the share of their member pairs who are in touch, lowest
    first (bridge opportunities).

    .. math:: d(a, b) = \\frac{|\\{\\{u, v\\}: u \\in a, v \\in b, u \\sim v\\}|}{|a|\\,|b|}

    where u ~ v when either reported a tie to the other, in any relation of ``G``: a
    pair counts once however many relations and directions tie it, so the count never
    mixes relations or counts an undirected tie twice.

    Returns
    -------
    DataFrame
        ``silo_a, silo_b, ties`` (pairs of members in touch), ``possible`` (member
        pairs, |a|·|b|), ``density`` (their ratio).

    References
    ----------
    docs/methods.md §Weaver's worklist (bridge opportunities); Krebs, V. & Holley, J. (2006),
    *Building Smart
    Communities through Network Weaving* (closing gaps between clusters).

    Examples
    --------
    >>> G = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c")])
    >>> nx.set_node_attributes(G, {"a": "x", "b": "y", "c": "z"}, "silo")
    >>> silo_gaps(G)[["silo_a", "silo_b", "ties", "possible", "density"]].values.tolist()
    [['y', 'z', 0, 1, 0.0], ['x', 'y', 1, 1, 1.0], ['x', 'z', 1, 1, 1.0]]
    """
    silo = nx.get_node_attributes(G, attribute)
    if G.is_directed() or G.is_multigraph():  # a pair once, however many ties join it
        pairs = {frozenset(edge) for edge in G.edges()}
        return gaps_between(silo, (tuple(pair) for pair in pairs if len(pair) == 2))
    return gaps_between(silo, G.edges())


def gaps_between(silo: Mapping[Hashable, object],
                 pairs: Iterable[tuple[Hashable, Hashable]]) -> pd.DataFrame:
    """:func:`silo_gaps` of the members of ``silo`` (member -> silo, the silo sizes), each
    of ``pairs`` being two members in touch, listed once.

    Examples
    --------
    >>> gaps_between({"a": "x", "b": "y", "c": "y"}, [("a", "b")]).values.tolist()
    [['x', 'y', 1, 2, 0.5]]
    """
    sizes = pd.Series(list(silo.values()), dtype=object).value_counts()
    labels = sorted(sizes.index, key=str)
    across = Counter((silo[u], silo[v]) for u, v in pairs if u != v and silo[u] != silo[v])
    touching: dict[tuple, int] = {}
    for silos, count in across.items():
        key = tuple(sorted(silos, key=str))
        touching[key] = touching.get(key, 0) + count
    records = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            ties = touching.get((a, b), 0)
            possible = int(sizes[a] * sizes[b])
            records.append((a, b, ties, possible, ties / possible if possible else math.nan))
    frame = pd.DataFrame(records, columns=["silo_a", "silo_b", "ties", "possible", "density"])
    return frame.sort_values(["density", "possible"], ascending=[True, False],
                             kind="stable").reset_index(drop=True)
