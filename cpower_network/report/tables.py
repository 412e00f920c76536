"""Table view models: what a sortable report table holds (text plus a sort key)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .format import missing, num, pct, signed

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Cell:
    """Displayed text and the value the table sorts by."""

    text: str
    sort: float | str = ""


@dataclass
class Table:
    """A sortable table: headers, rows of cells, which columns are numeric."""

    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    numeric: list[bool] = field(default_factory=list)
    caption: str = ""
    #: Shown instead of "<caption>: nothing to show." when the table has no rows for a
    #: known reason ("Voice by focus group: not measured: …"); "" for the default.
    empty: str = ""

    def add(self, *cells: Cell) -> None:
        self.rows.append(list(cells))

    def __bool__(self) -> bool:
        return bool(self.rows)

    def key_first(self, prefix: str) -> Table:
        """This table with the columns headed ``prefix…`` moved to just after the first
        column (the figures a room reads first), in their order; a copy, the table
        itself unchanged.

        >>> t = make_table(["Decision", "Took part: all", "Shaped by: x"], [False, True, True])
        >>> t.add(text("A"), Cell("40 %", 0.4), Cell("20 %", 0.2))
        >>> moved = t.key_first("Shaped by")
        >>> moved.columns, [c.text for c in moved.rows[0]], moved.numeric
        (['Decision', 'Shaped by: x', 'Took part: all'], ['A', '20 %', '40 %'], [False, True, True])
        """
        key = [k for k, column in enumerate(self.columns) if k and column.startswith(prefix)]
        order = [0, *key, *(k for k in range(1, len(self.columns)) if k not in key)]
        return replace(self, columns=[self.columns[k] for k in order],
                       rows=[[row[k] for k in order] for row in self.rows],
                       numeric=[self.numeric[k] for k in order])


def text(value: object) -> Cell:
    shown = str(value)
    return Cell(shown, shown.casefold())


def sort_key(value: float | None) -> float | str:
    """The sort key of a number that may be missing ("" sorts it apart)."""
    return "" if missing(value) else float(value)


def number(value: float | None, digits: int = 2) -> Cell:
    return Cell(num(value, digits), sort_key(value))


def share(value: float | None) -> Cell:
    return Cell(pct(value), sort_key(value))


def difference(value: float | None) -> Cell:
    return Cell(signed(value), sort_key(value))


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts of plain Python values (the values ``iterrows``
    gives when the columns' types differ), many times faster than ``iterrows``.

    >>> import pandas as pd
    >>> records(pd.DataFrame({"group": ["a"], "size": [3]}))
    [{'group': 'a', 'size': 3}]
    """
    return frame.to_dict("records")


def make_table(columns: Sequence[str], numeric: Sequence[bool], caption: str = "") -> Table:
    return Table(list(columns), [], list(numeric), caption)
