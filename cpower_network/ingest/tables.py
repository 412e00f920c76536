"""Read a CSV or XLSX file, as survey platforms really export it, into a :class:`RawTable`.

Handles UTF-8 with or without BOM, UTF-16 (Excel "Unicode text"), Windows-1252, CRLF
and CR-only line endings, ``,`` ``;`` or tab separators, and the header rows of each
platform:

* **Qualtrics**: three header rows (column ids, question texts, a JSON ``ImportId`` row,
  or the 2016 variant with single quotes), or the legacy two-row export (``V1…`` ids,
  then texts) with a trailing comma on every line.
* **SurveyMonkey**: two header rows; the question text sits only over a question's
  first sub-column, the second row holds ``Response``, ``Open-Ended Response`` or the
  option text. A column is named ``question - option``.
* **Google Forms**: one header row starting with ``Timestamp``.
* **KoboToolbox**: ``;``-separated, fully quoted, ``group/question`` column names.

Every cell stays a string, exactly as written: nothing here interprets survey text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError, Problem

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


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index.

    >>> column_letter(0), column_letter(25), column_letter(26)
    ('A', 'Z', 'AA')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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
        Data rows, each padded to ``len(columns)``.
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

    Raises
    ------
    DataError
        When the file cannot be read or holds no rows at all.
    """
    records = _read_records(path, file=file, sheet=sheet)
    # Blank lines are skipped but still counted, so row numbers match the spreadsheet.
    numbered = [(number, record) for number, record in enumerate(records, start=1)
                if any(cell.strip() for cell in record)]
    records = [record for _, record in numbered]
    if not records:
        raise DataError(f"{file}: the file is empty", problems=[Problem(
            "error", "empty-file", "the file is empty: no header row and no answers",
            file=file, fix="export the survey again, with its header row")])
    if platform == "auto":
        platform = detect_platform(records)
    count = header_rows or _header_count(platform, records)
    columns = _columns(platform, records[:count])
    width = len(columns)
    table = RawTable(file=file, platform=platform, columns=columns, rows=[], row_numbers=[],
                     header_rows=count)
    for number, record in numbered[count:]:
        extra = [c for c in record[width:] if c.strip()]
        if extra:
            table.problems.append(Problem(
                "warning", "extra-cells",
                f"row has {len(record)} cells but the header has {width}; "
                f"the extra cells were set aside", file=file, row=number,
                value=", ".join(extra)[:200], fix="check for unquoted separators in answers"))
        table.rows.append(record[:width] + [""] * (width - len(record)))
        table.row_numbers.append(number)
    return _drop_empty_unnamed(table)


def _read_records(path: Path, *, file: str, sheet: str | None) -> list[list[str]]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{file}: file not found ({path})") from None
    except OSError as exc:
        raise DataError(f"{file}: cannot be read ({exc.strerror})") from None
    if data[:4] == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_records(data, file=file, sheet=sheet)
    if path.suffix.lower() == ".xls":
        raise DataError(f"{file}: old .xls workbooks are not supported; "
                        "save it as .xlsx or CSV")
    text = decode(data)
    # Excel's "Unicode text" (UTF-16) is always tab-separated, and its headers are not
    # quoted, so a question text with commas must not make "," look like the separator.
    unicode_text = data.startswith((b"\xff\xfe", b"\xfe\xff")) and "\t" in text[:20000]
    return _csv_records(text, "\t" if unicode_text else None)


def decode(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252.

    >>> decode("Zoë".encode("cp1252")), decode(b"\\xef\\xbb\\xbfid")
    ('Zoë', 'id')
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_records(text: str, delimiter: str | None = None) -> list[list[str]]:
    delimiter = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [list(record) for record in reader]


def sniff_delimiter(text: str) -> str:
    """The separator of the first record: ``,``, ``;`` or tab, whichever occurs most
    outside quotes.

    >>> sniff_delimiter('"a;b";"c"\\n'), sniff_delimiter("a,b;c,d\\n")
    (';', ',')
    """
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for char in text[:20000]:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            break
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda c: (counts[c], c == ","))
    return best if counts[best] else ","


def _xlsx_records(data: bytes, *, file: str, sheet: str | None) -> list[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # From bytes, not the path: openpyxl refuses a workbook whose name does not end
        # in .xlsx (a download saved as "export.csv" that is really a workbook).
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise DataError(f"{file}: not a readable XLSX workbook ({exc}); "
                        "open it in a spreadsheet program and save it again as .xlsx") from None
    try:
        if sheet is None:
            worksheet = book.worksheets[0]
        elif sheet in book.sheetnames:
            worksheet = book[sheet]
        else:
            raise DataError(f"{file}: no sheet named {sheet!r}; the workbook has "
                            f"{', '.join(book.sheetnames)}")
        return [[cell_text(v) for v in row] for row in worksheet.iter_rows(values_only=True)]
    finally:
        book.close()


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
    """Drop header-less columns with no data (trailing separators); name the others."""
    keep = []
    for column in table.columns:
        unnamed = not column.id and not column.text
        if unnamed and not any(row[column.index].strip() for row in table.rows):
            continue
        keep.append(column if not unnamed else
                    Column(column.index, f"column {column.letter}", ""))
    if len(keep) == len(table.columns):
        return table
    table.columns = keep
    return table
