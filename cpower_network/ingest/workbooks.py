"""Read one sheet of an XLSX workbook as numbered rows of text, streaming.

The sheet is read with openpyxl in read-only mode, one row at a time, and only rows that
hold text are kept, each cut after its last cell with text. So a sheet whose stored size
says ``A1:XFD1048576`` (a formatted cell, or a stray keystroke, in the last cell) costs
no more than the cells it really holds.

A sheet whose used range is absurd for what it holds (a value far below or to the right
of the data, such that the grid of rows × columns would dwarf the values in it) is
refused, naming the sheet and the stray cell, before any grid is built. A workbook that
cannot be read at all (not a zip, a zip that is not a workbook, a damaged part) is a
:class:`~cpower_network.errors.DataError` naming the file; openpyxl's own exception never
reaches the user.
"""

from __future__ import annotations

import datetime as dt
import io
import operator
from collections.abc import Iterable
from itertools import compress, count, repeat
from typing import TYPE_CHECKING

from ..errors import DataError, Problem, clip

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

#: Excel's last row: a row number beyond it comes from a damaged or hand-made file.
EXCEL_ROWS = 1_048_576
#: A sheet's used range (rows × columns up to its farthest text) may always reach this many
#: cells (about 4 million: 32 MB of empty cells at most) …
GRID_FLOOR = 4_000_000
#: … and beyond that, at most this many cells for each cell holding text: a range of
#: 17 billion cells around 60 values is a stray cell, not a table.
GRID_RATIO = 100
RESAVE = "open it in a spreadsheet program and save it again as .xlsx"


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index.

    >>> column_letter(0), column_letter(25), column_letter(26), column_letter(16383)
    ('A', 'Z', 'AA', 'XFD')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV export would show.

    >>> cell_text(3.0), cell_text(2.5), cell_text(None), cell_text(True)
    ('3', '2.5', '', 'TRUE')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return str(value)


def xlsx_records(data: bytes, *, file: str, sheet: str | None) -> list[tuple[int, list[str]]]:
    """The rows holding text of one sheet, as (spreadsheet row number, cells).

    Parameters
    ----------
    data : bytes
        The workbook's bytes.
    file : str
        How to name the file in messages.
    sheet : str, optional
        The sheet's name; the first sheet by default.

    Returns
    -------
    list of (int, list of str)
        Rows in sheet order, each cut after its last cell with text; blank rows are left
        out (their numbers are skipped, so every number is the one the sheet shows).

    Raises
    ------
    DataError
        The file is not a readable workbook, has no such sheet, or the sheet's used range
        is absurd for the text it holds (naming the sheet and the farthest cell).
    """
    from openpyxl import load_workbook

    try:
        # From bytes, not the path: openpyxl refuses a workbook whose name does not end
        # in .xlsx (a download saved as "export.csv" that is really a workbook).
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except MemoryError:
        raise
    except Exception as exc:  # a damaged zip or XML part raises many kinds of error
        raise _unreadable(file, exc) from None
    try:
        worksheet = _worksheet(book, file, sheet)
        # The stored dimension may claim the whole grid: read the rows that are there.
        worksheet.reset_dimensions()
        return _SheetReader(file, worksheet.title).read(worksheet.iter_rows(values_only=True))
    except (DataError, MemoryError):
        raise
    except Exception as exc:  # damage inside a part shows only when it is read
        raise _unreadable(file, exc) from None
    finally:
        book.close()


def _worksheet(book: Workbook, file: str, sheet: str | None) -> ReadOnlyWorksheet:
    names = book.sheetnames
    if sheet is None:
        if not book.worksheets:
            raise DataError(f"{file}: the workbook has no worksheet (only {', '.join(names)})"
                            if names else f"{file}: the workbook has no sheet",
                            problems=[Problem("error", "unreadable", "the workbook has no "
                                              "worksheet to read", file=file, fix=RESAVE)])
        return book.worksheets[0]
    if sheet in names:
        return book[sheet]
    raise DataError(f"{file}: no sheet named {sheet!r}; the workbook has {', '.join(names)}")


def _unreadable(file: str, exc: Exception) -> DataError:
    detail = str(exc).strip() or type(exc).__name__
    text = f"not a readable XLSX workbook ({clip(detail, 120)})"
    return DataError(f"{file}: {text}; {RESAVE}", problems=[Problem(
        "error", "unreadable", text, file=file,
        expected="an .xlsx workbook (or a CSV file)", fix=RESAVE)])


class _SheetReader:
    """Keeps the rows holding text and the sheet's extent, and refuses an absurd one."""

    def __init__(self, file: str, title: str) -> None:
        self.file, self.title = file, title
        self.rows: list[tuple[int, list[str]]] = []
        self.filled = 0           # cells holding text
        self.last_row = 0         # the farthest row and column holding text (1-based)
        self.last_column = 0
        #: (row, column end, value) of the first cell that reached ``last_column``.
        self.widest: tuple[int, int, object] = (0, 0, None)

    def read(self, rows: Iterable[tuple]) -> list[tuple[int, list[str]]]:
        for number, values in enumerate(rows, start=1):
            if number > EXCEL_ROWS:
                raise self._beyond_excel()
            if values:
                self._add(number, values)
        return self.rows

    def _add(self, number: int, values: tuple) -> None:
        # Only the cells the file holds are looked at one by one: openpyxl pads a row up
        # to its last stored cell with None, and finding them runs at C speed.
        present = list(compress(count(), map(operator.is_not, values, repeat(None))))
        texts = {i: cell_text(values[i]) for i in present}
        kept = [i for i in present if texts[i].strip()]
        if not kept:
            return
        end = kept[-1] + 1
        self._check_extent(number, end, len(kept), values[kept[-1]])
        self.filled += len(kept)
        cells = [""] * end
        for i in present:
            if i < end:
                cells[i] = texts[i]
        self.rows.append((number, cells))

    def _check_extent(self, number: int, end: int, filled: int, value: object) -> None:
        """Refuse before building the row if the used range it makes is absurd."""
        rows, columns = max(number, self.last_row), max(end, self.last_column)
        budget = max(GRID_FLOOR, GRID_RATIO * (self.filled + filled))
        if rows * columns > budget:
            # The cell to blame: this one if it widens the range or jumps far below the
            # rest; otherwise the range was already too wide: the widest cell.
            if end > self.last_column or (self.last_row + 1) * columns <= budget:
                raise self._absurd((number, end, value), rows, columns, self.filled + filled)
            raise self._absurd(self.widest, rows, columns, self.filled + filled)
        if end > self.last_column:
            self.widest = (number, end, value)
        self.last_row, self.last_column = rows, columns

    def _absurd(self, stray: tuple[int, int, object], rows: int, columns: int,
                filled: int) -> DataError:
        number, end, value = stray
        letter = column_letter(end - 1)
        cell = f"{letter}{number}"
        text = (f"sheet {self.title!r}: cell {cell} holds {clip(cell_text(value), 40)!r}, far "
                f"from the rest of the data: it makes the sheet's used range "
                f"A1:{column_letter(columns - 1)}{rows} ({rows * columns:,} cells) for only "
                f"{filled:,} cells with text, so the sheet was not read")
        fix = (f"open the workbook, go to cell {cell} (Ctrl+G, then type {cell}), delete it "
               "(or delete the rows and columns beyond your data), save, and run again")
        problem = Problem("error", "stray-cell", text, file=self.file, row=number,
                          column=f"column {letter}", value=cell_text(value),
                          expected="a table starting near A1 with no text far beyond it",
                          fix=fix)
        return DataError(f"{self.file}: {text}. Fix: {fix}", problems=[problem])

    def _beyond_excel(self) -> DataError:
        text = (f"sheet {self.title!r} has rows beyond row {EXCEL_ROWS:,}, Excel's last row: "
                "the workbook is damaged or was not written by a spreadsheet program")
        problem = Problem("error", "unreadable", text, file=self.file, fix=RESAVE)
        return DataError(f"{self.file}: {text}; {RESAVE}", problems=[problem])
