"""Table view models: what a sortable report table holds (text plus a sort key)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .format import missing, num, pct, signed


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

    def add(self, *cells: Cell) -> None:
        self.rows.append(list(cells))

    def __bool__(self) -> bool:
        return bool(self.rows)


def text(value: object) -> Cell:
    return Cell(str(value), str(value).casefold())


def sort_key(value: float | None) -> float | str:
    """The sort key of a number that may be missing ("" sorts it apart)."""
    return "" if missing(value) else float(value)


def number(value: float | None, digits: int = 2) -> Cell:
    return Cell(num(value, digits), sort_key(value))


def share(value: float | None) -> Cell:
    return Cell(pct(value), sort_key(value))


def difference(value: float | None) -> Cell:
    return Cell(signed(value), sort_key(value))


def make_table(columns: Sequence[str], numeric: Sequence[bool], caption: str = "") -> Table:
    return Table(list(columns), [], list(numeric), caption)
