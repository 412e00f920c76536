"""The data-quality record: every problem found, and every answer cell set aside.

Nothing read is lost: each answer cell of a survey either becomes a row of the study's
tidy frames (ties, perceptions, decisions, participation — each row carries the
``file``, ``row`` and ``column`` it came from) or is listed in :attr:`DataQuality.set_aside`
with its reason. A whole response set aside (a preview response, an unknown respondent,
an earlier duplicate) is one row with an empty ``column``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from ..errors import Problem

SET_ASIDE_COLUMNS = ["wave", "file", "row", "column", "value", "reason"]

#: Reasons that are not problems: an unanswered cell, an unticked choice.
NON_ANSWERS = ("blank", "not selected")


@dataclass
class DataQuality:
    """Problems and set-aside cells of a study.

    Attributes
    ----------
    problems : list of Problem
        Errors (``validate`` exits 1) and warnings, in the order found.
    set_aside : DataFrame
        One row per answer cell (or whole response) not used, with its reason.
    cells_read : Counter
        Answer cells read per wave.
    """

    problems: list[Problem] = field(default_factory=list)
    set_aside: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=SET_ASIDE_COLUMNS))
    cells_read: Counter = field(default_factory=Counter)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there is no error-severity problem."""
        return not self.errors

    def reasons(self) -> dict[str, int]:
        """Set-aside counts by reason (blank and unticked cells included)."""
        counts = self.set_aside["reason"].value_counts()
        return {str(k): int(v) for k, v in counts.sort_index().items()}

    def problem_cells(self) -> int:
        """Answer cells set aside for a reason other than a blank or an unticked choice."""
        return int((~self.set_aside["reason"].isin(NON_ANSWERS)).sum())

    def counts_by_code(self) -> dict[str, int]:
        return dict(sorted(Counter(p.code for p in self.problems).items()))


class Ledger:
    """Collects problems and set-aside cells while files are read."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._set_aside: list[tuple] = []
        self.cells_read: Counter = Counter()

    def problem(self, severity: str, code: str, message: str, **where: object) -> None:
        self.problems.append(Problem(severity, code, message, **where))

    def error(self, code: str, message: str, **where: object) -> None:
        self.problem("error", code, message, **where)

    def warning(self, code: str, message: str, **where: object) -> None:
        self.problem("warning", code, message, **where)

    def set_aside(self, wave: str, file: str, row: int, column: str, value: str,
                  reason: str) -> None:
        self._set_aside.append((wave, file, row, column, value, reason))

    def finish(self) -> DataQuality:
        frame = pd.DataFrame(self._set_aside, columns=SET_ASIDE_COLUMNS)
        frame["row"] = frame["row"].astype("int64")
        return DataQuality(problems=list(self.problems), set_aside=frame,
                           cells_read=self.cells_read)
