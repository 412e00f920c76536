"""Typed analysis settings: the one source of defaults for how measures are computed.

Overridden by the study's ``[analysis]`` table, then by command-line options.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from ..measures.inference import MAX_DRAWS, MIN_DRAWS
from . import reference
from .groups import SMALL_GROUP, SUPPRESS_GROUP
from .schema import LARGEST, TableReader

NONRESPONDENT_RULES = ("respondents", "union")
DUPLICATE_RULES = ("keep_last", "keep_first", "error")
CONFLICT_RULES = ("error", "max", "mean", "first")
#: The most draws a permutation test may be given (``[analysis] permutations``,
#: ``--permutations``): a million draws resolve a p-value to 0.000001, far finer than any
#: decision needs; more would only run for hours.
MAX_PERMUTATIONS = MAX_DRAWS
#: The most suggested introductions per member ``[analysis] introductions`` may ask for.
MAX_INTRODUCTIONS = 100


def permutations_problem(value: int, name: str = "[analysis] permutations") -> str | None:
    """Why ``value`` cannot be a number of permutation draws, or None when it can.

    >>> permutations_problem(5000) is None, permutations_problem(0) is None
    (True, True)
    >>> print(permutations_problem(10**12, "--permutations"))
    --permutations must be 0 (no tests) or at least 1000 and at most 1,000,000 draws, got 1000000000000 (a million draws already give a p-value to 0.000001; more would run for hours). Fix: --permutations 1000000 at most, or leave it out for enough draws for every q-value
    """  # noqa: E501
    if value == 0 or MIN_DRAWS <= value <= MAX_PERMUTATIONS:
        return None
    why = (f"a p-value from fewer draws is not printed). Fix: {_fix(name, MIN_DRAWS)}"
           if value < MIN_DRAWS else
           "a million draws already give a p-value to 0.000001; more would run for "
           f"hours). Fix: {_fix(name, MAX_PERMUTATIONS)} at most")
    return (f"{name} must be 0 (no tests) or at least {MIN_DRAWS} and at most "
            f"{MAX_PERMUTATIONS:,} draws, got {value} ({why}, or leave it out for enough "
            "draws for every q-value")


def _fix(name: str, value: int) -> str:
    """``--permutations 1000`` or ``permutations = 1000``."""
    return f"{name} {value}" if name.startswith("--") else \
        f"{name.split()[-1]} = {value}"


@dataclass(frozen=True)
class AnalysisSettings:
    """How measures are computed.

    Attributes
    ----------
    nonrespondents : {"respondents", "union"}
        ``"respondents"``: ties are what respondents reported. ``"union"``: for relations
        symmetric by nature, a non-respondent's ties are rebuilt from what others reported
        about them (docs/methods.md §Non-respondents).
    permutations : int or None
        Draws for permutation tests (E-I p-value, group differences, wave changes): 0 (no
        tests) or at least 1,000. None (default): 1,000 per test, and a test at p ≤ 0.05
        is drawn again with enough draws for its q-value (see
        :func:`cpower_network.measures.inference.draws_for_family`).
    duplicates : {"keep_last", "keep_first", "error"}
        What to do when one member answered the same survey twice.
    conflicts : {"error", "max", "mean", "first"}
        What to do when one respondent gave two different answers about one member in
        one question (two grid columns naming the same member, two rows of a long
        file): ``"error"`` reports it and uses neither; the others combine the answers
        (``"first"``: the leftmost column or first row) and say so in the data quality.
    response_rate_warning : float
        Warn when a focus group's response rate is below this share.
    small_group : int
        Groups smaller than this are flagged as imprecise.
    suppress_group : int
        In shared (retreat) views, groups smaller than this are not shown.
    resolution : float
        Resolution of the modularity that community detection (Leiden) maximises.
    introductions : int
        Suggested introductions per member in the weaver's worklist.
    """

    nonrespondents: str = "respondents"
    permutations: int | None = None
    duplicates: str = "keep_last"
    conflicts: str = "error"
    response_rate_warning: float = 0.70
    small_group: int = SMALL_GROUP
    suppress_group: int = SUPPRESS_GROUP
    resolution: float = 1.0
    introductions: int = 3

    def with_options(self, **options: Any) -> AnalysisSettings:
        """A copy with the given options (``None`` values are ignored)."""
        return replace(self, **{k: v for k, v in options.items() if v is not None})


def read_analysis_settings(table: Mapping[str, Any], problems: list[str]) -> AnalysisSettings:
    """Parse ``[analysis]``, keeping defaults for keys not given."""
    reader = TableReader(table, "[analysis]", problems)
    reader.check_keys(reference.keys("analysis"))
    default = AnalysisSettings()
    settings = AnalysisSettings(
        nonrespondents=reader.choice("nonrespondents", NONRESPONDENT_RULES,
                                     default.nonrespondents),
        permutations=reader.integer("permutations", default.permutations),
        duplicates=reader.choice("duplicates", DUPLICATE_RULES, default.duplicates),
        conflicts=reader.choice("conflicts", CONFLICT_RULES, default.conflicts),
        response_rate_warning=reader.number("response_rate_warning",
                                            default.response_rate_warning,
                                            at_least=0, at_most=1,
                                            expected="is a share between 0 and 1"),
        small_group=reader.integer("small_group", default.small_group, at_least=1,
                                   at_most=LARGEST),
        suppress_group=reader.integer("suppress_group", default.suppress_group,
                                      at_least=1, at_most=LARGEST),
        resolution=reader.number("resolution", default.resolution, at_least=None,
                                 above=0),
        introductions=reader.integer("introductions", default.introductions,
                                     at_least=0, at_most=MAX_INTRODUCTIONS),
    )
    if settings.permutations is not None:
        problem = permutations_problem(settings.permutations)
        if problem is not None:
            problems.append(problem)
            settings = replace(settings, permutations=default.permutations)
    return settings
