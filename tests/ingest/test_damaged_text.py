"""Damaged or mixed text is never read silently (ingest/tables.py).

Each kind of damage gives a located problem (file, spreadsheet row, column header, value)
and costs no more than its own cell or row:

* a UTF-8 file with a stray Windows-1252 byte: only that cell is read as Windows-1252
  → test_mixed_encoding_repairs_only_the_damaged_cell, test_decode_keeps_utf8_text
* a file in Windows-1252 throughout: read as such, said once
  → test_whole_windows_1252_file_is_a_guess_said_once,
  test_one_windows_1252_cell_in_an_ascii_file_is_located
* UTF-16 with bytes that are not text, or a byte missing
  → test_utf16_lone_surrogate_is_a_located_warning, test_utf16_missing_byte_costs_one_row,
  test_utf16_stray_byte_at_the_end, test_utf16_without_bom_is_not_read_as_nul_bytes
* NUL bytes → test_nul_bytes_are_removed_and_located
* a stray quote: the other responses are kept, the damaged row is an error
  → test_unclosed_quote_keeps_the_other_responses,
  test_unclosed_quote_closed_by_a_literal_quote, test_stray_quote_in_the_header_row,
  test_legitimate_multiline_cells_still_work,
  test_badly_quoted_cell_on_one_line_is_read_as_before, and in a roster (the member is
  an error, never shifted to another silo) test_study_with_damaged_text
* Excel's ``sep=`` line, a repeated header row
  → test_sep_hint_line, test_repeated_header_row_is_skipped,
  test_repeated_qualtrics_header_rows_are_skipped
* end to end through ``load_study`` and ``cpower validate``
  → test_study_with_damaged_text, test_validate_prints_the_damage,
  test_alias_table_problems_reach_the_quality_record
* property: one damaged byte changes only its own cell, and is always located
  → test_one_damaged_byte_is_located_and_costs_only_its_cell
* odd inputs (only a quote, only damage) give a DataError or problems, never a traceback
  → test_damaged_text_never_a_traceback
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import cpower_network as cp
from cpower_network.errors import DataError
from cpower_network.ingest.tables import decode, read_table

UTF8_FIX = "save the file as UTF-8 (CSV UTF-8) from your spreadsheet program"


def read_bytes(tmp_path: Path, data: bytes, name: str = "t.csv", **options):
    path = tmp_path / name
    path.write_bytes(data)
    return read_table(path, file=name, **options)


def located(table):
    return [(p.severity, p.code, p.row, p.column, p.value) for p in table.problems]


# --- encodings ----------------------------------------------------------------------------

def test_mixed_encoding_repairs_only_the_damaged_cell(tmp_path):
    """Google Forms UTF-8 export; one answer holds a pasted Windows-1252 en dash (0x96)."""
    data = ("Timestamp,Your name,Comments\r\n"
            "2024/05/01 10:00,José Núñez,Great\r\n"
            "2024/05/01 10:05,Zoë Müller,").encode() + b"More meetings \x96 fewer emails\r\n" + \
        "2024/05/01 10:09,Łucja Wróbel,Más reuniones\r\n".encode()
    table = read_bytes(tmp_path, data)
    assert table.platform == "google_forms"
    assert table.rows == [["2024/05/01 10:00", "José Núñez", "Great"],
                          ["2024/05/01 10:05", "Zoë Müller", "More meetings – fewer emails"],
                          ["2024/05/01 10:09", "Łucja Wróbel", "Más reuniones"]]
    (problem,) = table.problems
    assert located(table) == [("warning", "mixed-encoding", 3, "Comments",
                               "More meetings – fewer emails")]
    assert problem.message == (
        "this cell holds a byte that is not UTF-8 (0x96); only this cell was read as "
        "Windows-1252: 'More meetings – fewer emails'")
    assert problem.fix == UTF8_FIX
    assert str(problem).startswith("t.csv, row 3, column 'Comments': this cell holds")


def test_decode_keeps_utf8_text():
    assert decode("José – ".encode() + "Zoë".encode("cp1252")) == "José – Zoë"
    assert decode("Łucja Wróbel".encode()) == "Łucja Wróbel"


def test_whole_windows_1252_file_is_a_guess_said_once(tmp_path):
    text = "id,name,sector\nm1,Zoë Núñez,Parents\nm2,“Kim” Tran – Ñ,Funders\nm3,Lee,Pères\n"
    table = read_bytes(tmp_path, text.encode("cp1252"))
    assert table.rows == [["m1", "Zoë Núñez", "Parents"], ["m2", "“Kim” Tran – Ñ", "Funders"],
                          ["m3", "Lee", "Pères"]]
    (problem,) = table.problems
    assert (problem.severity, problem.code, problem.file, problem.row, problem.column) == \
        ("warning", "encoding-guess", "t.csv", None, None)
    assert problem.message == (
        "the file holds no UTF-8 text and 3 cells hold bytes that are not UTF-8, so it was "
        "read as Windows-1252 (a guess): check its accented names, e.g. row 2: 'Zoë Núñez'")
    assert problem.fix == UTF8_FIX


def test_one_windows_1252_cell_in_an_ascii_file_is_located(tmp_path):
    table = read_bytes(tmp_path, "id,name\nm1,Zoë\nm2,Kim\n".encode("cp1252"))
    assert table.rows == [["m1", "Zoë"], ["m2", "Kim"]]
    assert located(table) == [("warning", "mixed-encoding", 2, "name", "Zoë")]


UTF16 = {"LE": ("utf-16-le", b"\xff\xfe"), "BE": ("utf-16-be", b"\xfe\xff")}


@pytest.mark.parametrize("order", UTF16, ids=UTF16.keys())
def test_utf16_lone_surrogate_is_a_located_warning(tmp_path, order):
    codec, bom = UTF16[order]
    lone = "\ud800".encode(codec, "surrogatepass")
    data = bom + "id\tname\r\nm1\tZo".encode(codec) + lone + "ë\r\nm2\tKim\r\n".encode(codec)
    table = read_bytes(tmp_path, data)
    assert table.rows == [["m1", "Zo\ufffdë"], ["m2", "Kim"]]
    (problem,) = table.problems
    assert located(table) == [("warning", "bad-utf16", 2, "name", "Zo\ufffdë")]
    assert problem.message.startswith("this cell holds bytes that are not UTF-16 text (0x")


@pytest.mark.parametrize("order", UTF16, ids=UTF16.keys())
def test_utf16_missing_byte_costs_one_row(tmp_path, order):
    codec, bom = UTF16[order]
    body = "id\tname\tsector\r\nm1\tJosé\tParents\r\nm2\tKim\tFunders\r\nm3\tLee\tCare\r\n"
    encoded = body.encode(codec)
    cut = encoded.index("José".encode(codec)) + 3         # a byte of the "s"
    table = read_bytes(tmp_path, bom + encoded[:cut] + encoded[cut + 1:])
    assert table.rows == [["m2", "Kim", "Funders"], ["m3", "Lee", "Care"]]
    assert table.row_numbers == [3, 4]
    (problem,) = table.problems
    assert (problem.severity, problem.code, problem.row) == ("error", "damaged-row", 2)
    assert problem.message.startswith("a byte of this row is missing (UTF-16 text has two "
                                      "bytes per character)")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_not_read_as_nul_bytes(tmp_path, codec):
    table = read_bytes(tmp_path, "id\tname\r\nm1\tŁucja Wróbel\r\nm2\tKim\r\n".encode(codec))
    assert table.rows == [["m1", "Łucja Wróbel"], ["m2", "Kim"]]
    assert table.problems == []


def test_utf16_stray_byte_at_the_end(tmp_path):
    table = read_bytes(tmp_path, "id\tname\r\nm1\tJosé\r\n".encode("utf-16") + b"\n")
    assert table.rows == [["m1", "José"]]
    assert [(p.severity, p.code, p.row) for p in table.problems] == [("warning", "bad-utf16", 3)]


def test_nul_bytes_are_removed_and_located(tmp_path):
    table = read_bytes(tmp_path, b"id,name,note\r\nm1,Ana\x00 Ruiz,x\r\nm2,Kim,\x00\x00\r\n")
    assert table.rows == [["m1", "Ana Ruiz", "x"], ["m2", "Kim", ""]]
    assert located(table) == [("warning", "nul-byte", 2, "name", "Ana Ruiz"),
                              ("warning", "nul-byte", 3, "note", "")]
    assert table.problems[0].message == ("this cell holds a NUL byte (\\x00), a sign of a "
                                         "damaged export; it was removed: 'Ana Ruiz'")


# --- quotes -------------------------------------------------------------------------------

def survey_lines() -> list[str]:
    """A 10-response survey; each respondent names the next two members."""
    return ["who,adv1,adv2"] + [f"m{i},m{i % 10 + 1},m{(i + 1) % 10 + 1}" for i in range(1, 11)]


@pytest.mark.parametrize(("later", "swallowed"), [
    (None, 6),                              # no other quote: the rest of the file
    ('m7,"Lee, Jr.",m9', 3),                # "closes" on the opening quote of a later cell
], ids=["to the end", "closed by a later cell"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_unclosed_quote_keeps_the_other_responses(tmp_path, later, swallowed, newline):
    rows = survey_lines()
    rows[4] = 'm4,"m5,m6'                   # spreadsheet row 5
    if later:
        rows[7] = later
    table = read_bytes(tmp_path, (newline.join(rows) + newline).encode())
    assert len(table.rows) == 9
    assert table.row_numbers == [2, 3, 4, 6, 7, 8, 9, 10, 11]
    assert all(len(row) == 3 and "\n" not in "".join(row) for row in table.rows)
    assert table.rows[3] == ["m5", "m6", "m7"]
    (problem,) = table.problems
    assert located(table) == [("error", "unclosed-quote", 5, "adv1", '"m5,m6')]
    assert problem.message == (
        f'a quote (") opens this cell but is not closed on its line, so the next {swallowed} '
        "lines would have been read into this one cell; this row was set aside and the "
        "rows after it were read on their own")
    assert (problem.expected, problem.fix) == ("a closing quote",
                                               'remove the stray " or close the quote')


def test_unclosed_quote_closed_by_a_literal_quote(tmp_path):
    """The stray quote "closes" on a quote written inside a later cell (5" screen)."""
    rows = survey_lines()
    rows[2] = 'm2,"m3,m4'
    rows[6] = 'm6,m7,5" screen'
    table = read_bytes(tmp_path, ("\n".join(rows) + "\n").encode())
    assert table.row_numbers == [2, 4, 5, 6, 7, 8, 9, 10, 11]
    assert [(p.code, p.row, p.column) for p in table.problems] == [
        ("unclosed-quote", 3, "adv1")]


def test_legitimate_multiline_cells_still_work(tmp_path):
    data = ('id,name,comment\r\n'
            'm1,Ana,"Thanks!\r\nWe met Ana, Kim, and Lee.\r\nMore, please, soon."\r\n'
            'm2,"Lee, Jr.","one\nline, two"\r\n'
            'm3,Kim,"say ""hi"",\nthen go"\r\n'
            'm4,Zoë,plain\r\n').encode()
    table = read_bytes(tmp_path, data)
    assert table.rows == [
        ["m1", "Ana", "Thanks!\r\nWe met Ana, Kim, and Lee.\r\nMore, please, soon."],
        ["m2", "Lee, Jr.", "one\nline, two"],
        ["m3", "Kim", 'say "hi",\nthen go'],
        ["m4", "Zoë", "plain"]]
    assert table.row_numbers == [2, 3, 4, 5]
    assert table.problems == []


def test_badly_quoted_cell_on_one_line_is_read_as_before(tmp_path):
    table = read_bytes(tmp_path, b'id,name\nm1,"Ana" Ruiz\nm2,Kim\n')
    assert table.rows == [["m1", "Ana Ruiz"], ["m2", "Kim"]]
    assert table.problems == []


# --- spreadsheet artefacts ----------------------------------------------------------------

@pytest.mark.parametrize(("hint", "sep"), [("sep=;", ";"), ("sep=,", ","), ("sep=\t", "\t"),
                                           ('"sep=;"', ";")])
def test_sep_hint_line(tmp_path, hint, sep):
    """Excel's first line names the separator; Excel does not show it, so the header
    stays row 1."""
    data = f'{hint}\r\nid{sep}name{sep}note\r\nm1{sep}Ana{sep}"a, b; c"\r\n'.encode()
    table = read_bytes(tmp_path, data)
    assert [c.id for c in table.columns] == ["id", "name", "note"]
    assert table.rows == [["m1", "Ana", "a, b; c"]]
    assert table.row_numbers == [2]
    assert table.problems == []


def test_repeated_header_row_is_skipped(tmp_path):
    data = b"id,name\nm1,Ana\n id , name ,\nm2,Kim\n"
    table = read_bytes(tmp_path, data)
    assert table.rows == [["m1", "Ana"], ["m2", "Kim"]]
    assert table.row_numbers == [2, 4]
    (problem,) = table.problems
    assert located(table) == [("warning", "repeated-header", 3, None, "id, name")]
    assert problem.message == ("this row repeats the header row (two exports pasted "
                               "together?); it was skipped, not read as a response")


def test_repeated_qualtrics_header_rows_are_skipped(tmp_path):
    head = ['StartDate,who,Q1', 'Start Date,Who are you?,Advice',
            '{"ImportId":"startDate"},{"ImportId":"QID1"},{"ImportId":"QID2"}']
    quoted = [",".join(f'"{c.replace(chr(34), 2 * chr(34))}"' for c in line.split(","))
              for line in head]
    data = "\n".join([*quoted, "2024,m1,m2", *quoted, "2024,m2,m1"]) + "\n"
    table = read_bytes(tmp_path, data.encode())
    assert table.platform == "qualtrics"
    assert table.rows == [["2024", "m1", "m2"], ["2024", "m2", "m1"]]
    assert table.row_numbers == [4, 8]
    assert [(p.code, p.row) for p in table.problems] == [
        ("repeated-header", 5), ("repeated-header", 6), ("repeated-header", 7)]


# --- end to end ---------------------------------------------------------------------------

TOML = """
[study]
name = "damaged"
[roster]
file = "roster.csv"
silo = "sector"
consent = "consent"
[focus_groups]
lived = "lived"
[relations.advice]
[waves.w1]
[[waves.w1.surveys]]
file = "survey.csv"
respondent = "who"
[[waves.w1.surveys.questions]]
shape = "name_generator"
relation = "advice"
columns = ["adv1", "adv2"]
"""
ROSTER = ("member_id,name,sector,consent,lived\r\n"
          "m1,José Núñez,Parents,yes,yes\r\n"
          "m2,Zoë Müller,Funders,yes,no\r\n"
          'm3,"Łucja Wróbel,Providers,no,yes\r\n'          # the stray quote
          "m4,Kim Tran,Providers,yes,yes\r\n"
          "m5,Lee Park,Funders,yes,no\r\n").encode()
SURVEY = ("Timestamp,who,adv1,adv2,comments\r\n"
          "2024/05/01 10:00,José Núñez,Zoë Müller,Kim Tran,").encode() + \
    b"More meetings \x96 fewer emails\r\n" + \
    ("2024/05/01 10:05,Zoë Müller,José Núñez,,Gracias\r\n"
     '2024/05/01 10:07,Kim Tran,"Lee Park,José Núñez,ok\r\n'
     "Timestamp,who,adv1,adv2,comments\r\n"
     "2024/05/01 10:09,Lee Park,Kim Tran").encode() + b"\x00" + b",,fine\r\n"


def test_study_with_damaged_text(make_study):
    study = cp.load_study(make_study(TOML, {"roster.csv": ROSTER, "survey.csv": SURVEY}))
    roster = study.roster
    assert roster.index.tolist() == ["m1", "m2", "m4", "m5"]
    assert roster["name"].tolist() == ["José Núñez", "Zoë Müller", "Kim Tran", "Lee Park"]
    assert roster["silo"].tolist() == ["Parents", "Funders", "Providers", "Funders"]
    assert roster["consent"].tolist() == [True, True, True, True]
    ties = study.wave("w1").ties
    assert sorted(zip(ties["respondent"], ties["alter"], ties["row"], strict=True)) == [
        ("m1", "m2", 2), ("m1", "m4", 2), ("m2", "m1", 3), ("m5", "m4", 6)]
    problems = [(p.severity, p.code, p.file, p.row, p.column) for p in study.quality.problems]
    assert problems == [
        ("error", "unclosed-quote", "roster.csv", 4, "name"),
        ("warning", "mixed-encoding", "survey.csv", 2, "comments"),
        ("error", "unclosed-quote", "survey.csv", 4, "adv1"),
        ("warning", "repeated-header", "survey.csv", 5, None),
        ("warning", "nul-byte", "survey.csv", 6, "adv1"),
    ]
    assert study.quality.problems[0].value == '"Łucja Wróbel,Providers,no,yes'


def test_validate_prints_the_damage(make_study, run_cli):
    root = make_study(TOML, {"roster.csv": ROSTER, "survey.csv": SURVEY})
    result = run_cli("validate", root)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert ("roster.csv, row 4, column 'name': a quote (\") opens this cell but is not "
            "closed on its line") in result.output
    assert ("survey.csv, row 2, column 'comments': this cell holds a byte that is not "
            "UTF-8 (0x96); only this cell was read as Windows-1252: "
            "'More meetings – fewer emails'") in result.output


def test_alias_table_problems_reach_the_quality_record(make_study):
    toml = TOML.replace('consent = "consent"', 'consent = "consent"\naliases = "aliases.csv"')
    roster = ROSTER.replace(b'"\xc5\x81ucja', "Łucja".encode())
    survey = b"who,adv1,adv2\r\nm1,Zoe,\r\n"
    aliases = b"alias,member_id\r\nZo\x00e,m2\r\n"
    study = cp.load_study(make_study(toml, {
        "roster.csv": roster, "survey.csv": survey, "aliases.csv": aliases}))
    assert [(p.code, p.file, p.row, p.column) for p in study.quality.problems] == [
        ("nul-byte", "aliases.csv", 2, "alias")]
    ties = study.wave("w1").ties
    assert list(zip(ties["respondent"], ties["alter"], strict=True)) == [("m1", "m2")]


# --- property -----------------------------------------------------------------------------

NAMES = st.text(st.characters(exclude_categories=("Cs", "Cc"),
                              include_characters="\n\r,;\"'"), min_size=0, max_size=12)


def csv_cell(data: bytes) -> bytes:
    if any(c in data for c in b',"\r\n;\t'):
        return b'"' + data.replace(b'"', b'""') + b'"'
    return data


@st.composite
def damaged_files(draw):
    """Rows of random names as UTF-8, one byte of one cell replaced by a byte that makes
    the cell not UTF-8 (or a NUL)."""
    rows = draw(st.lists(st.tuples(NAMES, NAMES), min_size=1, max_size=6))
    target_row = draw(st.integers(0, len(rows) - 1))
    target_col = draw(st.integers(1, 2))
    cells = [[f"r{i}".encode(), a.encode(), b.encode()] for i, (a, b) in enumerate(rows)]
    original = cells[target_row][target_col]
    assume(original)
    position = draw(st.integers(0, len(original) - 1))
    byte = draw(st.sampled_from([0x00]) | st.integers(0x80, 0xFF))
    damaged = original[:position] + bytes([byte]) + original[position + 1:]
    assume(byte == 0 or not _is_utf8(damaged))
    cells[target_row][target_col] = damaged
    data = b"id,name,note\r\n" + b"".join(b",".join(csv_cell(c) for c in row) + b"\r\n"
                                          for row in cells)
    return data, rows, target_row, target_col


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much,
                                                                   HealthCheck.function_scoped_fixture])
@given(damaged_files())
def test_one_damaged_byte_is_located_and_costs_only_its_cell(tmp_path, case):
    data, rows, target_row, target_col = case
    table = read_bytes(tmp_path, data)
    expected = [[f"r{i}", a, b] for i, (a, b) in enumerate(rows)]
    got = dict(zip(table.row_numbers, table.rows, strict=True))
    for i, row in enumerate(expected):
        for col, cell in enumerate(row):
            if (i, col) != (target_row, target_col):
                assert got[i + 2][col] == cell
    assert table.problems
    label = ["id", "name", "note"][target_col]
    for problem in table.problems:
        assert (problem.severity, problem.row, problem.column) == \
            ("warning", target_row + 2, label)
        assert problem.code in ("mixed-encoding", "nul-byte")
        assert problem.value == got[target_row + 2][target_col]


def test_stray_quote_in_the_header_row(tmp_path):
    table = read_bytes(tmp_path, b'id,"name\nm1,Ana\nm2,Kim\n')
    assert [(p.code, p.row, p.column, p.value) for p in table.problems] == [
        ("unclosed-quote", 1, "column B", '"name')]


def test_damaged_text_never_a_traceback(tmp_path):
    """Odds and ends: only a stray quote, only damage, a quote left open in the header."""
    for data in (b'"', b"\x96\x00", b"\xff\xfe\x00", b'id,"name\nm1,Ana\nm2,Kim\n',
                 b"\xfe\xff\x00i\x00d\x00\n\x00"):
        try:
            read_bytes(tmp_path, data)
        except DataError as error:
            assert error.problems
