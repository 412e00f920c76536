"""Who shapes decisions (docs/methods.md §Decision influence).

The decision survey yields an influence graph (u→v: u said v's input shaped a decision,
weight = number of decisions), per-decision participation ("were you involved") and
voice ("my input shaped the outcome"). These functions take that graph and the tidy
participation frame; groups are given as member lists, so any attribute can serve.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import networkx as nx
import pandas as pd

from .centrality import member_centralities
from .parity import gini, group_parity


def influence_scores(G: nx.DiGraph, *, weight: str = "weight") -> pd.DataFrame:
    """Each member's decision influence.

    .. math:: \\text{share}(v) = \\frac{s^{in}(v)}{\\sum_u s^{in}(u)}

    where :math:`s^{in}(v)` is v's weighted in-degree in the influence graph (how many
    times v was named as shaping a decision), alongside v's PageRank on the same graph.

    Parameters
    ----------
    G : networkx.DiGraph
        The influence graph (see :func:`cpower_network.graphs.build_influence_graph`).

    Returns
    -------
    DataFrame
        Indexed by member (G's order): ``named`` (weighted in-degree), ``share``,
        ``pagerank``, ``rank`` (1 = most named; ties share the lower rank).

    References
    ----------
    Brin, S. & Page, L. (1998). The anatomy of a large-scale hypertextual web search
    engine. *Computer Networks* 30, 107–117.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "c"), ("b", "c"), ("c", "a")])
    >>> influence_scores(G)[["named", "share", "rank"]]
       named     share  rank
    a    1.0  0.333333     2
    c    2.0  0.666667     1
    b    0.0  0.000000     3
    """
    named = pd.Series({v: float(s) for v, s in G.in_degree(weight=weight)}, dtype="float64")
    total = named.sum()
    share = named / total if total > 0 else named * float("nan")
    pagerank = member_centralities(G, weight=weight)["pagerank"]
    frame = pd.DataFrame({"named": named, "share": share, "pagerank": pagerank})
    frame["rank"] = frame["named"].rank(method="min", ascending=False).astype("int64")
    return frame


def decision_parity(scores: pd.DataFrame, groups: Mapping[str, Iterable[str]]) -> pd.DataFrame:
    """Decision-influence share and parity ratio of each group.

    .. math:: P_G = \\frac{S_G}{m_G}, \\quad S_G = \\frac{\\sum_{v \\in G} s^{in}(v)}
              {\\sum_{v} s^{in}(v)}, \\quad m_G = |G|/n

    Parameters
    ----------
    scores : DataFrame
        From :func:`influence_scores`.
    groups : mapping of group name to member ids

    Returns
    -------
    DataFrame
        Indexed by group: ``share``, ``membership_share``, ``parity``, ``group_size``.

    References
    ----------
    docs/methods.md §Power parity and §Decision influence (group share and parity ratio,
    applied to decision influence).

    Examples
    --------
    >>> G = nx.DiGraph([("a", "c"), ("b", "c"), ("c", "a")])
    >>> decision_parity(influence_scores(G), {"le": ["a", "b"]}).round(3)
        share  membership_share  parity  group_size
    le  0.333             0.667     0.5           2
    """
    named = scores["named"].to_dict()
    rows = {}
    for name, members in groups.items():
        result = group_parity(named, list(members))
        rows[name] = {
            "share": result.share,
            "membership_share": result.membership_share,
            "parity": result.parity,
            "group_size": result.group_size,
        }
    frame = pd.DataFrame.from_dict(
        rows, orient="index", columns=["share", "membership_share", "parity", "group_size"]
    )
    return frame.astype({"group_size": "int64"})


def influence_gini(scores: pd.DataFrame) -> float:
    """Gini coefficient of decision influence (0: everyone equally named; 1: one person).

    Computed over every member's weighted in-degree (members never named count as 0):

    .. math:: G = \\frac{\\sum_i \\sum_j |x_i - x_j|}{2 n^2 \\bar{x}}

    Returns
    -------
    float
        In [0, 1 − 1/n]; NaN when nobody was named.

    References
    ----------
    Gini, C. (1912). *Variabilità e mutabilità*. Bologna: Cuppini. docs/methods.md §Decision
    influence.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "c"), ("b", "c")])
    >>> round(influence_gini(influence_scores(G)), 3)
    0.667
    """
    return gini(scores["named"].tolist())


def participation_by_group(
    participation: pd.DataFrame, groups: Mapping[str, Iterable[str]]
) -> pd.DataFrame:
    """Share of each group's respondents who took part in each decision.

    .. math:: \\text{part}_{d,G} = \\frac{|\\{v \\in G \\cap R_d : \\text{involved}_{v,d}
              = 1\\}|}{|G \\cap R_d|}

    with :math:`R_d` the members who answered "were you involved" for decision d
    (non-respondents are unknown, not "not involved").

    Parameters
    ----------
    participation : DataFrame
        The wave's ``participation`` frame (decision, respondent, involvement).
    groups : mapping of group name to member ids (include an ``"all"`` entry for the
        whole membership if wanted)

    Returns
    -------
    DataFrame
        Rows = decisions (survey order), columns = groups; values are shares (NaN when
        no group member answered).

    References
    ----------
    docs/methods.md §Decision influence (participation per decision by focus group).

    Examples
    --------
    >>> p = pd.DataFrame({"decision": ["d1", "d1", "d1"], "respondent": ["a", "b", "c"],
    ...                   "involvement": [1.0, 0.0, 1.0]})
    >>> participation_by_group(p, {"all": ["a", "b", "c"], "le": ["a", "b"]}).round(2)
         all   le
    d1  0.67  0.5
    """
    answered = participation.dropna(subset=["involvement"])
    decisions = list(dict.fromkeys(participation["decision"]))
    table = {}
    for name, members in groups.items():
        in_group = answered[answered["respondent"].isin(set(members))]
        rates = in_group.groupby("decision", sort=False)["involvement"].mean()
        table[name] = [float(rates.get(d, float("nan"))) for d in decisions]
    return pd.DataFrame(table, index=pd.Index(decisions, name=None), dtype="float64")


def voice_by_group(
    participation: pd.DataFrame, groups: Mapping[str, Iterable[str]]
) -> pd.DataFrame:
    """Mean "my input shaped the outcome" per group, and the voice gap.

    .. math:: \\text{gap}_G = \\bar{x}_{G} - \\bar{x}_{V \\setminus G}

    over all decisions' answers of members in G and of the other respondents. A negative
    gap means the group feels less heard than the rest.

    Returns
    -------
    DataFrame
        Indexed by group: ``mean`` (group), ``others`` (everyone else), ``gap``,
        ``answers`` (number of answers from the group).

    References
    ----------
    docs/methods.md §Decision influence (the voice gap).

    Examples
    --------
    >>> p = pd.DataFrame({"respondent": ["a", "b", "c", "d"], "voice": [2.0, 3.0, 4.0, 5.0]})
    >>> voice_by_group(p, {"le": ["a", "b"]})
        mean  others  gap  answers
    le   2.5     4.5 -2.0        2
    """
    answered = participation.dropna(subset=["voice"])
    rows = {}
    for name, members in groups.items():
        mask = answered["respondent"].isin(set(members))
        mine, rest = answered.loc[mask, "voice"], answered.loc[~mask, "voice"]
        mean = float(mine.mean()) if len(mine) else float("nan")
        others = float(rest.mean()) if len(rest) else float("nan")
        rows[name] = {
            "mean": mean,
            "others": others,
            "gap": mean - others,
            "answers": len(mine),
        }
    frame = pd.DataFrame.from_dict(
        rows, orient="index", columns=["mean", "others", "gap", "answers"]
    )
    return frame.astype({"answers": "int64"})


def formal_and_informal(scores: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    """Members' decision-influence rank beside their formal roster role.

    Returns
    -------
    DataFrame
        Indexed by member, sorted by influence rank: ``role`` (empty when the roster has
        none), ``leader`` (formal leadership role), ``named``, ``rank``, and
        ``informal_leader`` (in the top 10 % by influence without a leadership role).

    References
    ----------
    docs/methods.md §Decision influence (formal versus informal power); Krackhardt, D. (1990).
    Assessing the
    political landscape: structure, cognition, and power in organizations.
    *Administrative Science Quarterly* 35(2), 342–369.

    Examples
    --------
    >>> G = nx.DiGraph([("a", "c"), ("b", "c")])
    >>> roster = pd.DataFrame({"role": ["Chair", "", ""], "leader": [True, False, False]},
    ...                       index=["a", "b", "c"])
    >>> formal_and_informal(influence_scores(G), roster)[["leader", "rank",
    ...                                                    "informal_leader"]]
       leader  rank  informal_leader
    c   False     1             True
    a    True     2            False
    b   False     2            False
    """
    frame = scores[["named", "rank"]].copy()
    roles = roster.reindex(frame.index)
    frame.insert(0, "role", roles["role"].fillna("") if "role" in roles else "")
    leader = roles["leader"].fillna(False).astype(bool) if "leader" in roles else False
    frame.insert(1, "leader", leader)
    cutoff = max(1, math.ceil(len(frame) * 0.10))
    top = frame["named"].gt(0) & frame["rank"].le(cutoff)
    frame["informal_leader"] = top & ~frame["leader"]
    return frame.sort_values(["rank", "named"], ascending=[True, False], kind="stable")
