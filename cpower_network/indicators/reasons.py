"""Why a piece of evidence is undefined or meaningless on the data
(docs/methods.md §Small groups and measures not measured).

Each function returns the reason a value is *not measured*, or None when it can be
scored. The kinds:

* a relation with no ties: every measure of it is undefined ("no ties in collaborate");
* one silo: nothing can cross silos ("one silo: needs two or more silos");
* a focus group that is empty or under ``suppress_group`` members ("no grassroots members
  in this wave", "Lived experience is a group of 1 member: too small to measure (fewer
  than 3)"), see :mod:`cpower_network.config.groups`, or a study that defines no focus
  groups at all (:data:`NO_FOCUS_GROUPS`);
* a centrality that does not vary: a parity ratio on it is 1 whatever the group, so it
  says nothing ("PageRank does not vary: every member equal").
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pandas as pd

from ..config import groups as groups_policy
from ..measures.parity import is_constant

#: How reasons name each measure a parity ratio is read on.
MEASURE_NAMES = {"pagerank": "PageRank", "in_degree": "In-degree",
                 "in_strength": "Strength received", "betweenness": "Betweenness",
                 "harmonic": "Closeness", "named": "Decision influence"}

ONE_SILO = "one silo: needs two or more silos"
NO_TIES_ANYWHERE = "no ties in any relation"
NOBODY_NAMED = "nobody was named as shaping a decision"
#: Why every focus-group figure is not measured in a study without ``[focus_groups]``.
NO_FOCUS_GROUPS = "no focus groups are defined in cpower.toml"


def has_ties(G: nx.Graph) -> bool:
    """Whether ``G`` has a tie between two members (self-loops do not count).

    >>> has_ties(nx.DiGraph([("a", "a")])), has_ties(nx.DiGraph([("a", "b")]))
    (False, True)
    """
    return G.number_of_edges() > nx.number_of_selfloops(G)


def no_ties(relation: Any) -> str | None:
    """"no ties in <relation>" when nobody reported a tie in it, else None."""
    return None if has_ties(relation.graph) else f"no ties in {relation.key}"


def silo_count(results: Any) -> int:
    """Distinct silos among the wave's members."""
    return int(results.roster.loc[list(results.wave.members), "silo"].nunique())


def one_silo(results: Any) -> str | None:
    """:data:`ONE_SILO` when the wave's members are all in one silo, else None."""
    return ONE_SILO if silo_count(results) < 2 else None


def thresholds(results: Any) -> tuple[int, int]:
    """``(small_group, suppress_group)`` in force for ``results``
    (:func:`cpower_network.config.groups.thresholds` of its settings)."""
    return groups_policy.thresholds(getattr(results, "settings", None))


def find_group(results: Any, key: str) -> Any | None:
    """The wave's focus group ``key`` (None when the study has none)."""
    return next((g for g in results.wave.groups if g.key == key), None)


def defines_focus_groups(results: Any) -> bool:
    """Whether the study defines any focus group in ``cpower.toml`` (a shared view that
    left every group out still does: its figures are withheld, not undefined).

    >>> from types import SimpleNamespace as NS
    >>> defines_focus_groups(NS(study=NS(focus_groups=[]), wave=NS(groups=[])))
    False
    >>> defines_focus_groups(NS(study=NS(focus_groups=[("le", "Lived experience")]),
    ...                         wave=NS(groups=[])))
    True
    """
    defined = getattr(getattr(results, "study", None), "focus_groups", None)
    if defined is None:  # results built by hand: the wave's groups tell
        defined = list(results.wave.groups)[1:]
    return bool(defined)


def group(results: Any, key: str, size: int | None = None) -> str | None:
    """Why focus group ``key`` cannot be measured on its own, or None.

    Parameters
    ----------
    results : Results
    key : str
        The focus group's key.
    size : int, optional
        Its size where it was measured (e.g. a relation's parity table); the wave's
        group size otherwise.
    """
    found = find_group(results, key)
    if found is None:
        if not defines_focus_groups(results):
            return NO_FOCUS_GROUPS
        return f"no {key!r} focus group in this study"
    _small, suppress = thresholds(results)
    return groups_policy.group_reason(found.size if size is None else size,
                                      label=found.label, suppress=suppress)


def group_notes(results: Any, keys: list[str]) -> list[str]:
    """"read with care" notes for the measured groups among ``keys`` under
    ``small_group`` members."""
    small, suppress = thresholds(results)
    notes = []
    for key in keys:
        found = find_group(results, key)
        note = found and groups_policy.small_group_note(found.size, label=found.label,
                                                        small=small, suppress=suppress)
        if note:
            notes.append(note)
    return notes


def does_not_vary(values: pd.Series, measure: str) -> str | None:
    """"<measure> does not vary: every member equal" when every (known) value is the
    same, else None.

    >>> does_not_vary(pd.Series([0.25] * 4), "pagerank")
    'PageRank does not vary: every member equal'
    >>> does_not_vary(pd.Series([1.0, 2.0]), "in_degree") is None
    True
    """
    if pd.to_numeric(values, errors="coerce").isna().all():
        return f"{MEASURE_NAMES.get(measure, measure)} unknown for every member"
    if not is_constant(values):
        return None
    return f"{MEASURE_NAMES.get(measure, measure)} does not vary: every member equal"


def parity(results: Any, relation: Any, key: str, measure: str,
           size: int | None = None) -> str | None:
    """Why the parity of group ``key`` on ``measure`` in ``relation`` is not measured:
    no ties, then the group, then a measure that does not vary; None when it is."""
    return (no_ties(relation) or group(results, key, size)
            or does_not_vary(relation.centralities[measure], measure))
