"""CSV text split into records, as spreadsheet programs would, with damage set aside.

The separator is Excel's ``sep=;`` hint, else the one the first record uses most
(:func:`sniff_delimiter`). Records are read strictly; a record a strict read refuses is
re-read leniently, and one that is damaged (a stray quote swallowing later lines, a
UTF-16 line missing a byte) is set aside as an empty record, with a located
:class:`~cpower_network.ingest.textfiles.Note`, so later rows keep their numbers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..common.wording import counted
from ..errors import Problem, clip
from .textfiles import DAMAGE, ESCAPED, EXPORT_AGAIN, Note, Text, decode_text, repair_cells

#: Excel's separator hint, the first line of a CSV written for Excel: ``sep=;``.
SEP_HINT = re.compile(r'"?sep=([^\r\n"])"?[ \t]*\r?\n?$', re.IGNORECASE)


def _text_records(data: bytes, *, file: str) -> tuple[list[list[str]], list[Note]]:
    """Split CSV bytes into records; repair damaged cells, set damaged rows aside."""
    text = decode_text(data)
    hint = _sep_hint(text)
    joined = "".join(text.lines)
    # Excel's "Unicode text" (UTF-16) is always tab-separated, and its headers are not
    # quoted, so a question text with commas must not make "," look like the separator.
    unicode_text = text.encoding == "utf-16" and "\t" in joined[:20000]
    delimiter = hint or ("\t" if unicode_text else sniff_delimiter(joined))
    _allow_fields_of(len(joined))
    records, notes = _parse_lines(_Parse(text.lines, delimiter, text.damaged, file))
    if DAMAGE.search(joined):
        notes += repair_cells(records, text, file)
    return records, notes


def _allow_fields_of(length: int) -> None:
    """Let the csv module read a cell as long as the whole text (``length`` characters).

    Its default limit (131,072 characters) would make a long but well-formed cell (a
    pasted document, a multi-select of thousands of names) fail to parse, and that failure
    would be read as a stray quote. The limit guards nothing here: the text is already in
    memory, and no cell can be longer than it. The limit is only ever raised, never
    lowered, so a read running at the same time in another thread is never cut short.
    """
    if length >= csv.field_size_limit():
        csv.field_size_limit(length + 1)


def _sep_hint(text: Text) -> str | None:
    """The separator named by Excel's ``sep=;`` first line, which is then dropped. Excel
    does not show that line, so the header stays row 1."""
    match = SEP_HINT.match(text.lines[0]) if text.lines else None
    if match is None:
        return None
    del text.lines[0]
    text.damaged = {line - 1: at for line, at in text.damaged.items() if line}
    return match.group(1)


@dataclass
class _Parse:
    """The state of splitting a CSV file's lines into records."""

    lines: list[str]
    delimiter: str
    damaged: dict[int, int]
    file: str
    records: list[list[str]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    #: The cell count of the first record with text (the header).
    width: int | None = None


def _parse_lines(state: _Parse) -> tuple[list[list[str]], list[Note]]:
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
    hit = [line for line in range(first, last) if line in state.damaged] \
        if state.damaged else []
    if hit:
        _set_aside(state, _missing_byte(state, first, state.damaged[hit[0]]))
        return False
    span = last - first
    if span > 1 and (not strict or _swallows_records(state, first, last, record)):
        _set_aside(state, _unclosed_quote(state, first, span - 1))
        return False
    state.records.append(record)
    if state.width is None and any(cell.strip() for cell in record):
        state.width = len(record)
    return True


def _set_aside(state: _Parse, note: Note) -> None:
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


def _unclosed_quote(state: _Parse, first: int, swallowed: int | None) -> Note:
    index, written = _unclosed_cell(state.lines[first], state.delimiter)
    lines = "the lines after it" if swallowed is None else \
        f"the next {counted(swallowed, 'line')}"
    return Note(Problem(
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


def _missing_byte(state: _Parse, first: int, offset: int) -> Note:
    """A UTF-16 line with an odd byte count (starting at byte ``offset`` of the file):
    garbled after the missing byte."""
    text = ESCAPED.sub("", state.lines[first]).strip()
    where = {"file": state.file, "row": len(state.records) + 1}
    if not text:
        return Note(Problem("warning", "bad-utf16", "a stray byte after the last line "
                            "(UTF-16 text has two bytes per character) was left out (at "
                            f"byte {offset:,} of the file)", **where, fix=EXPORT_AGAIN))
    return Note(Problem(
        "error", "damaged-row",
        "a byte of this row is missing (UTF-16 text has two bytes per character), so its "
        f"text after that byte is garbled (the row starts at byte {offset:,} of the file and "
        "has an odd number of bytes); this row was set aside and the rows after it were "
        "read on their own",
        **where, value=clip(text, 60), expected="whole two-byte characters",
        fix=EXPORT_AGAIN))


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
