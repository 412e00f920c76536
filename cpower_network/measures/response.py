"""Response rates (docs/methods.md §Non-respondents)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd


def response_rates(members: Iterable[str], respondents: Iterable[str],
                   groups: Mapping[str, Iterable[str]] | None = None) -> pd.DataFrame:
    """Response rate overall and per group.

    .. math:: r_G = |R \\cap G| / |G|

    where R is the set of respondents and G a group of members (the whole membership
    for ``"all"``). Respondents outside ``members`` are ignored.

    Parameters
    ----------
    members : iterable of str
        Members of the wave.
    respondents : iterable of str
        Members who answered.
    groups : mapping of group name to member ids, optional

    Returns
    -------
    DataFrame
        Indexed by group (``"all"`` first) with columns ``members``, ``respondents`` and
        ``rate`` (NaN for an empty group).

    References
    ----------
    Borgatti, S. P., Everett, M. G. & Johnson, J. C. (2018). *Analyzing Social
    Networks*, 2nd ed., ch. 4 (missing data and response rates).

    Examples
    --------
    >>> response_rates(["a", "b", "c", "d"], ["a", "b", "c"], {"le": ["a", "d"]})
         members  respondents  rate
    all        4            3  0.75
    le         2            1  0.50
    """
    member_list = list(dict.fromkeys(members))
    member_set = set(member_list)
    answered = set(respondents) & member_set
    rows = {"all": _rate(member_list, answered)}
    for name, group in (groups or {}).items():
        rows[name] = _rate([m for m in group if m in member_set], answered)
    frame = pd.DataFrame.from_dict(rows, orient="index",
                                   columns=["members", "respondents", "rate"])
    return frame.astype({"members": "int64", "respondents": "int64", "rate": "float64"})


def _rate(group: list[str], answered: set[str]) -> tuple[int, int, float]:
    count = sum(1 for m in group if m in answered)
    return len(group), count, (count / len(group)) if group else float("nan")
