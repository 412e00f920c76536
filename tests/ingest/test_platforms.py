"""Platform exports as they really come, each quirk reproduced in a small hand-made fixture.

Every fixture lives in ``tests/fixtures/exports/`` with a study configuration of the same
name (``<fixture>.toml``) and the shared ``roster.csv`` (four members, one of them
"Robert Lee, Jr.", whose name holds ", "; one with accents, "José Núñez"). The real
platform samples these imitate stay in ``../shared/datasets/survey_exports/``.

Quirk → fixture file → test (tests in this file unless a path is given):

qualtrics_modern.csv (Qualtrics, current CSV export)
  - three header rows; JSON ``ImportId`` row with doubled quotes and time zones
    → test_qualtrics_modern_three_header_rows
  - matrix: member names only in the question-text row ("… - Ana Ruiz")
    → test_qualtrics_modern_matrix_from_question_text
  - numeric Status 1 (Survey Preview): whole response set aside and counted
    → test_qualtrics_modern_preview_set_aside
  - multi-select in one cell joined with a bare "," around "Robert Lee, Jr."
    → test_qualtrics_modern_comma_multi_select
  - Finished 0 (partial response) kept; always-empty trailing column
    → test_qualtrics_modern_partial_response_kept
qualtrics_2016.csv (2016 "Insights" export)
  - third header row ``{'ImportId': 'QID2-1'}``: single quotes, hyphenated ids
    → test_qualtrics_2016_single_quoted_import_row
  - multi-select as one column per choice holding "1" or empty (decision shape);
    Status 2 (generated test response) set aside
    → test_qualtrics_2016_decision_per_choice
qualtrics_legacy.csv (legacy export)
  - UTF-8 BOM; two header rows (V1…V10 ids, then ResponseID and texts);
    numeric answer codes read on a labelled scale
    → test_qualtrics_legacy_two_rows_bom
  - a trailing comma on every line (an empty, unnamed last column)
    → test_qualtrics_legacy_trailing_comma
qualtrics_2026.csv (2026 web download)
  - CRLF line ends; time zones inside the ImportIds
    → test_qualtrics_2026_crlf_and_timezones
  - text Status: two "Survey Preview" rows (empty answers) set aside and counted
    → test_qualtrics_2026_survey_preview_rows_counted
  - Finished True/False: the partial response is kept
    → test_qualtrics_2026_answers
  - trailing spaces inside quoted cells ("m01 ", "A lot "): stored as given, still match
    → test_qualtrics_2026_trailing_spaces, test_qualtrics_2026_trailing_spaces_still_match
  - a long quoted label full of commas
    → test_qualtrics_2026_long_label_with_commas
surveymonkey.csv (SurveyMonkey)
  - two header rows; question text only over a question's first sub-column; row 2 holds
    "Response", "Open-Ended Response" or the option text
    → test_surveymonkey_column_names
  - per-choice columns holding the option text when ticked; matrix by option text;
    unknown name with its closest roster name; off-scale answer
    → test_surveymonkey_answers
  - the same export as an XLSX workbook (built from the CSV in the test)
    → test_surveymonkey_xlsx_matches_csv
google_forms.csv (Google Forms)
  - Timestamp first column; every field quoted
    → test_google_forms_detected
  - grid columns "Question [Member]"; respondents by name, any case, no accents
    → test_google_forms_answers
  - checkbox answers joined with ", " although "Robert Lee, Jr." holds ", ": matched
    against the roster, never split blindly; an unknown "Bob Lee" kept apart
    → test_google_forms_checkboxes_matched_not_split
  - an alias resolves one piece of a joined cell
    → test_google_forms_alias_resolves_a_joined_piece
kobotoolbox.csv (KoboToolbox "XML values and headers")
  - ";"-separated, every field quoted, _id/_uuid/_submission_time columns
    → test_kobotoolbox_detected
  - ``group/question`` column names; respondent "member_id" finds "intro/member_id";
    select_one codes ("weekly") match labels
    → test_kobotoolbox_answers
  - select_multiple as space-separated codes (double spaces, unknown "m99")
    → test_kobotoolbox_space_separated_codes
  - one 0/1 column per choice ``group/q/code``
    → test_kobotoolbox_per_choice_columns
every fixture above
  - ``cpower validate`` exits 0/1 as expected, summary printed, no traceback
    → test_every_fixture_validates
built in the tests (tests/ingest/test_tables.py)
  - UTF-8 with/without BOM, Windows-1252, UTF-16 "Unicode text" (tab-separated) ×
    LF, CRLF, CR-only line endings → test_encodings_and_line_endings,
    test_study_reads_roster_and_survey_in_any_encoding
  - UTF-16 tab-separated with commas in unquoted headers
    → test_unicode_text_with_commas_in_unquoted_headers
  - XLSX with several sheets and ``sheet =`` (roster and survey)
    → test_xlsx_several_sheets, test_study_reads_xlsx_roster_and_survey_sheets
  - a workbook saved with a ".csv" name; a CSV whose first header starts with "PK"
    → test_xlsx_saved_with_a_csv_name, test_csv_whose_first_header_starts_with_pk
  - blank lines between responses: row numbers still match the spreadsheet
    → test_blank_lines_are_skipped_but_counted
"""

from __future__ import annotations

from pathlib import Path

import pytest

import cpower_network as cp
from cpower_network.ingest.tables import detect_platform, read_table

EXPORTS = Path(__file__).parent.parent / "fixtures" / "exports"


@pytest.fixture
def load(make_study):
    """``load(name, extra_toml="")``: the fixture's study, loaded from a copy in tmp_path."""

    def _load(name: str, extra_toml: str = "", *, data: Path | None = None) -> cp.Study:
        toml = (EXPORTS / f"{name}.toml").read_text(encoding="utf-8") + extra_toml
        root = make_study(toml, {"roster.csv": EXPORTS / "roster.csv",
                                 f"{name}.csv": data or EXPORTS / f"{name}.csv"})
        return cp.load_study(root)

    return _load


def edges(frame, relation=None):
    """Sorted (respondent, alter, value) of a ties frame (one relation)."""
    if relation is not None:
        frame = frame[frame["relation"] == relation]
    return sorted((r, a, float(v)) for r, a, v in
                  zip(frame["respondent"], frame["alter"], frame["value"], strict=True))


def aside(study, reason=None):
    frame = study.quality.set_aside
    if reason is not None:
        frame = frame[frame["reason"] == reason]
    return sorted(zip(frame["row"], frame["column"], frame["value"], strict=True))


def records(frame, columns):
    """Rows of ``frame[columns]`` as lists, with NaN as None."""
    part = frame[columns].astype(object)
    return part.where(part.notna(), None).values.tolist()


def table(name):
    return read_table(EXPORTS / f"{name}.csv", file=f"{name}.csv")


# --- Qualtrics, current export ------------------------------------------------------------

def test_qualtrics_modern_three_header_rows():
    raw = table("qualtrics_modern")
    assert raw.platform == "qualtrics"
    assert raw.header_rows == 3
    # the JSON ImportId row is a header, not a response: data starts on spreadsheet row 4
    assert raw.row_numbers == [4, 5, 6, 7]
    assert raw.columns[9].id == "ExternalReference"
    assert raw.columns[9].text == "External Data Reference"
    assert raw.rows[0][9] == "m01"


def test_qualtrics_modern_matrix_from_question_text(load):
    study = load("qualtrics_modern")
    ties = study.wave("w1").ties
    assert edges(ties, "collaborate") == [
        ("m01", "m02", 3.0), ("m01", "m03", 2.0), ("m01", "m04", 0.0),
        ("m02", "m01", 3.0), ("m02", "m04", 2.0),
        ("m03", "m01", 2.0), ("m03", "m02", 3.0),
    ]
    # messages and provenance name the column by its Qualtrics id
    first = ties[ties["relation"] == "collaborate"].iloc[0]
    assert (first["file"], first["row"], first["column"]) == ("qualtrics_modern.csv", 4, "Q1_2")
    assert edges(ties, "advice") == [("m01", "m03", 1.0), ("m01", "m04", 1.0),
                                     ("m02", "m01", 1.0)]


def test_qualtrics_modern_preview_set_aside(load):
    study = load("qualtrics_modern")
    preview = study.quality.set_aside[study.quality.set_aside["column"] == ""]
    assert preview[["row", "value", "reason"]].values.tolist() == [
        [6, "1", "Qualtrics preview, test or spam response"]]
    assert study.wave("w1").respondents() == ["m01", "m02", "m03"]
    # the one real problem in the file is the off-scale answer
    assert [(p.code, p.row, p.column, p.value) for p in study.quality.problems] == [
        ("off-scale", 5, "Q1_3", "Sometimes")]


def test_qualtrics_modern_comma_multi_select(load):
    """"Robert Lee, Jr.,Kim Tran" joined with a bare "," is two members, not three pieces."""
    study = load("qualtrics_modern")
    assert edges(study.wave("w1").ties, "influence") == [
        ("m01", "m02", 1.0), ("m01", "m04", 1.0), ("m02", "m01", 1.0)]
    assert not [p for p in study.quality.problems if p.code == "unknown-name"]


def test_qualtrics_modern_partial_response_kept(load):
    study = load("qualtrics_modern")
    # m03 stopped at 40 %: two answers used, the unanswered cells are set aside as blank
    m03 = study.wave("w1").ties.query("respondent == 'm03'")
    assert len(m03) == 2
    blanks = [(row, col) for row, col, _ in aside(study, "blank") if row == 7]
    assert blanks == [(7, "Q1_3"), (7, "Q1_4"), (7, "Q2_1"), (7, "Q2_2"), (7, "Q3")]
    # the trailing "Q4 - Topics" column, empty in every row, is kept as a named column
    assert table("qualtrics_modern").columns[-1].id == "Q4 - Topics"


# --- Qualtrics 2016 "Insights" export -----------------------------------------------------

def test_qualtrics_2016_single_quoted_import_row():
    raw = table("qualtrics_2016")
    assert raw.platform == "qualtrics"
    assert raw.header_rows == 3
    assert raw.row_numbers == [4, 5, 6, 7]
    assert raw.columns[11].id == "Q2_1"
    assert raw.columns[12].text == ("Whose input shaped the budget decision? "
                                    "(select all that apply)-Robert Lee, Jr.")


def test_qualtrics_2016_decision_per_choice(load):
    study = load("qualtrics_2016")
    wave = study.wave("w1")
    assert records(wave.participation, ["respondent", "involvement", "voice", "row",
                                        "involved_column", "voice_column"]) == [
        ["m01", 1.0, 4.0, 4, "Q3", "Q4"], ["m02", 0.0, 2.0, 5, "Q3", "Q4"],
        ["m03", None, 3.0, 7, "Q3", "Q4"]]
    assert sorted(zip(wave.decisions["respondent"], wave.decisions["named"],
                      wave.decisions["column"], strict=True)) == [
        ("m01", "m02", "Q2_2"), ("m01", "m04", "Q2_4"),
        ("m02", "m01", "Q2_1"), ("m02", "m03", "Q2_3"),
        ("m03", "m01", "Q2_1"), ("m03", "m04", "Q2_4"),
    ]
    # m02 ticked themselves: a warning, the tick set aside
    assert [(p.code, p.severity, p.row, p.column) for p in study.quality.problems] == [
        ("self-nomination", "warning", 5, "Q2_2")]
    # Status 2 (a generated test response) is not a response
    whole = study.quality.set_aside[study.quality.set_aside["column"] == ""]
    assert whole[["row", "value"]].values.tolist() == [[6, "2"]]
    assert wave.respondents() == ["m01", "m02", "m03"]


# --- Qualtrics legacy export --------------------------------------------------------------

def test_qualtrics_legacy_two_rows_bom(load):
    raw = table("qualtrics_legacy")
    assert raw.platform == "qualtrics"
    assert raw.header_rows == 2
    assert raw.columns[0].id == "V1"          # the BOM does not stick to the first header
    assert raw.columns[3].text == "ExternalDataReference"
    assert raw.row_numbers == [3, 4]
    study = load("qualtrics_legacy")
    wave = study.wave("w1")
    # numeric codes ("4") are read on the labelled trust scale
    assert edges(wave.ties, "trust") == [
        ("m01", "m02", 4.0), ("m01", "m03", 2.0), ("m01", "m04", 3.0),
        ("m04", "m01", 1.0), ("m04", "m02", 3.0)]
    assert sorted(zip(wave.perceptions["item"], wave.perceptions["respondent"],
                      wave.perceptions["value"], strict=True)) == [
        ("role_clear", "m01", 4.0), ("take_part", "m01", 5.0), ("take_part", "m04", 4.0)]
    (problem,) = study.quality.problems
    assert (problem.code, problem.row, problem.column, problem.value) == \
        ("off-scale", 4, "Q3", "6")
    assert "'Strongly agree'=5" in problem.expected


def test_qualtrics_legacy_trailing_comma():
    raw = table("qualtrics_legacy")
    # 16 named columns; the empty column after the trailing comma is dropped
    assert len(raw.columns) == 16
    assert raw.columns[-1].id == "Q3"
    assert not raw.problems


# --- Qualtrics 2026 web export ------------------------------------------------------------

def test_qualtrics_2026_crlf_and_timezones():
    data = (EXPORTS / "qualtrics_2026.csv").read_bytes()
    assert data.count(b"\r\n") == 8 and b'""timeZone"":""America/New_York""' in data
    raw = table("qualtrics_2026")
    assert (raw.platform, raw.header_rows) == ("qualtrics", 3)
    assert raw.row_numbers == [4, 5, 6, 7, 8]
    assert all(not cell.endswith("\r") for row in raw.rows for cell in row)


def test_qualtrics_2026_survey_preview_rows_counted(load):
    study = load("qualtrics_2026")
    whole = study.quality.set_aside[study.quality.set_aside["column"] == ""]
    assert whole[["row", "value", "reason"]].values.tolist() == [
        [5, "Survey Preview", "Qualtrics preview, test or spam response"],
        [6, "Survey Preview", "Qualtrics preview, test or spam response"]]
    assert study.quality.reasons()["Qualtrics preview, test or spam response"] == 2
    assert study.quality.problems == []


def test_qualtrics_2026_answers(load):
    study = load("qualtrics_2026")
    wave = study.wave("w1")
    assert edges(wave.ties, "trust") == [
        ("m01", "m02", 4.0), ("m01", "m03", 3.0), ("m01", "m04", 2.0),
        ("m02", "m01", 3.0), ("m02", "m03", 1.0), ("m02", "m04", 4.0),
        ("m03", "m01", 2.0)]
    # the partial response (Finished False) is kept with its one answer
    assert wave.respondents() == ["m01", "m02", "m03"]
    assert sorted(zip(wave.perceptions["respondent"], wave.perceptions["value"],
                      strict=True)) == [("m01", 4.0), ("m02", 5.0)]


def test_qualtrics_2026_trailing_spaces():
    raw = table("qualtrics_2026")
    # the cell text is stored as given, trailing space included …
    assert raw.rows[0][11] == "m01 " and raw.rows[0][13] == "A lot "


def test_qualtrics_2026_trailing_spaces_still_match(load):
    # … and still matches the member id "m01" and the scale label "A lot"
    ties = load("qualtrics_2026").wave("w1").ties
    row4 = ties[ties["row"] == 4]
    assert set(row4["respondent"]) == {"m01"}
    assert row4[row4["column"] == "Q1_2"]["value"].tolist() == [4.0]


def test_qualtrics_2026_long_label_with_commas():
    raw = table("qualtrics_2026")
    consent = raw.columns[10]
    assert consent.id == "consent"
    assert consent.text.startswith("This survey maps how members of our coalition work "
                                   "together, whom they trust, and whose advice they seek.")
    assert consent.text.endswith("Do you consent to take part?")
    assert len(raw.columns) == 17


# --- SurveyMonkey -------------------------------------------------------------------------

def test_surveymonkey_column_names():
    raw = table("surveymonkey")
    assert (raw.platform, raw.header_rows) == ("surveymonkey", 2)
    names = [c.id for c in raw.columns]
    assert names[:2] == ["Respondent ID", "Collector ID"]
    assert names[9] == "Which member are you?"                 # "Response" in row 2
    assert names[10] == "How often do you work with each member? - Ana Ruiz"
    assert names[11] == "How often do you work with each member? - Robert Lee, Jr."
    assert names[13] == "How often do you work with each member? - Kim Tran"  # no text above
    assert names[18] == "Whom do you go to for advice? - Name 1"
    assert names[22] == "What would make the coalition stronger?"  # "Open-Ended Response"


def test_surveymonkey_answers(load):
    study = load("surveymonkey")
    wave = study.wave("w1")
    assert edges(wave.ties, "collaborate") == [
        ("m01", "m02", 3.0), ("m01", "m03", 2.0), ("m01", "m04", 0.0),
        ("m04", "m01", 2.0), ("m04", "m02", 3.0)]
    # per-choice columns hold the option text ("Robert Lee, Jr.") when ticked
    assert edges(wave.ties, "influence") == [
        ("m01", "m02", 1.0), ("m01", "m04", 1.0), ("m04", "m01", 1.0), ("m04", "m03", 1.0)]
    assert edges(wave.ties, "advice") == [("m01", "m04", 1.0), ("m04", "m03", 1.0)]
    assert sorted(zip(wave.perceptions["item"], wave.perceptions["respondent"],
                      wave.perceptions["value"], strict=True)) == [
        ("fun", "m01", 5.0), ("take_part", "m01", 4.0), ("take_part", "m04", 2.0)]
    problems = {(p.code, p.row, p.value) for p in study.quality.problems}
    assert problems == {("unknown-name", 3, "robert lee jr"), ("off-scale", 4, "Every day")}
    unknown = next(p for p in study.quality.problems if p.code == "unknown-name")
    assert "closest: 'Robert Lee, Jr.' (m02)" in unknown.fix


def test_surveymonkey_xlsx_matches_csv(make_study):
    """SurveyMonkey's XLSX download: the same two header rows in a workbook."""
    import csv

    from openpyxl import Workbook

    with open(EXPORTS / "surveymonkey.csv", encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    book = Workbook()
    book.active.title = "Sheet"
    for record in records:
        book.active.append([int(c) if c.isdigit() else (c or None) for c in record])
    toml = (EXPORTS / "surveymonkey.toml").read_text(encoding="utf-8")
    root = make_study(toml.replace("surveymonkey.csv", "surveymonkey.xlsx"),
                      {"roster.csv": EXPORTS / "roster.csv"})
    book.save(root / "surveymonkey.xlsx")
    from_xlsx = cp.load_study(root)
    root_csv = make_study(toml, {"roster.csv": EXPORTS / "roster.csv",
                                 "surveymonkey.csv": EXPORTS / "surveymonkey.csv"},
                          name="csv")
    from_csv = cp.load_study(root_csv)
    columns = ["relation", "respondent", "alter", "value", "row", "column"]
    assert from_xlsx.wave("w1").ties[columns].equals(from_csv.wave("w1").ties[columns])
    assert len(from_xlsx.wave("w1").ties) == 11
    assert from_xlsx.quality.set_aside.drop(columns="file").equals(
        from_csv.quality.set_aside.drop(columns="file"))


# --- Google Forms -------------------------------------------------------------------------

def test_google_forms_detected():
    raw = table("google_forms")
    assert (raw.platform, raw.header_rows) == ("google_forms", 1)
    assert raw.columns[4].id == "How often do you work with each member? [Robert Lee, Jr.]"
    assert raw.rows[0][0] == "2024/05/01 9:30:00 AM GMT+1"


def test_google_forms_answers(load):
    study = load("google_forms")
    wave = study.wave("w1")
    # respondents identified by name: "kim tran" (case), "Robert Lee, Jr." (comma)
    assert wave.responses["respondent"].tolist() == ["m01", "m04", "m02"]
    assert edges(wave.ties, "collaborate") == [
        ("m01", "m02", 3.0), ("m01", "m03", 2.0), ("m01", "m04", 0.0),
        ("m02", "m01", 3.0), ("m02", "m03", 3.0), ("m02", "m04", 2.0),
        ("m04", "m01", 2.0), ("m04", "m02", 2.0)]
    # "Jose Nunez" written without accents is José Núñez
    assert edges(wave.ties, "advice") == [("m01", "m03", 1.0), ("m02", "m01", 1.0),
                                          ("m04", "m02", 1.0)]


def test_google_forms_checkboxes_matched_not_split(load):
    study = load("google_forms")
    assert edges(study.wave("w1").ties, "influence") == [
        ("m01", "m02", 1.0), ("m01", "m04", 1.0),                      # "Robert Lee, Jr., Kim Tran"
        ("m02", "m01", 1.0), ("m02", "m04", 1.0),
        ("m04", "m01", 1.0), ("m04", "m02", 1.0), ("m04", "m03", 1.0)]
    # Robert ticked himself and an unknown "Bob Lee": never "Robert Lee" + "Jr." pieces
    problems = [(p.code, p.row, p.value) for p in study.quality.problems]
    assert problems == [("unknown-name", 4, "Bob Lee"),
                        ("self-nomination", 4, "Kim Tran, Robert Lee, Jr., Ana Ruiz, Bob Lee")]
    assert ("unknown name", "Bob Lee") in zip(study.quality.set_aside["reason"],
                                              study.quality.set_aside["value"], strict=True)


def test_google_forms_alias_resolves_a_joined_piece(load):
    study = load("google_forms", '\n[aliases]\n"Bob Lee" = "m02"\n')
    # now "Bob Lee" is Robert himself: a second self-nomination, no unknown name
    assert [p.code for p in study.quality.problems] == ["self-nomination"]


# --- KoboToolbox --------------------------------------------------------------------------

def test_kobotoolbox_detected():
    raw = table("kobotoolbox")
    assert (raw.platform, raw.header_rows) == ("kobotoolbox", 1)
    assert raw.columns[2].id == "intro/member_id"
    assert raw.rows[1][7] == "m01  m02 m99"     # ";" separated, quotes removed
    assert len(raw.columns) == 22


def test_kobotoolbox_answers(load):
    study = load("kobotoolbox")
    wave = study.wave("w1")
    assert wave.responses["respondent"].tolist() == ["m01", "m03"]
    # select_one codes ("weekly") match the labels ignoring case
    assert edges(wave.ties, "collaborate") == [
        ("m01", "m02", 3.0), ("m01", "m03", 2.0), ("m01", "m04", 0.0),
        ("m03", "m01", 2.0), ("m03", "m04", 3.0)]


def test_kobotoolbox_space_separated_codes(load):
    study = load("kobotoolbox")
    assert edges(study.wave("w1").ties, "influence") == [
        ("m01", "m02", 1.0), ("m01", "m04", 1.0), ("m03", "m01", 1.0), ("m03", "m02", 1.0)]
    unknown = [p for p in study.quality.problems if p.code == "unknown-name"]
    assert [(p.row, p.column, p.value) for p in unknown] == [(3, "network/weight", "m99")]


def test_kobotoolbox_per_choice_columns(load):
    study = load("kobotoolbox")
    assert edges(study.wave("w1").ties, "advice") == [("m01", "m03", 1.0),
                                                      ("m03", "m01", 1.0)]
    assert aside(study, "self-nomination") == [(3, "network/advice/m03", "1")]
    assert len(aside(study, "not selected")) == 5


# --- all of them --------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "code"), [
    ("qualtrics_modern", 1), ("qualtrics_2016", 0), ("qualtrics_legacy", 1),
    ("qualtrics_2026", 0), ("surveymonkey", 1), ("google_forms", 1), ("kobotoolbox", 1),
])
def test_every_fixture_validates(name, code, make_study, run_cli):
    toml = (EXPORTS / f"{name}.toml").read_text(encoding="utf-8")
    root = make_study(toml, {"roster.csv": EXPORTS / "roster.csv",
                             f"{name}.csv": EXPORTS / f"{name}.csv"})
    result = run_cli("validate", root)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert "Roster: 4 members in 3 silos (Funders 1, Parents 2, Providers 1)" in result.stdout


def test_detect_platform_on_header_rows_alone():
    assert detect_platform([["Timestamp", "Your name"]]) == "google_forms"
    assert detect_platform([["Respondent ID", "Q"], ["", "Response"]]) == "surveymonkey"
    assert detect_platform([["member_id", "a", "b"]]) == "plain"
    assert detect_platform([["start", "grp/q1", "grp/q2"]]) == "kobotoolbox"
