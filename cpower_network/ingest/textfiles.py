"""CSV bytes to text: the encoding, the bytes that are not text, and the repairs.

:func:`decode_text` decodes UTF-8 (BOM or not) and UTF-16 (BOM or not), keeping each byte
that is not text as the lone surrogate U+DCxx until its cell is known; :func:`repair_cells`
then repairs and names each damaged cell (see :mod:`cpower_network.ingest.tables`).
:func:`refuse_binary` refuses a file that is plainly not text (an image, a PDF, an
archive, a program, or a start thick with control characters) before any of that.
"""

from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass, field

from ..errors import DataError, Problem, clip

UTF8_FIX = "save the file as UTF-8 (CSV UTF-8) from your spreadsheet program"
EXPORT_AGAIN = "export the file again (as CSV UTF-8 if you can)"
#: Bytes that could not be decoded are kept as U+DC00 + byte until their cell is known.
ESCAPED = re.compile("[\udc00-\udcff]+")
DAMAGE = re.compile("[\x00\udc00-\udcff]")
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
class Note:
    """A problem found before the header is known: its column as a 0-based index."""

    problem: Problem
    index: int | None = None


#: The first bytes of files that are not text: an image, a PDF, an archive, a program.
BINARY_MAGIC = {b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
                b"GIF8": "a GIF image", b"%PDF": "a PDF document", b"\x1f\x8b": "a gzip archive",
                b"7z\xbc\xaf": "a 7-Zip archive", b"Rar!": "a RAR archive",
                b"\x7fELF": "a program", b"MZ": "a Windows program",
                b"SQLite format 3\x00": "an SQLite database"}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Control characters that text never holds (tab, line ends, form feed and Ctrl-Z aside).
_CONTROL = re.compile(b"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")
#: How much of a file's start is looked at, and the share of control characters above
#: which it is not text (a CSV with a few NUL bytes is a damaged text, read and reported).
BINARY_SAMPLE, BINARY_SHARE = 8192, 0.1
CSV_FIX = ("open the file in the program it came from and save it as CSV UTF-8 (or .xlsx), "
           "and check that cpower.toml names the right file")


def refuse_binary(data: bytes, file: str) -> None:
    """Raise when ``data`` is plainly not text: a known file type, or a start thick with
    control characters (UTF-16 text, whose every other byte is NUL, is text).

    Raises
    ------
    DataError
        Naming the kind of file, or the share of control characters and the byte offset
        of the first, with the fix: save the file as CSV UTF-8.
    """
    for magic, kind in BINARY_MAGIC.items():
        if data.startswith(magic) and (magic != b"MZ" or b"\x00" in data[:64]):
            raise not_text(file, f"{kind}, not a CSV file (its first bytes are "
                            f"{data[:len(magic)].hex(' ')})", CSV_FIX)
    sample = data[:BINARY_SAMPLE]
    if len(sample) < 32 or data.startswith((b"\xff\xfe", b"\xfe\xff")) or \
            _utf16_without_bom(data) is not None:
        return
    controls = [m.start() for m in _CONTROL.finditer(sample)]
    if len(controls) > BINARY_SHARE * len(sample):
        raise not_text(file, f"not text: {len(controls):,} of its first {len(sample):,} bytes "
                        f"are control characters (the first at byte offset {controls[0]}: "
                        f"0x{sample[controls[0]]:02x}), which a CSV file never holds, so it "
                        "cannot be read as UTF-8, UTF-16 or Windows-1252 text", CSV_FIX)


def not_text(file: str, what: str, fix: str) -> DataError:
    """The error for a file that is ``what`` rather than a CSV file."""
    text = f"the file is {what}"
    return DataError(f"{file}: {text}. Fix: {fix}", problems=[Problem(
        "error", "not-a-table", text, file=file, expected="a CSV text file or an .xlsx workbook",
        fix=fix)])


@dataclass
class Text:
    """A CSV file decoded into lines (line ends kept), undecodable bytes as U+DCxx."""

    lines: list[str]
    encoding: str = "utf-8"
    #: A BOM or a valid multi-byte sequence: the file is UTF-8, stray bytes are strays.
    utf8_evidence: bool = True
    #: Lines (0-based) of a UTF-16 file whose byte count is odd (a byte is missing), each
    #: with the byte offset in the file where it starts.
    damaged: dict[int, int] = field(default_factory=dict)


def decode(data: bytes) -> str:
    """Decode CSV bytes as what they are: UTF-8 (BOM or not) or UTF-16 (BOM or not).

    Bytes that are not UTF-8 are read as Windows-1252, each on its own: the UTF-8 text
    around them stays UTF-8. NUL bytes are removed.
    :func:`~cpower_network.ingest.tables.read_table` decodes the same way, and reports
    each repaired cell.

    >>> decode("Zoë".encode("cp1252")), decode(b"\\xef\\xbb\\xbfid")
    ('Zoë', 'id')
    >>> decode("José – ".encode() + "Zoë".encode("cp1252"))
    'José – Zoë'
    """
    text = decode_text(data)
    return "".join(_fix_cell(line, text.encoding) for line in text.lines)


def decode_text(data: bytes) -> Text:
    """``data`` split into lines, its bytes that are not text kept as U+DCxx."""
    if data.startswith(b"\xef\xbb\xbf"):
        return Text(_split_lines(data[3:].decode("utf-8", "cpower-escape")))
    if data.startswith(b"\xff\xfe"):
        return _decode_utf16(data[2:], "utf-16-le", 2)
    if data.startswith(b"\xfe\xff"):
        return _decode_utf16(data[2:], "utf-16-be", 2)
    codec = _utf16_without_bom(data)
    if codec is not None:
        return _decode_utf16(data, codec)
    text = data.decode("utf-8", "cpower-escape")
    return Text(_split_lines(text), utf8_evidence=bool(_UTF8_TEXT.search(text)))


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


def _decode_utf16(body: bytes, codec: str, skipped: int = 0) -> Text:
    """UTF-16 (after its BOM, ``skipped`` bytes). With an odd byte count, a byte is missing
    somewhere: each line is decoded on its own, so only the line missing the byte is
    garbled (and set aside)."""
    if len(body) % 2 == 0:
        return Text(_split_lines(body.decode(codec, "cpower-escape")), encoding="utf-16")
    lines: list[str] = []
    damaged: dict[int, int] = {}
    start = 0
    ends = [match.end() for match in _UTF16_BREAKS[codec].finditer(body)]
    for end in [*ends, len(body)]:
        if end > start:
            if (end - start) % 2:
                damaged[len(lines)] = skipped + start
            lines.append(body[start:end].decode(codec, "cpower-escape"))
        start = end
    return Text(lines, encoding="utf-16", damaged=damaged)


def repair_cells(records: list[list[str]], text: Text, file: str) -> list[Note]:
    """Repair each cell holding a NUL or an undecodable byte (in place), with one note
    per cell, or one note for the file when it is Windows-1252 throughout."""
    found = [(row, index) for row, record in enumerate(records, start=1)
             for index, cell in enumerate(record) if DAMAGE.search(cell)]
    escaped = [(row, index) for row, index in found
               if ESCAPED.search(records[row - 1][index])]
    guess = text.encoding == "utf-8" and not text.utf8_evidence and len(escaped) > 1
    notes = []
    for row, index in found:
        raw = records[row - 1][index]
        records[row - 1][index] = _fix_cell(raw, text.encoding)
        problems = _cell_problems(raw, records[row - 1][index], text.encoding, guess,
                                  {"file": file, "row": row})
        notes += [Note(problem, index) for problem in problems]
    if guess:
        row, index = escaped[0]
        notes.insert(0, Note(Problem(
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
        cell = ESCAPED.sub(lambda m: _cp1252(_escaped_bytes(m.group())), cell)
    else:
        cell = ESCAPED.sub("\ufffd", cell)
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
