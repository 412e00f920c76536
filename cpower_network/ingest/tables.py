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

Every cell stays a string, exactly as written: nothing here interprets survey text.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import DataError, Problem, clip
from ..wording import counted

QUALTRICS_IMPORT_PREFIXES = ('{"importid"', "{'importid'")
SURVEYMONKEY_SUBLABELS = {"response", "open-ended response"}
#: Google Forms' first column in the languages it is most often exported in.
GOOGLE_FORMS_TIMESTAMPS = {"timestamp", "marca temporal", "horodateur", "zeitstempel",
                           "carimbo de data/hora", "informazioni cronologiche", "tijdstempel"}
#: Excel's separator hint, the first line of a CSV written for Excel: ``sep=;``.
SEP_HINT = re.compile(r'"?sep=([^\r\n"])"?[ \t]*\r?\n?$', re.IGNORECASE)
UTF8_FIX = "save the file as UTF-8 (CSV UTF-8) from your spreadsheet program"
EXPORT_AGAIN = "export the file again (as CSV UTF-8 if you can)"
#: Bytes that could not be decoded are kept as U+DC00 + byte until their cell is known.
_ESCAPED = re.compile("[\udc00-\udcff]+")
_DAMAGE = re.compile("[\x00\udc00-\udcff]")
#: Any character a valid multi-byte UTF-8 sequence decoded to.
_UTF8_TEXT = re.compile("[^\x00-\x7f\udc80-\udcff]")
_UTF16_BREAKS = {"utf-16-le": re.compile(b"\r\x00\n\x00|\r\x00|\n\x00"),
                 "utf-16-be": re.compile(b"\x00\r\x00\n|\x00\r|\x00\n")}


def _escape_bytes(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: keep each undecodable byte as the lone surrogate U+DCxx, so the
    cell it lands in can be found, repaired and named once the file is split into cells."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start:error.end]
    return "".join(chr(0xDC00 + byte) for byte in bad), error.end


codecs.register_error("cpower-escape", _escape_bytes)


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
    records, notes = _read_records(path, file=file, sheet=sheet)
    # Blank lines are skipped but still counted, so row numbers match the spreadsheet.
    numbered = [(number, record) for number, record in enumerate(records, start=1)
                if any(cell.strip() for cell in record)]
    records = [record for _, record in numbered]
    if not records:
        raise _empty_file(file, _locate(notes, [], 0))
    if platform == "auto":
        platform = detect_platform(records)
    count = header_rows or _header_count(platform, records)
    columns = _columns(platform, records[:count])
    table = RawTable(file=file, platform=platform, columns=columns, rows=[], row_numbers=[],
                     header_rows=count)
    _fill_rows(table, numbered[count:], {_row_key(record) for record in records[:count]})
    table = _drop_empty_unnamed(table)
    located = _locate(notes, table.columns, numbered[0][0]) + table.problems
    table.problems = sorted(located, key=lambda problem: problem.row or 0)
    return table


def _empty_file(file: str, problems: list[Problem]) -> DataError:
    if problems:
        return DataError(f"{file}: no row of the file could be read", problems=problems)
    return DataError(f"{file}: the file is empty", problems=[Problem(
        "error", "empty-file", "the file is empty: no header row and no answers",
        file=file, fix="export the survey again, with its header row")])


def _fill_rows(table: RawTable, numbered: list[tuple[int, list[str]]],
               headers: set[tuple[str, ...]]) -> None:
    """Add the data rows, padded to the header's width; warn of extra cells and skip a
    repeated header row."""
    width = len(table.columns)
    starts = {key[0] for key in headers if key}
    full_rows = any(len(record) >= width for _, record in numbered)
    for number, record in numbered:
        if record[0].strip() in starts and _row_key(record) in headers:
            table.problems.append(Problem(
                "warning", "repeated-header",
                "this row repeats the header row (two exports pasted together?); it was "
                "skipped, not read as a response", file=table.file, row=number,
                value=clip(", ".join(c.strip() for c in record if c.strip())),
                fix="delete the repeated header row"))
            continue
        if full_rows and 1 < len(record) < width:  # a lone id cannot shift an answer
            table.problems.append(_short_row(table, number, record, width))
            continue
        extra = [c for c in record[width:] if c.strip()]
        if extra:
            table.problems.append(Problem(
                "warning", "extra-cells",
                f"row has {len(record)} cells but the header has {width}; "
                f"the extra cells were set aside", file=table.file, row=number,
                value=", ".join(extra)[:200], fix="check for unquoted separators in answers"))
        table.rows.append(record[:width] + [""] * (width - len(record)))
        table.row_numbers.append(number)


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


@dataclass(frozen=True)
class _Note:
    """A problem found before the header is known: its column as a 0-based index."""

    problem: Problem
    index: int | None = None


def _locate(notes: list[_Note], columns: list[Column], header_row: int) -> list[Problem]:
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
        -> tuple[list[list[str]], list[_Note]]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{file}: file not found ({path})") from None
    except OSError as exc:
        raise DataError(f"{file}: cannot be read ({exc.strerror})") from None
    if data[:4] == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_records(data, file=file, sheet=sheet), []
    if path.suffix.lower() == ".xls":
        raise DataError(f"{file}: old .xls workbooks are not supported; "
                        "save it as .xlsx or CSV")
    return _text_records(data, file=file)


def _text_records(data: bytes, *, file: str) -> tuple[list[list[str]], list[_Note]]:
    """Split CSV bytes into records; repair damaged cells, set damaged rows aside."""
    text = _decode_text(data)
    hint = _sep_hint(text)
    joined = "".join(text.lines)
    # Excel's "Unicode text" (UTF-16) is always tab-separated, and its headers are not
    # quoted, so a question text with commas must not make "," look like the separator.
    unicode_text = text.encoding == "utf-16" and "\t" in joined[:20000]
    delimiter = hint or ("\t" if unicode_text else sniff_delimiter(joined))
    records, notes = _parse_lines(_Parse(text.lines, delimiter, text.damaged, file))
    if _DAMAGE.search(joined):
        notes += _repair_cells(records, text, file)
    return records, notes


@dataclass
class _Text:
    """A CSV file decoded into lines (line ends kept), undecodable bytes as U+DCxx."""

    lines: list[str]
    encoding: str = "utf-8"
    #: A BOM or a valid multi-byte sequence: the file is UTF-8, stray bytes are strays.
    utf8_evidence: bool = True
    #: Lines (0-based) of a UTF-16 file whose byte count is odd: a byte is missing.
    damaged: set[int] = field(default_factory=set)


def decode(data: bytes) -> str:
    """Decode CSV bytes as what they are: UTF-8 (BOM or not) or UTF-16 (BOM or not).

    Bytes that are not UTF-8 are read as Windows-1252, each on its own: the UTF-8 text
    around them stays UTF-8. NUL bytes are removed. :func:`read_table` decodes the same
    way, and reports each repaired cell.

    >>> decode("Zoë".encode("cp1252")), decode(b"\\xef\\xbb\\xbfid")
    ('Zoë', 'id')
    >>> decode("José – ".encode() + "Zoë".encode("cp1252"))
    'José – Zoë'
    """
    text = _decode_text(data)
    return "".join(_fix_cell(line, text.encoding) for line in text.lines)


def _decode_text(data: bytes) -> _Text:
    if data.startswith(b"\xef\xbb\xbf"):
        return _Text(_split_lines(data[3:].decode("utf-8", "cpower-escape")))
    if data.startswith(b"\xff\xfe"):
        return _decode_utf16(data[2:], "utf-16-le")
    if data.startswith(b"\xfe\xff"):
        return _decode_utf16(data[2:], "utf-16-be")
    codec = _utf16_without_bom(data)
    if codec is not None:
        return _decode_utf16(data, codec)
    text = data.decode("utf-8", "cpower-escape")
    return _Text(_split_lines(text), utf8_evidence=bool(_UTF8_TEXT.search(text)))


def _split_lines(text: str) -> list[str]:
    return io.StringIO(text, newline="").readlines()


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` for UTF-16 without a BOM (mostly ASCII text, so
    every other byte is NUL), else None.

    >>> _utf16_without_bom("id,name".encode("utf-16-le")), _utf16_without_bom(b"id,name")
    ('utf-16-le', None)
    """
    sample = data[:4000]
    if len(sample) < 8:
        return None
    for codec, zeros, text in (("utf-16-le", sample[1::2], sample[0::2]),
                               ("utf-16-be", sample[0::2], sample[1::2])):
        if zeros.count(0) >= 0.9 * len(zeros) and text.count(0) <= 0.1 * len(text):
            return codec
    return None


def _decode_utf16(body: bytes, codec: str) -> _Text:
    """UTF-16 (after its BOM). With an odd byte count, a byte is missing somewhere: each
    line is decoded on its own, so only the line missing the byte is garbled (and set
    aside)."""
    if len(body) % 2 == 0:
        return _Text(_split_lines(body.decode(codec, "cpower-escape")), encoding="utf-16")
    lines: list[str] = []
    damaged: set[int] = set()
    start = 0
    ends = [match.end() for match in _UTF16_BREAKS[codec].finditer(body)]
    for end in [*ends, len(body)]:
        if end > start:
            if (end - start) % 2:
                damaged.add(len(lines))
            lines.append(body[start:end].decode(codec, "cpower-escape"))
        start = end
    return _Text(lines, encoding="utf-16", damaged=damaged)


def _sep_hint(text: _Text) -> str | None:
    """The separator named by Excel's ``sep=;`` first line, which is then dropped. Excel
    does not show that line, so the header stays row 1."""
    match = SEP_HINT.match(text.lines[0]) if text.lines else None
    if match is None:
        return None
    del text.lines[0]
    text.damaged = {line - 1 for line in text.damaged if line}
    return match.group(1)


@dataclass
class _Parse:
    """The state of splitting a CSV file's lines into records."""

    lines: list[str]
    delimiter: str
    damaged: set[int]
    file: str
    records: list[list[str]] = field(default_factory=list)
    notes: list[_Note] = field(default_factory=list)
    #: The cell count of the first record with text (the header).
    width: int | None = None


def _parse_lines(state: _Parse) -> tuple[list[list[str]], list[_Note]]:
    """Records of ``state.lines``. A damaged record (a stray quote, a UTF-16 line missing a
    byte) is set aside as an empty record, so later row numbers stay right, and reading
    goes on from the line after the one where it starts."""
    start = 0
    while start < len(state.lines):
        start = _parse_from(state, start)
    return state.records, state.notes


def _lines_from(lines: list[str], start: int) -> Iterator[str]:
    """``lines[start:]`` without copying or stepping over the first ``start`` lines."""
    return map(lines.__getitem__, range(start, len(lines)))


def _parse_from(state: _Parse, start: int) -> int:
    """Read records strictly from line ``start``; return where to go on reading: the end,
    or past a record that needed a lenient read (see :func:`_lenient`)."""
    reader = csv.reader(_lines_from(state.lines, start), delimiter=state.delimiter,
                        strict=True)
    first = start
    try:
        for record in reader:
            last = start + reader.line_num
            if not _keep(state, first, last, record, strict=True):
                return first + 1
            first = last
    except csv.Error:
        return _lenient(state, first)
    return len(state.lines)


def _lenient(state: _Parse, first: int) -> int:
    """Re-read the record at line ``first``, which a strict read refused, as spreadsheet
    programs do: ``"Ana" Ruiz`` on one line is kept as ``Ana Ruiz``; a record running
    over several lines holds a stray quote and is set aside."""
    reader = csv.reader(_lines_from(state.lines, first), delimiter=state.delimiter)
    try:
        record = next(reader)
    except csv.Error:       # a field over the csv module's size limit: a stray quote
        _set_aside(state, _unclosed_quote(state, first, None))
        return first + 1
    last = first + reader.line_num
    return last if _keep(state, first, last, record, strict=False) else first + 1


def _keep(state: _Parse, first: int, last: int, record: list[str], *, strict: bool) -> bool:
    """Add the record read from lines ``first:last``, or set it aside when it is damaged
    (a UTF-16 line missing a byte, a stray quote); False when set aside."""
    if state.damaged and state.damaged.intersection(range(first, last)):
        _set_aside(state, _missing_byte(state, first))
        return False
    span = last - first
    if span > 1 and (not strict or _swallows_records(state, first, last, record)):
        _set_aside(state, _unclosed_quote(state, first, span - 1))
        return False
    state.records.append(record)
    if state.width is None and any(cell.strip() for cell in record):
        state.width = len(record)
    return True


def _set_aside(state: _Parse, note: _Note) -> None:
    """Record ``note``; the damaged row is kept as an empty record, so it is skipped but
    later rows keep their numbers."""
    state.notes.append(note)
    state.records.append([])


def _swallows_records(state: _Parse, first: int, last: int, record: list[str]) -> bool:
    """Whether a record over several lines, well quoted, still comes from a stray quote.

    A stray quote usually fails a strict read (it never closes, or "closes" on the
    opening quote of a later cell). When a literal quote closes it, the lines it took in
    look like whole records: the record has a cell count other than the header's while
    a later line holds a record's separators, or (header of 3 or more cells) at least
    two whole lines inside it hold a record's separators each.
    """
    width = state.width or len(record)
    whole = max(width - 1, 1)
    later = [line.count(state.delimiter) >= whole for line in state.lines[first + 1:last]]
    if len(record) != width:
        return any(later)
    inside = later[:-1]     # the last line holds the end of the record, not a whole line
    return width >= 3 and len(inside) >= 2 and all(inside)


def _unclosed_quote(state: _Parse, first: int, swallowed: int | None) -> _Note:
    index, written = _unclosed_cell(state.lines[first], state.delimiter)
    lines = "the lines after it" if swallowed is None else \
        f"the next {counted(swallowed, 'line')}"
    return _Note(Problem(
        "error", "unclosed-quote",
        f'a quote (") opens this cell but is not closed on its line, so {lines} would '
        "have been read into this one cell; this row was set aside and the rows after it "
        "were read on their own", file=state.file, row=len(state.records) + 1,
        value=clip(written, 60), expected="a closing quote",
        fix='remove the stray " or close the quote'), index)


def _unclosed_cell(line: str, delimiter: str) -> tuple[int | None, str]:
    """Index and text (as written) of the first cell of ``line`` whose opening quote does
    not close on the line.

    >>> _unclosed_cell('m1,"ok, fine","Ana,x\\n', ",")
    (2, '"Ana,x')
    """
    index = pos = 0
    while pos < len(line):
        if line[pos] == '"':
            close = _closing_quote(line, pos + 1)
            if close < 0:
                return index, line[pos:].rstrip("\r\n")
            pos = close + 1
        pos = line.find(delimiter, pos)
        if pos < 0:
            break
        index, pos = index + 1, pos + 1
    return None, line.rstrip("\r\n")


def _closing_quote(line: str, pos: int) -> int:
    """Position of the quote closing a quoted cell whose text starts at ``pos``, or -1."""
    while (pos := line.find('"', pos)) >= 0:
        if not line.startswith('""', pos):
            return pos
        pos += 2
    return -1


def _missing_byte(state: _Parse, first: int) -> _Note:
    """A UTF-16 line with an odd byte count: garbled after the missing byte."""
    text = _ESCAPED.sub("", state.lines[first]).strip()
    where = {"file": state.file, "row": len(state.records) + 1}
    if not text:
        return _Note(Problem("warning", "bad-utf16", "a stray byte after the last line "
                             "(UTF-16 text has two bytes per character) was left out",
                             **where, fix=EXPORT_AGAIN))
    return _Note(Problem(
        "error", "damaged-row",
        "a byte of this row is missing (UTF-16 text has two bytes per character), so "
        "its text after that byte is garbled; this row was set aside and the rows after "
        "it were read on their own", **where, value=clip(text, 60),
        expected="whole two-byte characters", fix=EXPORT_AGAIN))


def _repair_cells(records: list[list[str]], text: _Text, file: str) -> list[_Note]:
    """Repair each cell holding a NUL or an undecodable byte (in place), with one note
    per cell, or one note for the file when it is Windows-1252 throughout."""
    found = [(row, index) for row, record in enumerate(records, start=1)
             for index, cell in enumerate(record) if _DAMAGE.search(cell)]
    escaped = [(row, index) for row, index in found
               if _ESCAPED.search(records[row - 1][index])]
    guess = text.encoding == "utf-8" and not text.utf8_evidence and len(escaped) > 1
    notes = []
    for row, index in found:
        raw = records[row - 1][index]
        records[row - 1][index] = _fix_cell(raw, text.encoding)
        problems = _cell_problems(raw, records[row - 1][index], text.encoding, guess,
                                  {"file": file, "row": row})
        notes += [_Note(problem, index) for problem in problems]
    if guess:
        row, index = escaped[0]
        notes.insert(0, _Note(Problem(
            "warning", "encoding-guess",
            f"the file holds no UTF-8 text and {len(escaped)} cells hold bytes that are not "
            "UTF-8, so it was read as Windows-1252 (a guess): check its accented names, "
            f"e.g. row {row}: {clip(records[row - 1][index])!r}", file=file,
            expected="UTF-8 text", fix=UTF8_FIX)))
    return notes


def _fix_cell(cell: str, encoding: str) -> str:
    """``cell`` with NULs removed and escaped bytes decoded: as Windows-1252 in a UTF-8
    file, as U+FFFD (one per run) in a UTF-16 file."""
    if encoding == "utf-8":
        cell = _ESCAPED.sub(lambda m: _cp1252(_escaped_bytes(m.group())), cell)
    else:
        cell = _ESCAPED.sub("\ufffd", cell)
    return cell.replace("\x00", "")


def _cp1252(data: bytes) -> str:
    return data.decode("cp1252", errors="replace")


def _escaped_bytes(text: str) -> bytes:
    return bytes(ord(c) - 0xDC00 for c in text if "\udc00" <= c <= "\udcff")


def _cell_problems(raw: str, fixed: str, encoding: str, guess: bool,
                   where: dict[str, object]) -> list[Problem]:
    bad = _escaped_bytes(raw)
    shown = " ".join(f"0x{byte:02x}" for byte in bad[:8]) + (" …" if len(bad) > 8 else "")
    bytes_are = "a byte that is" if len(bad) == 1 else "bytes that are"
    problems = []
    if bad and encoding == "utf-16":
        problems.append(Problem(
            "warning", "bad-utf16", f"this cell holds {bytes_are} not UTF-16 text "
            f"({shown}); replaced by '\ufffd': {clip(fixed)!r}", **where, value=fixed,
            fix=EXPORT_AGAIN))
    elif bad and not guess:
        problems.append(Problem(
            "warning", "mixed-encoding", f"this cell holds {bytes_are} not UTF-8 ({shown}); "
            f"only this cell was read as Windows-1252: {clip(fixed)!r}", **where,
            value=fixed, fix=UTF8_FIX))
    if "\x00" in raw:
        problems.append(Problem(
            "warning", "nul-byte", "this cell holds a NUL byte (\\x00), a sign of a damaged "
            f"export; it was removed: {clip(fixed)!r}", **where, value=fixed,
            fix="check the cell against the survey platform, or export the file again"))
    return problems


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
