"""Read a CSV or XLSX file, as survey platforms really export it, into a :class:`RawTable`.

Handles UTF-8 with or without BOM, UTF-16 (Excel "Unicode text", BOM or not),
Windows-1252, CRLF and CR-only line endings, ``,`` ``;`` or tab separators, Excel's
``sep=;`` first line, and the header rows of each platform:

* **Qualtrics**: three header rows (column ids, question texts, a JSON ``ImportId`` row,
  or the 2016 variant with single quotes), or the legacy two-row export (``V1…`` ids,
  then texts) with a trailing comma on every line.
* **SurveyMonkey**: two header rows; the question text sits only over a question's
  first sub-column, the second row holds ``Response``, ``Open-Ended Response`` or the
  option text. A column is named ``question - option``.
* **Google Forms**: one header row starting with ``Timestamp``.
* **KoboToolbox**: ``;``-separated, fully quoted, ``group/question`` column names.

Damaged or mixed text is never read silently; each repair is a located
:class:`~cpower_network.errors.Problem` in :attr:`RawTable.problems`:

* a UTF-8 file with a few stray bytes (a Windows-1252 dash pasted into one answer) stays
  UTF-8; only the cells holding the strays are read as Windows-1252 (``mixed-encoding``).
  A file with no UTF-8 text at all and non-UTF-8 bytes in several cells is read as
  Windows-1252, with one ``encoding-guess`` warning;
* NUL bytes are removed from their cell (``nul-byte``); UTF-16 bytes that are not text
  become U+FFFD (``bad-utf16``), and a UTF-16 row missing a byte is set aside
  (``damaged-row``);
* a stray quote that would swallow the following lines into one cell costs only its own
  row (``unclosed-quote``): the lines after it are read on their own;
* a header row repeated among the answers is skipped (``repeated-header``).

Absurd files cost no more than their size, and are refused with a located error rather
than read into memory many times their size:

* a file that is not text (an image, a program, an old ``.xls`` renamed ``.csv``, a start
  thick with control characters) is refused (``not-a-table``, see
  :mod:`~cpower_network.ingest.textfiles`);
* a cell of any length is read: the csv module's 128 KB field limit is raised to the
  file's length (:func:`~cpower_network.ingest.csvrecords._allow_fields_of`);
* a header row wider than :data:`MAX_COLUMNS`, or rows that padded to the header would
  dwarf the cells they hold, are refused; trailing separators cost nothing;
* a workbook is streamed, and a sheet with a stray cell far from its data refused
  (``stray-cell``, see :mod:`~cpower_network.ingest.workbooks`).

Every cell stays a string, exactly as written: nothing here interprets survey text.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import DataError, Problem, clip
from .csvrecords import _text_records
from .textfiles import OLE2_MAGIC, Note, decode, refuse_binary
from .workbooks import GRID_FLOOR, GRID_RATIO, cell_text, column_letter, xlsx_records

__all__ = ["Column", "RawTable", "cell_text", "column_letter", "decode", "detect_platform",
           "read_table"]

QUALTRICS_IMPORT_PREFIXES = ('{"importid"', "{'importid'")
SURVEYMONKEY_SUBLABELS = {"response", "open-ended response"}
#: Google Forms' first column in the languages it is most often exported in.
GOOGLE_FORMS_TIMESTAMPS = {"timestamp", "marca temporal", "horodateur", "zeitstempel",
                           "carimbo de data/hora", "informazioni cronologiche", "tijdstempel"}


@dataclass(frozen=True)
class Column:
    """One column: its position, its id (first header row) and its question text."""

    index: int
    id: str
    text: str = ""

    @property
    def letter(self) -> str:
        """The spreadsheet column letter (A, B, …, AA…)."""
        return column_letter(self.index)

    @property
    def label(self) -> str:
        return self.id or self.text or f"column {self.letter}"


@dataclass
class RawTable:
    """A survey or roster file: its columns and data rows, all cells as strings.

    Attributes
    ----------
    file : str
        The file as named in ``cpower.toml`` (used in every message).
    platform : str
        ``plain``, ``qualtrics``, ``surveymonkey``, ``google_forms`` or ``kobotoolbox``.
    columns : list of Column
    rows : list of list of str
        Data rows, each as long as the last column's index + 1 (so ``row[column.index]``
        holds every column's cell; header-less empty columns were dropped).
    row_numbers : list of int
        The spreadsheet row number of each data row (header rows counted).
    """

    file: str
    platform: str
    columns: list[Column]
    rows: list[list[str]]
    row_numbers: list[int]
    header_rows: int = 1
    problems: list[Problem] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)


def read_table(path: Path, *, file: str, sheet: str | None = None, platform: str = "auto",
               header_rows: int | None = None) -> RawTable:
    """Read ``path`` into a :class:`RawTable`.

    Parameters
    ----------
    path : Path
        CSV (any common encoding, separator and line ending) or XLSX.
    file : str
        How to name the file in messages.
    sheet : str, optional
        XLSX sheet name; the first sheet by default.
    platform : str
        ``auto`` detects the platform from the header rows.
    header_rows : int, optional
        Force the number of header rows (``plain`` layouts only).

    Returns
    -------
    RawTable
        With a located problem in ``problems`` for every damaged cell or row that was
        repaired or set aside (see the module docstring).

    Raises
    ------
    DataError
        When the file cannot be read or holds no rows at all.
    """
    numbers, records, notes, workbook = _read_records(path, file=file, sheet=sheet)
    numbers, records = _without_blank_lines(numbers, records)
    if not records:
        raise _empty_file(file, _locate(notes, [], 0))
    if platform == "auto":
        platform = detect_platform(records)
    count = header_rows or _header_count(platform, records)
    _check_header_width(file, numbers[:count], records[:count])
    columns = _columns(platform, records[:count])
    table = RawTable(file=file, platform=platform, columns=columns, rows=[], row_numbers=[],
                     header_rows=count)
    _fill_rows(table, numbers[count:], records[count:],
               {_row_key(record) for record in records[:count]}, shifts=not workbook)
    table = _drop_empty_unnamed(table)
    located = _locate(notes, table.columns, numbers[0]) + table.problems
    table.problems = sorted(located, key=lambda problem: problem.row or 0)
    return table


#: More header cells than any spreadsheet or survey platform writes (Excel stops at
#: 16,384 columns): a file that has them is not a survey export or roster.
MAX_COLUMNS = 100_000


def _without_blank_lines(numbers: list[int], records: list[list[str]]
                         ) -> tuple[list[int], list[list[str]]]:
    """The records that hold text, and their row numbers: blank lines are skipped but
    still counted, so row numbers match the spreadsheet."""
    kept = [i for i, record in enumerate(records) if any(map(str.strip, record))]
    if len(kept) == len(records):
        return numbers, records
    return [numbers[i] for i in kept], [records[i] for i in kept]


def _check_header_width(file: str, numbers: list[int], headers: list[list[str]]) -> None:
    """Refuse a header row wider than :data:`MAX_COLUMNS` cells before a column is made
    for each (a line of a million separators would otherwise take a gigabyte)."""
    for number, record in zip(numbers, headers, strict=True):
        if len(record) > MAX_COLUMNS:
            text = (f"the header row has {len(record):,} cells, more than any survey export or "
                    f"spreadsheet has columns (Excel stops at 16,384), so the file was not read")
            fix = ("check that this is the right file and that its first row is the header; "
                   "delete the empty columns beyond the data and export it again")
            raise DataError(f"{file}: {text}. Fix: {fix}", problems=[Problem(
                "error", "not-a-table", text, file=file, row=number,
                expected=f"at most {MAX_COLUMNS:,} columns", fix=fix)])


def _empty_file(file: str, problems: list[Problem]) -> DataError:
    if problems:
        return DataError(f"{file}: no row of the file could be read", problems=problems)
    return DataError(f"{file}: the file is empty", problems=[Problem(
        "error", "empty-file", "the file is empty: no header row and no answers",
        file=file, fix="export the survey again, with its header row")])


def _fill_rows(table: RawTable, numbers: list[int], records: list[list[str]],
               headers: set[tuple[str, ...]], *, shifts: bool = True) -> None:
    """Add the data rows (``records``, at spreadsheet rows ``numbers``), cut to the
    header's width (padded later, see :func:`_drop_empty_unnamed`); warn of extra cells
    and skip a repeated header row.

    ``shifts``: whether a row's cells can shift (CSV text, where a lost separator moves
    every later cell); a workbook's rows end at their last cell with text, and are never
    short rows."""
    width = len(table.columns)
    starts = {key[0] for key in headers if key}
    full_rows = any(len(record) >= width for record in records)
    for number, record in zip(numbers, records, strict=True):
        if record[0].strip() in starts and _row_key(record) in headers:
            table.problems.append(Problem(
                "warning", "repeated-header",
                "this row repeats the header row (two exports pasted together?); it was "
                "skipped, not read as a response", file=table.file, row=number,
                value=clip(", ".join(c.strip() for c in record if c.strip())),
                fix="delete the repeated header row"))
            continue
        if shifts and full_rows and 1 < len(record) < width:  # a lone id cannot shift
            table.problems.append(_short_row(table, number, record, width))
            continue
        if len(record) > width:
            _warn_extra_cells(table, number, record, width)
            record = record[:width]
        table.rows.append(record)  # each record is a list of its own, read for this table
        table.row_numbers.append(number)


def _warn_extra_cells(table: RawTable, number: int, record: list[str], width: int) -> None:
    """Warn of the cells of a row beyond the header's ``width`` that hold text."""
    extra = [c for c in record[width:] if c.strip()]
    if extra:
        table.problems.append(Problem(
            "warning", "extra-cells",
            f"row has {len(record)} cells but the header has {width}; "
            f"the extra cells were set aside", file=table.file, row=number,
            value=", ".join(extra)[:200], fix="check for unquoted separators in answers"))


def _short_row(table: RawTable, number: int, record: list[str], width: int) -> Problem:
    """A row with fewer cells than the header while other rows have them all: its cells
    may have shifted (a quote or separator lost), so reading them could put an answer
    under another member's column. The row is set aside."""
    return Problem(
        "error", "short-row",
        f"row has {len(record)} cells but the header has {width}, while other rows have "
        f"all {width}: its cells may have shifted (a lost separator or a misplaced quote), "
        "so an answer could be read under another member's column; this row was set aside",
        file=table.file, row=number,
        value=clip(", ".join(record)), expected=f"{width} cells, one per header column",
        fix="open the file in a spreadsheet program, check this row's cells against the "
            "header, and export it again")


def _row_key(record: list[str]) -> tuple[str, ...]:
    """A row's cells, stripped, without trailing empty cells (to compare rows)."""
    cells = [cell.strip() for cell in record]
    while cells and not cells[-1]:
        cells.pop()
    return tuple(cells)


def _locate(notes: list[Note], columns: list[Column], header_row: int) -> list[Problem]:
    """The notes' problems, each named by its column's header label (by its letter above
    the header row, e.g. for a first row set aside)."""
    labels = {column.index: column.label for column in columns}
    located = []
    for note in notes:
        problem, index = note.problem, note.index
        if index is not None:
            above = problem.row is not None and problem.row < header_row
            name = None if above else labels.get(index)
            problem = replace(problem, column=name or f"column {column_letter(index)}")
        located.append(problem)
    return located


def _read_records(path: Path, *, file: str, sheet: str | None) \
        -> tuple[list[int], list[list[str]], list[Note], bool]:
    """The spreadsheet row number of each of the file's records, the records, the notes on
    damage, and whether the file is a workbook."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{file}: file not found ({path})") from None
    except OSError as exc:
        raise DataError(f"{file}: cannot be read ({exc.strerror})") from None
    if data[:4] == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm"):
        numbered = xlsx_records(data, file=file, sheet=sheet)
        return [number for number, _ in numbered], [record for _, record in numbered], [], True
    if path.suffix.lower() == ".xls" or data.startswith(OLE2_MAGIC):
        fix = "open it in Excel or LibreOffice and save it as .xlsx or as CSV UTF-8"
        raise DataError(f"{file}: old .xls workbooks are not supported; save it as .xlsx or "
                        "CSV", problems=[Problem(
                            "error", "not-a-table", "the file is an old Excel .xls workbook "
                            "(or another old Office file), which cpower cannot read",
                            file=file, expected="a CSV text file or an .xlsx workbook",
                            fix=fix)])
    refuse_binary(data, file)
    records, notes = _text_records(data, file=file)
    return list(range(1, len(records) + 1)), records, notes, False



def detect_platform(records: list[list[str]]) -> str:
    """Guess the platform from the first rows.

    >>> detect_platform([["StartDate", "Q1"], ["Start date", "Q one"],
    ...                  ['{"ImportId":"startDate"}', '{"ImportId":"QID1"}']])
    'qualtrics'
    >>> detect_platform([["Timestamp", "Your name"]])
    'google_forms'
    """
    first = [c.strip() for c in records[0]]
    if len(records) > 2 and _is_import_row(records[2]):
        return "qualtrics"
    if first and first[0] in ("V1", "ResponseID") and len(records) > 1 and \
            records[1] and records[1][0].strip() in ("ResponseID", "ResponseId"):
        return "qualtrics"
    if first and first[0].casefold() in GOOGLE_FORMS_TIMESTAMPS:
        return "google_forms"
    if len(records) > 1 and first and first[0] == "Respondent ID":
        return "surveymonkey"
    if any(c.startswith("_") and c in ("_uuid", "_submission_time", "_id") for c in first) or \
            sum("/" in c for c in first) >= max(1, len(first) // 3):
        return "kobotoolbox"
    return "plain"


def _is_import_row(record: list[str]) -> bool:
    cells = [c.strip().replace(" ", "").casefold() for c in record if c.strip()]
    return bool(cells) and all(c.startswith(QUALTRICS_IMPORT_PREFIXES) for c in cells)


def _header_count(platform: str, records: list[list[str]]) -> int:
    if platform == "qualtrics":
        return 3 if len(records) > 2 and _is_import_row(records[2]) else 2
    if platform == "surveymonkey":
        return 2
    return 1


def _columns(platform: str, headers: list[list[str]]) -> list[Column]:
    width = max(len(r) for r in headers)
    rows = [r + [""] * (width - len(r)) for r in headers]
    if platform == "surveymonkey" and len(rows) >= 2:
        return _surveymonkey_columns(rows[0], rows[1])
    ids = [c.strip() for c in rows[0]]
    texts = [c.strip() for c in rows[1]] if len(rows) > 1 else [""] * width
    return [Column(i, ids[i], texts[i]) for i in range(width)]


def _surveymonkey_columns(questions: list[str], options: list[str]) -> list[Column]:
    columns = []
    current = ""
    for index, (question, option) in enumerate(zip(questions, options, strict=True)):
        question, option = question.strip(), option.strip()
        current = question or current
        if option.casefold() in SURVEYMONKEY_SUBLABELS or not option:
            name = current
        else:
            name = f"{current} - {option}" if current else option
        columns.append(Column(index, name, name))
    return columns


def _drop_empty_unnamed(table: RawTable) -> RawTable:
    """Drop header-less columns with no data (trailing separators), name the others, and
    pad every row to the last column kept.

    Which unnamed columns hold data is found in one pass over the cells the rows hold, and
    rows are padded only up to the last column kept, so a header row ending in a million
    separators costs no more than its own length.

    Raises
    ------
    DataError
        When the padded rows would be absurdly larger than the cells the file holds.
    """
    unnamed = {column.index for column in table.columns if not column.id and not column.text}
    with_data: set[int] = set()
    if unnamed:
        for row in table.rows:
            with_data.update(i for i, cell in enumerate(row) if i in unnamed and cell.strip())
    keep = [column if column.index not in unnamed else
            Column(column.index, f"column {column.letter}", "")
            for column in table.columns
            if column.index not in unnamed or column.index in with_data]
    width = keep[-1].index + 1 if keep else 0
    _check_grid(table, width)
    table.rows = [row if len(row) == width else row[:width] + [""] * (width - len(row))
                  for row in table.rows]
    table.columns = keep
    return table


def _check_grid(table: RawTable, width: int) -> None:
    """Refuse a table whose rows, padded to ``width`` cells, would dwarf what it holds."""
    held = sum(map(len, table.rows))
    grid = len(table.rows) * width
    if grid <= max(GRID_FLOOR, GRID_RATIO * held):
        return
    text = (f"the header has {width:,} columns but the {len(table.rows):,} rows under it hold "
            f"only {held:,} cells in all; reading it as a table would take {grid:,} cells, "
            "so it was not read")
    fix = ("check that the header row is the file's first row and that the separator is "
           "right; delete the columns beyond the data, then export the file again")
    raise DataError(f"{table.file}: {text}. Fix: {fix}", problems=[Problem(
        "error", "not-a-table", text, file=table.file, row=table.header_rows,
        expected="a header with one column per answer", fix=fix)])
