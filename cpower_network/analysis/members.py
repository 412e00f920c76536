"""Who a wave measures: its groups, the members somebody was asked about, newcomers.

The groups of a wave (everyone, then each focus group), the part of a relation's graph
among the members some question asked about (and those groups restricted to it), the
wave before, and the mean contacts of newcomers against returning members.
"""

from __future__ import annotations

from dataclasses import replace

import networkx as nx
import numpy as np
import pandas as pd

from ..graphs import unobserved
from ..ingest import Study
from ..results.model import Group


def wave_groups(study: Study, members: list[str]) -> list[Group]:
    """Everyone, then each focus group, restricted to ``members``."""
    found = study.focus_group_members(members)
    return [Group("all", "All members", tuple(members)),
            *(Group(focus.key, focus.label, tuple(found[focus.key]))
              for focus in study.config.focus_groups)]


def observed_part(G: nx.Graph, centralities: pd.DataFrame | None
                  ) -> tuple[nx.Graph, pd.DataFrame | None]:
    """The graph among the members somebody was asked about, and their centralities.

    A member no question of the relation asked about (``asked`` False: no column in its
    grid) has ties nobody could report, so every measure of the relation (density,
    centralities, parity, E-I, silo mixing, brokerage, communities, decision influence)
    is computed among the others; ``G.graph["not_asked"]`` still lists them. A graph in
    which everyone was asked about is returned as it is.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "b"), ("g", "a")], not_asked=["g"])
    >>> nx.set_node_attributes(G, {"a": True, "b": True, "g": False}, "asked")
    >>> H, _ = observed_part(G, None)
    >>> sorted(H), H.graph["not_asked"], H.graph["measured_among"]
    (['a', 'b'], ['g'], 2)
    """
    left_out = unobserved(G)
    if not left_out:
        return G, centralities
    H = G.subgraph([v for v in G if v not in left_out]).copy()
    H.graph["measured_among"] = H.number_of_nodes()
    table = None if centralities is None else centralities.drop(index=list(left_out),
                                                                errors="ignore")
    return H, table


def observed_groups(groups: list[Group], G: nx.Graph) -> list[Group]:
    """``groups`` restricted to the members of ``G`` (see :func:`observed_part`)."""
    if all(m in G for g in groups for m in g.members):
        return groups
    return [replace(g, members=tuple(m for m in g.members if m in G)) for g in groups]


def _previous_wave(study: Study, wave: str) -> str | None:
    keys = list(study.waves)
    index = keys.index(wave)
    return keys[index - 1] if index > 0 else None


def _newcomer_degree(G: nx.DiGraph, newcomers: list[str]) -> dict[str, float]:
    """Mean number of contacts (either direction) of newcomers and of returning members.

    Members nobody was asked about (node attribute ``asked`` False) have unobserved
    ties, not zero contacts: they are left out of both means and counted apart, under
    ``newcomers_not_asked`` and ``returning_not_asked`` (keys present only when not 0).

    Parameters
    ----------
    G : networkx.DiGraph
        The wave's any-tie graph.
    newcomers : list of str
        Members who joined since the previous wave.

    Returns
    -------
    dict of str to float
        ``newcomers`` and ``returning`` (means, NaN when nobody is left to average) and
        ``newcomer_count`` (newcomers in the mean).

    Examples
    --------
    >>> G = nx.DiGraph([("a", "b"), ("a", "c"), ("b", "c")])
    >>> G.add_node("g", asked=False)
    >>> _newcomer_degree(G, ["c", "g"])
    {'newcomers': 2.0, 'returning': 2.0, 'newcomer_count': 1.0, 'newcomers_not_asked': 1.0}
    """
    U = G.to_undirected(as_view=True)
    new = set(newcomers)
    unknown = unobserved(G)
    degree = dict(U.degree())
    newcomer = [degree[v] for v in U if v in new and v not in unknown]
    returning = [degree[v] for v in U if v not in new and v not in unknown]
    found = {"newcomers": float(np.mean(newcomer)) if newcomer else float("nan"),
             "returning": float(np.mean(returning)) if returning else float("nan"),
             "newcomer_count": float(len(newcomer))}
    left_out = {"newcomers_not_asked": float(len(unknown & new)),
                "returning_not_asked": float(len(unknown - new))}
    found.update({key: count for key, count in left_out.items() if count})
    return found
