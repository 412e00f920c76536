"""Seeded generator of survey-like coalitions, for benchmarks and scale tests.

Not collected by pytest as tests (no ``test_`` prefix); its doctest runs.

A coalition of ``n_members`` members in 6–12 silos of unequal size answers a relationship
survey. What it produces looks like a real export:

* ~80 % of reported ties stay inside the reporter's silo;
* heavy-tailed degrees: a few members are named by very many (log-normal popularity) and
  respondents name a log-normally distributed number of others (mean ``mean_ties``);
* grassroots and lived-experience members are somewhat less often named (so parity
  measures have something to find);
* ~25 % of members do not respond (lived-experience members a little less often) and so
  report nothing; about 1 % are isolates (non-respondents nobody names).

``generate_coalition`` returns ``(roster, ties)`` and :func:`to_graph` turns them into the
graph contract of :mod:`cpower_network.measures`.
"""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx
import numpy as np
import pandas as pd

__all__ = ["RELATIONS", "generate_coalition", "to_graph"]

#: Relation name → (lowest, highest) answer on its scale, and share of collaborate ties
#: it keeps (``know`` adds ties instead).
RELATIONS = {
    "collaborate": ((1, 3), 1.0),
    "know": ((1, 1), 1.3),
    "trust": ((1, 5), 0.6),
    "advice": ((1, 3), 0.4),
    "influence": ((1, 1), 0.25),
}

_SILOS = [
    "Health", "Housing", "Education", "Faith", "Youth", "Justice",
    "Environment", "Arts", "Labour", "Food", "Transport", "Disability",
]
_FIRST = [
    "Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ike", "Jo", "Kai", "Lena",
    "Malik", "Nora", "Omar", "Pia", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vic", "Wen",
    "Xavi", "Yara", "Zoe",
]
_LAST = [
    "Ruiz", "Okafor", "Nguyen", "Smith", "Haddad", "Kowalski", "Tanaka", "Mensah", "Silva",
    "Brown", "Ivanova", "Patel", "Garcia", "Lee", "Moreau", "Khan", "Rossi", "Dubois",
    "Yilmaz", "Cohen", "Novak", "Osei", "Lopez", "Wright",
]
_ORG_KINDS = ["Alliance", "Network", "Trust", "Centre", "Collective", "Council", "Project"]


def _silo_sizes(rng: np.random.Generator, n: int) -> list[int]:
    n_silos = int(rng.integers(6, 13))
    n_silos = max(1, min(n_silos, n // 3 if n >= 3 else 1))
    props = rng.dirichlet(np.full(n_silos, 1.5))
    return (1 + rng.multinomial(n - n_silos, props)).tolist()


def _roster(rng: np.random.Generator, n: int) -> pd.DataFrame:
    sizes = _silo_sizes(rng, n)
    silo_names = [_SILOS[i] for i in rng.permutation(len(_SILOS))[: len(sizes)]]
    silo = np.repeat(np.arange(len(sizes)), sizes)
    rng.shuffle(silo)
    grassroots_rate = rng.beta(2.0, 4.0, size=len(sizes))
    grassroots = rng.random(n) < grassroots_rate[silo]
    lived = rng.random(n) < np.where(grassroots, 0.4, 0.15)
    orgs = []
    for s, name in enumerate(silo_names):
        k = max(1, sizes[s] // 8)
        kinds = rng.choice(_ORG_KINDS, size=k)
        orgs.append([f"{name} {kind} {j + 1}" for j, kind in enumerate(kinds)])
    organisation = []
    for i in range(n):
        options = orgs[silo[i]]
        if grassroots[i] and rng.random() < 0.5:
            organisation.append("Independent")
        else:
            weights = 1.0 / np.arange(1, len(options) + 1)
            organisation.append(options[rng.choice(len(options), p=weights / weights.sum())])
    roles_grass = ["community member", "volunteer", "organiser", "staff"]
    roles_org = ["staff", "director", "board member", "volunteer", "organiser"]
    role = [
        rng.choice(roles_grass, p=[0.45, 0.3, 0.15, 0.1]) if g
        else rng.choice(roles_org, p=[0.5, 0.15, 0.1, 0.1, 0.15])
        for g in grassroots
    ]
    first, last = rng.choice(_FIRST, size=n), rng.choice(_LAST, size=n)
    index = pd.Index([f"m{i:05d}" for i in range(1, n + 1)], name="member_id")
    return pd.DataFrame(
        {
            "name": [f"{a} {b}" for a, b in zip(first, last, strict=True)],
            "silo": [silo_names[s] for s in silo],
            "lived_experience": lived,
            "grassroots": grassroots,
            "organisation": organisation,
            "role": [str(r) for r in role],
        },
        index=index,
    )


def _draw(rng: np.random.Generator, pool: np.ndarray, cum: np.ndarray, k: int,
          exclude: int, allowed: np.ndarray | None = None) -> list[int]:
    """Up to k distinct members of ``pool`` drawn proportionally to popularity."""
    if k <= 0 or cum[-1] <= 0:
        return []
    picks = pool[np.searchsorted(cum, rng.random(3 * k + 4) * cum[-1], side="right")]
    if allowed is not None:
        picks = picks[allowed[picks]]
    out = [int(p) for p in dict.fromkeys(picks.tolist()) if p != exclude]
    return out[:k]


def generate_coalition(
    n_members: int,
    *,
    seed: int = 0,
    mean_ties: float = 13,
    relations: Sequence[str] = ("collaborate",),
    wave: int = 1,
    within_silo: float = 0.8,
    response_rate: float = 0.75,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate a roster and the directed survey answers of a synthetic coalition.

    Parameters
    ----------
    n_members : int
        Number of members (>= 2).
    seed : int, default 0
        Same seed, same coalition.
    mean_ties : float, default 13
        Mean number of members each respondent names in ``collaborate``.
    relations : sequence of str, default ("collaborate",)
        Any of :data:`RELATIONS`. Other relations are derived from collaborate ties
        (``trust``/``advice``/``influence`` keep a share of them, ``know`` adds some).
    wave : int, default 1
    within_silo : float, default 0.8
        Share of a respondent's ties inside their own silo.
    response_rate : float, default 0.75

    Returns
    -------
    roster : DataFrame
        Indexed by ``member_id`` ("m00001", …): ``name``, ``silo``, ``lived_experience``,
        ``grassroots``, ``organisation``, ``role``.
    ties : DataFrame
        ``wave``, ``relation``, ``respondent``, ``alter``, ``value`` — one row per answer.

    Examples
    --------
    >>> roster, ties = generate_coalition(300, seed=1)
    >>> len(roster), sorted(ties["value"].unique().tolist())
    (300, [1, 2, 3])
    >>> 6 <= roster["silo"].nunique() <= 12
    True
    """
    unknown = sorted(set(relations) - set(RELATIONS))
    if n_members < 2 or unknown:
        raise ValueError(f"need n_members >= 2 and known relations (unknown: {unknown})")
    rng = np.random.default_rng(seed)
    roster = _roster(rng, n_members)
    n = n_members
    silo_codes, silo_labels = pd.factorize(roster["silo"])
    lived = roster["lived_experience"].to_numpy()
    grass = roster["grassroots"].to_numpy()

    popularity = rng.lognormal(0.0, 1.1, size=n) * np.where(grass | lived, 0.6, 1.0)
    isolates = rng.random(n) < 0.01
    popularity[isolates] = 0.0
    responds = (rng.random(n) < np.where(lived, response_rate - 0.08, response_rate)) & ~isolates

    members = np.arange(n)
    by_silo = [members[silo_codes == s] for s in range(len(silo_labels))]
    cum_silo = [np.cumsum(popularity[m]) for m in by_silo]
    cum_all = np.cumsum(popularity)
    sigma = 0.7
    out_degree = np.maximum(
        1, np.rint(mean_ties * rng.lognormal(-sigma**2 / 2, sigma, size=n))
    ).astype(int)

    rows_src: list[int] = []
    rows_dst: list[int] = []
    rows_inside: list[bool] = []
    for r in np.flatnonzero(responds):
        s = silo_codes[r]
        k = int(min(out_degree[r], n - 1))
        k_in = int(rng.binomial(k, within_silo))
        inside = _draw(rng, by_silo[s], cum_silo[s], k_in, exclude=r)
        outside = _draw(rng, members, cum_all, k - len(inside), exclude=r,
                        allowed=silo_codes != s)
        if not inside and not outside:  # a respondent names at least one member
            outside = _draw(rng, members, np.cumsum(np.ones(n)), 1, exclude=r)
        rows_src += [r] * (len(inside) + len(outside))
        rows_dst += inside + outside
        rows_inside += [True] * len(inside) + [False] * len(outside)

    src, dst = np.asarray(rows_src), np.asarray(rows_dst)
    inside_arr = np.asarray(rows_inside)
    value = np.where(
        inside_arr,
        rng.choice([1, 2, 3], size=len(src), p=[0.35, 0.4, 0.25]),
        rng.choice([1, 2, 3], size=len(src), p=[0.55, 0.35, 0.1]),
    )
    ids = roster.index.to_numpy()
    frames = []
    for relation in relations:
        (low, high), keep = RELATIONS[relation]
        if relation == "collaborate":
            s_, d_, v_ = src, dst, value
        elif keep <= 1.0:
            chosen = rng.random(len(src)) < keep * (0.6 + 0.2 * value)
            s_, d_ = src[chosen], dst[chosen]
            spread = low + (value[chosen] - 1) * (high - low) // 2
            v_ = np.clip(spread + rng.integers(-1, 2, size=chosen.sum()), low, high)
        else:
            extra = rng.random(len(src)) < keep - 1.0
            d_extra = rng.integers(0, n, size=int(extra.sum()))
            s_ = np.concatenate([src, src[extra]])
            d_ = np.concatenate([dst, d_extra])
            v_ = np.ones(len(s_), dtype=int)
        frame = pd.DataFrame({"respondent": ids[s_], "alter": ids[d_], "value": v_})
        frame = frame[frame["respondent"] != frame["alter"]]
        frame = frame.drop_duplicates(["respondent", "alter"])
        frame.insert(0, "relation", relation)
        frame.insert(0, "wave", wave)
        frames.append(frame)
    ties = pd.concat(frames, ignore_index=True)
    ties["value"] = ties["value"].astype(np.int64)
    return roster, ties


def to_graph(roster: pd.DataFrame, ties: pd.DataFrame,
             relation: str = "collaborate") -> nx.DiGraph:
    """Build one relation's graph following the measures' graph contract.

    Nodes are member ids in roster order with ``name``, ``silo`` (str), the boolean flags
    ``lived_experience`` and ``grassroots``, and ``respondent`` (the member answered: they
    appear as respondent for some relation of the wave). Arcs u → v carry ``weight`` =
    the answer as float. ``G.graph`` holds ``relation`` and ``wave``.

    Examples
    --------
    >>> roster, ties = generate_coalition(200, seed=2)
    >>> G = to_graph(roster, ties)
    >>> G.number_of_nodes(), G.graph["relation"], G.graph["wave"]
    (200, 'collaborate', 1)
    >>> sorted(G.nodes["m00001"])
    ['grassroots', 'lived_experience', 'name', 'respondent', 'silo']
    """
    waves = ties["wave"].unique().tolist()
    if len(waves) > 1:
        raise ValueError("ties hold several waves: select one first")
    responded = set(ties["respondent"])
    G = nx.DiGraph(relation=relation, wave=waves[0] if waves else None)
    for member, row in zip(roster.index, roster.itertuples(index=False), strict=True):
        G.add_node(
            member,
            name=str(row.name),
            silo=str(row.silo),
            lived_experience=bool(row.lived_experience),
            grassroots=bool(row.grassroots),
            respondent=member in responded,
        )
    chosen = ties[ties["relation"] == relation]
    G.add_weighted_edges_from(
        zip(chosen["respondent"], chosen["alter"], chosen["value"].astype(float), strict=True)
    )
    return G
