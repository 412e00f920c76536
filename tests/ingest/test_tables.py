"""Reading CSV and XLSX files as people really save them (ingest/tables.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

import cpower_network as cp
from cpower_network.errors import DataError
from cpower_network.ingest.csvrecords import sniff_delimiter
from cpower_network.ingest.tables import (
    cell_text,
    column_letter,
    decode,
    read_table,
)

ROWS = [["member_id", "name", "sector"],
        ["m1", "Zoë Núñez", "Parents"],
        ["m2", "Robert Lee, Jr.", "Providers"],
        ["m3", "“Kim” Tran – Ñ", "Funders"]]


def csv_text(rows, sep=",", newline="\n"):
    def cell(c):
        return f'"{c}"' if sep in c or '"' in c else c
    return "".join(sep.join(cell(c) for c in row) + newline for row in rows)


def read_bytes(tmp_path: Path, data: bytes, name="t.csv", **options):
    path = tmp_path / name
    path.write_bytes(data)
    return read_table(path, file=name, **options)


ENCODINGS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8 with BOM": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    "windows-1252": lambda t: t.encode("cp1252"),
    "utf-16 unicode text": lambda t: t.encode("utf-16"),   # BOM + little-endian, as Excel
}
NEWLINES = {"LF": "\n", "CRLF": "\r\n", "CR": "\r"}


@pytest.mark.parametrize("newline", NEWLINES.values(), ids=NEWLINES.keys())
@pytest.mark.parametrize("encoding", ENCODINGS, ids=ENCODINGS.keys())
def test_encodings_and_line_endings(tmp_path, encoding, newline):
    sep = "\t" if encoding.startswith("utf-16") else ","
    data = ENCODINGS[encoding](csv_text(ROWS, sep, newline))
    table = read_bytes(tmp_path, data)
    assert [c.id for c in table.columns] == ["member_id", "name", "sector"]
    assert table.rows == [r for r in ROWS[1:]]
    assert table.row_numbers == [2, 3, 4]
    assert table.platform == "plain"


@pytest.mark.parametrize("encoding", ENCODINGS, ids=ENCODINGS.keys())
def test_study_reads_roster_and_survey_in_any_encoding(make_study, encoding):
    sep = "\t" if encoding.startswith("utf-16") else ","
    encode = ENCODINGS[encoding]
    survey = [["who", "adv1", "adv2"], ["Zoë Núñez", "Robert Lee, Jr.", "“Kim” Tran – Ñ"],
              ["m3", "zoe nunez", ""]]
    root = make_study(TOML_ONE_SURVEY, {
        "roster.csv": encode(csv_text(ROWS, sep, "\r\n")),
        "survey.csv": encode(csv_text(survey, sep, "\r\n")),
    })
    study = cp.load_study(root)
    assert study.roster.loc["m1", "name"] == "Zoë Núñez"
    assert study.roster.loc["m3", "name"] == "“Kim” Tran – Ñ"
    ties = study.wave("w1").ties
    assert sorted(zip(ties["respondent"], ties["alter"], strict=True)) == [
        ("m1", "m2"), ("m1", "m3"), ("m3", "m1")]
    # a file that is Windows-1252 throughout is read as such, and that guess is said
    assert [p.code for p in study.quality.problems] == (
        ["encoding-guess"] * 2 if encoding == "windows-1252" else [])


TOML_ONE_SURVEY = """
[study]
name = "enc"
[roster]
file = "roster.csv"
silo = "sector"
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


def test_unicode_text_with_commas_in_unquoted_headers(tmp_path):
    """Excel's "Unicode text" is tab-separated and leaves commas in headers unquoted."""
    text = ("who\tHow often, if ever, do you meet? [Ana]\tOrg, unit\r\n"
            "m1\tWeekly\tCasa, Norte\r\n")
    table = read_bytes(tmp_path, text.encode("utf-16"), name="export.txt")
    assert [c.id for c in table.columns] == [
        "who", "How often, if ever, do you meet? [Ana]", "Org, unit"]
    assert table.rows == [["m1", "Weekly", "Casa, Norte"]]
    # UTF-16 without any tab is still sniffed (a comma-separated file saved as UTF-16)
    assert read_bytes(tmp_path, "a,b\r\n1,2\r\n".encode("utf-16")).rows == [["1", "2"]]


def test_windows_1252_smart_quotes_and_euro():
    assert decode("“Zoë” – 5 €".encode("cp1252")) == "“Zoë” – 5 €"
    # valid UTF-8 is never read as Windows-1252
    assert decode("Zoë".encode()) == "Zoë"


@pytest.mark.parametrize(("text", "expected"), [
    ("a,b,c\n", ","),
    ('"a;b";"c"\n', ";"),
    ("a\tb\tc\n", "\t"),
    ('"x, y, z";"b"\n', ";"),          # separators inside quotes do not count
    ("single\nrow,with,commas\n", ","),  # only the first record is looked at
    ("a;b,c;d\r\n", ";"),
])
def test_sniff_delimiter(text, expected):
    assert sniff_delimiter(text) == expected


def test_semicolon_fully_quoted(tmp_path):
    table = read_bytes(tmp_path, b'"id";"note"\n"m1";"a; b, c"\n"m2";"say ""hi"""\n')
    assert table.rows == [["m1", "a; b, c"], ["m2", 'say "hi"']]


def test_quoted_newline_is_one_spreadsheet_row(tmp_path):
    table = read_bytes(tmp_path, b'id,note\nm1,"line one\nline two"\nm2,x\n')
    assert table.rows == [["m1", "line one\nline two"], ["m2", "x"]]
    assert table.row_numbers == [2, 3]


def test_blank_lines_are_skipped_but_counted(tmp_path):
    """Row numbers match the spreadsheet even when blank lines sit between responses."""
    table = read_bytes(tmp_path, b"id,name\n\nm1,a\n,,\nm2,b\n")
    assert table.rows == [["m1", "a"], ["m2", "b"]]
    assert table.row_numbers == [3, 5]


def test_short_rows_are_padded_and_extra_cells_warned(tmp_path):
    table = read_bytes(tmp_path, b"id,a,b\nm1\nm2,1,2,surprise\n")
    assert table.rows == [["m1", "", ""], ["m2", "1", "2"]]
    (problem,) = table.problems
    assert (problem.code, problem.severity, problem.row, problem.value) == \
        ("extra-cells", "warning", 3, "surprise")
    assert "row has 4 cells but the header has 3" in problem.message


def test_a_short_row_among_full_ones_is_set_aside_not_shifted(tmp_path):
    # a quote placed wrongly merged three cells: "Weekly" would land under m02's column
    data = (b'who,c_m01,c_m02,c_m03,c_m04\nm05,Never,Monthly,Weekly,Never\n'
            b'm06,"Weekly,"",""",Monthly\n')
    table = read_bytes(tmp_path, data)
    assert table.rows == [["m05", "Never", "Monthly", "Weekly", "Never"]]
    (problem,) = table.problems
    assert (problem.code, problem.severity, problem.row) == ("short-row", "error", 3)
    assert "row has 3 cells but the header has 5" in problem.message


def test_unnamed_columns(tmp_path):
    # an empty unnamed column (trailing separator) is dropped; one with data is named
    table = read_bytes(tmp_path, b"id,,name,,\nm1,x,a,,\n")
    assert [c.id for c in table.columns] == ["id", "column B", "name"]
    assert [c.index for c in table.columns] == [0, 1, 2]


def test_cells_are_kept_as_written(tmp_path):
    table = read_bytes(tmp_path, b"id,v\n007, 3.50 \nm2,<b>x</b>\n")
    assert table.rows == [["007", " 3.50 "], ["m2", "<b>x</b>"]]


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n", b",,,\r\n , \r\n"])
def test_empty_file(tmp_path, data):
    with pytest.raises(DataError) as caught:
        read_bytes(tmp_path, data)
    assert caught.value.message == "t.csv: the file is empty"
    assert [p.code for p in caught.value.problems] == ["empty-file"]


def test_header_only_file_has_no_rows(tmp_path):
    table = read_bytes(tmp_path, b"id,name\n")
    assert [c.id for c in table.columns] == ["id", "name"]
    assert table.rows == []


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match=r"^gone.csv: file not found"):
        read_table(tmp_path / "gone.csv", file="gone.csv")


def test_old_xls_is_refused_with_advice(tmp_path):
    with pytest.raises(DataError, match=r"old \.xls workbooks are not supported; save it as "
                                        r"\.xlsx or CSV"):
        read_bytes(tmp_path, b"\xd0\xcf\x11\xe0 not really", name="old.xls")


def test_broken_xlsx(tmp_path):
    with pytest.raises(DataError, match=r"not a readable XLSX workbook .*save it again as "
                                        r"\.xlsx"):
        read_bytes(tmp_path, b"id,name\nm1,a\n", name="export.xlsx")


def test_csv_whose_first_header_starts_with_pk(tmp_path):
    """"PK" is the start of a ZIP file, but also of a header such as "PKEY"."""
    table = read_bytes(tmp_path, b"PKEY,name\nm1,a\n")
    assert [c.id for c in table.columns] == ["PKEY", "name"]
    assert table.rows == [["m1", "a"]]


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_xlsx_several_sheets(tmp_path):
    path = workbook(tmp_path / "book.xlsx", {
        "Read me": [["This workbook holds the roster"]],
        "Members": [["member_id", "name", "score", "joined", "active"],
                    ["m1", "Zoë", 3.0, dt.datetime(2024, 5, 1, 9, 30), True],
                    [None, None, None, None, None],
                    ["m2", "Ana", 2.5, None, False],
                    [7, "Kim", 4, None, None]],
    })
    first = read_table(path, file="book.xlsx")
    assert [c.id for c in first.columns] == ["This workbook holds the roster"]
    assert first.rows == []
    members = read_table(path, file="book.xlsx", sheet="Members")
    assert members.rows == [["m1", "Zoë", "3", "2024-05-01 09:30:00", "TRUE"],
                            ["m2", "Ana", "2.5", "", "FALSE"],
                            ["7", "Kim", "4", "", ""]]
    assert members.row_numbers == [2, 4, 5]


def test_xlsx_unknown_sheet_lists_the_sheets(tmp_path):
    path = workbook(tmp_path / "book.xlsx", {"Intro": [["x"]], "Members": [["id"]]})
    with pytest.raises(DataError) as caught:
        read_table(path, file="book.xlsx", sheet="members")
    assert caught.value.message == ("book.xlsx: no sheet named 'members'; the workbook has "
                                    "Intro, Members")


def test_xlsx_saved_with_a_csv_name(tmp_path):
    """A workbook downloaded as "export.csv" is still read as a workbook."""
    path = workbook(tmp_path / "export.csv", {"Sheet": [["id", "name"], ["m1", "Ana"]]})
    assert read_table(path, file="export.csv").rows == [["m1", "Ana"]]


def test_study_reads_xlsx_roster_and_survey_sheets(make_study):
    root = make_study(TOML_ONE_SURVEY.replace('file = "roster.csv"',
                                              'file = "roster.xlsx"\nsheet = "Members"')
                      .replace('file = "survey.csv"', 'file = "survey.xlsx"\nsheet = "Wave 1"'))
    workbook(root / "roster.xlsx", {"Notes": [["ignore me"]],
                                    "Members": [["member_id", "name", "sector"],
                                                ["m1", "Zoë Núñez", "Parents"],
                                                [2, "Kim Tran", "Funders"]]})
    workbook(root / "survey.xlsx", {"Wave 0": [["who", "adv1", "adv2"], ["m1", "junk", ""]],
                                    "Wave 1": [["who", "adv1", "adv2"],
                                               ["m1", 2, None], [2, "zoe nunez", None]]})
    study = cp.load_study(root)
    assert study.roster.index.tolist() == ["m1", "2"]
    ties = study.wave("w1").ties
    assert sorted(zip(ties["respondent"], ties["alter"], ties["row"], strict=True)) == [
        ("2", "m1", 3), ("m1", "2", 2)]
    assert study.quality.problems == []


def test_forced_header_rows(tmp_path):
    """A plain file with a second header row of question texts (``header_rows = 2``)."""
    data = b"id,q1\nWho are you?,How often?\nm1,Weekly\n"
    table = read_bytes(tmp_path, data, header_rows=2)
    assert [(c.id, c.text) for c in table.columns] == [("id", "Who are you?"),
                                                       ("q1", "How often?")]
    assert table.rows == [["m1", "Weekly"]]
    assert table.row_numbers == [3]


def test_platform_can_be_forced(tmp_path):
    # without "Respondent ID" first, auto-detection sees a plain file; forcing works
    data = b"id,Q1,\n,Response,Ana\nm1,yes,1\n"
    assert read_bytes(tmp_path, data).platform == "plain"
    table = read_bytes(tmp_path, data, platform="surveymonkey")
    assert [c.id for c in table.columns] == ["id", "Q1", "Q1 - Ana"]
    assert table.rows == [["m1", "yes", "1"]]


def test_column_letters_and_cell_text():
    assert [column_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == \
        ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]
    assert cell_text(dt.datetime(2024, 1, 2, 3, 4, 5)) == "2024-01-02 03:04:05"
    assert cell_text(-0.0) == "0"
    assert cell_text(12) == "12"
