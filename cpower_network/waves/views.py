"""Which members and ties a change between waves is measured on.

A change among members present in every compared wave ("stayers") can still come from
who *answered*: a stayer who went silent sends no ties, and 20 % of stayers going
silent reads as a density fall. So each relation is compared on what was observed in
every wave:

* **directed** relation: ties sent by stayers who answered the relation's questions in
  every wave, to stayers asked about in every wave (both arcs of a pair of such
  respondents are observed; an arc to a non-respondent is observed from one side);
* **undirected** relation: ties among stayers who answered in every wave (an edge with
  a member who answered in one wave only could come from their report in that wave);
* **decisions**: nominations by stayers who answered the decision survey in every wave.

The Gini of decision influence is compared on per-decision shares: each member's share
of each decision's nominations, averaged over the wave's decisions (a count pooled over
decisions is smoother the more decisions were asked about).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from ..measures.parity import gini


@dataclass
class View:
    """One relation's members and ties as compared across waves.

    Attributes
    ----------
    relation : str
    directed : bool
    members : list of str
        The members whose scores are compared (receivers when directed).
    senders : list of str
        The members whose reports are used (answered in every wave).
    stayers : int
        Members present in every compared wave.
    graphs : list of networkx.Graph
        Each compared wave's graph on ``members``, keeping only observed ties.
    """

    relation: str
    directed: bool
    members: list[str]
    senders: list[str]
    stayers: int
    graphs: list[nx.Graph]
    noun: str = "ties sent to"

    @property
    def observable(self) -> int:
        """Pairs whose tie is observed in every wave: ordered (sender, other member)
        when directed, unordered pairs of members when undirected."""
        n = len(self.members)
        if self.directed:
            return len(self.senders) * max(n - 1, 0)
        return n * (n - 1) // 2

    def arcs(self, wave: int) -> np.ndarray:
        """Ties of wave ``wave`` (position in the compared waves) as member indices,
        shape (m, 2)."""
        index = {m: i for i, m in enumerate(self.members)}
        return np.array([(index[u], index[v]) for u, v in self.graphs[wave].edges()],
                        dtype=np.int64).reshape(-1, 2)

    @property
    def basis(self) -> str:
        """Which members the comparison uses, in words."""
        if not self.directed:
            return f"ties among the {len(self.senders)} of the {self.stayers} members " \
                   "present throughout who answered in every wave"
        whom = f"the {self.stayers} members present throughout" \
            if len(self.members) == self.stayers else \
            f"the {len(self.members)} members present throughout and asked about in " \
            "every wave"
        return f"{self.noun} {whom} by the {len(self.senders)} of them who answered in " \
               "every wave"


def answered_every_wave(series: list[nx.Graph], stayers: list[str]) -> list[str]:
    """Stayers marked ``respondent`` in every graph of ``series`` (roster order).

    >>> a = nx.DiGraph(); a.add_nodes_from([("x", {"respondent": True}), ("y", {})])
    >>> answered_every_wave([a, a], ["x", "y"])
    ['x']
    """
    return [m for m in stayers
            if all(G.nodes[m].get("respondent", False) for G in series)]


def asked_every_wave(series: list[nx.Graph], stayers: list[str]) -> list[str]:
    """Stayers whom the relation asked about in every wave (node ``asked`` not False)."""
    return [m for m in stayers if all(G.nodes[m].get("asked", True) for G in series)]


def build_view(series: list[nx.Graph], stayers: list[str], *,
               noun: str = "ties sent to") -> View:
    """The compared members and observed ties of one relation (see the module notes).

    Parameters
    ----------
    series : list of networkx.Graph
        The relation's graph in each compared wave.
    stayers : list of str
        Members present in every compared wave.
    noun : str
        What a directed relation's ties are called in :attr:`View.basis` ("ties sent
        to", "decision nominations of").

    Returns
    -------
    View
    """
    directed = series[-1].is_directed()
    asked = asked_every_wave(series, stayers)
    answered = set(answered_every_wave(series, stayers))
    senders = [m for m in asked if m in answered]
    members = asked if directed else senders
    keep = set(senders)
    graphs = []
    for G in series:
        H = G.subgraph(members).copy()
        if directed:
            H.remove_edges_from([(u, v) for u, v in list(H.edges()) if u not in keep])
        graphs.append(H)
    return View(series[-1].graph.get("relation", ""), directed, members, senders,
                len(stayers), graphs, noun)


def decisions_asked(participation: pd.DataFrame, decisions: pd.DataFrame) -> list[str]:
    """The decisions a wave asked about (answered about or named anyone for).

    >>> decisions_asked(pd.DataFrame({"decision": ["b", "a"]}),
    ...                 pd.DataFrame({"decision": ["c"]}))
    ['a', 'b', 'c']
    """
    return sorted(set(participation["decision"]) | set(decisions["decision"]))


def decision_shares(decisions: pd.DataFrame, members: list[str],
                    senders: list[str]) -> np.ndarray:
    """Each member's share of each decision's nominations, averaged over the decisions.

    .. math:: x_i = \\frac{1}{D} \\sum_d \\frac{c_{id}}{\\sum_j c_{jd}}

    with c_id the senders who named member i for decision d, over the D decisions in
    which the senders named any of ``members``.

    Parameters
    ----------
    decisions : DataFrame
        ``decision, respondent, named`` (a wave's decision nominations).
    members : list of str, length n
    senders : list of str
        Whose nominations count.

    Returns
    -------
    numpy.ndarray, shape (n,)
        Sums to 1 (all zeros when nobody was named).

    >>> frame = pd.DataFrame({"decision": ["d1", "d1", "d2"], "respondent": ["a", "b", "a"],
    ...                       "named": ["b", "c", "c"]})
    >>> decision_shares(frame, ["a", "b", "c"], ["a", "b"]).tolist()
    [0.0, 0.25, 0.75]
    """
    rows = decisions[decisions["respondent"].isin(set(senders))
                     & decisions["named"].isin(set(members))]
    if rows.empty:
        return np.zeros(len(members))
    counts = pd.crosstab(rows["named"], rows["decision"]).reindex(members, fill_value=0)
    counts = counts.loc[:, counts.sum(axis=0) > 0].to_numpy(dtype=float)
    return (counts / counts.sum(axis=0)).mean(axis=1)


def share_gini(shares: np.ndarray) -> float | None:
    """The Gini of members' averaged decision shares (None without members).

    >>> share_gini(np.array([0.0, 0.25, 0.75]))
    0.5
    """
    return gini(shares.tolist()) if len(shares) else None
