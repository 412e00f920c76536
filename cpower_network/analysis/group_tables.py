"""Focus groups against the rest, on each power measure of a relation.

The parity table (each group's share of a measure against its share of the members) and
the difference table (difference of group means, with permutation p-values drawn again
with more draws where they are small), with the reasons a figure is withheld.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from ..common.wording import counted
from ..config import groups as groups_policy
from ..measures.inference import ALPHA, MIN_DRAWS, NOT_TESTABLE, draws_for_family
from ..measures.parity import group_differences, group_parity, is_constant
from ..results.model import MEASURE_LABELS, POWER_MEASURES, Group
from .deferred import Submit, _draw, run_now


def parity_table(centralities: pd.DataFrame, groups: list[Group], *,
                 suppress_group: int = 3) -> pd.DataFrame:
    """Share, membership share and parity ratio of each group for each power measure.

    ``not_measured`` says why ``share`` and ``parity`` are NaN: a group under
    ``suppress_group`` members (its "share" would be one person's score) or a measure that
    does not vary (uniform PageRank on a network without ties gives parity 1 for anyone).
    """
    flat = _constant_measures(centralities)
    rows = []
    for group in groups:
        for measure in POWER_MEASURES:
            result = group_parity(centralities[measure], list(group.members))
            reason = (groups_policy.group_reason(result.group_size, suppress=suppress_group)
                      or flat[measure])
            nan = math.nan
            rows.append((group.key, measure, nan if reason else result.share,
                         result.membership_share, nan if reason else result.parity,
                         result.group_size, reason or ""))
    return pd.DataFrame(rows, columns=["group", "measure", "share", "membership_share",
                                       "parity", "group_size", "not_measured"])


def _constant_measures(centralities: pd.DataFrame) -> dict[str, str]:
    """Power measure -> "<label> does not vary: every member equal" ("" when it varies)."""
    return {m: "" if not is_constant(centralities[m])
            else f"{MEASURE_LABELS.get(m, m)} does not vary: every member equal"
            for m in POWER_MEASURES}


def difference_table(centralities: pd.DataFrame, groups: list[Group], *,
                     rng: np.random.Generator, permutations: int | None,
                     suppress_group: int = 3, family: int = 1) -> pd.DataFrame:
    """Difference of group means for each power measure, with permutation p-values.

    Columns: ``group``, ``measure``, ``difference``, ``mean_members``, ``mean_rest``,
    ``p_value``, ``permutations`` (draws behind it), ``testable`` (the null can reach
    p ≤ 0.05), ``withheld`` (why the p-value is not given: a measure that does not vary,
    a group under ``suppress_group`` members, or a null that cannot reject; empty when
    given). A withheld p-value is NaN; so is the difference of a measure that does not
    vary. ``permutations=None`` draws as
    :func:`~cpower_network.analysis.pipeline.measure_relation` says.
    """
    return _difference_table_later(centralities, groups, rng=rng, permutations=permutations,
                                   suppress_group=suppress_group, family=family,
                                   submit=run_now)()


def _difference_table_later(centralities: pd.DataFrame, groups: list[Group], *,
                            rng: np.random.Generator, permutations: int | None,
                            suppress_group: int, family: int,
                            submit: Submit) -> Callable[[], pd.DataFrame]:
    """:func:`difference_table`, its redrawn tests run through ``submit``."""
    flat = _constant_measures(centralities)
    tests = [(group, _group_tests(centralities[list(POWER_MEASURES)], list(group.members),
                                  rng=rng, permutations=permutations, family=family,
                                  submit=submit))
             for group in groups]
    return lambda: _difference_rows(flat, [(g, found()) for g, found in tests],
                                    suppress_group)


def _difference_rows(flat: dict[str, str], tests: list[tuple[Group, pd.DataFrame]],
                     suppress_group: int) -> pd.DataFrame:
    """The difference table from each group's tests."""
    rows = []
    for group, found in tests:
        for measure, result in found.iterrows():
            reason = flat[measure] or _withheld(len(group.members), bool(result["testable"]),
                                                int(result["permutations"]), suppress_group)
            rows.append((group.key, measure,
                         math.nan if flat[measure] else result["difference"],
                         result["mean_members"], result["mean_rest"],
                         math.nan if reason else result["p_value"],
                         int(result["permutations"]), not reason, reason))
    return pd.DataFrame(rows, columns=["group", "measure", "difference", "mean_members",
                                       "mean_rest", "p_value", "permutations", "testable",
                                       "withheld"])


def _group_tests(table: pd.DataFrame, members: list[str], *, rng: np.random.Generator,
                 permutations: int | None, family: int,
                 submit: Submit) -> Callable[[], pd.DataFrame]:
    """:func:`group_differences`, drawn again (through ``submit``) with more draws where
    p ≤ 0.05 (auto)."""
    first = MIN_DRAWS if permutations is None else permutations
    found = group_differences(table, members, permutations=first, seed=_draw(rng))
    small = found["testable"].astype(bool) & (found["p_value"] <= ALPHA)
    more = draws_for_family(family, len(table))
    if not (permutations is None and small.any() and more > first):
        return lambda: found
    again = submit(group_differences, table, members, permutations=more, seed=_draw(rng))

    def merged() -> pd.DataFrame:
        redrawn = again.result()
        found.loc[small, ["p_value", "testable"]] = redrawn.loc[small, ["p_value", "testable"]]
        found["permutations"] = np.where(small, more, first)
        return found

    return merged


def _withheld(size: int, testable: bool, permutations: int, suppress_group: int) -> str:
    """Why a group's p-value is not given ("" when it is)."""
    if not permutations:
        return "not tested (permutations = 0)"
    if groups_policy.too_small(size, suppress_group):
        return (f"group of {counted(size, 'member')}: too small to test "
                f"(fewer than {suppress_group})")
    return "" if testable else NOT_TESTABLE
